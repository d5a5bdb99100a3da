"""Pages of campaigns (检查) and checklist templates: thin views over the selectors and services."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvze.accounts.models import Role
from lvze.documents.services import draft_create
from lvze.duties.models import Timeliness, WorkItem
from lvze.duties.plan_selectors import TIMELINESS_CSS, writable_units_for_user
from lvze.duties.plan_services import people_in
from lvze.duties.selectors import UNIT_READERS
from lvze.duties.timeliness import with_timeliness
from lvze.forms import form_errors_from
from lvze.inspections import bulletin, services
from lvze.inspections import documents as bulletin_documents
from lvze.inspections.checklists import BUILT_IN_TEMPLATES
from lvze.inspections.forms import (
    ChecklistItemForm,
    EvidenceForm,
    InspectionFilterForm,
    InspectionForm,
    ReasonForm,
    ScoreForm,
    SelfCheckForm,
    TargetFindingForm,
    TemplateForm,
    TextsForm,
)
from lvze.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    FindingSource,
    InspectionStatus,
    Score,
    ScoreEvidence,
)
from lvze.inspections.selectors import (
    can_add_finding,
    can_edit_score,
    can_manage,
    can_rectify_finding,
    can_score,
    can_self_check,
    findings_for_user,
    inspection_for_user,
    inspection_rows,
    inspection_text_q,
    inspections_for_user,
    rectification_state,
    require,
    require_reader,
    sees_all_targets,
    target_for_user,
    targets_for_user,
)
from lvze.lib.periods import Period
from lvze.orgs.models import Organization, OrgKind
from lvze.orgs.selectors import grant_orgs, own_unit_q, subtree_q
from lvze.security.downloads import file_response

PAGE_SIZE = 30
ROOT_KINDS = (OrgKind.COMMITTEE, OrgKind.LEADING_GROUP, OrgKind.ORGAN_COMMITTEE, OrgKind.GENERAL_BRANCH)
STATUS_CSS = {"draft": "", "running": "amber", "published": "green"}


def error_message(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


# --- campaigns ------------------------------------------------------------------------------


@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    form = InspectionFilterForm(request.GET or None)
    rows = inspection_rows(inspections_for_user(request.user))
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            rows = rows.filter(inspection_text_q(data["q"]))
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["year"]:
            rows = rows.filter(period__startswith=str(data["year"]))
    page = Paginator(rows.order_by("-period", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "statuses": InspectionStatus.choices,
        "status_css": STATUS_CSS,
        "can_create": writable_units_for_user(request.user).exists(),
        "querystring": request.GET.copy(),
    }
    return render(request, "inspections/inspection_list.html", context)


def own_roots(user):
    return Organization.objects.filter(
        own_unit_q(grant_orgs(user, {Role.PARTY_ADMIN})), kind__in=ROOT_KINDS, active=True
    ).order_by("path")


def default_values(today) -> dict:
    quarter = Period.of_date(today, "quarter")
    return {"period": str(quarter), "name": f"{quarter.label()}支部工作检查", "deadline": quarter.end}


@require_http_methods(["GET", "POST"])
def inspection_create(request: HttpRequest) -> HttpResponse:
    units = writable_units_for_user(request.user)
    if not units.exists():
        raise Http404
    templates = ChecklistTemplate.objects.filter(unit__in=units, active=True).order_by("unit__path", "name")
    form = InspectionForm(
        request.POST or None,
        units=units,
        templates=templates,
        roots=own_roots(request.user),
        people=people_in(units),
        initial={**default_values(timezone.localdate()), "unit": units.first(), "template": templates.first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, f"已创建“{inspection.name}”，确认检查项目后即可启动")
            return redirect("inspections:inspection-detail", inspection_id=inspection.pk)
    return render(request, "inspections/inspection_form.html", {"form": form, "has_templates": templates.exists()})


@require_GET
def inspection_detail(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = request.user
    inspection = inspection_for_user(user, inspection_id)
    today = timezone.localdate()
    targets = list(
        targets_for_user(user, inspection)
        .annotate(scored=Count("scores", filter=Q(scores__scored_at__isnull=False)))
        .order_by("rank", "organization__path")
    )
    states = dict(
        with_timeliness(WorkItem.objects.filter(pk__in=[t.work_item_id for t in targets if t.work_item_id]), today)
        .values_list("pk", "timeliness")
    )
    for target in targets:
        target.self_check_timeliness = Timeliness(states[target.work_item_id]) if target.work_item_id else None
    findings = list(
        findings_for_user(user)
        .filter(inspection=inspection)
        .select_related("organization", "item", "raised_by", "rectification__work_item")
        .order_by("organization__path", "found_on", "id")
    )
    for finding in findings:
        rect = getattr(finding, "rectification", None)
        finding.rect_state = rectification_state(rect) if rect else None
    manage = can_manage(user, inspection)
    context = {
        "inspection": inspection,
        "items": inspection.items.all(),
        "targets": targets,
        "item_count": inspection.items.count(),
        "findings": findings,
        "inspectors": inspection.inspectors.order_by("name"),
        "manage": manage,
        "sees_all": sees_all_targets(user, inspection),
        "can_bulletin": bulletin_allowed(user, inspection),
        "status_css": STATUS_CSS,
        "tl_css": TIMELINESS_CSS,
        "reason_form": ReasonForm(),
    }
    return render(request, "inspections/inspection_detail.html", context)


ACTIONS = {
    "launch": (lambda user, i, form: services.inspection_launch(actor=user, inspection=i), "检查已启动，各支部自查事项已进入事项台账"),
    "refresh": (lambda user, i, form: services.inspection_refresh_facts(actor=user, inspection=i), "已按最新台账和纪实记录重新核验"),
    "publish": (lambda user, i, form: services.inspection_publish(actor=user, inspection=i), "检查结果已发布，可下载通报"),
    "withdraw": (
        lambda user, i, form: services.inspection_withdraw(actor=user, inspection=i, reason=form.get("reason", "")),
        "已撤回发布，可修改评分后重新发布",
    ),
}


@require_POST
def inspection_action(request: HttpRequest, inspection_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    inspection = inspection_for_user(request.user, inspection_id)
    require(can_manage(request.user, inspection))
    run, done = ACTIONS[action]
    try:
        run(request.user, inspection, request.POST)
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, done)
    return redirect("inspections:inspection-detail", inspection_id=inspection.pk)


@require_http_methods(["GET", "POST"])
def inspection_texts(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = inspection_for_user(request.user, inspection_id)
    require(can_manage(request.user, inspection))
    data = bulletin.load(inspection)
    initial = {
        "practices": inspection.practices or bulletin.generated_practices(data),
        "requirements": inspection.requirements or bulletin.generated_requirements(data),
    }
    form = TextsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        # Text left as generated is stored empty, so it keeps following the results.
        texts = {k: "" if v.strip() == initial[k].strip() and not getattr(inspection, k) else v for k, v in form.cleaned_data.items()}
        services.inspection_update_texts(actor=request.user, inspection=inspection, **texts)
        messages.success(request, "已保存通报文字")
        return redirect("inspections:inspection-detail", inspection_id=inspection.pk)
    return render(request, "inspections/inspection_texts.html", {"inspection": inspection, "form": form})


def bulletin_allowed(user, inspection) -> bool:
    """A published 通报 goes to every target; a draft of it is for the organising side."""
    if inspection.status == InspectionStatus.DRAFT:
        return False
    return inspection.status == InspectionStatus.PUBLISHED or sees_all_targets(user, inspection)


@require_POST
def inspection_draft(request: HttpRequest, inspection_id: int) -> HttpResponse:
    """Start an editable draft of the 通报 in the documents app (versions, regeneration, masked export)."""
    inspection = inspection_for_user(request.user, inspection_id)
    require(can_manage(request.user, inspection) and inspection.status != InspectionStatus.DRAFT)
    draft = draft_create(
        actor=request.user,
        unit=inspection.unit,
        kind=bulletin_documents.BULLETIN.key,
        period=bulletin_documents.draft_period(inspection),
        today=inspection.published_on,
    )
    messages.success(request, "已生成通报草稿（第1版），可修改后导出")
    return redirect("documents:draft-edit", draft_id=draft.pk)


@require_GET
def inspection_bulletin(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = inspection_for_user(request.user, inspection_id)
    if inspection.status == InspectionStatus.DRAFT:
        raise Http404("检查尚未启动")
    require(bulletin_allowed(request.user, inspection))
    try:
        name, data = bulletin.bulletin_file(inspection, masked=request.GET.get("masked") == "1")
    except bulletin.MaskingLeak as exc:
        messages.error(request, f"{exc}。请在脱敏设置中补充后再导出")
        return redirect("inspections:inspection-detail", inspection_id=inspection.pk)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# --- targets and scores --------------------------------------------------------------------


@require_GET
def target_detail(request: HttpRequest, inspection_id: int, target_id: int) -> HttpResponse:
    user = request.user
    inspection = inspection_for_user(user, inspection_id)
    target = target_for_user(user, inspection, target_id)
    scores = list(
        target.scores.select_related("item", "scored_by").prefetch_related("evidence").order_by("item__seq", "item_id")
    )
    scorer, manager = can_score(user, inspection), can_manage(user, inspection)
    for score in scores:
        # can_edit_score, without a query per row.
        score.editable = scorer and (
            score.scored_at is None or score.by_platform or score.scored_by_id == user.pk or manager
        )
    timeliness = None
    if target.work_item_id:
        timeliness = Timeliness(
            with_timeliness(WorkItem.objects.filter(pk=target.work_item_id), timezone.localdate()).get().timeliness
        )
    findings = list(
        target.findings.select_related("item", "raised_by", "rectification__work_item").order_by("found_on", "id")
    )
    for finding in findings:
        rect = getattr(finding, "rectification", None)
        finding.rect_state = rectification_state(rect) if rect else None
        finding.can_rectify = rect is None and can_rectify_finding(user, finding)
    context = {
        "inspection": inspection,
        "target": target,
        "scores": scores,
        "timeliness": timeliness,
        "tl_css": TIMELINESS_CSS,
        "findings": findings,
        "can_self_check": can_self_check(user, target),
        "can_add_finding": can_add_finding(user, inspection),
        "can_score": can_score(user, inspection),
        "self_check_form": SelfCheckForm(initial={"self_check": target.self_check}),
        "finding_form": TargetFindingForm(items=inspection.items.all()),
    }
    return render(request, "inspections/target_detail.html", context)


def back_to_target(target) -> HttpResponse:
    return redirect("inspections:target-detail", inspection_id=target.inspection_id, target_id=target.pk)


@require_POST
def target_self_check(request: HttpRequest, inspection_id: int, target_id: int) -> HttpResponse:
    inspection = inspection_for_user(request.user, inspection_id)
    target = target_for_user(request.user, inspection, target_id)
    require(can_self_check(request.user, target))
    form = SelfCheckForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写自查情况")
        services.target_self_check(actor=request.user, target=target, text=form.cleaned_data["self_check"])
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, "已提交自查情况，等待党务管理员审核")
    return back_to_target(target)


@require_POST
def target_finding(request: HttpRequest, inspection_id: int, target_id: int) -> HttpResponse:
    inspection = inspection_for_user(request.user, inspection_id)
    target = target_for_user(request.user, inspection, target_id)
    require(can_add_finding(request.user, inspection))
    form = TargetFindingForm(request.POST, items=inspection.items.all())
    if not form.is_valid():
        messages.error(request, "请填写问题描述")
        return back_to_target(target)
    try:
        services.finding_create(
            actor=request.user,
            unit=inspection.unit,
            organization=target.organization,
            source=FindingSource.INSPECTION,
            description=form.cleaned_data["description"],
            found_on=timezone.localdate(),
            inspection=inspection,
            target=target,
            item=form.cleaned_data["item"],
        )
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, "已记录发现的问题")
    return back_to_target(target)


def score_for_user(user, score_id: int) -> Score:
    score = Score.objects.select_related("item__inspection", "target__organization").filter(pk=score_id).first()
    if score is None:
        raise Http404
    inspection = inspection_for_user(user, score.item.inspection_id)
    target_for_user(user, inspection, score.target_id)
    score.item.inspection = inspection
    return score


@require_POST
def score_save(request: HttpRequest, score_id: int) -> HttpResponse:
    score = score_for_user(request.user, score_id)
    inspection = score.item.inspection
    require(can_edit_score(request.user, score, inspection))
    form = ScoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, "评分格式不正确：" + "；".join(e for errors in form.errors.values() for e in errors))
        return back_to_target(score.target)
    try:
        services.score_save(actor=request.user, score=score, **form.cleaned_data)
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, f"已保存“{score.item.title}”的评分")
    return back_to_target(score.target)


@require_POST
def score_evidence(request: HttpRequest, score_id: int) -> HttpResponse:
    score = score_for_user(request.user, score_id)
    require(can_edit_score(request.user, score, score.item.inspection))
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件")
        return back_to_target(score.target)
    upload = form.cleaned_data["file"]
    try:
        services.score_evidence_add(
            actor=request.user, score=score, name=upload.name, data=upload.read(), content_type=upload.content_type or ""
        )
    except ValidationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, "已上传佐证")
    return back_to_target(score.target)


@require_GET
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = ScoreEvidence.objects.select_related("score").filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    score = score_for_user(request.user, evidence.score_id)
    return file_response(sha256=evidence.sha256, name=evidence.name, obj=score, organization=score.target.organization)


# --- checklist templates ---------------------------------------------------------------------


def templates_for_user(user):
    return ChecklistTemplate.objects.filter(subtree_q(grant_orgs(user, UNIT_READERS), "unit__"))


def template_for_user(user, template_id: int, *, write: bool = False) -> ChecklistTemplate:
    source = (
        ChecklistTemplate.objects.filter(unit__in=writable_units_for_user(user)) if write else templates_for_user(user)
    )
    template = source.select_related("unit").filter(pk=template_id).first()
    if template is None:
        raise Http404("检查模板不存在或不在您的权限范围内")
    return template


@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    if not grant_orgs(request.user, UNIT_READERS):
        raise Http404
    templates = templates_for_user(request.user).select_related("unit").annotate(item_count=Count("items"))
    units = writable_units_for_user(request.user)
    installed = set(ChecklistTemplate.objects.filter(unit__in=units).values_list("unit_id", "builtin_code"))
    installable = [(u, b) for u in units for b in BUILT_IN_TEMPLATES if (u.pk, b.code) not in installed]
    page = Paginator(templates.order_by("unit__path", "name", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "installable": installable,
        "can_create": units.exists(),
        "querystring": request.GET.copy(),
    }
    return render(request, "inspections/template_list.html", context)


@require_POST
def template_install(request: HttpRequest) -> HttpResponse:
    units = writable_units_for_user(request.user)
    unit = units.filter(pk=request.POST.get("unit") or 0).first()
    if unit is None:
        raise Http404
    created = services.checklist_install_builtin(actor=request.user, unit=unit)
    messages.success(request, f"已安装{len(created)}个内置模板" if created else "内置模板已安装")
    return redirect("inspections:template-list")


@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest) -> HttpResponse:
    units = writable_units_for_user(request.user)
    if not units.exists():
        raise Http404
    form = TemplateForm(
        request.POST or None,
        units=units,
        templates=templates_for_user(request.user).order_by("name"),
        initial={"unit": units.first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            template = services.checklist_template_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, f"已创建模板“{template.name}”")
            return redirect("inspections:template-detail", template_id=template.pk)
    return render(request, "inspections/template_form.html", {"form": form})


@require_GET
def template_detail(request: HttpRequest, template_id: int) -> HttpResponse:
    template = template_for_user(request.user, template_id)
    context = {
        "template": template,
        "items": template.items.all(),
        "can_write": writable_units_for_user(request.user).filter(pk=template.unit_id).exists(),
        "form": ChecklistItemForm(),
    }
    return render(request, "inspections/template_detail.html", context)


@require_POST
def template_item_add(request: HttpRequest, template_id: int) -> HttpResponse:
    template = template_for_user(request.user, template_id)
    require(writable_units_for_user(request.user).filter(pk=template.unit_id).exists())
    form = ChecklistItemForm(request.POST)
    if form.is_valid():
        try:
            services.checklist_item_add(actor=request.user, template=template, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "已添加检查项目")
            return redirect("inspections:template-detail", template_id=template.pk)
    context = {"template": template, "items": template.items.all(), "can_write": True, "form": form}
    return render(request, "inspections/template_detail.html", context, status=200)


@require_POST
def template_item_remove(request: HttpRequest, item_id: int) -> HttpResponse:
    item = ChecklistItem.objects.select_related("template").filter(pk=item_id).first()
    if item is None:
        raise Http404
    template = template_for_user(request.user, item.template_id)
    require(writable_units_for_user(request.user).filter(pk=template.unit_id).exists())
    services.checklist_item_remove(actor=request.user, item=item)
    messages.success(request, f"已删除检查项目“{item.title}”（已启动的检查不受影响）")
    return redirect("inspections:template-detail", template_id=template.pk)
