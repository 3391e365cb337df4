"""The home page's work queue: one line for each kind of work waiting for a user. Each app that
has work to show names a function `(user) -> list[Task]` on its AppConfig (`work_queue`, see
`panmun.common.apps`); the home page lists them, most pressing first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, QuerySet
from django.utils import timezone
from django.utils.functional import Promise

#: What a Task's date means: due by then, waiting since then, or the day a reunion starts.
DUE, SINCE, STARTS = "due", "since", "starts"


@dataclass
class Task:
    """One line of the work queue: what to do, how many, by when, and where."""

    key: str  # the kind of work, stable for tests and styles: "tracing-replies-due"
    label: str
    count: int
    url: str
    date: dt.date | None = None
    date_means: str = ""  # DUE: due by then; SINCE: waiting since then; STARTS: the reunion
    detail: str = ""  # which record: a round's name

    @property
    def overdue(self) -> bool:
        return self.date_means == DUE and self.date is not None and self.date < timezone.localdate()


def local_date(value: dt.datetime | dt.date | None) -> dt.date | None:
    """A moment as Korea's date (a date as it is)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value


def waiting(
    key: str, label: Promise | str, rows: QuerySet[Any], since: str, url: str
) -> list[Task]:
    """The line for `rows` waiting for the user, if there are any: how many, and since when (the
    oldest `since`, a date or a moment); no line when none wait."""
    summary = rows.order_by().aggregate(n=Count("pk"), oldest=Min(since))
    if not summary["n"]:
        return []
    return [Task(key, str(label), summary["n"], url, local_date(summary["oldest"]), SINCE)]
