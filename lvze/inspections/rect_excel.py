"""整改台账 as Excel: export in the usual columns, and `lvze import rectifications` under the import contract.

Columns: 序号, 问题来源, 问题描述, 整改措施, 责任单位, 责任人, 整改时限, 整改进展, 销号情况. The export
writes 问题来源 as "检查发现（2023年第二季度支部工作检查）" and 销号情况 as "已销号（2023-08-20）", and the
importer reads exactly that back, so exporting and re-importing a ledger changes nothing.

Import identity: source + problem + responsible unit. A file is refused whole, with the row numbers
Excel shows, or applied in one transaction with one audit event.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from lvze.audit.services import audit_record
from lvze.duties.models import DEFAULT_WARN_DAYS, Status, WorkItemEvent
from lvze.duties.plan_services import people_in
from lvze.inspections.models import (
    Rectification,
    RectificationEvent,
    RectificationSource,
    RectificationState,
    SupervisionType,
)
from lvze.inspections.rectifications import event, identity_of, rectification_create, source_detail
from lvze.inspections.selectors import rectification_state, state_annotation
from lvze.inspections.services import within_unit
from lvze.lib.periods import Period
from lvze.lib.sheets import Column, RowError, SheetError, parse_date, read_sheet
from lvze.orgs.importing import OrgResolver
from lvze.orgs.models import Organization, OrgKind, Person

HEADERS = ["序号", "问题来源", "问题描述", "整改措施", "责任单位", "责任人", "整改时限", "整改进展", "销号情况"]
WIDTHS = [6, 22, 40, 36, 16, 10, 13, 30, 18]

COLUMNS = [
    Column("source", ("问题来源", "来源")),
    Column("problem", ("问题描述", "存在问题", "问题", "问题表现"), required=True),
    Column("measures", ("整改措施", "措施")),
    Column("org", ("责任单位", "责任部门", "整改单位"), required=True),
    Column("person", ("责任人", "整改责任人")),
    Column("deadline", ("整改时限", "完成时限", "时限")),
    Column("progress", ("整改进展", "进展情况", "整改情况")),
    Column("state", ("销号情况", "整改状态", "状态")),
    Column("closed_on", ("销号日期", "销号时间")),
]
REQUIRED_CELLS = {"source": "问题来源", "problem": "问题描述", "org": "责任单位", "deadline": "整改时限"}

SOURCE_WORDS = {
    **{s.label: s.value for s in RectificationSource},
    "检查": RectificationSource.INSPECTION,
    "季度检查": RectificationSource.INSPECTION,
    "支部工作检查": RectificationSource.INSPECTION,
    "民主生活会问题清单": RectificationSource.LIFE_MEETING,
    "组织生活会问题清单": RectificationSource.ORG_LIFE,
    "述职评议会": RectificationSource.EVALUATION,
    "巡察反馈": RectificationSource.PATROL,
    "巡察反馈问题": RectificationSource.PATROL,
    "监督": RectificationSource.SUPERVISION,
    "监督检查": RectificationSource.SUPERVISION,
    "自查": RectificationSource.SELF,
    "自查发现": RectificationSource.SELF,
}
SUPERVISION_WORDS = {t.label: t.value for t in SupervisionType}
STATE_WORDS = {
    "整改中": RectificationState.IN_PROGRESS,
    "未整改": RectificationState.IN_PROGRESS,
    "正在整改": RectificationState.IN_PROGRESS,
    "已退回": RectificationState.IN_PROGRESS,
    "申请销号": RectificationState.REQUESTED,
    "已申请销号": RectificationState.REQUESTED,
    "验收通过": RectificationState.VERIFIED,
    "已整改": RectificationState.VERIFIED,
    "已完成": RectificationState.VERIFIED,
    "已销号": RectificationState.CLOSED,
    "销号": RectificationState.CLOSED,
}
DATE_IN_TEXT = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
BRACKETS = re.compile(r"^(?P<head>[^（(]+)[（(](?P<inner>.*)[）)]$")

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")


# --- export -----------------------------------------------------------------------------------


def source_cell(rect: Rectification) -> str:
    label = RectificationSource(rect.source).label
    detail = SupervisionType(rect.supervision_type).label if rect.supervision_type else rect.source_label
    return f"{label}（{detail}）" if detail else label


def state_cell(rect: Rectification) -> str:
    state = RectificationState(rect.state)
    if state == RectificationState.CLOSED:
        return f"{state.label}（{timezone.localdate(rect.closed_at):%Y-%m-%d}）"
    if state in (RectificationState.VERIFIED, RectificationState.REQUESTED) and rect.work_item.done_on:
        return f"{state.label}（{rect.work_item.done_on:%Y-%m-%d}）"
    if state == RectificationState.REQUESTED and rect.work_item.submitted_at:
        return f"{state.label}（{timezone.localdate(rect.work_item.submitted_at):%Y-%m-%d}）"
    return str(state.label)


def with_progress(rects: QuerySet[Rectification]) -> QuerySet[Rectification]:
    """Each row's latest progress note and its state, in the same query."""
    latest = RectificationEvent.objects.filter(
        rectification=OuterRef("pk"),
        action__in=[RectificationEvent.Action.PROGRESS, RectificationEvent.Action.REQUESTED],
    ).order_by("-at", "-id")
    return rects.annotate(progress=Subquery(latest.values("note")[:1]), state=state_annotation())


