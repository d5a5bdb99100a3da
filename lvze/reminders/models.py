"""Reminders: policy, channels, the idempotent record of every send, and in-app notifications."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models

from lvze.duties.models import WorkItem
from lvze.orgs.models import Organization, Person

DEFAULT_BEFORE_DAYS = [7, 3, 1]
DEFAULT_ESCALATE_AFTER = 7


class ReminderPolicy(models.Model):
    """Per unit (item empty) or per item: days before the due date, the overdue digest, escalation."""

    unit = models.ForeignKey(Organization, models.CASCADE, null=True, blank=True, related_name="reminder_policies")
    item = models.OneToOneField(WorkItem, models.CASCADE, null=True, blank=True, related_name="reminder_policy")
    before_days = models.JSONField("到期前提醒（天）", default=list)
    overdue_digest = models.BooleanField("逾期每日汇总提醒", default=True)
    escalate_after_days = models.PositiveSmallIntegerField("逾期超过N天升级提醒", default=DEFAULT_ESCALATE_AFTER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit"], condition=models.Q(item__isnull=True), name="policy_one_per_unit"),
        ]

    def __str__(self) -> str:
        return f"policy {self.unit_id or ''}/{self.item_id or ''}"


class ChannelKind(models.TextChoices):
    EMAIL = "email", "电子邮件"
    WECOM = "wecom", "企业微信群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"
    FEISHU = "feishu", "飞书群机器人"
    WEBHOOK = "webhook", "通用 Webhook"


INAPP = "inapp"


def channel_id(key: str) -> int | None:
    """The Channel id of a send's channel key (channel:<id>); None for 站内通知."""
    prefix, _, rest = key.partition(":")
    return int(rest) if prefix == "channel" and rest.isdigit() else None


class Channel(models.Model):
    """A delivery channel of a person (email) or of a unit (a group robot posting its people's digests)."""

    kind = models.CharField("类型", max_length=12, choices=ChannelKind.choices)
    unit = models.ForeignKey(Organization, models.CASCADE, null=True, blank=True, related_name="channels")
    person = models.ForeignKey(Person, models.CASCADE, null=True, blank=True, related_name="channels")
    name = models.CharField("名称", max_length=60, blank=True)
    target = models.CharField("地址", max_length=500, help_text="邮箱地址或机器人 Webhook 地址")
    secret = models.CharField("签名密钥", max_length=200, blank=True)
    active = models.BooleanField("启用", default=True)
    consecutive_failures = models.PositiveSmallIntegerField(default=0)
    disabled_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or f"{self.get_kind_display()} {self.target[:40]}"


class SendKind(models.TextChoices):
    BEFORE_DUE = "before_due", "到期前提醒"
    OVERDUE = "overdue", "逾期提醒"
    ESCALATION = "escalation", "升级提醒"


class SendState(models.TextChoices):
    PENDING = "pending", "待发送"
    CLAIMED = "claimed", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "失败待重试"
    DEAD = "dead", "放弃"


STALE_CLAIM = timedelta(minutes=30)  # far longer than a sweep takes; an older claim was abandoned


class ReminderSent(models.Model):
    """One reminder of one item to one person on one channel. The unique key makes every send idempotent:
    (item, recipient, channel, kind, offset) before the due date, (recipient, channel, day) for digests."""

    key = models.CharField(max_length=160, unique=True)
    item = models.ForeignKey(WorkItem, models.CASCADE, null=True, related_name="reminders", help_text="逾期汇总为空")
    item_ids = models.JSONField(default=list, help_text="逾期汇总包含的事项")
    recipient = models.ForeignKey(Person, models.CASCADE, related_name="reminders")
    channel_key = models.CharField(max_length=30, help_text="inapp 或 channel:<id>")
    kind = models.CharField(max_length=12, choices=SendKind.choices)
    offset = models.SmallIntegerField(null=True)
    day = models.DateField()
    state = models.CharField(max_length=10, choices=SendState.choices, default=SendState.PENDING)
    run_id = models.CharField(max_length=40, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="被某次运行认领的时间；认领过久未发出的会被重新认领")
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "recipient", "channel_key"], name="reminder_state")]

    def __str__(self) -> str:
        return self.key


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A secret, revocable iCalendar URL; only the token's hash is stored."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"feed {self.user_id}"


class WorkdayOverride(models.Model):
    """调休: a weekday that is a holiday, or a weekend day that is a working day."""

    date = models.DateField(unique=True)
    is_workday = models.BooleanField()
    note = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'班' if self.is_workday else '休'}"


class MonthlyNotice(models.Model):
    """《党建工作提示单》 issued to one organisation for one month; unique, so issued once."""

    organization = models.ForeignKey(Organization, models.CASCADE, related_name="monthly_notices")
    month = models.CharField(max_length=7)
    run_id = models.CharField(max_length=40)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "month"], name="notice_once")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.month}"
