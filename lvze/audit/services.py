"""The one place that appends audit events.

Appends are serialised so concurrent writers never fork the chain: on PostgreSQL a transaction-level
advisory lock, on SQLite the IMMEDIATE transaction that already holds the write lock.

Each event's hash is an HMAC-SHA256 under the audit key (settings.AUDIT_KEY, kept outside the
database) of its content and its predecessor's hash, so an edited chain cannot be re-sealed by someone
who can only reach the database; the head row pins the chain's end.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from lvze.audit.context import current_ip
from lvze.audit.models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64
CHAIN_LOCK_KEY = 0x4C565A45  # "LVZE"


def seal(text: str) -> str:
    return hmac.new(settings.AUDIT_KEY.encode(), text.encode("utf-8"), hashlib.sha256).hexdigest()


def canonical_event(event: AuditEvent) -> str:
    payload = {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "organization": event.organization_id,
        "changes": event.changes,
        "ip": event.ip,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def event_digest(event: AuditEvent) -> str:
    return seal(canonical_event(event))


def head_mac(seq: int, last_hash: str) -> str:
    return seal(f"head:{seq}:{last_hash}")


def head_move(seq: int, last_hash: str) -> None:
    mac = head_mac(seq, last_hash)
    if not AuditHead.objects.filter(pk=1).update(seq=seq, hash=last_hash, mac=mac):
        AuditHead.objects.create(pk=1, seq=seq, hash=last_hash, mac=mac)


def lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    organization: Any = None,
    changes: dict[str, Any] | None = None,
    object_repr: str = "",
    actor_name: str = "",
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    A 三员 actor writing outside their own area is refused here (三员分立), whatever the caller.
    """
    from lvze.accounts.separation import check_actor_may_write

    check_actor_may_write(actor, action)
    with transaction.atomic():
        lock_chain()
        last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
        user = actor if getattr(actor, "is_authenticated", False) else None
        event = AuditEvent(
            seq=(last.seq + 1) if last else 1,
            at=timezone.now(),
            actor=user,
            actor_name=actor_name or (user.get_username() if user else ""),
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
            organization=organization,
            changes=jsonable(changes or {}),
            ip=current_ip.get(),
            prev_hash=last.hash if last else GENESIS_HASH,
        )
        event.hash = event_digest(event)
        event.save(force_insert=True)
        head_move(event.seq, event.hash)
        return event


def diff_fields(instance: models.Model, new_values: dict[str, Any]) -> dict[str, list[Any]]:
    """The {field: [before, after]} of the values that actually change."""
    changed: dict[str, list[Any]] = {}
    for field, new in new_values.items():
        old = getattr(instance, field)
        if old != new:
            changed[field] = [jsonable(old), jsonable(new)]
    return changed
