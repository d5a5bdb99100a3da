"""Reading user spreadsheets: find the header row, map synonyms, parse cells, collect row errors.

Pure helpers with no Django: each importer declares its columns and turns rows into values; errors
carry the row number Excel shows and the header the user wrote.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from openpyxl import load_workbook

from lvze.lib import filetypes


@dataclass(frozen=True)
class Column:
    key: str
    headers: tuple[str, ...]
    required: bool = False


@dataclass
class RowError:
    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        col = f"“{self.column}”列" if self.column else ""
        return f"{where}{col}：{self.message}"


@dataclass
class SheetRow:
    number: int
    values: dict[str, object]


@dataclass
class Sheet:
    header_row: int
    columns: dict[str, str]  # key -> the header text as written
    rows: list[SheetRow] = field(default_factory=list)


class SheetError(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def normalise_header(text: object) -> str:
    return re.sub(r"[\s\u3000*＊]", "", str(text or ""))


def find_header(rows: list[tuple], columns: list[Column], scan: int = 10) -> tuple[int, dict[str, int]]:
    """The first of the top rows that names every required column; returns (index, key -> position)."""
    required = [c for c in columns if c.required]
    for index, row in enumerate(rows[:scan]):
        cells = [normalise_header(v) for v in row]
        positions: dict[str, int] = {}
        for column in columns:
            for pos, cell in enumerate(cells):
                if cell in column.headers:
                    positions[column.key] = pos
                    break
        if all(c.key in positions for c in required):
            return index, positions
    missing = "、".join(c.headers[0] for c in required)
    raise SheetError([RowError(None, None, f"找不到表头行：前{scan}行中没有同时包含 {missing} 的一行")])


def open_workbook(data: bytes, read_only: bool = False):
    """An .xlsx workbook, refused whole (SheetError) when the content is not one — whatever the file
    is called — or would unpack beyond the limits (a zip bomb), before openpyxl reads it."""
    try:
        kind = filetypes.detect(data)
    except filetypes.FileRefused as exc:
        raise SheetError([RowError(None, None, str(exc))]) from exc
    if kind != "xlsx":
        found = filetypes.KIND_NAMES.get(kind, "无法识别的内容") if kind else "无法识别的内容"
        raise SheetError([RowError(None, None, f"请上传 .xlsx 格式的 Excel 文件（该文件的内容是{found}）")])
    try:
        return load_workbook(io.BytesIO(data), read_only=read_only, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise SheetError(
            [RowError(None, None, f"无法读取文件，请上传 .xlsx 格式的 Excel 文件（{type(exc).__name__}）")]
        ) from exc


def read_sheet(data: bytes, columns: list[Column]) -> Sheet:
    workbook = open_workbook(data, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    header_index, positions = find_header(rows, columns)
    headers = rows[header_index]
    sheet = Sheet(header_row=header_index + 1, columns={k: str(headers[p]).strip() for k, p in positions.items()})
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        values = {k: clean(row[p]) if p < len(row) else None for k, p in positions.items()}
        if any(v not in (None, "") for v in values.values()):
            sheet.rows.append(SheetRow(offset, values))
    return sheet


def clean(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
MONTH_PATTERN = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")


def parse_date(value: object, *, allow_month: bool = False) -> dt.date:
    """A cell as a date: Excel dates, 2023-06-30, 2023.6.30, 2023年6月30日, 20230630 (and 2023.6 for months)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return checked_date(int(match[1]), int(match[2]), int(match[3]), text)
    match = MONTH_PATTERN.match(text)
    if allow_month and match:
        return checked_date(int(match[1]), int(match[2]), 1, text)
    raise ValueError(f"“{text}”不是有效日期，请写成 2023-06-30 或 2023年6月30日")


def checked_date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"“{text}”不是存在的日期") from exc


def split_names(value: object) -> list[str]:
    """Several units in one cell: "办公室、人事教育股" or separated by commas, semicolons or spaces."""
    return [p for p in re.split(r"[、,，;；/\s]+", str(value or "")) if p]


def iter_errors(errors: list[RowError]) -> Iterator[str]:
    for error in errors:
        yield str(error)


# Tables as people draw them: a title row, two-level merged headers, category rows spanning the table,
# cells merged down over several rows. `read_table` undoes the merges so each row reads on its own.

NOTE_IN_BRACKETS = re.compile(r"[(（][^)）]*[)）]")


def header_key(cell: object, columns: list[Column]) -> str | None:
    """The column a header cell names, by synonym; "牵头单位（部门）" also names 牵头单位."""
    text = normalise_header(cell)
    for candidate in (text, NOTE_IN_BRACKETS.sub("", text)):
        for column in columns:
            if candidate and candidate in column.headers:
                return column.key
    return None


