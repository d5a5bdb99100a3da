from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvze.documents import builder, services
from lvze.documents.blocks import document_lines
from lvze.documents.diff import diff_lines, has_changes
from lvze.documents.forms import (
    OPERATION_NOTES,
    EditorForm,
    MaskSettingsForm,
    apply_operation,
    parse_blocks,
    parse_operation,
)
from lvze.documents.kinds import KINDS
from lvze.documents.models import Draft, DraftVersion
from lvze.documents.selectors import (
    can_edit_draft,
    can_read_drafts,
    draft_block_views,
    draft_for_user,
    draft_unit_for_user,
    draft_units_for_user,
    draft_version,
    draft_versions,
    drafts_for_user,
    mask_registry_for,
    mask_settings_for,
)
from lvze.lib.cn import cn_date
from lvze.lib.gongwen.pdf import ConversionError, libreoffice_available
from lvze.lib.masking import DEFAULT_GENERIC_WORDS

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
VERSIONS_SHOWN = 30


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_GET
def draft_list(request: HttpRequest) -> HttpResponse:
    if not can_read_drafts(request.user):
        raise Http404
    context = {
        "drafts": drafts_for_user(request.user).order_by("-updated_at", "-id")[:200],
        "units": draft_units_for_user(request.user).order_by("path"),
        "kinds": [(k.key, k.label) for k in KINDS.values()],
    }
    return render(request, "documents/draft_list.html", context)


@require_POST
def draft_create(request: HttpRequest) -> HttpResponse:
    unit = draft_unit_for_user(request.user, request.POST.get("org", ""))
    kind = request.POST.get("kind", "")
    if kind not in KINDS:
        raise Http404("尚不支持生成此类文档")
    draft = services.draft_create(actor=request.user, unit=unit, kind=kind)
    messages.success(request, "已生成草稿（第1版），可直接修改后导出")
    return redirect("documents:draft-edit", draft_id=draft.pk)


# --- the editor ----------------------------------------------------------------------------


def editor_context(request: HttpRequest, draft: Draft, **extra) -> dict:
    kind = KINDS.get(draft.kind)
    sections = list(kind.sections) if kind else []
    labels = {s.key: s.label for s in sections}
    return {
        "draft": draft,
        "can_edit": can_edit_draft(request.user, draft),
        "sections": sections,
        "blocks": draft_block_views(draft, labels),
        "versions": draft_versions(draft)[:VERSIONS_SHOWN],
        "pdf_available": libreoffice_available(),
        "levels": [(1, "一级（一、）"), (2, "二级（（一））"), (3, "三级（1.）"), (4, "四级（（1））")],
        **extra,
    }


