"""Writes to the ledger: progress, submission, review, urging, completion and evidence. Each is atomic,
keeps the item's history and appends an audit event."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lvze.audit.services import audit_record
from lvze.duties.models import OPEN_STATUSES, Evidence, Status, WorkItem, WorkItemEvent
from lvze.lib import filetypes
from lvze.lib.files import write_atomic

# Evidence files: their content must be what the extension says (lvze.lib.filetypes).
ALLOWED_EVIDENCE_TYPES = filetypes.EXTENSION_KINDS


def record_event(item: WorkItem, kind: str, actor: Any, note: str = "") -> WorkItemEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return WorkItemEvent.objects.create(item=item, kind=kind, note=note, actor=user)


def require_open(item: WorkItem) -> None:
    if item.status not in OPEN_STATUSES:
        raise ValidationError({"status": "该事项已办结"})


def transition(item: WorkItem, actor: Any, *, status: str, event: str, note: str, **fields: Any) -> WorkItem:
    """Move the item on from the status its caller saw — and only from that one: two people acting on
    the same item at once (two reviewers approving, a record completing it while it is approved) are
    serialised by the row, and the second is told instead of acting on a stale state."""
    before = item.status
    now = timezone.now()
    moved = WorkItem.objects.filter(pk=item.pk, status=before).update(status=status, updated_at=now, **fields)
    if moved != 1:
        raise ValidationError({"status": "该事项刚刚已被他人办理，请刷新页面查看最新状态"})
    item.status, item.updated_at = status, now
    for name, value in fields.items():
        setattr(item, name, value)
    record_event(item, event, actor, note)
    audit_record(
        actor=actor,
        action=f"work_item.{event}",
        obj=item,
        organization=item.organization,
        changes={"status": [before, status], **({"note": note} if note else {})},
    )
    return item


@transaction.atomic
def work_item_progress(*, actor: Any, item: WorkItem, note: str) -> WorkItem:
    require_open(item)
    if not note.strip():
        raise ValidationError({"note": "请填写进展情况"})
    return transition(item, actor, status=Status.IN_PROGRESS, event="progress", note=note)


@transaction.atomic
def work_item_submit(*, actor: Any, item: WorkItem, note: str = "", at: datetime | None = None) -> WorkItem:
    require_open(item)
    if item.status == Status.SUBMITTED:
        raise ValidationError({"status": "已提交，等待审核"})
    return transition(
        item, actor, status=Status.SUBMITTED, event="submitted", note=note, submitted_at=at or timezone.now()
    )


@transaction.atomic
def work_item_approve(*, actor: Any, item: WorkItem, note: str = "") -> WorkItem:
    """Done as of the approved submission, so a reviewer's delay never makes a unit late."""
    if item.status != Status.SUBMITTED:
        raise ValidationError({"status": "只有已提交的事项可以审核通过"})
    submitted = item.submitted_at or timezone.now()
    return transition(
        item,
        actor,
        status=Status.DONE,
        event="done",
        note=note,
        completed_at=submitted,
        done_on=timezone.localdate(submitted),
    )


@transaction.atomic
def work_item_return(*, actor: Any, item: WorkItem, note: str) -> WorkItem:
    if item.status != Status.SUBMITTED:
        raise ValidationError({"status": "只有已提交的事项可以退回"})
    if not note.strip():
        raise ValidationError({"note": "退回时请写明原因"})
    return transition(item, actor, status=Status.RETURNED, event="returned", note=note, submitted_at=None)


@transaction.atomic
def work_item_complete(*, actor: Any, item: WorkItem, on: date, note: str = "") -> WorkItem:
    """Completion by a fulfilling record (or by the reviewer directly), dated when it was done."""
    require_open(item)
    at = timezone.make_aware(datetime.combine(on, datetime.min.time()))
    return transition(item, actor, status=Status.DONE, event="done", note=note, completed_at=at, done_on=on)


@transaction.atomic
def work_item_reopen(*, actor: Any, item: WorkItem, note: str) -> WorkItem:
    if item.status != Status.DONE:
        raise ValidationError({"status": "只有已办结的事项可以重新打开"})
    return transition(
        item, actor, status=Status.IN_PROGRESS, event="progress", note=note, completed_at=None, done_on=None
    )


