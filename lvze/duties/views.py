from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from lvze.duties import services
from lvze.duties.forms import BulkForm, EvidenceForm, ItemFilterForm, NoteForm
from lvze.duties.models import ObligationRule, Timeliness
from lvze.duties.selectors import (
    can_read_ledger,
    filtered_work_items,
    item_permissions,
    reviewable_q,
    work_item_for_user,
    work_items_for_user,
)
from lvze.duties.timeliness import timeliness_counts
from lvze.lib.figures_cache import cached_figures, reader_key
from lvze.orgs.models import UNIT_KINDS
from lvze.orgs.selectors import organization_for_user, organizations_for_user
from lvze.security.downloads import file_response

PAGE_SIZE = 30
ORG_CHOICES_LIMIT = 300
SORTS = {"due": ["due_date", "id"], "-due": ["-due_date", "-id"], "org": ["org_path", "due_date", "id"]}
TIMELINESS_CLASS = {"overdue": "red", "due_soon": "amber", "on_time": "green", "late": "amber", "long_term": "", "normal": ""}


def require_ledger(request: HttpRequest) -> None:
    if not can_read_ledger(request.user):
        raise Http404


def page_of_rows(ordered, number):
    """Page through ids first (an index-only sort), then load just the page's rows in one query."""
    page = Paginator(ordered.values_list("id", flat=True), PAGE_SIZE).get_page(number)
    ids = list(page.object_list)
    rows = {row.pk: row for row in ordered.filter(pk__in=ids)}
    page.object_list = [rows[i] for i in ids]
    return page


def list_params(request: HttpRequest) -> tuple[ItemFilterForm, dict]:
    form = ItemFilterForm(request.GET or None)
    params = dict(form.cleaned_data) if form.is_valid() else {}
    if params.get("org"):
        params["org"] = organization_for_user(request.user, params["org"])
    return form, params


def list_as_of(params: dict) -> date:
    """Timeliness as of today, or as of an earlier day (a past period's end) when the link asks for it."""
    today = timezone.localdate()
    return min(params.get("as_of") or today, today)


def dashboard_fields(form: ItemFilterForm, params: dict) -> list[dict]:
    """The filters a dashboard link adds (due dates, as-of day, fulfilling kind): kept as hidden fields when the
    list is filtered again, and said in words above it."""
    fields = []
    for name in ("due_from", "due_to", "as_of", "kind"):
        value = params.get(name)
        if not value:
            continue
        shown = f"{value:%Y-%m-%d}" if isinstance(value, date) else value
        if name == "kind":
            rule = ObligationRule.objects.filter(fulfilled_by=value).values_list("name", flat=True).first()
            shown = rule or value
        fields.append({"name": name, "value": form.data.get(name), "label": form.fields[name].label, "shown": shown})
    return fields


def org_choices(user):
    """Every organisation when there are few; at province scale only the units, or the select is useless."""
    orgs = organizations_for_user(user).filter(active=True).order_by("path")
    return orgs if orgs.count() <= ORG_CHOICES_LIMIT else orgs.filter(kind__in=UNIT_KINDS)


@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    require_ledger(request)
    form, params = list_params(request)
    as_of = list_as_of(params)
    items = filtered_work_items(request.user, params, as_of)
    ordered = items.order_by(*SORTS.get(params.get("sort") or "due", SORTS["due"]))
    page = page_of_rows(ordered, request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "orgs": org_choices(request.user),
        "querystring": request.GET.copy(),
        "css": TIMELINESS_CLASS,
        "can_review": work_items_for_user(request.user).filter(reviewable_q(request.user)).exists(),
        "dashboard_fields": dashboard_fields(form, params),
    }
    return render(request, "duties/workitem_list.html", context)


