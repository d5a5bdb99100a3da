"""Import of a 重点任务分解表 (.xlsx) into a plan: refused whole with row-numbered errors, or applied in one
transaction with one audit event.

Real tables are messy, so every row is interpreted and the interpretation shown before anything is
written: the title row gives the year, a two-level merged header is read as one, rows such as
"一、强化理论武装" become the category of the tasks below them, blank and note rows are skipped, a cell may
name several units or a collective (各党支部, 各股室), a leader is a person or a post kept as written,
and each deadline phrase maps to a due date, a recurrence or "no fixed deadline" — never a guess.

Identity: plan + task text. When the same text is on several rows (a 任务 cell merged down over its
measures), the n-th such row is the n-th task of that text. Re-importing updates measures, units,
leaders and deadlines instead of duplicating, and moves the work items with them.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from openpyxl.utils import get_column_letter

from lvze.audit.services import audit_record
from lvze.duties.models import Plan, Task, WorkItem
from lvze.duties.plan_services import (
    Occurrence,
    occurrences,
    owner_choices,
    task_apply,
    task_insert,
    task_items_sync,
    task_key,
)
from lvze.lib.deadlines import Deadline, format_date_cn, parse_deadline
from lvze.lib.sheets import Column, RowError, SheetError, Table, TableRow, read_table, split_names
from lvze.locks import transaction_lock
from lvze.orgs.importing import OrgResolver
from lvze.orgs.models import UNIT_KINDS, Organization, OrgKind, Person, WorkArea

COLUMNS = [
    Column("seq", ("序号", "编号")),
    Column(
        "title",
        ("任务", "重点任务", "工作任务", "主要任务", "任务内容", "重点工作", "工作事项", "任务名称"),
        required=True,
    ),
    Column("measures", ("具体措施", "工作措施", "主要措施", "措施", "落实措施", "具体举措", "工作举措")),
    Column(
        "lead",
        ("牵头单位", "牵头部门", "责任单位", "责任部门", "牵头科室", "责任科室", "主责单位", "牵头"),
        required=True,
    ),
    Column("cooperating", ("配合单位", "配合部门", "协办单位", "协助单位", "配合科室", "协办部门", "配合")),
    Column("leader", ("责任领导", "分管领导", "牵头领导", "责任人")),
    Column(
        "deadline",
        ("完成时限", "时间要求", "完成时间", "时限", "完成期限", "时限要求", "时间节点"),
        required=True,
    ),
    Column("work_area", ("工作板块", "板块")),
    Column("category", ("类别", "分类", "工作类别", "任务类别")),
]
HEADER_NAMES = {c.key: c.headers[0] for c in COLUMNS}
PLAN_KINDS = (*UNIT_KINDS, OrgKind.ORGAN_COMMITTEE)

CN = "一二三四五六七八九十百"
CATEGORY_RE = re.compile(
    rf"^(?:[{CN}]+[、.．]|[（(][{CN}]+[）)]|第[{CN}]+(?:部分|章|节|类|项|方面)|[A-Za-z][、.．])"
)
CN_SEQ_RE = re.compile(rf"^[（(]?[{CN}]+[）)、.．]?$")
NOTE_PREFIXES = (
    "注：",
    "注:",
    "备注",
    "说明：",
    "说明:",
    "填表",
    "制表",
    "附注",
    "审核人",
    "联系人",
    "联系电话",
)
YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
POST_WORDS = (
    "书记",
    "领导",
    "局长",
    "组长",
    "主任",
    "委员",
    "班子",
    "成员",
    "负责人",
    "分管",
    "主要",
    "所长",
    "科长",
    "股长",
    "主席",
    "部长",
    "处长",
    "队长",
    "全体",
)
PERSON_NAME_RE = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")

# Collective names: every organisation of a kind in the importing unit (not below a subordinate 党委).
COLLECTIVES: dict[str, tuple[str, str]] = {
    **dict.fromkeys(
        ("各党支部", "各支部", "机关各党支部", "各基层党支部", "所属各党支部", "全体党支部", "所有党支部"),
        (OrgKind.BRANCH, ""),
    ),
    **dict.fromkeys(
        (
            "各股室",
            "各科室",
            "各部门",
            "各股",
            "各科",
            "各科所",
            "各股所",
            "各科室所",
            "各股室所",
            "机关各科室",
        ),
        (OrgKind.DEPARTMENT, ""),
    ),
    "各税务所": (OrgKind.DEPARTMENT, "税务所"),
    "各分局": (OrgKind.DEPARTMENT, "分局"),
}

KIND_LABELS = {
    "title": "标题",
    "header": "表头",
    "category": "类别",
    "task": "任务",
    "note": "备注（跳过）",
    "blank": "空行（跳过）",
}


@dataclass
class TaskRow:
    """One row of the file and how it was read."""

    row: int
    kind: str
    text: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    deadline: Deadline | None = None
    occurrences: list[Occurrence] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # column key -> how the cell was read
    task: Task | None = None
    changes: dict[str, list[str]] = field(default_factory=dict)
    new_items: int = 0
    failed: bool = False

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def action(self) -> str:
        if self.kind != "task":
            return ""
        if self.task is None:
            return "新增"
        return "更新" if self.changes else "无变化"


@dataclass
class TaskImportPlan:
    rows: list[TaskRow]
    errors: list[RowError]
    plan_name: str = ""
    year: int | None = None
    year_source: str = ""
    plan: Plan | None = None
    not_in_file: int = 0
    applied: dict[str, int] | None = None

    @property
    def tasks(self) -> list[TaskRow]:
        return [r for r in self.rows if r.kind == "task"]

    def counts(self) -> dict[str, int]:
        if self.applied is not None:
            return self.applied
        tasks = self.tasks
        return {
            "created": sum(r.action == "新增" for r in tasks),
            "updated": sum(r.action == "更新" for r in tasks),
            "unchanged": sum(r.action == "无变化" for r in tasks),
            "work_items": sum(r.new_items for r in tasks),
        }


def text_of(value: object) -> str:
    return "" if value is None else str(value).strip()


def is_note(text: str) -> bool:
    return text.startswith(NOTE_PREFIXES)


class TaskRowParser:
    """Reads the rows below the header, carrying the current category down the table."""

    def __init__(self, root: Organization, table: Table, year: int):
        self.root, self.table, self.year = root, table, year
        self.orgs = OrgResolver(root, tuple(OrgKind.values))
        self.people: dict[str, list[Person]] = defaultdict(list)
        for person in owner_choices(root).select_related("branch", "department"):
            self.people[person.name].append(person)
        self.areas = {a.name: a for a in WorkArea.objects.filter(unit_id=root.unit_id or root.pk)}
        self.category = ""

    def interpret(self, line: TableRow, errors: list[RowError]) -> TaskRow:
        if line.is_blank():
            return TaskRow(line.number, "blank")
        filled = [text_of(v) for v in line.cells if text_of(v)]
        if self.is_spanning_heading(line):
            return self.category_row(line.number, self.spanning_text(line))
        if is_note(filled[0]):  # 注：…, 填表人：… 审核人：…
            return TaskRow(line.number, "note", " ".join(filled))
        category = self.category_text(line, filled)
        if category:
            return self.category_row(line.number, category)
        return self.task_row(line, errors)

    def is_spanning_heading(self, line: TableRow) -> bool:
        """A cell merged across the table, with no unit and no deadline beside it."""
        if line.spanning in (None, ""):
            return False
        return not any(text_of(line.values.get(k)) for k in ("lead", "deadline"))

    def spanning_text(self, line: TableRow) -> str:
        """ "一" under 序号 and "强化理论武装" merged across the rest read as "一、强化理论武装"."""
        text = text_of(line.spanning)
        first = text_of(line.cells[0]) if line.cells else ""
        if first and first != text and CN_SEQ_RE.match(first) and not CATEGORY_RE.match(text):
            return f"{first.rstrip('、.．')}、{text}"
        return text

    def category_row(self, number: int, text: str) -> TaskRow:
        if is_note(text):
            return TaskRow(number, "note", text)
        self.category = text[:100]
        return TaskRow(number, "category", self.category)

    def category_text(self, line: TableRow, filled: list[str]) -> str:
        """A category row not merged across: only a numbered heading, with no unit and no deadline."""
        raw = {k: text_of(v) for k, v in line.values.items()}
        if any(raw.get(k) for k in ("measures", "lead", "cooperating", "leader", "deadline")):
            return ""
        if len(filled) == 1:
            only = filled[0]
            # In the first column (not the task column) or under 序号: a heading without numbering.
            first_column = bool(line.cells) and text_of(line.cells[0]) == only
            leftmost = (first_column and self.table.positions.get("title") != 0) or raw.get("seq") == only
            looks_like_heading = CATEGORY_RE.match(only) or (leftmost and not only.isdigit())
            return only if looks_like_heading else ""
        seq, title = raw.get("seq", ""), raw.get("title", "")
        if seq and title and CN_SEQ_RE.match(seq) and len(filled) == 2:
            return title if CATEGORY_RE.match(title) else f"{seq.rstrip('、.．')}、{title}"
        return ""

    def task_row(self, line: TableRow, errors: list[RowError]) -> TaskRow:
        row = TaskRow(line.number, "task")
        before = len(errors)

        def fail(key: str, message: str) -> None:
            errors.append(
                RowError(line.number, self.header(key), f"{message}（单元格{self.cell(key, line)}）")
            )

        raw = line.values
        title = text_of(raw.get("title"))
        if not title:
            fail("title", "任务不能为空")
        if text_of(raw.get("category")):
            self.category = text_of(raw["category"])[:100]
        values: dict[str, Any] = {
            "title": title,
            "category": self.category,
            "measures": text_of(raw.get("measures")),
            "lead_orgs": self.units(raw.get("lead"), "lead", row, fail, required=True),
            "cooperating_orgs": self.units(raw.get("cooperating"), "cooperating", row, fail),
            "work_area": self.work_area(raw.get("work_area"), row, fail),
        }
        values.update(self.leader(raw.get("leader"), row, fail))
        values.update(self.deadline(raw.get("deadline"), row, fail))
        row.values = values
        row.failed = len(errors) > before
        return row

    def header(self, key: str) -> str:
        return self.table.columns.get(key, HEADER_NAMES[key])

    def cell(self, key: str, line: TableRow) -> str:
        position = self.table.positions.get(key)
        return (
            f"{get_column_letter(position + 1)}{line.number}"
            if position is not None
            else f"第{line.number}行"
        )

    def units(
        self, value: object, key: str, row: TaskRow, fail, required: bool = False
    ) -> list[Organization]:
        names = split_names(value)
        if not names:
            if required:
                fail(key, f"{self.header(key)}不能为空")
            return []
        found: list[Organization] = []
        notes = []
        for name in names:
            try:
                orgs = self.resolve_unit(name)
            except ValueError as exc:
                fail(key, str(exc))
                continue
            if name in COLLECTIVES or len(orgs) > 1:
                notes.append(f"{name}（{'、'.join(o.name for o in orgs)}）")
            else:
                notes.append(orgs[0].name)
            found.extend(o for o in orgs if o not in found)
        row.notes[key] = "、".join(notes)
        return found

    def resolve_unit(self, name: str) -> list[Organization]:
        plain = re.sub(r"[(（][^)）]*[)）]", "", name) or name
        collective = COLLECTIVES.get(name) or COLLECTIVES.get(plain)
        if collective:
            return self.collective(name, *collective)
        try:
            return [self.orgs.resolve(name)]
        except ValueError:
            if plain == name:
                raise
            return [self.orgs.resolve(plain)]

    def collective(self, name: str, kind: str, suffix: str) -> list[Organization]:
        orgs = Organization.objects.filter(
            path__startswith=self.root.path, unit_id=self.root.unit_id, kind=kind, active=True
        ).order_by("sort_order", "path")
        found = [o for o in orgs if o.name.endswith(suffix)]
        if not found:
            raise ValueError(f"本单位没有可对应“{name}”的组织")
        return found

    def work_area(self, value: object, row: TaskRow, fail) -> WorkArea | None:
        name = text_of(value)
        if not name:
            return self.area_of_category(row)
        if name in self.areas:
            row.notes["work_area"] = name
            return self.areas[name]
        close = difflib.get_close_matches(name, list(self.areas), n=3, cutoff=0.4)
        hint = f"，是否指：{'、'.join(close)}" if close else f"（本单位的板块：{'、'.join(self.areas)}）"
        fail("work_area", f"找不到工作板块“{name}”{hint}")
        return None

    def area_of_category(self, row: TaskRow) -> WorkArea | None:
        """A category naming exactly one work area ("二、全面从严治党" → 从严治党) gives the tasks that area."""
        matches = [area for name, area in self.areas.items() if name in self.category]
        if len(matches) == 1:
            row.notes["work_area"] = f"{matches[0].name}（由类别推断）"
            return matches[0]
        return None

    def leader(self, value: object, row: TaskRow, fail) -> dict[str, Any]:
        text = text_of(value)
        result: dict[str, Any] = {"leader_text": text[:100], "leader": None}
        if not text:
            return result
        names = split_names(text)
        if any(word in text for word in POST_WORDS):
            row.notes["leader"] = f"{text}（职务，保留原文）"
            return result
        people = []
        for name in names:
            person = self.person(name, fail)
            if person is not None:
                people.append(person)
        if people:
            result["leader"] = people[0]
            row.notes["leader"] = "、".join(
                f"{p.name}（{p.branch or p.department or '已登记'}）" for p in people
            )
        else:
            row.notes["leader"] = f"{text}（保留原文）"
        return result

    def person(self, name: str, fail) -> Person | None:
        found = self.people.get(name, [])
        if len(found) == 1:
            return found[0]
        if found:
            listed = "、".join(f"{p.name}（{p.branch or p.department or p.pk}）" for p in found)
            fail("leader", f"“{name}”对应多名人员：{listed}，请写职务或在人员库中区分")
            return None
        if PERSON_NAME_RE.match(name):
            close = difflib.get_close_matches(name, list(self.people), n=3, cutoff=0.5)
            hint = f"，是否指：{'、'.join(close)}" if close else ""
            fail("leader", f"本单位人员中找不到“{name}”{hint}；如为职务请写明职务（如“党委书记”）")
        return None

    def deadline(self, value: object, row: TaskRow, fail) -> dict[str, Any]:
        try:
            deadline = parse_deadline(value, self.year)
        except ValueError as exc:
            fail("deadline", str(exc))
            return {"deadline_text": text_of(value)[:100], "frequency": "once", "due_date": None}
        row.deadline = deadline
        row.occurrences = occurrences(deadline.frequency, deadline.due_date, self.year, deadline.day)
        row.notes["deadline"] = deadline.describe()
        written = (
            format_date_cn(deadline.due_date) if not isinstance(value, str) and deadline.due_date else value
        )
        return {
            "deadline_text": text_of(written)[:100],
            "frequency": deadline.frequency,
            "due_date": deadline.due_date,
        }


def refused(message: str, **fields: Any) -> TaskImportPlan:
    return TaskImportPlan([], [RowError(None, None, message)], **fields)


def plan_year(year: int | None, plan_name: str, plan: Plan | None, table: Table) -> tuple[int | None, str]:
    """The year for phrases like "6月底前": --year, else the plan's name, else the existing plan's year,
    else the title row."""
    if year:
        return year, "指定年度"
    match = YEAR_RE.search(plan_name)
    if match:
        return int(match[1]), "计划名称"
    if plan is not None:
        return plan.year, "已有计划"
    match = YEAR_RE.search(" ".join(table.preamble))
    if match:
        return int(match[1]), "标题行"
    return None, ""


def plan_tasks_import(
    data: bytes, root: Organization, plan_name: str | None, year: int | None
) -> TaskImportPlan:
    """Read and interpret the whole file without writing anything."""
    plan_name = (plan_name or "").strip()
    if not plan_name:
        return refused("请指定工作要点名称（--plan，如“2023年全面从严治党工作要点”）")
    if root.kind not in PLAN_KINDS:
        return refused(f"{root.name}不是党委（党组）或机关党委，不能持有工作要点", plan_name=plan_name)
    if len(plan_name) > 120:
        return refused("工作要点名称不能超过120个字", plan_name=plan_name)
    if year is not None and not 2000 <= year <= 2100:
        return refused(f"年度“{year}”不在 2000–2100 之间", plan_name=plan_name)
    try:
        table = read_table(data, COLUMNS)
    except SheetError as exc:
        return TaskImportPlan([], exc.errors, plan_name=plan_name)
    plan = Plan.objects.filter(unit=root, name=plan_name).first()
    year, source = plan_year(year, plan_name, plan, table)
    if year is None:
        return refused(
            "无法确定计划年度：请用 --year 指定，或在计划名称或表格标题中写明年份（如“2023年…”）",
            plan_name=plan_name,
        )
    result = TaskImportPlan([], [], plan_name=plan_name, year=year, year_source=source, plan=plan)
    interpret_rows(result, root, table)
    if not result.tasks and not result.errors:
        result.errors.append(RowError(None, None, "文件中没有任务行"))
    if plan is not None:
        match_existing(result, plan)
    else:
        for row in result.tasks:
            row.new_items = len(row.values.get("lead_orgs", [])) * len(row.occurrences)
    return result


def interpret_rows(result: TaskImportPlan, root: Organization, table: Table) -> None:
    first, last = table.header_rows
    if table.preamble:
        result.rows.append(TaskRow(1, "title", " ".join(table.preamble)))
    rows = f"第{first}行" if first == last else f"第{first}–{last}行"
    result.rows.append(TaskRow(first, "header", f"{rows}，识别的列：{'、'.join(table.columns.values())}"))
    parser = TaskRowParser(root, table, result.year or 0)
    for line in table.rows:
        result.rows.append(parser.interpret(line, result.errors))
    for seq, row in enumerate(result.tasks, start=1):
        row.values["seq"] = seq


def match_existing(result: TaskImportPlan, plan: Plan) -> None:
    """The n-th row with a task text is the n-th existing task of that text."""
    existing: dict[str, list[Task]] = defaultdict(list)
    tasks = plan.tasks.select_related("work_area", "leader").prefetch_related("lead_orgs", "cooperating_orgs")
    for task in tasks.order_by("seq", "id"):
        existing[task.title].append(task)
    keys = set(WorkItem.objects.filter(task__plan=plan).values_list("key", flat=True))
    seen: Counter[str] = Counter()
    for row in result.tasks:
        title = row.values["title"]
        index = seen[title]
        seen[title] += 1
        if index < len(existing[title]):
            row.task = existing[title][index]
            row.changes = task_changes(row.task, row.values)
        planned = {
            task_key(row.task.pk if row.task else 0, org.pk, o)
            for org in row.values["lead_orgs"]
            for o in row.occurrences
        }
        row.new_items = len(planned - keys) if row.task else len(planned)
    result.not_in_file = sum(max(0, len(tasks) - seen[title]) for title, tasks in existing.items())


CHANGE_LABELS = {
    "seq": "序号",
    "category": "类别",
    "measures": "具体措施",
    "leader_text": "责任领导",
    "leader": "责任领导（人员）",
    "deadline_text": "完成时限",
    "frequency": "频次",
    "due_date": "到期日",
    "work_area": "工作板块",
}


def task_changes(task: Task, values: dict[str, Any]) -> dict[str, list[str]]:
    changes: dict[str, list[str]] = {}
    for name, label in CHANGE_LABELS.items():
        old, new = getattr(task, name), values[name]
        if old != new:
            changes[label] = [text_of(old), text_of(new)]
    for name, label in (("lead_orgs", "牵头单位"), ("cooperating_orgs", "配合单位")):
        old_orgs = list(getattr(task, name).all())
        if {o.pk for o in old_orgs} != {o.pk for o in values[name]}:
            changes[label] = ["、".join(o.name for o in old_orgs), "、".join(o.name for o in values[name])]
    return changes


@transaction.atomic
def tasks_import(
    *,
    actor: Any,
    data: bytes,
    root: Organization,
    dry_run: bool = False,
    filename: str = "",
    plan: str | None = None,
    year: int | None = None,
) -> TaskImportPlan:
    """Plan, and unless refused or a dry run, apply the whole file: one transaction, one audit event."""
    if not dry_run:
        transaction_lock("import:tasks")  # a concurrent import of the same file updates, never duplicates
    result = plan_tasks_import(data, root, plan, year)
    if result.errors or dry_run:
        return result
    counts = result.counts()
    target = result.plan or Plan.objects.create(unit=root, name=result.plan_name, year=result.year)
    created_items = 0
    for row in result.tasks:
        if row.task is None:
            task = task_insert(target, row.values)
        else:
            task = task_apply(row.task, row.values) if row.changes else row.task
        created_items += task_items_sync(task, row.values["lead_orgs"], row.occurrences).created
    result.plan = target
    result.applied = {**counts, "work_items": created_items}
    audit_record(
        actor=actor,
        action="task.import",
        obj=target,
        organization=root,
        changes={"file": filename, "plan": target.name, "year": result.year, **result.applied},
    )
    return result
