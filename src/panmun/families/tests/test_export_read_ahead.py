"""Reading the next chunks of an export while this one is written (PostgreSQL, outside a
transaction): every chunk in order, the reader's error raised in the writer, and a writer that
stops early stops the reader."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from panmun.common.bulk import _ahead, read_ahead


def _numbers(count: int, pause: float = 0.0) -> Iterator[list[int]]:
    for n in range(count):
        if pause:
            time.sleep(pause)
        yield [n, n]


def test_every_chunk_comes_in_order() -> None:
    assert list(_ahead(lambda: _numbers(50), 2)) == [[n, n] for n in range(50)]


def test_the_readers_error_is_raised_in_the_writer() -> None:
    def failing() -> Iterator[list[int]]:
        yield [1]
        raise ValueError("the database went away")

    chunks = _ahead(failing, 2)
    assert next(chunks) == [1]
    with pytest.raises(ValueError, match="went away"):
        next(chunks)


def test_a_writer_that_stops_stops_the_reader() -> None:
    chunks = _ahead(lambda: _numbers(10_000), 2)
    assert next(chunks) == [0, 0]
    chunks.close()  # the writer failed, say: the reader must not go on reading
    assert not [t for t in threading.enumerate() if t.name == "export-read-ahead"]


@pytest.mark.django_db
def test_inside_a_transaction_the_chunks_are_read_in_turn() -> None:
    """A second connection would not see the transaction's own rows (a test's, an atomic
    job's): there, no thread reads ahead."""
    seen: list[str] = []

    def chunks() -> Iterator[list[str]]:
        seen.append(threading.current_thread().name)
        yield ["a"]

    assert list(read_ahead(chunks)) == [["a"]]
    assert seen == [threading.current_thread().name]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_export_reads_the_same_rows(personas, monkeypatch) -> None:
    """Committed rows, as a job's worker sees them: with the reader thread (on PostgreSQL) the
    registry's rows and PFIF records are those read in turn, in the same order."""
    from django.db import connection

    from ..demo import load_registry_demo
    from ..services import exchange, export

    load_registry_demo(size=700, living=200)  # more than one chunk of each export
    assert not connection.in_atomic_block
    ahead_rows = list(export.registry_file_rows())
    ahead_pfif = list(exchange.pfif_persons())
    monkeypatch.setattr(export, "read_ahead", lambda chunks, depth=2: chunks())
    monkeypatch.setattr(exchange, "read_ahead", export.read_ahead)
    in_turn_rows = list(export.registry_file_rows())
    in_turn_pfif = list(exchange.pfif_persons())
    assert len(ahead_rows) > 700 and len(ahead_pfif) > export.EXPORT_CHUNK
    assert ahead_rows == in_turn_rows
    assert ahead_pfif == in_turn_pfif
