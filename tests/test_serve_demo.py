"""`panmun serve-demo` supervises its children (issue 15, defect 3): a child that stops is
started again with a message, and SIGTERM stops them all — no task worker left running.

The test runs the real command in a process of its own, on a free port, with PANMUN_HOME in a
temporary folder holding a freshly migrated SQLite database (no demo data: the pages answer the
sign-in page, which is all the test needs)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

PANMUN = [sys.executable, "-m", "panmun.config.cli"]


def _env(home: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(PANMUN_HOME=str(home), PYTHONUNBUFFERED="1", LOG_LEVEL="WARNING")
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> dict[int, str]:
    """The live children of a process and their command lines (Linux /proc)."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        state, ppid = fields[0], int(fields[1])
        if ppid == pid and state != "Z":
            found[int(entry.name)] = cmdline
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(what: str, check, output: list[str], timeout: float = 60.0):
    """Wait for `check()` to be true (generous: the suite runs beside other processes)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; serve-demo said:\n" + "".join(output))


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("panmun-home")
    subprocess.run(
        [*PANMUN, "migrate", "--noinput", "-v0"], env=_env(path), check=True, timeout=120
    )
    return path


def test_every_process_opens_sqlite_in_wal_mode_with_a_busy_timeout(home: Path) -> None:
    """The web server, the worker and the runner write the same SQLite file at once: each
    connection (Django's settings, the same in every process) is in WAL mode and waits up to
    20 s for a lock instead of failing at once."""
    shown = subprocess.run(
        [
            *PANMUN,
            "shell",
            "-c",
            "from django.db import connection\n"
            "c = connection.cursor()\n"
            "print(c.execute('PRAGMA journal_mode').fetchone()[0],"
            " c.execute('PRAGMA busy_timeout').fetchone()[0])",
        ],
        env=_env(home),
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.split()
    assert shown[-2:] == ["wal", "20000"]


@pytest.fixture
def served(home: Path) -> Iterator[tuple[subprocess.Popen[str], list[str], int]]:
    port = _free_port()
    process = subprocess.Popen(
        [*PANMUN, "serve-demo", "--addr", f"127.0.0.1:{port}"],
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        yield process, output, port
    finally:
        # Nothing it started may outlive the test, whatever happened.
        left = _children(process.pid)
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in left:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _page_answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def test_a_stopped_child_is_started_again_and_sigterm_stops_them_all(served) -> None:
    process, output, port = served
    _wait_for("the sign-in page", lambda: _page_answers(port), output, timeout=90)
    children = _wait_for(
        "three children",
        lambda: len(_children(process.pid)) == 3 and _children(process.pid),
        output,
    )
    [worker] = [pid for pid, cmd in children.items() if " worker " in cmd]
    assert any("runserver" in cmd for cmd in children.values())
    assert any("liaison run" in cmd for cmd in children.values())

    os.kill(worker, signal.SIGKILL)
    _wait_for(
        "the message that the worker stopped",
        lambda: any("the task worker stopped" in line for line in output),
        output,
    )
    restarted = _wait_for(
        "a new task worker",
        lambda: [
            pid
            for pid, cmd in _children(process.pid).items()
            if " worker " in cmd and pid != worker
        ],
        output,
    )
    _wait_for(  # printed just after the start; the reader thread may not have it yet
        "the message that the worker started again",
        lambda: any("the task worker started again" in line for line in output),
        output,
    )
    assert _page_answers(port)  # the web server went on meanwhile

    everyone = set(children) | set(restarted)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    survivors = [pid for pid in everyone if _alive(pid)]
    assert survivors == [], "".join(output)
    _wait_for(
        "the message that SIGTERM stops every child",
        lambda: any("SIGTERM: stopping every child" in line for line in output),
        output,
    )


def test_a_child_that_keeps_stopping_waits_longer_each_time() -> None:
    """A crash loop does not spin: 1 s, 2 s, 4 s … between starts while the child stops within
    30 s of starting; a child that ran longer is started again after 1 s."""
    from panmun.web.supervisor import Child, Supervisor

    now = [0.0]
    lines: list[str] = []
    child = Child("crasher", [sys.executable, "-c", "raise SystemExit(3)"])
    supervisor = Supervisor([child], write=lines.append, clock=lambda: now[0])

    def stops_then_checked(at: float) -> None:
        assert child.process is not None
        child.process.wait(timeout=30)
        now[0] = at
        supervisor.check()

    child.start(now[0])
    waits = []
    for _ in range(3):
        stops_then_checked(now[0] + 1)
        assert child.restart_at is not None
        waits.append(child.restart_at - now[0])
        supervisor.check()  # too early: not started again
        assert child.restarts == len(waits) - 1
        now[0] = child.restart_at
        supervisor.check()
    assert waits == [1, 2, 4]
    stops_then_checked(now[0] + 45)  # it ran 45 s: a fresh start
    assert child.restart_at == now[0] + 1
    assert "the crasher stopped (exit code 3)" in lines[0]
    assert sum("started again" in line for line in lines) == 3
