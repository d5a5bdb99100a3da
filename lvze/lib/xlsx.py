"""The one writer of 台账 workbooks: a title row, one header row, then a row per record.

What people expect when they open a ledger in Excel or WPS: the title merged over the table, a bold
shaded header that stays in view (frozen) and repeats on every printed page, readable column widths,
long texts wrapped, thin borders round every cell, dates as dates, an optional 合计 row, A4 landscape
fitted to the page width. The layout is the one the 台账 importers read, so an export can be edited
and imported again.

Written in openpyxl's streaming (write-only) mode: memory stays flat however many rows there are.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(name="宋体", size=16, bold=True)
HEADER_FONT = Font(name="宋体", size=11, bold=True)
BODY_FONT = Font(name="宋体", size=11)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(horizontal="left", vertical="center", wrap_text=True)
PLAIN = Alignment(vertical="center")
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class Col:
    """A column: its header, width in characters, and whether long text wraps (left aligned)."""

    title: str
    width: float = 12
    wrap: bool = False


def column(spec: Col | str) -> Col:
    return spec if isinstance(spec, Col) else Col(spec)


def styled(ws, value, *, font=BODY_FONT, alignment=CENTRE, fill=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.font, cell.alignment, cell.border = font, alignment, BORDER
    if fill is not None:
        cell.fill = fill
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Decimal):
        cell.number_format = MONEY_FORMAT
    return cell


def write_table(
    title: str,
    columns: Sequence[Col | str],
    rows: Iterable[Sequence[object]],
    *,
    total: Sequence[object] | None = None,
    note: str = "",
    sheet_title: str = "",
) -> bytes:
    """The workbook as .xlsx bytes. `rows` may be a generator; `note` goes in a last, unbordered row."""
    cols = [column(c) for c in columns]
    width = len(cols)
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(safe_sheet_title(sheet_title or title))
    for index, col in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(index)].width = col.width
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.merged_cells.add(f"A1:{get_column_letter(width)}1")

    ws.append([styled(ws, title, font=TITLE_FONT, alignment=CENTRE)] + [styled(ws, None) for _ in cols[1:]])
    ws.append([styled(ws, c.title, font=HEADER_FONT, fill=HEADER_FILL) for c in cols])
    for row in rows:
        ws.append([styled(ws, value, alignment=WRAP if c.wrap else CENTRE) for c, value in zip(cols, row, strict=True)])
    if total is not None:
        ws.append([styled(ws, value, font=HEADER_FONT, fill=TOTAL_FILL) for value in total])
    if note:
        cell = WriteOnlyCell(ws, value=note)
        cell.font, cell.alignment = BODY_FONT, PLAIN
        ws.append([cell])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def safe_sheet_title(text: str) -> str:
    """Excel refuses []:*?/\\ in a sheet name and more than 31 characters."""
    for char in "[]:*?/\\":
        text = text.replace(char, "")
    return text[:31] or "Sheet1"
