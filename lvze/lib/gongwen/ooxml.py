"""Small WordprocessingML edits that python-docx has no API for.

Each helper sets one property exactly as the layout tests read it back, so the XML stays the
single source of truth (Word, WPS and LibreOffice all honour these elements).
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from lvze.lib.gongwen import layout

# Children of w:pPr that must follow w:snapToGrid (schema order).
_AFTER_SNAP_TO_GRID = (
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
# Children of w:rPr that must follow w:szCs.
_AFTER_SZ_CS = (
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
# Children of w:tblPr that must follow w:tblBorders.
_AFTER_TBL_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")


def set_run_font(run: Run, east_asia: str, size_pt: float, *, bold: bool = False) -> None:
    """Give a run its Chinese font through w:eastAsia; Word ignores a plain font name for Hanzi."""
    run.font.name = layout.LATIN_FONT
    run.font.size = Pt(size_pt)
    run.font.bold = bold or None
    r_pr = run._r.get_or_add_rPr()
    set_font_attributes(r_pr.get_or_add_rFonts(), east_asia)
    _set_complex_script_size(r_pr, size_pt)


def _set_complex_script_size(r_pr: OxmlElement, size_pt: float) -> None:
    """w:szCs alongside w:sz, so the size holds whichever script class Word assigns a character."""
    sz_cs = r_pr.find(qn("w:szCs"))
    if sz_cs is None:
        sz_cs = OxmlElement("w:szCs")
        r_pr.insert_element_before(sz_cs, *_AFTER_SZ_CS)
    sz_cs.set(qn("w:val"), str(layout.pt_to_half_points(size_pt)))


def set_font_attributes(r_fonts: OxmlElement, east_asia: str) -> None:
    """Fill a w:rFonts: Latin text and digits in Times New Roman, Chinese in `east_asia`.

    The hint makes Word use the East Asian font for shared punctuation such as “ ” and —.
    """
    for theme_attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        r_fonts.attrib.pop(qn(theme_attribute), None)
    r_fonts.set(qn("w:ascii"), layout.LATIN_FONT)
    r_fonts.set(qn("w:hAnsi"), layout.LATIN_FONT)
    r_fonts.set(qn("w:cs"), layout.LATIN_FONT)
    r_fonts.set(qn("w:eastAsia"), east_asia)
    r_fonts.set(qn("w:hint"), "eastAsia")


def set_exact_line_spacing(paragraph: DocxParagraph, line_twips: int = layout.LINE_PITCH) -> None:
    """Exact line height and no space around the paragraph, so every line sits on the 22-line grid."""
    _set_spacing(paragraph, line=str(line_twips), rule="exact")


def set_single_line_spacing(paragraph: DocxParagraph) -> None:
    """Single spacing that does not snap to the document grid (table cells, footers)."""
    _set_spacing(paragraph, line="240", rule="auto")
    set_snap_to_grid(paragraph, False)


def _set_spacing(paragraph: DocxParagraph, *, line: str, rule: str) -> None:
    fill_spacing(paragraph._p.get_or_add_pPr().get_or_add_spacing(), line=line, rule=rule)


def fill_spacing(spacing: OxmlElement, *, line: str, rule: str) -> None:
    """Set a w:spacing element: the given line height and no space before or after."""
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), line)
    spacing.set(qn("w:lineRule"), rule)


def set_snap_to_grid(paragraph: DocxParagraph, snap: bool) -> None:
    """Off where a line must not be stretched to the 28.95 pt grid (title, tables, footers)."""
    p_pr = paragraph._p.get_or_add_pPr()
    element = p_pr.find(qn("w:snapToGrid"))
    if element is None:
        element = OxmlElement("w:snapToGrid")
        p_pr.insert_element_before(element, *_AFTER_SNAP_TO_GRID)
    element.set(qn("w:val"), "1" if snap else "0")


def set_first_line_indent(paragraph: DocxParagraph, chars: int = layout.FIRST_LINE_CHARS) -> None:
    """Indent the first line by whole characters; firstLineChars keeps it right if the font size changes."""
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(chars * layout.CHAR_WIDTH))


def set_side_indents(paragraph: DocxParagraph, *, left: int = 0, right: int = 0, hanging: int = 0) -> None:
    """Left/right indents and a hanging first line, in twips."""
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    for name, value in (("w:left", left), ("w:right", right), ("w:hanging", hanging)):
        if value:
            ind.set(qn(name), str(value))


def set_outline_level(paragraph: DocxParagraph, level: int) -> None:
    """Mark a heading for the navigation pane without using Word's coloured Heading styles."""
    paragraph._p.get_or_add_pPr().get_or_add_outlineLvl().set(qn("w:val"), str(level - 1))


def append_page_field(paragraph: DocxParagraph, font: str, size_pt: float) -> None:
    """A PAGE field (begin / instruction / separate / cached result / end), every run with its font."""
    parts: list[tuple[str, str | None]] = [
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ]
    for kind, text in parts:
        run = paragraph.add_run(text if kind == "text" else None)
        set_run_font(run, font, size_pt)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind != "text":
            fld_char = OxmlElement("w:fldChar")
            fld_char.set(qn("w:fldCharType"), kind)
            run._r.append(fld_char)


def set_table_borders(table: DocxTable, size_eighths: int = 4) -> None:
    """Single black borders on every edge and between all cells."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{edge}")
        border.set(qn("w:val"), "single")
        border.set(qn("w:sz"), str(size_eighths))
        border.set(qn("w:space"), "0")
        border.set(qn("w:color"), "000000")
        borders.append(border)
    tbl_pr.insert_element_before(borders, *_AFTER_TBL_BORDERS)


def set_table_width(table: DocxTable, width_twips: int) -> None:
    """A fixed width in twips; Word would otherwise size the table to its contents."""
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        table._tbl.tblPr.insert_element_before(tbl_w, "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders")
    tbl_w.set(qn("w:w"), str(width_twips))
    tbl_w.set(qn("w:type"), "dxa")


def mark_row(row_tr: OxmlElement, *, header: bool) -> None:
    """Keep each row on one page; a header row is repeated at the top of every page."""
    tr_pr = row_tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))
