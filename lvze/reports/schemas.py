"""The dashboard's figures for integrators (GET /api/v1/statistics/dashboard): the same numbers the page shows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Schema

from lvze.reports.selectors import Dashboard, Row, Tally


class Timeliness(Schema):
    due_in_period: int
    on_time: int
    late: int
    overdue: int
    due_soon: int
    normal: int
    on_time_rate: float | None


class MonthOut(Timeliness):
    month: str


class UnitOut(Timeliness):
    code: str
    name: str
    meetings: int
    activities: int
    people_covered: int


class BranchOut(Timeliness):
    rank: int
    code: str
    name: str


class AreaOut(Timeliness):
    name: str
    mine: bool


class LeaderOut(Timeliness):
    key: str
    name: str
    kind: str


class ObligationOut(Schema):
    kind: str
    name: str
    required: int
    done: int
    on_time: int
    late: int
    overdue: int
    held: int


class CountOut(Schema):
    key: str
    name: str
    count: int


class ActivityGroupOut(Schema):
    name: str
    count: int
    participants: int
    people_covered: int
    problems_solved: int


class ActivityTotalsOut(Schema):
    count: int
    participants: int
    people_covered: int
    problems_solved: int
    amount: Decimal | None


class OverdueOut(Schema):
    id: int
    title: str
    org: str
    due_date: date
    responsible: str | None
    work_area: str


class DashboardOut(Schema):
    org: str
    org_name: str
    period: str
    period_label: str
    as_of: date
    timeliness: Timeliness
    long_term: int
    months: list[MonthOut]
    units: list[UnitOut]
    branches: list[BranchOut]
    branch_total: int
    overdue: list[OverdueOut]
    obligations: list[ObligationOut]
    consultations: list[CountOut]
    activities: ActivityTotalsOut
    activity_types: list[ActivityGroupOut]
    activity_areas: list[ActivityGroupOut]
    talks: list[CountOut]
    talk_total: int
    honors: list[CountOut]
    honor_total: int
    work_areas: list[AreaOut]
    leader: list[LeaderOut] | None
    supervision: list[CountOut]
    findings: list[CountOut]
    finding_total: int
    rectifications: list[CountOut]
    rectification_total: int


def states(tally: Tally) -> dict:
    return tally.as_dict()


def counted(rows: list[Row], key: str = "n") -> list[dict]:
    return [{"key": r.key, "name": r.label, "count": r.extra[key]} for r in rows]


def activity_groups(rows: list[Row]) -> list[dict]:
    return [{"name": r.label, **{k: r.extra[k] for k in ("count", "participants", "people_covered", "problems_solved")}}
            for r in rows]


def dashboard_out(d: Dashboard) -> dict:
    return {
        "org": d.org.code,
        "org_name": d.org.name,
        "period": str(d.period),
        "period_label": d.period.label(),
        "as_of": d.as_of,
        "timeliness": states(d.tally),
        "long_term": d.long_term,
        "months": [{"month": m.key, **states(m.tally)} for m in d.months],
        "units": [{"code": r.key, "name": r.label, **states(r.tally), "meetings": r.extra["meetings"],
                   "activities": r.extra["activities"], "people_covered": r.extra["covered"]} for r in d.units],
        "branches": [{"rank": r.extra["rank"], "code": r.key, "name": r.label, **states(r.tally)} for r in d.branches],
        "branch_total": d.branch_total,
        "overdue": [{"id": i.pk, "title": i.title, "org": i.organization.code, "due_date": i.due_date,
                     "responsible": i.responsible_person.name if i.responsible_person_id else None,
                     "work_area": i.work_area} for i in d.overdue],
        "obligations": [{"kind": r.key, "name": r.label, "required": r.tally.total, "done": r.tally.done,
                         "on_time": r.tally.on_time, "late": r.tally.late, "overdue": r.tally.overdue,
                         "held": r.extra["held"]} for r in d.obligations],
        "consultations": counted(d.consultations),
        "activities": {k: d.activity_totals[k] for k in ("count", "participants", "people_covered", "problems_solved",
                                                          "amount")},
        "activity_types": activity_groups(d.activity_types),
        "activity_areas": activity_groups(d.activity_areas),
        "talks": counted(d.talks),
        "talk_total": d.talk_total,
        "honors": counted(d.honors),
        "honor_total": d.honor_total,
        "work_areas": [{"name": r.label, "mine": r.extra["mine"], **states(r.tally)} for r in d.areas],
        "supervision": counted(d.supervision),
        "findings": counted(d.finding_sources),
        "finding_total": d.finding_total,
        "rectifications": counted(d.rectifications),
        "rectification_total": d.rectification_total,
        "leader": None if d.leader is None else [
            {"key": r.key, "name": r.label, "kind": r.extra["kind"], **states(r.tally)} for r in d.leader
        ],
    }