@require_GET
def item_counts(request: HttpRequest) -> HttpResponse:
    """The timeliness cards above the list, loaded by htmx after the page: one aggregate query."""
    require_ledger(request)
    _form, params = list_params(request)
    params.pop("timeliness", None)
    as_of = list_as_of(params)
    query = request.GET.copy()
    query.pop("timeliness", None)
    query.pop("page", None)
    key = ("item-counts", reader_key(request.user), as_of.isoformat(), "&".join(sorted(query.urlencode().split("&"))))
    counts = cached_figures(key, lambda: timeliness_counts(filtered_work_items(request.user, params, as_of).order_by(),
                                                           as_of))
    context = {"counts": [(Timeliness(k).label, k, v) for k, v in counts.items()], "query": query.urlencode()}
    return render(request, "duties/workitem_counts.html", context)


@require_GET
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    require_ledger(request)
    item = work_item_for_user(request.user, item_id)
    today = timezone.localdate()
    annotated = filtered_work_items(request.user, {}, today).get(pk=item.pk)
    context = {
        "item": item,
        "timeliness": Timeliness(annotated.timeliness),
        "css": TIMELINESS_CLASS,
        "events": item.events.select_related("actor"),
        "evidence": item.evidence.select_related("added_by"),
        "perms": item_permissions(request.user, item),
        "note_form": NoteForm(),
        "evidence_form": EvidenceForm(),
    }
    return render(request, "duties/workitem_detail.html", context)


ACTIONS = {
    "progress": ("handle", services.work_item_progress, "已记录进展"),
    "submit": ("handle", services.work_item_submit, "已提交，等待审核"),
    "approve": ("review", services.work_item_approve, "已审核通过，事项办结"),
    "return": ("review", services.work_item_return, "已退回"),
    "urge": ("review", services.work_item_urge, "已督办，牵头单位将在事项中看到督办意见"),
    "reopen": ("review", services.work_item_reopen, "已重新打开"),
}


@require_POST
def item_action(request: HttpRequest, item_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    item = work_item_for_user(request.user, item_id)
    needed, service, done_message = ACTIONS[action]
    if not getattr(item_permissions(request.user, item), needed):
        raise Http404("您无权办理该事项")
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        service(actor=request.user, item=item, note=note)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done_message)
    return redirect("duties:item-detail", item_id=item.pk)


@require_POST
def item_evidence(request: HttpRequest, item_id: int) -> HttpResponse:
    item = work_item_for_user(request.user, item_id)
    if not item_permissions(request.user, item).handle:
        raise Http404("您无权办理该事项")
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件")
        return redirect("duties:item-detail", item_id=item.pk)
    upload = form.cleaned_data["file"]
    try:
        services.check_upload(upload.name, upload.size)
        evidence = services.evidence_add_file(
            actor=request.user, item=item, name=upload.name, data=upload.read(), content_type=upload.content_type or ""
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已上传佐证，SHA-256：{evidence.sha256[:16]}…")
    return redirect("duties:item-detail", item_id=item.pk)


@require_GET
def evidence_download(request: HttpRequest, item_id: int, evidence_id: int) -> HttpResponse:
    """An evidence file, only through the item's scope check; always a download (never rendered in the
    page's origin), with the type its content proved and its integrity checked against its SHA-256."""
    item = work_item_for_user(request.user, item_id)
    evidence = item.evidence.exclude(sha256="").filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404("佐证不存在")
    return file_response(sha256=evidence.sha256, name=evidence.name, obj=item, organization=item.organization)


@require_POST
def item_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请先勾选事项")
        return redirect("duties:item-list")
    items = work_items_for_user(request.user).filter(reviewable_q(request.user), pk__in=form.cleaned_data["pick"])
    action = form.cleaned_data["action"]
    done, failed = 0, 0
    for item in items:
        try:
            if action == "approve":
                services.work_item_approve(actor=request.user, item=item)
            else:
                services.work_item_urge(actor=request.user, item=item, note=form.cleaned_data["note"] or "请抓紧办理")
            done += 1
        except ValidationError:
            failed += 1
    messages.success(request, f"已处理 {done} 项" + (f"，{failed} 项状态不符未处理" if failed else ""))
    return redirect(request.POST.get("next") or "duties:item-list")


