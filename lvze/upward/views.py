"""审议, 上报, 上报要求 and the consolidated view. Out of scope is 404; in scope but not allowed to act
(a reader of the draft who is not its unit's 党务管理员, a unit receiving its own report) is 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvze.documents import builder
from lvze.documents.models import Draft, DraftVersion
from lvze.documents.selectors import can_edit_draft, can_read_drafts, draft_for_user
from lvze.duties.models import Timeliness, WorkItem
from lvze.duties.selectors import UNIT_READERS
from lvze.duties.timeliness import with_timeliness
from lvze.inspections.models import RectificationState
from lvze.lib.figures_cache import cached_figures
from lvze.lib.periods import Period
from lvze.orgs.models import UNIT_KINDS, Organization
from lvze.orgs.selectors import grant_orgs, organizations_for_user
from lvze.records.models import MeetingKind
from lvze.upward import services
from lvze.upward.consolidated import (
    ACTIVITY_FIGURES,
    ALL,
    RECTIFICATION_FIGURES,
    SUBMISSION_FIGURES,
    TIMELINESS_SHOWN,
    consolidated,
    figure_activities,
    figure_items,
    figure_meetings,
    figure_rectifications,
    subordinate_units,
)
from lvze.upward.forms import (
    CommentsForm,
    GenerateForm,
    OverviewForm,
    RequirementForm,
    ReviewDecisionForm,
    SubmitForm,
)
from lvze.upward.generation import submissions_generate
from lvze.upward.kinds import kind_label
from lvze.upward.models import Review, ReviewState, Submission, SubmissionState
from lvze.upward.selectors import (
    COMMITTEE_MEETINGS_SHOWN,
    can_receive,
    committee_meetings,
    draft_reviews,
    incoming_for_user,
    outgoing_for_user,
    parent_unit,
    requirement_for_user,
    requirement_unit_for_user,
    requirement_units_for_user,
    requirements_for_user,
    review_blocker,
    review_drafts_for_user,
    review_state,
    submission_for_user,
    submissions_for_user,
)

PAGE_SIZE = 30
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STATE_CLASS = {
    ReviewState.DRAFTING: "",
    ReviewState.PENDING: "amber",
    ReviewState.ADOPTED: "green",
    ReviewState.RETURNED: "red",
    SubmissionState.SUBMITTED: "amber",
    SubmissionState.RECEIVED: "green",
}


def errors_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def form_errors(form) -> str:
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


def version_docx(draft: Draft, version: DraftVersion) -> bytes:
    return builder.render_version_docx(draft, version)


def download(data: bytes, title: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, builder.export_filename(Draft(title=title)))
    return response


# --- 审议与上报 ----------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if not can_read_drafts(request.user):
        raise Http404
    latest_review = Review.objects.filter(draft=OuterRef("pk")).order_by("-round")
    latest_submission = Submission.objects.filter(draft=OuterRef("pk")).order_by("-submitted_at", "-id")
    drafts = review_drafts_for_user(request.user).annotate(
        review_state=Subquery(latest_review.values("state")[:1]),
        reviewed_version=Subquery(latest_review.values("version__number")[:1]),
        submission_state=Subquery(latest_submission.values("state")[:1]),
    )
    page = Paginator(drafts.order_by("-updated_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    for draft in page.object_list:
        state = draft.review_state or ReviewState.DRAFTING
        draft.review_label = ReviewState(state).label
        draft.review_css = STATE_CLASS.get(state, "")
        draft.submission_label = SubmissionState(draft.submission_state).label if draft.submission_state else ""
        draft.submission_css = STATE_CLASS.get(draft.submission_state, "red")
    context = {"page": page, "querystring": request.GET.copy()}
    return render(request, "upward/index.html", context)


def review_context(request: HttpRequest, draft: Draft) -> dict:
    reviews = list(draft_reviews(draft))
    latest = reviews[0] if reviews else None
    can_edit = can_edit_draft(request.user, draft)
    state = review_state(latest)
    to_unit = parent_unit(draft.unit)
    submissions = list(draft.submissions.select_related("to_unit", "version", "decided_by").order_by("-submitted_at", "-id"))
    live = next((s for s in submissions if s.state in (SubmissionState.SUBMITTED, SubmissionState.RECEIVED)), None)
    adopted_latest = latest is not None and latest.state == ReviewState.ADOPTED
    meetings = committee_meetings(draft.unit)[:COMMITTEE_MEETINGS_SHOWN]
    return {
        "draft": draft,
        "kind": kind_label(draft.kind),
        "reviews": reviews,
        "latest": latest,
        "state": ReviewState(state),
        "state_css": STATE_CLASS.get(state, ""),
        "can_edit": can_edit,
        "blocker": review_blocker(draft, latest),
        "decision_form": ReviewDecisionForm(meetings=committee_meetings(draft.unit)) if state == ReviewState.PENDING else None,
        "has_meetings": bool(meetings),
        "edited_since": latest is not None and latest.version.number < draft.version,
        "to_unit": to_unit,
        "submissions": submissions,
        "live": live,
        "can_submit_up": can_edit and adopted_latest and live is None and to_unit is not None,
        "submit_form": SubmitForm(initial={"period": draft.period}),
    }


@require_GET
def draft_review(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = draft_for_user(request.user, draft_id)
    return render(request, "upward/draft_review.html", review_context(request, draft))


def writable_draft(request: HttpRequest, draft_id: int) -> Draft:
    """In scope for reading (else 404) and written only by the unit's own 党务管理员 (else 403)."""
    draft = draft_for_user(request.user, draft_id)
    if not can_edit_draft(request.user, draft):
        raise PermissionDenied("只有本单位党务管理员可以办理审议和上报")
    return draft


