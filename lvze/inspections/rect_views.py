"""整改台账 pages: the ledger with filters and counts, Excel export, a rectification's page and its steps."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvze.duties.models import Timeliness, WorkItem
from lvze.duties.plan_selectors import TIMELINESS_CSS, writable_units_for_user
from lvze.duties.plan_services import people_in
from lvze.duties.selectors import can_read_ledger, prefix_range_q
from lvze.duties.timeliness import timeliness_q, with_timeliness
from lvze.forms import form_errors_from
from lvze.inspections import rectifications as services
from lvze.inspections.finding_views import finding_orgs
from lvze.inspections.forms import (
    EvidenceForm,
    ImportForm,
    NoteForm,
    RectificationEditForm,
    RectificationFilterForm,
    RectificationForm,
    TakeForm,
)
from lvze.inspections.models import RectificationState
from lvze.inspections.rect_excel import export_xlsx, rectifications_import
from lvze.inspections.selectors import (
    can_handle_rectification,
    can_review_rectification,
    finding_units_for_user,
    rectification_for_user,
    rectification_state,
    rectification_text_q,
    rectifications_for_user,
    require,
    state_annotation,
    state_q,
)
from lvze.lib.cn import cn_date
from lvze.orgs.selectors import organization_for_user
from lvze.orgs.views import import_store_path

PAGE_SIZE = 30


def require_ledger(user) -> None:
    """The ledger's readers, and anyone with an account for a person (their own rectifications)."""
    if not can_read_ledger(user):
        raise Http404
STATE_CSS = {"in_progress": "", "returned": "red", "requested": "amber", "verified": "green", "closed": "green"}


def filtered(request: HttpRequest) -> tuple[RectificationFilterForm, QuerySet, dict]:
    form = RectificationFilterForm(request.GET or None)
    rects = rectifications_for_user(request.user)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("org"):
        org = organization_for_user(request.user, data["org"])
        rects = rects.filter(prefix_range_q("responsible_org__path", org.path))
    if data.get("q"):
        rects = rects.filter(rectification_text_q(data["q"]))
    if data.get("source"):
        rects = rects.filter(source=data["source"])
    if data.get("year"):
        rects = rects.filter(deadline__year=data["year"])
    if data.get("due_from"):
        rects = rects.filter(deadline__gte=data["due_from"])
    if data.get("due_to"):
        rects = rects.filter(deadline__lte=data["due_to"])
    if data.get("timeliness"):
        today = timezone.localdate()
        rects = rects.filter(work_item__in=WorkItem.objects.filter(timeliness_q(data["timeliness"], today)))
    before_state = rects
    if data.get("state"):
        rects = rects.filter(state_q(data["state"]))
    return form, rects, {"before_state": before_state, **data}


def attention_order() -> Case:
    """What needs doing first: returned, in progress, awaiting verification, verified, then closed."""
    order = ["returned", "in_progress", "requested", "verified", "closed"]
    return Case(*[When(state_q(s), then=Value(i)) for i, s in enumerate(order)], default=Value(9), output_field=IntegerField())


@require_GET
def rectification_list(request: HttpRequest) -> HttpResponse:
    require_ledger(request.user)
    form, rects, data = filtered(request)
    counts = data["before_state"].order_by().aggregate(
        **{state.value: Count("id", filter=state_q(state)) for state in RectificationState}
    )
    rows = (
        rects.select_related("responsible_org", "responsible_person", "work_item")
        .annotate(state=state_annotation(), attention=attention_order())
        .order_by("attention", "deadline", "id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [r.work_item_id for r in page.object_list]
    timeliness = dict(
        with_timeliness(WorkItem.objects.filter(pk__in=ids), timezone.localdate()).values_list("pk", "timeliness")
    )
    for rect in page.object_list:
        rect.timeliness = Timeliness(timeliness[rect.work_item_id])
        rect.state_label = RectificationState(rect.state).label
    query = request.GET.copy()
    query.pop("page", None)
    state_query = query.copy()
    state_query.pop("state", None)
    context = {
        "form": form,
        "page": page,
        "cards": [(s.value, s.label, counts[s.value]) for s in RectificationState],
        "state": data.get("state", ""),
        "state_query": state_query.urlencode(),
        "export_query": query.urlencode(),
        "tl_css": TIMELINESS_CSS,
        "state_css": STATE_CSS,
        "can_create": finding_units_for_user(request.user).exists(),
        "can_import": writable_units_for_user(request.user).exists(),
        "querystring": request.GET.copy(),
    }
    return render(request, "inspections/rectification_list.html", context)


@require_GET
def rectification_export(request: HttpRequest) -> HttpResponse:
    require_ledger(request.user)
    _form, rects, _data = filtered(request)
    today = timezone.localdate()
    data = export_xlsx(rects.order_by("deadline", "id"), f"整改台账（截至{cn_date(today)}）")
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'整改台账{today:%Y%m%d}.xlsx')}"
    return response


