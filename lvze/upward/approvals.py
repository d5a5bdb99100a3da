"""逐级审批: writes of approval chains, requests going up them, and the 工会经费 ledger built on them.

A request goes through every step of its chain in order; only the current step's approver acts, by a
conditional UPDATE on (state, current step), so a level can never be skipped and two approvers acting
at once never both move it. A return sends it back to the 经办人, who revises and resubmits it from
the first step. Every action is kept (`ApprovalAction`) and audited.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lvze.accounts.models import Role, RoleGrant
from lvze.audit.services import audit_record
from lvze.lib.periods import Period
from lvze.orgs.models import Organization
from lvze.orgs.selectors import user_grants
from lvze.upward.models import (
    ApprovalAction,
    ApprovalActionKind,
    ApprovalChain,
    ApprovalRequest,
    ApprovalState,
    UnionEntryKind,
    UnionFundEntry,
)
from lvze.upward.services import clean_comments, notify, user_or_none

MAX_STEPS = 8
MAX_AMOUNT = Decimal("9999999999.99")
UNION_CHAIN = "union_fund"
UNION_CHAIN_NAME = "工会经费收支审批"
SUBMIT_STEP = -1
SUBMIT_LABEL = "经办人"


# --- chains --------------------------------------------------------------------------------


def validate_step(unit: Organization, index: int, step: dict) -> dict:
    label = (step.get("label") or "").strip()
    role, org, user = step.get("role") or "", step.get("organization"), step.get("user")
    where = f"第{index + 1}个环节"
    if not label or len(label) > 30:
        raise ValidationError({"steps": f"{where}：请填写环节名称（不超过30字）"})
    if user is None and not (role and org is not None):
        raise ValidationError({"steps": f"{where}（{label}）：请指定审批人，或指定角色及其所在组织"})
    if role and role not in Role.values:
        raise ValidationError({"steps": f"{where}（{label}）：未知的角色"})
    if org is not None and not org.is_within(unit):
        raise ValidationError({"steps": f"{where}（{label}）：角色所在组织须属于{unit.name}"})
    if user is not None and not user.is_active:
        raise ValidationError({"steps": f"{where}（{label}）：审批人账号已停用"})
    return {"label": label, "role": role if user is None else "", "organization": org if user is None else None, "user": user}


@transaction.atomic
def approval_chain_save(
    *, actor: Any, unit: Organization, code: str, name: str, steps: list[dict]
) -> ApprovalChain:
    """Create or replace a chain's steps; requests already on their way keep the steps they started with."""
    if not name.strip() or len(name) > 60:
        raise ValidationError({"name": "请填写流程名称（不超过60字）"})
    if not 1 <= len(steps) <= MAX_STEPS:
        raise ValidationError({"steps": f"审批流程须有1至{MAX_STEPS}个环节"})
    cleaned = [validate_step(unit, i, s) for i, s in enumerate(steps)]
    chain, _created = ApprovalChain.objects.select_for_update().get_or_create(
        unit=unit, code=code, defaults={"name": name.strip()}
    )
    chain.name, chain.active = name.strip(), True
    chain.save(update_fields=["name", "active", "updated_at"])
    chain.steps.all().delete()
    chain.steps.bulk_create(
        [
            chain.steps.model(chain=chain, order=i, label=s["label"], role=s["role"], organization=s["organization"], user=s["user"])
            for i, s in enumerate(cleaned)
        ]
    )
    audit_record(
        actor=actor,
        action="approval_chain.save",
        obj=chain,
        organization=unit,
        changes={"steps": [describe_step(s) for s in cleaned]},
    )
    return chain


def describe_step(step: dict) -> str:
    if step["user"] is not None:
        return f"{step['label']}：{step['user']}"
    return f"{step['label']}：{step['organization'].name}{Role(step['role']).label}"


def snapshot(chain: ApprovalChain) -> list[dict]:
    steps = list(chain.steps.order_by("order"))
    if not chain.active or not steps:
        raise ValidationError(f"审批流程“{chain.name}”未启用或没有审批环节")
    return [
        {"label": s.label, "role": s.role, "organization_id": s.organization_id, "user_id": s.user_id} for s in steps
    ]


def current_fields(steps: list[dict], index: int) -> dict:
    if index >= len(steps):
        return {"current_step": index, "current_user_id": None, "current_role": "", "current_org_id": None}
    step = steps[index]
    return {
        "current_step": index,
        "current_user_id": step["user_id"],
        "current_role": step["role"] if not step["user_id"] else "",
        "current_org_id": step["organization_id"] if not step["user_id"] else None,
    }


