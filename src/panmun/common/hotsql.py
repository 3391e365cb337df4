"""Plain SQL for a hot path (the gate's check, run on every crossing): one statement, run on
the default connection inside whatever transaction is open.

On PostgreSQL the statement is bound on the server and, from its fifth run on a connection,
prepared (psycopg's automatic preparing), its plan reused. Django binds parameters on the
client, so the server parses and plans every statement again, and planning a statement of
several subqueries costs more than running it (the gate's state statement: about 1.1 ms to
plan, 0.3 ms to run). On SQLite the statement runs through Django's cursor as before.

The statements must name their columns (no `SELECT *`) and may not be used through a
transaction-pooling proxy that does not keep prepared statements."""

from __future__ import annotations

from typing import Any

import psycopg
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


def execute(sql: str, params: list[Any]) -> tuple[list[tuple[Any, ...]], int]:
    """Runs `sql` with `params` (`%s` placeholders); returns its rows (none for a statement
    that returns none) and the count of rows it changed or returned. On PostgreSQL the cursor
    binds on the server and, from the statement's fifth run on a connection, runs it prepared
    (the connection's `prepare_threshold`, settings `OPTIONS`); it is wrapped as Django wraps
    its own, so execute wrappers, the queries log and Django's database errors see it."""
    if not _postgresql():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall() if cursor.description else []
            return rows, cursor.rowcount
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    # What `connection.cursor()` wraps its own cursors in.
    wrapper = CursorDebugWrapper if connection.queries_logged else CursorWrapper
    wrapped = wrapper(raw, connection)
    with wrapped as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall() if cursor.description else []
        return rows, cursor.rowcount


def rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """The rows `sql` returns (none for a statement that returns none)."""
    return execute(sql, params)[0]
