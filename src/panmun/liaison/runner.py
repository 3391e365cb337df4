"""`panmun liaison run`: place and close the contact calls and deliver the logs, round after
round, until stopped — through database errors.

A round that fails on the database (SQLite "database is locked" while another process holds a
long write; a PostgreSQL connection killed or dropped) is logged, the connection is closed so
the next round opens a fresh one, and the round is tried again after a wait that doubles with
each failure in a row (1 s, 2 s, 4 s … at most a minute). Any other error is logged with its
traceback and waited out the same way: the runner never dies of one bad round.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from django.db import InterfaceError, OperationalError, connections
from django.utils import timezone

from .services import calls, delivery

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
FIRST_WAIT_S = 1.0
MAX_WAIT_S = 60.0
#: `--once` gives up (and fails) after this many failed tries in a row.
ONCE_TRIES = 5


class RoundsFailed(Exception):
    """`--once`: every try of the round failed."""


def run_round(now: datetime) -> str:
    """One round: the calls that are due, then delivery of every local log. Its summary line."""
    ticked = calls.calls_tick(now)
    done = delivery.deliver_all()
    return (
        f"{now:%Y-%m-%d %H:%M:%S} calls placed {ticked['placed']}, "
        f"closed unanswered {ticked['closed']}; "
        + ", ".join(f"{d.side} {d.acknowledged}/{d.cosigned}" for d in done)
    )


def wait_after(failures: int) -> float:
    """The wait before the next try after `failures` failed tries in a row."""
    return float(min(MAX_WAIT_S, FIRST_WAIT_S * 2 ** max(0, failures - 1)))


def _drop_old_connections() -> None:
    """What Django does between requests (`close_old_connections`): a connection past its
    age or left unusable is closed. One inside a transaction the runner did not open (a
    test's) is left alone."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


def _reset_connections() -> None:
    """Close every connection (a dead one raises on close: ignore it); the next query opens a
    fresh one. One inside a transaction the runner did not open (a test's) is left alone."""
    for conn in connections.all(initialized_only=True):
        if conn.in_atomic_block:
            continue
        try:
            conn.close()
        except Exception:  # a broken connection may fail to close: it is dropped all the same
            logger.debug("closing a broken connection failed", exc_info=True)


def run(
    *,
    every: float,
    write: Callable[[str], object],
    rounds: int | None = None,
    max_failures: int | None = None,
    sleep: Callable[[float], object] | None = None,
    now: Callable[[], datetime] | None = None,
) -> None:
    """Run rounds `every` seconds apart: forever (`rounds=None`) or until `rounds` have
    succeeded. After `max_failures` failed tries in a row, raise `RoundsFailed` (None: never)."""
    sleep = sleep or time.sleep
    now = now or timezone.now
    succeeded = 0
    failures = 0
    while rounds is None or succeeded < rounds:
        _drop_old_connections()
        try:
            line = run_round(now())
        except DATABASE_ERRORS as exc:
            failures += 1
            logger.warning(
                "liaison run: database error, try %d failed (%s: %s)%s",
                failures,
                type(exc).__name__,
                exc,
                _next(failures, max_failures),
            )
            _reset_connections()
        except Exception:
            failures += 1
            logger.exception(
                "liaison run: the round failed, try %d%s",
                failures,
                _next(failures, max_failures),
            )
            _reset_connections()
        else:
            if failures:
                logger.warning("liaison run: working again after %d failed tries", failures)
            failures = 0
            succeeded += 1
            write(line)
            if rounds is None or succeeded < rounds:
                sleep(every)
            continue
        if max_failures is not None and failures >= max_failures:
            raise RoundsFailed(f"{failures} tries in a row failed; see the log")
        sleep(wait_after(failures))


def _next(failures: int, max_failures: int | None) -> str:
    if max_failures is not None and failures >= max_failures:
        return "; giving up"
    return f"; trying again in {wait_after(failures):.0f} s"
