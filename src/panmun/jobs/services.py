"""Starting and running jobs. `job_start` is the one way to queue work; `job_run` runs it;
`job_retry` starts a failed job again."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode, permission_denied
from panmun.jobs.access import can_run_jobs, get_job_for_user

from .lease import LeaseKeeper, lease_until
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


def may_start(actor: User, kind: str) -> bool:
    """Whether `actor` may start a job of `kind`: the kind's `allowed` alone decides (an
    unknown kind: whoever may run jobs, so that the parameters' check names it)."""
    if kind not in KINDS:
        return can_run_jobs(actor)
    return KINDS[kind].allowed(actor)


@transaction.atomic
def job_start(
    *,
    actor: User,
    kind: str,
    params: dict[str, Any] | None = None,
    retry_of: Job | None = None,
) -> Job:
    """Record a job and queue it once the transaction commits. The kind's `allowed` decides
    who may start it (officers, for most; whoever may read the registry, for its export), and
    is asked before the parameters are checked."""
    job_kind_permit(actor, kind)
    clean = job_kind_validate(kind, params or {})
    job = Job(kind=kind, params=clean, created_by=actor, retry_of=retry_of)
    job.full_clean()
    job.save()
    changes: dict[str, Any] = {"kind": kind, "params": params_summary(clean)}
    if retry_of is not None:
        changes["retry_of"] = str(retry_of.pk)
    audit.record(actor=actor, action="jobs.job.start", obj=job, changes=changes)

    def enqueue() -> None:
        from .tasks import run_job

        result = run_job.enqueue(str(job.pk))
        Job.objects.filter(pk=job.pk, task_result_id="").update(task_result_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


@transaction.atomic
def job_retry(*, actor: User, job_id: Any) -> Job:
    """Start a failed job again: a new job of the same kind with the same parameters, started
    by `actor`, who must see the failed job (else 404) and may start its kind (else 403). Only a
    failed job is retried, and only once at a time: while a retry of it is queued, running or
    done, that retry is the one to follow (409)."""
    require_authenticated(actor)
    job = get_job_for_user(actor, job_id)
    require(may_start(actor, job.kind))
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.state != JobState.FAILED:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "실패한 작업만 다시 시도할 수 있습니다.",
            "Only a failed job can be retried.",
            {"state": job.state},
        )
    other = job.retries.exclude(state=JobState.FAILED).order_by("-created_at").first()
    if other is not None:
        raise DomainError(
            ErrorCode.CONFLICT,
            "이 작업은 이미 다시 시작했습니다. 새 작업을 확인하십시오.",
            "This job has already been started again: follow the new job.",
            {"retry": str(other.pk), "state": other.state},
        )
    return job_start(actor=actor, kind=job.kind, params=job.params, retry_of=job)


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
    with LeaseKeeper(job.pk):
        _run_claimed(job)
    job.refresh_from_db()
    return job


def _run_claimed(job: Job) -> None:
    kind = KINDS.get(job.kind)
    # An atomic kind's progress would stay inside its transaction, unseen, and lock the row
    # the lease is renewed on: only the end is written.
    progress = JobProgress(job, write=kind is None or not kind.atomic)
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