def export_xlsx(rects: QuerySet[Rectification], title: str) -> bytes:
    rows = with_progress(rects).select_related("responsible_org", "responsible_person", "work_item")
    wb = Workbook()
    ws = wb.active
    ws.title = "整改台账"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = CENTRE
    ws.row_dimensions[1].height = 36
    ws.append(HEADERS)
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for cell in ws[2]:
        cell.font = Font(name="宋体", size=11, bold=True)
        cell.alignment, cell.border = CENTRE, BORDER
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
    for seq, rect in enumerate(rows, start=1):
        ws.append(
            [
                seq,
                source_cell(rect),
                rect.problem,
                rect.measures or None,
                rect.responsible_org.name,
                rect.responsible_person.name if rect.responsible_person_id else None,
                rect.deadline.strftime("%Y-%m-%d"),
                rect.progress or None,
                state_cell(rect),
            ]
        )
        for index, cell in enumerate(ws[ws.max_row], start=1):
            cell.font = Font(name="宋体", size=11)
            cell.border = BORDER
            cell.alignment = WRAP if index in (3, 4, 8) else CENTRE
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- import -----------------------------------------------------------------------------------


@dataclass
class PlannedRect:
    row: int
    values: dict[str, Any]
    existing: Rectification | None
    changes: dict[str, list[Any]] = field(default_factory=dict)


@dataclass
class RectImportPlan:
    rows: list[PlannedRect]
    errors: list[RowError]
    applied: dict[str, int] | None = None

    def counts(self) -> dict[str, int]:
        if self.applied is not None:
            return self.applied
        return {
            "created": sum(r.existing is None for r in self.rows),
            "updated": sum(bool(r.existing and r.changes) for r in self.rows),
            "unchanged": sum(bool(r.existing and not r.changes) for r in self.rows),
        }


def parse_source(text: str) -> tuple[str, str, str]:
    """(source, source_label, supervision_type) from "检查发现（2023年第二季度支部工作检查）",
    "监督发现（纪检机构专责监督）", "巡察", "纪检机构专责监督" …"""
    text = re.sub(r"\s+", "", text)
    head, inner = text, ""
    match = BRACKETS.match(text)
    if match:
        head, inner = match["head"], match["inner"]
    if head in SUPERVISION_WORDS:
        return RectificationSource.SUPERVISION, "", SUPERVISION_WORDS[head]
    source = SOURCE_WORDS.get(head)
    if source is None:
        choices = "、".join(s.label for s in RectificationSource)
        raise ValueError(f"无法识别的问题来源“{text}”，应为{choices}，或“六位一体”监督类型")
    if source == RectificationSource.SUPERVISION:
        kind = SUPERVISION_WORDS.get(inner)
        if kind is None:
            raise ValueError("监督发现的问题须注明“六位一体”监督类型，如“监督发现（纪检机构专责监督）”")
        return source, "", kind
    return source, inner, ""


def parse_state(text: str, closed_on: object) -> tuple[str, date | None]:
    cell = re.sub(r"\s+", "", text)
    word = DATE_IN_TEXT.sub("", cell).strip("（）()，,于")
    state = next((value for key, value in STATE_WORDS.items() if word.startswith(key)), None)
    if state is None:
        raise ValueError(f"无法识别的销号情况“{text}”，应为整改中、申请销号、验收通过或已销号（可附日期）")
    if state == RectificationState.IN_PROGRESS:
        return state, None
    match = DATE_IN_TEXT.search(cell)
    if match:
        return state, parse_date(match[0])
    if closed_on not in (None, ""):
        return state, parse_date(closed_on)
    raise ValueError(f"“{text}”须注明日期，如“已销号（2023-08-20）”，或填写“销号日期”列")


