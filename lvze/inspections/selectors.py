"""Reads of inspections, findings, rectifications and evaluations, and every access check behind them.

Reading follows the design's scopes: the unit's readers (党务, 领导, 纪检组) and any higher level see
everything of a unit in their subtree; a branch secretary or a department's staff see what concerns
their own organisation; inspectors see their campaigns; a responsible person sees their own items.
Writing stays in the owning unit: its party_admin runs campaigns and the ledger; the 纪检组 raises
findings, verifies and 销号s rectifications, but never alters another person's score or finding.
Out of scope is 404; in scope but not allowed is 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.http import Http404

from lvze.accounts.models import Role
from lvze.duties.models import Status
from lvze.duties.plan_selectors import writable_units_for_user
from lvze.duties.selectors import LEDGER_READERS, UNIT_READERS
from lvze.inspections.models import (
    DutyReport,
    Evaluation,
    EvaluationEntry,
    Finding,
    Inspection,
    InspectionStatus,
    InspectionTarget,
    Rectification,
    RectificationState,
    Score,
)
from lvze.orgs.models import UNIT_KINDS, Organization
from lvze.orgs.selectors import grant_orgs, own_unit_q, subtree_q, user_roles

BRANCH_ROLES = frozenset({Role.SECRETARY, Role.STAFF})


def require_reader(user) -> None:
    """The inspection pages are for the business roles that read the ledger."""
    if not grant_orgs(user, LEDGER_READERS):
        raise Http404


def covers(orgs, org: Organization) -> bool:
    return any(org.path.startswith(g.path) for g in orgs)


def supervised_units_for_user(user) -> QuerySet[Organization]:
    """Units whose 纪检组 the user is: the supervisor role is granted on the unit it supervises."""
    return Organization.objects.filter(
        own_unit_q(grant_orgs(user, {Role.SUPERVISOR})), kind__in=UNIT_KINDS, active=True
    ).order_by("path")


def finding_units_for_user(user) -> QuerySet[Organization]:
    """Units for which the user may record findings: their own as party_admin or as 纪检组."""
    return Organization.objects.filter(
        own_unit_q(grant_orgs(user, {Role.PARTY_ADMIN, Role.SUPERVISOR})), kind__in=UNIT_KINDS, active=True
    ).order_by("path")


def is_unit_writer(user, unit: Organization) -> bool:
    return writable_units_for_user(user).filter(pk=unit.pk).exists()


def is_unit_supervisor(user, unit: Organization) -> bool:
    return supervised_units_for_user(user).filter(pk=unit.pk).exists()


# --- inspections -----------------------------------------------------------------------------


def inspections_for_user(user) -> QuerySet[Inspection]:
    condition = subtree_q(grant_orgs(user, UNIT_READERS), "unit__")
    branches = grant_orgs(user, BRANCH_ROLES)
    if branches:
        targets = InspectionTarget.objects.filter(
            Q(inspection=OuterRef("pk")) & subtree_q(branches, "organization__")
        )
        condition |= Q(Exists(targets))
    if user.person_id:
        condition |= Q(inspectors=user.person_id)
    # Drafts are the organising unit's own business until launched.
    visible = Inspection.objects.filter(condition).filter(
        ~Q(status=InspectionStatus.DRAFT) | subtree_q(grant_orgs(user, UNIT_READERS), "unit__")
    )
    return Inspection.objects.filter(pk__in=visible.values("pk"))


def inspection_text_q(query: str) -> Q:
    """What the inspection list's search box and the global search match in an inspection."""
    return Q(name__contains=query)


def inspection_for_user(user, inspection_id: int) -> Inspection:
    inspection = (
        inspections_for_user(user).select_related("unit", "root", "template").filter(pk=inspection_id).first()
    )
    if inspection is None:
        raise Http404("检查不存在或不在您的权限范围内")
    return inspection


def inspection_rows(inspections: QuerySet[Inspection]) -> QuerySet[Inspection]:
    return inspections.select_related("unit", "root").annotate(
        target_count=Count("targets", distinct=True),
        finding_count=Count("findings", distinct=True),
    )


def can_manage(user, inspection: Inspection) -> bool:
    return is_unit_writer(user, inspection.unit)


def is_inspector(user, inspection: Inspection) -> bool:
    return bool(user.person_id) and inspection.inspectors.filter(pk=user.person_id).exists()


def sees_all_targets(user, inspection: Inspection) -> bool:
    return covers(grant_orgs(user, UNIT_READERS), inspection.unit) or is_inspector(user, inspection)


def targets_for_user(user, inspection: Inspection) -> QuerySet[InspectionTarget]:
    targets = inspection.targets.all()
    if not sees_all_targets(user, inspection):
        targets = targets.filter(subtree_q(grant_orgs(user, BRANCH_ROLES), "organization__"))
    return targets.select_related("organization", "work_item")


