"""The ministry's table of aid by year (`../shared/data/aid/`, never copied here) read and
checked before it becomes the ledger's history; a table that does not add up is refused naming
the file, row and column."""

from __future__ import annotations

from decimal import Decimal

import pytest

from panmun.tests.shared_data import shared_file

from ..history import HistoryTableError, read_history_table

HEADER = (
    "year,"
    + ",".join(
        [
            "gov_by_government",
            "gov_via_ngos",
            "gov_via_intl_orgs",
            "gov_free_total",
            "gov_food_loans",
            "gov_total",
            "ngo_total",
            "grand_total",
        ]
    )
    + ",note\n"
)


def test_the_ministrys_table_adds_up_to_what_it_publishes():
    path = shared_file("data/aid/mou-humanitarian-aid-krw100m.csv")
    table = read_history_table(path.read_bytes(), file=path.name)
    assert [row.year for row in table.years] == list(range(1995, 2019))
    published = {k: int(v) for k, v in table.published.items()}
    assert published["gov_free_total"] == 15_183
    assert published["gov_food_loans"] == 8_728
    assert published["gov_total"] == 23_911
    assert published["ngo_total"] == 9_038
    assert published["grand_total"] == 32_948  # KRW 3.2948 trillion
    assert abs(table.total() - Decimal(32_948)) <= 2
    peak = table.peak()
    assert (peak.year, peak.amounts["grand_total"]) == (2007, Decimal(4_397))


def _csv(*rows: str, total: str = "total,10,,,10,,10,5,15,") -> bytes:
    return (HEADER + "\n".join([*rows, total]) + "\n").encode("utf-8")


def test_a_small_table_in_cp949_with_a_korean_total_row():
    data = (HEADER + "2000,10,,,10,,10,5,15,쌀\n합계,10,,,10,,10,5,15,\n").encode("cp949")
    table = read_history_table(data, file="표.csv")
    assert table.years[0].note == "쌀" and table.total() == Decimal(15)


@pytest.mark.parametrize(
    ("rows", "where"),
    [
        (["2000,10,,,10,,10,5,15,", "2001,x,,,0,,0,0,0,"], (3, "gov_by_government")),
        (["2000,10,,,10,,10,5,25,"], (2, "grand_total")),  # 10 + 5 is not 25
        (["2000,10,,,10,,10,5,15,", "2000,0,,,0,,0,0,0,"], (3, "year")),  # twice
        (["19x5,10,,,10,,10,5,15,"], (2, "year")),
        (["2000,-1,,,-1,,-1,0,-1,"], (2, "gov_by_government")),
    ],
)
def test_a_wrong_row_is_named_and_nothing_is_read(rows, where):
    with pytest.raises(HistoryTableError) as info:
        read_history_table(_csv(*rows), file="aid.csv")
    places = {(p.row, p.field) for p in info.value.problems}
    assert where in places, places
    assert all(p.file == "aid.csv" for p in info.value.problems)


def test_years_that_do_not_add_up_to_the_published_total_are_refused():
    with pytest.raises(HistoryTableError) as info:
        read_history_table(_csv("2000,10,,,10,,10,5,15,", total="total,10,,,10,,10,5,99,"),
                           file="aid.csv")  # fmt: skip
    assert [(p.code, p.field) for p in info.value.problems] == [
        ("aid_history_column_sum", "grand_total")
    ]


def test_a_table_without_its_columns_or_total_row_is_refused():
    with pytest.raises(HistoryTableError) as info:
        read_history_table(b"year,amount\n2000,1\n", file="a.csv")
    assert info.value.problems[0].code == "aid_history_columns"
    with pytest.raises(HistoryTableError) as info:
        read_history_table((HEADER + "2000,10,,,10,,10,5,15,\n").encode(), file="a.csv")
    assert info.value.problems[0].code == "aid_history_no_total"
    with pytest.raises(HistoryTableError) as info:
        read_history_table(b"\xff\xfe\x00bad", file="a.csv")
    assert info.value.problems[0].code == "aid_history_encoding"
