from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date

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
    """The 审计管理员's events: those of organisations in the granted subtrees; events without an
    organisation (logins, denials, system runs) only for an auditor granted on a top-level unit."""
    from lvze.accounts.models import Role
    from lvze.orgs.selectors import grant_orgs, subtree_q

    orgs = grant_orgs(user, {Role.AUDITOR})
    if not orgs:
        return AuditEvent.objects.none()
    condition = subtree_q(orgs, "organization__")
    if any(org.parent_id is None for org in orgs):
        condition |= Q(organization__isnull=True)
    return AuditEvent.objects.filter(condition).select_related("actor", "organization")


# The auditor's quick filters: a label and the actions (exact, or a prefix ending in ".").
CATEGORIES = {
    "login": ("登录", ["auth.login"]),
    "login_failed": ("登录失败", ["auth.login_failed"]),
    "lockout": ("账号锁定", ["auth.lockout", "user.unlock"]),
    "denied": ("访问拒绝", ["access.denied"]),
    "session": ("退出与超时", ["auth.logout", "auth.session_timeout"]),
    "accounts": ("账号与角色", ["user.", "role."]),
    "audit": ("审计管理", ["audit."]),
}


def action_q(actions: list[str]) -> Q:
    condition = Q(pk__in=[])
    for action in actions:
        condition |= Q(action__startswith=action) if action.endswith(".") else Q(action=action)
    return condition


def day_bound(text: str, end: bool) -> datetime | None:
    try:
        day = parse_date(text) if text else None
    except ValueError:
        day = None
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def filtered_audit_events(user, params) -> QuerySet[AuditEvent]:
    """The auditor's search: category, action prefix, actor, object, organisation, IP and dates."""
    events = audit_events_for_user(user)
    category = CATEGORIES.get(params.get("category", ""))
    if category:
        events = events.filter(action_q(category[1]))
    text = {k: (params.get(k) or "").strip() for k in ("action", "actor", "object", "org", "ip")}
    if text["action"]:
        events = events.filter(action__startswith=text["action"])
    if text["actor"]:
        events = events.filter(actor_name__icontains=text["actor"])
    if text["object"]:
        events = events.filter(Q(object_repr__contains=text["object"]) | Q(object_id=text["object"]))
    if text["org"]:
        events = events.filter(Q(organization__code=text["org"]) | Q(organization__name__contains=text["org"]))
    if text["ip"]:
        events = events.filter(ip__startswith=text["ip"])
    since, until = day_bound(params.get("from", ""), False), day_bound(params.get("to", ""), True)
    if since:
        events = events.filter(at__gte=since)
    if until:
        events = events.filter(at__lte=until)
    return events.order_by("-seq")
