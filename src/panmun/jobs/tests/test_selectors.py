"""The jobs page and the liaison pages say when the task worker or the liaison runner has not
reported for a while, or never has (issue 16, item 1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from panmun.jobs.heartbeat import LIAISON_RUNNER, WORKER, HeartbeatWriter
from panmun.jobs.models import Heartbeat
from panmun.jobs.selectors import HealthState, process_health, runner_health, worker_health

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def beat(process: str, *, ago: float, every_s: int = 10, error: str = "") -> Heartbeat:
    now = timezone.now()
    return Heartbeat.objects.create(
        process=process,
        host="node-1",
        pid=4242,
        started_at=now - dt.timedelta(hours=1),
        beat_at=now - dt.timedelta(seconds=ago),
        every_s=every_s,
        last_error=error,
        last_error_at=now - dt.timedelta(seconds=ago + 5) if error else None,
    )


def page(client_for, url: str, language: str = "en") -> str:
    client = client_for("ministry")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_process_is_late_after_three_missed_reports_and_fifteen_seconds():
    now = timezone.now()
    assert process_health(WORKER, now=now).state == HealthState.NEVER
    row = beat(WORKER, ago=0)
    assert process_health(WORKER, now=row.beat_at + dt.timedelta(seconds=45)).state == "ok"
    late = process_health(WORKER, now=row.beat_at + dt.timedelta(seconds=46))
    assert (late.state, late.late_s, late.warn) == (HealthState.LATE, 46, True)


@pytest.mark.django_db
def test_the_newest_report_of_any_worker_counts():
    beat(WORKER, ago=600)
    Heartbeat.objects.create(
        process=WORKER,
        host="node-2",
        pid=1,
        started_at=timezone.now(),
        beat_at=timezone.now(),
        every_s=10,
    )
    assert process_health(WORKER).state == HealthState.OK


@pytest.mark.django_db
def test_no_worker_is_expected_where_jobs_run_at_once():
    assert worker_health() is None  # the tests' immediate backend
    with override_settings(TASKS=DB_TASKS):
        health = worker_health()
        assert health is not None and health.state == HealthState.NEVER


def test_the_jobs_page_warns_when_the_worker_never_reported(personas, client_for):
    with override_settings(TASKS=DB_TASKS):
        english = page(client_for, "/jobs/")
        korean = page(client_for, "/jobs/", "ko")
    assert 'data-health="never"' in english
    assert "The task worker has never reported." in english
    assert "Queued jobs will not run" in english
    assert "<code>panmun worker</code>" in english
    assert "작업 실행기가 한 번도 보고하지 않았습니다." in korean
    assert "대기 중인 작업이 실행되지 않고" in korean


def test_the_jobs_page_warns_when_the_worker_is_late_with_its_last_error(personas, client_for):
    row = beat(WORKER, ago=300, error="OperationalError: database is locked")
    with override_settings(TASKS=DB_TASKS):
        english = page(client_for, "/jobs/")
        korean = page(client_for, "/jobs/", "ko")
    since = timezone.localtime(row.beat_at).strftime("%Y-%m-%d %H:%M:%S")
    assert 'data-health="late"' in english
    assert f"The task worker has not reported since {since} (5 min)." in english
    assert "Its last error (" in english and "OperationalError: database is locked" in english
    assert f"작업 실행기가 {since} 이후 보고하지 않았습니다(5분)." in korean


def test_the_jobs_page_is_quiet_while_the_worker_reports(personas, client_for):
    beat(WORKER, ago=2)
    with override_settings(TASKS=DB_TASKS):
        assert "data-health" not in page(client_for, "/jobs/")


@pytest.mark.parametrize("url", ["/liaison/", "/liaison/calls/"])
def test_the_liaison_pages_warn_when_the_runner_never_reported(personas, client_for, url):
    english = page(client_for, url)
    assert "The liaison runner has never reported." in english
    assert "contact calls are neither placed nor closed" in english
    assert "<code>panmun liaison run</code>" in english
    assert "연락 업무 실행기가 한 번도 보고하지 않았습니다." in page(client_for, url, "ko")


@pytest.mark.parametrize("url", ["/liaison/", "/liaison/calls/"])
def test_the_liaison_pages_warn_when_the_runner_is_late(personas, client_for, url):
    beat(LIAISON_RUNNER, ago=60 * 3 + 16, every_s=60)  # three rounds and 15 s missed
    english = page(client_for, url)
    assert 'id="health-liaison-runner" data-health="late"' in english
    assert "The liaison runner has not reported since" in english


@pytest.mark.parametrize("url", ["/liaison/", "/liaison/calls/"])
def test_the_liaison_pages_are_quiet_while_the_runner_reports(personas, client_for, url):
    beat(LIAISON_RUNNER, ago=90, every_s=60)
    assert "data-health" not in page(client_for, url)
    assert runner_health().state == HealthState.OK


@pytest.mark.django_db
def test_a_heartbeat_writer_keeps_one_row_and_the_error_it_was_told():
    now = [0.0]
    writer = HeartbeatWriter(WORKER, every_s=10, clock=lambda: now[0])
    assert writer.beat() is True
    assert writer.beat() is False  # not due yet
    now[0] = 10.0
    writer.failed(RuntimeError("boom"))
    assert writer.beat() is True
    row = Heartbeat.objects.get()
    assert (row.process, row.pid, row.every_s, row.last_error) == (
        WORKER,
        writer.pid,
        10,
        "RuntimeError: boom",
    )


@pytest.mark.django_db
def test_a_new_process_forgets_its_long_gone_predecessors():
    beat(WORKER, ago=8 * 24 * 3600)  # pid 4242 on node-1, a week and a day ago
    writer = HeartbeatWriter(WORKER, every_s=10)
    writer.host = "node-1"
    writer.beat()
    assert list(Heartbeat.objects.values_list("pid", flat=True)) == [writer.pid]
