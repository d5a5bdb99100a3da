"""The reminder engine: record what is owed under unique keys, claim it with a conditional UPDATE, send
one digest per person per channel, and record the outcome. Safe to run twice, or twice at once."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from lvze.accounts.models import Role, RoleGrant, User
from lvze.duties.models import WorkItem
from lvze.orgs.models import Person
from lvze.reminders.channels import DeliveryError, Message, deliver
from lvze.reminders.models import (
    INAPP,
    STALE_CLAIM,
    Channel,
    Notification,
    ReminderSent,
    SendKind,
    SendState,
    channel_id,
)
from lvze.reminders.notices import issue_monthly_notices
from lvze.reminders.policy import Owed, owed_on

BATCH = 2000
MAX_ATTEMPTS = 5
DISABLE_AFTER_FAILURES = 5


@dataclass
class Digest:
    recipient: Person
    channel_key: str
    entries: list[dict] = field(default_factory=list)
    row_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"recipient": {"person_id": self.recipient.pk, "name": self.recipient.name}, "channel": self.channel_key, "items": self.entries}


def channel_keys(person_ids: set[int], unit_ids: set[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Per person: in-app (when they have an account) and their own channels; per unit: its robots."""
    personal: dict[int, list[str]] = defaultdict(list)
    for pid in User.objects.filter(person_id__in=person_ids, is_active=True).values_list("person_id", flat=True):
        personal[pid].append(INAPP)
    units: dict[int, list[str]] = defaultdict(list)
    for cid, pid, uid in Channel.objects.filter(active=True).filter(Q(person_id__in=person_ids) | Q(unit_id__in=unit_ids)).values_list("id", "person_id", "unit_id"):
        (personal[pid] if pid else units[uid]).append(f"channel:{cid}")
    return personal, units


def send_key(owed: Owed, channel: str, today: date) -> str:
    if owed.kind == SendKind.OVERDUE:
        return f"o:{owed.recipient_id}:{channel}:{today.isoformat()}"
    prefix = "b" if owed.kind == SendKind.BEFORE_DUE else "e"
    return f"{prefix}:{owed.item['id']}:{owed.recipient_id}:{channel}:{owed.offset}"


def rows_for(owed: list[Owed], today: date, run_id: str) -> list[ReminderSent]:
    personal, units = channel_keys({o.recipient_id for o in owed}, {o.item["unit_id"] for o in owed})
    rows = []
    for o in owed:
        for channel in personal.get(o.recipient_id, []) + units.get(o.item["unit_id"], []):
            rows.append(
                ReminderSent(
                    key=send_key(o, channel, today),
                    item_id=None if o.kind == SendKind.OVERDUE else o.item["id"],
                    item_ids=[i["id"] for i in o.items] if o.items else [],
                    recipient_id=o.recipient_id,
                    channel_key=channel,
                    kind=o.kind,
                    offset=o.offset,
                    day=today,
                    run_id=run_id,
                )
            )
    return rows


def unsent(rows: list[ReminderSent]) -> list[ReminderSent]:
    keys = [r.key for r in rows]
    existing: set[str] = set()
    for start in range(0, len(keys), 900):
        existing.update(ReminderSent.objects.filter(key__in=keys[start : start + 900]).values_list("key", flat=True))
    return [r for r in rows if r.key not in existing]


def claim(now: datetime, run_id: str) -> int:
    """One conditional UPDATE: a row pending (or due for retry) becomes this run's; another engine's
    UPDATE finds it no longer pending and skips it. A row an engine claimed and never sent (the engine
    was killed mid-run) is claimed again once STALE_CLAIM has passed, so no reminder is lost."""
    retry = Q(state=SendState.FAILED, next_attempt_at__lte=now)
    abandoned = Q(state=SendState.CLAIMED, claimed_at__lt=now - STALE_CLAIM)
    return ReminderSent.objects.filter(Q(state=SendState.PENDING) | retry | abandoned).update(
        state=SendState.CLAIMED, run_id=run_id, claimed_at=now
    )


def item_entries(rows: list[ReminderSent]) -> dict[int, dict]:
    ids = {r.item_id for r in rows if r.item_id} | {i for r in rows for i in r.item_ids}
    items = {}
    for start_ids in chunked(sorted(ids), 900):
        for row in WorkItem.objects.filter(pk__in=start_ids).values("id", "title", "due_date", "organization__name"):
            items[row["id"]] = row
    return items


