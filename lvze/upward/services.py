"""Writes of 审议 and 上报. Each function is atomic, moves one state by a conditional UPDATE (so two
people acting at once never both succeed), appends an audit event and tells the other side.

States never skip: 起草 → 提交审议 → 审议通过 / 退回修改; only an adopted round is submitted upward;
已上报 → 已接收 / 退回. The version put to the 党委会 is stored on the round and is what goes up,
whatever is edited afterwards.

Required submissions are work items of the submitting unit: 上报 submits the item at that moment and
接收 completes it as of the submission (`work_item_approve`), so a reviewer's delay never makes a unit
late; 退回 reopens it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lvze.accounts.models import Role, RoleGrant
from lvze.audit.services import audit_record
from lvze.documents.models import Draft
from lvze.duties.models import Status, WorkItem
from lvze.duties.services import work_item_approve, work_item_return, work_item_submit
from lvze.lib.periods import Period
from lvze.orgs.models import Organization
from lvze.records.models import Meeting, MeetingKind
from lvze.reminders.models import Notification
from lvze.upward.generation import requirement_item, submission_key
from lvze.upward.kinds import kind_label, report_kinds
from lvze.upward.models import (
    LIVE_SUBMISSION_STATES,
    PeriodScope,
    Review,
    ReviewState,
    Submission,
    SubmissionRequirement,
    SubmissionState,
)
from lvze.upward.selectors import parent_unit, review_blocker

MAX_COMMENTS = 2000


def user_or_none(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def party_admin_ids(unit: Organization) -> set[int]:
    return set(
        RoleGrant.objects.filter(role=Role.PARTY_ADMIN, organization=unit).values_list("user_id", flat=True)
    )


def notify(user_ids: set[int], title: str, url: str, body: str = "") -> None:
    Notification.objects.bulk_create(
        [Notification(user_id=uid, title=title[:200], body=body, url=url[:300]) for uid in sorted(user_ids)]
    )


def clean_comments(text: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_COMMENTS:
        raise ValidationError({"comments": f"意见不超过{MAX_COMMENTS}字"})
    return text


# --- 审议 ----------------------------------------------------------------------------------


@transaction.atomic
def review_submit(*, actor: Any, draft: Draft, at: datetime | None = None) -> Review:
    """Put the draft's current version to the 党委会 (起草 or 退回修改 → 提交审议)."""
    current = Draft.objects.select_for_update().select_related("unit").get(pk=draft.pk)
    latest = current.reviews.select_related("version").order_by("-round").first()
    blocker = review_blocker(current, latest)
    if blocker:
        raise ValidationError(blocker)
    version = current.versions.get(number=current.version)
    review = Review.objects.create(
        draft=current,
        round=(latest.round + 1) if latest else 1,
        version=version,
        state=ReviewState.PENDING,
        submitted_by=user_or_none(actor),
        submitted_at=at or timezone.now(),
    )
    audit_record(
        actor=actor,
        action="review.submit",
        obj=review,
        organization=current.unit,
        changes={"draft": current.pk, "title": version.title, "version": version.number, "round": review.round},
    )
    return review


def check_meeting(review: Review, meeting: Meeting | None, at: datetime, *, required: bool) -> None:
    if meeting is None:
        if required:
            raise ValidationError({"meeting": "请选择审议该文档的党委会记录"})
        return
    if meeting.organization_id != review.draft.unit_id or meeting.kind != MeetingKind.COMMITTEE_MEETING:
        raise ValidationError({"meeting": "只能选择本单位的党委会记录"})
    if meeting.held_on > timezone.localdate(at):
        raise ValidationError({"meeting": "党委会日期不能晚于审议登记日期"})