@transaction.atomic
def work_item_urge(*, actor: Any, item: WorkItem, note: str) -> WorkItemEvent:
    """督办: the note is kept on the item and reaches the lead unit through its history and reminders."""
    require_open(item)
    if not note.strip():
        raise ValidationError({"note": "请填写督办意见"})
    event = record_event(item, WorkItemEvent.Kind.URGE, actor, note)
    audit_record(
        actor=actor, action="work_item.urge", obj=item, organization=item.organization, changes={"note": note}
    )
    return event


def write_durably(path, data: bytes) -> None:
    """The whole file or none of it (lvze.lib.files.write_atomic), private to the platform's user."""
    write_atomic(path, data, mode=0o600)


class EvidenceCorrupt(Exception):
    pass


def blob_read(sha256: str, *, name: str, obj: Any = None, organization: Any = None) -> bytes:
    """Stored bytes (evidence, attachments), refused if they no longer match the SHA-256 recorded at
    upload — a file changed, replaced or removed on disk behind the platform's back; the finding is an
    audit event on the object the file belongs to."""
    try:
        data = evidence_path(sha256).read_bytes()
    except FileNotFoundError:
        data = None
    if data is None or hashlib.sha256(data).hexdigest() != sha256:
        with transaction.atomic():
            audit_record(
                actor=None,
                action="evidence.corrupt",
                obj=obj,
                organization=organization,
                changes={"name": name, "sha256": sha256, "missing": data is None},
            )
        raise EvidenceCorrupt(f"文件“{name}”缺失或已被改动，与登记的 SHA-256 不符")
    return data


def evidence_read(evidence: Evidence) -> bytes:
    return blob_read(evidence.sha256, name=evidence.name, obj=evidence.item, organization=evidence.item.organization)


def evidence_path(sha256: str):
    return settings.MEDIA_ROOT / "evidence" / sha256[:2] / sha256


def check_upload(name: str, size: int, data: bytes | None = None) -> str:
    """Refuse (ValidationError) a file that is too large, of a type not allowed, or whose content is
    not what its name says; returns the content kind."""
    if size > settings.UPLOAD_MAX_BYTES:
        limit = settings.UPLOAD_MAX_BYTES // 1024 // 1024
        raise ValidationError({"file": f"文件大小 {size / 1024 / 1024:.1f} MB 超过 {limit} MB 上限"})
    if data is None:  # the name alone, before the content is read
        if filetypes.extension(name) not in ALLOWED_EVIDENCE_TYPES:
            raise ValidationError({"file": f"不支持的文件类型“{filetypes.extension(name) or '无扩展名'}”"})
        return ""
    try:
        return filetypes.check_content(name, data, ALLOWED_EVIDENCE_TYPES)
    except filetypes.FileRefused as exc:
        raise ValidationError({"file": str(exc)}) from exc


def store_blob(data: bytes) -> str:
    """Store bytes under their SHA-256 (identical files once) and return the hash. Shared by the ledger's
    evidence and the records' attachments. Written whole or not at all, before the row that names it
    (a rolled-back upload leaves at most an unreferenced file, never a row without its file)."""
    digest = hashlib.sha256(data).hexdigest()
    path = evidence_path(digest)
    if not path.exists():
        write_durably(path, data)
    return digest


@transaction.atomic
def evidence_add_file(
    *, actor: Any, item: WorkItem, name: str, data: bytes, content_type: str = ""
) -> Evidence:
    """Store the file under its SHA-256 (identical files are stored once) and link it to the item.

    The stored name is sanitised and the content type is the one its content proved, never the
    browser's claim."""
    kind = check_upload(name, len(data), data)
    name = filetypes.safe_filename(name)
    digest = store_blob(data)
    evidence = Evidence.objects.create(
        item=item,
        name=name[:200],
        sha256=digest,
        size=len(data),
        content_type=filetypes.MIME_TYPES[kind],
        added_by=actor_user(actor),
    )
    record_event(item, WorkItemEvent.Kind.EVIDENCE, actor, f"上传佐证：{name}")
    audit_record(
        actor=actor,
        action="evidence.add",
        obj=item,
        organization=item.organization,
        changes={"name": name, "sha256": digest},
    )
    return evidence


@transaction.atomic
def evidence_link_record(*, actor: Any, item: WorkItem, record: Any) -> Evidence:
    evidence = Evidence.objects.create(
        item=item,
        name=str(record)[:200],
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
        added_by=actor_user(actor),
    )
    record_event(item, WorkItemEvent.Kind.EVIDENCE, actor, f"关联记录：{record}")
    audit_record(
        actor=actor,
        action="evidence.link",
        obj=item,
        organization=item.organization,
        changes={"record": str(record)},
    )
    return evidence


def actor_user(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None
