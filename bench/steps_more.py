"""More `make bench` steps: a 10,000-row 活动台账 import, and the higher level's consolidated view of
what its units submitted (上报).

Each step starts from a fresh copy of the dataset (`fresh_copy`) and prepares its data untimed through
the application's own services; only the import, or the page requests, are timed.
"""

from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta
from types import SimpleNamespace

REQUESTS = 100  # as run.py's page steps: the first is the cold one
IMPORT_FILENAME = "活动台账.xlsx"
ACTIVITY_YEAR_START = date(2024, 1, 1)
ACTIVITY_DAYS = 300  # activities fall within 2024-01-01 … 2024-10-26, before the dataset's "today"


# ------------------------------------------------------------------------------ activities import


def first_district_code() -> str:
    from lvze.orgs.models import Organization, OrgKind

    return Organization.objects.filter(kind=OrgKind.COMMITTEE, depth=2).order_by("code").first().code


def unit_branches(code: str) -> list:
    from lvze.orgs.models import Organization, OrgKind

    return list(Organization.objects.filter(kind=OrgKind.BRANCH, unit__code=code, active=True).order_by("code"))


def activity_ledger_row(n: int, branch) -> list:
    """One ledger line in the export's layout: 日期, 组织 (by code), 活动类型, 活动名称, counts, 金额, 板块, 亮点."""
    from decimal import Decimal

    from lvze.orgs.models import DEFAULT_WORK_AREAS
    from lvze.records.models import DEFAULT_ACTIVITY_TYPES

    kind = DEFAULT_ACTIVITY_TYPES[n % len(DEFAULT_ACTIVITY_TYPES)]
    return [
        ACTIVITY_YEAR_START + timedelta(days=n % ACTIVITY_DAYS),
        branch.code,
        kind,
        f"{kind}第{n + 1}次",
        5 + n % 16,
        n % 90,
        n % 6,
        Decimal(n % 5 * 100) if kind == "捐款" else None,
        DEFAULT_WORK_AREAS[n % len(DEFAULT_WORK_AREAS)],
        "把党的声音传到“最后一公里”" if n % 50 == 0 else "",
    ]


def activity_ledger(rows: int, branches: list) -> bytes:
    """The .xlsx the import reads, written by the ledger export's own writer and headers."""
    from lvze.records.ledgers import ACTIVITY_COLUMNS, ACTIVITY_EXPORT, write_ledger

    headers = [next(c.title for c in ACTIVITY_COLUMNS if c.key == key) for key in ACTIVITY_EXPORT]
    lines = (activity_ledger_row(n, branches[n % len(branches)]) for n in range(rows))
    return write_ledger("2024年活动台账", headers, list(lines))


def import_as_confirm_step(user, unit, data: bytes):
    """What the import page's confirm step does: the writable check, then parse, validate and write."""
    from lvze.records.import_views import allowed_check
    from lvze.records.ledgers import activities_import

    allowed = allowed_check(SimpleNamespace(user=user), "activities")
    return activities_import(actor=user, data=data, root=unit, filename=IMPORT_FILENAME, allowed=allowed)


def refuse_if_errors(plan) -> None:
    if plan.errors:
        shown = "; ".join(f"row {e.row} {e.column}: {e.message}" for e in plan.errors[:5])
        raise AssertionError(f"import refused with {len(plan.errors)} errors: {shown}")


def fresh_import_setup(code: str):
    """A fresh copy, the unit's 党务管理员 and the unit: the state the confirm step starts from."""
    from run import admin_for, fresh_copy

    from lvze.orgs.models import Organization

    fresh_copy()
    return admin_for(code), Organization.objects.get(code=code)


