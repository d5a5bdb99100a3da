from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from lvze.audit.models import AuditEvent
from lvze.audit.services import GENESIS_HASH, event_digest


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    event_id: int
    reason: str


def chain_breaks(batch_size: int = 2000) -> Iterator[ChainBreak]:
    """Walk the chain in order; yield where it stops being the chain that was written.

    A changed event fails its own hash; an inserted, deleted or reordered one breaks the sequence
    or the link to its predecessor's hash.
    """
    expected_seq = 1
    prev_hash = GENESIS_HASH
    for event in AuditEvent.objects.order_by("seq", "id").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            yield ChainBreak(event.seq, event.id, f"序号不连续：期望 {expected_seq}，实为 {event.seq}")
            return
        if event.prev_hash != prev_hash:
            yield ChainBreak(event.seq, event.id, "与前一事件的哈希不衔接（插入、删除或调换）")
            return
        if event_digest(event) != event.hash:
            yield ChainBreak(event.seq, event.id, "内容与哈希不符（被修改）")
            return
        expected_seq += 1
        prev_hash = event.hash


def first_chain_break() -> ChainBreak | None:
    return next(chain_breaks(), None)


def audit_events_for_user(user) -> QuerySet[AuditEvent]:
    from lvze.accounts.models import Role
    from lvze.orgs.selectors import grant_orgs

    if not grant_orgs(user, {Role.AUDITOR}):
        return AuditEvent.objects.none()
    return AuditEvent.objects.select_related("actor", "organization")
