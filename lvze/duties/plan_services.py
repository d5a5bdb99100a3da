"""Writes for plans, tasks and duty lists, and the work items they put into the ledger.

A task puts one item per lead organisation (and per sub-period when it recurs) into the ledger; a duty
item with a time limit or a frequency puts its items for the list's year. Keys are unique, so making
the items again never duplicates them: a one-off or long-term item's key ends in "once", so a changed
deadline moves that item instead of adding one; a recurring item's key ends in its period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet

from lvze.audit.services import audit_record
from lvze.duties.generation import GenerationResult
from lvze.duties.models import (
    DEFAULT_WARN_DAYS,
    FREQUENCY_PERIOD_KIND,
    DutyItem,
    DutyList,
    Frequency,
    Plan,
    Source,
    Status,
    Task,
    WorkItem,
    WorkItemEvent,
)
from lvze.lib.deadlines import monthly_due
from lvze.lib.periods import Period
from lvze.orgs.models import Organization, Person, WorkArea

BATCH = 2000
SYNCED_FIELDS = ("title", "work_area", "period", "due_date", "warn_from", "unit_id", "org_path")


@dataclass(frozen=True)
class Occurrence:
    """One work item's period and due date; `suffix` ends its key."""

    period: str
    due_date: date | None
    suffix: str


def occurrences(frequency: str, due_date: date | None, year: int, day: int | None = None) -> list[Occurrence]:
    if frequency == Frequency.LONG_TERM:
        return [Occurrence(str(year), None, "once")]
    if frequency == Frequency.ONCE:
        if due_date is None:
            return []
        return [Occurrence(str(Period.of_date(due_date, "month")), due_date, "once")]
    result = []
    for sub in Period("year", year).subperiods(FREQUENCY_PERIOD_KIND[frequency]):
        due = monthly_due(sub.year, sub.index, day) if sub.kind == "month" else sub.end
        result.append(Occurrence(str(sub), due, str(sub)))
    return result


def warn_from(due: date | None) -> date | None:
    return due - timedelta(days=DEFAULT_WARN_DAYS) if due else None


def ledger_item(org: Organization, occurrence: Occurrence, **fields: Any) -> WorkItem:
    return WorkItem(
        organization=org,
        unit_id=org.unit_id or org.pk,
        org_path=org.path,
        period=occurrence.period,
        due_date=occurrence.due_date,
        warn_from=warn_from(occurrence.due_date),
        **fields,
    )


def task_key(task_id: int, org_id: int, occurrence: Occurrence) -> str:
    return f"task:{task_id}:{org_id}:{occurrence.suffix}"


def task_work_items(task: Task, orgs: Iterable[Organization], when: list[Occurrence]) -> list[WorkItem]:
    area = task.work_area.name if task.work_area_id else ""
    return [
        ledger_item(
            org,
            o,
            key=task_key(task.pk, org.pk, o),
            source=Source.TASK,
            task=task,
            title=task.title[:300],
            work_area=area,
        )
        for org in orgs
        for o in when
    ]


def duty_item_org(item: DutyItem) -> Organization:
    return item.responsible_org or item.duty_list.unit


def duty_work_items(item: DutyItem) -> list[WorkItem]:
    when = occurrences(item.frequency, item.due_date, item.duty_list.year)
    org = duty_item_org(item)
    return [
        ledger_item(
            org,
            o,
            key=f"duty:{item.pk}:{o.suffix}",
            source=Source.DUTY,
            duty_item=item,
            responsible_person_id=item.responsible_person_id,
            title=item.requirement[:300],
            work_area=item.work_area.name if item.work_area_id else "",
        )
        for o in when
    ]


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    removed: int = 0
    kept: int = 0  # stale items kept because someone already worked on them


