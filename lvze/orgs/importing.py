"""Import of a 党员花名册 (.xlsx): refused whole with row-numbered errors, or applied in one transaction.

Identity: ID number, else name + birth date + branch. Re-importing the same file updates, never duplicates.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from lvze.audit.services import audit_record
from lvze.lib.idcard import birth_date_of, id_number_problem
from lvze.lib.sheets import Column, RowError, SheetError, parse_date, read_sheet
from lvze.locks import transaction_lock
from lvze.orgs.models import PARTY_KINDS, Gender, Organization, OrgKind, PartyStatus, Person
from lvze.orgs.selectors import subtree
from lvze.orgs.services import person_apply, person_insert

COLUMNS = [
    Column("name", ("姓名",), required=True),
    Column("gender", ("性别",)),
    Column("birth_date", ("出生日期", "出生年月")),
    Column("party_status", ("党员类别", "人员类别", "党员状态", "政治面貌")),
    Column("joined_party_on", ("入党时间", "入党日期")),
    Column("branch", ("所在支部", "党组织", "所在党组织", "所在党支部", "支部")),
    Column("department", ("部门", "科室", "所在部门", "部门/科室", "单位")),
    Column("position", ("职务", "职务职级")),
    Column("phone", ("手机", "联系电话", "手机号码", "电话")),
    Column("id_number", ("身份证号", "身份证号码", "公民身份号码")),
]

STATUS_WORDS = {
    "正式党员": PartyStatus.FULL,
    "中共党员": PartyStatus.FULL,
    "党员": PartyStatus.FULL,
    "预备党员": PartyStatus.PROBATIONARY,
    "中共预备党员": PartyStatus.PROBATIONARY,
    "非党员": PartyStatus.NONE,
    "群众": PartyStatus.NONE,
}
GENDER_WORDS = {"男": Gender.MALE, "女": Gender.FEMALE}


@dataclass
class PlannedRow:
    row: int
    values: dict[str, Any]
    person: Person | None
    changes: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def action(self) -> str:
        if self.person is None:
            return "新增"
        return "更新" if self.changes else "无变化"


@dataclass
class ImportPlan:
    rows: list[PlannedRow]
    errors: list[RowError]
    applied: dict[str, int] | None = None

    def counts(self) -> dict[str, int]:
        if self.applied is not None:
            return self.applied
        return {
            "created": sum(r.person is None for r in self.rows),
            "updated": sum(bool(r.person and r.changes) for r in self.rows),
            "unchanged": sum(bool(r.person and not r.changes) for r in self.rows),
        }


class OrgResolver:
    """Names in the file resolve within the importing unit's subtree; ambiguity and typos are errors."""

    def __init__(self, root: Organization, kinds: tuple[str, ...]):
        self.by_name: dict[str, list[Organization]] = {}
        for org in subtree(root).filter(kind__in=kinds, active=True):
            for name in {org.name, *org.short_names}:
                self.by_name.setdefault(name, []).append(org)

    def resolve(self, name: str) -> Organization:
        found = self.by_name.get(name, [])
        if len(found) == 1:
            return found[0]
        if found:
            raise ValueError(
                f"“{name}”对应多个组织：{'、'.join(f'{o.name}（{o.code}）' for o in found)}，请写全称"
            )
        close = difflib.get_close_matches(name, list(self.by_name), n=3, cutoff=0.5)
        hint = f"，是否指：{'、'.join(close)}" if close else ""
        raise ValueError(f"找不到名为“{name}”的组织{hint}")


class RowParser:
    def __init__(self, root: Organization, header: dict[str, str]):
        self.header = header
        self.branches = OrgResolver(root, PARTY_KINDS)
        self.departments = OrgResolver(root, (OrgKind.DEPARTMENT,))

    def parse(self, number: int, raw: dict[str, object], errors: list[RowError]) -> dict[str, Any] | None:
        values: dict[str, Any] = {}
        count = len(errors)
        for key, parse in self.parsers():
            if raw.get(key) in (None, ""):
                continue
            try:
                values[key] = parse(raw[key])
            except ValueError as exc:
                errors.append(RowError(number, self.header.get(key), str(exc)))
        if not raw.get("name"):
            errors.append(RowError(number, self.header["name"], "姓名不能为空"))
        self.complete(number, values, errors)
        return values if len(errors) == count else None

    def parsers(self):
        return [
            ("name", lambda v: str(v)[:30]),
            ("gender", lambda v: choice(GENDER_WORDS, v, "性别应为“男”或“女”")),
            ("birth_date", lambda v: parse_date(v, allow_month=True)),
            ("party_status", lambda v: choice(STATUS_WORDS, v, "人员类别应为正式党员、预备党员或非党员")),
            ("joined_party_on", lambda v: parse_date(v, allow_month=True)),
            ("branch", lambda v: self.branches.resolve(str(v))),
            ("department", lambda v: self.departments.resolve(str(v))),
            ("position", lambda v: str(v)[:50]),
            ("phone", lambda v: phone(v)),
            ("id_number", lambda v: id_number(v)),
        ]

    def complete(self, number: int, values: dict[str, Any], errors: list[RowError]) -> None:
        values.setdefault("party_status", PartyStatus.FULL)
        born = birth_date_of(values["id_number"]) if values.get("id_number") else None
        if born and values.get("birth_date") and values["birth_date"] != born:
            errors.append(RowError(number, self.header.get("birth_date"), "出生日期与身份证号不一致"))
        if born:
            values.setdefault("birth_date", born)
        if values["party_status"] != PartyStatus.NONE and "branch" not in values:
            errors.append(RowError(number, self.header.get("branch", "所在支部"), "党员须填写所在支部"))


