"""统计看板 and 台账导出 pages: thin — parse, check scope through the selectors, count, render."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from lvze.duties.selectors import LEDGER_READERS, filtered_work_items
from lvze.duties.views import list_as_of, list_params
from lvze.inspections.rect_excel import export_xlsx as rect_export_xlsx
from lvze.inspections.rect_views import filtered as filtered_rectifications
from lvze.lib.periods import Period
from lvze.orgs.models import UNIT_KINDS
from lvze.orgs.selectors import user_roles
from lvze.records import ledgers
from lvze.records.activity_views import filtered_activities
from lvze.records.registry_views import filtered_entries, registry
from lvze.records.selectors import activity_totals, readable_orgs_for_user
from lvze.records.talk_views import filtered_talks
from lvze.records.views import filtered_meetings, parse_day
from lvze.reports import exports
from lvze.reports.charts import chart_data
from lvze.reports.forms import DashboardForm, default_period, period_choices
from lvze.reports.selectors import (
    ORG_CHOICES_LIMIT,
    ancestors_in_scope,
    dashboard_figures,
    dashboard_org_for_user,
    home_org,
    org_choices,
    require_dashboard,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def dashboard_scope(request: HttpRequest):
    """The organisation (checked against the reader's grants: 404 outside them) and period asked for."""
    form = DashboardForm(request.GET or None)
    today = timezone.localdate()
    org, period = None, None
    if form.is_valid():
        if form.cleaned_data["org"]:
            org = dashboard_org_for_user(request.user, form.cleaned_data["org"])
        period = form.cleaned_data["period"]
    elif form.errors.get("period"):
        messages.error(request, form.errors["period"][0] + "，已显示本半年")
        if form.data.get("org"):
            org = dashboard_org_for_user(request.user, form.data["org"])
    return org or home_org(request.user), period or default_period(today), today


def is_partial(request: HttpRequest) -> bool:
    """An htmx swap of the figures (not a history restore, which needs the whole page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    require_dashboard(request.user)
    org, period, today = dashboard_scope(request)
    figures = dashboard_figures(request.user, org, period, today)
    charts = chart_data(figures)
    context = {
        "d": figures,
        "charts": charts,
        "charts_json": json.dumps(charts, ensure_ascii=False, cls=DjangoJSONEncoder),
        "ancestors": ancestors_in_scope(request.user, org),
    }
    if is_partial(request):
        response = render(request, "reports/_figures.html", context)
    else:
        context.update({"orgs": org_choices(request.user, org), "periods": period_choices(today, period)})
        response = render(request, "reports/dashboard.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# ------------------------------------------------------------------------------------------ 台账导出


def require_exporter(request: HttpRequest) -> None:
    if not user_roles(request.user) & LEDGER_READERS:
        raise PermissionDenied("台账导出仅向党务、领导、支部、纪检和科室经办人员开放")


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def filter_parts(request: HttpRequest) -> list[str]:
    """The filters of a list in words, for the workbook's title and file name."""
    params = request.GET
    parts = []
    if params.get("org"):
        org = readable_orgs_for_user(request.user).filter(code=params["org"]).values_list("name", flat=True).first()
        parts.append(org or params["org"])
    if params.get("period"):
        try:
            parts.append(Period.parse(params["period"].strip()).label())
        except ValueError:
            parts.append(params["period"])
    start = parse_day(params.get("start") or params.get("due_from"))
    end = parse_day(params.get("end") or params.get("due_to"))
    if start or end:
        parts.append(f"{start or '…'}至{end or '…'}")
    return parts


def filename(ledger: str, request: HttpRequest) -> str:
    bits = [ledger] + [request.GET[k] for k in ("org", "period") if request.GET.get(k)]
    return "-".join(bits) + ".xlsx"


@require_GET
def export_items(request: HttpRequest) -> HttpResponse:
    require_exporter(request)
    _form, params = list_params(request)
    as_of = list_as_of(params)
    items = filtered_work_items(request.user, params, as_of).order_by("due_date", "id")
    title = exports.caption("事项台账", [*filter_parts(request), f"时效截至{as_of:%Y-%m-%d}"], timezone.localdate())
    return xlsx_response(exports.work_items_xlsx(items, title), filename("事项台账", request))


@require_GET
def export_meetings(request: HttpRequest) -> HttpResponse:
    require_exporter(request)
    meetings = filtered_meetings(request).order_by("held_on", "id")
    title = exports.caption("会议台账", filter_parts(request), timezone.localdate())
    return xlsx_response(ledgers.meetings_export(meetings, title), filename("会议台账", request))


@require_GET
def export_activities(request: HttpRequest) -> HttpResponse:
    require_exporter(request)
    activities = filtered_activities(request)
    title = exports.caption("活动台账", filter_parts(request), timezone.localdate())
    data = ledgers.activities_export(activities.order_by("held_on", "id"), title, activity_totals(activities))
    return xlsx_response(data, filename("活动台账", request))


@require_GET
def export_talks(request: HttpRequest) -> HttpResponse:
    require_exporter(request)
    talks = filtered_talks(request).order_by("held_on", "id")
    title = exports.caption("谈心谈话台账", filter_parts(request), timezone.localdate())
    return xlsx_response(exports.talks_xlsx(talks, title), filename("谈心谈话台账", request))


@require_GET
def export_honors(request: HttpRequest) -> HttpResponse:
    require_exporter(request)
    honors = filtered_entries(request, registry("honors")).order_by("awarded_on", "id")
    title = exports.caption("荣誉台账", filter_parts(request), timezone.localdate())
    return xlsx_response(exports.honors_xlsx(honors, title), filename("荣誉台账", request))


@require_GET
def export_rectifications(request: HttpRequest) -> HttpResponse:
    require_exporter(request)
    _form, rects, _data = filtered_rectifications(request)
    title = exports.caption("整改台账", filter_parts(request), timezone.localdate())
    return xlsx_response(rect_export_xlsx(rects.order_by("deadline", "id"), title), filename("整改台账", request))


LEDGERS = [
    # (key, name, url name, what the rows are, how the period applies)
    ("items", "事项台账", "reports:export-items", "完成时限在期间内的事项，含状态与时效", "due"),
    ("meetings", "会议台账", "reports:export-meetings", "所属期间在期间内的会议（三会一课、主题党日、会商等）", "period"),
    ("talks", "谈心谈话台账", "reports:export-talks", "所属期间在期间内的谈心谈话", "period"),
    ("activities", "活动台账", "reports:export-activities", "期间内开展的活动，含覆盖群众、解决问题与金额合计", "dates"),
    ("honors", "荣誉台账", "reports:export-honors", "期间内获得的荣誉", "dates"),
    ("rectifications", "整改台账", "reports:export-rectifications",
     "整改时限在期间内的整改事项，含问题来源、整改措施、进展和销号情况（与整改台账导入格式一致）", "deadline"),
]


def ledger_params(how: str, org: str, period: Period | None, today: date) -> dict[str, str]:
    params = {"org": org} if org else {}
    if period is None:
        return params
    if how == "due":
        return {**params, "due_from": str(period.start), "due_to": str(period.end), "as_of": str(min(today, period.end))}
    if how == "deadline":
        return {**params, "due_from": str(period.start), "due_to": str(period.end)}
    if how == "period":
        return {**params, "period": str(period)}
    return {**params, "start": str(period.start), "end": str(period.end)}


@require_GET
def export_page(request: HttpRequest) -> HttpResponse:
    """Pick an organisation and a period (or all periods), then download any ledger with them applied."""
    require_exporter(request)
    orgs = readable_orgs_for_user(request.user)
    form = DashboardForm(request.GET or None)
    today = timezone.localdate()
    org_code, period = "", default_period(today)
    if request.GET and form.is_valid():
        org_code, period = form.cleaned_data["org"], form.cleaned_data["period"]
        if org_code and not orgs.filter(code=org_code).exists():
            raise Http404("组织不存在或不在您的权限范围内")
    elif request.GET:
        messages.error(request, form.errors["period"][0])
    if orgs.count() > ORG_CHOICES_LIMIT:
        orgs = orgs.filter(Q(kind__in=UNIT_KINDS) | Q(code=org_code))
    context = {
        "orgs": orgs,
        "org_code": org_code,
        "period": period,
        "periods": period_choices(today, period),
        "ledgers": [
            {"name": name, "about": about,
             "url": f"{reverse(url)}?{urlencode(ledger_params(how, org_code, period, today))}"}
            for _key, name, url, about, how in LEDGERS
        ],
    }
    return render(request, "reports/exports.html", context)
