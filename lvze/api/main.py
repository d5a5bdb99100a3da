"""/api/v1/: the same selectors (scope) and services (writes, audit) as the web pages, behind tokens."""


from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, NinjaAPI, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from lvze.api import errors
from lvze.api.auth import TokenAuth
from lvze.api.inspections import router as inspections_router
from lvze.api.pagination import LimitOffset
from lvze.api.records import router as records_router
from lvze.api.schemas import (
    CountOut,
    Error,
    EvidenceOut,
    NoteIn,
    NotificationOut,
    OrgOut,
    PersonOut,
    PlanDetail,
    PlanOut,
    ReadIn,
    TimelinessStats,
    WorkItemDetail,
    WorkItemOut,
)
from lvze.documents.builder import render_docx
from lvze.documents.reports import REPORTS
from lvze.duties import services as duty_services
from lvze.duties.models import Timeliness
from lvze.duties.plan_selectors import plan_for_user, plans_for_user
from lvze.duties.selectors import filtered_work_items, item_permissions, work_item_for_user
from lvze.duties.timeliness import on_time_rate, timeliness_counts
from lvze.lib.periods import Period
from lvze.orgs.selectors import (
    organization_for_user,
    organizations_for_user,
    people_for_user,
    person_for_user,
)
from lvze.reminders.selectors import notifications_for_user
from lvze.reminders.services import notifications_mark_read

api = NinjaAPI(
    title="履责 Lvze API",
    version="1",
    description="与网页相同的权限范围与业务规则；个人令牌在“个人设置”中创建。错误统一为 {code, message, errors}。",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,
)
errors.install(api)
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}

orgs = Router(tags=["组织与人员"])
items = Router(tags=["事项"])
plans = Router(tags=["工作要点"])
notes = Router(tags=["通知"])
stats = Router(tags=["统计"])
docs = Router(tags=["公文"])


@orgs.get("/orgs", response={200: list[OrgOut], **ERRORS}, summary="可见组织")
@paginate(LimitOffset)
def list_orgs(request: HttpRequest, q: str = ""):
    found = organizations_for_user(request.user).select_related("parent").order_by("path")
    return found.filter(Q(name__contains=q) | Q(code__icontains=q)) if q else found


@orgs.get("/orgs/{code}", response={200: OrgOut, **ERRORS}, summary="组织详情")
def get_org(request: HttpRequest, code: str):
    return organization_for_user(request.user, code)


class PeopleFilter(Schema):
    q: str = ""
    branch: str = ""


@orgs.get("/people", response={200: list[PersonOut], **ERRORS}, summary="可见人员")
@paginate(LimitOffset)
def list_people(request: HttpRequest, filters: Query[PeopleFilter]):
    people = people_for_user(request.user).filter(active=True).order_by("id")
    if filters.q:
        people = people.filter(name__contains=filters.q)
    if filters.branch:
        branch = organization_for_user(request.user, filters.branch)
        people = people.filter(Q(branch__path__startswith=branch.path) | Q(department__path__startswith=branch.path))
    return people


@orgs.get("/people/{person_id}", response={200: PersonOut, **ERRORS}, summary="人员详情")
def get_person(request: HttpRequest, person_id: int):
    return person_for_user(request.user, person_id)


class ItemFilter(Schema):
    org: str = ""
    source: str = ""
    status: str = ""
    timeliness: Timeliness | None = None
    period: str = ""
    work_area: str = ""
    person: str = ""
    q: str = ""
    mine: bool = False


@items.get("/work-items", response={200: list[WorkItemOut], **ERRORS}, summary="事项列表（与网页相同的筛选）")
@paginate(LimitOffset)
def list_items(request: HttpRequest, filters: Query[ItemFilter]):
    params = filters.dict()
    if params["org"]:
        params["org"] = organization_for_user(request.user, params["org"])
    params["timeliness"] = params["timeliness"].value if params["timeliness"] else ""
    return filtered_work_items(request.user, params, timezone.localdate()).order_by("due_date", "id")


def item_out(request: HttpRequest, item_id: int):
    return filtered_work_items(request.user, {}, timezone.localdate()).filter(pk=item_id).first()


@items.get("/work-items/{item_id}", response={200: WorkItemDetail, **ERRORS}, summary="事项详情、办理记录与佐证")
def get_item(request: HttpRequest, item_id: int):
    work_item_for_user(request.user, item_id)
    return item_out(request, item_id)


def act(request: HttpRequest, item_id: int, needed: str, service, **kwargs):
    item = work_item_for_user(request.user, item_id)
    if not getattr(item_permissions(request.user, item), needed):
        raise PermissionDenied("您无权办理该事项")
    service(actor=request.user, item=item, **kwargs)
    return item_out(request, item_id)