def decide(actor: Any, review: Review, state: str, meeting: Meeting | None, comments: str, at: datetime) -> Review:
    updated = Review.objects.filter(pk=review.pk, state=ReviewState.PENDING).update(
        state=state, meeting=meeting, comments=comments, decided_by=user_or_none(actor), decided_at=at
    )
    if updated != 1:
        raise ValidationError("该轮审议已有结果（可能已被他人登记），请刷新页面")
    review.refresh_from_db()
    audit_record(
        actor=actor,
        action="review.adopt" if state == ReviewState.ADOPTED else "review.return",
        obj=review,
        organization=review.draft.unit,
        changes={
            "state": [ReviewState.PENDING, state],
            "version": review.version.number,
            "meeting": str(meeting) if meeting else None,
            **({"comments": comments} if comments else {}),
        },
    )
    return review


@transaction.atomic
def review_adopt(
    *, actor: Any, review: Review, meeting: Meeting, comments: str = "", at: datetime | None = None
) -> Review:
    """提交审议 → 审议通过, linked to the 党委会 that adopted it; the round's version is the adopted one."""
    at = at or timezone.now()
    check_meeting(review, meeting, at, required=True)
    return decide(actor, review, ReviewState.ADOPTED, meeting, clean_comments(comments), at)


@transaction.atomic
def review_return(
    *, actor: Any, review: Review, comments: str, meeting: Meeting | None = None, at: datetime | None = None
) -> Review:
    """提交审议 → 退回修改, with the 党委会's comments; the draft can then be revised and put again."""
    at = at or timezone.now()
    comments = clean_comments(comments)
    if not comments:
        raise ValidationError({"comments": "退回修改时请写明审议意见"})
    check_meeting(review, meeting, at, required=False)
    return decide(actor, review, ReviewState.RETURNED, meeting, comments, at)


# --- 上报 ----------------------------------------------------------------------------------


def submission_period(draft: Draft, period: str) -> Period:
    text = draft.period or period
    if not text:
        raise ValidationError({"period": "请填写所报期间，如 2023H1"})
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from None


def submission_item(unit: Organization, to_unit: Organization, kind: str, period: Period) -> WorkItem | None:
    """The work item this submission fulfils: generated already, or created now when the higher level
    requires this kind for this period (a unit may submit before anyone ran the generation)."""
    item = WorkItem.objects.filter(key=submission_key(unit, kind, period)).first()
    if item is not None:
        return item
    for requirement in SubmissionRequirement.objects.filter(unit=to_unit, kind=kind, active=True):
        if requirement.applies_to(period):
            WorkItem.objects.bulk_create([requirement_item(requirement, unit, period)], ignore_conflicts=True)
            return WorkItem.objects.get(key=submission_key(unit, kind, period))
    return None


def submission_url(submission: Submission) -> str:
    return reverse("upward:submission-detail", args=[submission.pk])


@transaction.atomic
def submission_create(
    *, actor: Any, review: Review, period: str = "", note: str = "", at: datetime | None = None
) -> Submission:
    """上报 the adopted version of the latest round to the nearest higher 党委."""
    review = Review.objects.select_for_update().select_related("draft__unit", "version").get(pk=review.pk)
    draft = review.draft
    if review.state != ReviewState.ADOPTED:
        raise ValidationError("只有经党委会审议通过的文档才能上报")
    if draft.reviews.filter(round__gt=review.round).exists():
        raise ValidationError("该文档已有更新一轮的审议，请上报最新审议通过的版本")
    to_unit = parent_unit(draft.unit)
    if to_unit is None:
        raise ValidationError("本单位没有上级党委，无需上报")
    the_period = submission_period(draft, period)
    live = Submission.objects.filter(
        from_unit=draft.unit, kind=draft.kind, period=str(the_period), state__in=LIVE_SUBMISSION_STATES
    ).first()
    if live is not None:
        raise ValidationError(f"{the_period.label()}{kind_label(draft.kind)}{live.get_state_display()}，不能重复上报")
    at = at or timezone.now()
    item = submission_item(draft.unit, to_unit, draft.kind, the_period)
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                review=review,
                draft=draft,
                version=review.version,
                from_unit=draft.unit,
                to_unit=to_unit,
                kind=draft.kind,
                period=str(the_period),
                title=review.version.title,
                note=note.strip()[:200],
                work_item=item,
                submitted_by=user_or_none(actor),
                submitted_at=at,
            )
    except IntegrityError:
        raise ValidationError("该期间的同类文档刚刚已被上报，请刷新页面") from None
    if item is not None and item.status in (Status.TODO, Status.IN_PROGRESS, Status.RETURNED):
        work_item_submit(actor=actor, item=item, note=f"上报：{submission.title}", at=at)
    audit_record(
        actor=actor,
        action="submission.create",
        obj=submission,
        organization=draft.unit,
        changes={
            "to": to_unit.code,
            "kind": draft.kind,
            "period": str(the_period),
            "version": review.version.number,
            "work_item": item.pk if item else None,
        },
    )
    notify(
        party_admin_ids(to_unit),
        f"{draft.unit.name}上报：{submission.title}",
        submission_url(submission),
        f"{the_period.label()}{kind_label(draft.kind)}，请接收或退回。",
    )
    return submission


