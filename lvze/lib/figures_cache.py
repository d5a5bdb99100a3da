"""The figures cache: the dashboard's figures of a subtree for a period, the higher level's consolidated
view and the ledger's timeliness cards, kept per process — figures the same for every reader who may open the organisation under the
organisation's key, figures counted through a reader's own scope under that reader's key.

A hit is never stale: the key carries the data version, a counter that database triggers bump on every
insert, update or delete in the tables the figures count (COUNTED_TABLES in
lvze/reports/migrations/0001_initial.py), so it moves with web forms, imports, the reminder engine, bulk
updates and raw SQL alike. A reader sees the figures of a version after the change that made it
committed. Without the version row (a flushed test database) or with LVZE_FIGURES_CACHE_SECONDS=0 the
figures are counted afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import connection

T = TypeVar("T")


def data_version() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM reports_dataversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def reader_key(user) -> str:
    """Figures counted through a reader's own scope are cached per reader and per set of grants."""
    grants = sorted(user.grants.values_list("role", "organization_id"))
    return f"u{user.pk}-p{user.person_id}-" + ",".join(f"{role}{org}" for role, org in grants)


def cached_figures(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    seconds = settings.LVZE_FIGURES_CACHE_SECONDS
    version = data_version() if seconds else None
    if version is None:
        return compute()
    store = caches["figures"]
    full_key = ":".join(str(part) for part in (*key, f"v{version}"))
    figures = store.get(full_key)
    if figures is None:
        figures = compute()
        store.set(full_key, figures, seconds)
    return figures
