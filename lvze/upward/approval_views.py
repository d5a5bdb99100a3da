"""逐级审批 pages, the chain settings and the 工会经费 ledger."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvze.accounts.models import User
from lvze.orgs.models import Organization
from lvze.orgs.selectors import user_grants
from lvze.upward import approvals
from lvze.upward.approval_selectors import (
    approval_for_user,
    approvals_for_user,
    can_act,
    can_resubmit,
    chain_unit_for_user,
    chain_units_for_user,
    chains_of,
    filing_org_for,
    step_views,
    union_entries,
    union_ledger,
    union_unit_for_user,
    union_units_for_user,
    waiting_for_user,
)
from lvze.upward.forms import ChainForm, NoteForm, ResubmitForm, UnionEntryForm
from lvze.upward.models import ApprovalChain, ApprovalState, UnionEntryKind
from lvze.upward.union_export import union_export_xlsx
from lvze.upward.views import errors_text, form_errors

PAGE_SIZE = 30
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATE_CSS = {ApprovalState.PENDING: "amber", ApprovalState.APPROVED: "green", ApprovalState.RETURNED: "red"}
TABS = [("waiting", "待我审批"), ("mine", "我经办的"), ("all", "全部")]


def require_approvals(request: HttpRequest) -> None:
    if not user_grants(request.user):
        raise Http404


@require_GET
def approval_list(request: HttpRequest) -> HttpResponse:
    require_approvals(request)
    tab = request.GET.get("tab") or "waiting"
    if tab not in dict(TABS):
        raise Http404
    if tab == "waiting":
        requests = waiting_for_user(request.user)
    elif tab == "mine":
        requests = approvals_for_user(request.user).filter(requested_by=request.user)
    else:
        requests = approvals_for_user(request.user)
    state = request.GET.get("state", "")
    if state in ApprovalState.values and tab != "waiting":
        requests = requests.filter(state=state)
    page = Paginator(requests.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "tab": tab,
        "tabs": TABS,
        "state": state,
        "states": ApprovalState.choices,
        "css": STATE_CSS,
        "waiting_count": waiting_for_user(request.user).count(),
        "can_configure": chain_units_for_user(request.user).exists(),
        "querystring": request.GET.copy(),
    }
    return render(request, "upward/approval_list.html", context)


@require_GET
def approval_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    item = approval_for_user(request.user, request_id)
    context = {
        "item": item,
        "entry": getattr(item, "union_entry", None),
        "steps": step_views(item),
        "actions": item.actions.select_related("actor"),
        "css": STATE_CSS,
        "can_act": can_act(request.user, item),
        "can_resubmit": can_resubmit(request.user, item),
        "note_form": NoteForm(),
        "resubmit_form": ResubmitForm(initial={"title": item.title, "amount": item.amount, "purpose": item.purpose}),
    }
    return render(request, "upward/approval_detail.html", context)


@require_POST
def approval_decide(request: HttpRequest, request_id: int, outcome: str) -> HttpResponse:
    if outcome not in ("approve", "return"):
        raise Http404
    item = approval_for_user(request.user, request_id)
    if not can_act(request.user, item):
        raise PermissionDenied("您不是当前环节的审批人")
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if outcome == "approve":
            item = approvals.approval_approve(actor=request.user, request=item, note=note)
        else:
            item = approvals.approval_return(actor=request.user, request=item, note=note)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        if outcome == "return":
            messages.success(request, "已退回经办人")
        elif item.state == ApprovalState.APPROVED:
            messages.success(request, "已同意，审批完成")
        else:
            messages.success(request, f"已同意，转“{item.current_label}”审批")
    return redirect("upward:approval-detail", request_id=item.pk)


@require_POST
def approval_resubmit(request: HttpRequest, request_id: int) -> HttpResponse:
    item = approval_for_user(request.user, request_id)
    if not can_resubmit(request.user, item):
        raise PermissionDenied("只有经办人可以修改后重新提交已退回的申请")
    form = ResubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("upward:approval-detail", request_id=item.pk)
    try:
        approvals.approval_resubmit(actor=request.user, request=item, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, "已重新提交，将从第一级重新审批")
    return redirect("upward:approval-detail", request_id=item.pk)


# --- chains --------------------------------------------------------------------------------


@require_GET
def chain_list(request: HttpRequest) -> HttpResponse:
    units = list(chain_units_for_user(request.user))
    if not units:
        raise Http404
    context = {
        "units": [(unit, list(chains_of(unit))) for unit in units],
        "union_code": approvals.UNION_CHAIN,
        "can_configure": True,
    }
    return render(request, "upward/chain_list.html", context)


def chain_form(unit: Organization, data=None, initial=None) -> ChainForm:
    orgs = Organization.objects.filter(path__startswith=unit.path, active=True).order_by("path")
    users = User.objects.filter(is_active=True, grants__organization__path__startswith=unit.path).distinct().order_by("username")
    return ChainForm(data, initial=initial, orgs=orgs, users=users)


def chain_initial(chain: ApprovalChain | None, default_name: str) -> dict:
    if chain is None:
        return {"name": default_name}
    initial = {"name": chain.name}
    for step in chain.steps.order_by("order"):
        i = step.order
        initial.update({f"label_{i}": step.label, f"user_{i}": step.user_id, f"role_{i}": step.role, f"org_{i}": step.organization_id})
    return initial


@require_http_methods(["GET", "POST"])
def chain_edit(request: HttpRequest, code: str, chain_code: str) -> HttpResponse:
    unit = chain_unit_for_user(request.user, code)
    if chain_code != approvals.UNION_CHAIN and not ApprovalChain.objects.filter(unit=unit, code=chain_code).exists():
        raise Http404
    chain = ApprovalChain.objects.filter(unit=unit, code=chain_code).first()
    form = chain_form(unit, request.POST or None, chain_initial(chain, approvals.UNION_CHAIN_NAME))
    if request.method == "POST" and form.is_valid():
        try:
            approvals.approval_chain_save(
                actor=request.user, unit=unit, code=chain_code, name=form.cleaned_data["name"], steps=form.steps()
            )
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, "已保存审批流程；在途的申请仍按提交时的环节审批")
            return redirect("upward:chain-list")
    return render(request, "upward/chain_form.html", {"unit": unit, "form": form, "chain": chain})


# --- 工会经费 -----------------------------------------------------------------------------


def ledger_params(request: HttpRequest) -> tuple[Organization, int]:
    units = list(union_units_for_user(request.user))
    if not units:
        raise Http404
    code = request.GET.get("org", "")
    unit = union_unit_for_user(request.user, code) if code else min(units, key=lambda u: u.depth)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404("年度格式不正确") from None
    if not 2000 <= year <= 2100:
        raise Http404("年度超出范围")
    return unit, year


@require_GET
def union_ledger_view(request: HttpRequest) -> HttpResponse:
    unit, year = ledger_params(request)
    today = timezone.localdate()
    entries = union_entries(unit, year)
    kind = request.GET.get("kind", "")
    if kind in UnionEntryKind.values:
        entries = entries.filter(kind=kind)
    state = request.GET.get("state", "")
    if state in ApprovalState.values:
        entries = entries.filter(approval__state=state)
    month = request.GET.get("month", "")
    if month.startswith(f"{year}-"):
        entries = entries.filter(month=month)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    filing_org = filing_org_for(request.user, unit)
    context = {
        "unit": unit,
        "units": union_units_for_user(request.user),
        "year": year,
        "years": range(today.year - 3, today.year + 1),
        "ledger": union_ledger(unit, year, today),
        "page": page,
        "kind": kind,
        "state": state,
        "month": month,
        "kinds": UnionEntryKind.choices,
        "states": ApprovalState.choices,
        "css": STATE_CSS,
        "filing_org": filing_org,
        "chain": approvals.union_chain(unit),
        "can_configure": chain_units_for_user(request.user).exists(),
        "form": UnionEntryForm(initial={"occurred_on": today}) if filing_org else None,
        "querystring": request.GET.copy(),
    }
    return render(request, "upward/union_ledger.html", context)


@require_POST
def union_entry_create(request: HttpRequest) -> HttpResponse:
    unit = union_unit_for_user(request.user, request.POST.get("org", ""))
    filing_org = filing_org_for(request.user, unit)
    if filing_org is None:
        raise PermissionDenied("只有本单位的经办人或党务管理员可以登记工会经费收支")
    form = UnionEntryForm(request.POST)
    target = f"{redirect('upward:union-ledger').url}?org={unit.code}"
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(target)
    try:
        entry = approvals.union_entry_create(actor=request.user, unit=unit, organization=filing_org, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
        return redirect(target)
    messages.success(request, f"已登记并提交审批，当前环节：{entry.approval.current_label}")
    return redirect("upward:approval-detail", request_id=entry.approval_id)


@require_GET
def union_export(request: HttpRequest) -> HttpResponse:
    unit, year = ledger_params(request)
    data = union_export_xlsx(unit, year, timezone.localdate())
    approvals.union_export_log(actor=request.user, unit=unit, year=year)
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{unit.name}{year}年工会经费收支台账.xlsx")
    return response
