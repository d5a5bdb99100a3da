"""Writes of the rectification ledger (整改台账).

Each rectification's deadline is a ledger work item (source RECTIFICATION), so reminders and
timeliness apply as to any duty. Its state is read from that item: 整改中 while open, 申请销号 when
submitted (the submission is the moment "done" counts from, so a slow verifier never makes a unit
late), 验收通过 when approved, 已销号 once closed; 退回 and 重新打开 move it back. The same
transitions made from the ledger's own pages therefore keep the two in step.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from lvze.audit.services import audit_record
from lvze.duties.models import DEFAULT_WARN_DAYS, OPEN_STATUSES, Source, Status, WorkItem
from lvze.duties.plan_services import people_in
from lvze.duties.services import (
    evidence_add_file,
    work_item_approve,
    work_item_progress,
    work_item_reopen,
    work_item_return,
    work_item_submit,
)
from lvze.inspections.models import (
    FINDING_TO_RECTIFICATION,
    Finding,
    Rectification,
    RectificationEvent,
    RectificationSource,
    RectificationState,
)
from lvze.inspections.selectors import rectification_state
from lvze.inspections.services import user_or_none, within_unit
from lvze.lib.periods import Period
from lvze.orgs.models import Appointment, Organization, Person, Post
from lvze.records.models import ProblemEntry

WORK_AREAS = {
    RectificationSource.INSPECTION: "党建质量",
    RectificationSource.LIFE_MEETING: "从严治党",
    RectificationSource.ORG_LIFE: "党建质量",
    RectificationSource.EVALUATION: "党建质量",
    RectificationSource.PATROL: "从严治党",
    RectificationSource.SUPERVISION: "综合监督",
    RectificationSource.SELF: "从严治党",
}


def normalise_problem(text: str) -> str:
    return re.sub(r"\s+", "", text)


def source_detail(source: str, source_label: str, supervision_type: str) -> str:
    """What names the source beyond its kind: the supervision type, else the label (the campaign, the
    民主生活会 of a year) — so the same problem found again in next quarter's check is a new item."""
    if source == RectificationSource.SUPERVISION:
        return supervision_type
    return re.sub(r"\s+", "", source_label)


def identity_of(source: str, detail: str, problem: str, responsible_org: Organization) -> str:
    """The import contract's identity: source (as the ledger's 问题来源 column writes it: kind and
    detail) + problem + responsible unit."""
    raw = f"{source}\x1f{detail}\x1f{normalise_problem(problem)}\x1f{responsible_org.code}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def event(rect: Rectification, action: str, actor: Any, note: str = "", at: datetime | None = None) -> RectificationEvent:
    return RectificationEvent.objects.create(
        rectification=rect, action=action, note=note, actor=user_or_none(actor), at=at or timezone.now()
    )


def check_values(
    *,
    unit: Organization,
    source: str,
    problem: str,
    responsible_org: Organization,
    responsible_person: Person | None,
    deadline: date | None,
    supervision_type: str,
) -> None:
    errors: dict[str, str] = {}
    if source not in RectificationSource.values:
        errors["source"] = "请选择问题来源"
    if not problem.strip():
        errors["problem"] = "请填写问题描述"
    if not within_unit(responsible_org, unit):
        errors["responsible_org"] = "责任单位须为本单位的组织或部门"
    if responsible_person is not None and not people_in([unit]).filter(pk=responsible_person.pk).exists():
        errors["responsible_person"] = "责任人须为本单位人员"
    if deadline is None:
        errors["deadline"] = "请填写整改时限"
    if source == RectificationSource.SUPERVISION and not supervision_type:
        errors["supervision_type"] = "监督发现的问题须选择“六位一体”监督类型"
    if errors:
        raise ValidationError(errors)


def ledger_item(identity: str, rect_values: dict[str, Any]) -> WorkItem:
    org: Organization = rect_values["responsible_org"]
    due: date = rect_values["deadline"]
    problem = normalise_spaces(rect_values["problem"])
    return WorkItem.objects.create(
        key=f"rectification:{identity}",
        source=Source.RECTIFICATION,
        organization=org,
        unit_id=org.unit_id or org.pk,
        org_path=org.path,
        responsible_person=rect_values.get("responsible_person"),
        title=f"整改：{problem}"[:300],
        work_area=WORK_AREAS.get(rect_values["source"], ""),
        period=str(Period.of_date(due, "month")),
        due_date=due,
        warn_from=due - timedelta(days=DEFAULT_WARN_DAYS),
    )


