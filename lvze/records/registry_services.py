"""Writes of activities, the registries (共建, 品牌, 先锋模范岗, 荣誉), study and the 民主生活会 process.
Each is atomic and appends one audit event; a bulk write (note checks) appends one for the whole batch."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from lvze.audit.services import audit_record, diff_fields
from lvze.duties.services import actor_user
from lvze.lib.periods import Period
from lvze.orgs.models import Organization, Person
from lvze.records.models import (
    DEFAULT_ACTIVITY_TYPES,
    Activity,
    ActivityType,
    LifeMeeting,
    LifeMeetingKind,
    LifeMeetingStage,
    Meeting,
    NoteCheck,
    ProblemEntry,
    StageCode,
    StageState,
)


def unit_of(org: Organization) -> Organization:
    return org.unit or org


def owner_org(instance: models.Model) -> Organization | None:
    if isinstance(instance, ProblemEntry | LifeMeetingStage):
        return instance.process.organization
    if isinstance(instance, ActivityType):
        return instance.unit
    return getattr(instance, "organization", None)


# Generic registry entries (partnerships, brands, pioneer posts, honours, study plans and records, problems)


@transaction.atomic
def registry_save(
    *, actor: Any, instance: models.Model, m2m: dict[str, list] | None = None, before: dict | None = None
) -> models.Model:
    """Create or update one entry. `before` holds the field values as loaded (a ModelForm has already set
    the new ones on the instance) so the audit event records what changed."""
    creating = instance.pk is None
    if hasattr(instance, "created_by_id") and creating:
        instance.created_by = actor_user(actor)
    instance.full_clean(exclude=[f for f in ("created_by",) if hasattr(instance, f)])
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    name = instance._meta.model_name
    if creating:
        changes = {"created": str(instance)}
    else:
        changes = {k: [v, getattr(instance, k)] for k, v in (before or {}).items() if getattr(instance, k) != v}
    audit_record(
        actor=actor,
        action=f"{name}.{'create' if creating else 'update'}",
        obj=instance,
        organization=owner_org(instance),
        changes=changes,
    )
    return instance


@transaction.atomic
def registry_delete(*, actor: Any, instance: models.Model) -> None:
    audit_record(
        actor=actor,
        action=f"{instance._meta.model_name}.delete",
        obj=instance,
        organization=owner_org(instance),
        changes={"deleted": str(instance)},
    )
    try:
        instance.delete()
    except models.ProtectedError as exc:
        raise ValidationError("该条目已被其他记录引用，不能删除") from exc


def field_values(instance: models.Model) -> dict[str, Any]:
    return {f.name: getattr(instance, f.name) for f in instance._meta.concrete_fields if not f.primary_key}


# Activity types: one configurable list per unit


@transaction.atomic
def activity_types_install(*, actor: Any, unit: Organization) -> list[ActivityType]:
    """The default list, installed the first time a unit records an activity; the unit may then edit it."""
    unit = unit_of(unit)
    if ActivityType.objects.filter(unit=unit).exists():
        return list(ActivityType.objects.filter(unit=unit))
    types = ActivityType.objects.bulk_create(
        ActivityType(unit=unit, name=name, order=i) for i, name in enumerate(DEFAULT_ACTIVITY_TYPES)
    )
    audit_record(
        actor=actor, action="activity_type.install", organization=unit, changes={"types": DEFAULT_ACTIVITY_TYPES}
    )
    return types


@transaction.atomic
def activity_type_save(*, actor: Any, unit: Organization, name: str, order: int = 0, active: bool = True,
                       instance: ActivityType | None = None) -> ActivityType:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写活动类型名称"})
    clash = ActivityType.objects.filter(unit=unit, name=name)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationError({"name": f"已有名为“{name}”的活动类型"})
    before = field_values(instance) if instance else {}
    instance = instance or ActivityType(unit=unit)
    instance.name, instance.order, instance.active = name, order, active
    instance.save()
    audit_record(
        actor=actor,
        action="activity_type.save",
        obj=instance,
        organization=unit,
        changes=diff_fields(instance, before) if before else {"created": name},
    )
    return instance


# Activities

ACTIVITY_FIELDS = (
    "organization", "activity_type", "name", "held_on", "ends_on", "place", "participant_count", "people_covered",
    "problems_solved", "amount", "partnership", "brand", "partner_name", "work_area", "highlight", "summary",
    "imported_from",
)


def check_activity(values: dict[str, Any]) -> None:
    org, kind = values.get("organization"), values.get("activity_type")
    if org is not None and kind is not None and kind.unit_id != unit_of(org).pk:
        raise ValidationError({"activity_type": "活动类型不属于该组织所在单位"})
    if values.get("ends_on") and values.get("held_on") and values["ends_on"] < values["held_on"]:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期"})
    for key, label in (("participant_count", "参与人数"), ("people_covered", "覆盖群众人数"), ("problems_solved", "解决问题数")):
        if (values.get(key) or 0) < 0:
            raise ValidationError({key: f"{label}不能为负数"})
    if values.get("amount") is not None and values["amount"] < 0:
        raise ValidationError({"amount": "金额不能为负数"})


@transaction.atomic
def activity_record(*, actor: Any, organization: Organization, activity_type: ActivityType, name: str,
                    held_on: date, participants: list[Person] | None = None, **details: Any) -> Activity:
    values = {"organization": organization, "activity_type": activity_type, "name": name, "held_on": held_on, **details}
    check_activity(values)
    if participants and not details.get("participant_count"):
        values["participant_count"] = len(participants)
    activity = Activity.objects.create(created_by=actor_user(actor), **values)
    if participants:
        activity.participants.set(participants)
    audit_record(
        actor=actor,
        action="activity.record",
        obj=activity,
        organization=organization,
        changes={"type": activity_type.name, "held_on": str(held_on), "name": name,
                 "people_covered": activity.people_covered},
    )
    return activity


@transaction.atomic
def activity_update(*, actor: Any, activity: Activity, participants: list[Person] | None = None,
                    **changes: Any) -> Activity:
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValueError(f"unknown activity fields: {sorted(unknown)}")
    check_activity({**field_values(activity), **changes})
    if participants and not changes.get("participant_count"):
        changes["participant_count"] = len(participants)
    diff = diff_fields(activity, changes)
    for name, value in changes.items():
        setattr(activity, name, value)
    activity.save(update_fields=[*changes, "updated_at"])
    if participants is not None:
        activity.participants.set(participants)
    audit_record(actor=actor, action="activity.update", obj=activity, organization=activity.organization, changes=diff)
    return activity


@transaction.atomic
def activity_delete(*, actor: Any, activity: Activity) -> None:
    audit_record(actor=actor, action="activity.delete", obj=activity, organization=activity.organization,
                 changes={"name": activity.name, "held_on": str(activity.held_on)})
    activity.delete()


# Study: the quarterly check of 政治学习笔记


@transaction.atomic
def note_checks_record(
    *, actor: Any, organization: Organization, period: str, checked_on: date, results: dict[Person, tuple[str, str]]
) -> int:
    """One quarter's check of the members' notes, as one batch with one audit event."""
    Period.parse(period)
    for person, (result, remark) in results.items():
        NoteCheck.objects.update_or_create(
            person=person,
            period=period,
            defaults={"organization": organization, "checked_on": checked_on, "result": result,
                      "remark": remark[:200], "checked_by": actor_user(actor)},
        )
    audit_record(
        actor=actor,
        action="note_check.record",
        organization=organization,
        object_repr=f"{organization.name} {period} 政治学习笔记检查",
        changes={"period": period, "checked": len(results),
                 "results": {p.name: r for p, (r, _remark) in results.items()}},
    )
    return len(results)


# 民主生活会 / 组织生活会 as a process

STAGE_ORDER = list(StageCode)


@transaction.atomic
def life_meeting_create(*, actor: Any, organization: Organization, kind: str, year: int, title: str = "",
                        theme: str = "") -> LifeMeeting:
    if LifeMeeting.objects.filter(organization=organization, kind=kind, year=year).exists():
        raise ValidationError({"year": f"{organization.name}已有{year}年度{LifeMeetingKind(kind).label}"})
    process = LifeMeeting.objects.create(
        organization=organization,
        kind=kind,
        year=year,
        title=title or f"{year}年度{LifeMeetingKind(kind).label}",
        theme=theme,
        created_by=actor_user(actor),
    )
    LifeMeetingStage.objects.bulk_create(
        LifeMeetingStage(process=process, code=code, order=i) for i, code in enumerate(STAGE_ORDER)
    )
    audit_record(actor=actor, action="life_meeting.create", obj=process, organization=organization,
                 changes={"kind": kind, "year": year})
    return process


@transaction.atomic
def life_stage_update(*, actor: Any, stage: LifeMeetingStage, state: str, done_on: date | None = None,
                      note: str = "") -> LifeMeetingStage:
    if state == StageState.DONE and done_on is None:
        raise ValidationError({"done_on": "已完成的环节须填写完成日期"})
    before = field_values(stage)
    stage.state, stage.done_on, stage.note = state, done_on, note
    stage.save(update_fields=["state", "done_on", "note"])
    audit_record(actor=actor, action="life_stage.update", obj=stage.process, organization=stage.process.organization,
                 changes={"stage": stage.get_code_display(), **diff_fields(stage, before)})
    return stage


@transaction.atomic
def life_meeting_link(*, actor: Any, process: LifeMeeting, meeting: Meeting) -> LifeMeeting:
    """The meeting itself: the 召开会议 stage is done on the meeting's date."""
    if meeting.organization_id != process.organization_id or meeting.kind != process.kind:
        raise ValidationError("只能关联本组织同类型的会议记录")
    process.meeting = meeting
    process.save(update_fields=["meeting"])
    stage = process.stages.get(code=StageCode.MEETING)
    stage.state, stage.done_on = StageState.DONE, meeting.held_on
    stage.save(update_fields=["state", "done_on"])
    audit_record(actor=actor, action="life_meeting.link", obj=process, organization=process.organization,
                 changes={"meeting": str(meeting)})
    return process


def next_problem_seq(process: LifeMeeting) -> int:
    last = process.problems.aggregate(m=models.Max("seq"))["m"]
    return (last or 0) + 1
