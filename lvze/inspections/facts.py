"""Facts the platform computes itself for a checklist item, from the ledger and the records.

Each fact reads one target organisation (and its subtree) over the campaign's period, as of the
period's end — or as of today while the period is still running, so items not yet due never count
against a branch. A fact gives a share (0–1) the item is scored from, a sentence saying how it was
reached, and the counts behind it; None as the share means there is nothing to go on and the
inspector scores by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q

from lvze.duties.models import Source, Status, Timeliness, WorkItem
from lvze.duties.selectors import prefix_range_q
from lvze.duties.timeliness import timeliness_counts
from lvze.lib.periods import MONTHS_IN, Period
from lvze.orgs.models import Organization
from lvze.records.models import Meeting, MeetingKind, StudyRecord

SHARE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class FactResult:
    share: Decimal | None
    text: str
    data: dict = field(default_factory=dict)


def fact_as_of(period: Period, today: date) -> date:
    return min(period.end, today)


def contained_periods(period: Period) -> list[str]:
    """Every period code lying inside `period` (itself included): the periods of items it covers."""
    codes = []
    for kind in ("year", "half", "quarter", "month"):
        if MONTHS_IN[kind] <= MONTHS_IN[period.kind]:
            codes.extend(str(p) for p in period.subperiods(kind))
    return codes


def share(numerator: Decimal | int, denominator: int) -> Decimal:
    return (Decimal(numerator) / denominator).quantize(SHARE_PLACES, ROUND_HALF_UP)


def percent(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def timeliness_fact(org: Organization, period: Period, as_of: date) -> FactResult:
    """平台任务完成情况: the organisation's items due in the period (up to as_of), and how many were
    done on time — 按期办结率 as DESIGN.md defines it. Inspection self-checks are left out, so a
    campaign never scores itself."""
    items = WorkItem.objects.filter(
        prefix_range_q("org_path", org.path), due_date__gte=period.start, due_date__lte=as_of
    ).exclude(source=Source.INSPECTION)
    counts = timeliness_counts(items.order_by(), as_of)
    due = sum(counts.values())
    data = {
        "due": due,
        "on_time": counts[Timeliness.ON_TIME],
        "late": counts[Timeliness.LATE],
        "overdue": counts[Timeliness.OVERDUE],
        "as_of": as_of.isoformat(),
    }
    if not due:
        return FactResult(None, f"截至{as_of:%Y-%m-%d}期内没有到期事项", data)
    rate = share(counts[Timeliness.ON_TIME], due)
    text = (
        f"期内到期事项{due}项，按期办结{data['on_time']}项，逾期办结{data['late']}项，"
        f"逾期未办结{data['overdue']}项，按期办结率{percent(rate)}"
    )
    return FactResult(rate, text, data)


def meeting_kinds(param: str) -> list[str]:
    kinds = [k.strip() for k in param.replace("，", ",").split(",") if k.strip()]
    unknown = [k for k in kinds if k not in MeetingKind.values]
    if unknown:
        raise ValueError(f"未知的会议类型：{'、'.join(unknown)}")
    return kinds


def meetings_fact(org: Organization, period: Period, as_of: date, param: str) -> FactResult:
    """会议开展情况: the mandatory meetings of these kinds that fell due in the period (the rule pack's
    items), how many were held on time or late, and the meeting records behind them. A late meeting
    counts half."""
    kinds = meeting_kinds(param)
    codes = contained_periods(period)
    scope = prefix_range_q("org_path", org.path)
    fulfil = {f"meeting:{k}": k for k in kinds}
    done = Q(status=Status.DONE, done_on__lte=as_of)
    rows = (
        WorkItem.objects.filter(scope, fulfilled_by_kind__in=list(fulfil), period__in=codes, due_date__lte=as_of)
        .values("fulfilled_by_kind")
        .annotate(
            expected=Count("id"),
            on_time=Count("id", filter=done & Q(done_on__lte=F("due_date"))),
            late=Count("id", filter=done & Q(done_on__gt=F("due_date"))),
        )
        .order_by()
    )
    by_kind = {fulfil[r["fulfilled_by_kind"]]: r for r in rows}
    held = dict(
        Meeting.objects.filter(
            prefix_range_q("organization__path", org.path), kind__in=kinds, period__in=codes, held_on__lte=as_of
        )
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    parts, totals = [], {"expected": 0, "on_time": 0, "late": 0, "held": 0}
    for kind in kinds:
        row = by_kind.get(kind, {"expected": 0, "on_time": 0, "late": 0})
        count = held.get(kind, 0)
        label = MeetingKind(kind).label
        if row["expected"]:
            missing = row["expected"] - row["on_time"] - row["late"]
            parts.append(
                f"{label}应开展{row['expected']}次，按期{row['on_time']}次"
                + (f"，逾期{row['late']}次" if row["late"] else "")
                + (f"，未开展{missing}次" if missing else "")
            )
        elif count:
            parts.append(f"{label}开展{count}次")
        for key in ("expected", "on_time", "late"):
            totals[key] += row[key]
        totals["held"] += count
    data = {**totals, "as_of": as_of.isoformat(), "kinds": kinds}
    if totals["expected"]:
        value = share(Decimal(totals["on_time"]) + Decimal(totals["late"]) / 2, totals["expected"])
        text = "；".join(parts) + f"（会议记录{totals['held']}次，逾期开展按半数计）"
        return FactResult(value, text, data)
    if totals["held"]:
        return FactResult(Decimal("1"), "；".join(parts), data)
    labels = "、".join(MeetingKind(k).label for k in kinds)
    return FactResult(None, f"期内没有应开展的{labels}，也没有相应会议记录", data)


def study_fact(org: Organization, period: Period, as_of: date) -> FactResult:
    """政治学习笔记: months of the period (up to as_of) with at least one study record of the branch
    ("按月科学制定党支部政治学习计划"); the notebooks themselves the inspector checks by hand."""
    months = [m for m in period.months() if m.start <= as_of]
    dates = list(
        StudyRecord.objects.filter(
            prefix_range_q("organization__path", org.path), held_on__gte=period.start, held_on__lte=as_of
        ).values_list("held_on", flat=True)
    )
    covered = {(d.year, d.month) for d in dates}
    with_records = sum((m.year, m.index) in covered for m in months)
    data = {"months": len(months), "months_with_records": with_records, "records": len(dates)}
    if not months:
        return FactResult(None, "期间尚未开始", data)
    text = f"期内{len(months)}个月中有{with_records}个月登记了政治学习，共{len(dates)}次"
    return FactResult(share(with_records, len(months)), text, data)


def compute_fact(fact: str, param: str, org: Organization, period: Period, as_of: date) -> FactResult | None:
    if fact == "timeliness":
        return timeliness_fact(org, period, as_of)
    if fact == "meetings":
        return meetings_fact(org, period, as_of, param)
    if fact == "study":
        return study_fact(org, period, as_of)
    return None
