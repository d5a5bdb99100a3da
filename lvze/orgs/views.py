from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvze.forms import form_errors_from
from lvze.orgs import services
from lvze.orgs.forms import (
    AppointmentForm,
    ImportUploadForm,
    MoveForm,
    OrganizationEditForm,
    OrganizationForm,
    PersonForm,
)
from lvze.orgs.importing import people_import
from lvze.orgs.models import DataCorrection, OrgKind, PartyStatus, WorkArea
from lvze.orgs.quality import quality_issues
from lvze.orgs.selectors import (
    PEOPLE_WRITERS,
    can_write_org,
    grant_orgs,
    org_text_q,
    organization_for_user,
    organizations_for_user,
    people_for_user,
    person_for_user,
    person_text_q,
    writable_organizations_for_user,
)

PAGE_SIZE = 30




@require_GET
def org_tree(request: HttpRequest) -> HttpResponse:
    orgs = organizations_for_user(request.user).select_related("parent")
    query = request.GET.get("q", "").strip()
    if query:
        orgs = orgs.filter(org_text_q(query))
    if request.GET.get("inactive") != "1":
        orgs = orgs.filter(active=True)
    return render(
        request,
        "orgs/org_tree.html",
        {
            "orgs": orgs.order_by("path"),
            "query": query,
            "can_create": bool(grant_orgs(request.user, PEOPLE_WRITERS)),
        },
    )


@require_GET
def org_detail(request: HttpRequest, code: str) -> HttpResponse:
    org = organization_for_user(request.user, code)
    context = {
        "org": org,
        "children": org.children.order_by("sort_order", "code"),
        "appointments": org.appointments.filter(end__isnull=True)
        .select_related("person")
        .prefetch_related("areas"),
        "members": people_for_user(request.user)
        .filter(Q(branch__path__startswith=org.path) | Q(department__path__startswith=org.path), active=True)
        .count(),
        "work_areas": WorkArea.objects.filter(unit=org) if org.is_unit else [],
        "can_write": can_write_org(request.user, org),
    }
    return render(request, "orgs/org_detail.html", context)


@require_http_methods(["GET", "POST"])
def org_create(request: HttpRequest) -> HttpResponse:
    parent = organization_for_user(request.user, request.GET.get("parent", ""), write=True)
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organization_create(actor=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, f"已创建{org.name}")
            return redirect("orgs:org-detail", code=org.code)
    return render(request, "orgs/org_form.html", {"form": form, "parent": parent, "title": "新建下级组织"})


@require_http_methods(["GET", "POST"])
def org_edit(request: HttpRequest, code: str) -> HttpResponse:
    org = organization_for_user(request.user, code, write=True)
    initial = {
        "name": org.name,
        "short_names": "、".join(org.short_names),
        "has_committee": org.has_committee,
        "sort_order": org.sort_order,
    }
    form = OrganizationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.organization_update(actor=request.user, org=org, **form.cleaned_data)
        messages.success(request, "已保存")
        return redirect("orgs:org-detail", code=org.code)
    return render(request, "orgs/org_form.html", {"form": form, "org": org, "title": f"编辑：{org.name}"})


@require_http_methods(["GET", "POST"])
def org_move(request: HttpRequest, code: str) -> HttpResponse:
    org = organization_for_user(request.user, code, write=True)
    parents = writable_organizations_for_user(request.user).exclude(path__startswith=org.path)
    form = MoveForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_move(actor=request.user, org=org, new_parent=form.cleaned_data["parent"])
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, f"已将{org.name}移至{form.cleaned_data['parent'].name}之下")
            return redirect("orgs:org-detail", code=org.code)
    return render(request, "orgs/org_form.html", {"form": form, "org": org, "title": f"移动：{org.name}"})


