"""The real worker process against a real SQLite file (issue 16, items 1 and 2):

- killed with SIGKILL in the middle of a job, the job does not stay "running": once its lease
  has expired, a fresh worker marks it failed with the reason;
- while another connection holds SQLite's write lock, the job it was running fails on the
  database, and the worker does not die: it waits, goes on with the next job, and gives up the
  lost one when its lease expires.

Each test runs `panmun worker` in a process of its own, with PANMUN_HOME in a temporary folder
holding a freshly migrated SQLite database, a lease of 2 s (PANMUN_JOB_LEASE_S) and a busy
timeout of 0.5 s, so that nothing waits long. The waits below are for conditions, never timings.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
PANMUN = [sys.executable, "-m", "panmun.config.cli"]

#: Runs a `panmun` command with the slow kind registered and a short busy timeout.
BOOT = (
    "import sys; sys.path.insert(0, {here!r}); import slowkinds\n"
    "import django; django.setup()\n"
    "from django.db import connections\n"
    "connections['default'].settings_dict['OPTIONS']['timeout'] = 0.5\n"
)


def _env(home: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        PANMUN_HOME=str(home),
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="WARNING",
        PANMUN_JOB_LEASE_S="2",
        DJANGO_SETTINGS_MODULE="panmun.config.settings.base",
    )
    return env


def python(home: Path, code: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BOOT.format(here=str(HERE)) + code],
        env=_env(home),
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
        **kw,
    )


class Worker:
    """`panmun worker` in a process of its own, its output collected."""

    def __init__(self, home: Path, *args: str) -> None:
        code = BOOT.format(here=str(HERE)) + (
            "from django.core.management import call_command\n"
            f"call_command('worker', '--interval', '0.2', '--no-startup-delay', *{list(args)!r})\n"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            env=_env(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    def said(self, text: str) -> bool:
        return any(text in line for line in self.output)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def wait_for(what: str, check: Callable[[], Any], output: list[str], timeout: float = 90.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; the worker said:\n" + "".join(output))


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    subprocess.run(
        [*PANMUN, "migrate", "--noinput", "-v0"], env=_env(tmp_path), check=True, timeout=180
    )
    python(tmp_path, "from panmun.accounts.demo import demo_load\ndemo_load()\n")
    yield tmp_path


def start_jobs(home: Path, *kinds: tuple[str, dict[str, Any]]) -> list[str]:
    """Start jobs as ministry (queued in the database for the worker); their ids."""
    code = (
        "import json\n"
        "from panmun.accounts.models import User\n"
        "from panmun.jobs.services import job_start\n"
        "ministry = User.objects.get(username='ministry')\n"
        f"kinds = {list(kinds)!r}\n"
        "print(json.dumps([str(job_start(actor=ministry, kind=k, params=p).pk) "
        "for k, p in kinds]))\n"
    )
    return list(json.loads(python(home, code).stdout.strip().splitlines()[-1]))


def job_row(home: Path, job_id: str) -> dict[str, Any]:
    with sqlite3.connect(home / "var" / "panmun.sqlite3", timeout=30) as db:
        db.row_factory = sqlite3.Row
        row = db.execute(
            "SELECT state, progress_done, error, lease_until, task_result_id FROM jobs_job "
            "WHERE id = ?",
            (job_id.replace("-", ""),),
        ).fetchone()
        out = dict(row)
        task = db.execute(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?",
            (out["task_result_id"].replace("-", ""),),
        ).fetchone()
    out["task_status"] = task[0] if task else None
    out["error"] = json.loads(out["error"] or "{}")
    return out


def test_a_job_whose_worker_is_killed_ends_failed_once_its_lease_expires(home: Path) -> None:
    [job] = start_jobs(home, ("test.slow", {"steps": 2000}))
    worker = Worker(home)
    try:
        wait_for(
            "the job to be under way",
            lambda: (row := job_row(home, job))["state"] == "running" and row["progress_done"],
            worker.output,
        )
        worker.process.send_signal(signal.SIGKILL)
        worker.process.wait()
    finally:
        worker.stop()
    assert job_row(home, job)["state"] == "running"  # nobody has said otherwise yet

    # After its lease, a fresh worker looks: the job is failed, with the reason.
    wait_for(
        "the lease to expire",
        lambda: (
            job_row(home, job)["lease_until"]
            < python(home, "from django.utils import timezone; print(timezone.now().isoformat())")
            .stdout.strip()[:26]
            .replace("T", " ")
        ),
        [],
    )
    fresh = Worker(home, "--batch")
    try:
        assert fresh.process.wait(timeout=120) == 0, "".join(fresh.output)
    finally:
        fresh.stop()
    row = job_row(home, job)
    assert row["state"] == "failed"
    assert row["error"]["code"] == "lease_expired"
    assert row["error"]["message_en"].startswith("The worker running this job stopped")
    assert row["task_status"] == "FAILED"


def test_the_worker_lives_through_a_locked_database_and_goes_on(home: Path) -> None:
    slow, export = start_jobs(home, ("test.slow", {"steps": 2000}), ("dialogue.export", {}))
    worker = Worker(home)
    lock = sqlite3.connect(home / "var" / "panmun.sqlite3", timeout=30, isolation_level=None)
    try:
        wait_for(
            "the slow job to be under way",
            lambda: (row := job_row(home, slow))["state"] == "running" and row["progress_done"],
            worker.output,
        )
        lock.execute("BEGIN IMMEDIATE")  # another process's long write
        try:
            wait_for(
                "the worker to meet the lock", lambda: worker.said("database error"), worker.output
            )
        finally:
            lock.execute("ROLLBACK")
        assert worker.process.poll() is None, "".join(worker.output)

        wait_for(
            "the next job to run",
            lambda: job_row(home, export)["state"] == "succeeded",
            worker.output,
        )
        wait_for(
            "the lost job to be given up",
            lambda: job_row(home, slow)["state"] == "failed",
            worker.output,
        )
        wait_for(
            "its word that it works again",
            lambda: worker.said("working again after"),
            worker.output,
        )
        assert worker.process.poll() is None  # still there, waiting for the next job
        row = job_row(home, slow)
        assert row["error"]["code"] == "lease_expired" and row["task_status"] == "FAILED"
        heartbeat = python(
            home,
            "from panmun.jobs.models import Heartbeat\n"
            "b = Heartbeat.objects.get(process='worker')\n"
            "print(b.last_error)\n",
        ).stdout.strip()
        assert "database is locked" in heartbeat
    finally:
        lock.close()
        worker.process.send_signal(signal.SIGTERM)
        try:
            worker.process.wait(timeout=30)
        finally:
            worker.stop()