def normalise_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@transaction.atomic
def rectification_create(
    *,
    actor: Any,
    unit: Organization,
    source: str,
    problem: str,
    responsible_org: Organization,
    deadline: date,
    measures: str = "",
    responsible_person: Person | None = None,
    source_label: str = "",
    source_ref: str = "",
    supervision_type: str = "",
    finding: Finding | None = None,
    audit: bool = True,
    action: str = RectificationEvent.Action.CREATED,
    created_at: datetime | None = None,
) -> Rectification:
    check_values(
        unit=unit,
        source=source,
        problem=problem,
        responsible_org=responsible_org,
        responsible_person=responsible_person,
        deadline=deadline,
        supervision_type=supervision_type,
    )
    identity = identity_of(source, source_detail(source, source_label, supervision_type), problem, responsible_org)
    if Rectification.objects.filter(identity=identity).exists():
        raise ValidationError({"problem": "台账中已有相同来源、问题和责任单位的整改事项"})
    if source_ref and Rectification.objects.filter(source_ref=source_ref).exists():
        raise ValidationError("该问题已转入整改台账")
    values = {
        "source": source,
        "problem": problem.strip(),
        "measures": measures.strip(),
        "responsible_org": responsible_org,
        "responsible_person": responsible_person,
        "deadline": deadline,
    }
    rect = Rectification.objects.create(
        unit=unit,
        source_label=source_label.strip()[:120],
        source_ref=source_ref,
        supervision_type=supervision_type if source == RectificationSource.SUPERVISION else "",
        finding=finding,
        work_item=ledger_item(identity, values),
        identity=identity,
        created_by=user_or_none(actor),
        **values,
    )
    event(rect, action, actor, at=created_at)
    if audit:
        audit_record(
            actor=actor,
            action="rectification.create",
            obj=rect,
            organization=responsible_org,
            changes={
                "source": source,
                "source_label": rect.source_label,
                "problem": rect.problem,
                "responsible_org": responsible_org.name,
                "responsible_person": responsible_person,
                "deadline": deadline,
            },
        )
    return rect


def secretary_of(org: Organization) -> Person | None:
    appointment = (
        Appointment.objects.filter(organization=org, post=Post.SECRETARY, end__isnull=True)
        .select_related("person")
        .order_by("-start", "-id")
        .first()
    )
    return appointment.person if appointment else None


@transaction.atomic
def finding_rectify(
    *,
    actor: Any,
    finding: Finding,
    deadline: date | None = None,
    measures: str = "",
    responsible_person: Person | None = None,
    at: datetime | None = None,
) -> Rectification:
    """A finding becomes a rectification in one step: its unit responsible, its branch secretary (or
    the given person) the responsible person, the campaign's 整改时限 (or 30 days) the deadline."""
    if Rectification.objects.filter(finding=finding).exists():
        raise ValidationError("该问题已转入整改台账")
    inspection = finding.inspection
    if deadline is None:
        deadline = (inspection.rectify_deadline if inspection else None) or (finding.found_on + timedelta(days=30))
    # A supervision finding is named by its type (kept in supervision_type); others by their campaign.
    label = inspection.name if finding.inspection_id else ""
    return rectification_create(
        actor=actor,
        unit=finding.unit,
        source=FINDING_TO_RECTIFICATION[finding.source],
        problem=finding.description,
        responsible_org=finding.organization,
        responsible_person=responsible_person or secretary_of(finding.organization),
        deadline=deadline,
        measures=measures,
        source_label=label,
        source_ref=f"finding:{finding.pk}",
        supervision_type=finding.supervision_type,
        finding=finding,
        created_at=at,
    )


TAKE_SOURCES = {"life_meeting": RectificationSource.LIFE_MEETING, **{s.value: s for s in RectificationSource}}


