"""The registries that activities and reports link to — 共建 (包联支部, 结对共建), 党建品牌, 党员先锋模范岗 —
and 荣誉 and study (plans, records, the quarterly note check). One set of list / create / edit / delete
views serves them all, configured per registry; scope comes from the records selectors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from lvze.lib.periods import Period
from lvze.orgs.models import OrgKind
from lvze.orgs.selectors import branch_roster_on
from lvze.records import forms as record_forms
from lvze.records.models import (
    Brand,
    Honor,
    HonorLevel,
    NoteCheck,
    Partnership,
    PioneerPost,
    StudyForm,
    StudyPlan,
    StudyPlanKind,
    StudyRecord,
)
from lvze.records.registry_services import field_values, note_checks_record, registry_delete, registry_save
from lvze.records.selectors import (
    can_read_records,
    can_write_records,
    people_for_records,
    readable_orgs_for_user,
    readable_q,
    record_for_user,
    work_area_names,
    writable_orgs_for_user,
    writable_q,
)
from lvze.records.views import page_of, scoped_org


def base_kwargs(request: HttpRequest) -> dict[str, Any]:
    return {"orgs": writable_orgs_for_user(request.user), "people": people_for_records(request.user)}


def honor_kwargs(request: HttpRequest) -> dict[str, Any]:
    return {**base_kwargs(request), "work_areas": work_area_names(writable_orgs_for_user(request.user).first())}


def partnership_kwargs(request: HttpRequest) -> dict[str, Any]:
    return {
        **base_kwargs(request),
        "all_orgs": readable_orgs_for_user(request.user),
        "brands": Brand.objects.filter(readable_q(request.user)),
    }


def study_record_kwargs(request: HttpRequest) -> dict[str, Any]:
    return {**base_kwargs(request), "plans": StudyPlan.objects.filter(writable_q(request.user, "organization__"))}


@dataclass
class Registry:
    slug: str
    model: type
    form: type
    noun: str
    title: str
    group: str  # registries of one group share a tab bar
    columns: list[tuple[str, Callable[[Any], Any]]]
    search: tuple[str, ...]
    date_field: str
    related: tuple[str, ...] = ()
    filters: list[tuple[str, str, list]] = field(default_factory=list)
    form_kwargs: Callable[[HttpRequest], dict] = base_kwargs
    m2m: tuple[str, ...] = ()
    intro: str = ""
    empty: str = ""


REGISTRIES = {
    r.slug: r
    for r in [
        Registry(
            "partnerships", Partnership, record_forms.PartnershipForm, "共建关系", "包联与结对共建", "brands",
            [("类型", lambda o: o.get_kind_display()), ("本方组织", lambda o: o.organization.name),
             ("对方单位/支部", lambda o: o.partner_name), ("包联/带队领导", lambda o: o.leader.name if o.leader else "—"),
             ("党建品牌", lambda o: o.brand.name if o.brand else "—"), ("开始", lambda o: o.started_on),
             ("状态", lambda o: "已结束" if o.ended_on and o.ended_on <= timezone.localdate() else "在建")],
            ("partner_name", "description"), "started_on", ("organization", "leader", "brand"),
            [("kind", "类型", Partnership.Kind.choices)], partnership_kwargs,
            intro="包联支部、结对共建单位（系统外单位也可登记），活动可关联到共建关系，报告据此统计。",
            empty="尚未登记包联支部或结对共建单位。",
        ),
        Registry(
            "brands", Brand, record_forms.BrandForm, "党建品牌", "党建品牌", "brands",
            [("品牌名称", lambda o: o.name), ("创建组织", lambda o: o.organization.name),
             ("创建日期", lambda o: o.established_on or "—"), ("状态", lambda o: "在创" if o.active else "停用")],
            ("name", "description"), "established_on", ("organization",),
            intro="如“税企党建‘1+1’结对共建促双赢”。活动和共建关系可关联到品牌。",
            empty="尚未登记党建品牌。",
        ),
        Registry(
            "pioneer-posts", PioneerPost, record_forms.PioneerPostForm, "先锋模范岗", "党员先锋模范岗", "brands",
            [("岗位名称", lambda o: o.title), ("党员", lambda o: o.person.name), ("所在组织", lambda o: o.organization.name),
             ("设岗日期", lambda o: o.designated_on), ("状态", lambda o: "已撤岗" if o.ended_on else "在岗")],
            ("title", "person__name"), "designated_on", ("organization", "person"),
            empty="尚未设立党员先锋模范岗。",
        ),
        Registry(
            "honors", Honor, record_forms.HonorForm, "荣誉", "荣誉（创先争优）", "honors",
            [("获得日期", lambda o: o.awarded_on), ("级别", lambda o: o.get_level_display()), ("荣誉名称", lambda o: o.title),
             ("获得者", lambda o: o.recipient), ("授予单位", lambda o: o.awarded_by or "—"),
             ("工作板块", lambda o: o.work_area or "—")],
            ("title", "awarded_by", "recipient_person__name", "recipient_org__name"), "awarded_on",
            ("organization", "recipient_person", "recipient_org"), [("level", "级别", HonorLevel.choices)], honor_kwargs,
            intro="单位或个人获得的荣誉称号、奖项，按国家级、省级、市级、区级登记。",
            empty="尚未登记荣誉。",
        ),
        Registry(
            "study-plans", StudyPlan, record_forms.StudyPlanForm, "学习计划", "学习计划", "study",
            [("期间", lambda o: o.period), ("类型", lambda o: o.get_kind_display()), ("组织", lambda o: o.organization.name),
             ("名称", lambda o: o.title), ("学习形式", lambda o: o.form or "—")],
            ("title", "content", "topics"), "", ("organization",), [("kind", "类型", StudyPlanKind.choices)],
            intro="党支部按月制定政治学习计划，党委制定理论学习中心组学习计划，明确学习内容、形式和研讨主题。",
            empty="尚未制定学习计划。",
        ),
        Registry(
            "study-records", StudyRecord, record_forms.StudyRecordForm, "学习记录", "学习记录", "study",
            [("日期", lambda o: o.held_on), ("组织", lambda o: o.organization.name), ("学习内容", lambda o: o.title),
             ("形式", lambda o: o.get_form_display()), ("领学人", lambda o: o.leader or "—"),
             ("计划", lambda o: o.plan.period if o.plan else "—")],
            ("title", "notes", "leader"), "held_on", ("organization", "plan"), [("form", "形式", StudyForm.choices)],
            study_record_kwargs, m2m=("participants",),
            empty="尚无学习记录。",
        ),
    ]
}

GROUP_TABS = {
    "brands": [("partnerships", "包联与结对共建"), ("brands", "党建品牌"), ("pioneer-posts", "先锋模范岗")],
    "study": [("study-plans", "学习计划"), ("study-records", "学习记录"), ("note-checks", "学习笔记检查")],
    "honors": [],
}


def registry(slug: str) -> Registry:
    if slug not in REGISTRIES:
        raise Http404
    return REGISTRIES[slug]


def tabs(reg_group: str, current: str) -> list[tuple[str, str, bool]]:
    return [(reverse(f"records:{slug}-list") if slug != "note-checks" else reverse("records:note-checks"), label, slug == current)
            for slug, label in GROUP_TABS.get(reg_group, [])]


@require_GET
def registry_list(request: HttpRequest, slug: str) -> HttpResponse:
    reg = registry(slug)
    if not can_read_records(request.user):
        raise Http404
    entries = reg.model.objects.filter(readable_q(request.user)).select_related(*reg.related)
    params = request.GET
    org = scoped_org(request, params.get("org"))
    if org is not None:
        entries = entries.filter(organization__path__startswith=org.path)
    for name, _label, choices in reg.filters:
        if params.get(name) in {v for v, _ in choices}:
            entries = entries.filter(**{name: params[name]})
    if params.get("year", "").isdigit() and reg.date_field:
        entries = entries.filter(**{f"{reg.date_field}__year": int(params["year"])})
    elif params.get("year", "").isdigit():
        entries = entries.filter(period__startswith=params["year"])
    query = params.get("q", "").strip()
    if query:
        condition = Q(pk__in=[])
        for name in reg.search:
            condition |= Q(**{f"{name}__contains": query})
        entries = entries.filter(condition)
    page = page_of(request, entries)
    writable = set(
        reg.model.objects.filter(writable_q(request.user, "organization__"), pk__in=[o.pk for o in page.object_list])
        .values_list("pk", flat=True)
    )
    rows = [(o, [fn(o) for _h, fn in reg.columns], o.pk in writable) for o in page.object_list]
    context = {
        "reg": reg,
        "page": page,
        "rows": rows,
        "headers": [h for h, _fn in reg.columns],
        "orgs": readable_orgs_for_user(request.user),
        "params": params,
        "querystring": request.GET.copy(),
        "can_create": can_write_records(request.user),
        "tabs": tabs(reg.group, slug),
        "total": page.paginator.count,
    }
    return render(request, "records/registry_list.html", context)


def form_for(request: HttpRequest, reg: Registry, instance=None):
    return reg.form(request.POST or None, instance=instance, **reg.form_kwargs(request))


def save(request: HttpRequest, reg: Registry, form, before: dict | None) -> HttpResponse | None:
    instance = form.save(commit=False)
    m2m = {name: list(form.cleaned_data.get(name) or []) for name in reg.m2m}
    try:
        registry_save(actor=request.user, instance=instance, m2m=m2m, before=before)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    messages.success(request, f"已保存{reg.noun}")
    return redirect(f"records:{reg.slug}-list")


@require_http_methods(["GET", "POST"])
def registry_create(request: HttpRequest, slug: str) -> HttpResponse:
    reg = registry(slug)
    if not can_write_records(request.user):
        raise Http404
    form = form_for(request, reg)
    if request.method == "POST" and form.is_valid():
        response = save(request, reg, form, None)
        if response is not None:
            return response
    return render(request, "records/registry_form.html", {"reg": reg, "form": form, "title": f"登记{reg.noun}"})


@require_http_methods(["GET", "POST"])
def registry_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reg = registry(slug)
    instance = record_for_user(request.user, reg.model, pk, write=True)
    before = field_values(instance)
    form = form_for(request, reg, instance)
    if request.method == "POST" and form.is_valid():
        response = save(request, reg, form, before)
        if response is not None:
            return response
    return render(request, "records/registry_form.html", {"reg": reg, "form": form, "title": f"修改{reg.noun}", "instance": instance})


@require_http_methods(["GET", "POST"])
def registry_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reg = registry(slug)
    instance = record_for_user(request.user, reg.model, pk, write=True)
    back = reverse(f"records:{slug}-list")
    if request.method == "POST":
        try:
            registry_delete(actor=request.user, instance=instance)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(back)
        messages.success(request, f"已删除{reg.noun}")
        return redirect(back)
    return render(request, "records/confirm_delete.html", {"object": instance, "noun": reg.noun, "back": back})


# The quarterly check of 政治学习笔记: one page per branch and quarter, one batch per save.


def current_quarter() -> str:
    today = timezone.localdate()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


def quarter_roster(branch, period: str) -> list:
    try:
        day = min(Period.parse(period).end, timezone.localdate())
    except ValueError:
        day = timezone.localdate()
    return list(branch_roster_on(branch, day).order_by("name", "id"))


@require_http_methods(["GET", "POST"])
def note_checks(request: HttpRequest) -> HttpResponse:
    if not can_read_records(request.user):
        raise Http404
    writable = writable_orgs_for_user(request.user).filter(kind=OrgKind.BRANCH)
    source = request.POST if request.method == "POST" else request.GET
    period = source.get("period") or current_quarter()
    if request.method == "POST":
        if not writable.exists():
            raise Http404
        form = record_forms.NoteCheckForm(request.POST, orgs=writable)
        branch = writable.filter(pk=request.POST.get("organization") or 0).first()
        if form.is_valid():
            branch, period = form.cleaned_data["organization"], form.cleaned_data["period"]
            results = {
                person: (request.POST[f"result_{person.pk}"], request.POST.get(f"remark_{person.pk}", ""))
                for person in quarter_roster(branch, period)
                if request.POST.get(f"result_{person.pk}") in NoteCheck.Result.values
            }
            if results:
                count = note_checks_record(actor=request.user, organization=branch, period=period,
                                           checked_on=form.cleaned_data["checked_on"], results=results)
                messages.success(request, f"已记录{count}名党员的政治学习笔记检查结果")
                return redirect(f"{reverse('records:note-checks')}?org={branch.code}&period={period}")
            form.add_error(None, "请至少为一名党员选择检查结果")
    else:
        branch = writable.filter(code=request.GET.get("org")).first() or writable.first()
        form = record_forms.NoteCheckForm(
            orgs=writable, initial={"organization": branch, "period": period, "checked_on": timezone.localdate()}
        )
    roster = []
    if branch is not None:
        saved = {c.person_id: c for c in NoteCheck.objects.filter(organization=branch, period=period)}
        roster = [(p, saved.get(p.pk)) for p in quarter_roster(branch, period)]
    checks = NoteCheck.objects.filter(readable_q(request.user), period=period).select_related("person", "organization")
    org = scoped_org(request, request.GET.get("org"))
    if org is not None:
        checks = checks.filter(organization__path__startswith=org.path)
    context = {
        "form": form,
        "branch": branch,
        "roster": roster,
        "results": NoteCheck.Result.choices,
        "page": page_of(request, checks.order_by("organization__path", "person__name")),
        "querystring": request.GET.copy(),
        "period": period,
        "tabs": tabs("study", "note-checks"),
        "orgs": readable_orgs_for_user(request.user),
    }
    return render(request, "records/note_checks.html", context)


def registry_urls():
    from django.urls import path

    patterns = []
    for slug in REGISTRIES:
        patterns += [
            path(f"{slug}/", registry_list, {"slug": slug}, name=f"{slug}-list"),
            path(f"{slug}/new/", registry_create, {"slug": slug}, name=f"{slug}-create"),
            path(f"{slug}/<int:pk>/edit/", registry_edit, {"slug": slug}, name=f"{slug}-edit"),
            path(f"{slug}/<int:pk>/delete/", registry_remove, {"slug": slug}, name=f"{slug}-delete"),
        ]
    return patterns
