"""Reads behind the dashboards (统计看板) and their scope checks.

Every figure is counted in SQL over one organisation's subtree and one period, in a fixed number of
grouped queries whatever the number of organisations below it:
- work items due within the period: one query grouped by (unit, month, fulfilling record kind, work
  area) gives the headline timeliness counts, the month-by-month series, the subordinate units side by
  side, the mandatory actions required and the leader's 分管 areas; a second one, over the unit's own
  organisations only, grouped by organisation, gives its branches' ranking and its departments;
- records (meetings by 所属期间, talks by 所属期间, activities and honours by date) through the records
  app's own counting functions, plus one grouped query each for the side-by-side columns;
- findings (by the six supervision types and by source) and rectifications (by state) through the
  inspections app's scope and counting.
Timeliness is the ledger's (`lvze.duties.timeliness`), as of the period's end for a past period.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast, Substr
from django.http import Http404
from django.urls import reverse

from lvze.accounts.models import Role
from lvze.duties.models import Timeliness, WorkItem
from lvze.duties.selectors import UNIT_READERS, prefix_range_q
from lvze.duties.timeliness import timeliness_conditions, with_timeliness
from lvze.inspections.models import FindingSource, RectificationState, SupervisionType
from lvze.inspections.selectors import findings_for_user, rectifications_for_user, state_q, supervision_counts
from lvze.lib.cn import approx_people
from lvze.lib.figures_cache import cached_figures, reader_key
from lvze.lib.periods import Period
from lvze.orgs.models import UNIT_KINDS, Appointment, Organization, OrgKind
from lvze.orgs.selectors import grant_orgs, organizations_for_user, user_roles
from lvze.records.models import (
    Activity,
    ConsultationLevel,
    Honor,
    HonorLevel,
    Meeting,
    MeetingKind,
    Talk,
    TalkKind,
)
from lvze.records.selectors import activity_totals, activity_totals_by, meeting_counts, period_within_q

DASHBOARD_READERS = UNIT_READERS
ORG_CHOICES_LIMIT = 300
OVERDUE_LIMIT = 15
RANKING_ALL = 30  # rank every branch up to this many, else the first and last ten
TALK_KIND = "talk"

# Counted per group: the five timeliness states of an item with a deadline, and the total.
STATES = (Timeliness.ON_TIME, Timeliness.LATE, Timeliness.OVERDUE, Timeliness.DUE_SOON, Timeliness.NORMAL)
STATE_KEYS = tuple(str(s) for s in STATES)


# ------------------------------------------------------------------------------------------------ scope


def can_see_dashboard(user) -> bool:
    return bool(user_roles(user) & DASHBOARD_READERS)


def require_dashboard(user) -> None:
    if not can_see_dashboard(user):
        raise PermissionDenied("统计看板仅向党务管理员、领导和纪检监督开放")


def dashboard_orgs_for_user(user) -> QuerySet[Organization]:
    return organizations_for_user(user, DASHBOARD_READERS)


def dashboard_org_for_user(user, code: str) -> Organization:
    org = dashboard_orgs_for_user(user).filter(code=code).first()
    if org is None:
        raise Http404("组织不存在或不在您的权限范围内")
    return org


def home_org(user) -> Organization:
    """The organisation a reader's dashboard opens on: their highest grant."""
    orgs = grant_orgs(user, DASHBOARD_READERS)
    if not orgs:
        raise PermissionDenied
    return min(orgs, key=lambda o: (o.depth, o.path))


def org_choices(user, current: Organization) -> list[Organization]:
    """Every organisation when there are few; at province scale only the 党委 (and the current one)."""
    orgs = dashboard_orgs_for_user(user).filter(active=True).exclude(kind=OrgKind.PARTY_GROUP).order_by("path")
    if orgs.count() > ORG_CHOICES_LIMIT:
        orgs = orgs.filter(Q(kind__in=UNIT_KINDS) | Q(pk=current.pk))
    return list(orgs)


def ancestors_in_scope(user, org: Organization) -> list[Organization]:
    """The organisation's ancestors the reader may open, root first: the way back up."""
    codes = [c for c in org.path.strip("/").split("/")[:-1] if c]
    if not codes:
        return []
    return list(dashboard_orgs_for_user(user).filter(code__in=codes).order_by("depth"))


# --------------------------------------------------------------------------------------------- counting


