"""GB/T 9704-2012 (党政机关公文格式) .docx writer on python-docx.

Build a `Document` of `Heading`, `Paragraph` and `Table` blocks and call `render` (bytes) or
`render_to` (a file). `lvze.lib.gongwen.pdf` converts the result with LibreOffice when present.
"""

from lvze.lib.gongwen.model import Block, Document, Heading, Paragraph, Properties, Table
from lvze.lib.gongwen.writer import render, render_to

__all__ = ["Block", "Document", "Heading", "Paragraph", "Properties", "Table", "render", "render_to"]
