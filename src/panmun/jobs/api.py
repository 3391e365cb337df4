"""/api/v1/jobs: start a job, follow its progress, fetch its result."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import FileResponse
from ninja import Router, Status

from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import responds
from panmun.common.errors import not_found
from panmun.jobs.access import get_job_for_user, jobs_for_user

from .lease import jobs_expire_quietly
from .models import Job
from .schemas import JobIn, JobOut
from .services import can_start_any_job, job_retry, job_start

router = Router(tags=["jobs"])


def job_out(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "state": job.state,
        "progress_done": job.progress_done,
        "progress_total": job.progress_total,
        "percent": job.percent,
        "stage": job.stage,
        "result": job.result,
        "error": job.error,
        "has_file": bool(job.result_file),
        "created_by": job.created_by.get_username(),
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "heartbeat_at": job.heartbeat_at,
        "lease_until": job.lease_until,
        "retry_of": job.retry_of_id,
    }


@router.get("", response=responds(list[JobOut]), summary="Jobs you may see, newest first")
def list_jobs(request: ApiRequest) -> list[dict[str, Any]]:
    jobs_expire_quietly()  # a job whose worker died is shown failed, not running
    return [job_out(j) for j in jobs_for_user(request.auth)[:200]]


@router.post(
    "",
    response=responds(JobOut, 202),
    summary="Start a job",
    # Someone who may start no kind of job is refused before the body is read (403, no kinds).
    auth=permitted(can_start_any_job),
)
def start_job(request: ApiRequest, payload: JobIn) -> Status[dict[str, Any]]:
    job = job_start(actor=request.auth, kind=payload.kind, params=payload.params)
    job.refresh_from_db()
    return Status(202, job_out(job))


@router.get("/{job_id}", response=responds(JobOut), summary="A job's state and progress")
def get_job(request: ApiRequest, job_id: uuid.UUID) -> dict[str, Any]:
    jobs_expire_quietly()
    return job_out(get_job_for_user(request.auth, job_id))


@router.post(
    "/{job_id}/retry",
    response=responds(JobOut, 202),
    summary="Start a failed job again (a new job, same kind and parameters)",
)
def retry_job(request: ApiRequest, job_id: uuid.UUID) -> Status[dict[str, Any]]:
    job = job_retry(actor=request.auth, job_id=job_id)
    job.refresh_from_db()
    return Status(202, job_out(job))


@router.get(
    "/{job_id}/file", summary="The file a finished job produced", response=responds(None, 200)
)
def job_file(request: ApiRequest, job_id: uuid.UUID) -> FileResponse:
    job = get_job_for_user(request.auth, job_id)
    if not job.result_file:
        raise not_found("작업 결과 파일", "Job result file", job_id)
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=(job.result_file.name or "").rsplit("/", 1)[-1],
    )
