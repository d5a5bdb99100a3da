"""Reads for the reminder pages: notifications, channels, the reverse-reminder list and the monthly notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404

from lvze.accounts.models import Role
from lvze.duties.models import OPEN_STATUSES, Source, WorkItem
from lvze.duties.timeliness import with_timeliness
from lvze.lib.periods import Period
from lvze.orgs.models import Appointment, Organization, Person
from lvze.orgs.selectors import grant_orgs, own_unit_q
from lvze.reminders.models import Channel, Notification

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
