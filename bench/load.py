"""`make loadtest` (also run by `make bench`): the production server under a bounded load on loopback.

Builds the demo data (deterministic for a fixed date) in a private data directory, starts `lvze serve`
(gunicorn, 2 workers) on 127.0.0.1 only, logs in a fixed number of sessions as the demo accounts, and
has each of them browse realistic pages for their role, one request after the other, for 60 s (after a
short warm-up that is not measured). Prints requests per second, p50/p95/p99 latency, the error count,
and the CPU used by the server and by this load generator itself, and writes bench/results/load.json.

Settings (environment): LVZE_LOAD_SECONDS (60), LVZE_LOAD_SESSIONS (10), LVZE_LOAD_WORKERS (2),
LVZE_LOAD_KEEPALIVE (0: a connection per request, as behind a proxy), LVZE_LOAD_PAGES (1: per-page figures).
Each session waits for its answer before the next request (no think time), so 10 sessions keep the
server as busy as many more people at work would.
Targets: at least 100 requests/s, p95 under 250 ms, no errors.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "var" / "load"
HOST = "127.0.0.1"  # loopback only, by design
SECONDS = int(os.environ.get("LVZE_LOAD_SECONDS", "60"))
SESSIONS = int(os.environ.get("LVZE_LOAD_SESSIONS", "10"))
WORKERS = int(os.environ.get("LVZE_LOAD_WORKERS", "2"))
# A new connection per request, as behind a reverse proxy: a kept-alive connection stays with the worker
# that accepted it, so a handful of long-lived ones can pile onto one worker while the other idles.
KEEPALIVE = os.environ.get("LVZE_LOAD_KEEPALIVE", "0") == "1"
WARMUP = 5
TODAY = "2024-06-28"
PASSWORD = "Lvze@2023"  # the demo accounts' password (lvze/orgs/demo.py)
TARGET_RPS, TARGET_P95_MS = 100, 250

# Who browses, and what: (path, weight); "{item}", "{meeting}", "{person}" are detail pages found on the
# lists the session has already seen, as a user clicks through.
LEDGER = [
    ("/", 2),
    ("/items/", 4),
    ("/items/?timeliness=overdue", 2),
    ("/items/?timeliness=due_soon", 1),
    ("/items/counts/", 4),
    ("{item}", 5),
    ("/records/meetings/", 2),
    ("{meeting}", 2),
    ("/records/activities/", 1),
    ("/people/", 2),
    ("{person}", 2),
    ("/plans/", 1),
    ("/duties/", 1),
    ("/orgs/", 1),
    ("/inspections/", 1),
    ("/rectifications/", 1),
    ("/reminders/notifications/", 1),
]
UNIT = [*LEDGER, ("/reminders/reverse/", 1), ("/items/coverage/", 1), ("/documents/", 1)]
MEMBER = [("/", 3), ("/items/", 3), ("{item}", 2), ("/records/mine/", 2), ("/people/", 1), ("/reminders/notifications/", 2)]
AUDITOR = [("/", 1), ("/audit/", 4), ("/audit/?category=login", 2), ("/audit/?category=denied", 1)]
ACCOUNTS = [  # with the default 10 sessions, one of each role but the 三员 who do not browse business pages
    ("dangban", UNIT),
    ("zhibu1", LEDGER),
    ("shuji", UNIT),
    ("zhibu2", LEDGER),
    ("jijian", UNIT),
    ("jingban", LEDGER),
    ("dangyuan", MEMBER),
    ("shenji", AUDITOR),
    ("shiju", UNIT),
    ("xinqu", LEDGER),
    ("fenguan", UNIT),
]
DETAIL_LINKS = {
    "{item}": re.compile(r'href="(/items/\d+/)"'),
    "{meeting}": re.compile(r'href="(/records/meetings/\d+/)"'),
    "{person}": re.compile(r'href="(/people/\d+/)"'),
}


def lvze(*args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "LVZE_DATA_DIR": str(DATA)}
    env.pop("DATABASE_URL", None)  # the load test runs on the embedded SQLite database
    return subprocess.run([sys.executable, "-m", "lvze", *args], env=env, check=True, **kwargs)


def build() -> None:
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    lvze("migrate", "-v0")
    started = time.perf_counter()
    lvze("demo", "--today", TODAY, stdout=subprocess.DEVNULL)
    print(f"演示数据已生成（{time.perf_counter() - started:.0f} s）")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def cpu_seconds_of_tree(root_pid: int) -> float:
    """User + system CPU of a process and its children (the gunicorn master and its workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == root_pid or ppid == root_pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


@dataclass
class Session:
    username: str
    pages: list
    port: int
    rng: random.Random
    cookies: dict = field(default_factory=dict)
    found: dict = field(default_factory=lambda: {k: [] for k in DETAIL_LINKS})
    conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Host": f"{HOST}:{self.port}"}
        if not KEEPALIVE:
            headers["Connection"] = "close"
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        for attempt in range(2):  # a kept-alive connection the server has closed is reopened once
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        if not KEEPALIVE:
            self.conn.close()
            self.conn = None
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text

    def login(self) -> None:
        _status, page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token})
        status, _ = self.request("POST", "/accounts/login/", form)
        if status != 302:
            raise RuntimeError(f"{self.username} 登录失败：{status}")

    def next_path(self) -> str:
        paths, weights = zip(*self.pages, strict=True)
        for _ in range(10):
            path = self.rng.choices(paths, weights)[0]
            if path in DETAIL_LINKS:
                if not self.found[path]:
                    continue
                path = self.rng.choice(self.found[path])
            return path
        return "/"

    def browse(self, path: str) -> int:
        status, text = self.request("GET", path)
        for key, pattern in DETAIL_LINKS.items():
            links = pattern.findall(text)
            if links:
                self.found[key] = list(dict.fromkeys(self.found[key] + links))[-200:]
        return status


