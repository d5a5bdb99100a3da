"""Reads of approval requests and the 工会经费 ledger, and their scope checks.

A request is read by the unit's readers and the levels above (党务管理员, 领导, 纪检监督), by the
经办 department's staff, by its 经办人, and by whoever approves or approved it. Only the current
step's approver acts on it; chains are configured by the unit's own 党务管理员.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from lvze.accounts.models import Role
from lvze.duties.selectors import UNIT_READERS, path_q
from lvze.lib.periods import Period
from lvze.orgs.models import UNIT_KINDS, Organization
from lvze.orgs.selectors import grant_orgs, own_unit_q, subtree_q, user_grants
from lvze.upward.approvals import is_approver
from lvze.upward.models import (
    ApprovalAction,
    ApprovalChain,
    ApprovalRequest,
    ApprovalState,
    UnionEntryKind,
    UnionFundEntry,
)

FILERS = frozenset({Role.STAFF, Role.PARTY_ADMIN})
DEPARTMENT_READERS = frozenset({Role.STAFF, Role.SECRETARY})


def pending_q(user) -> Q:
    """Requests waiting at a step the user approves: by name, or by a role they hold there."""
    condition = Q(current_user_id=user.pk)
    for grant in user_grants(user):
        condition |= Q(current_role=grant.role, current_org_id=grant.organization_id)
    return Q(state=ApprovalState.PENDING) & condition


def approvals_for_user(user) -> QuerySet[ApprovalRequest]:
    acted = ApprovalAction.objects.filter(actor_id=user.pk).values("request_id")
    condition = (
        subtree_q(grant_orgs(user, UNIT_READERS), "unit__")
        | path_q(grant_orgs(user, DEPARTMENT_READERS), "organization__path")
        | Q(requested_by_id=user.pk)
        | Q(pk__in=acted)
        | pending_q(user)
    )
    return ApprovalRequest.objects.filter(condition).select_related(
        "chain", "unit", "organization", "requested_by", "union_entry"
    )


def approval_for_user(user, request_id: int) -> ApprovalRequest:
    request = approvals_for_user(user).filter(pk=request_id).first()
    if request is None:
        raise Http404("审批申请不存在或不在您的权限范围内")
    return request


def waiting_for_user(user) -> QuerySet[ApprovalRequest]:
    return approvals_for_user(user).filter(pending_q(user))


def can_act(user, request: ApprovalRequest) -> bool:
    return (
        request.state == ApprovalState.PENDING
        and request.requested_by_id != user.pk
        and is_approver(user, request.steps[request.current_step])
    )


def can_resubmit(user, request: ApprovalRequest) -> bool:
    return request.state == ApprovalState.RETURNED and request.requested_by_id == user.pk


@dataclass(frozen=True)
class StepView:
    label: str
    status: str  # done / current / waiting / returned


def step_views(request: ApprovalRequest) -> list[StepView]:
    views = []
    for index, step in enumerate(request.steps):
        if request.state == ApprovalState.APPROVED or index < request.current_step:
            status = "done"
        elif index == request.current_step:
            status = "current" if request.state == ApprovalState.PENDING else "returned"
        else:
            status = "waiting"
        views.append(StepView(step["label"], status))
    return views


# --- chains --------------------------------------------------------------------------------


def chain_units_for_user(user) -> QuerySet[Organization]:
    """Units whose chains the user configures: its own units, as their 党务管理员."""
    return Organization.objects.filter(
        own_unit_q(grant_orgs(user, {Role.PARTY_ADMIN})), kind__in=UNIT_KINDS
    ).order_by("path")


def chain_unit_for_user(user, code: str) -> Organization:
    unit = chain_units_for_user(user).filter(code=code).first()
    if unit is None:
        raise Http404("单位不存在或您无权配置其审批流程")
    return unit


def chains_of(unit: Organization) -> QuerySet[ApprovalChain]:
    return ApprovalChain.objects.filter(unit=unit).prefetch_related("steps__organization", "steps__user")


# --- 工会经费 -----------------------------------------------------------------------------


def filing_orgs_for_user(user) -> list[Organization]:
    """Where the user files entries from: their department (经办) or their unit (党务管理员)."""
    return [g.organization for g in user_grants(user) if g.role in FILERS]


def union_units_for_user(user) -> QuerySet[Organization]:
    condition = subtree_q(grant_orgs(user, UNIT_READERS))
    for org in filing_orgs_for_user(user):
        condition |= Q(pk=org.unit_id)
    return Organization.objects.filter(condition, kind__in=UNIT_KINDS).order_by("path")


def union_unit_for_user(user, code: str) -> Organization:
    unit = union_units_for_user(user).filter(code=code).first()
    if unit is None:
        raise Http404("单位不存在或不在您的权限范围内")
    return unit


def filing_org_for(user, unit: Organization) -> Organization | None:
    """The organisation the user files the unit's entries as, if they may file any."""
    for org in filing_orgs_for_user(user):
        if org.unit_id == unit.pk:
            return org
    return None


