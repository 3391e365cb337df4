"""Starting jobs. `job_start` is the one way to queue work (`runner.job_run` runs it, called by
the worker through `tasks.run_job`); `job_retry` starts a failed job again."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.db import transaction

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode, permission_denied
from panmun.jobs.access import can_run_jobs, get_job_for_user

from .models import Job, JobState
from .registry import KINDS
from .tasks import run_job

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
