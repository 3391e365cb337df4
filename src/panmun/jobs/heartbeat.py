"""The sign of life of a background process: a `Heartbeat` row it writes every few seconds.

The task worker (`panmun worker`) and the liaison runner (`panmun liaison run`) each hold a
`HeartbeatWriter` and call `beat()` as they go; the jobs page and the liaison pages read the
rows through `selectors.process_health` and warn when a process is late or has never
reported. Writing a beat never stops the process: a failed write is logged and tried again
at the next beat.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Callable

from django.db import connection
from django.utils import timezone

from .models import Heartbeat
from .resilience import error_text

logger = logging.getLogger(__name__)

#: The process names the pages look for.
WORKER = "worker"
LIAISON_RUNNER = "liaison-runner"
#: How often the task worker reports (seconds).
WORKER_EVERY_S = 10
#: Rows of a process gone quiet this long ago are removed when a new one starts.
FORGET_AFTER = dt.timedelta(days=7)


class HeartbeatWriter:
    """Writes one process's heartbeat row at most every `every_s` seconds (and at once when
    forced). `failed(exc)` notes an error to be written with the next beat."""

    def __init__(
        self,
        process: str,
        *,
        every_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.process = process
        self.every_s = every_s
        self.host = socket.gethostname()[:255]
        self.pid = os.getpid()
        self.started_at = timezone.now()
        self.clock = clock
        self._last: float | None = None
        self._error = ""
        self._error_at: dt.datetime | None = None
        self._lock = threading.Lock()

    def failed(self, exc: BaseException, *, write: bool = False) -> None:
        """Note an error, to be written with the next beat; with `write`, try to write it now
        (without counting as a beat: the process is not doing its work). Never raises."""
        with self._lock:
            self._error, self._error_at = error_text(exc), timezone.now()
            if not write:
                return
            try:
                Heartbeat.objects.filter(process=self.process, host=self.host, pid=self.pid).update(
                    last_error=self._error, last_error_at=self._error_at
                )
            except Exception as again:
                logger.warning("%s: the error could not be written (%s)", self.process, again)

    def due(self) -> bool:
        return self._last is None or self.clock() - self._last >= self.every_s

    def beat(self, *, force: bool = False) -> bool:
        """Write the row if a beat is due (or `force`); True when written. Never raises."""
        with self._lock:
            if not force and not self.due():
                return False
            try:
                self._write()
            except Exception as exc:  # the process goes on; the next beat tries again
                logger.warning("%s: the heartbeat could not be written (%s)", self.process, exc)
                return False
            self._last = self.clock()
            return True

    def _write(self) -> None:
        now = timezone.now()
        values = {
            "beat_at": now,
            "every_s": max(1, round(self.every_s)),
            "started_at": self.started_at,
        }
        if self._error_at is not None:
            values.update(last_error=self._error, last_error_at=self._error_at)
        mine = Heartbeat.objects.filter(process=self.process, host=self.host, pid=self.pid)
        if mine.update(**values):
            return
        # The first beat of this process: forget its long-gone predecessors on this host.
        Heartbeat.objects.filter(
            process=self.process, host=self.host, beat_at__lt=now - FORGET_AFTER
        ).delete()
        Heartbeat.objects.create(process=self.process, host=self.host, pid=self.pid, **values)


class BeatWhile:
    """Beats from a thread of its own while the process is busy with one long piece of work
    (the worker running a job), then stops. The thread uses its own database connection and
    closes it when done."""

    def __init__(self, writer: HeartbeatWriter) -> None:
        self.writer = writer
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"{writer.process}-beat", daemon=True
        )

    def __enter__(self) -> BeatWhile:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.writer.every_s):
                self.writer.beat(force=True)
        finally:
            connection.close()
