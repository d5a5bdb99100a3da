"""全局搜索: one query over people, organisations, work items, plans, records, inspections and rectifications.

Each group reads through its app's own selector (the same one its detail page uses), so every result
is something the user may open, and matches with the same condition as its list page's search box,
so 查看全部 leads to the same rows. Tasks have no list page of their own: their group has no 查看全部,
and each task links to its row in the plan's page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.text import Truncator

from lvze.accounts.navigation import can_open
from lvze.duties.plan_selectors import plan_text_q, plans_for_user, task_text_q, tasks_for_user
from lvze.duties.selectors import item_text_q, work_items_for_user
from lvze.inspections.selectors import (
    finding_text_q,
    findings_for_user,
    inspection_text_q,
    inspections_for_user,
    rectification_text_q,
    rectifications_for_user,
)
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
TITLE_CHARS = 60


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
    list_name: str  # the list page 查看全部 opens with ?q=; empty when there is none
    rows: Callable[[object, str], QuerySet]
    hit: Callable[[object], Hit]


def joined(*parts) -> str:
    return " · ".join(str(p) for p in parts if p)


def short(text: str) -> str:
    return Truncator(text).chars(TITLE_CHARS)


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


def plan_hit(plan) -> Hit:
    return Hit(plan.name, reverse("plans:plan-detail", args=[plan.pk]), joined(plan.unit, f"{plan.year}年"))


def task_hit(task) -> Hit:
    url = reverse("plans:plan-detail", args=[task.plan_id]) + f"#task-{task.pk}"
    return Hit(short(task.title), url, joined(task.plan.name, task.category))


def inspection_hit(inspection) -> Hit:
    return Hit(inspection.name, reverse("inspections:inspection-detail", args=[inspection.pk]),
               joined(inspection.unit, inspection.period, inspection.get_status_display()))


def finding_hit(finding) -> Hit:
    return Hit(short(finding.description), reverse("inspections:finding-detail", args=[finding.pk]),
               joined(f"{finding.found_on:%Y-%m-%d}", finding.get_source_display(), finding.organization))


def rectification_hit(rect) -> Hit:
    return Hit(short(rect.problem), reverse("rectifications:rectification-detail", args=[rect.pk]),
               joined(rect.responsible_org, f"整改时限 {rect.deadline:%Y-%m-%d}",
                      rect.source_label or rect.get_source_display()))


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
    Source("工作要点", "plans:plan-list",
           lambda user, q: plans_for_user(user).filter(plan_text_q(q)).select_related("unit")
           .order_by("-year", "unit__path", "id"),
           plan_hit),
    Source("重点任务", "",
           lambda user, q: tasks_for_user(user).filter(task_text_q(q)).select_related("plan")
           .order_by("-plan__year", "plan_id", "seq", "id"),
           task_hit),
    Source("会议纪实", "records:meeting-list",
           lambda user, q: meetings_for_user(user).filter(meeting_text_q(q)).order_by("-held_on", "-id"),
           meeting_hit),
    Source("谈心谈话", "records:talk-list",
           lambda user, q: talks_for_user(user).filter(talk_text_q(q)).order_by("-held_on", "-id"),
           talk_hit),
    Source("活动纪实", "records:activity-list",
           lambda user, q: activities_for_user(user).filter(activity_text_q(q)).order_by("-held_on", "-id"),
           activity_hit),
    Source("检查", "inspections:inspection-list",
           lambda user, q: inspections_for_user(user).filter(inspection_text_q(q)).select_related("unit")
           .order_by("-period", "-id"),
           inspection_hit),
    Source("问题", "inspections:finding-list",
           lambda user, q: findings_for_user(user).filter(finding_text_q(q)).select_related("organization")
           .order_by("-found_on", "-id"),
           finding_hit),
    Source("整改事项", "rectifications:rectification-list",
           lambda user, q: rectifications_for_user(user).filter(rectification_text_q(q))
           .select_related("responsible_org").order_by("deadline", "id"),
           rectification_hit),
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
