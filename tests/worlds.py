"""Worlds built once for a whole test file, and the check that a refused write wrote nothing.

A world (the demo personas and one record of each kind) takes seconds to build through the real
services; built once per test in a file of 1,500 tests it took minutes. `world_once` builds it
once per test file inside an outer transaction: every test of the file runs in its own savepoint
within it (pytest-django's `db` wraps each test in an atomic block, which nests), so each test
sees the pristine world and whatever it changes is undone after it. At the end of the file the
outer transaction is rolled back, so the next file on the worker finds the database as the
migrations left it.

Only files whose tests all use `db` (not `transactional_db` or `live_server`) may use it: a
transactional test would flush the tables under the open transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.apps import apps
from django.db import connection, transaction
from django.test import TestCase

T = TypeVar("T")


@contextmanager
def world_once(django_db_blocker: Any, build: Callable[[], T]) -> Iterator[T]:
    """Build a world with `build()` in an outer transaction that lives until the block ends,
    then roll it all back. Use it in a module-scoped fixture that yields inside the block."""
    with django_db_blocker.unblock():
        before = row_counts()
        outer = transaction.atomic()
        # The mark of Django's own test atomics: a service's `atomic(durable=True)` may run inside
        # it while the world is built (in the tests, the innermost block is the test's own).
        outer._from_testcase = True  # type: ignore[attr-defined]
        outer.__enter__()
        try:
            world = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            after = row_counts()
    # The next test file on this worker must find the database as the migrations left it.
    assert after == before, {k: (before[k], after[k]) for k in before if before[k] != after[k]}


def personas_now() -> dict[str, Any]:
    """The demo's users as the database has them now (fresh objects for each test)."""
    from panmun.accounts.models import User

    return {u.username: u for u in User.objects.select_related("organisation__side")}


def matrix_world() -> dict[str, Any]:
    """Every record the permission matrix and the API fuzzing point at: the demo personas, a
    talks, an agreement and an event of the historical record, a finished export job started
    by `ministry`, the families world, a 결재 request, both reunion rounds (in person and video,
    at their final lists), the liaison world, a visit certificate, the firm's exchange
    application with its lists and profile, and exchange approvals at the ministry (one under
    review, invited by the North's Red Cross, one submitted, one approved). Returns the ids by
    placeholder name."""
    from panmun.accounts.demo import demo_load
    from panmun.dialogue.models import Agreement, Event, Talks
    from panmun.jobs.services import job_start
    from panmun.permits.tests.review_factories import review_world

    from .aid_matrix import aid_world
    from .complex_matrix import complex_world
    from .factories import (
        certificate_world,
        families_world,
        liaison_world,
        permits_world,
        reunion_world,
        signoff_world,
    )

    demo_load()
    personas = personas_now()
    talks = Talks.objects.get(key="summit-2018-09-pyongyang")
    agreement = Agreement.objects.get(key="basic-agreement-1991")
    event = Event.objects.exclude(key="").first()
    assert event is not None
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = job_start(actor=personas["ministry"], kind="dialogue.export")
    return {
        "talks": talks.pk,
        "agreement": agreement.pk,
        "event": event.pk,
        "job": job.pk,
        **families_world(personas["redcross_s"]),
        "signoff": signoff_world(personas["redcross_s"]),
        **reunion_world(personas, with_video=True),
        **liaison_world(personas),
        **permits_world(personas),
        **certificate_world(personas),
        **review_world(personas),
        **aid_world(personas),
        **complex_world(personas),
    }


# What a refused request may legitimately write, and so is left out of the count:
# - sessions (django.contrib.sessions): a page request may save its session (a message for the
#   next page, a rotated CSRF token, the sign-in the test made) whatever the answer;
# - django-axes' bookkeeping (access attempts, access and failure logs): it records sign-in
#   attempts, which is its job, refused or not.
# Everything else counts, the audit log first. The API token a test creates to call with is made
# before the first count, so it is in both counts and needs no exception.
BOOKKEEPING_APPS = frozenset({"sessions", "axes"})


def _counted_tables() -> list[tuple[str, str]]:
    tables = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.app_label in BOOKKEEPING_APPS:
            continue
        tables.append((meta.label, meta.db_table))
    return sorted(set(tables))


_TABLES: list[tuple[str, str]] = []


def row_counts() -> dict[str, int]:
    """The number of rows of every model but the bookkeeping above, in one query."""
    if not _TABLES:
        _TABLES.extend(_counted_tables())
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for _, table in _TABLES)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        values = cursor.fetchone()
    return {label: int(n) for (label, _), n in zip(_TABLES, values, strict=True)}


# Statements that change rows, and the table they change.
_WRITE_SQL = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.I
)
# Bookkeeping a refused request may still write (see BOOKKEEPING_APPS): sessions, axes, and the
# time an API token was last used (set whether the request is allowed or not).
_BOOKKEEPING_TABLE = re.compile(r"^(django_session|axes_)")
_TOKEN_USED = re.compile(r'^\s*UPDATE\s+"?accounts_apitoken"?\s+SET\s+"?last_used_at"?\s*=', re.I)


class WriteWatch:
    """Row counts and the audit log before a request, to show that nothing was written; used as
    a context manager around the request, it also sees every statement that inserts, updates or
    deletes rows, so a refused PUT that rewrote a row in place (same count, no audit entry)
    cannot pass unseen."""

    def __init__(self) -> None:
        from panmun.accounts.models import AuditEntry

        self.counts = row_counts()
        last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
        self.last_audit = last or 0
        self.statements: list[str] = []
        self._wrapper: Any = None

    def __enter__(self) -> WriteWatch:
        self._wrapper = connection.execute_wrapper(self._see)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._wrapper.__exit__(*exc)

    def _see(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        match = _WRITE_SQL.match(sql)
        if match and not _BOOKKEEPING_TABLE.match(match.group(1)) and not _TOKEN_USED.match(sql):
            self.statements.append(f"{sql.split()[0].upper()} {match.group(1)}")
        return execute(sql, params, many, context)

    def written(self) -> dict[str, Any]:
        """What changed since: new audit entries (their actions), tables whose count moved, and
        (inside the `with` block) the statements that wrote rows."""
        from panmun.accounts.models import AuditEntry

        now = row_counts()
        changed = {
            label: (self.counts[label], now[label])
            for label in now
            if now[label] != self.counts.get(label)
        }
        audit = list(
            AuditEntry.objects.filter(pk__gt=self.last_audit)
            .order_by("pk")
            .values_list("action", flat=True)
        )
        return {
            k: v
            for k, v in (("audit", audit), ("rows", changed), ("statements", self.statements))
            if v
        }
