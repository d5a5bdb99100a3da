"""Writes of meetings, talks, attendance and attachments. Each is atomic, appends one audit event, and
keeps the ledger right: saving completes the item the record fulfils, changing it re-places it,
deleting it reopens the item (see `fulfilment`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lvze.audit.services import audit_record, diff_fields
from lvze.duties.models import WorkItem
from lvze.duties.services import actor_user, check_upload, store_blob
from lvze.lib import filetypes
from lvze.lib.periods import Period
from lvze.orgs.models import Organization, Person
from lvze.records import fulfilment
from lvze.records.fulfilment import Placement, fulfilling_candidates  # noqa: F401  (re-exported)
from lvze.records.models import (
    Activity,
    Attachment,
    AttachmentKind,
    Attendance,
    AttendanceStatus,
    LifeMeetingStage,
    Meeting,
    MeetingKind,
    Talk,
)

MEETING_FIELDS = (
    "organization",
    "kind",
    "held_on",
    "period",
    "topic",
    "starts_at",
    "ends_at",
    "place",
    "host",
    "recorder",
    "first_topic",
    "summary",
    "decisions",
    "work_area",
    "roster_note",
    "speaker",
    "lecture_title",
    "theme",
    "activity_form",
    "consultation_level",
    "agenda",
    "outcome",
    "expected_count",
    "attended_count",
    "imported_from",
)
# A change to any of these may change which item the record fulfils.
PLACEMENT_FIELDS = ("organization", "kind", "held_on", "period")


@dataclass(frozen=True)
class Mark:
    """One roster line: 实到, 缺席 (with a reason) or 不计应到 (a reason is required)."""

    person: Person
    status: str = AttendanceStatus.PRESENT
    reason: str = ""


def marks_from(present=None, absent=None, excluded=None) -> list[Mark] | None:
    if present is None and absent is None and excluded is None:
        return None
    return (
        [Mark(p) for p in present or []]
        + [Mark(p, AttendanceStatus.ABSENT, r) for p, r in (absent or {}).items()]
        + [Mark(p, AttendanceStatus.EXCLUDED, r) for p, r in (excluded or {}).items()]
    )


def record_period(held_on: date, period: str) -> Period:
    try:
        value = Period.parse(period) if period else Period.of_date(held_on, "month")
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    if value.start > held_on:
        raise ValidationError({"period": "所属期间不能晚于会议日期"})
    return value


def clean_counts(values: dict[str, Any]) -> None:
    expected, attended = values.get("expected_count") or 0, values.get("attended_count") or 0
    if attended > expected:
        raise ValidationError({"attended_count": f"实到人数（{attended}）不能多于应到人数（{expected}）"})


def apply_marks(meeting: Meeting, marks: list[Mark]) -> dict[str, int]:
    """Replace the meeting's roster lines; a line whose status changes loses the member's confirmation."""
    for mark in marks:
        if mark.status == AttendanceStatus.EXCLUDED and not mark.reason.strip():
            raise ValidationError({"attendance": f"{mark.person.name}不计入应到，须说明原因"})
    existing = {a.person_id: a for a in meeting.attendance.all()}
    keep: set[int] = set()
    for mark in marks:
        values = {
            "present": mark.status == AttendanceStatus.PRESENT,
            "expected": mark.status != AttendanceStatus.EXCLUDED,
            "absence_reason": mark.reason[:100] if mark.status == AttendanceStatus.ABSENT else "",
            "excluded_reason": mark.reason[:100] if mark.status == AttendanceStatus.EXCLUDED else "",
        }
        keep.add(mark.person.pk)
        line = existing.get(mark.person.pk)
        if line is None:
            Attendance.objects.create(meeting=meeting, person=mark.person, **values)
            continue
        changed = [k for k, v in values.items() if getattr(line, k) != v]
        if changed:
            if line.status != mark.status:
                values.update(confirmed_at=None, objection="")
            for key, value in values.items():
                setattr(line, key, value)
            line.save(update_fields=list(values))
    meeting.attendance.exclude(person_id__in=keep).delete()
    expected = sum(m.status != AttendanceStatus.EXCLUDED for m in marks)
    attended = sum(m.status == AttendanceStatus.PRESENT for m in marks)
    return {"expected_count": expected, "attended_count": attended}


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
    excluded: dict[Person, str] | None = None,
    marks: list[Mark] | None = None,
    **details: Any,
) -> Placement:
    """Save a meeting with its roster lines (or, from a 台账 without names, its 应到/实到 counts) and
    complete the item it fulfils."""
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": f"未知的会议类型：{kind}"})
    value = record_period(held_on, period)
    marks = marks if marks is not None else marks_from(present, absent, excluded)
    meeting = Meeting.objects.create(
        organization=organization,
        kind=kind,
        held_on=held_on,
        topic=topic,
        period=str(value),
        created_by=actor_user(actor),
        **details,
    )
    if marks is not None:
        for key, count in apply_marks(meeting, marks).items():
            setattr(meeting, key, count)
        meeting.save(update_fields=["expected_count", "attended_count"])
    else:
        clean_counts(details)
    audit_record(
        actor=actor,
        action="meeting.record",
        obj=meeting,
        organization=organization,
        changes={"kind": kind, "held_on": str(held_on), "period": str(value), "topic": topic},
    )
    return fulfilment.place(actor, meeting)


@transaction.atomic
def meeting_update(*, actor: Any, meeting: Meeting, marks: list[Mark] | None = None, **changes: Any) -> Placement:
    """Edit a meeting. A change of organisation, kind, date or period re-places it in the ledger: it keeps
    its item while that still fits, otherwise the item reopens (or passes to another record that fits)."""
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"unknown meeting fields: {sorted(unknown)}")
    if "held_on" in changes or "period" in changes:
        held_on = changes.get("held_on", meeting.held_on)
        changes["period"] = str(record_period(held_on, changes.get("period", meeting.period)))
    if marks is not None:
        changes.update(apply_marks(meeting, marks))
    else:
        clean_counts({"expected_count": changes.get("expected_count", meeting.expected_count),
                      "attended_count": changes.get("attended_count", meeting.attended_count)})
    diff = diff_fields(meeting, changes)
    for name, value in changes.items():
        setattr(meeting, name, value)
    meeting.save(update_fields=[*changes, "updated_at"])
    audit_record(actor=actor, action="meeting.update", obj=meeting, organization=meeting.organization, changes=diff)
    if any(name in diff for name in PLACEMENT_FIELDS) or meeting.fulfils_id is None:
        return fulfilment.replace(actor, meeting, f"会议记录已修改（{meeting}），重新核对所完成的事项")
    return Placement(meeting, meeting.fulfils, [])


@transaction.atomic
def meeting_delete(*, actor: Any, meeting: Meeting) -> WorkItem | None:
    """Delete a meeting; the item it completed reopens unless another record of the period takes it."""
    reopened = fulfilment.withdraw(actor, meeting, f"会议记录已删除：{meeting}")
    audit_record(
        actor=actor,
        action="meeting.delete",
        obj=meeting,
        organization=meeting.organization,
        changes={"kind": meeting.kind, "held_on": str(meeting.held_on), "topic": meeting.topic},
    )
    meeting.life_processes.update(meeting=None)
    meeting.delete()
    return reopened


@transaction.atomic
def meeting_fulfil_item(*, actor: Any, meeting: Meeting, item: WorkItem) -> WorkItem:
    """When several items match, the user picks which one the record completes."""
    return fulfilment.pick(actor, meeting, item)


@transaction.atomic
def attendance_confirm(*, actor: Any, attendance: Attendance, objection: str = "") -> Attendance:
    """A member confirms their own line, or records an objection to it."""
    attendance.confirmed_at = timezone.now()
    attendance.objection = objection.strip()[:200]
    attendance.save(update_fields=["confirmed_at", "objection"])
    audit_record(
        actor=actor,
        action="attendance.confirm",
        obj=attendance.meeting,
        organization=attendance.meeting.organization,
        changes={"person": attendance.person.name, "status": attendance.status, "objection": attendance.objection},
    )
    return attendance


# Talks

TALK_FIELDS = ("organization", "kind", "held_on", "starts_at", "period", "initiator", "partner", "place", "topic",
               "content", "opinions", "life_meeting")


def check_talk(values: dict[str, Any]) -> None:
    if values.get("initiator") and values.get("initiator") == values.get("partner"):
        raise ValidationError({"partner": "谈话人与谈话对象不能是同一人"})


@transaction.atomic
def talk_record(
    *,
    actor: Any,
    organization: Organization,
    held_on: date,
    initiator: Person,
    partner: Person,
    topic: str,
    period: str = "",
    **details: Any,
) -> Placement:
    check_talk({"initiator": initiator, "partner": partner})
    value = record_period(held_on, period)
    talk = Talk.objects.create(
        organization=organization,
        held_on=held_on,
        period=str(value),
        initiator=initiator,
        partner=partner,
        topic=topic,
        created_by=actor_user(actor),
        **details,
    )
    audit_record(
        actor=actor,
        action="talk.record",
        obj=talk,
        organization=organization,
        changes={"held_on": str(held_on), "initiator": initiator.name, "partner": partner.name, "topic": topic},
    )
    return fulfilment.place(actor, talk)


@transaction.atomic
def talk_update(*, actor: Any, talk: Talk, **changes: Any) -> Placement:
    unknown = set(changes) - set(TALK_FIELDS)
    if unknown:
        raise ValueError(f"unknown talk fields: {sorted(unknown)}")
    check_talk({"initiator": changes.get("initiator", talk.initiator), "partner": changes.get("partner", talk.partner)})
    if "held_on" in changes or "period" in changes:
        changes["period"] = str(record_period(changes.get("held_on", talk.held_on), changes.get("period", talk.period)))
    diff = diff_fields(talk, changes)
    for name, value in changes.items():
        setattr(talk, name, value)
    talk.save(update_fields=[*changes, "updated_at"])
    audit_record(actor=actor, action="talk.update", obj=talk, organization=talk.organization, changes=diff)
    if any(name in diff for name in PLACEMENT_FIELDS) or talk.fulfils_id is None:
        return fulfilment.replace(actor, talk, f"谈心谈话记录已修改（{talk}），重新核对所完成的事项")
    return Placement(talk, talk.fulfils, [])


@transaction.atomic
def talk_delete(*, actor: Any, talk: Talk) -> WorkItem | None:
    reopened = fulfilment.withdraw(actor, talk, f"谈心谈话记录已删除：{talk}")
    audit_record(actor=actor, action="talk.delete", obj=talk, organization=talk.organization,
                 changes={"held_on": str(talk.held_on), "topic": talk.topic})
    talk.delete()
    return reopened


@transaction.atomic
def talk_fulfil_item(*, actor: Any, talk: Talk, item: WorkItem) -> WorkItem:
    return fulfilment.pick(actor, talk, item)


# Attachments


def attachment_owner_field(owner: Any) -> str:
    if isinstance(owner, Meeting):
        return "meeting"
    if isinstance(owner, Activity):
        return "activity"
    if isinstance(owner, LifeMeetingStage):
        return "stage"
    raise TypeError(f"records cannot carry attachments: {type(owner).__name__}")


def owner_organization(owner: Any) -> Organization:
    return owner.process.organization if isinstance(owner, LifeMeetingStage) else owner.organization


@transaction.atomic
def attachment_add(
    *, actor: Any, owner: Any, name: str, data: bytes, content_type: str = "", kind: str = AttachmentKind.OTHER
) -> Attachment:
    """Minutes, photos and materials, stored under their SHA-256 in the same store as the ledger's evidence;
    the content must be what the name says, the stored name is sanitised and the type is the proven one."""
    content_type = filetypes.MIME_TYPES[check_upload(name, len(data), data)]
    name = filetypes.safe_filename(name)
    digest = store_blob(data)
    attachment = Attachment.objects.create(
        **{attachment_owner_field(owner): owner},
        kind=kind if kind in AttachmentKind.values else AttachmentKind.OTHER,
        name=name[:200],
        sha256=digest,
        size=len(data),
        content_type=content_type[:100],
        added_by=actor_user(actor),
    )
    audit_record(
        actor=actor,
        action="attachment.add",
        obj=owner,
        organization=owner_organization(owner),
        changes={"name": name, "sha256": digest, "size": len(data)},
    )
    return attachment


@transaction.atomic
def attachment_delete(*, actor: Any, attachment: Attachment) -> None:
    """The row goes; the stored file stays, since identical files are stored once and may be shared."""
    owner = attachment.owner
    audit_record(
        actor=actor,
        action="attachment.delete",
        obj=owner,
        organization=owner_organization(owner),
        changes={"name": attachment.name, "sha256": attachment.sha256},
    )
    attachment.delete()
