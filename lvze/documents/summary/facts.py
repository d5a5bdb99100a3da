"""Facts: the counted sentences of the 工作总结, and the one list of functions that produce them.

A fact provider reads one source (activities, meetings, honours, the ledger …) for the unit's subtree
and the period, and returns `Fact`s: one sentence each, phrased by the unit's templates, with the
records and figures it came from. The summary groups the facts by work area (its （一）…（六）
sections) and by theme (its "一是…二是…" items). A source with no records in the period returns
nothing, so the summary never mentions a kind of record that did not happen.

Adding a source is one function and one decorator, e.g. in a later app:

    from lvze.documents.summary.facts import Fact, fact_provider, register_theme

    register_theme("rectification", "党建质量", "坚持问题导向，抓好整改落实", label="整改")

    @fact_provider
    def rectification_facts(scope):
        ...
        return [Fact("rectification", scope.text("fact.rectification", 项数=n), area=..., sources=[...])]

Facts of an existing theme join its item (an inspection's "下发通报" sentence can join "meetings",
the seed's 规范支部建设); a new theme gets its own item, placed after the built-in ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from lvze.documents.summary import templates as t
from lvze.duties.selectors import prefix_range_q
from lvze.lib.periods import Period
from lvze.orgs.models import DEFAULT_WORK_AREAS, Organization, WorkArea
from lvze.records.models import ActivityType


@dataclass
class Fact:
    """One sentence of the summary (without its final 。) and what it was built from."""

    theme: str
    text: str
    area: str = ""  # a work area of the unit; resolved by the provider through `scope.area`
    sources: list[dict] = field(default_factory=list)
    highlights: list[str] = field(default_factory=list)  # records' 亮点, appended after the sentence
    order: int = 50  # place among the facts of one item (the seed ends 规范支部建设 with the timeliness)


FactProvider = Callable[["SummaryScope"], Iterable[Fact]]
FACT_PROVIDERS: list[FactProvider] = []


def fact_provider(function: FactProvider) -> FactProvider:
    """Register a source of facts; providers run in registration order."""
    if function not in FACT_PROVIDERS:
        FACT_PROVIDERS.append(function)
    return function


@dataclass(frozen=True)
class Theme:
    key: str
    default_area: str  # where its facts go when a record names no (known) work area
    label: str


# The items of a section, in order. "activities" stands for one item per activity type, in the
# unit's order of types; each such item's theme is "activity:<type>".
THEMES: list[Theme] = [
    Theme("activities", "精神文明", "活动"),
    Theme("study", "学习宣传", "学习"),
    Theme("life", "从严治党", "民主（组织）生活会"),
    Theme("meetings", "党建质量", "组织生活与规范化建设"),
    Theme("talks", "从严治党", "谈心谈话"),
    Theme("registries", "党建质量", "品牌与共建"),
    Theme("consultation", "综合监督", "会商"),
    Theme("honours", "精神文明", "荣誉"),
    Theme("deployment", "从严治党", "党委部署与重点任务"),
]
ACTIVITY_AREAS = {"宣讲": "学习宣传", "特色活动": "学习宣传", "联建共建": "党建质量", "比赛": "意识形态"}


def register_theme(key: str, default_area: str, lead: str = "", *, label: str = "", before: str = "") -> Theme:
    """A theme for a new source of facts, with its default item lead (a unit can change it); its item
    comes after the built-in ones, or just before the theme `before`."""
    theme = Theme(key, default_area, label or key)
    themes = [existing for existing in THEMES if existing.key != key]
    keys = [existing.key for existing in themes]
    position = keys.index(before) if before in keys else len(themes)
    THEMES[:] = [*themes[:position], theme, *themes[position:]]
    t.ITEM_LEADS.setdefault(key, lead)
    return theme


def item_themes() -> list[tuple[str, str]]:
    """The themes whose item leads a unit can change (activity types are listed by the unit's types)."""
    return [(th.key, th.label) for th in THEMES if th.key != "activities"]


def theme_default_area(theme: str) -> str:
    if theme.startswith("activity:"):
        return ACTIVITY_AREAS.get(theme.removeprefix("activity:"), "精神文明")
    return next((th.default_area for th in THEMES if th.key == theme), "")


def theme_rank(theme: str, activity_types: list[str]) -> tuple[int, int]:
    keys = [th.key for th in THEMES]
    if theme.startswith("activity:"):
        name = theme.removeprefix("activity:")
        order = activity_types.index(name) if name in activity_types else len(activity_types)
        return keys.index("activities"), order
    return (keys.index(theme) if theme in keys else len(keys)), 0


# --- the scope of one summary ---------------------------------------------------------------

HALF_WORDS = {1: "上半年", 2: "下半年"}
FOLLOWING_WORDS = {1: "下半年", 2: "下一步", "year": "下一年度"}  # 二、{下期}工作谋划


def summary_period(text: str, today: date) -> Period:
    """A half-year or a year; no period means the half-year containing today."""
    period = Period.parse(text) if text else Period.of_date(today, "half")
    if period.kind not in ("half", "year"):
        raise ValueError(f"工作总结按半年或全年生成，请选择如 2023H1、2023H2 或 2023 的期间（而非 {period.label()}）")
    return period


def period_words(period: Period) -> dict[str, str]:
    half = HALF_WORDS[period.index] if period.kind == "half" else "全年"
    this = HALF_WORDS[period.index] if period.kind == "half" else "今年"
    following = FOLLOWING_WORDS["year" if period.kind == "year" else period.index]
    return {"年": str(period.year), "半年": half, "期间": period.label(), "本期": this, "下期": following}


class Templates:
    """A unit's templates: its own changes, else the nearest higher unit's, else the defaults."""

    def __init__(self, unit: Organization, *, inherited_only: bool = False):
        from lvze.documents.models import SummaryTemplate

        codes = [code for code in unit.path.split("/") if code]
        if inherited_only:  # what the unit would use without its own changes
            codes = [code for code in codes if code != unit.code]
        rows = (
            SummaryTemplate.objects.filter(unit__code__in=codes)
            .order_by("unit__depth")
            .values_list("key", "text", "unit__code")
        )
        self.changed: dict[str, str] = {}
        self.owner: dict[str, str] = {}
        for key, text, code in rows:  # deeper units come later and win
            self.changed[key] = text
            self.owner[key] = code

    def __getitem__(self, key: str) -> str:
        return self.changed.get(key, t.default_for(key))


def unit_areas(unit: Organization) -> list[str]:
    names = list(WorkArea.objects.filter(unit_id=unit.unit_id or unit.pk).values_list("name", flat=True))
    return names or list(DEFAULT_WORK_AREAS)


def unit_activity_types(unit: Organization) -> list[str]:
    return list(ActivityType.objects.filter(unit_id=unit.unit_id or unit.pk).values_list("name", flat=True))


@dataclass
class SummaryScope:
    """Everything the providers share for one summary: the unit's subtree, the period and its phrasing."""

    unit: Organization
    period: Period
    today: date
    areas: list[str]
    activity_types: list[str]
    templates: Templates
    _memo: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, unit: Organization, period: Period, today: date) -> SummaryScope:
        return cls(
            unit=unit,
            period=period,
            today=today,
            areas=unit_areas(unit),
            activity_types=unit_activity_types(unit),
            templates=Templates(unit),
        )

    @property
    def start(self) -> date:
        return self.period.start

    @property
    def end(self) -> date:
        return self.period.end

    @property
    def as_of(self) -> date:
        """Timeliness is taken as of the period's end, or today while the period is still running."""
        return min(self.today, self.period.end)

    @property
    def short_name(self) -> str:
        return self.unit.short_name or self.unit.name

    def once(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # phrasing

    def words(self) -> dict[str, str]:
        return {**period_words(self.period), "单位": self.unit.name, "单位简称": self.short_name}

    def text(self, key: str, **values: object) -> str:
        return t.fill(self.templates[key], {**self.words(), **{k: v for k, v in values.items()}})

    # where a fact goes

    def area(self, recorded: str, theme: str) -> str:
        """The section for a record: its own work area if the unit has it, else the theme's default."""
        if recorded in self.areas:
            return recorded
        default = theme_default_area(theme)
        return default if default in self.areas else self.areas[0]

    # queries

    def subtree(self, field: str = "organization__path") -> Q:
        return prefix_range_q(field, self.unit.path)

    def dates(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.end})

    def moments(self, field: str) -> Q:
        """A datetime field within the period, in the deployment's time zone."""
        start = timezone.make_aware(datetime.combine(self.start, time.min))
        end = timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))
        return Q(**{f"{field}__gte": start, f"{field}__lt": end})

    def period_codes(self) -> list[str]:
        """Every period code inside the summary's period (a record or plan of 2023-05 is in 2023H1)."""
        codes = [str(self.period)]
        for kind in ("half", "quarter", "month"):
            if kind != self.period.kind:
                codes += [str(p) for p in self.period.subperiods(kind)] if kind_fits(kind, self.period) else []
        return codes

    def url(self, name: str, *args: object, **params: object) -> str:
        query = {k: v for k, v in params.items() if v not in (None, "")}
        return reverse(name, args=args) + (f"?{urlencode(query)}" if query else "")

    def date_params(self) -> dict[str, str]:
        return {"org": self.unit.code, "start": self.start.isoformat(), "end": self.end.isoformat()}


def kind_fits(kind: str, period: Period) -> bool:
    from lvze.lib.periods import MONTHS_IN

    return MONTHS_IN[kind] <= MONTHS_IN[period.kind]


# --- small formatting helpers the providers share --------------------------------------------


def join_and(parts: list[str]) -> str:
    """A、B和C — the way a summary lists two or more things."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return "、".join(parts[:-1]) + "和" + parts[-1]


def quoted(name: str) -> str:
    """“name”, with quotation marks inside it turned into single ones (“税企党建‘1+1’…”)."""
    inner = name.strip().strip("“”\"").replace("“", "‘").replace("”", "’")
    return f"“{inner}”"


def amount_text(value: Decimal | None) -> str:
    if not value:
        return ""
    value = Decimal(value)
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


def listed(names: list[str], limit: int = 3) -> str:
    """Up to `limit` names joined with 、 (the caller says 等 when there are more)."""
    return "、".join(names[:limit])
