"""Recording a meeting: one transaction that saves it, its attendance, and completes the item it fulfils."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from lvze.audit.services import audit_record
from lvze.duties.models import OPEN_STATUSES, WorkItem
from lvze.duties.services import evidence_link_record, work_item_complete
from lvze.lib.periods import Period
from lvze.orgs.models import Organization, Person
from lvze.records.models import Attendance, Meeting


@dataclass
class RecordOutcome:
    meeting: Meeting
    completed: WorkItem | None
    candidates: list[WorkItem]


def fulfilling_candidates(organization: Organization, kind: str, period: Period) -> list[WorkItem]:
    """Open items of the organisation for this record kind whose period contains the record's period."""
    items = WorkItem.objects.filter(organization=organization, fulfilled_by_kind=kind, status__in=OPEN_STATUSES)
    return [i for i in items.order_by("due_date") if i.period and Period.parse(i.period).contains(period)]


@transaction.atomic
def meeting_record(
    *,
    actor: Any,
    organization: Organization,
    kind: str,
    held_on: date,
    topic: str,
    period: str = "",
    present: list[Person] | None = None,
    absent: dict[Person, str] | None = None,
    **details: Any,
) -> RecordOutcome:
    record_period = Period.parse(period) if period else Period.of_date(held_on, "month")
    if record_period.start > held_on:
        raise ValidationError({"period": "所属期间不能晚于会议日期"})
    meeting = Meeting.objects.create(
        organization=organization,
        kind=kind,
        held_on=held_on,
        topic=topic,
        period=str(record_period),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **details,
    )
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, person=p, present=True) for p in present or []]
        + [Attendance(meeting=meeting, person=p, present=False, absence_reason=r) for p, r in (absent or {}).items()]
    )
    audit_record(
        actor=actor,
        action="meeting.record",
        obj=meeting,
        organization=organization,
        changes={"kind": kind, "held_on": str(held_on), "period": str(record_period), "topic": topic},
    )
    return fulfil(actor, meeting, record_period)


def fulfil(actor: Any, meeting: Meeting, period: Period) -> RecordOutcome:
    candidates = fulfilling_candidates(meeting.organization, f"meeting:{meeting.kind}", period)
    if len(candidates) != 1:
        return RecordOutcome(meeting, None, candidates)
    item = candidates[0]
    work_item_complete(actor=actor, item=item, on=meeting.held_on, note=f"由会议记录完成：{meeting}")
    evidence_link_record(actor=actor, item=item, record=meeting)
    return RecordOutcome(meeting, item, [])


@transaction.atomic
def meeting_fulfil_item(*, actor: Any, meeting: Meeting, item: WorkItem) -> WorkItem:
    """When several items match, the user picks which one the record completes."""
    if item.pk not in {c.pk for c in fulfilling_candidates(meeting.organization, f"meeting:{meeting.kind}", Period.parse(meeting.period))}:
        raise ValidationError("该事项不能由此记录完成")
    work_item_complete(actor=actor, item=item, on=meeting.held_on, note=f"由会议记录完成：{meeting}")
    evidence_link_record(actor=actor, item=item, record=meeting)
    return item
