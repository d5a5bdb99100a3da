"""Audit events as CSV (UTF-8 with BOM, so Excel reads the Chinese) and .xlsx, streamed in batches.

Cells are written as text, never as formulas: failed-login user names and paths are typed by anyone,
and a value such as `=HYPERLINK(...)` must stay a string (CSV/formula injection).
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from lvze.audit.models import ACTION_LABELS, AuditEvent

HEADER = ["序号", "时间", "操作人", "操作", "操作说明", "对象类型", "对象ID", "对象", "组织", "IP", "变更内容", "前序哈希", "哈希"]
XLSX_MAX_ROWS = 1_000_000  # an .xlsx sheet holds 1,048,576 rows; CSV has no limit
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def row_of(event: AuditEvent) -> list:
    return [
        event.seq,
        timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
        event.actor_name or "系统",
        event.action,
        ACTION_LABELS.get(event.action, ""),
        event.object_type,
        event.object_id,
        event.object_repr,
        event.organization.name if event.organization_id else "",
        event.ip,
        json.dumps(event.changes, ensure_ascii=False) if event.changes else "",
        event.prev_hash,
        event.hash,
    ]


def rows(events: QuerySet[AuditEvent]) -> Iterator[list]:
    for event in events.select_related("organization").iterator(chunk_size=2000):
        yield row_of(event)


def csv_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(events: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow(HEADER)
    for row in rows(events):
        yield writer.writerow([csv_safe(v) for v in row])


def xlsx_file(events: QuerySet[AuditEvent]) -> tempfile.SpooledTemporaryFile:
    """A write-only workbook (constant memory) in a temporary file, rewound for reading."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("审计日志")
    sheet.append(HEADER)
    for row in rows(events[:XLSX_MAX_ROWS]):
        sheet.append(text_cells(sheet, row))
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115  (FileResponse closes it)
    book.save(out)
    out.seek(0)
    return out


def text_cells(sheet, row: Iterable) -> list:
    cells = []
    for value in row:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and value:
            cell.data_type = "s"  # never "f": a leading "=" stays text
        cells.append(cell)
    return cells
