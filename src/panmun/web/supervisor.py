"""Child processes kept running: `panmun serve-demo` and `panmun serve` run the web server, the
task worker and the liaison runner each as a child that is started again when it stops (with a
message on the console, waiting longer while it keeps stopping soon after its start), and stop
them all on SIGTERM or SIGINT (Ctrl-C): SIGTERM to each, SIGKILL to any still running after
`STOP_GRACE_S`."""

from __future__ import annotations

import contextlib
import ctypes
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

#: A child that stops sooner than this after its start counts as failing again.
QUICK_EXIT_S = 30.0
FIRST_WAIT_S = 1.0
MAX_WAIT_S = 60.0
#: How long the children have to stop after SIGTERM before they are killed.
STOP_GRACE_S = 10.0


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None

    try:
        prctl: Callable[..., int] = ctypes.CDLL("libc.so.6", use_errno=True).prctl
        return prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _load_prctl()


def _die_with_parent() -> None:
    """In the child, before exec: on Linux, be sent SIGTERM if the supervisor itself dies (even by
    SIGKILL), so that no worker outlives it."""
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Child:
    """One supervised process: its name on the console, its command and where its output goes."""

    name: str
    argv: list[str]
    stdout: int | None = None
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    quick_exits: int = 0
    restart_at: float | None = None
    restarts: int = 0

    def start(self, now: float) -> None:
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            self.argv,
            stdout=self.stdout,
            process_group=0,  # Ctrl-C reaches the supervisor alone; it stops the children in order
            preexec_fn=_die_with_parent,
        )
        self.started_at = now
        self.restart_at = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None


@dataclass
class Supervisor:
    children: list[Child]
    write: Callable[[str], Any]
    #: How the supervisor signs its lines on the console (`[serve-demo] …`).
    name: str = "panmun"
    poll_s: float = 0.2
    stopping: int = 0  # the signal that asked to stop
    clock: Callable[[], float] = time.monotonic
    _previous: dict[int, Any] = field(default_factory=dict)

    def run(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            self._previous[signum] = signal.signal(signum, self._stop)
        try:
            for child in self.children:
                child.start(self.clock())
            while not self.stopping:
                self.check()
                time.sleep(self.poll_s)
            name = signal.Signals(self.stopping).name
            self.write(f"[{self.name}] {name}: stopping every child / 모두 종료합니다")
        finally:
            self.stop_all()
            for number, handler in self._previous.items():
                signal.signal(number, handler)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = int(signum)  # the loop notices it within `poll_s`

    def check(self) -> None:
        """Start again every child that has stopped, after its wait."""
        now = self.clock()
        for child in self.children:
            process = child.process
            if process is None or self.stopping:
                continue
            if child.restart_at is None:
                code = process.poll()
                if code is None:
                    continue
                ran = now - child.started_at
                child.quick_exits = child.quick_exits + 1 if ran < QUICK_EXIT_S else 1
                wait = min(MAX_WAIT_S, FIRST_WAIT_S * 2 ** (child.quick_exits - 1))
                child.restart_at = now + wait
                self.write(
                    f"[{self.name}] the {child.name} stopped (exit code {code}) after {ran:.0f} s; "
                    f"starting it again in {wait:.0f} s / {child.name} 프로세스가 멈췄습니다 "
                    f"(종료 코드 {code}). {wait:.0f}초 뒤 다시 시작합니다."
                )
            elif now >= child.restart_at:
                child.start(now)
                child.restarts += 1
                self.write(
                    f"[{self.name}] the {child.name} started again (pid {child.pid}) / "
                    f"{child.name} 프로세스를 다시 시작했습니다."
                )

    def stop_all(self) -> None:
        """SIGTERM to every child still running, then SIGKILL to those still there after the
        grace period."""
        running = [c.process for c in self.children if c.process and c.process.poll() is None]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
        deadline = time.monotonic() + STOP_GRACE_S
        for process in running:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                process.wait()


def panmun(*args: str) -> list[str]:
    return [sys.executable, "-m", "panmun.config.cli", *args]


def background_children() -> list[Child]:
    """The task worker and the liaison runner, as both servers start them."""
    return [
        # `panmun worker`: django-tasks' worker, waiting out database errors, with a heartbeat
        # the jobs page reads.
        Child("task worker", panmun("worker", "--interval", "0.5")),
        # The joint office's contact calls (09:00 and 17:00 on weekdays) and its receipts;
        # its warnings (a database error it waits out) go to the console.
        Child(
            "liaison runner",
            panmun("liaison", "run", "--every", "60"),
            stdout=subprocess.DEVNULL,
        ),
    ]