def choice(words: dict[str, str], value: object, message: str) -> str:
    text = str(value).strip()
    if text not in words:
        raise ValueError(f"{message}，实为“{text}”")
    return words[text]


def phone(value: object) -> str:
    text = str(value).strip()
    if isinstance(value, float):
        text = str(int(value))
    if not text.replace("-", "").isdigit() or len(text) > 20:
        raise ValueError(f"“{text}”不是有效的电话号码")
    return text


def id_number(value: object) -> str:
    text = str(value).strip().upper()
    problem = id_number_problem(text)
    if problem:
        raise ValueError(f"{problem}：“{text}”")
    return text


def identity(values: dict[str, Any]) -> tuple:
    if values.get("id_number"):
        return ("id", values["id_number"])
    branch = values.get("branch")
    return ("nbb", values.get("name"), values.get("birth_date"), branch.pk if branch else None)


def find_existing(root: Organization, values: dict[str, Any]) -> Person | None:
    people = Person.objects.all()
    if values.get("id_number"):
        return people.filter(id_number=values["id_number"]).first()
    branch = values.get("branch")
    return people.filter(name=values["name"], birth_date=values.get("birth_date"), branch=branch).first()


def plan_people_import(data: bytes, root: Organization) -> ImportPlan:
    try:
        sheet = read_sheet(data, COLUMNS)
    except SheetError as exc:
        return ImportPlan([], exc.errors)
    parser = RowParser(root, sheet.columns)
    errors: list[RowError] = []
    planned: list[PlannedRow] = []
    seen: dict[tuple, int] = {}
    for row in sheet.rows:
        values = parser.parse(row.number, row.values, errors)
        if values is None:
            continue
        key = identity(values)
        if key in seen:
            errors.append(RowError(row.number, sheet.columns["name"], f"与第{seen[key]}行是同一人，重复"))
            continue
        seen[key] = row.number
        planned.append(plan_row(root, row.number, values))
    if not sheet.rows and not errors:
        errors.append(RowError(None, None, "文件中没有数据行"))
    return ImportPlan(planned, errors)


def plan_row(root: Organization, number: int, values: dict[str, Any]) -> PlannedRow:
    existing = find_existing(root, values)
    if existing is None:
        return PlannedRow(number, values, None)
    changes = {
        k: [str(getattr(existing, k) or ""), str(v)] for k, v in values.items() if getattr(existing, k) != v
    }
    return PlannedRow(number, values, existing, changes)


def outside_scope_errors(plan: ImportPlan, root: Organization) -> list[RowError]:
    """An existing person matched by ID number must belong to the importing unit."""
    errors = []
    for row in plan.rows:
        person = row.person
        org = person.branch or person.department if person else None
        if person is not None and org is not None and not org.path.startswith(root.path):
            errors.append(
                RowError(row.row, "身份证号", f"此人已登记在{org.name}，不属于本单位，请先办理转接")
            )
    return errors


@transaction.atomic
def people_import(
    *, actor: Any, data: bytes, root: Organization, dry_run: bool = False, filename: str = ""
) -> ImportPlan:
    """Plan, and unless refused or a dry run, apply the whole file: one transaction, one audit event."""
    if not dry_run:
        transaction_lock("import:people")  # a concurrent import of the same file updates, never duplicates
    plan = plan_people_import(data, root)
    plan.errors.extend(outside_scope_errors(plan, root))
    if plan.errors or dry_run:
        return plan
    plan.applied = plan.counts()
    today = timezone.localdate()
    for row in plan.rows:
        if row.person is None:
            row.person = person_insert(row.values, today)
        else:
            person_apply(row.person, row.values, today)
    audit_record(
        actor=actor,
        action="person.import",
        organization=root,
        object_repr=filename[:200],
        changes={"file": filename, **plan.counts(), "rows": len(plan.rows)},
    )
    return plan
