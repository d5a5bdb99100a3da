"""Write a `Document` as a .docx in the GB/T 9704-2012 layout.

Everything a reader checks with a ruler is set explicitly on the paragraph or run (not only in
styles), because documents are reopened in Word, WPS and LibreOffice, which resolve style
inheritance differently; the Normal style carries the same values for text typed in later.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Pt, Twips
from docx.text.paragraph import Paragraph as DocxParagraph

from lvze.lib.cn import cn_date, cn_ordinal_heading
from lvze.lib.files import write_atomic
from lvze.lib.gongwen import layout, ooxml
from lvze.lib.gongwen.model import Block, Document, Heading, Paragraph, Properties, Table

_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ATTACHMENT_TRAILING_PUNCTUATION = "。．.，,；;：:、"


def render(doc: Document) -> bytes:
    """The .docx file as bytes (for a download response or for masking)."""
    word = docx.Document()
    _prepare(word)
    _write_title(word, doc.title)
    _write_recipients(word, doc.recipients)
    _write_blocks(word, doc.blocks)
    _write_attachments(word, doc.attachments)
    _write_signature(word, doc.signoff, doc.date)
    _set_core_properties(word, doc)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def render_to(doc: Document, path: str | Path) -> Path:
    """Write the .docx to a file (e.g. before converting it to PDF) and return its path; the file is
    there whole or not at all, even if the process is killed while writing."""
    return write_atomic(path, render(doc))


# --- page, styles and footers ---------------------------------------------------------------


def _prepare(word: DocxDocument) -> None:
    _set_default_fonts(word)
    _set_page(word.sections[0])
    word.settings.odd_and_even_pages_header_footer = True
    _write_page_numbers(word.sections[0])


def _set_default_fonts(word: DocxDocument) -> None:
    """Body font, size and line grid as defaults, for anything typed into the file later."""
    styles = word.styles.element
    r_pr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    ooxml.set_font_attributes(r_pr.find(qn("w:rFonts")), layout.BODY_FONT)
    half_points = str(layout.pt_to_half_points(layout.BODY_SIZE_PT))
    r_pr.find(qn("w:sz")).set(qn("w:val"), half_points)
    r_pr.find(qn("w:szCs")).set(qn("w:val"), half_points)
    r_pr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    default_p_pr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    ooxml.fill_spacing(default_p_pr.find(qn("w:spacing")), line=str(layout.LINE_PITCH), rule="exact")

    normal = word.styles["Normal"]
    normal.font.name = layout.LATIN_FONT
    normal.font.size = Pt(layout.BODY_SIZE_PT)
    ooxml.set_font_attributes(normal.element.get_or_add_rPr().get_or_add_rFonts(), layout.BODY_FONT)
    p_pr = normal.element.get_or_add_pPr()
    # Widow control would move single lines to the next page and break the 22-lines grid.
    p_pr.get_or_add_widowControl().set(qn("w:val"), "0")
    ooxml.fill_spacing(p_pr.get_or_add_spacing(), line=str(layout.LINE_PITCH), rule="exact")


def _set_page(section: Section) -> None:
    section.page_width = Twips(layout.PAGE_WIDTH)
    section.page_height = Twips(layout.PAGE_HEIGHT)
    section.top_margin = Twips(layout.mm_to_twips(layout.MARGIN_TOP_MM))
    section.bottom_margin = Twips(layout.mm_to_twips(layout.MARGIN_BOTTOM_MM))
    section.left_margin = Twips(layout.mm_to_twips(layout.MARGIN_LEFT_MM))
    section.right_margin = Twips(layout.mm_to_twips(layout.MARGIN_RIGHT_MM))
    section.header_distance = Twips(layout.mm_to_twips(layout.HEADER_DISTANCE_MM))
    section.footer_distance = Twips(layout.mm_to_twips(layout.FOOTER_DISTANCE_MM))
    section.gutter = Twips(0)
    doc_grid = section._sectPr.find(qn("w:docGrid"))
    if doc_grid is None:
        doc_grid = OxmlElement("w:docGrid")
        section._sectPr.append(doc_grid)
    doc_grid.set(qn("w:type"), "lines")
    doc_grid.set(qn("w:linePitch"), str(layout.LINE_PITCH))


def _write_page_numbers(section: Section) -> None:
    """ "— N —" in 4号 宋体: odd pages right-aligned, even pages left-aligned, one character in."""
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    _write_page_number(section.footer.paragraphs[0], odd=True)
    _write_page_number(section.even_page_footer.paragraphs[0], odd=False)


def _write_page_number(paragraph: DocxParagraph, *, odd: bool) -> None:
    font, size = layout.PAGE_NUMBER_FONT, layout.PAGE_NUMBER_SIZE_PT
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    ooxml.set_single_line_spacing(paragraph)
    if odd:
        ooxml.set_side_indents(paragraph, right=layout.PAGE_NUMBER_INDENT)
    else:
        ooxml.set_side_indents(paragraph, left=layout.PAGE_NUMBER_INDENT)
    ooxml.set_run_font(paragraph.add_run(f"{layout.PAGE_NUMBER_DASH} "), font, size)
    ooxml.append_page_field(paragraph, font, size)
    ooxml.set_run_font(paragraph.add_run(f" {layout.PAGE_NUMBER_DASH}"), font, size)


# --- body ----------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Drop control characters that XML cannot hold (they come in through pasted text)."""
    return _XML_ILLEGAL.sub("", text)