@require_GET
def draft_edit(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = draft_for_user(request.user, draft_id)
    return render(request, "documents/draft_edit.html", editor_context(request, draft))


def apply_editor_post(request: HttpRequest, draft: Draft) -> tuple[DraftVersion | None, str]:
    """Save the posted blocks with the requested operation applied; returns (version, anchor)."""
    form = EditorForm(request.POST)
    if not form.is_valid():
        raise ValidationError([e for errors in form.errors.values() for e in errors])
    data = form.cleaned_data
    operation = parse_operation(data["op"])
    blocks = apply_operation(parse_blocks(draft, request.POST), operation)
    version = services.draft_save(
        actor=request.user,
        draft=draft,
        blocks=blocks,
        title=data["title"],
        signoff=data["signoff"],
        doc_date=data["doc_date"],
        base_version=data["base_version"],
        note=data["note"] or OPERATION_NOTES[operation.name],
    )
    if operation.name == "regenerate":
        version = services.draft_regenerate_section(
            actor=request.user, draft=draft, section_key=operation.block_id or ""
        )
    anchor = operation.block_id if operation.name in ("up", "down", "add", "add-heading") else ""
    return version, anchor


@require_POST
def draft_save(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = draft_for_user(request.user, draft_id, write=True)
    try:
        version, anchor = apply_editor_post(request, draft)
    except ValidationError as exc:
        return editor_error(request, draft, "；".join(exc.messages))
    message = saved_message(version)
    if is_htmx(request):
        context = editor_context(request, draft, editor_message=message, oob_versions=True)
        return render(request, "documents/_editor_form.html", context)
    messages.success(request, message)
    url = reverse("documents:draft-edit", args=[draft.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def saved_message(version: DraftVersion | None) -> str:
    if version is None:
        return "内容没有变化，未产生新版本"
    if version.note.startswith("重新生成："):
        return f"已按最新数据{version.note}，保存为第{version.number}版（您修改过的段落保持不变）"
    return f"已保存为第{version.number}版"


def editor_error(request: HttpRequest, draft: Draft, message: str) -> HttpResponse:
    """Keep what the user typed: htmx shows the message above the form instead of replacing it."""
    if is_htmx(request):
        response = render(request, "documents/_editor_message.html", {"message": message, "error": True})
        response["HX-Retarget"] = "#editor-messages"
        response["HX-Reswap"] = "innerHTML"
        return response
    messages.error(request, message)
    return redirect("documents:draft-edit", draft_id=draft.pk)


@require_POST
def version_restore(request: HttpRequest, draft_id: int, number: int) -> HttpResponse:
    draft = draft_for_user(request.user, draft_id, write=True)
    version = draft_version(draft, number)
    restored = services.draft_restore(actor=request.user, draft=draft, version=version)
    messages.success(request, f"已恢复第{number}版的内容，保存为第{restored.number}版")
    return redirect("documents:draft-edit", draft_id=draft.pk)


def version_lines(version: DraftVersion) -> list[str]:
    date_text = cn_date(version.doc_date) if version.doc_date else ""
    return document_lines(version.title, version.content, version.signoff, date_text)


@require_GET
def draft_diff(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = draft_for_user(request.user, draft_id)
    try:
        new_number = int(request.GET.get("b") or draft.version)
        old_number = int(request.GET.get("a") or max(1, new_number - 1))
    except ValueError:
        raise Http404("版本号无效") from None
    old, new = draft_version(draft, old_number), draft_version(draft, new_number)
    rows = diff_lines(version_lines(old), version_lines(new))
    context = {
        "draft": draft,
        "old": old,
        "new": new,
        "rows": rows,
        "changed": has_changes(rows),
        "versions": draft_versions(draft),
    }
    return render(request, "documents/draft_diff.html", context)


# --- exports -------------------------------------------------------------------------------


@require_GET
def draft_docx(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = draft_for_user(request.user, draft_id)
    data = builder.render_docx(draft)
    services.draft_export_log(actor=request.user, draft=draft, fmt="docx")
    return download(data, builder.export_filename(draft), DOCX_TYPE)


@require_GET
def draft_pdf(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = draft_for_user(request.user, draft_id)
    if not libreoffice_available():
        raise Http404("本机未安装 LibreOffice，无法导出 PDF")
    try:
        data = builder.render_pdf(draft)
    except ConversionError as exc:
        messages.error(request, f"PDF 转换失败：{exc}")
        return redirect("documents:draft-edit", draft_id=draft.pk)
    services.draft_export_log(actor=request.user, draft=draft, fmt="pdf")
    return download(data, builder.export_filename(draft, "pdf"), "application/pdf")


@require_GET
def draft_masked(request: HttpRequest, draft_id: int) -> HttpResponse:
    """What the masked export will replace, listed before anything is downloaded."""
    draft = draft_for_user(request.user, draft_id)
    registry = mask_registry_for(draft.unit)
    export = builder.render_masked(draft, registry)
    preview = [registry.mask_text(line)[0] for line in document_lines(draft.title, draft.content, draft.signoff)]
    context = {
        "draft": draft,
        "export": export,
        "rows": export.report.rows(),
        "preview": preview,
        "settings": mask_settings_for(draft.unit),
        "can_edit": can_edit_draft(request.user, draft),
        "registered": len(registry.names),
    }
    return render(request, "documents/draft_masked.html", context)


@require_GET
def draft_masked_docx(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = draft_for_user(request.user, draft_id)
    export = builder.render_masked(draft, mask_registry_for(draft.unit))
    if not export.safe:
        messages.error(request, "脱敏后仍检出登记的名称，已阻止下载，请检查脱敏设置")
        return redirect("documents:draft-masked", draft_id=draft.pk)
    services.draft_export_log(actor=request.user, draft=draft, fmt="masked", replaced=export.report.total)
    return download(export.data, export.filename, DOCX_TYPE)


# --- masking settings ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def mask_settings(request: HttpRequest, code: str) -> HttpResponse:
    unit = draft_unit_for_user(request.user, code)
    current = mask_settings_for(unit)
    initial = {
        "generic_words": current.generic_words if current else "\n".join(DEFAULT_GENERIC_WORDS),
        "protected_phrases": current.protected_phrases if current else "",
        "places": current.places if current else "",
        "terms": current.terms if current else "",
        "figures": current.figures if current else [],
    }
    form = MaskSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.mask_settings_save(actor=request.user, unit=unit, **form.cleaned_data)
        messages.success(request, "已保存脱敏设置")
        return redirect("documents:mask-settings", code=unit.code)
    context = {"unit": unit, "form": form, "inherited": current if current and current.unit_id != unit.pk else None}
    return render(request, "documents/mask_settings.html", context)