# (path, summary, who may do it, service): each becomes POST /work-items/{id}/<path> taking {"note"}.
ITEM_ACTIONS = [
    ("progress", "报告进展", "handle", duty_services.work_item_progress),
    ("submit", "提交办结", "handle", duty_services.work_item_submit),
    ("approve", "审核通过（办结）", "review", duty_services.work_item_approve),
    ("return", "退回", "review", duty_services.work_item_return),
    ("urge", "督办", "review", duty_services.work_item_urge),
]


def register_item_action(path: str, summary: str, needed: str, service) -> None:
    def endpoint(request: HttpRequest, item_id: int, payload: NoteIn):
        return act(request, item_id, needed, service, note=payload.note)

    endpoint.__name__ = f"item_{path}"
    items.post(f"/work-items/{{item_id}}/{path}", response={200: WorkItemOut, **ERRORS}, summary=summary)(endpoint)


for action in ITEM_ACTIONS:
    register_item_action(*action)


@items.post("/work-items/{item_id}/evidence", response={201: EvidenceOut, **ERRORS}, summary="上传佐证（办结时附佐证）")
def upload_evidence(request: HttpRequest, item_id: int, file: File[UploadedFile]):
    item = work_item_for_user(request.user, item_id)
    if not item_permissions(request.user, item).handle:
        raise PermissionDenied("您无权办理该事项")
    duty_services.check_upload(file.name, file.size)
    evidence = duty_services.evidence_add_file(
        actor=request.user, item=item, name=file.name, data=file.read(), content_type=file.content_type or ""
    )
    return Status(201, evidence)


def task_rows(plan):
    tasks = plan.tasks.prefetch_related("lead_orgs").order_by("seq", "id")
    return [
        {
            **{f: getattr(t, f) for f in ("id", "seq", "category", "title", "measures", "leader_text", "deadline_text", "frequency", "due_date")},
            "lead_orgs": [o.code for o in t.lead_orgs.all()],
        }
        for t in tasks
    ]


@plans.get("/plans", response={200: list[PlanOut], **ERRORS}, summary="工作要点")
@paginate(LimitOffset)
def list_plans(request: HttpRequest):
    return plans_for_user(request.user).select_related("unit").order_by("-year", "id")


@plans.get("/plans/{plan_id}", response={200: PlanDetail, **ERRORS}, summary="工作要点及重点任务")
def get_plan(request: HttpRequest, plan_id: int):
    plan = plan_for_user(request.user, plan_id)
    return {"id": plan.pk, "name": plan.name, "year": plan.year, "unit": {"code": plan.unit.code}, "tasks": task_rows(plan)}


@notes.get("/notifications", response={200: list[NotificationOut], **ERRORS}, summary="我的通知")
@paginate(LimitOffset)
def list_notifications(request: HttpRequest, unread: bool = False):
    found = notifications_for_user(request.user)
    return found.filter(read_at__isnull=True) if unread else found


@notes.post("/notifications/read", response={200: CountOut, **ERRORS}, summary="标为已读")
def read_notifications(request: HttpRequest, payload: ReadIn):
    return {"marked": notifications_mark_read(user=request.user, ids=payload.ids or None)}


@stats.get("/statistics/timeliness", response={200: TimelinessStats, **ERRORS}, summary="事项时效统计（看板数字）")
def timeliness_stats(request: HttpRequest, org: str, period: str = ""):
    unit = organization_for_user(request.user, org)
    params: dict = {"org": unit}
    as_of = timezone.localdate()
    due_in_period = None
    if period:
        try:
            value = Period.parse(period)
        except ValueError as exc:
            raise ValidationError({"period": str(exc)}) from exc
        as_of = min(as_of, value.end)
        params["period"] = str(value.year) if value.kind == "year" else ""
    found = filtered_work_items(request.user, params, as_of)
    if period:
        found = found.filter(due_date__gte=value.start, due_date__lte=value.end)
        due_in_period = found.count()
    counts = timeliness_counts(found.order_by(), as_of)
    due = due_in_period if due_in_period is not None else found.exclude(due_date=None).filter(due_date__lte=as_of).count()
    return {"org": unit.code, "as_of": as_of, **counts, "due_in_period": due, "on_time_rate": on_time_rate(counts, due)}


@docs.get("/documents/{kind}.docx", summary="生成公文（.docx）", response={200: None, **ERRORS})
def generate_document(request: HttpRequest, kind: str, org: str, month: str = "", period: str = ""):
    if kind not in REPORTS:
        raise Http404
    unit = organization_for_user(request.user, org)
    draft = REPORTS[kind].build(unit, {"month": month or str(Period.of_date(date.today(), "month")), "period": period})
    response = HttpResponse(
        render_docx(draft), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{kind}.docx"
    return response


for router in (orgs, items, plans, notes, stats, docs, records_router, inspections_router):
    api.add_router("", router)
