"""Pages of plans (工作要点) and their 分解表: list, detail, import (upload → preview → confirm), export."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from lvze.duties.forms_plans import TaskImportForm
from lvze.duties.plan_selectors import (
    TIMELINESS_CSS,
    TIMELINESS_LABELS,
    plan_for_user,
    plan_list_rows,
    plan_tasks_by_category,
    plan_text_q,
    plans_for_user,
    require_reader,
    writable_units_for_user,
)
from lvze.duties.selectors import work_items_for_user
from lvze.duties.task_export import plan_export_xlsx
from lvze.duties.task_import import TaskImportPlan, tasks_import
from lvze.orgs.selectors import organization_for_user

PAGE_SIZE = 30
IMPORT_SESSION_KEY = "task_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    today = timezone.localdate()
    plans = plan_list_rows(plans_for_user(request.user), today).order_by("-year", "unit__path", "id")
    query = request.GET.get("q", "").strip()
    if query:
        plans = plans.filter(plan_text_q(query))
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "can_import": writable_units_for_user(request.user).exists(),
        "querystring": request.GET.copy(),
    }
    return render(request, "duties/plan_list.html", context)


@require_GET
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for_user(request.user, plan_id)
    groups = plan_tasks_by_category(plan, timezone.localdate(), work_items_for_user(request.user))
    context = {
        "plan": plan,
        "groups": groups,
        "task_count": sum(len(tasks) for _category, tasks in groups),
        "can_write": writable_units_for_user(request.user).filter(pk=plan.unit_id).exists(),
        "tl_labels": TIMELINESS_LABELS,
        "tl_css": TIMELINESS_CSS,
    }
    return render(request, "duties/plan_detail.html", context)


@require_GET
def plan_export(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for_user(request.user, plan_id)
    data = plan_export_xlsx(plan, timezone.localdate(), work_items_for_user(request.user))
    response = HttpResponse(data, content_type=XLSX)
    filename = f"{plan.name}重点任务分解表.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def import_store_path(digest: str):
    folder = settings.DATA_DIR / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{digest}.xlsx"


def render_preview(request: HttpRequest, result: TaskImportPlan, root, filename: str) -> HttpResponse:
    context = {"result": result, "root": root, "filename": filename, "counts": result.counts()}
    return render(request, "duties/plan_import_preview.html", context)


@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview of every row (nothing written) → confirm (one transaction)."""
    units = writable_units_for_user(request.user)
    if not units.exists():
        raise Http404
    if request.method == "POST" and request.POST.get("confirm"):
        return plan_import_confirm(request)
    form = TaskImportForm(request.POST or None, request.FILES or None, orgs=units)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            form.add_error("file", f"文件超过 {settings.UPLOAD_MAX_BYTES // 1024 // 1024} MB 上限")
        else:
            return plan_import_preview(request, form.cleaned_data, upload)
    return render(request, "duties/plan_import.html", {"form": form})


def plan_import_preview(request: HttpRequest, data: dict, upload) -> HttpResponse:
    content = upload.read()
    root = data["org"]
    result = tasks_import(
        actor=request.user, data=content, root=root, dry_run=True, plan=data["plan_name"], year=data["year"]
    )
    digest = hashlib.sha256(content).hexdigest()
    import_store_path(digest).write_bytes(content)
    request.session[IMPORT_SESSION_KEY] = {
        "digest": digest,
        "org": root.code,
        "name": upload.name,
        "plan": data["plan_name"],
        "year": data["year"],
    }
    return render_preview(request, result, root, upload.name)


def plan_import_confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(IMPORT_SESSION_KEY)
    path = import_store_path(pending["digest"]) if pending else None
    if not pending or not path.exists():
        messages.error(request, "导入已过期，请重新上传文件")
        return redirect("plans:plan-import")
    root = organization_for_user(request.user, pending["org"], write=True)
    if not writable_units_for_user(request.user).filter(pk=root.pk).exists():
        raise Http404
    result = tasks_import(
        actor=request.user,
        data=path.read_bytes(),
        root=root,
        filename=pending["name"],
        plan=pending["plan"],
        year=pending["year"],
    )
    if result.errors:
        return render_preview(request, result, root, pending["name"])
    del request.session[IMPORT_SESSION_KEY]
    path.unlink(missing_ok=True)
    counts = result.counts()
    messages.success(
        request,
        f"导入完成：新增任务{counts['created']}项，更新{counts['updated']}项，无变化{counts['unchanged']}项，"
        f"生成事项{counts['work_items']}项",
    )
    return redirect("plans:plan-detail", plan_id=result.plan.pk)