def submitting_side(submission: Submission) -> set[int]:
    ids = party_admin_ids(submission.from_unit)
    if submission.submitted_by_id:
        ids.add(submission.submitted_by_id)
    return ids


def settle(actor: Any, submission: Submission, state: str, comments: str, at: datetime) -> Submission:
    updated = Submission.objects.filter(pk=submission.pk, state=SubmissionState.SUBMITTED).update(
        state=state, comments=comments, decided_by=user_or_none(actor), decided_at=at
    )
    if updated != 1:
        raise ValidationError("该上报已被处理，请刷新页面")
    submission.refresh_from_db()
    return submission


@transaction.atomic
def submission_receive(
    *, actor: Any, submission: Submission, comments: str = "", at: datetime | None = None
) -> Submission:
    """已上报 → 已接收; the unit's required item is done as of the submission, not of the receipt."""
    comments = clean_comments(comments)
    submission = settle(actor, submission, SubmissionState.RECEIVED, comments, at or timezone.now())
    item = submission.work_item
    if item is not None and item.status == Status.SUBMITTED:
        work_item_approve(actor=actor, item=item, note=f"{submission.to_unit.name}已接收")
    audit_record(
        actor=actor,
        action="submission.receive",
        obj=submission,
        organization=submission.to_unit,
        changes={"state": [SubmissionState.SUBMITTED, SubmissionState.RECEIVED], "from": submission.from_unit.code},
    )
    notify(
        submitting_side(submission),
        f"{submission.to_unit.name}已接收：{submission.title}",
        submission_url(submission),
        comments,
    )
    return submission


@transaction.atomic
def submission_return(
    *, actor: Any, submission: Submission, comments: str, at: datetime | None = None
) -> Submission:
    """已上报 → 退回, with comments; the unit's item reopens until a revised version is received."""
    comments = clean_comments(comments)
    if not comments:
        raise ValidationError({"comments": "退回时请写明意见"})
    submission = settle(actor, submission, SubmissionState.RETURNED, comments, at or timezone.now())
    item = submission.work_item
    if item is not None and item.status == Status.SUBMITTED:
        work_item_return(actor=actor, item=item, note=f"{submission.to_unit.name}退回：{comments}")
    audit_record(
        actor=actor,
        action="submission.return",
        obj=submission,
        organization=submission.to_unit,
        changes={
            "state": [SubmissionState.SUBMITTED, SubmissionState.RETURNED],
            "from": submission.from_unit.code,
            "comments": comments,
        },
    )
    notify(
        submitting_side(submission),
        f"{submission.to_unit.name}退回：{submission.title}",
        submission_url(submission),
        comments,
    )
    return submission


def review_export_log(*, actor: Any, review: Review) -> None:
    """Who took the version put to the 党委会 out of the platform."""
    audit_record(
        actor=actor,
        action="review.export",
        obj=review,
        organization=review.draft.unit,
        changes={"version": review.version.number},
    )


