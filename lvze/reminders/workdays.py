"""Working days: weekends plus the editable calendar of 调休 (holidays and adjusted working Saturdays)."""

from __future__ import annotations

from datetime import date, timedelta

from lvze.reminders.models import WorkdayOverride


def is_workday(day: date, overrides: dict[date, bool] | None = None) -> bool:
    overrides = overrides if overrides is not None else dict(WorkdayOverride.objects.values_list("date", "is_workday"))
    if day in overrides:
        return overrides[day]
    return day.weekday() < 5


def first_workday_of_month(year: int, month: int) -> date:
    overrides = dict(WorkdayOverride.objects.filter(date__year=year, date__month=month).values_list("date", "is_workday"))
    day = date(year, month, 1)
    while not is_workday(day, overrides):
        day += timedelta(days=1)
    return day
