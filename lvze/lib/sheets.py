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


def read_sheet(data: bytes, columns: list[Column]) -> Sheet:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a non-xlsx file
        raise SheetError([RowError(None, None, f"无法读取文件，请上传 .xlsx 格式的 Excel 文件（{type(exc).__name__}）")]) from exc
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
