"""述职评议 (the annual evaluation of branch secretaries) and leaders' 述职述廉报告."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvze.duties.plan_selectors import writable_units_for_user
from lvze.duties.plan_services import people_in
from lvze.forms import form_errors_from
from lvze.inspections import rectifications, services
from lvze.inspections.forms import DutyReportForm, EvaluationEntryForm, EvaluationForm, NoteForm, RectifyForm
from lvze.inspections.models import EvaluationEntry, Rectification
from lvze.inspections.selectors import (
    duty_report_for_user,
    duty_reports_for_user,
    evaluation_for_user,
    evaluations_for_user,
    is_unit_writer,
    report_units_for_user,
    require,
    require_reader,
)
from lvze.orgs.models import Appointment, Organization, OrgKind, Person, Post

PAGE_SIZE = 30


@require_GET
def evaluation_list(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    rows = (
        evaluations_for_user(request.user)
        .select_related("unit")
        .annotate(entry_count=Count("entries", distinct=True))
        .order_by("-year", "-held_on", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "can_create": writable_units_for_user(request.user).exists(),
        "querystring": request.GET.copy(),
    }
    return render(request, "inspections/evaluation_list.html", context)


@require_http_methods(["GET", "POST"])
def evaluation_create(request: HttpRequest) -> HttpResponse:
    units = writable_units_for_user(request.user)
    if not units.exists():
        raise Http404
    year = timezone.localdate().year
    form = EvaluationForm(
        request.POST or None,
        units=units,
        initial={"unit": units.first(), "year": year, "title": f"{year}年度党支部书记抓党建述职评议"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "已创建述职评议，请逐一登记各支部书记的述职和评议票数")
            return redirect("inspections:evaluation-detail", evaluation_id=evaluation.pk)
    return render(request, "inspections/simple_form.html", {"form": form, "title": "新建述职评议", "back": "inspections:evaluation-list"})


def branches_of(unit: Organization):
    return Organization.objects.filter(
        path__startswith=unit.path, unit_id=unit.pk, kind=OrgKind.BRANCH, active=True
    ).order_by("path")


def entry_form(request: HttpRequest, evaluation) -> EvaluationEntryForm:
    return EvaluationEntryForm(
        request.POST or None, orgs=branches_of(evaluation.unit), people=people_in([evaluation.unit])
    )


def attach_taken(entries: list[EvaluationEntry]) -> None:
    """How many of each entry's problems are already in the rectification ledger (one query)."""
    condition = Q(pk__in=[])
    for entry in entries:
        condition |= Q(source_ref__startswith=f"evaluation:{entry.pk}:")
    refs = Rectification.objects.filter(condition).values_list("source_ref", flat=True)
    taken: dict[int, int] = {}
    for ref in refs:
        entry_id = int(ref.split(":")[1])
        taken[entry_id] = taken.get(entry_id, 0) + 1
    for entry in entries:
        entry.taken = taken.get(entry.pk, 0)
        entry.open_problems = len(entry.problem_lines) - entry.taken


@require_GET
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    evaluation = evaluation_for_user(request.user, evaluation_id)
    manage = is_unit_writer(request.user, evaluation.unit)
    entries = list(evaluation.entries.select_related("organization", "person").order_by("organization__path"))
    context = {
        "evaluation": evaluation,
        "entries": entries,
        "manage": manage,
        "form": entry_form(request, evaluation) if manage else None,
        "rectify_form": RectifyForm(),
    }
    attach_taken(entries)
    return render(request, "inspections/evaluation_detail.html", context)


