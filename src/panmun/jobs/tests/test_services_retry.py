"""A failed job can be started again: a new job of the same kind with the same parameters, by a
user who may start it; every refusal leaves nothing written (issue 16, item 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from panmun.accounts.models import AuditEntry, Role
from panmun.common.errors import DomainError, ErrorCode
from panmun.jobs.lease import jobs_expire
from panmun.jobs.models import Job, JobState
from panmun.jobs.services import job_retry, job_start


def failed_job(personas, username="ministry", kind="dialogue.export", params=None):
    """A job started by `username` whose worker was lost: its lease expired, the sweep failed it."""
    job = job_start(actor=personas[username], kind=kind, params=params or {})  # not run here
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=3),
        lease_until=timezone.now() - dt.timedelta(minutes=1),
    )
    assert jobs_expire() == 1
    job.refresh_from_db()
    return job


def written():
    return Job.objects.count(), AuditEntry.objects.count()


def test_a_failed_job_is_started_again_with_its_kind_and_parameters(personas):
    old = failed_job(
        personas,
        kind="dialogue.import",
        params={"document": '{"events": []}', "filename": "e.json"},
    )
    new = job_retry(actor=personas["ministry"], job_id=old.pk)
    assert new.pk != old.pk
    assert (new.kind, new.params, new.state) == (old.kind, old.params, JobState.QUEUED)
    assert new.created_by == personas["ministry"] and new.retry_of == old
    entry = AuditEntry.objects.filter(action="jobs.job.start").latest("pk")
    assert entry.changes["retry_of"] == str(old.pk)
    old.refresh_from_db()
    assert old.state == JobState.FAILED  # the failure stays as it was


def test_a_supervisor_may_start_again_someone_elses_failed_job(personas):
    old = failed_job(personas)
    new = job_retry(actor=personas["supervisor"], job_id=old.pk)
    assert new.created_by == personas["supervisor"] and new.retry_of == old


def test_a_failed_retry_can_be_retried_in_turn(personas):
    old = failed_job(personas)
    first = job_retry(actor=personas["ministry"], job_id=old.pk)
    Job.objects.filter(pk=first.pk).update(
        state=JobState.RUNNING, lease_until=timezone.now() - dt.timedelta(seconds=1)
    )
    jobs_expire()
    again = job_retry(actor=personas["ministry"], job_id=old.pk)
    assert again.retry_of == old and again.pk != first.pk


# --- refusals: the service, the API and the page; nothing written ---------------------------


def refused(personas, actor, job_id, code):
    before = written()
    with pytest.raises(DomainError) as exc:
        job_retry(actor=personas[actor], job_id=job_id)
    assert exc.value.code == code
    assert written() == before
    return exc.value


def test_a_job_one_may_not_see_is_not_found(personas, api_for, client_for):
    old = failed_job(personas)
    api = api_for("redcross_s")
    refused(personas, "redcross_s", old.pk, ErrorCode.NOT_FOUND)
    before = written()
    response = api.post(f"/jobs/{old.pk}/retry")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client_for("redcross_s").post(f"/jobs/{old.pk}/retry/").status_code == 404
    assert written() == before


def test_one_who_may_no_longer_start_the_kind_is_refused(personas, api_for, client_for):
    old = failed_job(personas)
    ministry = personas["ministry"]
    api = api_for("ministry")
    ministry.role = Role.VIEWER
    ministry.save(update_fields=["role"])
    refused(personas, "ministry", old.pk, ErrorCode.PERMISSION_DENIED)
    before = written()
    response = api.post(f"/jobs/{old.pk}/retry")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    client = client_for("ministry")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post(f"/jobs/{old.pk}/retry/", follow=True)
    assert page.redirect_chain == [(f"/jobs/{old.pk}/", 302)]
    html = page.content.decode()
    assert "You do not have permission" in html
    assert 'id="retry-form"' not in html  # no button for one who may not
    assert written() == before


@pytest.mark.parametrize("state", [JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED])
def test_only_a_failed_job_is_started_again(personas, api_for, client_for, state):
    job = job_start(actor=personas["ministry"], kind="dialogue.export")
    Job.objects.filter(pk=job.pk).update(state=state)
    api = api_for("ministry")
    err = refused(personas, "ministry", job.pk, ErrorCode.INVALID_TRANSITION)
    assert (err.message_ko, err.message_en) == (
        "실패한 작업만 다시 시도할 수 있습니다.",
        "Only a failed job can be retried.",
    )
    before = written()
    response = api.post(f"/jobs/{job.pk}/retry")
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    html = client_for("ministry").post(f"/jobs/{job.pk}/retry/", follow=True).content.decode()
    assert "실패한 작업만 다시 시도할 수 있습니다." in html
    assert written() == before


def test_a_job_already_started_again_is_not_started_twice(personas, api_for, client_for):
    old = failed_job(personas)
    new = job_retry(actor=personas["ministry"], job_id=old.pk)
    api = api_for("ministry")
    err = refused(personas, "ministry", old.pk, ErrorCode.CONFLICT)
    assert err.details == {"retry": str(new.pk), "state": "queued"}
    before = written()
    response = api.post(f"/jobs/{old.pk}/retry")
    assert response.status_code == 409 and response.json()["details"]["retry"] == str(new.pk)
    html = client_for("ministry").post(f"/jobs/{old.pk}/retry/", follow=True).content.decode()
    assert "이 작업은 이미 다시 시작했습니다." in html
    assert f'href="/jobs/{new.pk}/"' in html  # the page links the new try
    assert written() == before


# --- the way it works when allowed: API and page -------------------------------------------


def test_the_api_starts_a_failed_job_again(personas, api_for):
    old = failed_job(personas)
    response = api_for("ministry").post(f"/jobs/{old.pk}/retry")
    assert response.status_code == 202
    data = response.json()
    assert data["retry_of"] == str(old.pk) and data["kind"] == "dialogue.export"
    assert data["state"] == "queued"


def test_the_page_has_a_button_that_starts_it_again(personas, client_for):
    old = failed_job(personas)
    client = client_for("ministry")
    html = client.get(f"/jobs/{old.pk}/").content.decode()
    assert f'action="/jobs/{old.pk}/retry/"' in html
    response = client.post(f"/jobs/{old.pk}/retry/")
    new = Job.objects.get(retry_of=old)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{new.pk}/"
    html = client.get(f"/jobs/{new.pk}/").content.decode()
    assert f'href="/jobs/{old.pk}/" id="retry-of"' in html


def test_a_get_does_not_retry(personas, client_for):
    old = failed_job(personas)
    before = written()
    assert client_for("ministry").get(f"/jobs/{old.pk}/retry/").status_code == 405
    assert written() == before