class PersonResolver:
    def __init__(self, unit: Organization):
        self.by_name: dict[str, list[Person]] = {}
        for person in people_in([unit]).select_related("branch", "department"):
            self.by_name.setdefault(person.name, []).append(person)

    def resolve(self, name: str) -> Person:
        found = self.by_name.get(name, [])
        if len(found) == 1:
            return found[0]
        if found:
            where = "、".join((p.branch or p.department).name if (p.branch or p.department) else "未分配" for p in found)
            raise ValueError(f"本单位有{len(found)}人名为“{name}”（{where}），无法确定责任人")
        raise ValueError(f"本单位没有名为“{name}”的人员")


class RowReader:
    def __init__(self, root: Organization, unit: Organization, header: dict[str, str]):
        self.header = header
        self.unit = unit
        self.orgs = OrgResolver(root, tuple(OrgKind.values))
        self.codes = {o.code: o for o in Organization.objects.filter(path__startswith=root.path, active=True)}
        self.people = PersonResolver(unit)

    def column(self, key: str) -> str:
        return self.header.get(key) or REQUIRED_CELLS.get(key) or key

    def read(self, number: int, raw: dict[str, object], errors: list[RowError]) -> dict[str, Any] | None:
        before = len(errors)
        values: dict[str, Any] = {}

        def fail(key: str, message: str) -> None:
            errors.append(RowError(number, self.column(key), message))

        for key, label in REQUIRED_CELLS.items():
            if raw.get(key) in (None, ""):
                fail(key, f"{label}不能为空")
        if raw.get("source") not in (None, ""):
            try:
                values["source"], values["source_label"], values["supervision_type"] = parse_source(str(raw["source"]))
            except ValueError as exc:
                fail("source", str(exc))
        if raw.get("problem") not in (None, ""):
            values["problem"] = str(raw["problem"]).strip()
        if raw.get("org") not in (None, ""):
            name = str(raw["org"]).strip()
            try:
                org = self.codes.get(name) or self.orgs.resolve(name)
                if not within_unit(org, self.unit):
                    raise ValueError(f"“{name}”属于下级党委，不能列入本单位台账")
                values["responsible_org"] = org
            except ValueError as exc:
                fail("org", str(exc))
        values["responsible_person"] = None
        if raw.get("person") not in (None, ""):
            try:
                values["responsible_person"] = self.people.resolve(str(raw["person"]).strip())
            except ValueError as exc:
                fail("person", str(exc))
        if raw.get("deadline") not in (None, ""):
            try:
                values["deadline"] = parse_date(raw["deadline"])
            except ValueError as exc:
                fail("deadline", str(exc))
        values["measures"] = str(raw.get("measures") or "").strip()
        values["progress"] = str(raw.get("progress") or "").strip()
        try:
            values["state"], values["state_on"] = parse_state(str(raw.get("state") or "整改中"), raw.get("closed_on"))
        except ValueError as exc:
            fail("state", str(exc))
        return values if len(errors) == before else None


STATE_ORDER = [
    RectificationState.IN_PROGRESS,
    RectificationState.RETURNED,
    RectificationState.REQUESTED,
    RectificationState.VERIFIED,
    RectificationState.CLOSED,
]


def current_state(rect: Rectification) -> str:
    return rectification_state(rect).value


def latest_progress(rect: Rectification) -> str:
    note = (
        rect.events.filter(action__in=[RectificationEvent.Action.PROGRESS, RectificationEvent.Action.REQUESTED])
        .order_by("-at", "-id")
        .values_list("note", flat=True)
        .first()
    )
    return note or ""


def row_changes(rect: Rectification, values: dict[str, Any]) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for key in ("measures", "responsible_person", "deadline"):
        if getattr(rect, key) != values[key]:
            changes[key] = [str(getattr(rect, key) or ""), str(values[key] or "")]
    if values["progress"] and values["progress"] != latest_progress(rect):
        changes["progress"] = [latest_progress(rect), values["progress"]]
    now = current_state(rect)
    if STATE_ORDER.index(RectificationState(values["state"])) > STATE_ORDER.index(RectificationState(now)):
        changes["state"] = [now, values["state"]]
    return changes


