from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from lvze.audit.models import AuditEvent, AuditHead
from lvze.audit.services import GENESIS_HASH, event_digest, head_mac


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    event_id: int
    reason: str


def chain_breaks(batch_size: int = 2000) -> Iterator[ChainBreak]:
    """Walk the chain in order; yield where it stops being the chain that was written.

    A changed event fails its own (keyed) hash; an inserted, deleted or reordered one breaks the
    sequence or the link to its predecessor's hash; events cut from the end no longer reach the head.
    The head is read first, so events appended while the walk runs are checked, not mistaken for
    tampering.
    """
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and not hmac.compare_digest(head_mac(head.seq, head.hash), head.mac):
        yield ChainBreak(head.seq, 0, "链头记录被修改")
        return
    expected_seq = 1
    prev_hash = GENESIS_HASH
    for event in AuditEvent.objects.order_by("seq", "id").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            reason = f"序号不连续：期望 {expected_seq}，实为 {event.seq}（事件被删除或插入）"
            yield ChainBreak(event.seq, event.id, reason)
            return
        if event.prev_hash != prev_hash:
            yield ChainBreak(event.seq, event.id, "与前一事件的哈希不衔接（插入、删除或调换）")
            return
        if not hmac.compare_digest(event_digest(event), event.hash):
            yield ChainBreak(event.seq, event.id, "内容与哈希不符（被修改）")
            return
        if head is not None and event.seq == head.seq and event.hash != head.hash:
            yield ChainBreak(event.seq, event.id, "与链头记录不符（事件被替换）")
            return
        expected_seq += 1
        prev_hash = event.hash
    last_seq = expected_seq - 1
    if head is None and last_seq:
        yield ChainBreak(last_seq, 0, "链头记录缺失")
    elif head is not None and last_seq < head.seq:
        reason = f"审计链止于第 {last_seq} 号，而链头为第 {head.seq} 号（末尾事件被删除）"
        yield ChainBreak(last_seq + 1, 0, reason)


def first_chain_break() -> ChainBreak | None:
    return next(chain_breaks(), None)


def audit_events_for_user(user) -> QuerySet[AuditEvent]:
    from lvze.accounts.models import Role
    from lvze.orgs.selectors import grant_orgs

    if not grant_orgs(user, {Role.AUDITOR}):
        return AuditEvent.objects.none()
    return AuditEvent.objects.select_related("actor", "organization")
