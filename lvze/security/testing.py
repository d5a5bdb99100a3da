"""Helpers for tests that run parts of the platform as separate processes against the test database."""

from __future__ import annotations

import os
import subprocess
import sys

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
