"""Running a queued job (the worker, through `tasks.run_job`): claim it with a lease, run its
kind's function — its writes commit together or not at all — and record success or the failure
with its reason in both languages."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from panmun.common.errors import DomainError, ErrorCode

from .lease import LeaseKeeper, lease_until
from .models import Job, JobState
from .progress import JobProgress
from .registry import KINDS

log = logging.getLogger(__name__)


def _claim(job_id: str) -> Job | None:
    """Move a queued job to running, with its first lease; exactly one worker wins."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=now, heartbeat_at=now, lease_until=lease_until(now)
    )
    return Job.objects.get(pk=job_id) if claimed == 1 else None


class LeaseLost(Exception):
    """The job was given up (its lease expired) before it could be marked succeeded."""


def job_run(job_id: str) -> Job:
    """Run a queued job. Its function's writes commit together or not at all; a failure is
    recorded on the job with its reason in both languages. A kind registered `atomic=False`
    runs outside the runner's transaction and keeps its own (see `registry`). While it runs,
    a thread renews its lease (see `lease`)."""
    job = _claim(job_id)
    if job is None:
        return Job.objects.get(pk=job_id)
    kind = KINDS.get(job.kind)
    # An atomic kind's progress would stay inside its transaction, unseen, and lock the row
    # the lease is renewed on: the job counts it, and the lease's thread shows it from its
    # own connection (PostgreSQL; see `LeaseKeeper`), the runner writing the end.
    progress = JobProgress(job, write=kind is None or not kind.atomic)
    with LeaseKeeper(job.pk, progress=None if progress.write else progress):
        _run_claimed(job, progress)
    job.refresh_from_db()
    return job


def _run_claimed(job: Job, progress: JobProgress) -> None:
    kind = KINDS.get(job.kind)
    try:
        if kind is None:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                f"알 수 없는 작업 종류입니다: {job.kind}",
                f"Unknown job kind: {job.kind}",
            )
        if kind.atomic:
            with transaction.atomic():
                result = kind.run(job, progress)
                if not _succeed(job, result, progress, running_only=True):
                    raise LeaseLost  # everything it wrote is rolled back
        else:
            result = kind.run(job, progress)
            # Its writes have committed: say so, even if it was given up meanwhile.
            with transaction.atomic():
                _succeed(job, result, progress, running_only=False)
    except LeaseLost:
        log.warning("job %s (%s) was given up before it ended; rolled back", job.pk, job.kind)
        _discard_file(job)
    except DomainError as exc:
        _fail(
            job,
            {
                "code": str(exc.code),
                "message_ko": exc.message_ko,
                "message_en": exc.message_en,
                "details": exc.details,
            },
        )
    except Exception as exc:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(
            job,
            {
                "code": str(ErrorCode.INTERNAL_ERROR),
                "message_ko": f"작업 중 예기치 않은 오류가 발생했습니다: {type(exc).__name__}",
                "message_en": f"The job stopped on an unexpected error: {type(exc).__name__}",
                "details": {"error": str(exc)[:500]},
            },
        )


def _succeed(
    job: Job, result: dict[str, Any], progress: JobProgress, *, running_only: bool
) -> bool:
    mine = Job.objects.filter(pk=job.pk)
    if running_only:
        mine = mine.filter(state=JobState.RUNNING)
    return bool(
        mine.update(
            state=JobState.SUCCEEDED,
            result=result or {},
            error={},
            finished_at=timezone.now(),
            progress_done=progress.total,
            progress_total=progress.total,
        )
    )


def _fail(job: Job, error: dict[str, Any]) -> None:
    # The job function's transaction has been rolled back; only the failure is recorded (on a
    # job still running: one given up keeps its reason), and a file the function stored before
    # it failed is deleted.
    Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
        state=JobState.FAILED, error=error, finished_at=timezone.now(), result={}, result_file=""
    )
    _discard_file(job)


def _discard_file(job: Job) -> None:
    if job.result_file:
        job.result_file.delete(save=False)
