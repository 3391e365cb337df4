"""`panmun liaison run` keeps going through database errors (issue 15, defect 3: the runner
died for good on "database is locked" while the duplicates job held SQLite)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.management import CommandError, call_command
from django.db import InterfaceError, OperationalError

from .. import runner
from ..models import ContactCall
from ..services import calls

#: A Monday at 10:00, Korea time: the opening call (09:00) is due, the closing (17:00) not.
MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=calls.KST)


@pytest.fixture
def waits(monkeypatch):
    """The waits the runner asked for, instead of sleeping."""
    asked: list[float] = []
    monkeypatch.setattr(runner.time, "sleep", asked.append)
    return asked


def flaky(monkeypatch, *errors: Exception):
    """Make the next rounds fail with `errors`, one each, then work as before."""
    real = calls.calls_tick
    pending = list(errors)

    def tick(now):
        if pending:
            raise pending.pop(0)
        return real(now)

    monkeypatch.setattr(calls, "calls_tick", tick)


def test_a_locked_database_is_logged_waited_out_and_the_round_done(
    personas, monkeypatch, waits, caplog
):
    flaky(
        monkeypatch,
        OperationalError("database is locked"),
        OperationalError("database is locked"),
        InterfaceError("connection already closed"),
    )
    lines: list[str] = []
    with caplog.at_level(logging.WARNING, logger="panmun.liaison.runner"):
        runner.run(every=60, write=lines.append, rounds=2, now=lambda: MONDAY_10)
    # Three failures in a row: 1 s, 2 s, 4 s; then two rounds, 60 s apart.
    assert waits == [1.0, 2.0, 4.0, 60]
    assert len(lines) == 2
    assert "calls placed 1" in lines[0]
    assert ContactCall.objects.filter(scheduled_at=calls.scheduled(MONDAY_10.date(), "opening"))
    messages = [r.getMessage() for r in caplog.records]
    assert sum("database is locked" in m for m in messages) == 2
    assert any("InterfaceError" in m for m in messages)
    assert any("working again after 3 failed tries" in m for m in messages)


def test_any_other_error_is_logged_with_its_traceback_and_the_runner_goes_on(
    personas, monkeypatch, waits, caplog
):
    flaky(monkeypatch, RuntimeError("a bug in one round"))
    lines: list[str] = []
    with caplog.at_level(logging.WARNING, logger="panmun.liaison.runner"):
        runner.run(every=5, write=lines.append, rounds=1, now=lambda: MONDAY_10)
    assert waits == [1.0]
    assert len(lines) == 1
    failed = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert failed and failed[0].exc_info is not None


def test_the_wait_doubles_up_to_a_minute():
    assert [runner.wait_after(n) for n in (1, 2, 3, 6, 7, 20)] == [1, 2, 4, 32, 60, 60]


def test_the_command_survives_an_injected_database_error(personas, monkeypatch, waits, capsys):
    flaky(monkeypatch, OperationalError("database is locked"))
    call_command("liaison", "run", "--once")
    assert waits == [1.0]
    assert "calls placed" in capsys.readouterr().out


def test_once_gives_up_after_five_failed_tries(personas, monkeypatch, waits):
    flaky(monkeypatch, *[OperationalError("database is locked")] * 5)
    with pytest.raises(CommandError, match="5 tries in a row failed"):
        call_command("liaison", "run", "--once")
    assert waits == [1.0, 2.0, 4.0, 8.0]


# --- the heartbeat the liaison pages read (issue 16) --------------------------------------------


def test_each_round_done_writes_the_heartbeat_with_the_errors_it_waited_out(
    personas, monkeypatch, waits
):
    from panmun.jobs.heartbeat import LIAISON_RUNNER
    from panmun.jobs.models import Heartbeat

    flaky(monkeypatch, RuntimeError("a bug in one round"))
    runner.run(every=60, write=lambda line: None, rounds=1, now=lambda: MONDAY_10)
    beat = Heartbeat.objects.get(process=LIAISON_RUNNER)
    assert beat.every_s == 60
    assert beat.last_error == "RuntimeError: a bug in one round"


@pytest.mark.django_db(transaction=True)
def test_the_runner_survives_its_connection_killed_on_postgresql(
    personas, monkeypatch, waits, caplog
):
    """`pg_terminate_backend` on the runner's connection in the middle of a round: the round
    fails on the dead connection, is logged, and is done again on a fresh one."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    import psycopg

    real = calls.calls_tick
    killed: list[int] = []

    def tick(now):
        if not killed:
            connection.ensure_connection()
            killed.append(connection.connection.info.backend_pid)
            with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", (killed[0],))
        return real(now)

    monkeypatch.setattr(calls, "calls_tick", tick)
    lines: list[str] = []
    with caplog.at_level(logging.WARNING, logger="panmun.liaison.runner"):
        runner.run(every=60, write=lines.append, rounds=1, now=lambda: MONDAY_10)
    assert len(lines) == 1 and "calls placed 1" in lines[0]
    assert waits == [1.0]
    assert any("database error, try 1 failed" in r.getMessage() for r in caplog.records)
    assert connection.connection.info.backend_pid != killed[0]
