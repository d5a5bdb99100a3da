"""Scoring arithmetic, free of the database: an item's earned share, a target's total, the ranking,
and the grade of a 述职评议 from its votes.

Each item earns a share (0–1) of its weight: 合格 1 and 不合格 0; points over the item's full marks;
好 1, 较好 0.8, 一般 0.6, 差 0. A target's total is the weighted share on a 100-point scale, so
weights need not add up to 100.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

GRADE_SHARE = {"good": Decimal("1"), "fair": Decimal("0.8"), "average": Decimal("0.6"), "poor": Decimal("0")}
GRADE_LABELS = {"good": "好", "fair": "较好", "average": "一般", "poor": "差"}
# A computed share suggests a grade: at least 95 % 好, 80 % 较好, 60 % 一般, else 差.
GRADE_FLOORS = (("good", Decimal("0.95")), ("fair", Decimal("0.8")), ("average", Decimal("0.6")))
ONE = Decimal("1")
SHARE_PLACES = Decimal("0.0001")
SCORE_PLACES = Decimal("0.1")


def quantize_share(value: Decimal) -> Decimal:
    return min(max(value, Decimal("0")), ONE).quantize(SHARE_PLACES, ROUND_HALF_UP)


def share_of(scoring: str, *, passed: bool | None, points: Decimal | None, grade: str, max_points: Decimal) -> Decimal:
    """The earned share of an entered score; raises ValueError naming what is missing or wrong."""
    if scoring == "pass_fail":
        if passed is None:
            raise ValueError("请选择合格或不合格")
        return ONE if passed else Decimal("0")
    if scoring == "points":
        if points is None:
            raise ValueError("请填写得分")
        if points < 0 or points > max_points:
            raise ValueError(f"得分应在 0 至 {max_points} 之间")
        return quantize_share(points / max_points) if max_points else Decimal("0")
    if grade not in GRADE_SHARE:
        raise ValueError("请选择等次")
    return GRADE_SHARE[grade]


@dataclass(frozen=True)
class Suggested:
    """A computed share written as the score an inspector would enter for the item's scoring."""

    passed: bool | None
    points: Decimal | None
    grade: str


def suggested_entry(scoring: str, share: Decimal, max_points: Decimal) -> Suggested:
    if scoring == "pass_fail":
        return Suggested(share >= ONE, None, "")
    if scoring == "points":
        return Suggested(None, (share * max_points).quantize(SCORE_PLACES, ROUND_HALF_UP), "")
    grade = next((g for g, floor in GRADE_FLOORS if share >= floor), "poor")
    return Suggested(None, None, grade)


def entry_share(scoring: str, entry: Suggested, max_points: Decimal) -> Decimal:
    return share_of(scoring, passed=entry.passed, points=entry.points, grade=entry.grade, max_points=max_points)


def total_score(parts: Iterable[tuple[Decimal | None, Decimal]]) -> Decimal | None:
    """Σ share × weight ÷ Σ weight × 100 over (share, weight); an unscored share counts as 0.
    None when nothing is scored yet."""
    parts = list(parts)
    if not parts or all(share is None for share, _ in parts):
        return None
    weights = sum((weight for _, weight in parts), Decimal("0"))
    if not weights:
        return None
    earned = sum(((share or Decimal("0")) * weight for share, weight in parts), Decimal("0"))
    return (earned / weights * 100).quantize(SCORE_PLACES, ROUND_HALF_UP)


def competition_ranks(scores: Sequence[Decimal | None]) -> list[int | None]:
    """1, 1, 3 ranking ("standard competition"); unscored entries get no rank."""
    ordered = sorted((s for s in scores if s is not None), reverse=True)
    first_place = {}
    for place, score in enumerate(ordered, start=1):
        first_place.setdefault(score, place)
    return [first_place[s] if s is not None else None for s in scores]


def boards(scores: Sequence[Decimal | None], size: int) -> list[str]:
    """红榜 for the top `size` places, 黑榜 for the bottom `size`. Equal scores are treated alike, so a
    tie at the boundary joins the board together; nobody is on a board when all scores are equal."""
    valid = [s for s in scores if s is not None]
    result = ["" for _ in scores]
    if size <= 0 or len(valid) < 2:
        return result
    size = min(size, len(valid) // 2)
    best, worst = max(valid), min(valid)
    for i, score in enumerate(scores):
        if score is None or best == worst:
            continue
        if sum(v > score for v in valid) < size:
            result[i] = "red"
        elif sum(v < score for v in valid) < size:
            result[i] = "black"
    return result


def evaluation_grade(good: int, fair: int, average: int, poor: int) -> tuple[str, Decimal | None]:
    """The grade and score of a 述职评议 from the attendees' votes.

    好: at least two thirds vote 好; 较好: 好 and 较好 together at least two thirds; 差: more than a
    third vote 差; otherwise 一般. The score is the votes' mean on 100/80/60/0.
    """
    total = good + fair + average + poor
    if total == 0:
        return "", None
    score = (Decimal(good * 100 + fair * 80 + average * 60) / total).quantize(SCORE_PLACES, ROUND_HALF_UP)
    if good * 3 >= total * 2:
        return "good", score
    if (good + fair) * 3 >= total * 2:
        return "fair", score
    if poor * 3 > total:
        return "poor", score
    return "average", score
