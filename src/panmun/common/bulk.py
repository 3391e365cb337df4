"""Many rows at once: writing a demo registry of 134,500 applicants or an import of a
100,000-row Excel file (`Insert`), and reading an export's chunks ahead (`read_ahead`).

`bulk_create` spends most of its time compiling the INSERTs, preparing each value of each field
in Python (and SQLite's 999-parameter limit cuts it to ~27 persons per statement); with it the
100,000-row import of docs/benchmarks.md took 66.5 s, with `Insert` 44.1 s.
`Insert` writes a whole batch with one `executemany` (on PostgreSQL a `COPY`), with values
made ready for the database by the caller (plain str, int, bool, None, dates) and the columns
the caller does not set given their model default once.

The primary keys are given, so that relatives and links can refer to them: `reserve_ids`
takes them from PostgreSQL's sequence (safe beside other writers), or on SQLite past the
largest id, which is safe because every transaction there holds the write lock from its start
(`transaction_mode = IMMEDIATE` in the settings).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from django.core.management.color import no_style
from django.db import connection, connections
from django.db.models import Field, ForeignObjectRel, Max, Model
from django.utils import timezone


def _column(field: Field[Any, Any] | ForeignObjectRel) -> str:
    """The column of a concrete field. (django-stubs allow a relation, or a field without a
    column, neither of which a concrete field is.)"""
    assert isinstance(field, Field) and field.column is not None
    return field.column


class Insert:
    """INSERT of many rows of one model, `columns` in the order of each row's values."""

    def __init__(self, model: type[Model], columns: Sequence[str]) -> None:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        fixed: list[tuple[str, object]] = []
        known = set(columns)
        for field in model._meta.concrete_fields:
            if field.attname in known or field.primary_key:
                continue  # a primary key not given is the database's to assign
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                fixed.append((_column(field), now))
            else:
                fixed.append(
                    (_column(field), field.get_db_prep_save(field.get_default(), connection))
                )
        names = [_column(model._meta.get_field(c)) for c in columns] + [c for c, _v in fixed]
        quote = connection.ops.quote_name
        # PostgreSQL: COPY, which streams the rows instead of one statement per row.
        self.copy_sql = (
            f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, names))}) FROM STDIN"
        )
        # Names from the model's options, quoted; the values are bound parameters.
        self.sql = (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, names))}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(names))})"
        )
        self.tail = tuple(v for _c, v in fixed)

    def write(self, rows: Sequence[tuple[object, ...]]) -> None:
        if not rows:
            return
        tail = self.tail
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The driver's own cursor, outside Django's: its errors are made Django's
                # (IntegrityError for a unique row taken) as every other query's are.
                with connection.wrap_database_errors, cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row + tail)
                return
            params: list[tuple[Any, ...]] = [row + tail for row in rows]
            cursor.executemany(self.sql, params)


def next_id(model: type[Model]) -> int:
    return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """`count` primary keys no other row has or will get. Call inside the transaction."""
    if count <= 0:
        return []
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        column = model._meta.pk.column
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [int(row[0]) for row in cursor.fetchall()]
    first = next_id(model)
    return list(range(first, first + count))


def reset_sequences(*models: Any) -> None:
    """PostgreSQL: move the id sequences past ids given by hand (nothing to do on SQLite)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


def analyze(*models: type[Model]) -> None:
    """Give PostgreSQL's planner the statistics of tables just filled in bulk. Autovacuum
    analyses them eventually (or never, where it is off), and until then the planner takes a
    table of 350,000 rows for an empty one: the demo's first tracing round, which reads the
    eligible relatives sought, ran for over 16 minutes on a fresh demo database instead of
    seconds. Outside a transaction, so that it sees the committed rows. SQLite: nothing (its
    plans do not depend on statistics it has not been asked to gather)."""
    if connection.vendor != "postgresql" or not models:
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# --- reading many rows: the next chunks read while this one is written -------------------------

_Chunk = TypeVar("_Chunk")


def read_ahead(chunks: Callable[[], Iterator[_Chunk]], depth: int = 2) -> Iterator[_Chunk]:
    """The chunks of `chunks()`, the next ones read by a thread of their own while the caller
    writes this one: on PostgreSQL, a third of an export's time is waiting for the server, and
    it need not wait for the writing. Only outside a transaction (a job that keeps its own,
    the command line): a second connection would not see a transaction's own rows, and reads
    chunk by chunk are no snapshot anyway. Elsewhere (SQLite, inside a transaction) the chunks
    are read in turn. The thread stops when the caller stops reading, and closes its
    connection; its error is raised in the caller."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield from chunks()
        return
    yield from _ahead(chunks, depth)


def _ahead(chunks: Callable[[], Iterator[_Chunk]], depth: int) -> Iterator[_Chunk]:
    ready: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand(item: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for chunk in chunks():
                if not hand(("chunk", chunk)):
                    return
            hand(("end", None))
        except BaseException as exc:  # handed to the caller, raised there
            hand(("error", exc))
        finally:
            connections.close_all()  # this thread's own

    reader = threading.Thread(target=read, name="read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            kind, item = ready.get()
            if kind == "end":
                return
            if kind == "error":
                raise item
            yield item
    finally:
        stop.set()
        reader.join(timeout=10)