def union_entries(unit: Organization, year: int) -> QuerySet[UnionFundEntry]:
    return (
        UnionFundEntry.objects.filter(unit=unit, month__startswith=f"{year}-")
        .select_related("approval__requested_by", "approval__organization")
        .order_by("-occurred_on", "-id")
    )


@dataclass
class MonthRow:
    month: Period
    income: Decimal = Decimal("0")
    expense: Decimal = Decimal("0")
    remit: Decimal = Decimal("0")
    balance: Decimal = Decimal("0")
    remitted: bool = False
    remit_pending: bool = False
    past: bool = False

    @property
    def remit_missing(self) -> bool:
        return self.past and not self.remitted and not self.remit_pending


@dataclass
class UnionLedger:
    unit: Organization
    year: int
    opening: Decimal
    months: list[MonthRow] = field(default_factory=list)
    pending: int = 0
    returned: int = 0

    @property
    def closing(self) -> Decimal:
        return self.months[-1].balance if self.months else self.opening

    @property
    def totals(self) -> dict[str, Decimal]:
        return {k: sum((getattr(m, k) for m in self.months), Decimal("0")) for k in ("income", "expense", "remit")}

    @property
    def missing_remits(self) -> list[Period]:
        """Past months with no 上缴 approved or on its way."""
        return [m.month for m in self.months if m.remit_missing]


def signed_sum(entries: QuerySet[UnionFundEntry]) -> Decimal:
    sums = entries.aggregate(
        income=Sum("approval__amount", filter=Q(kind=UnionEntryKind.INCOME)),
        out=Sum("approval__amount", filter=~Q(kind=UnionEntryKind.INCOME)),
    )
    return (sums["income"] or Decimal("0")) - (sums["out"] or Decimal("0"))


def union_ledger(unit: Organization, year: int, today) -> UnionLedger:
    """Approved amounts by month and kind, the running balance, the requests still open and the months
    without an 上缴 — two aggregate queries whatever the number of entries. Only approved entries
    count in the amounts."""
    entries = UnionFundEntry.objects.filter(unit=unit)
    opening = signed_sum(entries.filter(approval__state=ApprovalState.APPROVED, month__lt=f"{year}-"))
    grouped = (
        entries.filter(month__startswith=f"{year}-")
        .values("month", "kind", "approval__state")
        .annotate(total=Sum("approval__amount"), n=Count("id"))
        .order_by()
    )
    by_month: dict[str, dict[str, Decimal]] = defaultdict(dict)
    remit_pending: set[str] = set()
    ledger = UnionLedger(unit=unit, year=year, opening=opening)
    for row in grouped:
        state = row["approval__state"]
        if state == ApprovalState.APPROVED:
            by_month[row["month"]][row["kind"]] = row["total"]
        elif state == ApprovalState.PENDING:
            ledger.pending += row["n"]
            if row["kind"] == UnionEntryKind.REMIT:
                remit_pending.add(row["month"])
        else:
            ledger.returned += row["n"]
    balance = opening
    for month in Period("year", year).months():
        sums = by_month.get(str(month), {})
        row = MonthRow(
            month=month,
            income=sums.get(UnionEntryKind.INCOME, Decimal("0")),
            expense=sums.get(UnionEntryKind.EXPENSE, Decimal("0")),
            remit=sums.get(UnionEntryKind.REMIT, Decimal("0")),
            remitted=UnionEntryKind.REMIT in sums,
            remit_pending=str(month) in remit_pending,
            past=month.end < today,
        )
        balance += row.income - row.expense - row.remit
        row.balance = balance
        ledger.months.append(row)
    return ledger
