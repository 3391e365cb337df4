"""A registry import's memory does not grow with the file (issue 16, item 9): the rows read wait
on disk until the whole file is checked, and are written a chunk at a time."""

import csv
import gc
import io
import tracemalloc

import pytest

from ..models import Person
from ..registry_file import values
from ..services import registry


def _file(first: int, rows: int) -> bytes:
    """A registry CSV of `rows` rows: applicants seeking two relatives or none, from a few
    names and dates (so that no cache grows with the file), registration numbers from
    `first` on, the rows of one applicant apart from each other (its second relative comes a
    few hundred rows later), as in a file sorted by anything but the number."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(
        [
            "registry_no",
            "applicant_family_name",
            "applicant_given_name",
            "applicant_birth_date",
            "relation",
            "relative_family_name",
            "relative_given_name",
            "relative_birth_date",
        ]
    )
    names = ["순자", "철수", "영희", "동호", "선권", "정희"]
    half = rows // 2
    for index in range(rows):
        applicant = index % half  # each has two rows, `half` rows apart
        number = f"M-{first + applicant}"
        head = [number, "김", names[applicant % 6], f"{1930 + applicant % 20}-03-05"]
        if index < half and index % 3 == 0:
            writer.writerow([*head, "", "", "", ""])  # this row seeks nobody
        else:
            relative = names[index % 6] + ("" if index < half else "님")
            writer.writerow([*head, "sibling", "이", relative, "1935"])
    return out.getvalue().encode()


def _peak(officer, data: bytes) -> int:
    """The most memory Python held at once (above what it held before) importing `data`."""
    values.partial_date.cache_clear()
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        registry.registry_import(actor=officer, data=io.BytesIO(data), filename="big.csv")
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


@pytest.mark.django_db(transaction=True)
def test_memory_does_not_grow_with_the_rows(personas, monkeypatch):
    officer = personas["redcross_s"]
    # Small chunks, so that both files are written in several (the chunk's size is what the
    # writing holds; it does not depend on the file).
    monkeypatch.setattr(registry, "BATCH", 200)
    rows = 1500
    small, large = _file(0, rows), _file(100_000, 4 * rows)
    registry.registry_import(actor=officer, data=_file(900_000, 50), filename="warm.csv")
    small_peak = _peak(officer, small)
    large_peak = _peak(officer, large)
    assert Person.objects.filter(registry_no__startswith="M-").count() == 5 * rows // 2 + 25
    # Before the rows were staged on disk, every applicant's record was held until the whole
    # file was checked: four times the rows took about four times the memory.
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)