def target_for_user(user, inspection: Inspection, target_id: int) -> InspectionTarget:
    target = targets_for_user(user, inspection).filter(pk=target_id).first()
    if target is None:
        raise Http404("检查对象不存在或不在您的权限范围内")
    return target


def can_score(user, inspection: Inspection) -> bool:
    """The organising unit's party_admin and the campaign's inspectors score, while it runs."""
    if inspection.status != InspectionStatus.RUNNING:
        return False
    return can_manage(user, inspection) or is_inspector(user, inspection)


def can_edit_score(user, score: Score, inspection: Inspection) -> bool:
    """A score someone else entered is theirs: only its author or the organising party_admin changes it.
    An unscored item, or one the platform scored from its figures, is open to every inspector."""
    if not can_score(user, inspection):
        return False
    if score.scored_at is None or score.by_platform or score.scored_by_id == user.pk:
        return True
    return can_manage(user, inspection)


def can_self_check(user, target: InspectionTarget) -> bool:
    if target.inspection.status != InspectionStatus.RUNNING or target.work_item is None:
        return False
    if covers(grant_orgs(user, {Role.SECRETARY}), target.organization):
        return True
    return bool(user.person_id) and target.work_item.responsible_person_id == user.person_id


def can_add_finding(user, inspection: Inspection) -> bool:
    if inspection.status == InspectionStatus.DRAFT:
        return False
    return (
        can_manage(user, inspection)
        or is_inspector(user, inspection)
        or is_unit_supervisor(user, inspection.unit)
    )


# --- findings --------------------------------------------------------------------------------


def findings_for_user(user) -> QuerySet[Finding]:
    condition = subtree_q(grant_orgs(user, UNIT_READERS), "unit__") | subtree_q(
        grant_orgs(user, BRANCH_ROLES), "organization__"
    )
    if user.person_id:
        condition |= Q(inspection__inspectors=user.person_id)
    visible = Finding.objects.filter(condition)
    return Finding.objects.filter(pk__in=visible.values("pk"))


def finding_text_q(query: str) -> Q:
    """What the finding list's search box and the global search match in a finding."""
    return Q(description__contains=query)


def finding_for_user(user, finding_id: int) -> Finding:
    finding = (
        findings_for_user(user)
        .select_related("unit", "organization", "inspection", "item", "raised_by")
        .filter(pk=finding_id)
        .first()
    )
    if finding is None:
        raise Http404("问题不存在或不在您的权限范围内")
    return finding


def can_edit_finding(user, finding: Finding) -> bool:
    """Only the one who raised a finding changes it, and only before it becomes a rectification."""
    return finding.raised_by_id == user.pk and not is_rectified(finding)


def is_rectified(finding: Finding) -> bool:
    return Rectification.objects.filter(finding=finding).exists()


def can_rectify_finding(user, finding: Finding) -> bool:
    return not is_rectified(finding) and (
        is_unit_writer(user, finding.unit) or is_unit_supervisor(user, finding.unit)
    )


def supervision_counts(findings: QuerySet[Finding]) -> dict[str, int]:
    """Supervision findings by their six types, in one query."""
    rows = findings.filter(source="supervision").values_list("supervision_type").annotate(n=Count("id")).order_by()
    return dict(rows)


# --- rectifications --------------------------------------------------------------------------


def closed_q() -> Q:
    """销号 stands for the completion it closed: reopened and completed again (say, from the ledger's own
    pages), an item is 验收通过 until it is closed anew."""
    return Q(work_item__status=Status.DONE, closed_at__isnull=False) & (
        Q(closed_at__gte=F("work_item__completed_at")) | Q(work_item__completed_at__isnull=True)
    )


def state_annotation() -> Case:
    item = "work_item__status"
    return Case(
        When(closed_q(), then=Value(RectificationState.CLOSED.value)),
        When(Q(**{item: Status.DONE}), then=Value(RectificationState.VERIFIED.value)),
        When(Q(**{item: Status.SUBMITTED}), then=Value(RectificationState.REQUESTED.value)),
        When(Q(**{item: Status.RETURNED}), then=Value(RectificationState.RETURNED.value)),
        default=Value(RectificationState.IN_PROGRESS.value),
        output_field=CharField(),
    )


def state_q(state: str) -> Q:
    item = "work_item__status"
    return {
        RectificationState.CLOSED: closed_q(),
        RectificationState.VERIFIED: Q(**{item: Status.DONE}) & ~closed_q(),
        RectificationState.REQUESTED: Q(**{item: Status.SUBMITTED}),
        RectificationState.RETURNED: Q(**{item: Status.RETURNED}),
        RectificationState.IN_PROGRESS: Q(**{f"{item}__in": [Status.TODO, Status.IN_PROGRESS]}),
    }[RectificationState(state)]