@dataclass
class Tally:
    """Timeliness counts of a set of items with deadlines."""

    total: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    due_soon: int = 0
    normal: int = 0

    def add(self, row) -> None:
        self.total += row["total"] if isinstance(row, dict) else row.total
        for key in STATE_KEYS:
            value = row[key] if isinstance(row, dict) else getattr(row, key)
            setattr(self, key, getattr(self, key) + value)

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> float | None:
        """按期办结率 = 按期办结 ÷ items due within the period."""
        return self.on_time / self.total if self.total else None

    @property
    def rate_text(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"

    def as_dict(self) -> dict:
        return {"due_in_period": self.total, **{k: getattr(self, k) for k in STATE_KEYS}, "on_time_rate": self.rate}


def tally_aggregates(as_of: date) -> dict:
    conditions = timeliness_conditions(as_of)
    return {"total": Count("id"), **{str(s): Count("id", filter=conditions[s]) for s in STATES}}


MONTH = Substr(Cast("due_date", output_field=CharField()), 1, 7)  # "2023-05" on both databases


# ---------------------------------------------------------------------------------------------- results


@dataclass
class Row:
    """One line of a breakdown: a label, its figures and the link to the rows behind them."""

    key: str
    label: str
    tally: Tally = field(default_factory=Tally)
    url: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Dashboard:
    org: Organization
    period: Period
    as_of: date
    today: date
    tally: Tally
    long_term: int
    months: list[Row]
    units: list[Row]
    units_hidden: int
    branches: list[Row]
    branch_total: int
    overdue: list[WorkItem]
    obligations: list[Row]
    consultations: list[Row]
    activity_totals: dict
    activity_types: list[Row]
    activity_areas: list[Row]
    talks: list[Row]
    talk_total: int
    honors: list[Row]
    honor_list: list[Honor]
    honor_total: int
    areas: list[Row]
    leader: list[Row] | None
    supervision: list[Row]
    finding_sources: list[Row]
    finding_total: int
    rectifications: list[Row]
    rectification_total: int
    links: dict[str, str]

    @property
    def is_past(self) -> bool:
        return self.as_of < self.today

    @property
    def covered_text(self) -> str:
        return approx_people(self.activity_totals["people_covered"])


class Links:
    """URLs of the lists behind each figure, with the dashboard's organisation and period applied."""

    def __init__(self, org: Organization, period: Period, as_of: date):
        self.org, self.period, self.as_of = org, period, as_of

    @staticmethod
    def make(name: str, **params) -> str:
        return f"{reverse(name)}?{urlencode({k: v for k, v in params.items() if v not in (None, '')})}"

    def items(self, *, org: Organization | None = None, start: date | None = None, end: date | None = None,
              timeliness: str = "", **extra) -> str:
        return self.make(
            "duties:item-list", org=(org or self.org).code, due_from=start or self.period.start,
            due_to=end or self.period.end, as_of=self.as_of, timeliness=timeliness, **extra,
        )

    def long_term(self) -> str:
        return self.make("duties:item-list", org=self.org.code, timeliness=Timeliness.LONG_TERM)

    def meetings(self, org: Organization | None = None, **extra) -> str:
        return self.make("records:meeting-list", org=(org or self.org).code, period=self.period, **extra)

    def talks(self, **extra) -> str:
        return self.make("records:talk-list", org=self.org.code, period=self.period, **extra)

    def activities(self, org: Organization | None = None, **extra) -> str:
        return self.make("records:activity-list", org=(org or self.org).code, start=self.period.start,
                         end=self.period.end, **extra)

    def honors(self, **extra) -> str:
        return self.make("records:honors-list", org=self.org.code, start=self.period.start, end=self.period.end,
                         **extra)

    def findings(self, **extra) -> str:
        return self.make("inspections:finding-list", org=self.org.code, start=self.period.start, end=self.period.end,
                         **extra)

    def rectifications(self, **extra) -> str:
        return self.make("rectifications:rectification-list", org=self.org.code, due_from=self.period.start,
                         due_to=self.period.end, **extra)

    def dashboard(self, org: Organization) -> str:
        return self.make("reports:dashboard", org=org.code, period=self.period)


def subtree_items(org: Organization, period: Period) -> QuerySet[WorkItem]:
    """Items of the organisation's subtree due within the period. The organisation has been checked against
    the reader's grants (`dashboard_org_for_user`); a grant covers its whole subtree."""
    return WorkItem.objects.filter(
        prefix_range_q("org_path", org.path), due_date__gte=period.start, due_date__lte=period.end
    )


def subtree_records(model, org: Organization) -> QuerySet:
    return model.objects.filter(prefix_range_q("organization__path", org.path))


class OrgMap:
    """The organisations a breakdown folds into: the 党委 of the subtree and the organisations of the
    selected organisation's own unit (its branches, departments …) — one query, a few hundred rows at most
    below a province."""

    def __init__(self, org: Organization):
        self.org = org
        self.own_unit = org.unit_id or org.pk
        rows = Organization.objects.filter(prefix_range_q("path", org.path)).filter(
            Q(kind__in=UNIT_KINDS) | Q(unit_id=self.own_unit)
        )
        self.by_id = {o.pk: o for o in rows.order_by("sort_order", "path")}
        self.children = [o for o in self.by_id.values() if o.parent_id == org.pk]
        self.child_by_code = {o.code: o for o in self.children}

    def child_of_path(self, path: str) -> Organization | None:
        """The selected organisation's child whose subtree holds `path`; None for the organisation itself."""
        if not path.startswith(self.org.path) or path == self.org.path:
            return None
        return self.child_by_code.get(path[len(self.org.path) :].split("/", 1)[0])

    def child_of(self, unit_id: int | None, org_id: int | None) -> Organization | None | bool:
        """Where a row of (unit, organisation) belongs: a child, None (the organisation itself), or False
        when the row is outside what the map knows."""
        if unit_id is not None and unit_id != self.own_unit and unit_id in self.by_id:
            return self.child_of_path(self.by_id[unit_id].path)
        if org_id in self.by_id:
            return self.child_of_path(self.by_id[org_id].path)
        return False


@dataclass
class SubtreeFigures:
    """What the dashboard counts over an organisation's subtree for a period, the same for every reader who
    may open that organisation: kept in the figures cache (lvze.lib.figures_cache) under the data version."""

    tally: Tally
    by_month: dict[str, Tally]
    by_kind: dict[str, Tally]
    by_area: dict[str, Tally]
    by_child: dict[int | None, Tally]
    by_org: dict[int, Tally]
    long_term: int
    meeting_counts: dict
    meeting_by_child: dict[int | None, int]
    activity_by_child: dict[int | None, dict[str, int]]
    activity_by_type: dict[str, dict[str, int]]
    activity_by_area: dict[str, dict[str, int]]
    activity_totals: dict
    talk_counts: dict[str, int]
    honor_counts: dict[str, int]


def subtree_figures(org: Organization, org_map: OrgMap, period: Period, as_of: date) -> SubtreeFigures:
    items = subtree_items(org, period)
    aggregates = tally_aggregates(as_of)
    # 1. All items of the subtree, by (unit, month, fulfilling kind, work area).
    item_rows = list(
        items.order_by().annotate(month=MONTH).values("unit_id", "month", "fulfilled_by_kind", "work_area")
        .annotate(**aggregates)
    )
    # 2. The own unit's items by organisation: its branches, departments and other non-unit children.
    own_rows = list(items.filter(unit_id=org_map.own_unit).order_by().values("organization_id").annotate(**aggregates))

    tally = Tally()
    by_month: dict[str, Tally] = defaultdict(Tally)
    by_kind: dict[str, Tally] = defaultdict(Tally)
    by_area: dict[str, Tally] = defaultdict(Tally)
    by_child: dict[int | None, Tally] = defaultdict(Tally)
    for row in item_rows:
        tally.add(row)
        by_month[row["month"]].add(row)
        if row["fulfilled_by_kind"]:
            by_kind[row["fulfilled_by_kind"]].add(row)
        by_area[row["work_area"]].add(row)
        if row["unit_id"] != org_map.own_unit:
            child = org_map.child_of(row["unit_id"], None)
            if child is not False:
                by_child[child.pk if child else None].add(row)
    by_org: dict[int, Tally] = {}
    for row in own_rows:
        by_org[row["organization_id"]] = Tally()
        by_org[row["organization_id"]].add(row)
        child = org_map.child_of(None, row["organization_id"])
        if child is not False:
            by_child[child.pk if child else None].add(row)

    # Records of the subtree in the period.
    meetings = subtree_records(Meeting, org).filter(period_within_q("period", str(period)))
    talks = subtree_records(Talk, org).filter(period_within_q("period", str(period)))
    activities = subtree_records(Activity, org).filter(held_on__gte=period.start, held_on__lte=period.end)
    activity_groups = activity_totals_by(activities, "activity_type__name", "work_area", "organization__unit_id",
                                         "organization_id")
    return SubtreeFigures(
        tally=tally,
        by_month=dict(by_month),
        by_kind=dict(by_kind),
        by_area=dict(by_area),
        by_child=dict(by_child),
        by_org=by_org,
        long_term=WorkItem.objects.filter(prefix_range_q("org_path", org.path), due_date__isnull=True).count(),
        meeting_counts=meeting_counts(meetings),
        meeting_by_child=dict(fold_counts(org_map, meetings.order_by().values("organization__unit_id", "organization_id")
                                          .annotate(n=Count("id")), "n")),
        activity_by_child=activities_by_child(org_map, activity_groups),
        activity_by_type=activity_sums_by(activity_groups, "activity_type__name"),
        activity_by_area=activity_sums_by(activity_groups, "work_area"),
        activity_totals=activity_totals(activities),
        talk_counts=dict(talks.order_by().values_list("kind").annotate(n=Count("id"))),
        honor_counts=dict(subtree_honors(org, period).order_by().values_list("level").annotate(n=Count("id"))),
    )


def subtree_honors(org: Organization, period: Period) -> QuerySet[Honor]:
    return subtree_records(Honor, org).filter(awarded_on__gte=period.start, awarded_on__lte=period.end)


def dashboard_figures(user, org: Organization, period: Period, today: date) -> Dashboard:
    as_of = min(today, period.end)
    links = Links(org, period, as_of)
    items = subtree_items(org, period)
    org_map = OrgMap(org)
    figures = cached_figures(("dashboard", org.pk, str(period), as_of.isoformat()),
                             lambda: subtree_figures(org, org_map, period, as_of))
    by_area, by_org, counts, talk_counts = figures.by_area, figures.by_org, figures.meeting_counts, figures.talk_counts

    months = [
        Row(str(m), f"{m.index}月" if period.kind != "month" else m.label(), figures.by_month.get(str(m), Tally()),
            links.items(start=m.start, end=m.end))
        for m in period.months()
    ]

    units, hidden = side_by_side(org_map, figures.by_child, figures.meeting_by_child, figures.activity_by_child,
                                 links)
    branches = [
        Row(o.code, o.name, by_org[o.pk], links.items(org=o), {"dashboard": links.dashboard(o)})
        for o in org_map.by_id.values()
        if o.kind == OrgKind.BRANCH and o.pk in by_org and by_org[o.pk].total
    ]
    branches.sort(key=lambda r: (-(r.tally.rate or 0), -r.tally.total, r.key))
    for rank, row in enumerate(branches, start=1):
        row.extra["rank"] = rank
    branch_total = len(branches)
    if branch_total > RANKING_ALL:
        branches = branches[:10] + branches[-10:]

    # Filtered on the annotation rather than the bare condition: its OR (open, or done only after as_of) would
    # send SQLite to a multi-index OR over every status; the annotation reads the dashboard index in due order.
    overdue = list(
        with_timeliness(items, as_of).filter(timeliness=Timeliness.OVERDUE)
        .select_related("organization", "responsible_person")
        .order_by("due_date", "id")[:OVERDUE_LIMIT]
    )
    leader = leader_rows(user, org_map, by_area, by_org, links)
    leader_areas = {r.key for r in leader or [] if r.extra.get("kind") == "area"}
    areas = [
        Row(name, name or "（未分板块）", t, links.items(work_area=name) if name else "", {"mine": name in leader_areas})
        for name, t in sorted(by_area.items(), key=lambda kv: (kv[0] not in leader_areas, kv[0] == "", kv[0]))
    ]
    honor_levels = honor_rows(figures.honor_counts, links)
    supervision, finding_sources = finding_rows(user, org, period, links)
    rectifications = rectification_rows(user, org, period, links)

    return Dashboard(
        org=org,
        period=period,
        as_of=as_of,
        today=today,
        tally=figures.tally,
        long_term=figures.long_term,
        months=months,
        units=units,
        units_hidden=hidden,
        branches=branches,
        branch_total=branch_total,
        overdue=overdue,
        obligations=obligation_rows(figures.by_kind, counts["by_kind"], talk_counts, links),
        consultations=[
            Row(value, label, extra={"n": counts["consultation_levels"].get(value, 0),
                                     "url": links.meetings(kind=MeetingKind.CONSULTATION, level=value)})
            for value, label in ConsultationLevel.choices
        ],
        activity_totals=figures.activity_totals,
        activity_types=activity_rows(figures.activity_by_type, lambda k: links.activities(type=k)),
        activity_areas=activity_rows(figures.activity_by_area, lambda k: links.activities(work_area=k) if k else ""),
        talks=[
            Row(value, label, extra={"n": talk_counts[value], "url": links.talks(kind=value)})
            for value, label in TalkKind.choices
            if talk_counts.get(value)
        ],
        talk_total=sum(talk_counts.values()),
        honors=honor_levels,
        honor_list=list(subtree_honors(org, period).select_related("organization", "recipient_org", "recipient_person")[:8]),
        honor_total=sum(r.extra["n"] for r in honor_levels),
        areas=areas,
        leader=leader,
        supervision=supervision,
        finding_sources=finding_sources,
        finding_total=sum(r.extra["n"] for r in finding_sources),
        rectifications=rectifications,
        rectification_total=sum(r.extra["n"] for r in rectifications),
        links={
            "items": links.items(),
            "long_term": links.long_term(),
            **{key: links.items(timeliness=key) for key in STATE_KEYS},
            "meetings": links.meetings(),
            "talks": links.talks(),
            "activities": links.activities(),
            "honors": links.honors(),
            "findings": links.findings(),
            "rectifications": links.rectifications(),
        },
    )


def finding_rows(user, org: Organization, period: Period, links: Links) -> tuple[list[Row], list[Row]]:
    """Problems found in the period about the subtree: supervision ones by their six types (六位一体), and all
    of them by source — through the inspections app's own scope and counting."""
    by_type, by_source = cached_figures(("findings", org.pk, str(period), reader_key(user)),
                                        lambda: finding_counts(user, org, period))
    return (
        [Row(value, label, extra={"n": by_type.get(value, 0),
                                  "url": links.findings(source=FindingSource.SUPERVISION, supervision_type=value)})
         for value, label in SupervisionType.choices],
        [Row(value, label, extra={"n": by_source[value], "url": links.findings(source=value)})
         for value, label in FindingSource.choices if by_source.get(value)],
    )


def finding_counts(user, org: Organization, period: Period) -> tuple[dict[str, int], dict[str, int]]:
    findings = findings_for_user(user).filter(
        prefix_range_q("organization__path", org.path), found_on__gte=period.start, found_on__lte=period.end
    )
    return supervision_counts(findings.order_by()), dict(findings.order_by().values_list("source").annotate(n=Count("id")))


def rectification_rows(user, org: Organization, period: Period, links: Links) -> list[Row]:
    """整改 whose deadline falls in the period, by their current state (the ledger's own state conditions)."""
    counts = cached_figures(("rectifications", org.pk, str(period), reader_key(user)),
                            lambda: rectification_counts(user, org, period))
    return [Row(state.value, state.label, extra={"n": counts[state.value], "url": links.rectifications(state=state.value)})
            for state in RectificationState]


def rectification_counts(user, org: Organization, period: Period) -> dict[str, int]:
    rects = rectifications_for_user(user).filter(
        prefix_range_q("responsible_org__path", org.path), deadline__gte=period.start, deadline__lte=period.end
    )
    return rects.order_by().aggregate(**{state.value: Count("id", filter=state_q(state)) for state in RectificationState})


def fold_counts(org_map: OrgMap, rows, key: str) -> dict[int | None, int]:
    """Sum grouped (organization__unit_id, organization_id) counts into the selected organisation's children."""
    folded: dict[int | None, int] = defaultdict(int)
    for row in rows:
        child = org_map.child_of(row["organization__unit_id"], row["organization_id"])
        if child is not False:
            folded[child.pk if child else None] += row[key]
    return folded


def activities_by_child(org_map: OrgMap, activity_groups: list[dict]) -> dict[int | None, dict[str, int]]:
    """Activities and people covered folded into the selected organisation's children (None: itself)."""
    folded: dict[int | None, dict[str, int]] = {}
    for row in activity_groups:
        child = org_map.child_of(row["organization__unit_id"], row["organization_id"])
        if child is not False:
            entry = folded.setdefault(child.pk if child else None, {"count": 0, "people_covered": 0})
            entry["count"] += row["count"]
            entry["people_covered"] += row["people_covered"]
    return folded


def side_by_side(org_map: OrgMap, by_child: dict, meetings: dict, activities: dict, links: Links):
    """The selected organisation's children (its subordinate units, or a unit's 机关党委, departments and
    branches) with their figures; children with nothing in the period are counted, not listed."""
    rows, hidden = [], 0
    entries = [(None, org_map.org, "本级")] + [(o.pk, o, o.name) for o in org_map.children]
    for key, org, label in entries:
        tally = by_child.get(key, Tally())
        held = activities.get(key, {})
        figures = {"meetings": meetings.get(key, 0), "activities": held.get("count", 0),
                   "covered": held.get("people_covered", 0)}
        if not tally.total and not any(figures.values()):
            hidden += key is not None
            continue
        # The organisation itself: its own items only are not a list filter, so its row links to the whole.
        url = links.items(org=org) if key is not None else ""
        rows.append(Row(org.code, label, tally, url, {
            **figures,
            "dashboard": links.dashboard(org) if key is not None else "",
            "meetings_url": links.meetings(org=org) if key is not None else "",
            "activities_url": links.activities(org=org) if key is not None else "",
        }))
    return rows, hidden


def obligation_rows(by_kind: dict[str, Tally], held: dict[str, int], talks: dict[str, int], links: Links) -> list[Row]:
    """规定动作: items of each fulfilling record kind due in the period (required) beside the records held."""
    rows = []
    for value, label in MeetingKind.choices:
        kind = f"meeting:{value}"
        if kind in by_kind or held.get(value):
            rows.append(Row(kind, label, by_kind.get(kind, Tally()), links.items(kind=kind) if kind in by_kind else "",
                            {"held": held.get(value, 0), "held_url": links.meetings(kind=value)}))
    if TALK_KIND in by_kind or talks:
        rows.append(Row(TALK_KIND, "谈心谈话", by_kind.get(TALK_KIND, Tally()),
                        links.items(kind=TALK_KIND) if TALK_KIND in by_kind else "",
                        {"held": sum(talks.values()), "held_url": links.talks()}))
    return rows


def activity_sums_by(groups: list[dict], field_name: str) -> dict[str, dict[str, int]]:
    sums: dict[str, dict[str, int]] = {}
    for row in groups:
        entry = sums.setdefault(row[field_name] or "", {"count": 0, "people_covered": 0, "participants": 0,
                                                         "problems_solved": 0})
        for key in entry:
            entry[key] += row[key]
    return sums


def activity_rows(sums: dict[str, dict[str, int]], url) -> list[Row]:
    ordered = sorted(sums.items(), key=lambda kv: (kv[0] == "", -kv[1]["count"], kv[0]))
    return [Row(k, k or "（未分板块）", extra={**v, "url": url(k)}) for k, v in ordered]


def honor_rows(counts: dict[str, int], links: Links) -> list[Row]:
    return [
        Row(value, label, extra={"n": counts[value], "url": links.honors(level=value)})
        for value, label in HonorLevel.choices
        if counts.get(value)
    ]


def leader_rows(user, org_map: OrgMap, by_area: dict[str, Tally], by_org: dict[int, Tally], links: Links):
    """A leader's 分管: their work areas and departments (current appointments), within the dashboard's scope.
    None when the reader is not a leader with a person record."""
    if Role.LEADER not in user_roles(user) or not user.person_id:
        return None
    appointments = Appointment.objects.filter(person_id=user.person_id, end__isnull=True).prefetch_related(
        "areas", "departments"
    )
    rows: list[Row] = []
    seen: set[str] = set()
    for appointment in appointments:
        for area in appointment.areas.all():
            if area.name not in seen:
                seen.add(area.name)
                rows.append(Row(area.name, f"{area.name}（分管板块）", by_area.get(area.name, Tally()),
                                links.items(work_area=area.name), {"kind": "area"}))
        for department in appointment.departments.all():
            if department.code in seen or not department.path.startswith(org_map.org.path):
                continue
            seen.add(department.code)
            tally = Tally()
            for org_id, t in by_org.items():
                o = org_map.by_id.get(org_id)
                if o is not None and o.path.startswith(department.path):
                    tally.add(t)
            rows.append(Row(department.code, f"{department.name}（分管部门）", tally, links.items(org=department),
                            {"kind": "department"}))
    return rows
