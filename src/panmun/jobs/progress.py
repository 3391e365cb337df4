"""Progress of long work, shown the same way on the page, in the API and in the CLI."""

from __future__ import annotations

import time
from typing import IO, TYPE_CHECKING, Any, cast

from tqdm import tqdm

from .models import Job

if TYPE_CHECKING:
    from django.core.management.base import OutputWrapper
    from tqdm import tqdm

    from .models import Job


class Progress:
    """Counts work done. Subclasses show it: on the Job row, or as a CLI progress bar."""

    def __init__(self) -> None:
        self.done = 0
        self.total = 0
        self.stage = ""

    def start(self, total: int, stage: str = "") -> None:
        self.total, self.done, self.stage = max(0, total), 0, stage
        self._show(force=True)

    def advance(self, n: int = 1) -> None:
        self.done = min(self.total, self.done + n) if self.total else self.done + n
        self._show(force=self.done >= self.total)

    def _show(self, force: bool = False) -> None:  # overridden
        return None


class JobProgress(Progress):
    """Writes progress to the Job row, at most a few times a second (with `write=False`, only
    counts: the runner writes the end)."""

    def __init__(self, job: Job, min_interval: float = 0.5, *, write: bool = True) -> None:
        super().__init__()
        self.job = job
        self.min_interval = min_interval
        self.write = write
        self._last = 0.0

    def _show(self, force: bool = False) -> None:
        if not self.write:
            return
        now = time.monotonic()
        if not force and now - self._last < self.min_interval:
            return
        self._last = now

        Job.objects.filter(pk=self.job.pk).update(
            progress_done=min(self.done, self.total) if self.total else 0,
            progress_total=self.total,
            stage=self.stage[:200],
        )


class BarProgress(Progress):
    """A tqdm progress bar for the command line."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        super().__init__()
        self._bar: tqdm[Any] | None = None
        self._stream = stream

    @classmethod
    def for_command(cls, output: OutputWrapper) -> BarProgress:
        """A bar on a management command's `self.stderr`, drawn on the stream the wrapper
        holds: the wrapper would end each of tqdm's `\\r` redraws with a newline."""
        # django-stubs declare no `_out`: their `__getattr__` types every unknown name as a method.
        return cls(stream=cast(IO[str], output._out))

    def start(self, total: int, stage: str = "") -> None:

        if self._bar is not None:
            self._bar.close()
        self._bar = tqdm(total=total, desc=stage or None, unit="", file=self._stream, leave=True)
        super().start(total, stage)

    def advance(self, n: int = 1) -> None:
        super().advance(n)
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
