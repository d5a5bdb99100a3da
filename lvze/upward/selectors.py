"""Reads of reviews and submissions, and the scope checks behind every 审议/上报 page.

A draft's reviews are read by whoever reads the draft (`documents.selectors`) and written by the
unit's own 党务管理员. A submission is read on its submitting unit and above — so the higher level
reads what its units sent, a sibling unit never does — and received or returned only by the
党务管理员 of the unit it was sent to: that is the one write a higher level makes below itself.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from lvze.accounts.models import Role
from lvze.documents.models import Draft
from lvze.documents.selectors import DRAFT_READERS, drafts_for_user
from lvze.duties.selectors import UNIT_READERS
from lvze.orgs.models import UNIT_KINDS, Organization
from lvze.orgs.selectors import grant_orgs, own_unit_q, subtree_q
from lvze.records.models import Meeting, MeetingKind
from lvze.upward.models import (
    LIVE_SUBMISSION_STATES,
    Review,
    ReviewState,
    Submission,
    SubmissionRequirement,
)

SUBMISSION_READERS = DRAFT_READERS
COMMITTEE_MEETINGS_SHOWN = 50


def parent_unit(unit: Organization) -> Organization | None:
    """The nearest higher 党委/党组: where the unit's reports go."""
    if unit.parent_id is None:
        return None
    parent = Organization.objects.select_related("unit").get(pk=unit.parent_id)
    return parent.unit


# --- reviews -------------------------------------------------------------------------------


def draft_reviews(draft: Draft) -> QuerySet[Review]:
    return draft.reviews.select_related("version", "meeting", "submitted_by", "decided_by").order_by("-round")


def latest_review(draft: Draft) -> Review | None:
    return draft_reviews(draft).first()


def review_state(review: Review | None) -> str:
    return review.state if review is not None else ReviewState.DRAFTING


def review_blocker(draft: Draft, latest: Review | None) -> str:
    """Why the draft cannot be put to the 党委会 now ("" when it can). The service checks the same."""
    if draft.version < 1:
        return "草稿尚未保存任何版本"
    if latest is None or latest.state == ReviewState.RETURNED:
        return ""
    if latest.state == ReviewState.PENDING:
        return "已提交审议，等待党委会审议"
    if latest.version.number == draft.version:
        return "当前版本已审议通过，无需再次提交审议"
    if latest.submissions.filter(state__in=LIVE_SUBMISSION_STATES).exists():
        return "审议通过的版本已上报，上级退回前不能再提交审议"
    return ""


def committee_meetings(unit: Organization) -> QuerySet[Meeting]:
    """The unit's 党委会 records, newest first: the meetings a review can be linked to."""
    return Meeting.objects.filter(organization=unit, kind=MeetingKind.COMMITTEE_MEETING).order_by(
        "-held_on", "-id"
    )


def review_drafts_for_user(user) -> QuerySet[Draft]:
    """Drafts of the reader's own units (not those below): the 审议与上报 list."""
    own = Q(pk__in=[])
    for org in grant_orgs(user, DRAFT_READERS):
        own |= Q(unit_id=org.unit_id)
    return drafts_for_user(user).filter(own)


# --- submissions ---------------------------------------------------------------------------


def submissions_for_user(user) -> QuerySet[Submission]:
    return Submission.objects.filter(
        subtree_q(grant_orgs(user, SUBMISSION_READERS), "from_unit__")
    ).select_related("from_unit", "to_unit", "version", "submitted_by", "decided_by", "work_item")


def submission_for_user(user, submission_id: int) -> Submission:
    submission = submissions_for_user(user).filter(pk=submission_id).first()
    if submission is None:
        raise Http404("上报记录不存在或不在您的权限范围内")
    return submission


def receivable_q(user) -> Q:
    """Submissions sent to a unit whose 党务管理员 the user is."""
    condition = Q(pk__in=[])
    for org in grant_orgs(user, {Role.PARTY_ADMIN}):
        condition |= Q(to_unit_id=org.unit_id)
    return condition


def can_receive(user, submission: Submission) -> bool:
    return Submission.objects.filter(receivable_q(user), pk=submission.pk).exists()


def incoming_for_user(user) -> QuerySet[Submission]:
    """收件箱: what was sent to the reader's units or to units below them."""
    return submissions_for_user(user).filter(subtree_q(grant_orgs(user, SUBMISSION_READERS), "to_unit__"))


def outgoing_for_user(user) -> QuerySet[Submission]:
    """What the reader's own units sent up."""
    own = Q(pk__in=[])
    for org in grant_orgs(user, SUBMISSION_READERS):
        own |= Q(from_unit_id=org.unit_id)
    return submissions_for_user(user).filter(own)


def live_submission(review: Review) -> Submission | None:
    return review.submissions.filter(state__in=LIVE_SUBMISSION_STATES).first()


# --- requirements --------------------------------------------------------------------------


def requirement_units_for_user(user) -> QuerySet[Organization]:
    """Units whose 上报要求 the user maintains: its own units, as their 党务管理员."""
    return Organization.objects.filter(
        own_unit_q(grant_orgs(user, {Role.PARTY_ADMIN})), kind__in=UNIT_KINDS
    ).order_by("path")


def requirement_unit_for_user(user, code: str) -> Organization:
    unit = requirement_units_for_user(user).filter(code=code).first()
    if unit is None:
        raise Http404("单位不存在或您无权设置其上报要求")
    return unit


def requirements_for_user(user) -> QuerySet[SubmissionRequirement]:
    """Requirements of the reader's units and of the units above them (what is asked of them)."""
    orgs = grant_orgs(user, UNIT_READERS)
    condition = subtree_q(orgs, "unit__")
    for org in orgs:
        codes = [c for c in org.path.split("/") if c]
        condition |= Q(unit__code__in=codes)
    return SubmissionRequirement.objects.filter(condition).select_related("unit")


def requirement_for_user(user, requirement_id: int) -> SubmissionRequirement:
    units = requirement_units_for_user(user)
    requirement = SubmissionRequirement.objects.filter(pk=requirement_id, unit__in=units).first()
    if requirement is None:
        raise Http404("上报要求不存在或您无权修改")
    return requirement
