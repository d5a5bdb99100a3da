"""Writes for the reminder pages, each atomic and audited."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from lvze.audit.services import audit_record
from lvze.reminders.channels import DeliveryError, Message, deliver
from lvze.reminders.models import (
    CalendarFeed,
    Channel,
    ChannelKind,
    Notification,
    ReminderPolicy,
    ReminderSent,
    SendState,
    channel_id,
)
from lvze.reminders.selectors import RETRYABLE


def validate_target(kind: str, target: str) -> None:
    try:
        if kind == ChannelKind.EMAIL:
            validate_email(target)
        else:
            URLValidator(schemes=["http", "https"])(target)
    except ValidationError as exc:
        raise ValidationError({"target": "邮箱地址格式不正确" if kind == ChannelKind.EMAIL else "Webhook 地址应以 http:// 或 https:// 开头"}) from exc


@transaction.atomic
def channel_create(*, actor: Any, kind: str, target: str, secret: str = "", name: str = "", unit=None, person=None) -> Channel:
    validate_target(kind, target)
    channel = Channel.objects.create(kind=kind, target=target, secret=secret, name=name, unit=unit, person=person)
    audit_record(actor=actor, action="channel.create", obj=channel, organization=unit, changes={"kind": kind, "name": name})
    return channel


@transaction.atomic
def channel_delete(*, actor: Any, channel: Channel) -> None:
    audit_record(actor=actor, action="channel.delete", obj=channel, organization=channel.unit, changes={"kind": channel.kind})
    channel.delete()


@transaction.atomic
def channel_enable(*, actor: Any, channel: Channel) -> Channel:
    channel.active, channel.consecutive_failures, channel.disabled_reason = True, 0, ""
    channel.save(update_fields=["active", "consecutive_failures", "disabled_reason"])
    audit_record(actor=actor, action="channel.enable", obj=channel, organization=channel.unit)
    return channel


def channel_test(*, actor: Any, channel: Channel) -> str | None:
    """Send a test message now; returns the error text, or None when it arrived."""
    message = Message("【履责】测试消息", f"这是一条来自履责平台的测试消息（{timezone.localtime():%Y-%m-%d %H:%M}）。", "<p>这是一条来自履责平台的测试消息。</p>")
    try:
        deliver(channel, message)
    except DeliveryError as exc:
        audit_record(actor=actor, action="channel.test", obj=channel, organization=channel.unit, changes={"ok": False, "error": str(exc)})
        return str(exc)
    audit_record(actor=actor, action="channel.test", obj=channel, organization=channel.unit, changes={"ok": True})
    return None


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Reading one's own notifications is not a business write; it is not audited."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_issue(*, actor: Any) -> str:
    """A new secret URL token (shown once); any previous URL stops working."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=actor, defaults={"token_hash": token_hash(token)})
    audit_record(actor=actor, action="calendar.issue", obj=actor)
    return token


@transaction.atomic
def calendar_feed_revoke(*, actor: Any) -> None:
    CalendarFeed.objects.filter(user=actor).delete()
    audit_record(actor=actor, action="calendar.revoke", obj=actor)


def parse_days(text: str) -> list[int]:
    try:
        days = sorted({int(x) for x in text.replace("，", ",").replace("、", ",").split(",") if x.strip()}, reverse=True)
    except ValueError as exc:
        raise ValidationError({"before_days": "请填写用逗号分隔的天数，如 7,3,1"}) from exc
    if not days or any(d < 0 or d > 90 for d in days):
        raise ValidationError({"before_days": "天数应在 0 至 90 之间"})
    return days


@transaction.atomic
def policy_save(*, actor: Any, unit=None, item=None, before_days: str, overdue_digest: bool, escalate_after_days: int) -> ReminderPolicy:
    """The unit's policy, or one item's override of it."""
    if escalate_after_days < 1:
        raise ValidationError({"escalate_after_days": "升级提醒天数至少为 1"})
    values = {"before_days": parse_days(before_days), "overdue_digest": overdue_digest, "escalate_after_days": escalate_after_days}
    policy, _ = ReminderPolicy.objects.update_or_create(unit=None if item else unit, item=item, defaults=values)
    audit_record(
        actor=actor, action="reminder_policy.save", obj=policy, organization=unit or (item.organization if item else None), changes=values
    )
    return policy


@transaction.atomic
def send_retry(*, actor: Any, send: ReminderSent) -> ReminderSent:
    """重新发送: a failed or abandoned send becomes pending again (its attempts kept), so the engine's next
    run sends it. A send whose channel is gone or stopped cannot go out; the 党务管理员 is told why."""
    key_id = channel_id(send.channel_key)
    channel = Channel.objects.filter(pk=key_id).first() if key_id is not None else None
    if key_id is not None and channel is None:
        raise ValidationError("该渠道已删除，无法重新发送")
    if channel is not None and not channel.active:
        raise ValidationError("该渠道已停用，请先在“提醒渠道”中重新启用")
    before = send.state
    updated = ReminderSent.objects.filter(pk=send.pk, state__in=RETRYABLE).update(
        state=SendState.PENDING, next_attempt_at=None, claimed_at=None, run_id=""
    )
    if not updated:
        raise ValidationError("该提醒已不是失败状态，无需重新发送")
    send.refresh_from_db()
    unit = send.recipient.branch.unit if send.recipient.branch_id else None
    changes = {"state": [before, send.state], "attempts": send.attempts, "last_error": send.last_error}
    audit_record(actor=actor, action="reminder.resend", obj=send, organization=unit, changes=changes)
    return send
