"""Reporting periods as values: "2023", "2023H1", "2023Q2", "2023-05".

Work items, records and reports are all keyed by a period, and a record fulfils an item whose
period *contains* the record's own period (a May meeting fulfils Q2's quarterly item). Keeping
periods as small immutable values with one canonical string form lets them be stored as text,
compared, and iterated without any calendar arithmetic spread through the apps.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import total_ordering
from typing import Literal

from lvze.lib.cn import cn_number

Kind = Literal["year", "half", "quarter", "month"]

MONTHS_IN: dict[str, int] = {"year": 12, "half": 6, "quarter": 3, "month": 1}
KIND_LABELS: dict[str, str] = {"year": "年度", "half": "半年", "quarter": "季度", "month": "月度"}

_PATTERN = re.compile(r"(?P<year>\d{4})(?:(?P<half>[Hh][12])|(?P<quarter>[Qq][1-4])|-(?P<month>\d{1,2}))?")
_MIN_YEAR, _MAX_YEAR = 1900, 9999


@total_ordering
@dataclass(frozen=True)
class Period:
    """One calendar period; `index` is 1 for a year, 1–2 for a half, 1–4 for a quarter, 1–12 for a month.

    Ordering is chronological by start date; among periods starting on the same day the longer
    one comes first (2023 < 2023H1 < 2023Q1 < 2023-01), so a sorted list reads like an outline.
    """

    kind: Kind
    year: int
    index: int = 1

    def __post_init__(self) -> None:
        if self.kind not in MONTHS_IN:
            raise ValueError(f"未知的期间类型：{self.kind!r}（应为 year、half、quarter 或 month）")
        if not _MIN_YEAR <= self.year <= _MAX_YEAR:
            raise ValueError(f"年份超出范围：{self.year}")
        if not 1 <= self.index <= 12 // MONTHS_IN[self.kind]:
            raise ValueError(f"期间序号超出范围：{self.kind} {self.index}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read a period code; the error names the bad value so an import can report it as is."""
        match = _PATTERN.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"无法识别的期间：{text!r}（应为 2023、2023H1、2023Q2 或 2023-05 等格式）")
        year = int(match["year"])
        try:
            if match["half"]:
                return cls("half", year, int(match["half"][1]))
            if match["quarter"]:
                return cls("quarter", year, int(match["quarter"][1]))
            if match["month"]:
                return cls("month", year, int(match["month"]))
            return cls("year", year)
        except ValueError as error:
            raise ValueError(f"无法识别的期间：{text!r}（{error}）") from None

    @classmethod
    def of_date(cls, d: datetime.date, kind: Kind) -> Period:
        """The period of the given kind that contains a date (a record's default 所属期间)."""
        if kind not in MONTHS_IN:
            raise ValueError(f"未知的期间类型：{kind!r}（应为 year、half、quarter 或 month）")
        return cls(kind, d.year, (d.month - 1) // MONTHS_IN[kind] + 1)

    def __str__(self) -> str:
        if self.kind == "year":
            return f"{self.year}"
        if self.kind == "half":
            return f"{self.year}H{self.index}"
        if self.kind == "quarter":
            return f"{self.year}Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    def _sort_key(self) -> tuple[datetime.date, int]:
        return (self.start, -MONTHS_IN[self.kind])

    @property
    def first_month(self) -> int:
        """Calendar month (1–12) in which the period begins."""
        return (self.index - 1) * MONTHS_IN[self.kind] + 1

    @property
    def last_month(self) -> int:
        """Calendar month (1–12) in which the period ends."""
        return self.first_month + MONTHS_IN[self.kind] - 1

    @property
    def start(self) -> datetime.date:
        """First day of the period."""
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        """Last day of the period, inclusive: deadlines are "by the end of", never "before"."""
        last_day = calendar.monthrange(self.year, self.last_month)[1]
        return datetime.date(self.year, self.last_month, last_day)

    def label(self) -> str:
        """How the period is written in a document title or a page: 2023年第二季度."""
        if self.kind == "year":
            return f"{self.year}年"
        if self.kind == "half":
            return f"{self.year}年{'上' if self.index == 1 else '下'}半年"
        if self.kind == "quarter":
            return f"{self.year}年第{cn_number(self.index)}季度"
        return f"{self.year}年{self.index}月"

    def contains(self, other: Period) -> bool:
        """True when `other` lies wholly inside this period (a period contains itself)."""
        return self.start <= other.start and other.end <= self.end

    def contains_date(self, d: datetime.date) -> bool:
        """True when the date falls in the period, both ends included."""
        return self.start <= d <= self.end

    def subperiods(self, kind: Kind) -> Iterator[Period]:
        """The periods of a shorter (or equal) kind that make up this one, in order."""
        if MONTHS_IN.get(kind, 13) > MONTHS_IN[self.kind]:
            raise ValueError(f"{self.label()}不能按{KIND_LABELS.get(kind, kind)}划分")
        step = MONTHS_IN[kind]
        for month in range(self.first_month, self.last_month + 1, step):
            yield Period(kind, self.year, (month - 1) // step + 1)

    def months(self) -> Iterator[Period]:
        """The months of the period (monthly obligations are generated per month)."""
        return self.subperiods("month")

    def quarters(self) -> Iterator[Period]:
        """The quarters of a half-year or year (季检查)."""
        return self.subperiods("quarter")

    def halves(self) -> Iterator[Period]:
        """The two halves of a year (half-year summaries)."""
        return self.subperiods("half")

    def nested(self) -> list[Period]:
        """This period and every shorter one inside it (2023Q2 → 2023Q2, 2023-04, 2023-05, 2023-06), longest
        first: a record's 所属期间 lies within this period exactly when it is one of them, so a query asks
        `period IN (…)` of a handful of codes."""
        return [p for kind in MONTHS_IN if MONTHS_IN[kind] <= MONTHS_IN[self.kind] for p in self.subperiods(kind)]

    def enclosing(self, kind: Kind) -> Period:
        """The period of a longer (or equal) kind that contains this one (2023-05 → 2023Q2)."""
        if MONTHS_IN.get(kind, 0) < MONTHS_IN[self.kind]:
            raise ValueError(f"{self.label()}不属于单个{KIND_LABELS.get(kind, kind)}期间")
        return Period.of_date(self.start, kind)

    def next(self) -> Period:
        """The following period of the same kind (2023Q4 → 2024Q1), e.g. for 下半年工作谋划."""
        return self.shifted(1)

    def previous(self) -> Period:
        """The preceding period of the same kind (2023-01 → 2022-12)."""
        return self.shifted(-1)

    def shifted(self, steps: int) -> Period:
        """The period `steps` periods of the same kind later (negative: earlier)."""
        per_year = 12 // MONTHS_IN[self.kind]
        year, zero_based = divmod(self.year * per_year + self.index - 1 + steps, per_year)
        return Period(self.kind, year, zero_based + 1)


def period_for(kind: Kind, d: datetime.date) -> Period:
    """Shorthand for `Period.of_date(d, kind)`, read as "the quarter for this date"."""
    return Period.of_date(d, kind)


def periods_between(first: Period, last: Period) -> Iterator[Period]:
    """Every period from `first` to `last` inclusive; both must be of the same kind."""
    if first.kind != last.kind:
        raise ValueError(f"期间类型不一致：{first} 与 {last}")
    current = first
    while current <= last:
        yield current
        current = current.next()
