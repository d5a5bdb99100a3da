"""Demo records: meetings that fulfil the rule pack's items, with a realistic mix of on-time, late and
missing ones. Items are never marked done by hand; every completion comes from a record."""

from __future__ import annotations

import random
from datetime import date, timedelta

from lvze.duties.generation import obligations_generate
from lvze.duties.models import Source, WorkItem
from lvze.lib.periods import Period
from lvze.orgs.selectors import branch_roster_on
from lvze.records.models import MeetingKind
from lvze.records.services import meeting_record

TOPICS = {
    "theme_day": ["学习贯彻党的二十大精神", "重温入党誓词", "学雷锋志愿服务", "参观红色教育基地", "“税企联建”共建活动", "廉政警示教育"],
    "branch_assembly": ["传达学习上级会议精神", "讨论发展党员事项", "通报支部工作情况"],
    "branch_committee": ["研究本月支部工作", "部署主题党日安排", "研究党员教育管理事项"],
    "party_lecture": ["书记讲党课：坚定理想信念", "党课：全面从严治党永远在路上", "党课：弘扬伟大建党精神"],
    "org_life": ["年度组织生活会"],
    "member_review": ["年度民主评议党员"],
    "democratic_life": ["年度民主生活会"],
    "central_group": ["理论学习中心组专题学习", "学习习近平总书记重要讲话精神"],
    "special_topic": ["专题研究全面从严治党工作", "意识形态工作专题分析研判", "专题研究党内法规执行工作"],
}


def meeting_day(item: WorkItem, rng: random.Random, today: date) -> tuple[date, str] | None:
    """When the demo holds this item's meeting: mostly within the period, sometimes late, sometimes never."""
    period = Period.parse(item.period)
    roll = rng.random()
    if roll < 0.08:
        return None
    if roll < 0.16:
        held = period.end + timedelta(days=rng.randint(1, 6))
    else:
        span = (period.end - period.start).days
        held = period.start + timedelta(days=rng.randint(max(span - 20, 0), span))
    return (held, str(period)) if held <= today else None


def record_meetings(today: date, rng: random.Random) -> None:
    for year in (today.year - 1, today.year):
        obligations_generate(actor=None, period=Period("year", year))
    items = (
        WorkItem.objects.filter(source=Source.RULE, fulfilled_by_kind__startswith="meeting:", period__lte=str(today.year + 1))
        .select_related("organization", "rule")
        .order_by("due_date", "organization__path", "id")
    )
    for item in items:
        if Period.parse(item.period).start > today:
            continue
        when = meeting_day(item, rng, today)
        if when is None:
            continue
        held_on, period = when
        kind = item.fulfilled_by_kind.split(":", 1)[1]
        roster = list(branch_roster_on(item.organization, held_on))
        absent = {p: rng.choice(["公出", "病假", "休假"]) for p in roster if rng.random() < 0.08}
        meeting_record(
            actor=None,
            organization=item.organization,
            kind=kind,
            held_on=held_on,
            period=period,
            topic=rng.choice(TOPICS.get(kind, [item.rule.name])),
            present=[p for p in roster if p not in absent],
            absent=absent,
            host=roster[0].name if roster else "",
            place="党员活动室",
            work_area=item.work_area,
            first_topic="学习习近平总书记重要讲话精神" if kind == MeetingKind.COMMITTEE_MEETING else "",
        )