def submission_export_log(*, actor: Any, submission: Submission) -> None:
    """Who took the submitted document out of the platform."""
    audit_record(
        actor=actor,
        action="submission.export",
        obj=submission,
        organization=submission.to_unit,
        changes={"version": submission.version.number},
    )


# --- 上报要求 ------------------------------------------------------------------------------

OVERLAPS = {
    PeriodScope.H1: {PeriodScope.H1, PeriodScope.HALF},
    PeriodScope.H2: {PeriodScope.H2, PeriodScope.HALF},
    PeriodScope.HALF: {PeriodScope.H1, PeriodScope.H2, PeriodScope.HALF},
    PeriodScope.YEAR: {PeriodScope.YEAR},
}


def validate_requirement(unit: Organization, kind: str, name: str, scope: str, offset: int, day: int) -> None:
    if kind not in dict(report_kinds()):
        raise ValidationError({"kind": f"未知的文档类型：{kind}"})
    if not name.strip() or len(name) > 60:
        raise ValidationError({"name": "请填写名称（不超过60字）"})
    if scope not in PeriodScope.values:
        raise ValidationError({"period_scope": "期间应为上半年、下半年、每半年或全年"})
    if not 0 <= offset <= 12 or not 1 <= day <= 31:
        raise ValidationError({"due_day": "报送时限应为期满后0至12个月内的1至31日"})
    clash = SubmissionRequirement.objects.filter(unit=unit, kind=kind, period_scope__in=OVERLAPS[scope])
    if clash.exists():
        raise ValidationError({"period_scope": f"已有同类文档在该期间的上报要求：{clash.first()}"})


@transaction.atomic
def requirement_create(
    *,
    actor: Any,
    unit: Organization,
    kind: str,
    name: str,
    period_scope: str,
    due_month_offset: int,
    due_day: int,
) -> SubmissionRequirement:
    validate_requirement(unit, kind, name, period_scope, due_month_offset, due_day)
    requirement = SubmissionRequirement.objects.create(
        unit=unit,
        kind=kind,
        name=name.strip(),
        period_scope=period_scope,
        due_month_offset=due_month_offset,
        due_day=due_day,
    )
    audit_record(
        actor=actor,
        action="requirement.create",
        obj=requirement,
        organization=unit,
        changes={"kind": kind, "period_scope": period_scope, "due": requirement.due_label},
    )
    return requirement


@transaction.atomic
def requirement_set_active(*, actor: Any, requirement: SubmissionRequirement, active: bool) -> SubmissionRequirement:
    """Stopping a requirement stops future generation; items already generated stay in the ledger."""
    if requirement.active != active:
        requirement.active = active
        requirement.save(update_fields=["active"])
        audit_record(
            actor=actor,
            action="requirement.enable" if active else "requirement.disable",
            obj=requirement,
            organization=requirement.unit,
        )
    return requirement


@transaction.atomic
def requirements_install_defaults(*, actor: Any, unit: Organization) -> int:
    """Add the shipped requirements the unit does not have yet (nothing that overlaps one it has)."""
    from lvze.upward.kinds import DEFAULT_REQUIREMENTS

    have = list(SubmissionRequirement.objects.filter(unit=unit).values_list("kind", "period_scope"))
    created = []
    for default in DEFAULT_REQUIREMENTS:
        clash = any(k == default.kind and s in OVERLAPS[default.period_scope] for k, s in have)
        if clash:
            continue
        created.append(
            SubmissionRequirement(
                unit=unit,
                kind=default.kind,
                name=default.name,
                period_scope=default.period_scope,
                due_month_offset=default.due_month_offset,
                due_day=default.due_day,
            )
        )
        have.append((default.kind, default.period_scope))
    SubmissionRequirement.objects.bulk_create(created)
    audit_record(
        actor=actor,
        action="requirement.install_defaults",
        organization=unit,
        changes={"created": len(created)},
        object_repr=f"{unit.name}默认上报要求",
    )
    return len(created)
