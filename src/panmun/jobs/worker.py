"""The task worker that does not die: django-tasks' database worker, each of its polls
guarded.

django-tasks' `db_worker` stops for good on the first database error outside the claim of a
task (a PostgreSQL connection killed by `pg_terminate_backend`, SQLite "database is locked"
while the result of a task is written). Here every poll is tried as a whole: a database
error is logged, written on the heartbeat row at the next beat, every connection is closed and
the poll tried again after a wait that doubles with each failure in a row (see
`resilience`); any other error is logged with its traceback and waited out the same way.

Each poll also writes the worker's heartbeat (every `heartbeat.WORKER_EVERY_S` seconds; from a
thread while a job runs) and gives up the running jobs whose lease has expired
(`lease.jobs_expire`, every `SWEEP_S` seconds).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Any

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from .heartbeat import WORKER, WORKER_EVERY_S, BeatWhile, HeartbeatWriter
from .lease import jobs_expire
from .resilience import (
    DATABASE_ERRORS,
    drop_old_connections,
    error_text,
    reset_connections,
    wait_after,
)

logger = logging.getLogger(__name__)

#: How often the worker looks for jobs whose lease has expired (seconds).
SWEEP_S = 5.0


class GivenUp(Exception):
    """`max_failures` polls in a row failed."""


class SteadyWorker(Worker):
    """django-tasks' `Worker`, polling through errors, with a heartbeat and the lease sweep."""

    def __init__(
        self,
        *,
        beats: HeartbeatWriter | None = None,
        max_failures: int | None = None,
        sleep: Callable[[float], object] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.beats = beats or HeartbeatWriter(WORKER, every_s=WORKER_EVERY_S)
        self.max_failures = max_failures
        self.sleep = sleep
        self.clock = clock
        self.failures = 0
        self._swept_at: float | None = None

    def run(self) -> None:
        logger.info("worker %s: started, queues %s", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            self.sleep(random.random())  # noqa: S311 (spreading the workers' first polls)
        while self.running:
            try:
                go_on = self.poll()
            except DATABASE_ERRORS as exc:
                self._failed(exc, f"database error ({error_text(exc)})")
            except Exception as exc:
                self._failed(exc, "the poll failed", traceback=True)
            else:
                if self.failures:
                    logger.warning(
                        "worker %s: working again after %d failed tries",
                        self.worker_id,
                        self.failures,
                    )
                    self.failures = 0
                if not go_on:
                    return

    def _failed(self, exc: Exception, what: str, *, traceback: bool = False) -> None:
        self.failures += 1
        self.beats.failed(exc)
        wait = wait_after(self.failures)
        giving_up = self.max_failures is not None and self.failures >= self.max_failures
        (logger.exception if traceback else logger.warning)(
            "worker %s: %s, try %d%s",
            self.worker_id,
            what,
            self.failures,
            "; giving up" if giving_up else f"; trying again in {wait:.0f} s",
        )
        reset_connections()
        if giving_up:
            raise GivenUp(f"{self.failures} polls in a row failed; see the log")
        if self.running:
            self.sleep(wait)

    def poll(self) -> bool:
        """One look for a task (run it if there is one); False when the worker should stop
        (`--batch` with nothing left, `--max-tasks` reached)."""
        drop_old_connections()
        self.beats.beat()
        self._sweep()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        retrieved = True
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)  # no other worker takes it now
            except DATABASE_ERRORS[0] as exc:
                if not is_locked_database_exception(exc):
                    raise
                # Busy: look again after the interval, as django-tasks does.
                retrieved, task_result = False, None
        if task_result is not None:
            self.run_task(task_result)
        if self.batch and retrieved and task_result is None:
            logger.info("worker %s: no more tasks; stopping", self.worker_id)
            return False
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            logger.info("worker %s: ran %d tasks; stopping", self.worker_id, self._run_tasks)
            return False
        drop_old_connections()
        if self.running and task_result is None:
            self.sleep(self.interval)
        return True

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        with BeatWhile(self.beats):
            super().run_task(db_task_result)
        self.beats.beat(force=True)

    def _sweep(self) -> None:
        now = self.clock()
        if self._swept_at is not None and now - self._swept_at < SWEEP_S:
            return
        jobs_expire()
        self._swept_at = now
