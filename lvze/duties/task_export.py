"""Export of a plan's 分解表 in the layout it is imported from (title row, two-level header, category rows,
tasks), with 状态 and 时效 columns, ready to open in Excel or WPS. Re-importing it changes nothing."""

from __future__ import annotations

import io
from datetime import date

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lvze.duties.models import Plan, Status, Task, Timeliness, WorkItem
from lvze.duties.plan_selectors import plan_tasks_by_category
from lvze.orgs.models import Organization, OrgKind

# (header, sub-header under 责任分工, width)
COLUMNS = [
    ("序号", None, 6),
    ("重点任务", None, 28),
    ("具体措施", None, 40),
    ("责任分工", "牵头单位", 18),
    ("责任分工", "配合单位", 18),
    ("责任分工", "责任领导", 14),
    ("完成时限", None, 14),
    ("工作板块", None, 11),
    ("状态", None, 14),
    ("时效", None, 16),
]
WIDTH = len(COLUMNS)
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
BODY = Font(name="宋体", size=11)
BOLD = Font(name="宋体", size=11, bold=True)
TITLE = Font(name="宋体", size=16, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
CATEGORY_FILL = PatternFill("solid", fgColor="F2F2F2")
COLLECTIVE_NAMES = ((OrgKind.BRANCH, "各党支部"), (OrgKind.DEPARTMENT, "各股室"))


def export_title(plan: Plan) -> str:
    return plan.name if "分解表" in plan.name else f"《{plan.name}》重点任务分解表"


class UnitNames:
    """Writes a set of organisations as the file would: 各党支部 / 各股室 when it covers all of them."""

    def __init__(self, unit: Organization):
        orgs = Organization.objects.filter(path__startswith=unit.path, unit_id=unit.unit_id, active=True)
        self.collectives = [(name, {o.pk for o in orgs if o.kind == kind}) for kind, name in COLLECTIVE_NAMES]

    def text(self, orgs: list[Organization]) -> str:
        ids = {o.pk for o in orgs}
        parts, covered = [], set()
        for name, members in self.collectives:
            if len(members) > 1 and members <= ids:
                parts.append(name)
                covered |= members
        parts += [o.name for o in sorted(orgs, key=lambda o: o.path) if o.pk not in covered]
        return "、".join(parts)


def summary(items: list[WorkItem], attr: str, labels) -> str:
    counts: dict[str, int] = {}
    for item in items:
        label = str(labels(getattr(item, attr)).label)
        counts[label] = counts.get(label, 0) + 1
    if len(items) == 1:
        return next(iter(counts))
    return "；".join(f"{label}{n}" for label, n in counts.items())


def task_cells(seq: int, task: Task, names: UnitNames) -> list[object]:
    items = getattr(task, "visible", [])
    return [
        seq,
        task.title,
        task.measures or None,
        names.text(list(task.lead_orgs.all())),
        names.text(list(task.cooperating_orgs.all())) or None,
        task.leader_text or None,
        task.deadline_text or None,
        task.work_area.name if task.work_area_id else None,
        summary(items, "status", Status) if items else None,
        summary(items, "timeliness", Timeliness) if items else None,
    ]


def write_header(ws: Worksheet, title: str) -> None:
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=WIDTH)
    ws["A1"].font = TITLE
    ws["A1"].alignment = CENTRE
    ws.row_dimensions[1].height = 36
    ws.append([top for top, _sub, _w in COLUMNS])
    ws.append([sub for _top, sub, _w in COLUMNS])
    for index, (_top, sub, width) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = width
        if sub is None:
            ws.merge_cells(f"{letter}2:{letter}3")
    group = [i for i, (_t, sub, _w) in enumerate(COLUMNS, start=1) if sub]
    ws.merge_cells(start_row=2, start_column=group[0], end_row=2, end_column=group[-1])
    for row in ws.iter_rows(min_row=2, max_row=3, max_col=WIDTH):
        for cell in row:
            cell.font, cell.alignment, cell.border, cell.fill = BOLD, CENTRE, BORDER, HEADER_FILL
    ws.freeze_panes = "A4"
    ws.print_title_rows = "2:3"


def write_category(ws: Worksheet, text: str) -> None:
    ws.append([text])
    row = ws.max_row
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=WIDTH)
    for cell in ws[row][:WIDTH]:
        cell.border, cell.fill = BORDER, CATEGORY_FILL
    ws.cell(row, 1).font = BOLD
    ws.cell(row, 1).alignment = WRAP


def write_task(ws: Worksheet, cells: list[object]) -> None:
    ws.append(cells)
    for index, cell in enumerate(ws[ws.max_row][:WIDTH], start=1):
        cell.font, cell.border = BODY, BORDER
        cell.alignment = WRAP if index in (2, 3) else CENTRE


def plan_export_xlsx(plan: Plan, as_of: date, items: QuerySet[WorkItem] | None = None) -> bytes:
    """The plan's 分解表 as .xlsx bytes; 状态/时效 summarise its items among `items` (the reader's; all when
    None) as of `as_of`."""
    groups = plan_tasks_by_category(plan, as_of, items)
    wb = Workbook()
    ws = wb.active
    ws.title = "重点任务分解表"
    write_header(ws, export_title(plan))
    names = UnitNames(plan.unit)
    seq = 0
    for category, tasks in groups:
        if category:
            write_category(ws, category)
        for task in tasks:
            seq += 1
            write_task(ws, task_cells(seq, task, names))
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