@dataclass
class Results:
    latencies: list = field(default_factory=list)
    by_page: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def run_session(session: Session, measure_from: float, stop_at: float, results: Results) -> None:
    while (now := time.monotonic()) < stop_at:
        path = session.next_path()
        started = time.perf_counter()
        try:
            status = session.browse(path)
            error = None if status == 200 else f"{status} {path}"
        except Exception as exc:  # noqa: BLE001  (any failure is an error to count, not a crash)
            error = f"{type(exc).__name__} {path}"
        elapsed = (time.perf_counter() - started) * 1000
        if now >= measure_from:
            with results.lock:
                results.latencies.append(elapsed)
                page = re.sub(r"\d+", "N", path.split("?")[0]) + ("?" + path.split("?")[1] if "?" in path else "")
                results.by_page.setdefault(page, []).append(elapsed)
                if error:
                    results.errors.append(error)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    build()
    port = free_port()
    env = {**os.environ, "LVZE_DATA_DIR": str(DATA), "LVZE_WORKERS": str(WORKERS)}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "lvze", "serve", "--host", HOST, "--port", str(port), "--workers", str(WORKERS)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                probe = http.client.HTTPConnection(HOST, port, timeout=2)
                probe.request("GET", "/healthz")
                if probe.getresponse().status == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"服务器未能启动：{server.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)

        rng = random.Random(20240628)
        sessions = []
        for n in range(SESSIONS):
            username, pages = ACCOUNTS[n % len(ACCOUNTS)]
            session = Session(username, pages, port, random.Random(rng.random()))
            session.login()
            sessions.append(session)
        print(f"{SESSIONS} 个会话已登录（{len({s.username for s in sessions})} 个演示账号），服务器 {WORKERS} 个 worker，"
              f"预热 {WARMUP} s 后测量 {SECONDS} s …")

        results = Results()
        start = time.monotonic()
        measure_from, stop_at = start + WARMUP, start + WARMUP + SECONDS
        threads = [threading.Thread(target=run_session, args=(s, measure_from, stop_at, results)) for s in sessions]
        for thread in threads:
            thread.start()
        time.sleep(max(0.0, measure_from - time.monotonic()))
        own_before = resource.getrusage(resource.RUSAGE_SELF)
        server_before = cpu_seconds_of_tree(server.pid)
        wall_before = time.monotonic()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - wall_before
        own_after = resource.getrusage(resource.RUSAGE_SELF)
        server_cpu = cpu_seconds_of_tree(server.pid) - server_before
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)

    own_cpu = (own_after.ru_utime - own_before.ru_utime) + (own_after.ru_stime - own_before.ru_stime)
    cores = os.cpu_count() or 1
    lat = results.latencies
    summary = {
        "sessions": SESSIONS,
        "workers": WORKERS,
        "seconds": round(wall, 1),
        "requests": len(lat),
        "requests_per_second": round(len(lat) / wall, 1),
        "p50_ms": round(percentile(lat, 50), 1),
        "p95_ms": round(percentile(lat, 95), 1),
        "p99_ms": round(percentile(lat, 99), 1),
        "mean_ms": round(statistics.fmean(lat), 1),
        "errors": len(results.errors),
        "error_examples": sorted(set(results.errors))[:10],
        "generator_cpu_percent_of_machine": round(100 * own_cpu / (wall * cores), 1),
        "server_cpu_percent_of_machine": round(100 * server_cpu / (wall * cores), 1),
        "server_cpu_ms_per_request": round(1000 * server_cpu / max(len(lat), 1), 1),
        "cores": cores,
    }
    met = summary["requests_per_second"] >= TARGET_RPS and summary["p95_ms"] < TARGET_P95_MS and not summary["errors"]
    summary["target"] = f">= {TARGET_RPS} req/s, p95 < {TARGET_P95_MS} ms, 0 errors"
    summary["met"] = met
    print(
        f"负载测试（{SESSIONS} 个并发会话，{WORKERS} 个 worker，{summary['seconds']} s，仅 127.0.0.1）\n"
        f"    请求 {summary['requests']} 次，{summary['requests_per_second']} 次/秒；"
        f"延迟 p50 {summary['p50_ms']} ms，p95 {summary['p95_ms']} ms，p99 {summary['p99_ms']} ms；错误 {summary['errors']} 次\n"
        f"    CPU（占整机 {cores} 核）：服务器 {summary['server_cpu_percent_of_machine']}%，"
        f"压测程序自身 {summary['generator_cpu_percent_of_machine']}%；服务器每个请求耗 CPU {summary['server_cpu_ms_per_request']} ms\n"
        f"    目标 {summary['target']}：{'达标' if met else '未达标'}"
    )
    if os.environ.get("LVZE_LOAD_PAGES"):
        for page, values in sorted(results.by_page.items(), key=lambda kv: -statistics.median(kv[1])):
            print(f"      {page:<36} n={len(values):<5} p50 {statistics.median(values):7.1f} ms  p95 {percentile(values, 95):7.1f} ms")
    if results.errors:
        print("    错误示例：" + "；".join(summary["error_examples"]))
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / "load.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    if not met:
        sys.exit(1)


if __name__ == "__main__":
    main()