def step_import_activities(rows: int = 10_000, code: str = "") -> dict:
    """活动台账 import of `rows` lines spread over the branches of one unit (the first district by
    default), as that unit's 党务管理员: a 党务管理员 writes records of their own unit's organisations
    only, so an upper level cannot import its districts' branches. Timed: the confirm step (one
    transaction). Memory: tracemalloc on a repetition into another fresh copy, since tracing slows
    Python and the import is not repeatable on the same data (a second run only updates)."""
    from run import peak_mb, timed

    from lvze.records.models import Activity

    code = code or first_district_code()
    user, unit = fresh_import_setup(code)
    branches = unit_branches(code)
    data = activity_ledger(rows, branches)
    before = Activity.objects.count()
    plan, seconds = timed(lambda: import_as_confirm_step(user, unit, data))
    refuse_if_errors(plan)
    imported = Activity.objects.count() - before
    assert imported == rows, (imported, rows)
    user, unit = fresh_import_setup(code)
    memory = peak_mb(lambda: refuse_if_errors(import_as_confirm_step(user, unit, data)))
    return {
        "step": f"活动台账导入（{rows}行，{code}的{len(branches)}个支部）",
        "rows_imported": imported,
        "file_kb": round(len(data) / 1024),
        "seconds": round(seconds, 2),
        "peak_mb": memory,
        "target": "< 10 s，峰值内存 < 1 GB",
        "met": seconds < 10 and memory < 1024,
    }


# ------------------------------------------------------------------------------- consolidated view


def moment(day: date, hour: int = 10) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def require_summaries(unit, period) -> None:
    """The unit's shipped 上报要求 (工作总结 each half-year …) and their items for the period."""
    from lvze.upward.generation import submissions_generate
    from lvze.upward.services import requirements_install_defaults

    requirements_install_defaults(actor=None, unit=unit)
    submissions_generate(actor=None, period=period, scope=unit, required_by=unit)


def submit_summary(unit, period, end: date):
    """A summary draft generated, put to the unit's 党委会, adopted and sent up, with dates after the period."""
    from lvze.documents.services import draft_create
    from lvze.records.models import MeetingKind
    from lvze.records.services import meeting_record
    from lvze.upward import services

    meeting = meeting_record(
        actor=None, organization=unit, kind=MeetingKind.COMMITTEE_MEETING, held_on=end + timedelta(days=3),
        topic=f"审议{period.label()}工作总结",
    ).record
    draft = draft_create(actor=None, unit=unit, kind="summary", period=str(period), today=end + timedelta(days=1))
    review = services.review_submit(actor=None, draft=draft, at=moment(end + timedelta(days=2)))
    review = services.review_adopt(actor=None, review=review, meeting=meeting, at=moment(end + timedelta(days=3), 16))
    return services.submission_create(actor=None, review=review, at=moment(end + timedelta(days=8)))


def submit_from_subordinates(code: str, period_text: str, receiver) -> dict:
    """Every unit directly below `code` submits its summary; the higher level receives every other one."""
    from lvze.lib.periods import Period
    from lvze.orgs.models import Organization
    from lvze.upward.consolidated import subordinate_units
    from lvze.upward.services import submission_receive

    unit, period = Organization.objects.get(code=code), Period.parse(period_text)
    require_summaries(unit, period)
    submissions = [submit_summary(sub, period, period.end) for sub in subordinate_units(unit)]
    received = submissions[::2]
    for submission in received:
        submission_receive(actor=receiver, submission=submission, at=moment(period.end + timedelta(days=10)))
    return {"submitted": len(submissions), "received": len(received)}


def page_times(client, path: str, params: dict) -> tuple[list[float], int]:
    """Milliseconds of each of REQUESTS requests, and the queries of the last one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from run import timed

    times, queries = [], 0
    for _ in range(REQUESTS):
        with CaptureQueriesContext(connection) as captured:
            response, seconds = timed(lambda: client.get(path, params))
        assert response.status_code == 200, response.status_code
        times.append(seconds * 1000)
        queries = len(captured)
    return times, queries


def step_consolidated(code: str = "P", period: str = "2024H1") -> dict:
    """下级单位汇总 of `code` for a past half-year, after each unit directly below it submitted (上报) its
    工作总结 through the services (untimed): the page over REQUESTS requests as the unit's 党务管理员."""
    from django.test import Client
    from run import admin_for, fresh_copy, peak_mb

    fresh_copy()
    user = admin_for(code)
    submissions = submit_from_subordinates(code, period, user)
    client = Client()
    client.force_login(user)
    path, params = "/upward/overview/", {"org": code, "period": period}
    times, queries = page_times(client, path, params)
    p95 = statistics.quantiles(times, n=20)[18]
    return {
        "step": f"下级上报汇总（{code}，{period}）",
        **submissions,
        "first_ms": round(times[0], 1),
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "queries": queries,
        "peak_mb": peak_mb(lambda: client.get(path, params)),
        "target": "p95 < 300 ms",
        "met": p95 < 300,
    }
