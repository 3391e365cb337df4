"""A job whose worker is gone (kill -9, a lost machine) does not stay "running" forever: its
lease expires and it is marked failed with the reason in both languages (issue 16, item 2)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from panmun.dialogue.models import Talks
from panmun.jobs import lease
from panmun.jobs.models import Job, JobState
from panmun.jobs.registry import KINDS, register
from panmun.jobs.services import job_start


def running(personas, *, lease_until, heartbeat_at=None, kind="dialogue.export", **extra):
    now = timezone.now()
    return Job.objects.create(
        kind=kind,
        created_by=personas["ministry"],
        state=JobState.RUNNING,
        started_at=now - dt.timedelta(minutes=5),
        heartbeat_at=heartbeat_at,
        lease_until=lease_until,
        **extra,
    )


def test_a_running_job_whose_lease_expired_is_marked_failed_with_the_reason(personas):
    now = timezone.now()
    seen = now - dt.timedelta(seconds=90)
    lost = running(personas, lease_until=now - dt.timedelta(seconds=30), heartbeat_at=seen)
    alive = running(personas, lease_until=now + dt.timedelta(seconds=30), heartbeat_at=now)
    queued = Job.objects.create(kind="dialogue.export", created_by=personas["ministry"])

    assert lease.jobs_expire(now=now) == 1

    lost.refresh_from_db()
    when = timezone.localtime(seen).strftime("%Y-%m-%d %H:%M:%S")
    assert lost.state == JobState.FAILED
    assert lost.finished_at == now
    assert lost.error == {
        "code": "lease_expired",
        "message_ko": (
            f"작업을 실행하던 작업 프로세스가 멈췄습니다(마지막 신호 {when}). "
            "작업을 실패로 기록했습니다. 다시 시도할 수 있습니다."
        ),
        "message_en": (
            f"The worker running this job stopped (last sign of life {when}); the job has "
            "been marked failed. It can be retried."
        ),
        "details": {
            "reason": "lease_expired",
            "heartbeat_at": seen.isoformat(),
            "lease_until": (now - dt.timedelta(seconds=30)).isoformat(),
        },
    }
    alive.refresh_from_db()
    queued.refresh_from_db()
    assert alive.state == JobState.RUNNING and queued.state == JobState.QUEUED
    assert lease.jobs_expire(now=now) == 0  # once


def test_a_job_running_from_before_leases_expires_a_lease_after_its_start(personas):
    now = timezone.now()
    old = running(personas, lease_until=None)  # started five minutes ago
    assert lease.jobs_expire(now=now) == 1
    old.refresh_from_db()
    assert old.state == JobState.FAILED and old.error["code"] == "lease_expired"


def test_the_django_tasks_row_of_a_lost_job_is_failed_too(personas):
    from django_tasks_db.models import DBTaskResult

    from panmun.jobs.tasks import run_job

    row = DBTaskResult.objects.create(
        args_kwargs={"args": ["x"], "kwargs": {}},
        task_path=run_job.module_path,
        backend_name="default",
        status="RUNNING",
    )
    now = timezone.now()
    running(personas, lease_until=now - dt.timedelta(seconds=1), task_result_id=str(row.id))
    lease.jobs_expire(now=now)
    row.refresh_from_db()
    assert row.status == "FAILED" and row.finished_at == now


def test_the_jobs_page_and_the_api_show_a_lost_job_failed(personas, client_for, api_for):
    now = timezone.now()
    lost = running(personas, lease_until=now - dt.timedelta(seconds=1))
    client = client_for("ministry")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/jobs/{lost.pk}/").content.decode()
    assert 'data-state="failed"' in html
    assert "The worker running this job stopped" in html

    other = running(personas, lease_until=timezone.now() - dt.timedelta(seconds=1))
    data = api_for("ministry").get(f"/jobs/{other.pk}").json()
    assert data["state"] == "failed" and data["error"]["code"] == "lease_expired"

    third = running(personas, lease_until=timezone.now() - dt.timedelta(seconds=1))
    listed = {j["id"]: j["state"] for j in api_for("ministry").get("/jobs").json()}
    assert listed[str(third.pk)] == "failed"


def test_a_job_claimed_gets_a_lease_and_ends_with_it(personas, django_capture_on_commit_callbacks):
    seen = {}

    @register("test.leased", title_ko="시험", title_en="Test", allowed=lambda user: True)
    def leased(job, progress):
        row = Job.objects.get(pk=job.pk)
        seen.update(heartbeat_at=row.heartbeat_at, lease_until=row.lease_until)
        return {}

    try:
        with django_capture_on_commit_callbacks(execute=True):
            job = job_start(actor=personas["ministry"], kind="test.leased")
        job.refresh_from_db()
        assert job.state == JobState.SUCCEEDED
        assert seen["lease_until"] - seen["heartbeat_at"] == dt.timedelta(
            seconds=lease.lease_seconds()
        )
    finally:
        KINDS.pop("test.leased")


@pytest.mark.django_db(transaction=True)
def test_a_job_given_up_while_it_ran_keeps_nothing_it_wrote(personas):
    """A job whose lease expired while it still ran (its worker too slow to renew) and that
    another process gave up: when it ends, its writes are rolled back and the job keeps the
    reason it was given up for. (PostgreSQL only: on SQLite the job's transaction holds the
    write lock, so no other process can give it up while it runs.)"""
    import threading

    if connection.vendor != "postgresql":
        pytest.skip("on SQLite no sweep can write while an atomic job runs")

    def sweep_elsewhere():
        try:
            lease.jobs_expire()
        finally:
            connection.close()

    @register("test.late", title_ko="시험", title_en="Test", allowed=lambda user: True)
    def late(job, progress):
        Talks.objects.create(
            title_ko="늦음",
            title_en="late",
            level="summit",
            topic="dialogue",
            start_date="2020-01-01",
        )
        # The lease runs out and another process gives the job up, on its own connection.
        outside = threading.Thread(
            target=lambda: (
                Job.objects.filter(pk=job.pk).update(
                    lease_until=timezone.now() - dt.timedelta(seconds=1)
                ),
                sweep_elsewhere(),
            )
        )
        outside.start()
        outside.join()
        return {"done": 1}

    try:
        job = job_start(actor=personas["ministry"], kind="test.late")  # runs on commit
        job.refresh_from_db()
        assert job.state == JobState.FAILED and job.error["code"] == "lease_expired"
        assert job.result == {}
        assert not Talks.objects.filter(title_ko="늦음").exists()
    finally:
        KINDS.pop("test.late")


@pytest.mark.django_db(transaction=True)
def test_the_lease_is_renewed_while_the_job_runs(personas):
    now = timezone.now()
    job = running(personas, lease_until=now + dt.timedelta(seconds=5), heartbeat_at=now)
    with lease.LeaseKeeper(job.pk, every_s=0.05):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.heartbeat_at > now:
                break
            time.sleep(0.05)
    assert job.heartbeat_at > now
    assert job.lease_until == job.heartbeat_at + dt.timedelta(seconds=lease.lease_seconds())
    assert job.state == JobState.RUNNING


def test_a_finished_job_is_not_renewed(personas):
    job = Job.objects.create(
        kind="dialogue.export", created_by=personas["ministry"], state=JobState.SUCCEEDED
    )
    assert lease.lease_renew(job.pk) is False
    job.refresh_from_db()
    assert job.lease_until is None


def _claimed_row(*, started_at):
    from django_tasks_db.models import DBTaskResult

    from panmun.jobs.tasks import run_job

    row = DBTaskResult.objects.create(
        args_kwargs={"args": ["x"], "kwargs": {}},
        task_path=run_job.module_path,
        backend_name="default",
        status="RUNNING",  # claimed by a worker
    )
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=started_at)
    return row


def test_a_queued_job_whose_worker_died_before_starting_it_fails(personas, api_for):
    """A worker claims django-tasks' row, then starts the job: killed in between, it left the
    job queued for ever (no worker takes a claimed row again). A lease after the claim, the
    job is failed with a reason that says so, and can be retried."""
    now = timezone.now()
    taken = Job.objects.create(
        kind="dialogue.export",
        created_by=personas["ministry"],
        task_result_id=str(_claimed_row(started_at=now - dt.timedelta(minutes=5)).id),
    )
    just_taken = Job.objects.create(
        kind="dialogue.export",
        created_by=personas["ministry"],
        task_result_id=str(_claimed_row(started_at=now - dt.timedelta(seconds=1)).id),
    )
    waiting = Job.objects.create(kind="dialogue.export", created_by=personas["ministry"])

    assert lease.jobs_expire(now=now) == 1

    taken.refresh_from_db()
    assert taken.state == JobState.FAILED and taken.error["code"] == "lease_expired"
    assert taken.error["message_en"].startswith("The worker that took this job stopped before")
    assert "시작하기 전에 멈췄습니다" in taken.error["message_ko"]
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.get(pk=taken.task_result_id).status == "FAILED"
    just_taken.refresh_from_db()
    waiting.refresh_from_db()
    assert just_taken.state == waiting.state == JobState.QUEUED
    retried = api_for("ministry").post(f"/jobs/{taken.pk}/retry")
    assert retried.status_code in (200, 201, 202), retried.content[:300]


@pytest.mark.django_db(transaction=True)
def test_an_atomic_jobs_progress_shows_while_it_runs(personas, monkeypatch):
    """An `atomic=True` job's writes, its progress among them, stay in its transaction until it
    ends; the lease's thread shows the progress from its own connection, so the page sees the
    job move (the offline gate's merge). PostgreSQL only: on SQLite the job holds the one
    write lock and the page sees the end alone."""
    if connection.vendor != "postgresql":
        pytest.skip("on SQLite no other connection can write while an atomic job runs")
    monkeypatch.setattr(lease, "PROGRESS_EVERY_S", 0.05)
    seen = {}

    @register("test.moving", title_ko="시험", title_en="Test", allowed=lambda user: True)
    def moving(job, progress):
        progress.start(4, "checking")
        progress.advance(3)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # read committed: the thread's writes show here
            row = Job.objects.get(pk=job.pk)
            if row.progress_done == 3:
                seen.update(done=row.progress_done, total=row.progress_total, stage=row.stage)
                break
            time.sleep(0.05)
        progress.advance()
        return {"done": 4}

    try:
        job = job_start(actor=personas["ministry"], kind="test.moving")  # runs on commit
        job.refresh_from_db()
        assert job.state == JobState.SUCCEEDED
        assert seen == {"done": 3, "total": 4, "stage": "checking"}
        assert (job.progress_done, job.progress_total) == (4, 4)
    finally:
        KINDS.pop("test.moving")
