"""A running job's lease: the job is its worker's for `PANMUN_JOB_LEASE_S` seconds at a time
(60 by default).

The worker claims a job with a lease (`runner.job_run`), and a thread of the worker renews
it every quarter of the lease while the job runs (`LeaseKeeper`, on a connection of its own, so
that even an `atomic=True` job, whose own writes stay invisible until it ends, keeps its lease
visible to others). A worker that dies (kill -9, a lost machine) renews nothing: once the lease
has expired, `jobs_expire` marks the job failed with the reason in both languages, and an
officer can start it again (`services.job_retry`).

`jobs_expire` runs in the worker's loop every few seconds, and — only when an expired lease is
there to be found, and then waiting at most a moment for the database's write lock — when the
jobs page or the API reads jobs (`jobs_expire_quietly`), so a job is seen failed even when no
worker runs.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from panmun.common.locks import brief_lock_wait

from .models import Job, JobState

logger = logging.getLogger(__name__)


def lease_seconds() -> float:
    """How long a job stays its worker's without a renewal."""
    return float(getattr(settings, "PANMUN_JOB_LEASE_S", 60))


def renew_seconds() -> float:
    """How often the worker renews it."""
    return lease_seconds() / 4


#: The error code of a job whose worker stopped renewing its lease.
LEASE_EXPIRED = "lease_expired"