@transaction.atomic
def rectification_take(*, actor: Any, unit: Organization, entry: dict[str, Any]) -> Rectification:
    """Take an entry of another ledger (a 民主生活会/组织生活会 问题清单 entry's `as_rectification()`:
    source, source_label, source_ref, problem, measures, responsible_org, responsible_person,
    deadline). An entry is taken once (its `source_ref`)."""
    source = TAKE_SOURCES.get(entry.get("source", ""))
    if source is None:
        raise ValidationError(f"未知的问题来源：{entry.get('source')}")
    if source == RectificationSource.LIFE_MEETING and "组织生活会" in entry.get("source_label", ""):
        source = RectificationSource.ORG_LIFE
    return rectification_create(
        actor=actor,
        unit=unit,
        source=source,
        problem=entry["problem"],
        responsible_org=entry["responsible_org"],
        responsible_person=entry.get("responsible_person"),
        deadline=entry.get("deadline"),
        measures=entry.get("measures", ""),
        source_label=entry.get("source_label", ""),
        source_ref=entry.get("source_ref", ""),
    )


def untaken_problems(units) -> QuerySet:
    """问题清单 entries of 民主生活会/组织生活会 held by the units' organisations, not yet in the ledger."""
    condition = Q(pk__in=[])
    for unit in units:
        condition |= Q(process__organization__path__startswith=unit.path, process__organization__unit_id=unit.pk)
    return (
        ProblemEntry.objects.filter(condition, rectification_ref="")
        .select_related("process__organization", "responsible_org", "responsible_person")
        .order_by("-process__year", "process_id", "seq", "id")
    )


@transaction.atomic
def problem_entries_take(*, actor: Any, unit: Organization, entries, default_deadline: date) -> list[Rectification]:
    """Take 问题清单 entries into the ledger (entries without a 整改时限 get `default_deadline`) and
    mark each as taken with the rectification's number, as the 问题清单 expects."""
    taken = []
    for entry in entries:
        values = entry.as_rectification()
        values["deadline"] = values["deadline"] or default_deadline
        rect = rectification_take(actor=actor, unit=unit, entry=values)
        entry.rectification_ref = str(rect.pk)
        entry.save(update_fields=["rectification_ref"])
        taken.append(rect)
    return taken


@transaction.atomic
def evaluation_entry_rectify(*, actor: Any, entry, deadline: date, at: datetime | None = None) -> list[Rectification]:
    """Each problem named in a 述职评议 becomes a rectification of that branch (once)."""
    evaluation = entry.evaluation
    created = []
    for line in entry.problem_lines:
        ref = f"evaluation:{entry.pk}:{hashlib.sha1(normalise_problem(line).encode()).hexdigest()[:12]}"
        if Rectification.objects.filter(source_ref=ref).exists():
            continue
        created.append(
            rectification_create(
                actor=actor,
                unit=evaluation.unit,
                source=RectificationSource.EVALUATION,
                problem=line,
                responsible_org=entry.organization,
                responsible_person=entry.person,
                deadline=deadline,
                source_label=evaluation.title,
                source_ref=ref,
                created_at=at,
            )
        )
    if not created:
        raise ValidationError("没有需要转入整改台账的新问题")
    return created


@transaction.atomic
def rectification_update(
    *,
    actor: Any,
    rect: Rectification,
    measures: str,
    responsible_person: Person | None,
    deadline: date,
) -> Rectification:
    """Measures, responsible person and deadline; a new deadline moves the open work item."""
    check_values(
        unit=rect.unit,
        source=rect.source,
        problem=rect.problem,
        responsible_org=rect.responsible_org,
        responsible_person=responsible_person,
        deadline=deadline,
        supervision_type=rect.supervision_type,
    )
    values = {"measures": measures.strip(), "responsible_person": responsible_person, "deadline": deadline}
    changes = {k: [getattr(rect, k), v] for k, v in values.items() if getattr(rect, k) != v}
    if not changes:
        return rect
    for name, value in values.items():
        setattr(rect, name, value)
    rect.save(update_fields=[*values, "updated_at"])
    item = rect.work_item
    item_fields = {"responsible_person": responsible_person}
    if item.status in OPEN_STATUSES:
        item_fields.update(
            due_date=deadline,
            warn_from=deadline - timedelta(days=DEFAULT_WARN_DAYS),
            period=str(Period.of_date(deadline, "month")),
        )
    for name, value in item_fields.items():
        setattr(item, name, value)
    item.save(update_fields=[*item_fields, "updated_at"])
    event(rect, RectificationEvent.Action.EDITED, actor, "；".join(f"{k}已修改" for k in changes))
    audit_record(actor=actor, action="rectification.update", obj=rect, organization=rect.responsible_org, changes=changes)
    return rect


