"""`panmun worker` goes on through database errors (issue 16, item 1): django-tasks' own
`db_worker` stopped for good on the first "database is locked" or lost connection, and every
job after it stayed queued."""

from __future__ import annotations

import logging

import pytest
from django.db import InterfaceError, OperationalError
from django_tasks_db.models import DBTaskResult

from panmun.jobs import worker as worker_module
from panmun.jobs.heartbeat import WORKER, HeartbeatWriter
from panmun.jobs.models import Heartbeat, Job, JobState
from panmun.jobs.services import job_start
from panmun.jobs.tasks import run_job


def queued(personas) -> tuple[Job, DBTaskResult]:
    """A job queued as the database backend queues it (tests run tasks at once otherwise)."""
    job = job_start(actor=personas["ministry"], kind="dialogue.export")  # on_commit not run
    return job, task_row(job)


def task_row(job: Job) -> DBTaskResult:
    row = DBTaskResult.objects.create(
        args_kwargs={"args": [str(job.pk)], "kwargs": {}},
        task_path=run_job.module_path,
        backend_name="default",
    )
    Job.objects.filter(pk=job.pk).update(task_result_id=str(row.id))
    return row


def make_worker(waits, **kw) -> worker_module.SteadyWorker:
    return worker_module.SteadyWorker(
        queue_names=["default"],
        interval=0.5,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
        sleep=waits.append,
        beats=HeartbeatWriter(WORKER, every_s=10),
        **kw,
    )


def failing(monkeypatch, target, name, *errors):
    real = getattr(target, name)
    pending = list(errors)

    def flaky(*args, **kwargs):
        if pending:
            raise pending.pop(0)
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, flaky)


def test_the_worker_waits_out_database_errors_and_runs_the_next_jobs(personas, monkeypatch, caplog):
    first, _first_row = queued(personas)
    second, second_row = queued(personas)
    # Two polls fail on the database; then the first job runs, but recording django-tasks'
    # result fails (the database locked just then: the job itself has committed).
    failing(
        monkeypatch,
        worker_module,
        "jobs_expire",
        OperationalError("database is locked"),
        InterfaceError("connection already closed"),
    )
    failing(monkeypatch, DBTaskResult, "set_successful", OperationalError("database is locked"))
    failing(monkeypatch, DBTaskResult, "set_failed", OperationalError("database is locked"))
    waits: list[float] = []
    with caplog.at_level(logging.WARNING, logger="panmun.jobs.worker"):
        make_worker(waits).run()

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == second.state == JobState.SUCCEEDED
    second_row.refresh_from_db()
    assert second_row.status == "SUCCESSFUL"
    # 1 s, 2 s, 4 s after three failed polls in a row; then no wait: it went on at once.
    assert waits == [1.0, 2.0, 4.0]
    messages = [r.getMessage() for r in caplog.records]
    assert sum("database error (OperationalError: database is locked)" in m for m in messages) == 2
    assert any("InterfaceError: connection already closed" in m for m in messages)
    assert any("working again after 3 failed tries" in m for m in messages)
    beat = Heartbeat.objects.get(process=WORKER)
    assert beat.last_error == "OperationalError: database is locked"
    assert beat.every_s == 10


def test_any_other_error_is_logged_with_its_traceback_and_waited_out(personas, monkeypatch, caplog):
    failing(monkeypatch, worker_module, "jobs_expire", RuntimeError("a bug"))
    waits: list[float] = []
    with caplog.at_level(logging.WARNING, logger="panmun.jobs.worker"):
        make_worker(waits).run()
    assert waits == [1.0]
    [failed] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert failed.exc_info is not None and "the poll failed, try 1" in failed.getMessage()


def test_max_failures_gives_up(personas, monkeypatch):
    failing(monkeypatch, worker_module, "jobs_expire", *[OperationalError("gone")] * 3)
    waits: list[float] = []
    with pytest.raises(worker_module.GivenUp, match="3 polls in a row failed"):
        make_worker(waits, max_failures=3).run()
    assert waits == [1.0, 2.0]


def test_the_worker_beats_and_sweeps_expired_leases(personas):
    import datetime as dt

    from django.utils import timezone

    lost, _row = queued(personas)
    Job.objects.filter(pk=lost.pk).update(
        state=JobState.RUNNING, lease_until=timezone.now() - dt.timedelta(seconds=1)
    )
    make_worker([]).run()
    lost.refresh_from_db()
    assert lost.state == JobState.FAILED and lost.error["code"] == "lease_expired"
    beat = Heartbeat.objects.get(process=WORKER)
    assert beat.last_error == "" and beat.last_error_at is None


def test_the_command_takes_django_tasks_options(personas, monkeypatch):
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    # The tests' settings run tasks at once; the command's check of its backend would refuse.
    monkeypatch.setattr(db_worker, "valid_backend_name", lambda name: name)
    job, row = queued(personas)
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0")
    job.refresh_from_db()
    row.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and row.status == "SUCCESSFUL"
    assert Heartbeat.objects.filter(process=WORKER).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_its_connection_killed_on_postgresql(personas, monkeypatch, caplog):
    """`pg_terminate_backend` on the worker's connection, once while it runs a job and once
    while it polls: the job is recorded failed on a fresh connection; the poll's error is
    logged and waited out, and the next job runs."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    import psycopg

    from panmun.jobs.registry import KINDS, register

    def kill_my_connection():
        connection.ensure_connection()
        pid = connection.connection.info.backend_pid
        with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", (pid,))

    @register("test.cut", title_ko="시험", title_en="Test", allowed=lambda user: True)
    def cut(job, progress):
        kill_my_connection()
        return {"rows": Job.objects.count()}  # on the dead connection

    real_expire = worker_module.jobs_expire
    polls: list[int] = []

    def expire_after_a_cut():
        polls.append(1)
        if len(polls) == 2:  # the poll after the first job
            kill_my_connection()
        return real_expire()

    monkeypatch.setattr(worker_module, "jobs_expire", expire_after_a_cut)
    monkeypatch.setattr(worker_module, "SWEEP_S", 0)
    try:
        # Not through job_start: the tests' backend would run them at once, on commit.
        cut_job = Job.objects.create(kind="test.cut", created_by=personas["ministry"])
        task_row(cut_job)
        after = Job.objects.create(kind="dialogue.export", created_by=personas["ministry"])
        task_row(after)
        waits: list[float] = []
        with caplog.at_level(logging.WARNING, logger="panmun.jobs.worker"):
            make_worker(waits).run()
    finally:
        KINDS.pop("test.cut")
    cut_job.refresh_from_db()
    assert cut_job.state == JobState.FAILED
    assert "OperationalError" in cut_job.error["message_en"]
    assert waits == [1.0]
    assert Job.objects.get(pk=after.pk).state == JobState.SUCCEEDED
    assert any("database error" in r.getMessage() for r in caplog.records)
