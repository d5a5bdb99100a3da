"""How a record fulfils the ledger (DESIGN.md, "a single ledger of dated duties").

A record fulfils an open item of its organisation and kind whose period contains the record's 所属期间.
One match completes it (dated the record's date, so a May meeting held on 2 June is 逾期办结); several
matches leave the choice to the user. Changing a record re-places it: it keeps its item while it still
fits, otherwise the item is reopened — or handed to another record that fits it — and the record
completes whatever it now matches. `fulfils` is unique, so no item is ever completed by two records.

Every function takes `audit`: the forms write the ledger's own audited transitions; an import writes
the same state and history but leaves the audit to its single event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from lvze.duties.models import OPEN_STATUSES, Evidence, Status, WorkItem, WorkItemEvent
from lvze.duties.services import (
    actor_user,
    evidence_link_record,
    record_event,
    work_item_complete,
    work_item_reopen,
)
from lvze.lib.periods import MONTHS_IN, Period
from lvze.orgs.models import Organization

RECORD_NAMES = {"records.meeting": "会议记录", "records.talk": "谈心谈话记录"}


@dataclass
class Placement:
    record: Any
    completed: WorkItem | None = None
    candidates: list[WorkItem] = field(default_factory=list)
    reopened: WorkItem | None = None


def containing_periods(period: Period) -> list[str]:
    """The period codes an item may carry to be fulfilled by a record of this period."""
    codes = []
    for kind in MONTHS_IN:
        outer = Period.of_date(period.start, kind)
        if outer.contains(period):
            codes.append(str(outer))
    return codes


def fulfilling_candidates(organization: Organization, kind: str, period: Period, *, lock: bool = False) -> list[WorkItem]:
    """Open items of the organisation for this record kind whose period contains the record's period.
    With `lock` (inside the writing transaction) the rows are locked, so two records saved at once on
    PostgreSQL cannot both take the same item; SQLite's IMMEDIATE transactions already serialise them."""
    items = WorkItem.objects.filter(
        organization=organization,
        fulfilled_by_kind=kind,
        status__in=OPEN_STATUSES,
        period__in=containing_periods(period),
    )
    if lock:
        items = items.select_for_update()
    return list(items.order_by("due_date", "id"))


def record_candidates(record: Any, *, lock: bool = False) -> list[WorkItem]:
    return fulfilling_candidates(record.organization, record.fulfilment_kind, Period.parse(record.period), lock=lock)


def complete(actor: Any, item: WorkItem, record: Any, *, audit: bool = True) -> WorkItem:
    note = f"由{RECORD_NAMES.get(record._meta.label_lower, '记录')}完成：{record}"
    if audit:
        work_item_complete(actor=actor, item=item, on=record.held_on, note=note)
        evidence_link_record(actor=actor, item=item, record=record)
    else:
        item.status = Status.DONE
        item.done_on = record.held_on
        item.completed_at = timezone.make_aware(datetime.combine(record.held_on, datetime.min.time()))
        item.save(update_fields=["status", "done_on", "completed_at", "updated_at"])
        record_event(item, WorkItemEvent.Kind.DONE, actor, note)
        Evidence.objects.create(
            item=item,
            name=str(record)[:200],
            record_type=record._meta.label_lower,
            record_id=str(record.pk),
            added_by=actor_user(actor),
        )
    record.fulfils = item
    record.save(update_fields=["fulfils"])
    return item


def unlink(actor: Any, record: Any, note: str, *, audit: bool = True) -> WorkItem | None:
    """Detach the record from the item it completed and reopen that item."""
    item = record.fulfils
    if item is None:
        return None
    Evidence.objects.filter(item=item, record_type=record._meta.label_lower, record_id=str(record.pk)).delete()
    record.fulfils = None
    record.save(update_fields=["fulfils"])
    item.refresh_from_db()
    if item.status == Status.DONE:
        if audit:
            work_item_reopen(actor=actor, item=item, note=note)
        else:
            item.status = Status.IN_PROGRESS
            item.done_on = None
            item.completed_at = None
            item.save(update_fields=["status", "done_on", "completed_at", "updated_at"])
            record_event(item, WorkItemEvent.Kind.PROGRESS, actor, note)
    return item


def place(actor: Any, record: Any, *, prefer: WorkItem | None = None, audit: bool = True) -> Placement:
    """Complete the item the record fits: the one it had before if it still fits, else the only match."""
    candidates = record_candidates(record, lock=True)
    chosen = next((c for c in candidates if prefer is not None and c.pk == prefer.pk), None)
    if chosen is None and len(candidates) == 1:
        chosen = candidates[0]
    if chosen is None:
        return Placement(record, None, candidates)
    return Placement(record, complete(actor, chosen, record, audit=audit), [])


def hand_off(actor: Any, item: WorkItem, *, exclude: Any = None, audit: bool = True) -> Any:
    """An item left open by a record that moved or went away is completed by another record that fits
    it and completes nothing yet (the earliest); otherwise it stays open."""
    from lvze.records.models import Meeting, Talk

    item.refresh_from_db()
    if item.status not in OPEN_STATUSES or not item.period:
        return None
    if item.fulfilled_by_kind == "talk":
        records = Talk.objects.all()
    elif item.fulfilled_by_kind.startswith("meeting:"):
        records = Meeting.objects.filter(kind=item.fulfilled_by_kind.split(":", 1)[1])
    else:
        return None
    span = Period.parse(item.period)
    records = records.filter(
        organization_id=item.organization_id, fulfils__isnull=True, held_on__gte=span.start
    ).order_by("held_on", "id")
    if exclude is not None and exclude.pk:
        records = records.exclude(pk=exclude.pk)
    for record in records:
        if span.contains(Period.parse(record.period)):
            complete(actor, item, record, audit=audit)
            return record
    return None


def replace(actor: Any, record: Any, note: str, *, audit: bool = True) -> Placement:
    """After a change to the record's organisation, kind, date or period."""
    previous = unlink(actor, record, note, audit=audit)
    placement = place(actor, record, prefer=previous, audit=audit)
    moved_away = previous is not None and (placement.completed is None or placement.completed.pk != previous.pk)
    if moved_away and hand_off(actor, previous, exclude=record, audit=audit) is None:
        placement.reopened = previous
    return placement


def withdraw(actor: Any, record: Any, note: str, *, audit: bool = True) -> WorkItem | None:
    """Before a record is deleted: its item reopens, unless another record takes it over."""
    previous = unlink(actor, record, note, audit=audit)
    if previous is not None and hand_off(actor, previous, exclude=record, audit=audit) is None:
        return previous
    return None


def pick(actor: Any, record: Any, item: WorkItem) -> WorkItem:
    """When several items match, the user picks which one the record completes."""
    from django.core.exceptions import ValidationError

    if record.fulfils_id:
        raise ValidationError("该记录已完成一个事项")
    if item.pk not in {c.pk for c in record_candidates(record, lock=True)}:
        raise ValidationError("该事项不能由此记录完成")
    return complete(actor, item, record)