def untouched(items: QuerySet[WorkItem]) -> QuerySet[WorkItem]:
    """Items nobody has worked on: still 待办, no evidence, no history beyond their creation."""
    worked = WorkItemEvent.objects.exclude(kind=WorkItemEvent.Kind.CREATED).values("item_id")
    return items.filter(status=Status.TODO, evidence__isnull=True).exclude(pk__in=worked)


def work_items_sync(existing: QuerySet[WorkItem], planned: list[WorkItem]) -> SyncResult:
    """Bring a source's items in line with what it now plans: add the missing, move the open ones to
    their new dates, and delete stale items nobody has worked on (the others stay, with their history)."""
    current = {item.key: item for item in existing}
    result = SyncResult()
    fresh = [p for p in planned if p.key not in current]
    WorkItem.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=BATCH)
    result.created = len(fresh)
    for item in planned:
        old = current.get(item.key)
        if old is None or old.status == Status.DONE:
            continue
        changed = [f for f in SYNCED_FIELDS if getattr(old, f) != getattr(item, f)]
        if changed:
            for name in changed:
                setattr(old, name, getattr(item, name))
            old.save(update_fields=[*changed, "updated_at"])
            result.updated += 1
    wanted = {p.key for p in planned}
    stale = [item.pk for key, item in current.items() if key not in wanted]
    if stale:
        removable = list(untouched(WorkItem.objects.filter(pk__in=stale)).values_list("pk", flat=True))
        WorkItem.objects.filter(pk__in=removable).delete()
        result.removed, result.kept = len(removable), len(stale) - len(removable)
    return result


def task_insert(plan: Plan, values: dict[str, Any]) -> Task:
    task = Task.objects.create(plan=plan, **task_fields(values))
    task.lead_orgs.set(values["lead_orgs"])
    task.cooperating_orgs.set(values["cooperating_orgs"])
    return task


def task_apply(task: Task, values: dict[str, Any]) -> Task:
    fields = task_fields(values)
    changed = [name for name, value in fields.items() if getattr(task, name) != value]
    for name in changed:
        setattr(task, name, fields[name])
    if changed:
        task.save(update_fields=changed)
    task.lead_orgs.set(values["lead_orgs"])
    task.cooperating_orgs.set(values["cooperating_orgs"])
    return task


TASK_FIELDS = (
    "seq",
    "category",
    "title",
    "measures",
    "leader_text",
    "leader",
    "deadline_text",
    "frequency",
    "due_date",
    "work_area",
)


def task_fields(values: dict[str, Any]) -> dict[str, Any]:
    return {name: values[name] for name in TASK_FIELDS}


def task_items_sync(task: Task, orgs: list[Organization], when: list[Occurrence]) -> SyncResult:
    return work_items_sync(task.items.all(), task_work_items(task, orgs, when))


# Duty lists ---------------------------------------------------------------------------------------------


@transaction.atomic
def duty_list_create(
    *, actor: Any, unit: Organization, kind: str, name: str, year: int, owner: Person | None = None
) -> DutyList:
    if not name.strip():
        raise ValidationError({"name": "请填写清单名称"})
    duty_list = DutyList.objects.create(unit=unit, kind=kind, name=name.strip(), year=year, owner=owner)
    audit_record(
        actor=actor,
        action="duty_list.create",
        obj=duty_list,
        organization=unit,
        changes={"kind": kind, "name": duty_list.name, "year": year, "owner": owner},
    )
    return duty_list