def writable_review(request: HttpRequest, review_id: int) -> Review:
    review = Review.objects.select_related("draft", "version").filter(pk=review_id).first()
    if review is None:
        raise Http404
    writable_draft(request, review.draft_id)
    return review


def back_to(draft_id: int) -> HttpResponse:
    return redirect("upward:draft-review", draft_id=draft_id)


@require_POST
def review_submit(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = writable_draft(request, draft_id)
    try:
        review = services.review_submit(actor=request.user, draft=draft)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, f"已将第{review.version.number}版提交党委会审议")
    return back_to(draft.pk)


@require_POST
def review_decide(request: HttpRequest, review_id: int, outcome: str) -> HttpResponse:
    if outcome not in ("adopt", "return"):
        raise Http404
    review = writable_review(request, review_id)
    form = ReviewDecisionForm(request.POST, meetings=committee_meetings(review.draft.unit))
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return back_to(review.draft_id)
    data = form.cleaned_data
    try:
        if outcome == "adopt":
            services.review_adopt(actor=request.user, review=review, meeting=data["meeting"], comments=data["comments"])
        else:
            services.review_return(actor=request.user, review=review, meeting=data["meeting"], comments=data["comments"])
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, "已登记：审议通过" if outcome == "adopt" else "已登记：退回修改")
    return back_to(review.draft_id)


@require_GET
def review_docx(request: HttpRequest, review_id: int) -> HttpResponse:
    """The version put to the 党委会, as it was — whatever was edited since."""
    review = Review.objects.select_related("draft__unit", "version").filter(pk=review_id).first()
    if review is None:
        raise Http404
    draft = draft_for_user(request.user, review.draft_id)
    services.review_export_log(actor=request.user, review=review)
    return download(version_docx(draft, review.version), review.version.title)


