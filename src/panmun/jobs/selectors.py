"""Reads about background work that pages share: is the task worker, is the liaison runner
reporting?"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import heartbeat
from .models import Heartbeat

#: A process is late once it has missed this many of its promised reports …
MISSED_BEATS = 3
#: … and this many seconds more (a slow disk, a busy machine).
GRACE_S = 15


class HealthState:
    OK = "ok"
    LATE = "late"
    NEVER = "never"


@dataclass(frozen=True)
class ProcessHealth:
    """How a background process is doing, as far as its heartbeat rows tell."""

    process: str
    state: str
    label: str | Promise
    consequence: str | Promise
    command: str
    beat_at: dt.datetime | None = None
    late_s: int = 0
    last_error: str = ""
    last_error_at: dt.datetime | None = None

    @property
    def warn(self) -> bool:
        return self.state != HealthState.OK

    @property
    def late_minutes(self) -> int:
        return max(1, self.late_s // 60)


PROCESSES: dict[str, tuple[str | Promise, str | Promise, str]] = {
    heartbeat.WORKER: (
        _("The task worker"),
        _("Queued jobs will not run, and a running job's progress will not move."),
        "panmun worker",
    ),
    heartbeat.LIAISON_RUNNER: (
        _("The liaison runner"),
        _(
            "The 09:00 and 17:00 contact calls are neither placed nor closed, and the logs "
            "are not delivered to the other side."
        ),
        "panmun liaison run",
    ),
}


def process_health(process: str, *, now: dt.datetime | None = None) -> ProcessHealth:
    """The newest heartbeat of `process` (over every host and pid) judged against the time it
    promised to report by."""
    label, consequence, command = PROCESSES[process]
    now = now or timezone.now()
    newest = Heartbeat.objects.filter(process=process).order_by("-beat_at").first()
    if newest is None:
        return ProcessHealth(process, HealthState.NEVER, label, consequence, command)
    silent = max(0.0, (now - newest.beat_at).total_seconds())
    late = silent > newest.every_s * MISSED_BEATS + GRACE_S
    return ProcessHealth(
        process,
        HealthState.LATE if late else HealthState.OK,
        label,
        consequence,
        command,
        beat_at=newest.beat_at,
        late_s=int(silent),
        last_error=newest.last_error,
        last_error_at=newest.last_error_at,
    )


def uses_worker() -> bool:
    """True when jobs wait for a worker (the database backend); the immediate backend (tests)
    runs them at once."""
    backend = str(settings.TASKS.get("default", {}).get("BACKEND", ""))
    return backend.startswith("django_tasks_db.")


def worker_health(*, now: dt.datetime | None = None) -> ProcessHealth | None:
    """The task worker's health, or None where no worker is needed."""
    return process_health(heartbeat.WORKER, now=now) if uses_worker() else None


def runner_health(*, now: dt.datetime | None = None) -> ProcessHealth:
    return process_health(heartbeat.LIAISON_RUNNER, now=now)
