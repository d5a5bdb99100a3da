"""Helpers for tests that run parts of the platform as separate processes against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child process that uses the test database (SQLite file or PostgreSQL)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lvze.settings", "LVZE_AUDIT_KEY": settings.AUDIT_KEY}
    env["LVZE_DATA_DIR"] = str(settings.DATA_DIR)
    if connection.vendor == "sqlite":
        env["LVZE_SQLITE_NAME"] = str(connection.settings_dict["NAME"])
    else:
        s = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    env.update(extra)
    return env


def python_child(code: str, **extra: str) -> subprocess.Popen:
    """A Python process with Django set up, running `code`; stdout and stderr are captured."""
    prelude = "import django; django.setup()\n"
    return subprocess.Popen(
        [sys.executable, "-c", prelude + code],
        env=child_env(**extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def lvze_child(*args: str, **extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "lvze", *args],
        env=child_env(**extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


# Children that must act at the same moment: each announces it is ready (Django set up, objects loaded)
# and waits for the parent's go, so a slow start on a busy machine cannot serialise them by accident.
READY_GO = """
import os as _os, pathlib as _pathlib, time as _time
def wait_for_go():
    _pathlib.Path(_os.environ["READY_FILE"]).touch()
    go = _pathlib.Path(_os.environ["GO_FILE"])
    while not go.exists():
        _time.sleep(0.001)
"""


def together(code: str, envs: list[dict], workdir, timeout: int = 180) -> list[tuple[int, str, str]]:
    """Run `code` (which calls wait_for_go() where the race starts) once per env, released at once."""
    workdir = Path(workdir)
    go = workdir / "go"
    go.unlink(missing_ok=True)
    procs, ready = [], []
    for n, env in enumerate(envs):
        ready.append(workdir / f"ready-{n}")
        ready[-1].unlink(missing_ok=True)
        procs.append(python_child(READY_GO + code, READY_FILE=str(ready[-1]), GO_FILE=str(go), **env))
    deadline = time.monotonic() + timeout
    while not all(r.exists() for r in ready):
        if any(p.poll() is not None for p in procs) or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    go.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        results.append((proc.returncode, out, err))
    return results
