"""PFIF documents are read a chunk at a time, each record's XML let go once it is read (issue
16, item 9): what parsing holds beyond the records it returns does not grow with the file."""

import gc
import io
import tracemalloc

import pytest

from panmun.common.findings import Finding
from panmun.families import pfif
from panmun.families.pfif import PfifNote, PfifPerson, parse, write


def _document(count: int) -> bytes:
    return write(
        [
            PfifPerson(
                {
                    "person_record_id": f"example.org/person.{i}",
                    "full_name": f"김 영희{i}",
                    "given_name": "영희",
                    "family_name": "김",
                    "sex": "female",
                    "date_of_birth": "1940-03-05",
                },
                {"registry_no": f"R-{i}", "hometown": "함경남도 혜산"},
                [
                    PfifNote(
                        {
                            "note_record_id": f"example.org/note.{i}",
                            "person_record_id": f"example.org/person.{i}",
                            "text": "찾습니다",
                            "entry_date": "2020-01-02T03:04:05Z",
                        }
                    )
                ],
            )
            for i in range(count)
        ]
    )


def test_a_file_read_in_small_chunks_reads_as_its_bytes(monkeypatch):
    data = _document(300)
    whole = parse(data, file="x.xml")
    monkeypatch.setattr(pfif, "CHUNK", 1000)  # records and characters cut across chunks
    chunked = parse(io.BytesIO(data), file="x.xml")
    assert chunked == whole and len(chunked.persons) == 300
    assert chunked.persons[299].notes[0].fields["text"] == "찾습니다"


def test_a_syntax_error_after_bad_records_is_what_is_said(monkeypatch):
    monkeypatch.setattr(pfif, "CHUNK", 1000)
    data = _document(50).replace(b"female", b"neither").replace(b"</pfif:pfif>", b"</pfif:x>")
    problems = parse_problems(data)
    assert len(problems) == 1 and problems[0].en.startswith("XML syntax error")


def parse_problems(data: bytes) -> list[Finding]:
    try:
        parse(io.BytesIO(data), file="x.xml")
    except pfif.PfifError as err:
        return err.problems
    raise AssertionError("no problem found")


def _held_beyond_the_records(data: bytes) -> int:
    """The most memory parsing held at once beyond the records it returns."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        document = parse(data, file="x.xml")
        peak = tracemalloc.get_traced_memory()[1]
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0]
        assert document.persons
        return peak - base - (kept - base)
    finally:
        tracemalloc.stop()


def test_what_parsing_holds_does_not_grow_with_the_file(monkeypatch):
    monkeypatch.setattr(pfif, "CHUNK", 1 << 18)
    small, large = _document(1500), _document(6000)
    small_held = _held_beyond_the_records(small)
    large_held = _held_beyond_the_records(large)
    # The whole document's tree was built before any record was read: four times the
    # records, four times the memory.
    assert large_held < 1.5 * small_held, (small_held, large_held)


def test_a_document_of_too_many_records_is_refused_saying_so(monkeypatch):
    """Every record read is kept until all are checked (the import is all or nothing): their
    number is bounded, and a file past it is refused by its name and line, nothing kept."""
    from panmun.families import pfif

    monkeypatch.setattr(pfif, "MAX_RECORDS", 3)
    persons = "".join(
        f"<pfif:person><pfif:person_record_id>example.org/p{n}</pfif:person_record_id>"
        f"<pfif:full_name>김{n}</pfif:full_name></pfif:person>\n"
        for n in range(5)
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4">\n{persons}</pfif:pfif>\n'
    ).encode()
    with pytest.raises(pfif.PfifError) as refused:
        pfif.parse(document, file="big.xml")
    (problem,) = refused.value.problems
    assert problem.file == "big.xml" and problem.row.startswith("line ")
    assert "more than 3 records" in problem.en and "split it" in problem.en
    assert "파일을 나누십시오" in problem.ko
