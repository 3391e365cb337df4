"""A write that must not keep a read waiting: `brief_lock_wait` runs it in a transaction of its
own that waits at most a moment for the database's write lock (SQLite: the busy timeout;
PostgreSQL: `lock_timeout`) instead of the usual 20 s, and lets the `DatabaseError` escape for
the caller to shrug off (a token's last use, a job's expired lease: written next time)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from django.db import connection, transaction

logger = logging.getLogger(__name__)

#: How long such a write waits for the lock (milliseconds).
BRIEF_WAIT_MS = 200


@contextlib.contextmanager
def brief_lock_wait(ms: int = BRIEF_WAIT_MS) -> Iterator[None]:
    if connection.vendor == "sqlite":
        # Set before BEGIN IMMEDIATE, which is where SQLite waits for the lock.
        usual = int(float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5)) * 1000)
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(ms)}")
        try:
            with transaction.atomic():
                yield
        finally:
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA busy_timeout = {usual}")
            except Exception:  # a broken connection is closed and reopened with the usual one
                logger.debug("restoring the busy timeout failed", exc_info=True)
    elif connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{int(ms)}ms'")
            yield
            with connection.cursor() as cursor:  # inside a caller's transaction: not past here
                cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
    else:
        with transaction.atomic():
            yield
