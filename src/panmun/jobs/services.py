"""Starting and running jobs. `job_start` is the one way to queue work; `job_run` runs it."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require_authenticated
from panmun.accounts.models import User
from panmun.errors import DomainError, ErrorCode, permission_denied

from .models import Job, JobState
from .progress import JobProgress
from .registry import KINDS

log = logging.getLogger(__name__)


def kinds_for_user(user: User) -> list[str]:
    """The kinds of job `user` may start (each kind's `allowed` decides)."""
    return sorted(name for name, kind in KINDS.items() if kind.allowed(user))


def can_start_any_job(user: User) -> bool:
    return bool(kinds_for_user(user))


def job_kind_permit(actor: User, kind: str) -> None:
    """Permission before validation: a kind the actor may not start is refused (403) with
    nothing said of the kinds there are; an unknown kind named by someone who may start some
    is a 422 that lists only those."""
    require_authenticated(actor)
    startable = kinds_for_user(actor)
    if kind in startable:
        return
    if kind in KINDS or not startable:
        raise permission_denied()
    raise DomainError(
        ErrorCode.INVALID_INPUT,
        f"알 수 없는 작업 종류입니다: {str(kind)[:80]}",
        f"Unknown job kind: {str(kind)[:80]}",
        {"field": "kind", "allowed": startable},
    )


def job_kind_validate(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    if kind not in KINDS:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"알 수 없는 작업 종류입니다: {kind}",
            f"Unknown job kind: {kind}",
            {"field": "kind"},
        )
    if not isinstance(params, dict):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "작업 매개변수는 객체여야 합니다.",
            "Job parameters must be an object.",
            {"field": "params"},
        )
    return KINDS[kind].validate(params)


@transaction.atomic
def job_start(*, actor: User, kind: str, params: dict[str, Any] | None = None) -> Job:
    """Record a job and queue it once the transaction commits. The kind's `allowed` decides
    who may start it (officers, for most; whoever may read the registry, for its export), and
    is asked before the parameters are checked."""
    job_kind_permit(actor, kind)
    clean = job_kind_validate(kind, params or {})
    job = Job(kind=kind, params=clean, created_by=actor)
    job.full_clean()
    job.save()
    audit.record(
        actor=actor,
        action="jobs.job.start",
        obj=job,
        changes={"kind": kind, "params": params_summary(clean)},
    )

    def enqueue() -> None:
        from .tasks import run_job

        result = run_job.enqueue(str(job.pk))
        Job.objects.filter(pk=job.pk, task_result_id="").update(task_result_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


def params_summary(params: dict[str, Any]) -> dict[str, Any]:
    """What the audit log keeps of a job's parameters: short values as they are, long texts
    (an imported document) as their size and SHA-256."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, str) and len(value) > 200:
            data = value.encode("utf-8")
            out[key] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        else:
            out[key] = value
    return out


def _claim(job_id: str) -> Job | None:
    """Move a queued job to running; exactly one worker wins."""
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=timezone.now()
    )
    return Job.objects.get(pk=job_id) if claimed == 1 else None


def job_run(job_id: str) -> Job:
    """Run a queued job. Its function's writes commit together or not at all; a failure is
    recorded on the job with its reason in both languages. A kind registered `atomic=False`
    runs outside the runner's transaction and keeps its own (see `registry`)."""
    job = _claim(job_id)
    if job is None:
        return Job.objects.get(pk=job_id)
    kind = KINDS.get(job.kind)
    progress = JobProgress(job)
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
                _succeed(job, result, progress)
        else:
            result = kind.run(job, progress)
            with transaction.atomic():
                _succeed(job, result, progress)
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
    job.refresh_from_db()
    return job


def _succeed(job: Job, result: dict[str, Any], progress: JobProgress) -> None:
    Job.objects.filter(pk=job.pk).update(
        state=JobState.SUCCEEDED,
        result=result or {},
        finished_at=timezone.now(),
        progress_done=progress.total,
        progress_total=progress.total,
    )


def _fail(job: Job, error: dict[str, Any]) -> None:
    # The job function's transaction has been rolled back; only the failure is recorded, and a
    # file the function stored before it failed is deleted.
    Job.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, error=error, finished_at=timezone.now(), result={}, result_file=""
    )
    if job.result_file:
        job.result_file.delete(save=False)
