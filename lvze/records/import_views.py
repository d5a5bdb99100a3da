"""台账导入 on the web: upload → preview of every row's interpretation (nothing written) → confirm (one
transaction). The same importers as `lvze import meetings|activities`."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lvze.orgs.views import import_store_path
from lvze.records import ledgers
from lvze.records.forms import ImportForm
from lvze.records.models import MeetingKind
from lvze.records.selectors import writable_orgs_for_user

IMPORT_SESSION_KEY = "records_import"
IMPORTERS = {"meetings": ledgers.meetings_import, "activities": ledgers.activities_import}
LABELS = {"meetings": "会议台账", "activities": "活动台账"}


def allowed_check(request: HttpRequest, kind: str):
    orgs = writable_orgs_for_user(request.user, departments=kind == "activities")
    writable = set(orgs.values_list("pk", flat=True))
    return lambda org: org.pk in writable


def preview(request: HttpRequest, plan, kind: str, root, filename: str) -> HttpResponse:
    return render(request, "records/import_preview.html", {
        "plan": plan, "kind": kind, "label": LABELS[kind], "root": root, "filename": filename,
        "counts": plan.counts(), "kind_labels": dict(MeetingKind.choices),
    })


@require_http_methods(["GET", "POST"])
def records_import(request: HttpRequest) -> HttpResponse:
    orgs = writable_orgs_for_user(request.user)
    if not orgs.exists():
        raise Http404
    if request.method == "POST" and request.POST.get("confirm"):
        return records_import_confirm(request)
    form = ImportForm(request.POST or None, request.FILES or None, orgs=orgs,
                      initial={"kind": request.GET.get("kind", "activities")})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            form.add_error("file", f"文件超过 {settings.UPLOAD_MAX_BYTES // 1024 // 1024} MB 上限")
        else:
            data = upload.read()
            kind, root = form.cleaned_data["kind"], form.cleaned_data["org"]
            plan = IMPORTERS[kind](actor=request.user, data=data, root=root, dry_run=True, allowed=allowed_check(request, kind))
            digest = hashlib.sha256(data).hexdigest()
            import_store_path(digest).write_bytes(data)
            request.session[IMPORT_SESSION_KEY] = {"digest": digest, "org": root.code, "name": upload.name, "kind": kind}
            return preview(request, plan, kind, root, upload.name)
    return render(request, "records/import.html", {"form": form})


def records_import_confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending:
        messages.error(request, "导入已过期，请重新上传文件")
        return redirect("records:import")
    root = writable_orgs_for_user(request.user).filter(code=pending["org"]).first()
    if root is None:
        raise Http404
    path = import_store_path(pending["digest"])
    if not path.exists():
        messages.error(request, "导入已过期，请重新上传文件")
        return redirect("records:import")
    kind = pending["kind"]
    plan = IMPORTERS[kind](actor=request.user, data=path.read_bytes(), root=root, filename=pending["name"],
                           allowed=allowed_check(request, kind))
    if plan.errors:
        return preview(request, plan, kind, root, pending["name"])
    del request.session[IMPORT_SESSION_KEY]
    path.unlink(missing_ok=True)
    counts = plan.counts()
    messages.success(request, f"导入完成：新增{counts['created']}条，更新{counts['updated']}条，无变化{counts['unchanged']}条。{counts['summary']}")
    for entry in counts.get("unplaced", []):
        messages.info(request, f"第{entry['row']}行 {entry['message']}")
    return redirect("records:meeting-list" if kind == "meetings" else "records:activity-list")
