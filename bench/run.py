"""`make bench`: build (once) the province dataset, then measure the targets cold and print a table.

Each step starts from a fresh copy of the built database, so nothing measured is warmed by an earlier
step; the design has no application cache. "Today" is frozen at the dataset's date. Memory is the peak
of Python allocations (tracemalloc) on a separate, untimed repetition, since tracing slows Python.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import datetime
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent
VAR = ROOT / "var"
SCALE = os.environ.get("LVZE_BENCH_SCALE", "province")
BUILT = VAR / f"{SCALE}.sqlite3"
RUN_DIR = VAR / "run"
# Page steps make 100 requests: the first (reported as first_ms) is the cold one — a fresh database copy and,
# where the figures cache is part of the design, a miss; median and p95 are over all of them.
REQUESTS = 100
BOUND_REPEATS = 30  # repetitions of the hand-written SQL lower bound


# With DATABASE_URL (PostgreSQL) the dataset is built once into its own database and every step starts
# from a copy made with CREATE DATABASE … TEMPLATE; otherwise the SQLite file is copied.
PG_URL = os.environ.get("DATABASE_URL", "")
PG_BUILT, PG_RUN = f"lvze_bench_{SCALE}", "lvze_bench_run"


def pg_url(database: str) -> str:
    return urlunsplit(urlsplit(PG_URL)._replace(path=f"/{database}"))


def pg_admin(statement: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(pg_url("postgres"), autocommit=True) as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def build_once() -> None:
    if PG_URL:
        return build_once_postgres()
    if BUILT.exists():
        return
    build_dir = VAR / "build"
    shutil.rmtree(build_dir, ignore_errors=True)
    build_dir.mkdir(parents=True)
    build_dataset({**os.environ, "LVZE_DATA_DIR": str(build_dir)})
    with sqlite3.connect(build_dir / "lvze.sqlite3") as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # fold the WAL into the file before moving it
    (build_dir / "lvze.sqlite3").replace(BUILT)


def build_once_postgres() -> None:
    built = pg_admin("SELECT 1 FROM pg_database WHERE datname = %s AND datallowconn", (PG_BUILT,))
    if built and pg_admin("SELECT 1 FROM pg_database WHERE datname = %s", (PG_BUILT + "_done",)):
        return
    pg_admin(f'DROP DATABASE IF EXISTS "{PG_BUILT}"')
    pg_admin(f'CREATE DATABASE "{PG_BUILT}"')
    build_dataset({**os.environ, "DATABASE_URL": pg_url(PG_BUILT), "LVZE_DATA_DIR": str(VAR / "build")})
    pg_admin(f'CREATE DATABASE "{PG_BUILT}_done"')  # a marker: the build finished


def build_dataset(env: dict) -> None:
    lvze = [sys.executable, "-m", "lvze"]
    subprocess.run([*lvze, "migrate", "-v0"], env=env, check=True)
    started = time.perf_counter()
    subprocess.run([*lvze, "bench-data", "--scale", SCALE], env=env, check=True)
    print(f"built {SCALE} dataset in {time.perf_counter() - started:.0f} s")


def fresh_copy() -> None:
    """Close connections, then lay a fresh copy of the dataset where the settings point."""
    from django.db import connections

    connections.close_all()
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    RUN_DIR.mkdir(parents=True)
    if PG_URL:
        pg_admin(f'DROP DATABASE IF EXISTS "{PG_RUN}" WITH (FORCE)')
        pg_admin(f'CREATE DATABASE "{PG_RUN}" TEMPLATE "{PG_BUILT}"')
    else:
        shutil.copy(BUILT, RUN_DIR / "lvze.sqlite3")
    subprocess.run([sys.executable, "-m", "lvze", "migrate", "-v0"], env={**os.environ}, check=True)


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def peak_mb(fn) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(peak / 1024 / 1024, 1)


def step_generate() -> dict:
    from lvze.duties.generation import obligations_generate
    from lvze.lib.periods import Period

    fresh_copy()
    first, seconds = timed(lambda: obligations_generate(actor=None, period=Period("year", 2025)))
    again, seconds2 = timed(lambda: obligations_generate(actor=None, period=Period("year", 2025)))
    memory = peak_mb(lambda: obligations_generate(actor=None, period=Period("year", 2026)))
    return {
        "step": "一年规定动作生成（3000个支部）",
        "created": first.created,
        "seconds": round(seconds, 2),
        "second_run_created": again.created,
        "second_run_seconds": round(seconds2, 2),
        "peak_mb": memory,
        "target": "< 30 s",
        "met": seconds < 30,
    }


def admin_for(code: str):
    from lvze.accounts.models import Role
    from lvze.accounts.services import role_grant, user_create
    from lvze.orgs.models import Organization

    user = user_create(
        actor=None, username=f"bench-{code}", password="Bench@2024x", validate=False, must_change_password=False
    )
    role_grant(actor=None, user=user, role=Role.PARTY_ADMIN, organization=Organization.objects.get(code=code))
    return user


def step_requests(code: str, path: str, label: str, target_ms: float | None) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    fresh_copy()
    client = Client()
    client.force_login(admin_for(code))
    times, queries = [], 0
    for n in range(REQUESTS):
        with CaptureQueriesContext(connection) as captured:
            response, seconds = timed(lambda n=n: client.get(path, {"timeliness": "overdue", "page": 1 + n % 3}))
        assert response.status_code == 200, response.status_code
        times.append(seconds * 1000)
        queries = len(captured)
    p95 = statistics.quantiles(times, n=20)[18]
    row = {
        "step": f"{label}（{code}）",
        "first_ms": round(times[0], 1),
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "queries": queries,
        "peak_mb": peak_mb(lambda: client.get(path, {"timeliness": "overdue"})),
        "target": f"p95 < {target_ms:.0f} ms" if target_ms else "（记录）",
        "met": p95 < target_ms if target_ms else True,
    }
    return row


DASHBOARD_PERIOD = "2024H1"  # a past half-year of the dataset: timeliness as of 2024-06-30


def lower_bound_queries(org, period) -> list[tuple[str, str, list]]:
    """The dashboard's figures, each by one hand-written SQL query: what the database cannot do faster."""
    from lvze.benchdata import DATASET_TODAY

    as_of = min(period.end, DATASET_TODAY).isoformat()
    lo, hi = org.path, org.path[:-1] + "0"
    start, end = period.start.isoformat(), period.end.isoformat()
    scope = "FROM duties_workitem WHERE org_path >= %s AND org_path < %s AND due_date >= %s AND due_date <= %s"
    args = [lo, hi, start, end]
    is_open = "(status IN ('todo','in_progress','submitted','returned') OR (status = 'done' AND done_on > %s))"
    states = (
        "COUNT(*),"
        " SUM(CASE WHEN status = 'done' AND done_on <= %s AND done_on <= due_date THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN status = 'done' AND done_on <= %s AND done_on > due_date THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {is_open} AND due_date < %s THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {is_open} AND due_date >= %s AND warn_from <= %s THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {is_open} AND warn_from > %s THEN 1 ELSE 0 END)"
    )
    state_args = [as_of, as_of, as_of, as_of, as_of, as_of, as_of, as_of, as_of]
    records = "organization_id IN (SELECT id FROM orgs_organization WHERE path >= %s AND path < %s)"
    nested = [str(p) for p in period.nested()]
    marks = ",".join(["%s"] * len(nested))
    return [
        ("timeliness", f"SELECT {states} {scope}", state_args + args),
        ("months", f"SELECT substr(CAST(due_date AS text), 1, 7), {states} {scope} GROUP BY 1", state_args + args),
        ("units", f"SELECT unit_id, {states} {scope} GROUP BY 1", state_args + args),
        ("branches", f"SELECT organization_id, {states} {scope} AND unit_id = %s GROUP BY 1",
         state_args + args + [org.unit_id or org.pk]),
        ("obligations", f"SELECT fulfilled_by_kind, {states} {scope} GROUP BY 1", state_args + args),
        ("work_areas", f"SELECT work_area, {states} {scope} GROUP BY 1", state_args + args),
        ("overdue", f"SELECT id, title, due_date {scope} AND NOT (status = 'done' AND done_on <= %s) AND due_date < %s"
                    " ORDER BY due_date, id LIMIT 15", args + [as_of, as_of]),
        ("long_term", "SELECT COUNT(*) FROM duties_workitem WHERE org_path >= %s AND org_path < %s AND due_date IS NULL",
         [lo, hi]),
        ("meetings", f"SELECT kind, COUNT(*) FROM records_meeting WHERE {records} AND period IN ({marks}) GROUP BY 1",
         [lo, hi, *nested]),
        ("activities", f"SELECT activity_type_id, work_area, COUNT(*), SUM(people_covered) FROM records_activity"
                       f" WHERE {records} AND held_on >= %s AND held_on <= %s GROUP BY 1, 2", [lo, hi, start, end]),
        ("talks", f"SELECT kind, COUNT(*) FROM records_talk WHERE {records} AND period IN ({marks}) GROUP BY 1",
         [lo, hi, *nested]),
        ("honours", f"SELECT level, COUNT(*) FROM records_honor WHERE {records} AND awarded_on >= %s AND awarded_on <= %s"
                    " GROUP BY 1", [lo, hi, start, end]),
        ("findings", "SELECT source, supervision_type, COUNT(*) FROM inspections_finding WHERE " + records
         + " AND found_on >= %s AND found_on <= %s GROUP BY 1, 2", [lo, hi, start, end]),
        ("rectifications", "SELECT w.status, COUNT(*) FROM inspections_rectification r JOIN duties_workitem w"
                           " ON w.id = r.work_item_id WHERE r.responsible_org_id IN (SELECT id FROM orgs_organization"
                           " WHERE path >= %s AND path < %s) AND r.deadline >= %s AND r.deadline <= %s GROUP BY 1",
         [lo, hi, start, end]),
    ]