def lease_until(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(seconds=lease_seconds())


def lease_renew(job_id: Any) -> bool:
    """Push the lease of a running job forward; False when the job is no longer running (it
    finished, or was given up)."""
    now = timezone.now()
    return bool(
        Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(
            heartbeat_at=now, lease_until=lease_until(now)
        )
    )


#: How often the lease's thread shows an atomic job's progress (PostgreSQL).
PROGRESS_EVERY_S = 1.0


def progress_show(job_id: Any, done: int, total: int, stage: str) -> None:
    """A running job's progress, written from the lease's thread."""
    Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(
        progress_done=min(done, total) if total else 0,
        progress_total=total,
        stage=stage[:200],
    )


class LeaseKeeper:
    """Renews a job's lease from a thread while the job runs. Errors (a locked or lost
    database) are logged and the renewal tried again at the next turn.

    Given the `progress` of an `atomic=True` job (whose own writes stay invisible until it
    ends), it also shows that progress on the job's row about once a second, from the thread's
    own connection, so the page sees the job move. Only on PostgreSQL: SQLite's writer (the
    job) holds the database's one write lock, and the page sees the end alone there."""

    def __init__(self, job_id: Any, every_s: float | None = None, progress: Any = None) -> None:
        self.job_id = job_id
        self.every_s = renew_seconds() if every_s is None else every_s
        self.progress = progress if connection.vendor == "postgresql" else None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{job_id}", daemon=True)

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        tick = self.every_s if self.progress is None else min(self.every_s, PROGRESS_EVERY_S)
        renewed = time.monotonic()
        shown: tuple[int, int, str] | None = None
        try:
            while not self._stop.wait(tick):
                try:
                    if time.monotonic() - renewed >= self.every_s - 0.01:
                        lease_renew(self.job_id)
                        renewed = time.monotonic()
                    if self.progress is not None:
                        seen = (self.progress.done, self.progress.total, self.progress.stage)
                        if seen != shown:
                            progress_show(self.job_id, *seen)
                            shown = seen
                except Exception as exc:
                    logger.warning("job %s: its lease could not be renewed (%s)", self.job_id, exc)
                    connection.close()
        finally:
            connection.close()


def expired(now: dt.datetime) -> QuerySet[Job]:
    """Running jobs whose lease has expired (a job from before leases: started a lease ago),
    and queued jobs that a worker took and never started (`_taken_never_started`)."""
    stale = Q(state=JobState.RUNNING) & (
        Q(lease_until__lt=now)
        | Q(lease_until__isnull=True, started_at__lt=now - dt.timedelta(seconds=lease_seconds()))
    )
    never_started = _taken_never_started(now)
    if never_started:
        stale |= Q(state=JobState.QUEUED, pk__in=never_started)
    return Job.objects.filter(stale)


#: How many queued jobs a sweep looks at for one taken and never started.
QUEUED_LOOKED_AT = 1000


def _taken_never_started(now: dt.datetime) -> list[Any]:
    """Queued jobs whose django-tasks row a worker claimed (marked running) more than a lease
    ago: the worker claims the row and starts the job (`runner.job_run`) at once, so such a
    job's worker died in between (kill -9 at that moment) and no worker will ever take it
    again. Two small queries: the queued jobs with their rows, then those rows' states."""

    queued = dict(
        Job.objects.filter(state=JobState.QUEUED)
        .exclude(task_result_id="")
        .values_list("task_result_id", "pk")[:QUEUED_LOOKED_AT]
    )
    if not queued:
        return []
    claimed = DBTaskResult.objects.filter(
        id__in=list(queued),
        status=TaskResultStatus.RUNNING,
        started_at__lt=now - dt.timedelta(seconds=lease_seconds()),
    ).values_list("id", flat=True)
    return [queued[str(task_id)] for task_id in claimed if str(task_id) in queued]


def lease_error(job: Job) -> dict[str, object]:
    """The failure recorded on a job whose lease expired, in both languages."""
    seen = job.heartbeat_at or job.started_at
    if seen is None:
        return {
            "code": LEASE_EXPIRED,
            "message_ko": (
                "작업을 맡은 작업 프로세스가 작업을 시작하기 전에 멈췄습니다. "
                "작업을 실패로 기록했습니다. 다시 시도할 수 있습니다."
            ),
            "message_en": (
                "The worker that took this job stopped before starting it; the job has been "
                "marked failed. It can be retried."
            ),
            "details": {"reason": LEASE_EXPIRED, "heartbeat_at": None, "lease_until": None},
        }
    when = timezone.localtime(seen).strftime("%Y-%m-%d %H:%M:%S")
    return {
        "code": LEASE_EXPIRED,
        "message_ko": (
            f"작업을 실행하던 작업 프로세스가 멈췄습니다(마지막 신호 {when}). "
            "작업을 실패로 기록했습니다. 다시 시도할 수 있습니다."
        ),
        "message_en": (
            f"The worker running this job stopped (last sign of life {when}); the job has "
            "been marked failed. It can be retried."
        ),
        "details": {
            "reason": LEASE_EXPIRED,
            "heartbeat_at": seen.isoformat() if seen else None,
            "lease_until": job.lease_until.isoformat() if job.lease_until else None,
        },
    }


def jobs_expire(*, now: dt.datetime | None = None, limit: int = 100) -> int:
    """Mark failed every running job whose lease has expired; how many were. Each is changed
    only if it is still running on an expired lease (a worker that renewed meanwhile wins)."""

    now = now or timezone.now()
    found = list(
        expired(now).only("pk", "heartbeat_at", "started_at", "lease_until", "task_result_id")[
            :limit
        ]
    )
    failed = 0
    for job in found:
        with transaction.atomic():
            changed = (
                expired(now)
                .filter(pk=job.pk)
                .update(
                    state=JobState.FAILED,
                    error=lease_error(job),
                    finished_at=now,
                    result={},
                )
            )
            if changed and job.task_result_id:
                # django-tasks' own row of the run, left "running" by the dead worker.
                DBTaskResult.objects.filter(
                    id=job.task_result_id, status=TaskResultStatus.RUNNING
                ).update(status=TaskResultStatus.FAILED, finished_at=now)
        if changed:
            failed += 1
            logger.warning("job %s: its lease expired; marked failed", job.pk)
    return failed


def jobs_expire_quietly() -> int:
    """`jobs_expire` for a page or an API read: a read first, and a write only when a lease has
    expired; a database that is busy (a lock held elsewhere) leaves the sweep to the worker
    and the read goes on."""
    now = timezone.now()
    if not expired(now).exists():
        return 0
    try:
        with brief_lock_wait():
            return jobs_expire(now=now)
    except DatabaseError as exc:
        logger.info("expired job leases left to the worker (%s)", exc)
        return 0