@require_http_methods(["GET", "POST"])
def rectification_create(request: HttpRequest) -> HttpResponse:
    units = finding_units_for_user(request.user)
    if not units.exists():
        raise Http404
    form = RectificationForm(
        request.POST or None,
        units=units,
        orgs=finding_orgs(units),
        people=people_in(units),
        initial={"unit": units.first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            rect = services.rectification_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "已登记整改事项，整改时限已进入事项台账")
            return redirect("rectifications:rectification-detail", rect_id=rect.pk)
    return render(request, "inspections/rectification_form.html", {"form": form, "title": "登记整改事项"})


@require_GET
def rectification_detail(request: HttpRequest, rect_id: int) -> HttpResponse:
    rect = rectification_for_user(request.user, rect_id)
    item = rect.work_item
    timeliness = Timeliness(with_timeliness(WorkItem.objects.filter(pk=item.pk), timezone.localdate()).get().timeliness)
    state = rectification_state(rect)
    context = {
        "rect": rect,
        "item": item,
        "state": state,
        "open_state": state in (RectificationState.IN_PROGRESS, RectificationState.RETURNED),
        "state_css": STATE_CSS,
        "timeliness": timeliness,
        "tl_css": TIMELINESS_CSS,
        "events": rect.events.select_related("actor"),
        "evidence": item.evidence.select_related("added_by"),
        "handle": can_handle_rectification(request.user, rect),
        "review": can_review_rectification(request.user, rect),
        "note_form": NoteForm(),
        "evidence_form": EvidenceForm(),
    }
    return render(request, "inspections/rectification_detail.html", context)


@require_http_methods(["GET", "POST"])
def rectification_edit(request: HttpRequest, rect_id: int) -> HttpResponse:
    rect = rectification_for_user(request.user, rect_id)
    require(can_review_rectification(request.user, rect))
    form = RectificationEditForm(
        request.POST or None,
        people=people_in([rect.unit]),
        initial={"measures": rect.measures, "responsible_person": rect.responsible_person, "deadline": rect.deadline},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rectification_update(actor=request.user, rect=rect, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "已修改")
            return redirect("rectifications:rectification-detail", rect_id=rect.pk)
    return render(request, "inspections/rectification_form.html", {"form": form, "title": "修改整改事项", "rect": rect})


def request_close(user, rect, note, request):
    form = EvidenceForm(request.POST, request.FILES)
    files = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        files.append((upload.name, upload.read(), upload.content_type or ""))
    return services.rectification_request_close(actor=user, rect=rect, note=note, files=files)


# action: (who may, what it does, message)
ACTIONS = {
    "progress": ("handle", lambda user, rect, note, request: services.rectification_progress(actor=user, rect=rect, note=note), "已记录整改进展"),
    "request": ("handle", request_close, "已申请销号，等待验收"),
    "verify": ("review", lambda user, rect, note, request: services.rectification_verify(actor=user, rect=rect, note=note), "验收通过"),
    "return": ("review", lambda user, rect, note, request: services.rectification_return(actor=user, rect=rect, note=note), "已退回"),
    "close": ("review", lambda user, rect, note, request: services.rectification_close(actor=user, rect=rect, note=note), "已销号"),
    "reopen": ("review", lambda user, rect, note, request: services.rectification_reopen(actor=user, rect=rect, note=note), "已重新打开"),
}


@require_POST
def rectification_action(request: HttpRequest, rect_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    rect = rectification_for_user(request.user, rect_id)
    needed, run, done = ACTIONS[action]
    allowed = can_handle_rectification if needed == "handle" else can_review_rectification
    require(allowed(request.user, rect))
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        run(request.user, rect, note, request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("rectifications:rectification-detail", rect_id=rect.pk)


# --- import ----------------------------------------------------------------------------------

IMPORT_SESSION_KEY = "rectification_import"


@require_http_methods(["GET", "POST"])
def rectification_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview (nothing written) → confirm (one transaction), as `lvze import rectifications`."""
    units = finding_units_for_user(request.user).filter(pk__in=writable_units_for_user(request.user))
    if not units.exists():
        raise Http404
    if request.method == "POST" and request.POST.get("confirm"):
        return rectification_import_confirm(request, units)
    form = ImportForm(request.POST or None, request.FILES or None, units=units, initial={"unit": units.first()})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            form.add_error("file", f"文件超过 {settings.UPLOAD_MAX_BYTES // 1024 // 1024} MB 上限")
        else:
            data = upload.read()
            unit = form.cleaned_data["unit"]
            plan = rectifications_import(actor=request.user, data=data, root=unit, dry_run=True)
            digest = hashlib.sha256(data).hexdigest()
            import_store_path(digest).write_bytes(data)
            request.session[IMPORT_SESSION_KEY] = {"digest": digest, "unit": unit.pk, "name": upload.name}
            context = {"plan": plan, "unit": unit, "filename": upload.name}
            return render(request, "inspections/rectification_import_preview.html", context)
    return render(request, "inspections/rectification_import.html", {"form": form})


def rectification_import_confirm(request: HttpRequest, units) -> HttpResponse:
    pending = request.session.get(IMPORT_SESSION_KEY)
    unit = units.filter(pk=(pending or {}).get("unit") or 0).first()
    path = import_store_path(pending["digest"]) if pending else None
    if unit is None or path is None or not path.exists():
        messages.error(request, "导入已过期，请重新上传文件")
        return redirect("rectifications:rectification-import")
    plan = rectifications_import(actor=request.user, data=path.read_bytes(), root=unit, filename=pending["name"])
    if plan.errors:
        context = {"plan": plan, "unit": unit, "filename": pending["name"]}
        return render(request, "inspections/rectification_import_preview.html", context)
    del request.session[IMPORT_SESSION_KEY]
    path.unlink(missing_ok=True)
    counts = plan.counts()
    messages.success(request, f"导入完成：新增{counts['created']}项，更新{counts['updated']}项，无变化{counts['unchanged']}项")
    return redirect("rectifications:rectification-list")


# --- 民主生活会/组织生活会 问题清单 ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def problem_take(request: HttpRequest) -> HttpResponse:
    """The 问题清单 entries of the unit's 生活会 not yet in the ledger, taken in one step."""
    units = writable_units_for_user(request.user)
    if not units.exists():
        raise Http404
    entries = services.untaken_problems(units)
    form = TakeForm(request.POST or None, initial={"deadline": timezone.localdate() + timedelta(days=90)})
    if request.method == "POST" and form.is_valid():
        picked = list(entries.filter(pk__in=request.POST.getlist("pick")))
        if not picked:
            messages.error(request, "请先勾选问题")
        else:
            unit_of = {u.pk: u for u in units}
            taken = 0
            try:
                for entry in picked:
                    unit = unit_of[entry.process.organization.unit_id]
                    taken += len(services.problem_entries_take(
                        actor=request.user, unit=unit, entries=[entry], default_deadline=form.cleaned_data["deadline"]
                    ))
            except ValidationError as exc:
                messages.error(request, f"“{entry.problem[:20]}”未能转入：" + "；".join(exc.messages))
            if taken:
                messages.success(request, f"已将{taken}个问题转入整改台账")
            return redirect("rectifications:problem-take")
    context = {"entries": entries[:200], "form": form}
    return render(request, "inspections/problem_take.html", context)
