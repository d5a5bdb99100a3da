"""Timeliness (正常 / 临期 / 逾期 / 按期办结 / 逾期办结 / 长期) as database conditions.

Each state is one exclusive condition, so lists filter by it with indexes and dashboards count it in
one query; the annotation is built from the same conditions. `as_of` is today, or a past period's end.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.utils import timezone

from lvze.duties.models import OPEN_STATUSES, Status, Timeliness


def done_by(as_of: date) -> Q:
    return Q(status=Status.DONE, done_on__lte=as_of)


def open_at(as_of: date) -> Q:
    """Still open at as_of: not done, or (for a past as_of) done only later. Written positively so that
    the (status, due_date, org_path) index serves it; nothing is done after today, so today's lists
    need only the status."""
    if as_of >= timezone.localdate():
        return Q(status__in=OPEN_STATUSES)
    return Q(status__in=OPEN_STATUSES) | Q(status=Status.DONE, done_on__gt=as_of)


def timeliness_conditions(as_of: date) -> dict[str, Q]:
    dated = Q(due_date__isnull=False)
    finished = dated & done_by(as_of)
    open_ = dated & open_at(as_of)
    return {
        Timeliness.LONG_TERM: Q(due_date__isnull=True),
        Timeliness.ON_TIME: finished & Q(done_on__lte=F("due_date")),
        Timeliness.LATE: finished & Q(done_on__gt=F("due_date")),
        Timeliness.OVERDUE: open_ & Q(due_date__lt=as_of),
        Timeliness.DUE_SOON: open_ & Q(due_date__gte=as_of, warn_from__lte=as_of),
        Timeliness.NORMAL: open_ & Q(warn_from__gt=as_of),
    }


def timeliness_q(value: str, as_of: date) -> Q:
    return timeliness_conditions(as_of)[value]


def with_timeliness(items: QuerySet, as_of: date) -> QuerySet:
    whens = [When(condition, then=Value(str(key))) for key, condition in timeliness_conditions(as_of).items()]
    return items.annotate(
        timeliness=Case(*whens, default=Value(Timeliness.NORMAL.value), output_field=CharField())
    )


def timeliness_counts(items: QuerySet, as_of: date) -> dict[str, int]:
    """All six counts in one aggregate query."""
    aggregates = {
        str(key): Count("id", filter=condition) for key, condition in timeliness_conditions(as_of).items()
    }
    return items.aggregate(**aggregates)


def on_time_rate(counts: dict[str, int], due_in_period: int) -> float | None:
    """按期办结率 = 按期办结 ÷ items due within the period."""
    if not due_in_period:
        return None
    return counts[Timeliness.ON_TIME] / due_in_period
