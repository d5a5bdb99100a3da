"""A draft as an official document: the GB/T 9704 .docx, its PDF, and its masked (脱敏) copy."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from lvze.documents.blocks import Block
from lvze.documents.models import Draft
from lvze.lib import gongwen
from lvze.lib.gongwen.pdf import docx_to_pdf
from lvze.lib.masking import MaskRegistry, MaskReport, docx_leaks, mask_docx, mask_filename

_FILENAME_FORBIDDEN = re.compile(r'[\\/:*?"<>|\r\n\t]+')


def gongwen_block(block: Block) -> gongwen.Block | None:
    """One block for the writer; empty paragraphs and headings (a user's unused slots) are left out."""
    if block["type"] == "table":
        return gongwen.Table(block["header"], block["rows"], widths=block.get("widths"))
    if not block["text"].strip():
        return None
    if block["type"] == "heading":
        return gongwen.Heading(block["level"], block["text"].strip())
    return gongwen.Paragraph(block["text"].strip())


def build_document(draft: Draft) -> gongwen.Document:
    blocks = [b for b in map(gongwen_block, draft.content) if b is not None]
    return gongwen.Document(
        title=draft.title,
        blocks=blocks,
        signoff=draft.signoff,
        date=draft.doc_date,
        properties=gongwen.Properties(
            title=draft.title,
            author=draft.signoff or draft.unit.name,
            subject=draft.get_kind_display(),
            created=timezone.now().replace(microsecond=0),
        ),
    )


def render_docx(draft: Draft) -> bytes:
    return gongwen.render(build_document(draft))


def export_filename(draft: Draft, extension: str = "docx") -> str:
    stem = _FILENAME_FORBIDDEN.sub("", draft.title).strip() or "文档"
    return f"{stem}.{extension}"


def render_pdf(draft: Draft) -> bytes:
    """Convert with LibreOffice; raises `lvze.lib.gongwen.pdf.ConversionError` when that fails."""
    with tempfile.TemporaryDirectory(prefix="lvze-export-") as work:
        docx_path = Path(work) / "document.docx"
        docx_path.write_bytes(render_docx(draft))
        return docx_to_pdf(docx_path, work).read_bytes()


@dataclass(frozen=True)
class MaskedExport:
    data: bytes
    filename: str
    report: MaskReport
    leaks: dict[str, list[str]]

    @property
    def safe(self) -> bool:
        return not self.leaks


def render_masked(draft: Draft, registry: MaskRegistry) -> MaskedExport:
    """The masked .docx, what was replaced, and a final check that no registered name is left."""
    data, report = mask_docx(render_docx(draft), registry)
    filename = mask_filename(export_filename(draft), registry)
    report.add(registry.mask_text(export_filename(draft))[1], "filename")
    leaks = docx_leaks(data, registry)
    if registry.find_leaks(filename):
        leaks["filename"] = registry.find_leaks(filename)
    return MaskedExport(data=data, filename=filename, report=report, leaks=leaks)
