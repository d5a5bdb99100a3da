"""Reads for the reminder pages: notifications, channels, the reverse-reminder list, the monthly notice
and the record of sends (提醒发送情况)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404

from lvze.accounts.models import Role
from lvze.duties.models import OPEN_STATUSES, Source, WorkItem
from lvze.duties.timeliness import with_timeliness
from lvze.lib.periods import Period
from lvze.orgs.models import Appointment, Organization, Person
from lvze.orgs.selectors import grant_orgs, own_unit_q, subtree_q
from lvze.reminders.models import (
    INAPP,
    STALE_CLAIM,
    Channel,
    Notification,
    ReminderSent,
    SendState,
    channel_id,
)

REVERSE_WINDOW_DAYS = 30


def notifications_for_user(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def channels_for_user(user) -> QuerySet[Channel]:
    """A party_admin manages its own unit's robots; everyone manages their own email channel."""
    units = grant_orgs(user, {Role.PARTY_ADMIN})
    condition = Q(person_id=user.person_id) if user.person_id else Q(pk__in=[])
    condition |= Q(unit__in=[u for u in units if u.is_unit])
    return Channel.objects.filter(condition).select_related("unit", "person")


def channel_for_user(user, channel_id: int) -> Channel:
    channel = channels_for_user(user).filter(pk=channel_id).first()
    if channel is None:
        raise Http404("渠道不存在或不在您的权限范围内")
    return channel


def leader_duty_q(person: Person) -> Q:
    """A leader's duties: items they are responsible for, and items of their 分管 areas and departments."""
    condition = Q(responsible_person=person) | Q(duty_item__responsible_person=person)
    for appointment in Appointment.objects.filter(person=person, end__isnull=True).prefetch_related("areas", "departments"):
        for area in appointment.areas.all():
            condition |= Q(unit_id=area.unit_id, work_area=area.name)
        for department in appointment.departments.all():
            condition |= Q(org_path__startswith=department.path)
    return condition


def reverse_list(person: Person, today: date) -> QuerySet[WorkItem]:
    """反向提醒清单: open duties due within 30 days, or overdue."""
    window = Q(due_date__lte=today + timedelta(days=REVERSE_WINDOW_DAYS))
    items = WorkItem.objects.filter(leader_duty_q(person), window, status__in=OPEN_STATUSES)
    return with_timeliness(items, today).select_related("organization").order_by("due_date", "id")


def leaders_for_user(user) -> QuerySet[Person]:
    """Leaders whose lists the user may read: themself, or the leaders of a unit the user administers."""
    units = grant_orgs(user, {Role.PARTY_ADMIN, Role.SUPERVISOR})
    condition = Q(pk=user.person_id) if user.person_id else Q(pk__in=[])
    leaders = Appointment.objects.filter(own_unit_q(units, "organization__"), end__isnull=True, post__in=["secretary", "leadership_member", "discipline_head"])
    condition |= Q(pk__in=leaders.values("person_id"))
    return Person.objects.filter(condition).distinct().order_by("name")


@dataclass
class Notice:
    """《党建工作提示单》 of one organisation for one month."""

    org: Organization
    month: Period
    due_this_month: list[WorkItem]
    unfinished_before: list[WorkItem]


def monthly_notice(org: Organization, month: Period) -> Notice:
    items = WorkItem.objects.filter(org_path__startswith=org.path).select_related("organization")
    due = items.filter(due_date__gte=month.start, due_date__lte=month.end)
    previous = month.previous()
    unfinished = items.filter(due_date__gte=previous.start, due_date__lte=previous.end, status__in=OPEN_STATUSES)
    order = ["due_date", "organization__path", "id"]
    return Notice(org, month, list(due.order_by(*order)), list(unfinished.order_by(*order)))


def notice_sources() -> dict[str, str]:
    return dict(Source.choices)


