"""`make bench`: build (once) the province dataset, then measure the targets cold and print a table.

Each run starts from a fresh copy of the built database, so nothing measured is warmed by an earlier
run; there are no application caches in the design. Memory is the peak of Python allocations
(tracemalloc) during each step.
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
from pathlib import Path

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
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    RUN_DIR.mkdir(parents=True)
    shutil.copy(BUILT, RUN_DIR / "lvze.sqlite3")
    os.environ["LVZE_DATA_DIR"] = str(RUN_DIR)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvze.settings")


def measure(fn):
    tracemalloc.start()
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak / 1024 / 1024


def step_generate() -> dict:
    from lvze.duties.generation import obligations_generate
    from lvze.lib.periods import Period

    started = time.perf_counter()
    result = obligations_generate(actor=None, period=Period("year", 2026))
    seconds_untraced = time.perf_counter() - started
    result, seconds, peak = measure(lambda: obligations_generate(actor=None, period=Period("year", 2025)))
    again, seconds2, _ = measure(lambda: obligations_generate(actor=None, period=Period("year", 2025)))
    return {
        "step": "一年规定动作生成（全部支部）",
        "created": result.created,
        "seconds": round(seconds_untraced, 2),
        "seconds_traced": round(seconds, 2),
        "second_run_created": again.created,
        "second_run_seconds": round(seconds2, 2),
        "peak_mb": round(peak, 1),
        "target": "< 30 s",
        "met": seconds_untraced < 30,
    }


def admin_for(code: str):
    from lvze.accounts.models import Role
    from lvze.accounts.services import role_grant, user_create
    from lvze.orgs.models import Organization

    user = user_create(actor=None, username=f"bench-{code}", password="Bench@2024x", validate=False)
    role_grant(actor=None, user=user, role=Role.PARTY_ADMIN, organization=Organization.objects.get(code=code))
    return user


def step_list(code: str) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(admin_for(code))
    times, queries = [], 0
    for n in range(REQUESTS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get("/items/", {"timeliness": "overdue", "page": 1 + n % 3})
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    # Memory is measured on one extra request: tracemalloc would distort the timings.
    _, _, peak_mb = measure(lambda: client.get("/items/", {"timeliness": "overdue"}))
    p95 = statistics.quantiles(times, n=20)[18]
    return {
        "step": f"事项列表（逾期筛选，{code}）",
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "queries": queries,
        "peak_mb": round(peak_mb, 1),
        "target": "p95 < 100 ms",
        "met": p95 < 100,
    }


def print_table(rows: list[dict]) -> None:
    print(f"\n{'步骤':<28} {'结果':<60} 目标")
    for row in rows:
        figures = ", ".join(f"{k}={v}" for k, v in row.items() if k not in {"step", "target", "met"})
        print(f"{row['step']:<28} {figures:<60} {row['target']} {'达标' if row['met'] else '未达标'}")


def main() -> None:
    build_once()
    fresh_copy()
    import django

    django.setup()
    from lvze.duties.models import WorkItem
    from lvze.orgs.models import Organization

    district = Organization.objects.filter(kind="committee", depth=2).order_by("code").first().code
    dataset = {"work_items": WorkItem.objects.count(), "organizations": Organization.objects.count()}
    rows = [step_generate(), step_list("P"), step_list(district)]
    print(f"dataset {SCALE}: {dataset}")
    print_table(rows)
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / "latest.json").write_text(json.dumps({"scale": SCALE, "dataset": dataset, "steps": rows}, ensure_ascii=False, indent=2))
    if not all(r["met"] for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