def check_duty_item(
    duty_list: DutyList,
    *,
    requirement: str,
    frequency: str,
    due_date: date | None,
    responsible_org: Organization | None,
    work_area: WorkArea | None,
) -> None:
    errors: dict[str, str] = {}
    if not requirement.strip():
        errors["requirement"] = "请填写责任事项"
    if frequency != Frequency.ONCE and due_date is not None:
        errors["due_date"] = "按频次执行或长期坚持的事项不填写时限，各期的时限按期末计算"
    if due_date is not None and due_date.year != duty_list.year:
        errors["due_date"] = f"时限应在清单年度（{duty_list.year}年）内"
    unit = duty_list.unit
    if responsible_org is not None and not (
        responsible_org.path.startswith(unit.path) and responsible_org.unit_id == unit.unit_id
    ):
        errors["responsible_org"] = "责任单位须为本单位的组织或部门"
    if work_area is not None and work_area.unit_id != unit.unit_id:
        errors["work_area"] = "工作板块须为本单位的板块"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def duty_item_create(
    *,
    actor: Any,
    duty_list: DutyList,
    requirement: str,
    work_area: WorkArea | None = None,
    responsible_org: Organization | None = None,
    responsible_person: Person | None = None,
    assisting: Iterable[Organization] = (),
    supervisor: str = "",
    due_date: date | None = None,
    frequency: str = Frequency.ONCE,
) -> DutyItem:
    """Add an item to a duty list; with a time limit or a frequency it also enters the ledger."""
    check_duty_item(
        duty_list,
        requirement=requirement,
        frequency=frequency,
        due_date=due_date,
        responsible_org=responsible_org,
        work_area=work_area,
    )
    last = duty_list.items.aggregate(last=Max("seq"))["last"] or 0
    item = DutyItem.objects.create(
        duty_list=duty_list,
        seq=last + 1,
        requirement=requirement.strip(),
        work_area=work_area,
        responsible_org=responsible_org,
        responsible_person=responsible_person,
        supervisor=supervisor.strip(),
        due_date=due_date,
        frequency=frequency,
    )
    assisting = list(assisting)
    item.assisting.set(assisting)
    planned = duty_work_items(item)
    WorkItem.objects.bulk_create(planned, ignore_conflicts=True)
    audit_record(
        actor=actor,
        action="duty_item.create",
        obj=item,
        organization=duty_list.unit,
        changes={
            "list": duty_list.name,
            "requirement": item.requirement,
            "responsible_org": responsible_org,
            "responsible_person": responsible_person,
            "assisting": [o.name for o in assisting],
            "due_date": due_date,
            "frequency": frequency,
            "work_items": len(planned),
        },
    )
    return item


@transaction.atomic
def duty_items_generate(
    *, actor: Any, year: int, duty_list: DutyList | None = None, scope: Organization | None = None
) -> GenerationResult:
    """Put the year's items of every duty item (of one list, or of the lists under scope) into the
    ledger; set-based, idempotent, one audit event."""
    items = DutyItem.objects.filter(duty_list__year=year).select_related(
        "duty_list__unit", "responsible_org", "work_area"
    )
    if duty_list is not None:
        items = items.filter(duty_list=duty_list)
    if scope is not None:
        items = items.filter(duty_list__unit__path__startswith=scope.path)
    ledger = WorkItem.objects.filter(source=Source.DUTY, duty_item__in=items)
    before = ledger.count()
    planned = [work_item for item in items for work_item in duty_work_items(item)]
    WorkItem.objects.bulk_create(planned, ignore_conflicts=True, batch_size=BATCH)
    created = ledger.count() - before
    result = GenerationResult(created=created, existing=len(planned) - created)
    audit_record(
        actor=actor,
        action="duty_items.generate",
        obj=duty_list,
        organization=duty_list.unit if duty_list else scope,
        changes={"year": year, **result.as_dict()},
        object_repr="" if duty_list else f"{year}年责任清单事项",
    )
    return result


def people_in(units: Iterable[Organization]) -> QuerySet[Person]:
    """Active people of the units (by branch, department or a current appointment)."""
    condition = Q(pk__in=[])
    for unit in units:
        condition |= (
            Q(branch__path__startswith=unit.path)
            | Q(department__path__startswith=unit.path)
            | Q(appointments__organization__path__startswith=unit.path, appointments__end__isnull=True)
        )
    return Person.objects.filter(condition, active=True).distinct().order_by("name", "id")


def owner_choices(unit: Organization) -> QuerySet[Person]:
    return people_in([unit])