@require_POST
def submission_create(request: HttpRequest, review_id: int) -> HttpResponse:
    review = writable_review(request, review_id)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return back_to(review.draft_id)
    try:
        submission = services.submission_create(
            actor=request.user, review=review, period=form.cleaned_data["period"], note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
        return back_to(review.draft_id)
    messages.success(request, f"已上报{submission.to_unit.name}")
    return redirect("upward:submission-detail", submission_id=submission.pk)


# --- 收件箱 --------------------------------------------------------------------------------


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    if not can_read_drafts(request.user):
        raise Http404
    box = "out" if request.GET.get("box") == "out" else "in"
    submissions = outgoing_for_user(request.user) if box == "out" else incoming_for_user(request.user)
    state = request.GET.get("state", "")
    if state in SubmissionState.values:
        submissions = submissions.filter(state=state)
    period = request.GET.get("period", "").strip()
    if period:
        submissions = submissions.filter(period__startswith=period)
    unit = request.GET.get("unit", "").strip()
    if unit:
        submissions = submissions.filter(from_unit__code=unit)
    page = Paginator(submissions.order_by("-submitted_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    for submission in page.object_list:
        submission.kind_label = kind_label(submission.kind)
    context = {
        "page": page,
        "box": box,
        "state": state,
        "period": period,
        "unit": unit,
        "states": SubmissionState.choices,
        "css": STATE_CLASS,
        "querystring": request.GET.copy(),
    }
    return render(request, "upward/inbox.html", context)


@require_GET
def submission_detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = submission_for_user(request.user, submission_id)
    history = (
        submissions_for_user(request.user)
        .filter(from_unit=submission.from_unit, kind=submission.kind, period=submission.period)
        .order_by("-submitted_at", "-id")
    )
    item_timeliness = ""
    if submission.work_item_id:
        annotated = with_timeliness(WorkItem.objects.filter(pk=submission.work_item_id), timezone.localdate()).get()
        item_timeliness = Timeliness(annotated.timeliness).label
    context = {
        "submission": submission,
        "item_timeliness": item_timeliness,
        "kind": kind_label(submission.kind),
        "period_label": Period.parse(submission.period).label(),
        "css": STATE_CLASS,
        "history": history,
        "can_receive": can_receive(request.user, submission) and submission.state == SubmissionState.SUBMITTED,
        "can_open_draft": can_edit_draft(request.user, submission.draft),
        "form": CommentsForm(),
    }
    return render(request, "upward/submission_detail.html", context)


@require_GET
def submission_docx(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = submission_for_user(request.user, submission_id)
    services.submission_export_log(actor=request.user, submission=submission)
    return download(version_docx(submission.draft, submission.version), submission.title)


@require_POST
def submission_decide(request: HttpRequest, submission_id: int, outcome: str) -> HttpResponse:
    if outcome not in ("receive", "return"):
        raise Http404
    submission = submission_for_user(request.user, submission_id)
    if not can_receive(request.user, submission):
        raise PermissionDenied("只有接收单位的党务管理员可以接收或退回")
    form = CommentsForm(request.POST)
    comments = form.cleaned_data["comments"] if form.is_valid() else ""
    try:
        if outcome == "receive":
            services.submission_receive(actor=request.user, submission=submission, comments=comments)
        else:
            services.submission_return(actor=request.user, submission=submission, comments=comments)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, "已接收" if outcome == "receive" else "已退回，上报单位将收到通知")
    return redirect("upward:submission-detail", submission_id=submission.pk)


# --- 上报要求 ------------------------------------------------------------------------------


def require_unit_reader(request: HttpRequest) -> None:
    if not grant_orgs(request.user, UNIT_READERS):
        raise Http404


@require_GET
def requirement_list(request: HttpRequest) -> HttpResponse:
    require_unit_reader(request)
    units = list(requirement_units_for_user(request.user))
    requirements = requirements_for_user(request.user).order_by("unit__path", "kind", "period_scope")
    page = Paginator(requirements, PAGE_SIZE).get_page(request.GET.get("page"))
    for requirement in page.object_list:
        requirement.kind_label = kind_label(requirement.kind)
    context = {
        "page": page,
        "units": units,
        "editable": {u.pk for u in units},
        "form": RequirementForm(),
        "generate_form": GenerateForm(initial={"period": str(Period.of_date(timezone.localdate(), "half"))}),
        "querystring": request.GET.copy(),
    }
    return render(request, "upward/requirement_list.html", context)


def posted_unit(request: HttpRequest) -> Organization:
    return requirement_unit_for_user(request.user, request.POST.get("org", ""))


@require_POST
def requirement_create(request: HttpRequest) -> HttpResponse:
    unit = posted_unit(request)
    form = RequirementForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("upward:requirement-list")
    try:
        requirement = services.requirement_create(actor=request.user, unit=unit, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, f"已添加上报要求：{requirement.name}（{requirement.get_period_scope_display()}，{requirement.due_label}）")
    return redirect("upward:requirement-list")


@require_POST
def requirement_defaults(request: HttpRequest) -> HttpResponse:
    unit = posted_unit(request)
    created = services.requirements_install_defaults(actor=request.user, unit=unit)
    messages.success(request, f"已添加{created}项默认上报要求" if created else "默认上报要求均已存在")
    return redirect("upward:requirement-list")


@require_POST
def requirement_toggle(request: HttpRequest, requirement_id: int) -> HttpResponse:
    requirement = requirement_for_user(request.user, requirement_id)
    services.requirement_set_active(actor=request.user, requirement=requirement, active=not requirement.active)
    messages.success(request, f"已{'启用' if requirement.active else '停用'}：{requirement.name}")
    return redirect("upward:requirement-list")


@require_POST
def requirement_generate(request: HttpRequest) -> HttpResponse:
    unit = posted_unit(request)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("upward:requirement-list")
    period = Period.parse(form.cleaned_data["period"])
    result = submissions_generate(actor=request.user, period=period, scope=unit, required_by=unit)
    messages.success(request, f"{period.label()}上报事项：新建{result.created}项，已存在{result.existing}项")
    return redirect("upward:requirement-list")


# --- 下级单位汇总 --------------------------------------------------------------------------


def overview_units(user):
    return organizations_for_user(user, UNIT_READERS).filter(kind__in=UNIT_KINDS, active=True).order_by("path")


def overview_unit(user, code: str) -> Organization:
    unit = overview_units(user).filter(code=code).first()
    if unit is None:
        raise Http404("单位不存在或不在您的权限范围内")
    return unit


def parse_period(text: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError:
        raise Http404("期间格式不正确") from None


@require_http_methods(["GET"])
def overview(request: HttpRequest) -> HttpResponse:
    require_unit_reader(request)
    form = OverviewForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    units = list(overview_units(request.user))
    if not units:
        raise Http404
    unit = overview_unit(request.user, params["org"]) if params.get("org") else min(units, key=lambda u: u.depth)
    period = Period.parse(params["period"]) if params.get("period") else Period.of_date(today, "half")
    view = cached_figures(("consolidated", unit.pk, str(period), today.isoformat()),
                          lambda: consolidated(unit, period, today))
    context = {
        "form": form,
        "units": units,
        "unit": unit,
        "period": period,
        "view": view,
        "timeliness": [(str(t), Timeliness(t).label) for t in TIMELINESS_SHOWN],
        "submission_figures": [(key, label) for key, (label, _q) in SUBMISSION_FIGURES.items()],
        "activity_figures": list(ACTIVITY_FIGURES.items()),
        "rectification_figures": list(RECTIFICATION_FIGURES.items()),
        "all": ALL,
    }
    return render(request, "upward/overview.html", context)


def overview_row(request: HttpRequest, code: str, period: str, row: str) -> tuple[Organization, Period, str]:
    require_unit_reader(request)
    unit = overview_unit(request.user, code)
    if row not in (ALL, unit.code) and row not in {u.code for u in subordinate_units(unit)}:
        raise Http404("该单位不是所选单位的下级单位")
    return unit, parse_period(period), row


def row_label(unit: Organization, row: str) -> str:
    if row == ALL:
        return f"{unit.name}（全部）"
    if row == unit.code:
        return f"{unit.name}（本级）"
    return Organization.objects.get(code=row).name


FIGURE_LABELS = {
    **{str(t): Timeliness(t).label for t in Timeliness},
    "due": "期内到期事项",
    "all": "全部事项",
    **{f"submission:{key}": f"上报{label}" for key, (label, _q) in SUBMISSION_FIGURES.items()},
    "submission:overdue": "上报逾期未报",
}


@require_GET
def overview_items(request: HttpRequest, code: str, period: str, row: str) -> HttpResponse:
    unit, the_period, row = overview_row(request, code, period, row)
    figure = request.GET.get("figure", "all")
    if figure not in FIGURE_LABELS:
        raise Http404
    today = timezone.localdate()
    items = figure_items(unit, row, the_period, today, figure).order_by("due_date", "id")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "period": the_period,
        "row_label": row_label(unit, row),
        "figure_label": FIGURE_LABELS[figure],
        "page": page,
        "querystring": request.GET.copy(),
        "as_of": min(today, the_period.end) if not figure.startswith("submission:") else today,
    }
    return render(request, "upward/overview_items.html", context)


@require_GET
def overview_meetings(request: HttpRequest, code: str, period: str, row: str) -> HttpResponse:
    unit, the_period, row = overview_row(request, code, period, row)
    kind = request.GET.get("kind", "")
    if kind and kind not in MeetingKind.values:
        raise Http404
    page = Paginator(figure_meetings(unit, row, the_period, kind), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "period": the_period,
        "row_label": row_label(unit, row),
        "kind_label": MeetingKind(kind).label if kind else "全部会议",
        "page": page,
        "querystring": request.GET.copy(),
    }
    return render(request, "upward/overview_meetings.html", context)


@require_GET
def overview_activities(request: HttpRequest, code: str, period: str, row: str) -> HttpResponse:
    unit, the_period, row = overview_row(request, code, period, row)
    page = Paginator(figure_activities(unit, row, the_period), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "period": the_period,
        "row_label": row_label(unit, row),
        "page": page,
        "querystring": request.GET.copy(),
    }
    return render(request, "upward/overview_activities.html", context)


@require_GET
def overview_rectifications(request: HttpRequest, code: str, period: str, row: str) -> HttpResponse:
    unit, the_period, row = overview_row(request, code, period, row)
    figure = request.GET.get("figure", "total")
    if figure not in RECTIFICATION_FIGURES:
        raise Http404
    rects = figure_rectifications(unit, row, the_period, timezone.localdate(), figure)
    page = Paginator(rects, PAGE_SIZE).get_page(request.GET.get("page"))
    states = dict(RectificationState.choices)
    for rect in page.object_list:
        rect.state_label = states.get(rect.state, "")
    context = {
        "unit": unit,
        "period": the_period,
        "row_label": row_label(unit, row),
        "figure_label": RECTIFICATION_FIGURES[figure],
        "page": page,
        "querystring": request.GET.copy(),
    }
    return render(request, "upward/overview_rectifications.html", context)
