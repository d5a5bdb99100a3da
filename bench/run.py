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

ROOT = Path(__file__).resolve().parent
VAR = ROOT / "var"
SCALE = os.environ.get("LVZE_BENCH_SCALE", "province")
BUILT = VAR / f"{SCALE}.sqlite3"
RUN_DIR = VAR / "run"
REQUESTS = 30


def build_once() -> None:
    if BUILT.exists():
        return
    build_dir = VAR / "build"
    shutil.rmtree(build_dir, ignore_errors=True)
    build_dir.mkdir(parents=True)
    env = {**os.environ, "LVZE_DATA_DIR": str(build_dir)}
    lvze = [sys.executable, "-m", "lvze"]
    subprocess.run([*lvze, "migrate", "-v0"], env=env, check=True)
    started = time.perf_counter()
    subprocess.run([*lvze, "bench-data", "--scale", SCALE], env=env, check=True)
    print(f"built {SCALE} dataset in {time.perf_counter() - started:.0f} s")
    with sqlite3.connect(build_dir / "lvze.sqlite3") as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # fold the WAL into the file before moving it
    (build_dir / "lvze.sqlite3").replace(BUILT)


def fresh_copy() -> None:
    """Close connections, then lay a fresh copy of the dataset where the settings point."""
    from django.db import connections

    connections.close_all()
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    RUN_DIR.mkdir(parents=True)
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
    return {
        "step": "提醒扫描（全部未办结事项）",
        "open_items": open_items,
        "window_days": window,
        "digests": len(digests),
        "reminders": sum(len(d.entries) for d in digests),
        "seconds": round(first, 2),
        "second_run_digests": len(again),
        "second_run_seconds": round(second, 2),
        "target": "< 20 s；再次 < 5 s",
        "met": first < 20 and second < 5 and not again,
    }


def print_table(rows: list[dict]) -> None:
    print()
    for row in rows:
        figures = ", ".join(f"{k}={v}" for k, v in row.items() if k not in {"step", "target", "met"})
        print(f"{row['step']}\n    {figures}\n    目标 {row['target']}：{'达标' if row['met'] else '未达标'}")


def main() -> None:
    build_once()
    os.environ["LVZE_DATA_DIR"] = str(RUN_DIR)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvze.settings")
    fresh_copy()
    import django

    django.setup()
    from lvze.benchdata import DATASET_TODAY
    from lvze.duties.models import WorkItem
    from lvze.orgs.models import Organization

    district = Organization.objects.filter(kind="committee", depth=2).order_by("code").first().code
    dataset = {"work_items": WorkItem.objects.count(), "organizations": Organization.objects.count(), "today": str(DATASET_TODAY)}
    with mock.patch("django.utils.timezone.localdate", return_value=DATASET_TODAY):
        rows = [
            step_generate(),
            step_requests("P", "/items/", "事项列表·逾期筛选", 100),
            step_requests(district, "/items/", "事项列表·逾期筛选", 100),
            step_requests("P", "/items/counts/", "时效统计卡片", None),
            step_requests(district, "/items/counts/", "时效统计卡片", None),
        ]
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
