"""Job pages: start an export or an import, watch progress (htmx polling), download results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from panmun.accounts.requests import AuthedRequest
from panmun.common.bilingual import tr
from panmun.common.errors import ErrorCode, not_found
from panmun.common.language import request_language
from panmun.common.pages import post_action
from panmun.jobs.access import get_job_for_user, jobs_for_user

from .lease import jobs_expire_quietly
from .registry import KINDS
from .selectors import worker_health
from .services import job_kind_permit, job_retry, job_start, may_start


@login_required
@require_http_methods(["GET", "POST"])
def job_list(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        job_kind_permit(request.user, kind)  # permission before the upload is read
        params: dict[str, Any] = {}
        job_kind = KINDS.get(kind)
        if job_kind is not None and job_kind.read_upload is not None:
            params = job_kind.read_upload(request.FILES)
        job = job_start(actor=request.user, kind=kind, params=params)
        messages.success(request, _("The job has been started."))
        return redirect("jobs:detail", pk=job.pk)
    jobs_expire_quietly()  # a job whose worker died is shown failed, not running
    return render(
        request,
        "jobs/list.html",
        {
            "health": worker_health(),
            "jobs": jobs_for_user(request.user)[:100],
            "start_forms": [
                k.start_form for k in KINDS.values() if k.start_form and k.allowed(request.user)
            ],
        },
    )


#: The items of a list in a job's result shown on its page (the count is said beyond).
RESULT_ITEMS_SHOWN = 20


def _result_text(value: object) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_result_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_result_text(v) for v in value)
    return "" if value is None else str(value)


def result_shown(result: object) -> tuple[list[tuple[str, str]], list[tuple[str, list[str], int]]]:
    """A job's result as its page shows it: the plain values on one line, and each list (the
    firms refused, the events to review) as its first items, one a line, each a readable text
    (a dict as `key: value; …`) rather than its stored form, with the count of the rest."""
    plain: list[tuple[str, str]] = []
    lists: list[tuple[str, list[str], int]] = []
    for key, value in (result or {}).items() if isinstance(result, dict) else []:
        if isinstance(value, list):
            shown = [_result_text(v) for v in value[:RESULT_ITEMS_SHOWN]]
            lists.append((str(key), shown, max(0, len(value) - RESULT_ITEMS_SHOWN)))
        else:
            plain.append((str(key), _result_text(value)))
    return plain, lists


def _detail_context(request: AuthedRequest, pk: object) -> dict[str, object]:
    jobs_expire_quietly()
    job = get_job_for_user(request.user, pk)
    error = job.error or {}
    details = error.get("details")
    plain, lists = result_shown(job.result)
    return {
        "job": job,
        "result_plain": plain,
        "result_lists": lists,
        "can_retry": job.state == "failed" and may_start(request.user, job.kind),
        "retries": list(jobs_for_user(request.user).filter(retry_of=job).order_by("created_at")),
        "message": tr(error.get("message_ko"), error.get("message_en"), request_language(request)),
        "details": details if isinstance(details, dict) else {},
    }


@login_required
def job_detail(request: AuthedRequest, pk: object) -> HttpResponse:
    return render(request, "jobs/detail.html", _detail_context(request, pk))


@login_required
@require_POST
def job_retry_view(request: AuthedRequest, pk: object) -> HttpResponse:
    """Start a failed job again; a refusal (may not start it, not failed, already retried) is
    shown on the job's page."""
    get_job_for_user(request.user, pk)  # 404 before anything else
    return post_action(
        request,
        lambda: job_retry(actor=request.user, job_id=pk),
        success=_("The job has been started again."),
        then=lambda job: redirect("jobs:detail", pk=job.pk),
        refused=redirect("jobs:detail", pk=pk),
        passes=[ErrorCode.NOT_FOUND],
    )


@login_required
def job_progress(request: AuthedRequest, pk: object) -> HttpResponse:
    response = render(request, "jobs/_progress.html", _detail_context(request, pk))
    return response


@login_required
def job_download(request: AuthedRequest, pk: object) -> FileResponse:
    job = get_job_for_user(request.user, pk)
    if not job.result_file:
        raise not_found("작업 결과 파일", "Job result file", pk)
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=(job.result_file.name or "").rsplit("/", 1)[-1],
    )
