"""活动纪实: list with totals (the figures reports use), record, edit, delete, export; the unit's activity types."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvze.lib.cn import approx_people
from lvze.records import ledgers
from lvze.records.forms import ActivityForm, ActivityTypeForm, AttachmentForm
from lvze.records.models import Activity, ActivityType, Brand, Partnership
from lvze.records.registry_services import (
    activity_delete,
    activity_record,
    activity_type_save,
    activity_types_install,
    activity_update,
)
from lvze.records.selectors import (
    activities_for_user,
    activity_text_q,
    activity_totals,
    can_read_records,
    can_write,
    can_write_records,
    people_for_records,
    readable_orgs_for_user,
    readable_q,
    record_for_user,
    work_area_names,
    writable_orgs_for_user,
    writable_q,
)
from lvze.records.views import add_errors, page_of, parse_day, scoped_org, upload_attachment, xlsx_response


def filtered_activities(request: HttpRequest):
    activities = activities_for_user(request.user)
    params = request.GET
    org = scoped_org(request, params.get("org"))
    if org is not None:
        activities = activities.filter(organization__path__startswith=org.path)
    if params.get("type"):
        activities = activities.filter(activity_type__name=params["type"])
    if params.get("work_area"):
        activities = activities.filter(work_area=params["work_area"])
    if params.get("year", "").isdigit():
        activities = activities.filter(held_on__year=int(params["year"]))
    start, end = parse_day(params.get("start")), parse_day(params.get("end"))
    if start:
        activities = activities.filter(held_on__gte=start)
    if end:
        activities = activities.filter(held_on__lte=end)
    query = params.get("q", "").strip()
    if query:
        activities = activities.filter(activity_text_q(query))
    return activities


@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    if not can_read_records(request.user):
        raise Http404
    activities = filtered_activities(request)
    totals = activity_totals(activities)
    orgs = readable_orgs_for_user(request.user)
    context = {
        "page": page_of(request, activities.order_by("-held_on", "-id")),
        "totals": totals,
        "covered_text": approx_people(totals["people_covered"]),
        "types": sorted(set(ActivityType.objects.filter(unit_id__in=orgs.values("unit_id")).values_list("name", flat=True))),
        "orgs": orgs,
        "work_areas": work_area_names(orgs.first()),
        "params": request.GET,
        "querystring": request.GET.copy(),
        "can_record": can_write_records(request.user),
        "can_configure": writable_orgs_for_user(request.user).filter(kind__in=["committee", "leading_group"]).exists(),
    }
    return render(request, "records/activity_list.html", context)


@require_GET
def activity_export(request: HttpRequest) -> HttpResponse:
    if not can_read_records(request.user):
        raise Http404
    activities = filtered_activities(request)
    totals = activity_totals(activities)
    title = f"活动台账（{timezone.localdate():%Y年%m月%d日}导出）"
    data = ledgers.activities_export(activities.order_by("held_on", "id"), title, totals)
    return xlsx_response(data, "活动台账.xlsx")


def activity_form(request: HttpRequest, instance: Activity | None = None, org=None) -> ActivityForm:
    orgs = writable_orgs_for_user(request.user, departments=True)
    org = org or (instance.organization if instance else orgs.first())
    if org is not None:
        activity_types_install(actor=request.user, unit=org.unit or org)
    units = orgs.values("unit_id")
    return ActivityForm(
        request.POST or None,
        instance=instance,
        initial={"held_on": timezone.localdate()} if instance is None else {},
        orgs=orgs,
        people=people_for_records(request.user),
        types=ActivityType.objects.filter(unit_id__in=units, active=True),
        work_areas=work_area_names(org),
        partnerships=Partnership.objects.filter(writable_q(request.user, "organization__")),
        brands=Brand.objects.filter(readable_q(request.user)),
    )


@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    if not can_write_records(request.user):
        raise Http404
    form = activity_form(request)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        participants = list(data.pop("participants", []))
        try:
            activity = activity_record(actor=request.user, participants=participants, **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "已登记活动")
            return redirect("records:activity-detail", activity_id=activity.pk)
    return render(request, "records/activity_form.html", {"form": form, "title": "登记活动"})


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = record_for_user(request.user, Activity, activity_id, write=True)
    snapshot = Activity.objects.get(pk=activity.pk)
    form = activity_form(request, activity)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        participants = list(data.pop("participants", []))
        try:
            activity_update(actor=request.user, activity=snapshot, participants=participants, **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "已保存修改")
            return redirect("records:activity-detail", activity_id=activity.pk)
    return render(request, "records/activity_form.html", {"form": form, "title": "修改活动", "activity": activity})


@require_GET
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = activities_for_user(request.user).select_related("partnership", "brand").filter(pk=activity_id).first()
    if activity is None:
        raise Http404("记录不存在或不在您的权限范围内")
    context = {
        "activity": activity,
        "participants": activity.participants.select_related("branch").order_by("name"),
        "attachments": activity.attachments.all(),
        "attachment_form": AttachmentForm(),
        "editable": can_write(request.user, activity),
    }
    return render(request, "records/activity_detail.html", context)


@require_POST
def activity_attachment_add(request: HttpRequest, activity_id: int) -> HttpResponse:
    return upload_attachment(request, record_for_user(request.user, Activity, activity_id, write=True))


@require_http_methods(["GET", "POST"])
def activity_remove(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = record_for_user(request.user, Activity, activity_id, write=True)
    if request.method == "POST":
        activity_delete(actor=request.user, activity=activity)
        messages.success(request, "已删除活动记录")
        return redirect("records:activity-list")
    return render(request, "records/confirm_delete.html", {"object": activity, "noun": "活动记录",
                                                           "back": reverse("records:activity-detail", args=[activity.pk])})


# Activity types: one list per unit, edited by the unit's party_admin


def configurable_units(request: HttpRequest):
    return writable_orgs_for_user(request.user).filter(kind__in=["committee", "leading_group"])


@require_http_methods(["GET", "POST"])
def activity_types(request: HttpRequest) -> HttpResponse:
    units = configurable_units(request)
    unit = units.filter(code=request.GET.get("unit")).first() or units.first()
    if unit is None:
        raise Http404
    activity_types_install(actor=request.user, unit=unit)
    form = ActivityTypeForm(request.POST or None, initial={"order": unit.activity_types.count()})
    if request.method == "POST" and form.is_valid():
        instance = None
        if request.POST.get("id"):
            instance = ActivityType.objects.filter(unit=unit, pk=request.POST["id"]).first()
            if instance is None:
                raise Http404
        try:
            activity_type_save(actor=request.user, unit=unit, instance=instance, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "已保存活动类型")
            return redirect(f"{reverse('records:activity-types')}?unit={unit.code}")
    context = {"unit": unit, "units": units, "types": ActivityType.objects.filter(unit=unit), "form": form}
    return render(request, "records/activity_types.html", context)