def is_approver(user, step: dict) -> bool:
    if step.get("user_id"):
        return step["user_id"] == getattr(user, "pk", None)
    return any(g.role == step["role"] and g.organization_id == step["organization_id"] for g in user_grants(user))


def approver_ids(step: dict) -> set[int]:
    if step.get("user_id"):
        return {step["user_id"]}
    grants = RoleGrant.objects.filter(role=step["role"], organization_id=step["organization_id"])
    return set(grants.values_list("user_id", flat=True))


def request_url(request: ApprovalRequest) -> str:
    return reverse("upward:approval-detail", args=[request.pk])


def record_action(request: ApprovalRequest, step: int, action: str, actor: Any, note: str, at: datetime) -> None:
    label = SUBMIT_LABEL if step == SUBMIT_STEP else request.steps[step]["label"]
    ApprovalAction.objects.create(
        request=request, step=step, step_label=label, action=action, note=note, actor=user_or_none(actor), at=at
    )


def tell_next(request: ApprovalRequest) -> None:
    if request.state == ApprovalState.PENDING:
        step = request.steps[request.current_step]
        notify(approver_ids(step), f"待您审批（{step['label']}）：{request.title}", request_url(request))
    elif request.state == ApprovalState.APPROVED:
        notify({request.requested_by_id}, f"审批通过：{request.title}", request_url(request))


def clean_amount(amount: Any) -> Decimal:
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": "金额格式不正确"}) from None
    if value <= 0 or value > MAX_AMOUNT:
        raise ValidationError({"amount": "金额须大于0"})
    return value


def clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ValidationError({"title": "请填写事由（不超过200字）"})
    return title


# --- requests ------------------------------------------------------------------------------


@transaction.atomic
def approval_request_create(
    *,
    actor: Any,
    chain: ApprovalChain,
    organization: Organization,
    subject: str,
    title: str,
    amount: Any,
    purpose: str = "",
    at: datetime | None = None,
) -> ApprovalRequest:
    """The 经办人 submits; the request waits at the chain's first step."""
    at = at or timezone.now()
    if not organization.is_within(chain.unit):
        raise ValidationError({"organization": f"经办部门须属于{chain.unit.name}"})
    steps = snapshot(chain)
    request = ApprovalRequest.objects.create(
        chain=chain,
        unit=chain.unit,
        organization=organization,
        subject=subject,
        title=clean_title(title),
        purpose=clean_comments(purpose),
        amount=clean_amount(amount),
        steps=steps,
        state=ApprovalState.PENDING,
        requested_by=actor,
        created_at=at,
        **current_fields(steps, 0),
    )
    record_action(request, SUBMIT_STEP, ApprovalActionKind.SUBMIT, actor, "", at)
    audit_record(
        actor=actor,
        action="approval.submit",
        obj=request,
        organization=chain.unit,
        changes={"chain": chain.code, "amount": str(request.amount), "steps": [s["label"] for s in steps]},
    )
    tell_next(request)
    return request


def check_can_act(actor: Any, request: ApprovalRequest) -> int:
    if request.state != ApprovalState.PENDING:
        raise ValidationError(f"该申请{request.get_state_display()}，不能再审批")
    if request.requested_by_id == getattr(actor, "pk", None):
        raise ValidationError("不能审批自己经办的申请")
    if not is_approver(actor, request.steps[request.current_step]):
        raise ValidationError(f"当前环节为“{request.current_label}”，您不是该环节的审批人")
    return request.current_step


def move(request: ApprovalRequest, from_step: int, fields: dict) -> ApprovalRequest:
    updated = ApprovalRequest.objects.filter(
        pk=request.pk, state=ApprovalState.PENDING, current_step=from_step
    ).update(**fields)
    if updated != 1:
        raise ValidationError("该申请已被他人处理，请刷新页面")
    request.refresh_from_db()
    return request


@transaction.atomic
def approval_approve(
    *, actor: Any, request: ApprovalRequest, note: str = "", at: datetime | None = None
) -> ApprovalRequest:
    """同意 at the current step: on to the next one, or approved after the last."""
    at = at or timezone.now()
    request.refresh_from_db()
    step = check_can_act(actor, request)
    note = clean_comments(note)
    nxt = step + 1
    fields = current_fields(request.steps, nxt)
    if nxt >= len(request.steps):
        fields.update(state=ApprovalState.APPROVED, decided_at=at)
    request = move(request, step, fields)
    record_action(request, step, ApprovalActionKind.APPROVE, actor, note, at)
    audit_record(
        actor=actor,
        action="approval.approve",
        obj=request,
        organization=request.unit,
        changes={"step": request.steps[step]["label"], "state": request.state, **({"note": note} if note else {})},
    )
    tell_next(request)
    return request


