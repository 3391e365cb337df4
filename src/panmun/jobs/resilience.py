"""What a long-running process (the task worker, the liaison runner) needs to live through
database errors: which errors to wait out, how long to wait, and how to drop the connections
they leave behind.

A database error (SQLite "database is locked" while another process holds a long write; a
PostgreSQL connection killed by `pg_terminate_backend` or dropped by the network) is logged,
every connection is closed so the next try opens a fresh one, and the work is tried again
after a wait that doubles with each failure in a row (1 s, 2 s, 4 s … at most a minute).
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
FIRST_WAIT_S = 1.0
MAX_WAIT_S = 60.0


def wait_after(failures: int) -> float:
    """The wait before the next try after `failures` failed tries in a row."""
    return float(min(MAX_WAIT_S, FIRST_WAIT_S * 2 ** max(0, failures - 1)))


def drop_old_connections() -> None:
    """What Django does between requests (`close_old_connections`): a connection past its
    age or left unusable is closed. One inside a transaction the process did not open (a
    test's) is left alone."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


def reset_connections() -> None:
    """Close every connection (a dead one raises on close: ignore it); the next query opens a
    fresh one. One inside a transaction the process did not open (a test's) is left alone."""
    for conn in connections.all(initialized_only=True):
        if conn.in_atomic_block:
            continue
        try:
            conn.close()
        except Exception:  # a broken connection may fail to close: it is dropped all the same
            logger.debug("closing a broken connection failed", exc_info=True)


def error_text(exc: BaseException) -> str:
    """An error as one line for the log and the heartbeat row."""
    return f"{type(exc).__name__}: {exc}".replace("\n", " ")[:500]
