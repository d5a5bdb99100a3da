"""Pages of duty lists (责任清单): list, detail, create a list, add an item, put the year's items in the ledger."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvze.duties.forms_plans import DutyItemForm, DutyListForm
from lvze.duties.models import DutyListKind
from lvze.duties.plan_selectors import (
    TIMELINESS_CSS,
    TIMELINESS_LABELS,
    duty_items_with_work,
    duty_list_for_user,
    duty_list_rows,
    duty_lists_for_user,
    require_reader,
    writable_units_for_user,
)
from lvze.duties.plan_services import (
    duty_item_create,
    duty_items_generate,
    duty_list_create,
    owner_choices,
    people_in,
)
from lvze.duties.selectors import work_items_for_user
from lvze.forms import form_errors_from
from lvze.orgs.models import Organization, OrgKind, WorkArea

PAGE_SIZE = 30




@require_GET
def dutylist_list(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    lists = duty_list_rows(duty_lists_for_user(request.user)).order_by("-year", "unit__path", "kind", "id")
    kind = request.GET.get("kind", "")
    if kind in DutyListKind.values:
        lists = lists.filter(kind=kind)
    year = request.GET.get("year", "")
    if year.isdigit():
        lists = lists.filter(year=int(year))
    page = Paginator(lists, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kind": kind,
        "year": year,
        "kinds": DutyListKind.choices,
        "can_create": writable_units_for_user(request.user).exists(),
        "querystring": request.GET.copy(),
    }
    return render(request, "duties/dutylist_list.html", context)


@require_http_methods(["GET", "POST"])
def dutylist_create(request: HttpRequest) -> HttpResponse:
    units = writable_units_for_user(request.user)
    if not units.exists():
        raise Http404
    form = DutyListForm(request.POST or None, units=units, people=people_in(units))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            duty_list = duty_list_create(
                actor=request.user,
                unit=data["unit"],
                kind=data["kind"],
                name=data["name"],
                year=data["year"],
                owner=data["owner"],
            )
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, f"已创建{duty_list.name}")
            return redirect("dutylists:dutylist-detail", list_id=duty_list.pk)
    return render(request, "duties/dutylist_form.html", {"form": form, "title": "新建责任清单"})


@require_GET
def dutylist_detail(request: HttpRequest, list_id: int) -> HttpResponse:
    duty_list = duty_list_for_user(request.user, list_id)
    context = {
        "duty_list": duty_list,
        "items": duty_items_with_work(duty_list, timezone.localdate(), work_items_for_user(request.user)),
        "can_write": writable_units_for_user(request.user).filter(pk=duty_list.unit_id).exists(),
        "tl_labels": TIMELINESS_LABELS,
        "tl_css": TIMELINESS_CSS,
    }
    return render(request, "duties/dutylist_detail.html", context)


def item_form(request: HttpRequest, unit: Organization) -> DutyItemForm:
    own = Organization.objects.filter(path__startswith=unit.path, unit_id=unit.unit_id, active=True)
    return DutyItemForm(
        request.POST or None,
        areas=WorkArea.objects.filter(unit_id=unit.unit_id),
        orgs=own.order_by("path"),
        people=owner_choices(unit),
        departments=own.filter(kind=OrgKind.DEPARTMENT).order_by("sort_order", "path"),
    )


@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, list_id: int) -> HttpResponse:
    duty_list = duty_list_for_user(request.user, list_id, write=True)
    form = item_form(request, duty_list.unit)
    if request.method == "POST" and form.is_valid():
        try:
            item = duty_item_create(actor=request.user, duty_list=duty_list, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            count = item.work_items.count()
            messages.success(request, "已添加责任事项" + (f"，生成事项{count}项" if count else ""))
            return redirect("dutylists:dutylist-detail", list_id=duty_list.pk)
    context = {"form": form, "duty_list": duty_list, "title": f"添加责任事项：{duty_list.name}"}
    return render(request, "duties/dutylist_form.html", context)


@require_POST
def dutylist_generate(request: HttpRequest, list_id: int) -> HttpResponse:
    duty_list = duty_list_for_user(request.user, list_id, write=True)
    result = duty_items_generate(actor=request.user, year=duty_list.year, duty_list=duty_list)
    messages.success(request, f"已生成事项{result.created}项（已有{result.existing}项）")
    return redirect("dutylists:dutylist-detail", list_id=duty_list.pk)
