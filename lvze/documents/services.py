"""Writes to drafts and masking settings. Each function is atomic and appends an audit event; every
change to a draft's content is saved as a new numbered version, with who and when."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lvze.audit.services import audit_record
from lvze.documents.blocks import BLOCK_TYPES, MAX_BLOCKS, MAX_TEXT_CHARS, Block, merge_section
from lvze.documents.generation import generate_draft
from lvze.documents.kinds import GenerationContext, kind_for
from lvze.documents.models import Draft, DraftVersion, MaskSettings
from lvze.lib.masking import FIGURE_PATTERNS
from lvze.orgs.models import Organization


def user_or_none(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def new_version(draft: Draft, actor: Any, note: str) -> DraftVersion:
    """Snapshot the draft as its next version (the caller holds the draft's row)."""
    draft.version += 1
    draft.updated_by = user_or_none(actor)
    draft.save(update_fields=["title", "signoff", "doc_date", "content", "version", "updated_by", "updated_at"])
    return DraftVersion.objects.create(
        draft=draft,
        number=draft.version,
        title=draft.title,
        signoff=draft.signoff,
        doc_date=draft.doc_date,
        content=copy.deepcopy(draft.content),
        note=note[:200],
        saved_by=user_or_none(actor),
    )


def locked(draft: Draft) -> Draft:
    """Re-read the draft under a row lock, so two saves never get the same version number."""
    return Draft.objects.select_for_update().select_related("unit").get(pk=draft.pk)


def audit_draft(actor: Any, action: str, draft: Draft, version: DraftVersion, **changes: Any) -> None:
    audit_record(
        actor=actor,
        action=f"draft.{action}",
        obj=draft,
        organization=draft.unit,
        changes={"version": version.number, "note": version.note, **changes},
    )


@transaction.atomic
def draft_create(
    *, actor: Any, unit: Organization, kind: str, period: str = "", today: date | None = None
) -> Draft:
    """Generate every section and save the result as version 1."""
    try:
        draft = generate_draft(unit=unit, kind=kind, period=period, today=today)
    except ValueError as exc:
        raise ValidationError({"kind": str(exc)}) from exc
    draft.created_by = user_or_none(actor)
    draft.save()
    version = new_version(draft, actor, "生成初稿")
    audit_draft(actor, "create", draft, version, kind=kind, title=draft.title, blocks=len(draft.content))
    return draft


def validate_blocks(blocks: list[Block]) -> None:
    if len(blocks) > MAX_BLOCKS:
        raise ValidationError({"content": f"内容块过多（最多{MAX_BLOCKS}个）"})
    ids = [b.get("id") for b in blocks]
    if len(set(ids)) != len(ids) or not all(isinstance(i, str) and i for i in ids):
        raise ValidationError({"content": "内容块编号重复或缺失"})
    for block in blocks:
        validate_block(block)


def validate_block(block: Block) -> None:
    kind = block.get("type")
    if kind not in BLOCK_TYPES:
        raise ValidationError({"content": f"不支持的内容类型：{kind}"})
    if kind == "table":
        header, rows = block.get("header"), block.get("rows")
        if not header or not isinstance(rows, list) or any(len(row) != len(header) for row in rows):
            raise ValidationError({"content": "表格每行的列数须与表头一致"})
        return
    if not isinstance(block.get("text"), str) or len(block["text"]) > MAX_TEXT_CHARS:
        raise ValidationError({"content": f"每段文字不超过{MAX_TEXT_CHARS}字"})
    if kind == "heading" and block.get("level") not in (1, 2, 3, 4):
        raise ValidationError({"content": "标题层级须为1至4"})


def validate_header(title: str, signoff: str) -> None:
    if not title.strip():
        raise ValidationError({"title": "请填写标题"})
    if len(title) > 200 or len(signoff) > 100:
        raise ValidationError({"title": "标题不超过200字，署名不超过100字"})


@transaction.atomic
def draft_save(
    *,
    actor: Any,
    draft: Draft,
    blocks: list[Block],
    title: str,
    signoff: str,
    doc_date: date | None,
    base_version: int,
    note: str = "保存",
) -> DraftVersion | None:
    """Save the editor's content as a new version; None when nothing changed.

    `base_version` is the version the editor started from: if someone saved in between, the save
    is refused instead of silently overwriting their work.
    """
    current = locked(draft)
    if current.version != base_version:
        raise ValidationError(
            {"content": f"草稿已被他人保存为第{current.version}版，请重新打开后再修改（您的修改未保存）"}
        )
    validate_header(title, signoff)
    validate_blocks(blocks)
    before = (current.title, current.signoff, current.doc_date, current.content)
    if before == (title, signoff, doc_date, blocks):
        return None
    current.title, current.signoff, current.doc_date, current.content = title, signoff, doc_date, blocks
    version = new_version(current, actor, note)
    audit_draft(actor, "save", current, version, blocks=len(blocks))
    _refresh(draft, current)
    return version


@transaction.atomic
def draft_restore(*, actor: Any, draft: Draft, version: DraftVersion) -> DraftVersion:
    """Make an earlier version current again, as a new version (history is never rewritten)."""
    if version.draft_id != draft.pk:
        raise ValidationError({"version": "版本不属于该草稿"})
    current = locked(draft)
    current.title, current.signoff, current.doc_date = version.title, version.signoff, version.doc_date
    current.content = copy.deepcopy(version.content)
    restored = new_version(current, actor, f"恢复第{version.number}版")
    audit_draft(actor, "restore", current, restored, restored_from=version.number)
    _refresh(draft, current)
    return restored


@transaction.atomic
def draft_regenerate_section(
    *, actor: Any, draft: Draft, section_key: str, today: date | None = None
) -> DraftVersion:
    """Regenerate one section from current data, replacing only its generated blocks that nobody
    edited; edited and user-added blocks, and every other section, stay as they are."""
    current = locked(draft)
    document_kind = kind_for(current.kind)
    try:
        section = document_kind.section(section_key)
    except KeyError:
        raise ValidationError({"section": f"没有名为“{section_key}”的部分"}) from None
    context = GenerationContext(unit=current.unit, period=current.period, today=today or timezone.localdate())
    fresh = document_kind.generate_section(context, section_key)
    current.content = merge_section(current.content, fresh, section_key, document_kind.section_keys)
    version = new_version(current, actor, f"重新生成：{section.label}")
    audit_draft(actor, "regenerate", current, version, section=section_key)
    _refresh(draft, current)
    return version


def _refresh(draft: Draft, current: Draft) -> None:
    """Let the caller's instance see what was saved."""
    for name in ("title", "signoff", "doc_date", "content", "version", "updated_by", "updated_at"):
        setattr(draft, name, getattr(current, name))


@transaction.atomic
def mask_settings_save(
    *,
    actor: Any,
    unit: Organization,
    generic_words: str,
    protected_phrases: str,
    places: str,
    terms: str,
    figures: list[str],
) -> MaskSettings:
    unknown = [f for f in figures if f not in FIGURE_PATTERNS]
    if unknown:
        raise ValidationError({"figures": f"未知的数字类别：{'、'.join(unknown)}"})
    values = {
        "generic_words": "\n".join(generic_words.split()),
        "protected_phrases": "\n".join(protected_phrases.split()),
        "places": "\n".join(places.split()),
        "terms": "\n".join(terms.split()),
        "figures": list(figures),
    }
    settings, created = MaskSettings.objects.get_or_create(unit=unit, defaults=values)
    before = {} if created else {name: getattr(settings, name) for name in values}
    if not created:
        for name, value in values.items():
            setattr(settings, name, value)
    settings.updated_by = user_or_none(actor)
    settings.save()
    changes = {name: [before.get(name), value] for name, value in values.items() if before.get(name) != value}
    audit_record(actor=actor, action="mask_settings.save", obj=settings, organization=unit, changes=changes)
    return settings


def draft_export_log(*, actor: Any, draft: Draft, fmt: str, replaced: int = 0) -> None:
    """Record who took the document out of the platform, and in which form (docx, pdf, masked)."""
    changes: dict[str, Any] = {"format": fmt, "version": draft.version}
    if fmt == "masked":
        changes["replaced"] = replaced
    audit_record(actor=actor, action="draft.export", obj=draft, organization=draft.unit, changes=changes)
