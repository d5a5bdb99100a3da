"""一体化综合监督: findings by their six types, recorded by the 纪检组 or the 党务, each one step from the
rectification ledger."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvze.duties.selectors import prefix_range_q
from lvze.forms import form_errors_from
from lvze.inspections import rectifications, services
from lvze.inspections.forms import FindingEditForm, FindingFilterForm, FindingForm, RectifyForm
from lvze.inspections.models import SupervisionType
from lvze.inspections.selectors import (
    can_edit_finding,
    can_rectify_finding,
    finding_for_user,
    finding_text_q,
    finding_units_for_user,
    findings_for_user,
    rectification_state,
    require,
    require_reader,
    supervision_counts,
)
from lvze.orgs.models import Organization
from lvze.orgs.selectors import organization_for_user

PAGE_SIZE = 30


def finding_orgs(units):
    condition = Q(pk__in=[])
    for unit in units:
        condition |= Q(path__startswith=unit.path, unit_id=unit.pk)
    return Organization.objects.filter(condition, active=True).order_by("path")


@require_GET
def finding_list(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    form = FindingFilterForm(request.GET or None)
    findings = findings_for_user(request.user)
    year = None
    if form.is_valid():
        data = form.cleaned_data
        year = data["year"]
        if data["q"]:
            findings = findings.filter(finding_text_q(data["q"]))
        if data["source"]:
            findings = findings.filter(source=data["source"])
        if data["supervision_type"]:
            findings = findings.filter(supervision_type=data["supervision_type"])
        if year:
            findings = findings.filter(found_on__year=year)
        if data["org"]:
            org = organization_for_user(request.user, data["org"])
            findings = findings.filter(prefix_range_q("organization__path", org.path))
        if data["start"]:
            findings = findings.filter(found_on__gte=data["start"])
        if data["end"]:
            findings = findings.filter(found_on__lte=data["end"])
    counts = supervision_counts(findings.order_by())
    cards = [(t.value, t.label, counts.get(t.value, 0)) for t in SupervisionType]
    rows = findings.select_related("organization", "inspection", "raised_by", "rectification__work_item").order_by(
        "-found_on", "-id"
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for finding in page.object_list:
        rect = getattr(finding, "rectification", None)
        finding.rect_state = rectification_state(rect) if rect else None
    context = {
        "form": form,
        "page": page,
        "cards": cards,
        "supervision_total": sum(c for _v, _l, c in cards),
        "can_create": finding_units_for_user(request.user).exists(),
        "querystring": request.GET.copy(),
    }
    return render(request, "inspections/finding_list.html", context)


@require_http_methods(["GET", "POST"])
def finding_create(request: HttpRequest) -> HttpResponse:
    units = finding_units_for_user(request.user)
    if not units.exists():
        raise Http404
    form = FindingForm(
        request.POST or None,
        units=units,
        orgs=finding_orgs(units),
        initial={"unit": units.first(), "found_on": timezone.localdate(), "source": "supervision"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            finding = services.finding_create(actor=request.user, **data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "已记录问题")
            return redirect("inspections:finding-detail", finding_id=finding.pk)
    return render(request, "inspections/finding_form.html", {"form": form, "title": "记录监督发现的问题"})


@require_GET
def finding_detail(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = finding_for_user(request.user, finding_id)
    rect = getattr(finding, "rectification", None)
    context = {
        "finding": finding,
        "rect": rect,
        "rect_state": rectification_state(rect) if rect else None,
        "can_edit": can_edit_finding(request.user, finding),
        "can_rectify": can_rectify_finding(request.user, finding),
        "rectify_form": RectifyForm(),
    }
    return render(request, "inspections/finding_detail.html", context)


@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = finding_for_user(request.user, finding_id)
    require(can_edit_finding(request.user, finding))
    form = FindingEditForm(
        request.POST or None,
        initial={
            "description": finding.description,
            "found_on": finding.found_on,
            "supervision_type": finding.supervision_type,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_update(actor=request.user, finding=finding, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "已修改")
            return redirect("inspections:finding-detail", finding_id=finding.pk)
    return render(request, "inspections/finding_form.html", {"form": form, "title": "修改问题", "finding": finding})


@require_POST
def finding_rectify(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = finding_for_user(request.user, finding_id)
    require(can_rectify_finding(request.user, finding))
    form = RectifyForm(request.POST)
    values = form.cleaned_data if form.is_valid() else {}
    try:
        rect = rectifications.finding_rectify(
            actor=request.user,
            finding=finding,
            deadline=values.get("deadline"),
            measures=values.get("measures", ""),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("inspections:finding-detail", finding_id=finding.pk)
    messages.success(request, f"已转入整改台账，整改时限{rect.deadline:%Y-%m-%d}")
    return redirect("rectifications:rectification-detail", rect_id=rect.pk)
