"""Named locks that serialise whole transactions doing the same kind of work.

On PostgreSQL a transaction-level advisory lock: a second import of the same kind waits until the
first has committed, then plans against what the first wrote (updates instead of duplicating). On
SQLite the IMMEDIATE transactions already take the database's write lock at BEGIN, which serialises
every writer, so nothing more is needed there.
"""

from __future__ import annotations

import hashlib

from django.db import connection


def transaction_lock(name: str) -> None:
    """Hold `name` until the current transaction ends (call inside transaction.atomic)."""
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