def step_dashboard(code: str, cache_seconds: int) -> dict:
    """统计看板 of one organisation for a past half-year: the page (server time, queries) against the same
    figures by one hand-written SQL query each. With the figures cache (the design) the first request counts
    and the rest are served from it; without it (cache_seconds=0) every request counts afresh."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from lvze.duties.models import WorkItem
    from lvze.lib.periods import Period
    from lvze.orgs.models import Organization

    fresh_copy()
    client = Client()
    client.force_login(admin_for(code))
    times, queries = [], 0
    with override_settings(LVZE_FIGURES_CACHE_SECONDS=cache_seconds):
        for _ in range(REQUESTS):
            with CaptureQueriesContext(connection) as captured:
                response, seconds = timed(lambda: client.get("/reports/", {"org": code, "period": DASHBOARD_PERIOD}))
            assert response.status_code == 200, response.status_code
            times.append(seconds * 1000)
            queries = len(captured)
    org, period = Organization.objects.get(code=code), Period.parse(DASHBOARD_PERIOD)
    sql = lower_bound_queries(org, period)
    bound = []
    for _ in range(BOUND_REPEATS):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for _name, statement, params in sql:
                cursor.execute(statement, params)
                cursor.fetchall()
        bound.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(times, n=20)[18]
    median, bound_median = statistics.median(times), statistics.median(bound)
    ratio = median / bound_median
    return {
        "step": f"统计看板（{code}，{DASHBOARD_PERIOD}，{'数据版本缓存' if cache_seconds else '不用缓存'}）",
        "items_due": WorkItem.objects.filter(org_path__startswith=org.path, due_date__gte=period.start,
                                             due_date__lte=period.end).count(),
        "first_ms": round(times[0], 1),
        "median_ms": round(median, 1),
        "p95_ms": round(p95, 1),
        "queries": queries,
        "sql_lower_bound_median_ms": round(bound_median, 1),
        "sql_lower_bound_queries": len(sql),
        "ratio": round(ratio, 2),
        "peak_mb": peak_mb(lambda: client.get("/reports/", {"org": code, "period": DASHBOARD_PERIOD})),
        "target": "p95 < 150 ms" if cache_seconds else "中位数不超过手写 SQL 的 3 倍（每次重新统计）",
        "met": p95 < 150 if cache_seconds else ratio <= 3,
    }


def step_sweep() -> dict:
    from django.utils import timezone

    from lvze.duties.models import OPEN_STATUSES, WorkItem
    from lvze.reminders.engine import remind
    from lvze.reminders.models import ReminderPolicy
    from lvze.reminders.policy import Policies

    fresh_copy()
    ReminderPolicy.objects.create(before_days=[30, 7, 3, 1])  # a unit-less row changes nothing
    now = timezone.make_aware(datetime(2024, 11, 15, 9))
    window = Policies().max_before()
    open_items = WorkItem.objects.filter(status__in=OPEN_STATUSES).count()
    digests, first = timed(lambda: remind(now=now))
    again, second = timed(lambda: remind(now=now))
    fresh_copy()
    memory = peak_mb(lambda: remind(now=now))
    return {
        "step": "提醒扫描（全部未办结事项）",
        "open_items": open_items,
        "window_days": window,
        "digests": len(digests),
        "reminders": sum(len(d.entries) for d in digests),
        "seconds": round(first, 2),
        "second_run_digests": len(again),
        "second_run_seconds": round(second, 2),
        "peak_mb": memory,
        "target": "< 20 s；再次 < 5 s",
        "met": first < 20 and second < 5 and not again,
    }


def fresh_connection() -> None:
    from django.db import connections

    connections.close_all()


def step_summary(code: str, period: str = "2024H1") -> dict:
    """The 工作总结 of a unit over its whole subtree, from the dataset's records, generated cold (a fresh copy,
    a new connection). The higher level's consolidated view of what its units submitted is `step_consolidated`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lvze.documents.generation import generate_draft
    from lvze.orgs.models import Organization

    fresh_copy()
    fresh_connection()
    unit = Organization.objects.get(code=code)
    with CaptureQueriesContext(connection) as captured:
        draft, seconds = timed(lambda: generate_draft(unit=unit, kind="summary", period=period))
    return {
        "step": f"工作总结（{code}，{period}，含全部下级）",
        "seconds": round(seconds, 2),
        "queries": len(captured),
        "blocks": len(draft.content),
        "peak_mb": peak_mb(lambda: generate_draft(unit=unit, kind="summary", period=period)),
        "target": "< 3 s（冷）",
        "met": seconds < 3,
    }