def audit_step(actor: Any, rect: Rectification, action: str, note: str, **extra: Any) -> None:
    audit_record(
        actor=actor,
        action=f"rectification.{action}",
        obj=rect,
        organization=rect.responsible_org,
        changes={**({"note": note} if note else {}), **extra},
    )


@transaction.atomic
def rectification_progress(*, actor: Any, rect: Rectification, note: str, at: datetime | None = None) -> Rectification:
    work_item_progress(actor=actor, item=rect.work_item, note=note)
    event(rect, RectificationEvent.Action.PROGRESS, actor, note, at)
    audit_step(actor, rect, "progress", note)
    return rect


@transaction.atomic
def rectification_request_close(
    *, actor: Any, rect: Rectification, note: str, files: list[tuple[str, bytes, str]] = (), at: datetime | None = None
) -> Rectification:
    """申请销号: the responsible side reports the rectification done, with evidence."""
    item = rect.work_item
    if item.status not in OPEN_STATUSES or item.status == Status.SUBMITTED:
        raise ValidationError("只有整改中或被退回的事项可以申请销号")
    if not note.strip():
        raise ValidationError({"note": "请填写整改完成情况"})
    for name, data, content_type in files:
        evidence_add_file(actor=actor, item=item, name=name, data=data, content_type=content_type)
    if not item.evidence.exists():
        raise ValidationError({"file": "申请销号须上传整改佐证材料"})
    work_item_submit(actor=actor, item=item, note=note, at=at)
    event(rect, RectificationEvent.Action.REQUESTED, actor, note, at)
    audit_step(actor, rect, "request_close", note, evidence=item.evidence.count())
    return rect


@transaction.atomic
def rectification_verify(*, actor: Any, rect: Rectification, note: str = "", at: datetime | None = None) -> Rectification:
    work_item_approve(actor=actor, item=rect.work_item, note=note or "验收通过")
    event(rect, RectificationEvent.Action.VERIFIED, actor, note, at)
    audit_step(actor, rect, "verify", note)
    return rect


@transaction.atomic
def rectification_return(*, actor: Any, rect: Rectification, note: str, at: datetime | None = None) -> Rectification:
    work_item_return(actor=actor, item=rect.work_item, note=note)
    event(rect, RectificationEvent.Action.RETURNED, actor, note, at)
    audit_step(actor, rect, "return", note)
    return rect


@transaction.atomic
def rectification_close(*, actor: Any, rect: Rectification, note: str = "", at: datetime | None = None) -> Rectification:
    """销号: only after the rectification has been verified."""
    state = rectification_state(rect)
    if state == RectificationState.CLOSED:
        raise ValidationError("该问题已销号")
    if state != RectificationState.VERIFIED:
        raise ValidationError("须先验收通过才能销号")
    rect.closed_at = at or timezone.now()
    rect.closed_by = user_or_none(actor)
    rect.save(update_fields=["closed_at", "closed_by", "updated_at"])
    event(rect, RectificationEvent.Action.CLOSED, actor, note, at)
    audit_step(actor, rect, "close", note)
    return rect


@transaction.atomic
def rectification_reopen(*, actor: Any, rect: Rectification, note: str) -> Rectification:
    """A verified or closed rectification found not to hold: back to 整改中, with the reason."""
    if not note.strip():
        raise ValidationError({"note": "请写明重新打开的原因"})
    work_item_reopen(actor=actor, item=rect.work_item, note=note)
    rect.closed_at = None
    rect.closed_by = None
    rect.save(update_fields=["closed_at", "closed_by", "updated_at"])
    event(rect, RectificationEvent.Action.REOPENED, actor, note)
    audit_step(actor, rect, "reopen", note)
    return rect