def chunked(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def digests_of(rows: list[ReminderSent]) -> list[Digest]:
    items = item_entries(rows)
    people = Person.objects.in_bulk({r.recipient_id for r in rows})
    grouped: dict[tuple[int, str], Digest] = {}
    for row in rows:
        digest = grouped.setdefault((row.recipient_id, row.channel_key), Digest(people[row.recipient_id], row.channel_key))
        for item_id in row.item_ids or [row.item_id]:
            item = items[item_id]
            digest.entries.append(
                {"id": item_id, "title": item["title"], "due": item["due_date"].isoformat(), "kind": row.kind, "offset": row.offset,
                 "org": item["organization__name"]}
            )
        if row.pk:
            digest.row_ids.append(row.pk)
    return list(grouped.values())


def message_for(digest: Digest, today: date) -> Message:
    context = {"digest": digest, "entries": digest.entries, "today": today}
    subject = f"【履责提醒】{digest.recipient.name}同志，您有{len(digest.entries)}项事项需关注"
    return Message(subject, render_to_string("reminders/digest.txt", context), render_to_string("reminders/digest.html", context))


def deliver_inapp(digest: Digest, message: Message) -> None:
    user = User.objects.filter(person=digest.recipient, is_active=True).first()
    if user is None:
        raise DeliveryError("该人员没有可用账号", permanent=True)
    Notification.objects.create(user=user, title=message.subject, body=message.text, url="/items/?mine=on")


def send_digest(digest: Digest, today: date, now: datetime) -> None:
    message = message_for(digest, today)
    channel = None
    try:
        if digest.channel_key == INAPP:
            deliver_inapp(digest, message)
        else:
            channel = channel_of(digest)
            deliver(channel, message)
    except DeliveryError as exc:
        record_failure(digest, channel, exc, now)
        return
    ReminderSent.objects.filter(pk__in=digest.row_ids).update(state=SendState.SENT, sent_at=now, last_error="")
    if channel is not None and channel.consecutive_failures:
        Channel.objects.filter(pk=channel.pk).update(consecutive_failures=0)


def channel_of(digest: Digest) -> Channel:
    """The digest's channel; one deleted or disabled since the rows were owed cannot deliver them."""
    channel = Channel.objects.filter(pk=channel_id(digest.channel_key)).first()
    if channel is None:
        raise DeliveryError("提醒渠道已删除", permanent=True)
    if not channel.active:
        raise DeliveryError(f"提醒渠道“{channel.name or channel.get_kind_display()}”已停用", permanent=True)
    return channel


def record_failure(digest: Digest, channel: Channel | None, exc: DeliveryError, now: datetime) -> None:
    rows = ReminderSent.objects.filter(pk__in=digest.row_ids)
    attempts = (rows.first().attempts if rows.exists() else 0) + 1
    dead = exc.permanent or attempts >= MAX_ATTEMPTS
    rows.update(
        state=SendState.DEAD if dead else SendState.FAILED,
        attempts=attempts,
        next_attempt_at=now + timedelta(minutes=2**attempts),
        last_error=str(exc)[:500],
    )
    if channel is not None:
        failures = channel.consecutive_failures + 1
        Channel.objects.filter(pk=channel.pk).update(consecutive_failures=failures)
        if failures >= DISABLE_AFTER_FAILURES or exc.permanent:
            disable_channel(channel, str(exc))


def disable_channel(channel: Channel, reason: str) -> None:
    Channel.objects.filter(pk=channel.pk).update(active=False, disabled_reason=reason[:300])
    unit = channel.unit or (channel.person.branch.unit if channel.person and channel.person.branch else None)
    admins = RoleGrant.objects.filter(role=Role.PARTY_ADMIN, organization=unit).values_list("user_id", flat=True) if unit else []
    Notification.objects.bulk_create(
        Notification(user_id=uid, title=f"提醒渠道“{channel}”已停用", body=f"多次发送失败：{reason}", url="/reminders/channels/")
        for uid in admins
    )


def remind(*, now: datetime, dry_run: bool = False) -> list[Digest]:
    today = timezone.localdate(now)
    run_id = uuid.uuid4().hex
    rows = rows_for(owed_on(today), today, run_id)
    if dry_run:
        return digests_of(unsent(rows))
    with transaction.atomic():
        for batch in chunked(rows, BATCH):
            ReminderSent.objects.bulk_create(batch, ignore_conflicts=True)
    with transaction.atomic():
        claim(now, run_id)
    claimed = list(ReminderSent.objects.filter(run_id=run_id, state=SendState.CLAIMED))
    digests = digests_of(claimed)
    for digest in digests:
        send_digest(digest, today, now)
    issue_monthly_notices(today)
    return digests