def rectification_state(rect: Rectification) -> RectificationState:
    item = rect.work_item
    if item.status == Status.DONE:
        closed = rect.closed_at is not None and (item.completed_at is None or rect.closed_at >= item.completed_at)
        return RectificationState.CLOSED if closed else RectificationState.VERIFIED
    if item.status == Status.SUBMITTED:
        return RectificationState.REQUESTED
    if item.status == Status.RETURNED:
        return RectificationState.RETURNED
    return RectificationState.IN_PROGRESS


def rectifications_for_user(user) -> QuerySet[Rectification]:
    # The granted subtrees as id subqueries, not joins: an OR across two joined organisations sends
    # PostgreSQL to a nested loop over every organisation pair (1.4 s for one district's dashboard).
    condition = Q(unit_id__in=org_ids_within(grant_orgs(user, UNIT_READERS))) | Q(
        responsible_org_id__in=org_ids_within(grant_orgs(user, LEDGER_READERS))
    )
    if user.person_id:
        condition |= Q(responsible_person_id=user.person_id)
    return Rectification.objects.filter(condition)


def rectification_text_q(query: str) -> Q:
    """What the ledger's search box and the global search match in a rectification."""
    return (
        Q(problem__contains=query)
        | Q(measures__contains=query)
        | Q(source_label__contains=query)
        | Q(responsible_org__name__contains=query)
    )


def org_ids_within(orgs) -> QuerySet[Organization]:
    return Organization.objects.filter(subtree_q(orgs)).values("pk")


def rectification_for_user(user, rect_id: int) -> Rectification:
    rect = (
        rectifications_for_user(user)
        .select_related("unit", "responsible_org", "responsible_person", "work_item", "finding", "closed_by")
        .filter(pk=rect_id)
        .first()
    )
    if rect is None:
        raise Http404("整改事项不存在或不在您的权限范围内")
    return rect


def can_create_rectification(user) -> bool:
    return finding_units_for_user(user).exists()


def can_handle_rectification(user, rect: Rectification) -> bool:
    """申请销号 and progress: the responsible person, the responsible branch's secretary or department's
    staff, and the unit's party_admin."""
    if user.person_id and rect.responsible_person_id == user.person_id:
        return True
    if covers(grant_orgs(user, BRANCH_ROLES), rect.responsible_org):
        return True
    return is_unit_writer(user, rect.unit)


def can_review_rectification(user, rect: Rectification) -> bool:
    """Verification, return, 销号 and reopening: the unit's party_admin or its 纪检组."""
    return is_unit_writer(user, rect.unit) or is_unit_supervisor(user, rect.unit)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("您无权进行此操作")


# --- evaluations and 述职述廉 ------------------------------------------------------------------


def evaluations_for_user(user) -> QuerySet[Evaluation]:
    condition = subtree_q(grant_orgs(user, UNIT_READERS), "unit__")
    branches = grant_orgs(user, {Role.SECRETARY})
    if branches:
        entries = EvaluationEntry.objects.filter(Q(evaluation=OuterRef("pk")) & subtree_q(branches, "organization__"))
        condition |= Q(Exists(entries))
    return Evaluation.objects.filter(condition)


def evaluation_for_user(user, evaluation_id: int) -> Evaluation:
    evaluation = evaluations_for_user(user).select_related("unit").filter(pk=evaluation_id).first()
    if evaluation is None:
        raise Http404("述职评议不存在或不在您的权限范围内")
    return evaluation


def duty_reports_for_user(user) -> QuerySet[DutyReport]:
    condition = subtree_q(grant_orgs(user, UNIT_READERS), "unit__")
    if user.person_id:
        condition |= Q(person_id=user.person_id)
    return DutyReport.objects.filter(condition)


def duty_report_for_user(user, report_id: int) -> DutyReport:
    report = (
        duty_reports_for_user(user).select_related("unit", "person", "checked_by").filter(pk=report_id).first()
    )
    if report is None:
        raise Http404("述职述廉报告不存在或不在您的权限范围内")
    return report


def report_units_for_user(user) -> QuerySet[Organization]:
    """Units a report may be filed for: the party_admin's own, and a leader's own unit (for themself)."""
    return Organization.objects.filter(
        own_unit_q(grant_orgs(user, {Role.PARTY_ADMIN, Role.LEADER})), kind__in=UNIT_KINDS, active=True
    ).order_by("path")


def is_leader_of(user, unit: Organization) -> bool:
    return Role.LEADER in user_roles(user) and covers(grant_orgs(user, {Role.LEADER}), unit)
