"""`panmun liaison run`: place and close the contact calls and deliver the logs, round after
round, until stopped — through database errors.

A round that fails on the database (SQLite "database is locked" while another process holds a
long write; a PostgreSQL connection killed or dropped) is logged, the connection is closed so
the next round opens a fresh one, and the round is tried again after a wait that doubles with
each failure in a row (1 s, 2 s, 4 s … at most a minute; `panmun.jobs.resilience`, shared with
the task worker). Any other error is logged with its traceback and waited out the same way: the
runner never dies of one bad round.

Each round done writes the runner's heartbeat row (`panmun.jobs.heartbeat`), which the liaison
pages read to warn when the runner has stopped reporting.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

from panmun.common.apps import liaison_followers
from panmun.jobs.heartbeat import LIAISON_RUNNER, HeartbeatWriter
from panmun.jobs.resilience import (
    DATABASE_ERRORS,
    FIRST_WAIT_S,
    MAX_WAIT_S,
    drop_old_connections,
    reset_connections,
    wait_after,
)

from .services import calls, delivery

logger = logging.getLogger(__name__)

__all__ = ["DATABASE_ERRORS", "FIRST_WAIT_S", "MAX_WAIT_S", "run", "run_round", "wait_after"]
#: `--once` gives up (and fails) after this many failed tries in a row.
ONCE_TRIES = 5


class RoundsFailed(Exception):
    """`--once`: every try of the round failed."""


def run_round(now: datetime) -> str:
    """One round: the calls that are due, then delivery of every local log, then what the
    apps take up from the other side's entries (`after_liaison_round`: e.g. the North's answers
    to the Gaeseong complex's crossing plans). Its summary line."""
    ticked = calls.calls_tick(now)
    done = delivery.deliver_all()
    followed = [f"{label} {follow()}" for label, follow in liaison_followers()]
    return (
        f"{now:%Y-%m-%d %H:%M:%S} calls placed {ticked['placed']}, "
        f"closed unanswered {ticked['closed']}; "
        + ", ".join(f"{d.side} {d.acknowledged}/{d.cosigned}" for d in done)
        + ("; taken up: " + ", ".join(followed) if followed else "")
    )


def run(
    *,
    every: float,
    write: Callable[[str], object],
    rounds: int | None = None,
    max_failures: int | None = None,
    sleep: Callable[[float], object] | None = None,
    now: Callable[[], datetime] | None = None,
    beats: HeartbeatWriter | None = None,
) -> None:
    """Run rounds `every` seconds apart: forever (`rounds=None`) or until `rounds` have
    succeeded. After `max_failures` failed tries in a row, raise `RoundsFailed` (None: never).
    Each round done writes the heartbeat (`beats`; by default the runner's own row)."""
    sleep = sleep or time.sleep
    now = now or timezone.now
    beats = beats or HeartbeatWriter(LIAISON_RUNNER, every_s=max(1.0, every))
    succeeded = 0
    failures = 0
    while rounds is None or succeeded < rounds:
        drop_old_connections()
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
            reset_connections()
            beats.failed(exc)  # written with the next beat: the database is failing now
        except Exception as exc:
            failures += 1
            logger.exception(
                "liaison run: the round failed, try %d%s",
                failures,
                _next(failures, max_failures),
            )
            reset_connections()
            beats.failed(exc, write=True)
        else:
            if failures:
                logger.warning("liaison run: working again after %d failed tries", failures)
            failures = 0
            succeeded += 1
            beats.beat(force=True)
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
