"""The higher level's consolidated view: its units side by side for a period, every figure from a
set-based query whose number does not grow with the number of units.

Each subordinate unit's figures cover its whole subtree; the 本级 row is the higher level's own part
(its subtree without the subordinate units'), so the rows add up to the whole subtree. A row is
chosen per record by one CASE over the units' path prefixes; the first match wins, subordinate units
before the higher level itself.

Figures:
- work-item timeliness of the items due within the period (plus the period's 长期 items), as of the
  period's end for a past period (DESIGN: timeliness), and 按期办结率 = 按期办结 ÷ items due within it;
- meetings held, by kind, counted by their 所属期间 inside the period;
- activities held within the period, with their participants, people covered (覆盖群众) and problems
  solved (exact sums; the summary rounds people counts by DESIGN's rule);
- required submissions of each subordinate unit to the higher level (source 上报) in the period, in
  their current state: they fall due after the period ends, so they are not taken as of its end.

- rectifications whose deadline (整改时限) falls within the period, by their current state (整改中,
  已退回, 申请销号, 验收通过, 已销号, as the 整改台账 reads them), counted where the responsible
  organisation sits, with those still unfinished past their deadline today.

`subtree_figures(root, period)` is the hook for the higher level's own summary (issue 8): the same
figures for a whole subtree combined, which the summary kind can phrase.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When

from lvze.duties.models import OPEN_STATUSES, Source, Status, Timeliness, WorkItem
from lvze.duties.selectors import prefix_range_q
from lvze.duties.timeliness import on_time_rate, timeliness_conditions, with_timeliness
from lvze.inspections.models import Rectification, RectificationState
from lvze.inspections.selectors import state_annotation, state_q
from lvze.lib.periods import MONTHS_IN, Period
from lvze.orgs.models import UNIT_KINDS, Organization
from lvze.records.models import Activity, Meeting, MeetingKind

TIMELINESS_SHOWN = [Timeliness.ON_TIME, Timeliness.LATE, Timeliness.OVERDUE, Timeliness.DUE_SOON, Timeliness.NORMAL]
SUBMISSION_FIGURES = {
    "required": ("应报", Q()),
    "received": ("已接收", Q(status=Status.DONE)),
    "awaiting": ("待接收", Q(status=Status.SUBMITTED)),
    "missing": ("未报", Q(status__in=[Status.TODO, Status.IN_PROGRESS, Status.RETURNED])),
}
ALL = "_all"


def as_of_for(period: Period, today: date) -> date:
    """A past period is judged as of its end; the current one as of today."""
    return min(today, period.end)


def period_codes(period: Period) -> list[str]:
    """The period and every shorter period inside it: a record's 所属期间 is one of these."""
    codes = [str(period)]
    for kind, months in MONTHS_IN.items():
        if months < MONTHS_IN[period.kind]:
            codes += [str(p) for p in period.subperiods(kind)]
    return codes


def in_period_q(period: Period) -> Q:
    """Items due within the period, and its 长期 items (no due date, reviewed each half-year)."""
    return Q(due_date__gte=period.start, due_date__lte=period.end) | Q(
        due_date__isnull=True, period__in=period_codes(period)
    )


def subordinate_units(unit: Organization) -> list[Organization]:
    """The active units directly below a unit (their parent belongs to it)."""
    return list(
        Organization.objects.filter(kind__in=UNIT_KINDS, active=True, parent__unit=unit).order_by("sort_order", "path")
    )


def row_case(rows: list[Organization], field_name: str) -> Case:
    whens = [When(prefix_range_q(field_name, org.path), then=Value(org.pk)) for org in rows]
    return Case(*whens, default=Value(None), output_field=IntegerField())


def within_q(rows: list[Organization], field_name: str) -> Q:
    condition = Q(pk__in=[])
    for org in rows:
        condition |= prefix_range_q(field_name, org.path)
    return condition


@dataclass
class Figures:
    org: Organization
    own: bool = False  # the 本级 row
    timeliness: dict[str, int] = field(default_factory=dict)
    due_in_period: int = 0
    long_term: int = 0
    meetings: dict[str, int] = field(default_factory=dict)
    submissions: dict[str, int] = field(default_factory=dict)
    overdue_submissions: int = 0
    activities: dict[str, int] = field(default_factory=dict)
    rectifications: dict[str, int] = field(default_factory=dict)

    @property
    def on_time_rate(self) -> float | None:
        return on_time_rate({Timeliness.ON_TIME: self.timeliness.get(Timeliness.ON_TIME, 0)}, self.due_in_period)

    @property
    def rate_text(self) -> str:
        rate = self.on_time_rate
        return "—" if rate is None else f"{rate * 100:.1f}%"

    @property
    def meetings_total(self) -> int:
        return sum(self.meetings.values())

    def add(self, other: Figures) -> None:
        for key, value in other.timeliness.items():
            self.timeliness[key] = self.timeliness.get(key, 0) + value
        for key, value in other.meetings.items():
            self.meetings[key] = self.meetings.get(key, 0) + value
        for key, value in other.submissions.items():
            self.submissions[key] = self.submissions.get(key, 0) + value
        for key, value in other.activities.items():
            self.activities[key] = self.activities.get(key, 0) + value
        for key, value in other.rectifications.items():
            self.rectifications[key] = self.rectifications.get(key, 0) + value
        self.due_in_period += other.due_in_period
        self.long_term += other.long_term
        self.overdue_submissions += other.overdue_submissions