def plan_rectifications_import(data: bytes, root: Organization) -> RectImportPlan:
    unit = root if root.is_unit else (root.unit or root)
    try:
        sheet = read_sheet(data, COLUMNS)
    except SheetError as exc:
        return RectImportPlan([], exc.errors)
    errors: list[RowError] = []
    for key, label in REQUIRED_CELLS.items():
        if key not in sheet.columns:
            errors.append(RowError(None, label, f"缺少“{label}”列"))
    if errors:
        return RectImportPlan([], errors)
    reader = RowReader(root, unit, sheet.columns)
    planned: list[PlannedRect] = []
    seen: dict[str, int] = {}
    for row in sheet.rows:
        values = reader.read(row.number, row.values, errors)
        if values is None:
            continue
        detail = source_detail(values["source"], values["source_label"], values["supervision_type"])
        identity = identity_of(values["source"], detail, values["problem"], values["responsible_org"])
        if identity in seen:
            errors.append(RowError(row.number, sheet.columns["problem"], f"与第{seen[identity]}行来源、问题和责任单位相同，重复"))
            continue
        seen[identity] = row.number
        values["identity"] = identity
        existing = Rectification.objects.filter(identity=identity).select_related("work_item").first()
        if existing is not None and existing.unit_id != unit.pk:
            errors.append(RowError(row.number, sheet.columns["problem"], f"该问题已登记在{existing.unit.name}的台账中"))
            continue
        planned.append(PlannedRect(row.number, values, existing, row_changes(existing, values) if existing else {}))
    if not sheet.rows and not errors:
        errors.append(RowError(None, None, "文件中没有数据行"))
    return RectImportPlan(planned, errors)


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def apply_state(rect: Rectification, values: dict[str, Any]) -> None:
    """Bring an imported row to the state the file records, dated as the file says; the bulk import is
    audited once, so the work item is moved here directly rather than through the audited services."""
    item = rect.work_item
    state, on = values["state"], values["state_on"]
    if values["progress"] and values["progress"] != latest_progress(rect):
        event(rect, RectificationEvent.Action.PROGRESS, None, values["progress"])
        if item.status == Status.TODO:
            item.status = Status.IN_PROGRESS
    if state in (RectificationState.REQUESTED, RectificationState.VERIFIED, RectificationState.CLOSED):
        if item.status != Status.DONE:
            item.submitted_at = aware(on)
            item.status = Status.SUBMITTED
        if state != RectificationState.REQUESTED and item.status != Status.DONE:
            item.status, item.done_on, item.completed_at = Status.DONE, on, aware(on)
            WorkItemEvent.objects.create(item=item, kind=WorkItemEvent.Kind.DONE, note="导入：验收通过")
        if state == RectificationState.CLOSED and not rect.closed_at:
            rect.closed_at = aware(on)
            rect.save(update_fields=["closed_at", "updated_at"])
            event(rect, RectificationEvent.Action.CLOSED, None, "导入：已销号")
    item.save(update_fields=["status", "submitted_at", "done_on", "completed_at", "updated_at"])


@transaction.atomic
def rectifications_import(
    *, actor: Any, data: bytes, root: Organization, dry_run: bool = False, filename: str = ""
) -> RectImportPlan:
    """Plan, and unless refused or a dry run, apply the whole file: one transaction, one audit event."""
    plan = plan_rectifications_import(data, root)
    if plan.errors or dry_run:
        return plan
    plan.applied = plan.counts()
    unit = root if root.is_unit else (root.unit or root)
    for row in plan.rows:
        values = row.values
        rect = row.existing
        if rect is None:
            rect = rectification_create(
                actor=actor,
                unit=unit,
                source=values["source"],
                problem=values["problem"],
                responsible_org=values["responsible_org"],
                responsible_person=values["responsible_person"],
                deadline=values["deadline"],
                measures=values["measures"],
                source_label=values["source_label"],
                supervision_type=values["supervision_type"],
                audit=False,
                action=RectificationEvent.Action.IMPORTED,
            )
        elif row.changes:
            for key in ("measures", "responsible_person", "deadline"):
                setattr(rect, key, values[key])
            rect.save(update_fields=["measures", "responsible_person", "deadline", "updated_at"])
            item = rect.work_item
            item.responsible_person = values["responsible_person"]
            if item.status != Status.DONE:
                item.due_date = values["deadline"]
                item.warn_from = values["deadline"] - timedelta(days=DEFAULT_WARN_DAYS)
                item.period = str(Period.of_date(values["deadline"], "month"))
            item.save(update_fields=["responsible_person", "due_date", "warn_from", "period", "updated_at"])
            event(rect, RectificationEvent.Action.IMPORTED, None, "导入更新：" + "、".join(row.changes))
        else:
            continue
        apply_state(rect, values)
    audit_record(
        actor=actor,
        action="rectification.import",
        organization=root,
        object_repr=filename[:200],
        changes={"file": filename, **plan.applied, "rows": len(plan.rows)},
    )
    return plan