@require_POST
def org_set_active(request: HttpRequest, code: str) -> HttpResponse:
    org = organization_for_user(request.user, code, write=True)
    try:
        services.organization_set_active(
            actor=request.user, org=org, active=request.POST.get("active") == "1"
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已启用" if org.active else "已停用（记录保留，可重新启用）")
    return redirect("orgs:org-detail", code=org.code)


@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    people = people_for_user(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        people = people.filter(person_text_q(query))
    branch_code = request.GET.get("branch", "")
    if branch_code:
        branch = organization_for_user(request.user, branch_code)
        people = people.filter(
            Q(branch__path__startswith=branch.path) | Q(department__path__startswith=branch.path)
        )
    status = request.GET.get("status", "")
    if status in PartyStatus.values:
        people = people.filter(party_status=status)
    if request.GET.get("inactive") != "1":
        people = people.filter(active=True)
    page = Paginator(people.order_by(F("branch__path").asc(nulls_last=True), "name", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    branches = organizations_for_user(request.user).filter(
        kind__in=[OrgKind.BRANCH, OrgKind.DEPARTMENT], active=True
    )
    context = {
        "page": page,
        "query": query,
        "branch_code": branch_code,
        "status": status,
        "statuses": PartyStatus.choices,
        "branches": branches.order_by("path"),
        "can_create": bool(grant_orgs(request.user, PEOPLE_WRITERS)),
        "querystring": request.GET.copy(),
    }
    return render(request, "orgs/person_list.html", context)


@require_GET
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for_user(request.user, person_id)
    can_write = services_writable(request, person_id)
    context = {
        "person": person,
        "appointments": person.appointments.select_related("organization").prefetch_related(
            "areas", "departments"
        ),
        "memberships": person.memberships.select_related("branch"),
        "can_write": can_write,
        "show_id": can_write or person.pk == request.user.person_id,
    }
    return render(request, "orgs/person_detail.html", context)


def services_writable(request: HttpRequest, person_id: int) -> bool:
    try:
        person_for_user(request.user, person_id, write=True)
    except Http404:
        return False
    return True


def person_form(request: HttpRequest, instance=None) -> PersonForm:
    writable = writable_organizations_for_user(request.user).filter(active=True)
    return PersonForm(
        request.POST or None,
        instance=instance,
        branches=writable.exclude(kind=OrgKind.DEPARTMENT),
        departments=writable.filter(kind=OrgKind.DEPARTMENT),
    )


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    if not grant_orgs(request.user, PEOPLE_WRITERS):
        raise Http404
    form = person_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, f"已新增人员{person.name}")
            return redirect("orgs:person-detail", person_id=person.pk)
    return render(request, "orgs/person_form.html", {"form": form, "title": "新增人员"})


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for_user(request.user, person_id, write=True)
    issue = request.GET.get("issue", "")[:40]
    # The form validates into its own copy, so `person` keeps the old values the service diffs against.
    form = person_form(request, instance=person_for_user(request.user, person_id, write=True))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user, person=person, correction_of=issue, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, "已保存" + ("，已计入人员信息核对调整" if issue else ""))
            return redirect("orgs:quality") if issue else redirect("orgs:person-detail", person_id=person.pk)
    return render(
        request,
        "orgs/person_form.html",
        {"form": form, "person": person, "issue": issue, "title": f"编辑：{person.name}"},
    )


@require_http_methods(["GET", "POST"])
def appointment_create(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for_user(request.user, person_id, write=True)
    writable = writable_organizations_for_user(request.user).filter(active=True)
    form = AppointmentForm(
        request.POST or None,
        orgs=writable.exclude(kind=OrgKind.DEPARTMENT),
        areas=WorkArea.objects.filter(unit__in=writable).select_related("unit"),
        departments=writable.filter(kind=OrgKind.DEPARTMENT),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.appointment_create(
            actor=request.user,
            person=person,
            organization=data["organization"],
            post=data["post"],
            start=data["start"],
            areas=list(data["areas"]),
            departments=list(data["departments"]),
        )
        messages.success(request, "已添加任职")
        return redirect("orgs:person-detail", person_id=person.pk)
    return render(
        request,
        "orgs/person_form.html",
        {"form": form, "person": person, "title": f"添加任职：{person.name}"},
    )


IMPORT_SESSION_KEY = "people_import"


def import_store_path(digest: str):
    folder = settings.DATA_DIR / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{digest}.xlsx"


@require_http_methods(["GET", "POST"])
def person_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview (nothing written) → confirm (one transaction)."""
    units = writable_organizations_for_user(request.user).filter(active=True).exclude(kind=OrgKind.DEPARTMENT)
    if not units.exists():
        raise Http404
    if request.method == "POST" and request.POST.get("confirm"):
        return person_import_confirm(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, orgs=units)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            form.add_error("file", f"文件超过 {settings.UPLOAD_MAX_BYTES // 1024 // 1024} MB 上限")
        else:
            data = upload.read()
            root = form.cleaned_data["org"]
            plan = people_import(actor=request.user, data=data, root=root, dry_run=True)
            digest = hashlib.sha256(data).hexdigest()
            import_store_path(digest).write_bytes(data)
            request.session[IMPORT_SESSION_KEY] = {"digest": digest, "org": root.code, "name": upload.name}
            return render(
                request,
                "orgs/person_import_preview.html",
                {"plan": plan, "root": root, "filename": upload.name},
            )
    return render(request, "orgs/person_import.html", {"form": form})


def person_import_confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending:
        messages.error(request, "导入已过期，请重新上传文件")
        return redirect("orgs:person-import")
    root = organization_for_user(request.user, pending["org"], write=True)
    path = import_store_path(pending["digest"])
    plan = people_import(actor=request.user, data=path.read_bytes(), root=root, filename=pending["name"])
    if plan.errors:
        return render(
            request,
            "orgs/person_import_preview.html",
            {"plan": plan, "root": root, "filename": pending["name"]},
        )
    del request.session[IMPORT_SESSION_KEY]
    path.unlink(missing_ok=True)
    counts = plan.counts()
    messages.success(
        request,
        f"导入完成：新增{counts['created']}人，更新{counts['updated']}人，无变化{counts['unchanged']}人",
    )
    return redirect("orgs:person-list")


@require_GET
def quality(request: HttpRequest) -> HttpResponse:
    units = writable_organizations_for_user(request.user).filter(kind__in=["committee", "leading_group"])
    if not units.exists():
        raise Http404
    code = request.GET.get("org") or units.order_by("depth").first().code
    root = organization_for_user(request.user, code, write=True)
    corrections = DataCorrection.objects.filter(unit__path__startswith=root.path)
    context = {
        "root": root,
        "units": units.order_by("path"),
        "issues": quality_issues(root),
        "corrections": corrections.select_related("person", "corrected_by").order_by("-corrected_at")[:20],
        "correction_count": corrections.count(),
    }
    return render(request, "orgs/quality.html", context)