@dataclass
class TableRow:
    number: int
    values: dict[str, object]  # by column key, with merges down several rows filled in
    cells: list[object]  # every cell of the row as written (merged cells empty but the first)
    spanning: object = None  # the text of a merged cell spanning most of the table (a category row)

    def is_blank(self) -> bool:
        return all(v in (None, "") for v in self.cells) and self.spanning in (None, "")


@dataclass
class Table:
    header_rows: tuple[int, int]  # first and last header row as Excel numbers
    columns: dict[str, str]  # key -> the header text as written
    positions: dict[str, int]  # key -> zero-based column index
    rows: list[TableRow]
    preamble: list[str]  # texts above the header (the title row)


def load_grid(data: bytes) -> tuple[list[list[object]], list]:
    workbook = open_workbook(data)
    sheet = workbook.worksheets[0]
    grid = [[clean(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    while grid and all(v is None for v in grid[-1]):
        grid.pop()
    return grid, list(sheet.merged_cells.ranges)


def fill_merge(grid: list[list[object]], merge, last_row: int | None = None) -> None:
    """Copy a merged range's value into every cell it covers (zero-based grid, 1-based range)."""
    value = cell_at(grid, merge.min_row - 1, merge.min_col - 1)
    for r in range(merge.min_row - 1, min(merge.max_row, last_row or merge.max_row, len(grid))):
        row = grid[r]
        for c in range(merge.min_col - 1, merge.max_col):
            if c < len(row):
                row[c] = value


def cell_at(grid: list[list[object]], r: int, c: int) -> object:
    return grid[r][c] if r < len(grid) and c < len(grid[r]) else None


def match_row(row: list[object], columns: list[Column]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for pos, cell in enumerate(row):
        key = header_key(cell, columns)
        if key and key not in positions:
            positions[key] = pos
    return positions


def find_header_rows(
    grid: list[list[object]], columns: list[Column], scan: int = 10
) -> tuple[int, int, dict[str, int]]:
    """The header: one row, or two where the second names columns under a merged group ("责任分工" over
    牵头单位/配合单位/责任领导). Returns zero-based (first, last, key -> position)."""
    required = {c.key for c in columns if c.required}
    for index in range(min(scan, len(grid))):
        upper = match_row(grid[index], columns)
        lower: dict[str, int] = {}
        if index + 1 < len(grid):
            below = grid[index + 1]
            lower = {
                k: p for k, p in match_row(below, columns).items() if cell_at(grid, index, p) != below[p]
            }
        if upper and lower and required <= set(upper) | set(lower):
            return index, index + 1, {**upper, **lower}
        if required <= set(upper):
            return index, index, upper
    missing = "、".join(c.headers[0] for c in columns if c.required)
    raise SheetError([RowError(None, None, f"找不到表头行：前{scan}行中没有同时包含 {missing} 的一行")])


def spanning_cells(merges: list, first_data: int, width: int) -> dict[int, object]:
    """Zero-based row -> merged range covering at least half the table's width from that row."""
    return {
        m.min_row - 1: m
        for m in merges
        if m.min_row - 1 >= first_data and m.max_col - m.min_col + 1 >= max(3, (width + 1) // 2)
    }


def read_table(data: bytes, columns: list[Column], scan: int = 10) -> Table:
    """Read the first sheet of a decomposition-style table; see `TableRow` for what each row holds."""
    grid, merges = load_grid(data)
    head = [list(row) for row in grid[: scan + 1]]
    for merge in merges:
        if merge.min_row <= scan + 1:
            fill_merge(head, merge)
    first, last, positions = find_header_rows(head, columns, scan)
    header_cells = [
        head[last][p] if head[last][p] is not None else head[first][p] for p in range(len(head[last]))
    ]
    width = sum(v is not None for v in header_cells)
    spans = spanning_cells(merges, last + 1, width)
    for merge in merges:
        if merge.min_row - 1 > last and merge.min_row - 1 not in spans:
            fill_merge(grid, merge)
    table = Table(
        header_rows=(first + 1, last + 1),
        columns={k: re.sub(r"\s+", "", str(header_cells[p])) for k, p in positions.items()},
        positions=positions,
        rows=[],
        preamble=[str(v) for row in grid[:first] for v in row if v not in (None, "")],
    )
    for index in range(last + 1, len(grid)):
        cells = grid[index]
        span = spans.get(index)
        table.rows.append(
            TableRow(
                number=index + 1,
                values={k: cells[p] if p < len(cells) else None for k, p in positions.items()},
                cells=cells,
                spanning=cell_at(grid, index, span.min_col - 1) if span else None,
            )
        )
    return table