def item_figures(rows: list[Organization], period: Period, as_of: date) -> dict[int, dict[str, int]]:
    """Timeliness counts per row, in one grouped query."""
    conditions = timeliness_conditions(as_of)
    aggregates = {str(key): Count("id", filter=conditions[key]) for key in TIMELINESS_SHOWN}
    aggregates["due"] = Count("id", filter=Q(due_date__isnull=False))
    aggregates["long_term"] = Count("id", filter=conditions[Timeliness.LONG_TERM])
    grouped = (
        WorkItem.objects.filter(within_q(rows, "org_path"), in_period_q(period))
        .annotate(row=row_case(rows, "org_path"))
        .values("row")
        .annotate(**aggregates)
        .order_by()
    )
    return {entry.pop("row"): entry for entry in grouped}


def meeting_figures(rows: list[Organization], period: Period) -> dict[int, dict[str, int]]:
    grouped = (
        Meeting.objects.filter(within_q(rows, "organization__path"), period__in=period_codes(period))
        .annotate(row=row_case(rows, "organization__path"))
        .values("row", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: dict[int, dict[str, int]] = {}
    for entry in grouped:
        result.setdefault(entry["row"], {})[entry["kind"]] = entry["n"]
    return result


ACTIVITY_FIGURES = {"count": "活动次数", "participants": "参与人次", "covered": "覆盖群众", "problems": "解决问题"}


def activities_in(period: Period) -> Q:
    return Q(held_on__gte=period.start, held_on__lte=period.end)


def activity_figures(rows: list[Organization], period: Period) -> dict[int, dict[str, int]]:
    grouped = (
        Activity.objects.filter(within_q(rows, "organization__path"), activities_in(period))
        .annotate(row=row_case(rows, "organization__path"))
        .values("row")
        .annotate(
            count=Count("id"),
            participants=Sum("participant_count"),
            covered=Sum("people_covered"),
            problems=Sum("problems_solved"),
        )
        .order_by()
    )
    return {entry.pop("row"): {key: value or 0 for key, value in entry.items()} for entry in grouped}


RECTIFICATION_FIGURES = {"total": "整改总数", **{str(k): str(v) for k, v in RectificationState.choices}, "overdue": "其中逾期未完成"}


def rectifications_in(period: Period) -> Q:
    return Q(deadline__gte=period.start, deadline__lte=period.end)


def rectification_overdue_q(today: date) -> Q:
    return ~Q(work_item__status=Status.DONE) & Q(deadline__lt=today)


def rectification_figures(rows: list[Organization], period: Period, today: date) -> dict[int, dict[str, int]]:
    aggregates = {str(state): Count("id", filter=state_q(state)) for state in RectificationState}
    aggregates["total"] = Count("id")
    aggregates["overdue"] = Count("id", filter=rectification_overdue_q(today))
    grouped = (
        Rectification.objects.filter(within_q(rows, "responsible_org__path"), rectifications_in(period))
        .annotate(row=row_case(rows, "responsible_org__path"))
        .values("row")
        .annotate(**aggregates)
        .order_by()
    )
    return {entry.pop("row"): entry for entry in grouped}


def submission_items(units: list[Organization], period: Period) -> QuerySet[WorkItem]:
    return WorkItem.objects.filter(
        source=Source.SUBMISSION, organization_id__in=[u.pk for u in units], period__in=period_codes(period)
    )


def submission_figures(units: list[Organization], period: Period, today: date) -> dict[int, dict[str, int]]:
    aggregates = {key: Count("id", filter=condition) for key, (_label, condition) in SUBMISSION_FIGURES.items()}
    aggregates["overdue"] = Count("id", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today))
    grouped = submission_items(units, period).values("organization_id").annotate(**aggregates).order_by()
    return {entry.pop("organization_id"): entry for entry in grouped}


def fill(
    figures: Figures,
    items: dict | None,
    meetings: dict | None,
    submissions: dict | None,
    activities: dict | None,
    rectifications: dict | None,
) -> Figures:
    items = items or {}
    figures.activities = {key: (activities or {}).get(key, 0) for key in ACTIVITY_FIGURES}
    figures.rectifications = {key: (rectifications or {}).get(key, 0) for key in RECTIFICATION_FIGURES}
    figures.timeliness = {str(key): items.get(str(key), 0) for key in TIMELINESS_SHOWN}
    figures.due_in_period = items.get("due", 0)
    figures.long_term = items.get("long_term", 0)
    figures.meetings = dict(meetings or {})
    if submissions is not None or not figures.own:
        submissions = submissions or {}
        figures.submissions = {key: submissions.get(key, 0) for key in SUBMISSION_FIGURES}
        figures.overdue_submissions = submissions.get("overdue", 0)
    return figures


@dataclass
class Consolidated:
    unit: Organization
    period: Period
    as_of: date
    rows: list[Figures]
    total: Figures

    @property
    def meeting_kinds(self) -> list[tuple[str, str]]:
        """Every meeting kind held by any row, in the kinds' own order."""
        held = set(self.total.meetings)
        return [(key, label) for key, label in MeetingKind.choices if key in held]

    @property
    def subordinates(self) -> list[Figures]:
        return [row for row in self.rows if not row.own]


def consolidated(unit: Organization, period: Period, today: date) -> Consolidated:
    """The subordinate units of `unit` side by side, its 本级 part, and the whole subtree's total."""
    subs = subordinate_units(unit)
    rows = [*subs, unit]  # the CASE takes the first match: subordinate subtrees before the rest
    as_of = as_of_for(period, today)
    items = item_figures(rows, period, as_of)
    meetings = meeting_figures(rows, period)
    activities = activity_figures(rows, period)
    rectifications = rectification_figures(rows, period, today)
    submissions = submission_figures(subs, period, today)
    figures = [
        fill(
            Figures(org), items.get(org.pk), meetings.get(org.pk), submissions.get(org.pk), activities.get(org.pk),
            rectifications.get(org.pk),
        )
        for org in subs
    ]
    figures.append(
        fill(
            Figures(unit, own=True), items.get(unit.pk), meetings.get(unit.pk), None, activities.get(unit.pk),
            rectifications.get(unit.pk),
        )
    )
    total = Figures(unit)
    for row in figures:
        total.add(row)
    return Consolidated(unit=unit, period=period, as_of=as_of, rows=figures, total=total)


def subtree_figures(root: Organization, period: Period, today: date) -> Figures:
    """Hook for the summary kind (issue 8): the figures of `root`'s whole subtree combined, as the
    consolidated view's total shows them — timeliness (as of the period's end for a past period),
    按期办结率, meetings by kind, activities with people covered, rectifications by state, and the
    submissions of the units directly below `root`."""
    return consolidated(root, period, today).total


# --- the rows behind a figure --------------------------------------------------------------


def row_scope_q(higher: Organization, row: str, field_name: str) -> Q:
    """The records of one row: a subordinate unit's subtree, the 本级 part, or the whole subtree."""
    if row == ALL:
        return prefix_range_q(field_name, higher.path)
    if row == higher.code:
        others = within_q(subordinate_units(higher), field_name)
        return prefix_range_q(field_name, higher.path) & ~others
    unit = next((u for u in subordinate_units(higher) if u.code == row), None)
    if unit is None:
        return Q(pk__in=[])
    return prefix_range_q(field_name, unit.path)


def figure_items(higher: Organization, row: str, period: Period, today: date, figure: str) -> QuerySet[WorkItem]:
    """Items behind a timeliness figure (a Timeliness value, "due" or "all") or a submission figure
    ("submission:<key>" or "submission:overdue")."""
    if figure.startswith("submission:"):
        key = figure.split(":", 1)[1]
        subs = subordinate_units(higher)
        units = subs if row == ALL else [u for u in subs if u.code == row]  # 本级 submits nothing to itself
        items = submission_items(units, period)
        if key == "overdue":
            items = items.filter(status__in=OPEN_STATUSES, due_date__lt=today)
        elif key in SUBMISSION_FIGURES:
            items = items.filter(SUBMISSION_FIGURES[key][1])
        else:
            items = items.none()
        return with_timeliness(items, today).select_related("organization")
    as_of = as_of_for(period, today)
    items = WorkItem.objects.filter(row_scope_q(higher, row, "org_path"), in_period_q(period))
    if figure == "due":
        items = items.filter(due_date__isnull=False)
    elif figure in Timeliness.values:
        items = items.filter(timeliness_conditions(as_of)[Timeliness(figure)])
    elif figure != "all":
        items = items.none()
    return with_timeliness(items, as_of).select_related("organization", "responsible_person")


def figure_meetings(higher: Organization, row: str, period: Period, kind: str = "") -> QuerySet[Meeting]:
    meetings = Meeting.objects.filter(row_scope_q(higher, row, "organization__path"), period__in=period_codes(period))
    if kind:
        meetings = meetings.filter(kind=kind)
    return meetings.select_related("organization").order_by("-held_on", "-id")


def figure_activities(higher: Organization, row: str, period: Period) -> QuerySet[Activity]:
    activities = Activity.objects.filter(row_scope_q(higher, row, "organization__path"), activities_in(period))
    return activities.select_related("organization", "activity_type").order_by("-held_on", "-id")


def figure_rectifications(higher: Organization, row: str, period: Period, today: date, figure: str) -> QuerySet:
    rects = Rectification.objects.filter(row_scope_q(higher, row, "responsible_org__path"), rectifications_in(period))
    if figure == "overdue":
        rects = rects.filter(rectification_overdue_q(today))
    elif figure in RectificationState.values:
        rects = rects.filter(state_q(figure))
    elif figure != "total":
        rects = rects.none()
    return rects.annotate(state=state_annotation()).select_related("responsible_org", "work_item").order_by("deadline", "id")