def _lines(text: str) -> list[str]:
    """Split on line breaks only (str.splitlines would also split on control characters)."""
    return _clean(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _body_paragraph(word: DocxDocument, alignment: WD_ALIGN_PARAGRAPH | None = None) -> DocxParagraph:
    paragraph = word.add_paragraph()
    ooxml.set_exact_line_spacing(paragraph)
    if alignment is not None:
        paragraph.alignment = alignment
    return paragraph


def _add_text(paragraph: DocxParagraph, text: str, font: str, size_pt: float, *, bold: bool = False) -> None:
    if text:
        ooxml.set_run_font(paragraph.add_run(_clean(text)), font, size_pt, bold=bold)


def _blank_line(word: DocxDocument) -> DocxParagraph:
    return _body_paragraph(word)


def _write_title(word: DocxDocument, title: str) -> None:
    """Centred 2号 小标宋, one paragraph per line of the title, then one blank line."""
    for line in _lines(title):
        paragraph = _body_paragraph(word, WD_ALIGN_PARAGRAPH.CENTER)
        # A 22 pt line would take two grid lines in LibreOffice; the exact spacing keeps it at one.
        ooxml.set_snap_to_grid(paragraph, False)
        _add_text(paragraph, line.strip(), layout.TITLE_FONT, layout.TITLE_SIZE_PT)
    _blank_line(word)


def _write_recipients(word: DocxDocument, recipients: str) -> None:
    """主送机关 flush left, ending with a full-width colon."""
    recipients = recipients.strip()
    if not recipients:
        return
    if not recipients.endswith(("：", ":")):
        recipients += "："
    paragraph = _body_paragraph(word, WD_ALIGN_PARAGRAPH.JUSTIFY)
    _add_text(paragraph, recipients, layout.BODY_FONT, layout.BODY_SIZE_PT)


class HeadingNumbers:
    """Counts headings per level; a heading restarts the numbering of every level below it."""

    def __init__(self) -> None:
        self._counts = [0, 0, 0, 0]

    def prefix(self, heading: Heading) -> str:
        """The numbering prefix for this heading ("" when unnumbered), advancing the counters."""
        level = heading.level
        self._counts[level:] = [0] * (4 - level)
        if not heading.numbered:
            return ""
        self._counts[level - 1] += 1
        return cn_ordinal_heading(level, self._counts[level - 1])


def _write_blocks(word: DocxDocument, blocks: list[Block]) -> None:
    numbers = HeadingNumbers()
    for block in blocks:
        if isinstance(block, Heading):
            _write_heading(word, block, numbers.prefix(block))
        elif isinstance(block, Paragraph):
            _write_paragraph(word, block)
        elif isinstance(block, Table):
            _write_table(word, block)
        else:
            raise TypeError(f"不支持的文档内容：{type(block).__name__}")


def _write_heading(word: DocxDocument, heading: Heading, prefix: str) -> None:
    paragraph = _body_paragraph(word, WD_ALIGN_PARAGRAPH.JUSTIFY)
    ooxml.set_first_line_indent(paragraph)
    ooxml.set_outline_level(paragraph, heading.level)
    if not heading.run_in:  # never a heading alone at the foot of a page (a run-in one is body text)
        paragraph.paragraph_format.keep_with_next = True
    _add_text(paragraph, prefix + heading.text, layout.HEADING_FONTS[heading.level], layout.BODY_SIZE_PT)
    _add_text(paragraph, heading.run_in, layout.BODY_FONT, layout.BODY_SIZE_PT)


def _write_paragraph(word: DocxDocument, block: Paragraph) -> None:
    for line in _lines(block.text):
        paragraph = _body_paragraph(word, WD_ALIGN_PARAGRAPH.JUSTIFY)
        ooxml.set_first_line_indent(paragraph)
        _add_text(paragraph, line, layout.BODY_FONT, layout.BODY_SIZE_PT)


def _column_widths(block: Table) -> list[int]:
    weights = block.widths or [1.0] * len(block.header)
    total = sum(weights)
    widths = [int(layout.TEXT_WIDTH * weight / total) for weight in weights]
    widths[-1] += layout.TEXT_WIDTH - sum(widths)
    return widths


def _write_table(word: DocxDocument, block: Table) -> None:
    """A bordered full-width table, header row bold and repeated on every page it spans."""
    table = word.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    ooxml.set_table_width(table, layout.TEXT_WIDTH)
    ooxml.set_table_borders(table)
    widths = _column_widths(block)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Twips(width)
    for row_index, (row, values) in enumerate(zip(table.rows, [block.header, *block.rows], strict=True)):
        is_header = row_index == 0
        ooxml.mark_row(row._tr, header=is_header)
        for cell, width, value in zip(row.cells, widths, values, strict=True):
            cell.width = Twips(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            ooxml.set_single_line_spacing(paragraph)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if is_header else WD_ALIGN_PARAGRAPH.LEFT
            _add_text(paragraph, str(value), layout.TABLE_FONT, block.font_size_pt, bold=is_header)


# --- 附件说明, 署名 and 成文日期 ------------------------------------------------------------


def text_width_chars(text: str) -> float:
    """Width in body characters: Hanzi and full-width marks count 1, digits and Latin letters ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


def _write_attachments(word: DocxDocument, attachments: list[str]) -> None:
    """ "附件：1．名称" after one blank line, two characters in; wrapped lines align with the name."""
    names = [name.strip().rstrip(_ATTACHMENT_TRAILING_PUNCTUATION) for name in attachments if name.strip()]
    if not names:
        return
    _blank_line(word)
    numbered = len(names) > 1
    for number, name in enumerate(names, start=1):
        lead = "附件：" if number == 1 else "\u3000" * 3
        label = f"{number}．" if numbered else ""
        paragraph = _body_paragraph(word, WD_ALIGN_PARAGRAPH.JUSTIFY)
        hanging = round(text_width_chars(lead + label) * layout.CHAR_WIDTH)
        ooxml.set_side_indents(
            paragraph, left=layout.FIRST_LINE_CHARS * layout.CHAR_WIDTH + hanging, hanging=hanging
        )
        _add_text(paragraph, lead + label + name, layout.BODY_FONT, layout.BODY_SIZE_PT)


def signature_right_indents(signoff: str, date_text: str) -> tuple[float, float]:
    """Right indents (in characters) of the 署名 and the 成文日期 per GB/T 9704-2012 7.3.5.2.

    The 署名 stands 右空二字 and the date's first character two characters right of the 署名's
    first one; when the date is the longer of the two, the date stands 右空二字 and the 署名
    moves left instead. A date without 署名 stands 右空四字.
    """
    if not signoff:
        return 0.0, float(layout.DATE_ALONE_RIGHT_CHARS)
    signoff_width, date_width = text_width_chars(signoff), text_width_chars(date_text)
    # Distances from the right margin to each line's first character must differ by DATE_SHIFT_CHARS.
    if date_width > signoff_width:
        date_right = float(layout.SIGNOFF_RIGHT_CHARS)
        signoff_start = date_right + date_width + layout.DATE_SHIFT_CHARS
        return signoff_start - signoff_width, date_right
    signoff_right = float(layout.SIGNOFF_RIGHT_CHARS)
    date_start = signoff_right + signoff_width - layout.DATE_SHIFT_CHARS
    return signoff_right, date_start - date_width


def _write_signature(word: DocxDocument, signoff: str, date: datetime.date | None) -> None:
    signoff = signoff.strip()
    date_text = cn_date(date) if date else ""
    if not signoff and not date_text:
        return
    _keep_last_body_paragraph_with_next(word)
    _blank_line(word).paragraph_format.keep_with_next = True
    signoff_right, date_right = signature_right_indents(signoff, date_text)
    lines = ((signoff, signoff_right, bool(date_text)), (date_text, date_right, False))
    for text, right_chars, keep_with_date in lines:
        if text:
            paragraph = _body_paragraph(word, WD_ALIGN_PARAGRAPH.RIGHT)
            ooxml.set_side_indents(paragraph, right=round(right_chars * layout.CHAR_WIDTH))
            _add_text(paragraph, text, layout.BODY_FONT, layout.BODY_SIZE_PT)
            if keep_with_date:  # python-docx writes an explicit keepNext="0" for False, so only set True
                paragraph.paragraph_format.keep_with_next = True


def _keep_last_body_paragraph_with_next(word: DocxDocument) -> None:
    """A page holding only the 署名 and 日期 is not allowed: the body's last line goes with them."""
    last = word.element.body[-2] if len(word.element.body) > 1 else None  # [-1] is the sectPr
    if last is not None and last.tag == qn("w:p"):
        word.paragraphs[-1].paragraph_format.keep_with_next = True


# --- properties ----------------------------------------------------------------------------


def _set_core_properties(word: DocxDocument, doc: Document) -> None:
    """Replace python-docx's template properties so nothing but ours ends up in the file."""
    properties = doc.properties or Properties()
    created = properties.created or datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    core = word.core_properties
    core.title = properties.title or "".join(line.strip() for line in _lines(doc.title))
    core.author = properties.author
    core.last_modified_by = properties.author
    core.subject = properties.subject
    core.comments = properties.comments
    core.keywords = properties.keywords
    core.category = ""
    core.created = created
    core.modified = created
    core.revision = 1