def print_table(rows: list[dict]) -> None:
    print()
    for row in rows:
        figures = ", ".join(f"{k}={v}" for k, v in row.items() if k not in {"step", "target", "met"})
        print(f"{row['step']}\n    {figures}\n    目标 {row['target']}：{'达标' if row['met'] else '未达标'}")


def main() -> None:
    build_once()
    os.environ["LVZE_DATA_DIR"] = str(RUN_DIR)
    if PG_URL:
        os.environ["DATABASE_URL"] = pg_url(PG_RUN)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvze.settings")
    fresh_copy()
    import django

    django.setup()
    import lvze.wsgi  # noqa: F401 — as a server worker starts: settings, apps and every URL module loaded
    from lvze.benchdata import DATASET_TODAY
    from lvze.duties.models import WorkItem
    from lvze.orgs.models import Organization

    district = Organization.objects.filter(kind="committee", depth=2).order_by("code").first().code
    from django.db import connection

    dataset = {"database": connection.vendor, "work_items": WorkItem.objects.count(), "organizations": Organization.objects.count(), "today": str(DATASET_TODAY)}
    from steps_more import step_consolidated, step_import_activities

    # LVZE_BENCH_STEPS=dashboard runs only the named steps (generate, items, counts, dashboard, summary,
    # consolidated, import, sweep).
    wanted = set(filter(None, os.environ.get("LVZE_BENCH_STEPS", "").split(","))) or None
    steps = [
        ("generate", step_generate),
        ("items", lambda: step_requests("P", "/items/", "事项列表·逾期筛选", 100)),
        ("items", lambda: step_requests(district, "/items/", "事项列表·逾期筛选", 100)),
        ("counts", lambda: step_requests("P", "/items/counts/", "时效统计卡片", None)),
        ("counts", lambda: step_requests(district, "/items/counts/", "时效统计卡片", None)),
        ("dashboard", lambda: step_dashboard("P", 3600)),
        ("dashboard", lambda: step_dashboard("P", 0)),
        ("dashboard", lambda: step_dashboard(district, 3600)),
        ("dashboard", lambda: step_dashboard(district, 0)),
        ("summary", lambda: step_summary("P")),
        ("consolidated", lambda: step_consolidated("P")),
        ("import", lambda: step_import_activities(10_000, district)),
    ]
    with mock.patch("django.utils.timezone.localdate", return_value=DATASET_TODAY):
        rows = [run() for name, run in steps if wanted is None or name in wanted]
    if wanted is None or "sweep" in wanted:
        rows.append(step_sweep())
    print(f"dataset {SCALE}: {dataset}")
    print_table(rows)
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / "latest.json").write_text(
        json.dumps({"scale": SCALE, "dataset": dataset, "steps": rows}, ensure_ascii=False, indent=2)
    )
    if not all(r["met"] for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
