"""The 工会经费收支台账 as Excel: every entry of the year with its approval state, and the monthly
summary (approved amounts only) with the running balance — the same figures as the ledger page."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lvze.orgs.models import Organization
from lvze.upward.approval_selectors import union_entries, union_ledger
from lvze.upward.models import ApprovalState

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BODY = Font(name="宋体", size=11)
BOLD = Font(name="宋体", size=11, bold=True)
TITLE = Font(name="宋体", size=16, bold=True)
FILL = PatternFill("solid", fgColor="D9D9D9")
MONEY = "#,##0.00"

ENTRY_COLUMNS = [("序号", 6), ("日期", 12), ("月份", 10), ("收支类型", 9), ("科目", 14), ("摘要", 36),
                 ("金额（元）", 14), ("经办部门", 16), ("经办人", 12), ("审批状态", 10), ("当前环节", 14)]
MONTH_COLUMNS = [("月份", 12), ("收入", 14), ("支出", 14), ("上缴", 14), ("月末余额", 14), ("按月上缴", 10)]


def write_table(ws: Worksheet, title: str, columns: list[tuple[str, int]], rows: list[list], money: set[int]) -> None:
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws.cell(1, 1).font = TITLE
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append([name for name, _width in columns])
    for index, (_name, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
        cell = ws.cell(2, index)
        cell.font, cell.fill, cell.border = BOLD, FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for row in rows:
        ws.append(row)
        for index in range(1, len(columns) + 1):
            cell = ws.cell(ws.max_row, index)
            cell.font, cell.border = BODY, BORDER
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            if index - 1 in money:
                cell.number_format = MONEY
    ws.freeze_panes = "A3"


def union_export_xlsx(unit: Organization, year: int, today: date) -> bytes:
    workbook = Workbook()
    entries_sheet = workbook.active
    entries_sheet.title = "收支明细"
    rows = []
    for seq, entry in enumerate(union_entries(unit, year).order_by("occurred_on", "id"), start=1):
        approval = entry.approval
        rows.append([
            seq,
            entry.occurred_on,
            entry.month,
            entry.get_kind_display(),
            entry.category,
            approval.title,
            approval.amount,
            approval.organization.name,
            str(approval.requested_by),
            approval.get_state_display(),
            approval.current_label if approval.state == ApprovalState.PENDING else "",
        ])
    write_table(entries_sheet, f"{unit.name}{year}年工会经费收支明细", ENTRY_COLUMNS, rows, {6})
    for row in range(3, entries_sheet.max_row + 1):
        entries_sheet.cell(row, 2).number_format = "yyyy-mm-dd"

    ledger = union_ledger(unit, year, today)
    months_sheet = workbook.create_sheet("月度汇总")
    month_rows = [["上年结余", "", "", "", ledger.opening, ""]]
    for month in ledger.months:
        remitted = "已上缴" if month.remitted else "上缴审批中" if month.remit_pending else "未上缴" if month.past else ""
        month_rows.append([month.month.label(), month.income, month.expense, month.remit, month.balance, remitted])
    totals = ledger.totals
    month_rows.append(["合计", totals["income"], totals["expense"], totals["remit"], ledger.closing, ""])
    write_table(months_sheet, f"{unit.name}{year}年工会经费收支月度汇总（仅计审批通过）", MONTH_COLUMNS, month_rows, {1, 2, 3, 4})

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