@require_POST
def evaluation_entry(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    evaluation = evaluation_for_user(request.user, evaluation_id)
    require(is_unit_writer(request.user, evaluation.unit))
    form = entry_form(request, evaluation)
    if form.is_valid():
        try:
            entry = services.evaluation_entry_save(actor=request.user, evaluation=evaluation, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            grade = entry.get_grade_display() or "未评议"
            messages.success(request, f"已登记{entry.organization.name}：{grade}")
            return redirect("inspections:evaluation-detail", evaluation_id=evaluation.pk)
    entries = list(evaluation.entries.select_related("organization", "person").order_by("organization__path"))
    attach_taken(entries)
    context = {
        "evaluation": evaluation,
        "entries": entries,
        "manage": True,
        "form": form,
        "rectify_form": RectifyForm(),
    }
    return render(request, "inspections/evaluation_detail.html", context)


@require_POST
def evaluation_entry_rectify(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = EvaluationEntry.objects.select_related("evaluation").filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    evaluation = evaluation_for_user(request.user, entry.evaluation_id)
    require(is_unit_writer(request.user, evaluation.unit))
    form = RectifyForm(request.POST)
    deadline = form.cleaned_data.get("deadline") if form.is_valid() else None
    try:
        created = rectifications.evaluation_entry_rectify(
            actor=request.user, entry=entry, deadline=deadline or date(evaluation.year + 1, 3, 31)
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已将{len(created)}个问题转入整改台账")
    return redirect("inspections:evaluation-detail", evaluation_id=evaluation.pk)


# --- 述职述廉报告 ---------------------------------------------------------------------------


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    rows = duty_reports_for_user(request.user).select_related("unit", "person").order_by("-year", "person__name")
    year = request.GET.get("year", "")
    if year.isdigit():
        rows = rows.filter(year=int(year))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "year": year,
        "can_create": report_units_for_user(request.user).exists(),
        "querystring": request.GET.copy(),
    }
    return render(request, "inspections/report_list.html", context)


def leaders_of(units) -> Person:
    condition = Q(pk__in=[])
    for unit in units:
        condition |= Q(organization__path__startswith=unit.path, organization__unit_id=unit.pk)
    ids = Appointment.objects.filter(
        condition, post__in=[Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.LEADERSHIP_MEMBER, Post.DISCIPLINE_HEAD],
        end__isnull=True,
    ).values("person_id")
    return Person.objects.filter(pk__in=ids).order_by("name")


@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    units = report_units_for_user(request.user)
    if not units.exists():
        raise Http404
    admin_units = writable_units_for_user(request.user)
    people = leaders_of(admin_units)
    if request.user.person_id:
        people = Person.objects.filter(Q(pk__in=people.values("pk")) | Q(pk=request.user.person_id)).order_by("name")
    year = timezone.localdate().year
    form = DutyReportForm(
        request.POST or None,
        units=units,
        people=people,
        initial={
            "unit": units.first(),
            "person": request.user.person_id,
            "year": year,
            "title": f"{year}年度述职述廉报告",
            "filed_on": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Someone else's report is filed only by the unit's party_admin.
        if data["person"].pk != request.user.person_id and data["unit"] not in admin_units:
            form.add_error("person", "只能报送本人的述职述廉报告")
        else:
            try:
                report = services.duty_report_file(actor=request.user, **data)
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                if not report.covers_ideology:
                    messages.warning(request, "报告未提及意识形态工作，审核时将被要求补充")
                messages.success(request, "已报送述职述廉报告")
                return redirect("inspections:report-detail", report_id=report.pk)
    return render(request, "inspections/simple_form.html", {"form": form, "title": "报送述职述廉报告", "back": "inspections:report-list"})


@require_GET
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = duty_report_for_user(request.user, report_id)
    context = {
        "report": report,
        "can_check": not report.checked_at and is_unit_writer(request.user, report.unit),
        "note_form": NoteForm(),
    }
    return render(request, "inspections/report_detail.html", context)


@require_POST
def report_check(request: HttpRequest, report_id: int) -> HttpResponse:
    report = duty_report_for_user(request.user, report_id)
    require(is_unit_writer(request.user, report.unit))
    form = NoteForm(request.POST)
    try:
        services.duty_report_check(
            actor=request.user, report=report, note=form.cleaned_data["note"] if form.is_valid() else ""
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已审核")
    return redirect("inspections:report-detail", report_id=report.pk)
