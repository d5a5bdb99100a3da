"""Which reminders are owed on a day: set-based reads of the ledger, no sends."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q

from lvze.duties.models import OPEN_STATUSES, WorkItem
from lvze.orgs.models import Appointment, Post
from lvze.reminders.models import DEFAULT_BEFORE_DAYS, DEFAULT_ESCALATE_AFTER, ReminderPolicy, SendKind

ITEM_FIELDS = ("id", "title", "due_date", "unit_id", "organization_id", "responsible_person_id", "work_area", "organization__name")


@dataclass(frozen=True)
class Policy:
    before_days: tuple[int, ...] = tuple(DEFAULT_BEFORE_DAYS)
    overdue_digest: bool = True
    escalate_after: int = DEFAULT_ESCALATE_AFTER


@dataclass
class Owed:
    """One reminder owed to one person; channels are chosen later."""

    kind: str
    recipient_id: int
    item: dict
    offset: int | None = None
    items: list[dict] = field(default_factory=list)


def latest_passed_offset(days_left: int, offsets: tuple[int, ...]) -> int | None:
    """The smallest offset that has already been reached: after an outage, only that one is sent."""
    reached = [o for o in offsets if o >= days_left]
    return min(reached) if reached else None


class Policies:
    def __init__(self) -> None:
        self.by_unit: dict[int, Policy] = {}
        self.by_item: dict[int, Policy] = {}
        for row in ReminderPolicy.objects.all():
            policy = Policy(tuple(row.before_days or DEFAULT_BEFORE_DAYS), row.overdue_digest, row.escalate_after_days)
            if row.item_id:
                self.by_item[row.item_id] = policy
            elif row.unit_id:
                self.by_unit[row.unit_id] = policy

    def of(self, item: dict) -> Policy:
        return self.by_item.get(item["id"]) or self.by_unit.get(item["unit_id"]) or Policy()

    def max_before(self) -> int:
        values = [max(p.before_days, default=0) for p in [*self.by_unit.values(), *self.by_item.values(), Policy()]]
        return max(values)


def open_items(condition: Q):
    return WorkItem.objects.filter(condition, status__in=OPEN_STATUSES).values(*ITEM_FIELDS).iterator(chunk_size=5000)


def heads_by_org() -> dict[int, int]:
    """Fallback recipient for an item without a responsible person: the organisation's secretary or head."""
    rows = Appointment.objects.filter(post__in=[Post.SECRETARY, Post.HEAD], end__isnull=True).values_list(
        "organization_id", "person_id"
    )
    return dict(rows)


def recipient_of(item: dict, heads: dict[int, int]) -> int | None:
    return item["responsible_person_id"] or heads.get(item["organization_id"])


def before_due(today: date, policies: Policies, heads: dict[int, int]) -> list[Owed]:
    window = Q(due_date__gte=today, due_date__lte=today + timedelta(days=policies.max_before()))
    owed = []
    for item in open_items(window):
        offset = latest_passed_offset((item["due_date"] - today).days, policies.of(item).before_days)
        person = recipient_of(item, heads)
        if offset is not None and person:
            owed.append(Owed(SendKind.BEFORE_DUE, person, item, offset))
    return owed


def overdue(today: date, policies: Policies, heads: dict[int, int]) -> tuple[list[Owed], list[dict]]:
    """Overdue digests (one per person per day) and the overdue items, for escalation."""
    per_person: dict[int, list[dict]] = defaultdict(list)
    late_items = []
    for item in open_items(Q(due_date__lt=today)):
        late_items.append(item)
        person = recipient_of(item, heads)
        if person and policies.of(item).overdue_digest:
            per_person[person].append(item)
    digests = [Owed(SendKind.OVERDUE, person, items[0], None, items) for person, items in per_person.items()]
    return digests, late_items


def escalation_recipients() -> tuple[dict[tuple[int, str], set[int]], dict[int, set[int]], dict[int, set[int]]]:
    """Leaders by (unit, work area), leaders by 分管 department, and the 纪检组 by unit."""
    by_area: dict[tuple[int, str], set[int]] = defaultdict(set)
    by_department: dict[int, set[int]] = defaultdict(set)
    discipline: dict[int, set[int]] = defaultdict(set)
    current = Appointment.objects.filter(end__isnull=True)
    for unit_id, area, person in current.filter(areas__isnull=False).values_list("areas__unit_id", "areas__name", "person_id"):
        by_area[(unit_id, area)].add(person)
    for dept, person in current.filter(departments__isnull=False).values_list("departments", "person_id"):
        by_department[dept].add(person)
    for unit_id, person in current.filter(post=Post.DISCIPLINE_HEAD).values_list("organization__unit_id", "person_id"):
        discipline[unit_id].add(person)
    return by_area, by_department, discipline


def escalations(today: date, late_items: list[dict], policies: Policies) -> list[Owed]:
    by_area, by_department, discipline = escalation_recipients()
    owed = []
    for item in late_items:
        policy = policies.of(item)
        if (today - item["due_date"]).days <= policy.escalate_after:
            continue
        people = by_area.get((item["unit_id"], item["work_area"]), set()) | by_department.get(item["organization_id"], set())
        people |= discipline.get(item["unit_id"], set())
        owed.extend(Owed(SendKind.ESCALATION, person, item, policy.escalate_after) for person in sorted(people))
    return owed


def owed_on(today: date) -> list[Owed]:
    policies = Policies()
    heads = heads_by_org()
    digests, late_items = overdue(today, policies, heads)
    return before_due(today, policies, heads) + digests + escalations(today, late_items, policies)