@transaction.atomic
def approval_return(
    *, actor: Any, request: ApprovalRequest, note: str, at: datetime | None = None
) -> ApprovalRequest:
    """退回 to the 经办人 with the reason; it comes back through every step after resubmission."""
    at = at or timezone.now()
    request.refresh_from_db()
    step = check_can_act(actor, request)
    note = clean_comments(note)
    if not note:
        raise ValidationError({"note": "退回时请写明原因"})
    fields = {**current_fields([], 0), "current_step": step, "state": ApprovalState.RETURNED, "decided_at": at}
    request = move(request, step, fields)
    record_action(request, step, ApprovalActionKind.RETURN, actor, note, at)
    audit_record(
        actor=actor,
        action="approval.return",
        obj=request,
        organization=request.unit,
        changes={"step": request.steps[step]["label"], "note": note},
    )
    notify({request.requested_by_id}, f"审批退回（{request.steps[step]['label']}）：{request.title}", request_url(request), note)
    return request


@transaction.atomic
def approval_resubmit(
    *,
    actor: Any,
    request: ApprovalRequest,
    title: str,
    amount: Any,
    purpose: str = "",
    note: str = "",
    at: datetime | None = None,
) -> ApprovalRequest:
    """The 经办人 revises a returned request and sends it up again from the first step."""
    at = at or timezone.now()
    request.refresh_from_db()
    if request.state != ApprovalState.RETURNED:
        raise ValidationError("只有已退回的申请可以修改后重新提交")
    if request.requested_by_id != getattr(actor, "pk", None):
        raise ValidationError("只有经办人可以重新提交")
    steps = snapshot(request.chain)
    before = {"title": request.title, "amount": str(request.amount)}
    updated = ApprovalRequest.objects.filter(pk=request.pk, state=ApprovalState.RETURNED).update(
        title=clean_title(title),
        amount=clean_amount(amount),
        purpose=clean_comments(purpose),
        steps=steps,
        state=ApprovalState.PENDING,
        decided_at=None,
        **current_fields(steps, 0),
    )
    if updated != 1:
        raise ValidationError("该申请已被他人处理，请刷新页面")
    request.refresh_from_db()
    record_action(request, SUBMIT_STEP, ApprovalActionKind.RESUBMIT, actor, clean_comments(note), at)
    audit_record(
        actor=actor,
        action="approval.resubmit",
        obj=request,
        organization=request.unit,
        changes={"before": before, "title": request.title, "amount": str(request.amount)},
    )
    tell_next(request)
    return request


# --- 工会经费 -----------------------------------------------------------------------------


def union_chain(unit: Organization) -> ApprovalChain | None:
    return ApprovalChain.objects.filter(unit=unit, code=UNION_CHAIN, active=True).first()


@transaction.atomic
def union_entry_create(
    *,
    actor: Any,
    unit: Organization,
    organization: Organization,
    kind: str,
    occurred_on: date,
    category: str,
    summary: str,
    amount: Any,
    at: datetime | None = None,
) -> UnionFundEntry:
    """A 收入, 支出 or 上缴 line, sent up the unit's 工会经费 chain; it counts once approved."""
    if kind not in UnionEntryKind.values:
        raise ValidationError({"kind": "收支类型应为收入、支出或上缴"})
    category = (category or "").strip()
    if not category or len(category) > 30:
        raise ValidationError({"category": "请填写科目（不超过30字）"})
    chain = union_chain(unit)
    if chain is None:
        raise ValidationError(f"{unit.name}尚未配置“{UNION_CHAIN_NAME}”流程，请党务管理员先配置审批环节")
    label = UnionEntryKind(kind).label
    request = approval_request_create(
        actor=actor,
        chain=chain,
        organization=organization,
        subject=UNION_CHAIN,
        title=f"工会经费{label}：{clean_title(summary)}",
        amount=amount,
        purpose=f"{occurred_on:%Y-%m-%d} {category}",
        at=at,
    )
    entry = UnionFundEntry.objects.create(
        unit=unit,
        kind=kind,
        month=str(Period.of_date(occurred_on, "month")),
        occurred_on=occurred_on,
        category=category,
        approval=request,
        created_by=user_or_none(actor),
    )
    audit_record(
        actor=actor,
        action="union_entry.create",
        obj=entry,
        organization=unit,
        changes={"kind": kind, "amount": str(request.amount), "month": entry.month, "category": category},
    )
    return entry


def union_export_log(*, actor: Any, unit: Organization, year: int) -> None:
    """Who took the ledger out of the platform."""
    audit_record(
        actor=actor,
        action="union_ledger.export",
        organization=unit,
        changes={"year": year},
        object_repr=f"{unit.name}{year}年工会经费收支台账",
    )
