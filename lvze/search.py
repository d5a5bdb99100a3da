"""全局搜索: one query over people, organisations, work items and records.

Each group reads through its app's own selector (the same one its detail page uses), so every result
is something the user may open, and matches with the same condition as its list page's search box,
so 查看全部 leads to the same rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from lvze.accounts.navigation import can_open
from lvze.duties.selectors import item_text_q, work_items_for_user
from lvze.orgs.selectors import org_text_q, organizations_for_user, people_for_user, person_text_q
from lvze.records.selectors import (
    activities_for_user,
    activity_text_q,
    meeting_text_q,
    meetings_for_user,
    talk_text_q,
    talks_for_user,
)

GROUP_LIMIT = 10
MAX_QUERY = 50


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    meta: str


@dataclass(frozen=True)
class Group:
    label: str
    hits: list[Hit]
    total: int
    more_url: str


@dataclass(frozen=True)
class Source:
    label: str
    list_name: str
    rows: Callable[[object, str], QuerySet]
    hit: Callable[[object], Hit]


def joined(*parts) -> str:
    return " · ".join(str(p) for p in parts if p)


def person_hit(person) -> Hit:
    unit = person.branch or person.department
    return Hit(person.name, reverse("orgs:person-detail", args=[person.pk]),
               joined(unit, person.position, person.get_party_status_display()))


def org_hit(org) -> Hit:
    return Hit(org.name, reverse("orgs:org-detail", args=[org.code]), joined(org.get_kind_display(), org.parent))


def item_hit(item) -> Hit:
    due = item.due_date and f"完成时限 {item.due_date:%Y-%m-%d}"
    return Hit(item.title, reverse("duties:item-detail", args=[item.pk]),
               joined(item.organization, due or "长期", item.get_status_display()))


def meeting_hit(meeting) -> Hit:
    return Hit(meeting.topic, reverse("records:meeting-detail", args=[meeting.pk]),
               joined(f"{meeting.held_on:%Y-%m-%d}", meeting.get_kind_display(), meeting.organization))


def talk_hit(talk) -> Hit:
    return Hit(talk.topic, reverse("records:talk-detail", args=[talk.pk]),
               joined(f"{talk.held_on:%Y-%m-%d}", talk.get_kind_display(), talk.organization))


def activity_hit(activity) -> Hit:
    return Hit(activity.name, reverse("records:activity-detail", args=[activity.pk]),
               joined(f"{activity.held_on:%Y-%m-%d}", activity.activity_type, activity.organization))


SOURCES = [
    Source("人员", "orgs:person-list",
           lambda user, q: people_for_user(user).filter(person_text_q(q), active=True).order_by("name", "id"),
           person_hit),
    Source("组织", "orgs:org-tree",
           lambda user, q: organizations_for_user(user).filter(org_text_q(q), active=True)
           .select_related("parent").order_by("path"),
           org_hit),
    Source("事项", "duties:item-list",
           lambda user, q: work_items_for_user(user).filter(item_text_q(q))
           .select_related("organization").order_by("-due_date", "-id"),
           item_hit),
    Source("会议纪实", "records:meeting-list",
           lambda user, q: meetings_for_user(user).filter(meeting_text_q(q)).order_by("-held_on", "-id"),
           meeting_hit),
    Source("谈心谈话", "records:talk-list",
           lambda user, q: talks_for_user(user).filter(talk_text_q(q)).order_by("-held_on", "-id"),
           talk_hit),
    Source("活动纪实", "records:activity-list",
           lambda user, q: activities_for_user(user).filter(activity_text_q(q)).order_by("-held_on", "-id"),
           activity_hit),
]


def clean_query(text: str | None) -> str:
    return (text or "").strip()[:MAX_QUERY]


def search(user, query: str, limit: int = GROUP_LIMIT) -> list[Group]:
    """The groups with at least one hit, in SOURCES' order; an empty query finds nothing."""
    if not query:
        return []
    groups = [group_of(source, user, query, limit) for source in SOURCES]
    return [group for group in groups if group.total]


def group_of(source: Source, user, query: str, limit: int) -> Group:
    rows = source.rows(user, query)
    total = rows.count()
    hits = [source.hit(row) for row in rows[:limit]] if total else []
    more = total > limit and can_open(user, source.list_name)
    more_url = f"{reverse(source.list_name)}?{urlencode({'q': query})}" if more else ""
    return Group(source.label, hits, total, more_url)
