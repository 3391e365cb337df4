"""/api/v1/jobs: start a job, follow its progress, fetch its result."""

from __future__ import annotations

import uuid

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


@router.get("", response=responds(list[JobOut]), summary="Jobs you may see, newest first")
def list_jobs(request: ApiRequest) -> list[Job]:
    jobs_expire_quietly()  # a job whose worker died is shown failed, not running
    return list(jobs_for_user(request.auth)[:200])


@router.post(
    "",
    response=responds(JobOut, 202),
    summary="Start a job",
    # Someone who may start no kind of job is refused before the body is read (403, no kinds).
    auth=permitted(can_start_any_job),
)
def start_job(request: ApiRequest, payload: JobIn) -> Status[Job]:
    job = job_start(actor=request.auth, kind=payload.kind, params=payload.params)
    job.refresh_from_db()
    return Status(202, job)


@router.get("/{job_id}", response=responds(JobOut), summary="A job's state and progress")
def get_job(request: ApiRequest, job_id: uuid.UUID) -> Job:
    jobs_expire_quietly()
    return get_job_for_user(request.auth, job_id)


@router.post(
    "/{job_id}/retry",
    response=responds(JobOut, 202),
    summary="Start a failed job again (a new job, same kind and parameters)",
)
def retry_job(request: ApiRequest, job_id: uuid.UUID) -> Status[Job]:
    job = job_retry(actor=request.auth, job_id=job_id)
    job.refresh_from_db()
    return Status(202, job)


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