# 提醒发送情况: the sends of the people of a 党务管理员's subtree; resending stops at their own unit.
PROBLEM = "problem"
RETRYABLE = (SendState.FAILED, SendState.DEAD)
RECIPIENT_ORG = "recipient__branch__"


def sends_for_user(user) -> QuerySet[ReminderSent]:
    """Readable sends: recipients in a subtree where the user is 党务管理员 (the channels and policies are theirs)."""
    return ReminderSent.objects.filter(subtree_q(grant_orgs(user, {Role.PARTY_ADMIN}), RECIPIENT_ORG))


def resendable_sends_for_user(user) -> QuerySet[ReminderSent]:
    """Failed or abandoned sends of the user's own unit: a higher level reads below but writes only its own."""
    own = own_unit_q(grant_orgs(user, {Role.PARTY_ADMIN}), RECIPIENT_ORG)
    return ReminderSent.objects.filter(own, state__in=RETRYABLE)


def resendable_send_for_user(user, send_id: int) -> ReminderSent:
    send = resendable_sends_for_user(user).select_related("recipient__branch").filter(pk=send_id).first()
    if send is None:
        raise Http404("提醒记录不存在、不可重新发送或不在您的权限范围内")
    return send


def problem_q(now: datetime) -> Q:
    """失败待重试, 放弃, and 发送中 for longer than a run takes (the engine that claimed it was stopped)."""
    return Q(state__in=RETRYABLE) | Q(state=SendState.CLAIMED, claimed_at__lt=now - STALE_CLAIM)


def filtered_sends(user, filters: dict, now: datetime) -> QuerySet[ReminderSent]:
    sends = sends_for_user(user)
    state = filters.get("state") or PROBLEM
    if state == PROBLEM:
        sends = sends.filter(problem_q(now))
    elif state in SendState.values:
        sends = sends.filter(state=state)
    if filters.get("channel"):
        sends = sends.filter(channel_key=filters["channel"])
    if filters.get("start"):
        sends = sends.filter(day__gte=filters["start"])
    if filters.get("end"):
        sends = sends.filter(day__lte=filters["end"])
    if filters.get("name"):
        sends = sends.filter(recipient__name__icontains=filters["name"])
    return sends.select_related("recipient__branch").order_by("-day", "-id")


def channel_labels(keys: Iterable[str]) -> dict[str, str]:
    """站内通知, the channel's name, or 已删除的渠道 for each channel key."""
    keys = set(keys)
    channels = Channel.objects.in_bulk([i for i in map(channel_id, keys) if i is not None])
    labels = {}
    for key in keys:
        channel = channels.get(channel_id(key))
        labels[key] = "站内通知" if key == INAPP else str(channel) if channel else "已删除的渠道"
    return labels


def send_channel_choices(user) -> list[tuple[str, str]]:
    keys = sends_for_user(user).order_by().values_list("channel_key", flat=True).distinct()
    return sorted(channel_labels(keys).items(), key=lambda pair: (pair[0] != INAPP, pair[1]))


@dataclass
class SendRow:
    send: ReminderSent
    channel: str
    items: list[dict]
    resendable: bool


def send_rows(user, sends: Iterable[ReminderSent]) -> list[SendRow]:
    """The page's rows with their channel labels, item titles and whether the user may resend them."""
    sends = list(sends)
    labels = channel_labels(s.channel_key for s in sends)
    item_ids = {i for s in sends for i in (s.item_ids or [s.item_id]) if i}
    titles = dict(WorkItem.objects.filter(pk__in=item_ids).values_list("id", "title"))
    resendable = set(resendable_sends_for_user(user).filter(pk__in=[s.pk for s in sends]).values_list("pk", flat=True))
    return [
        SendRow(
            send=s,
            channel=labels[s.channel_key],
            items=[{"id": i, "title": titles[i]} for i in (s.item_ids or [s.item_id]) if i in titles],
            resendable=s.pk in resendable,
        )
        for s in sends
    ]
