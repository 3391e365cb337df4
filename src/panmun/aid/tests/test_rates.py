"""Exchange rates handed over by the officer: read whole or refused naming file, row and column;
the rate in force on a day is the latest on or before it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ..rates import RatesError, read_rates

CURRENCIES = {"KRW", "USD", "EUR", "CNY"}
HEADER = "date,currency,krw,usd,source\n"


def _read(*rows: str, encoding: str = "utf-8"):
    return read_rates((HEADER + "\n".join(rows) + "\n").encode(encoding), file="rates.csv",
                      currencies=CURRENCIES)  # fmt: skip


def test_rates_are_exact_and_the_one_in_force_is_the_latest_before():
    table = _read(
        '2012-06-07,USD,"1,172.50",1,한국은행',
        "2012-01-02,USD,1151.80,1,한국은행",
        "2012-06-07,EUR,1466.12,1.2505,한국은행",
        "2012-06-07,KRW,1,0.000853,한국은행",
        encoding="cp949",
    )
    assert len(table) == 4
    rate = table.on("USD", dt.date(2012, 6, 6))
    assert rate is not None and rate.krw == Decimal("1151.80")
    rate = table.on("USD", dt.date(2013, 1, 1))
    assert rate is not None and rate.krw == Decimal("1172.50") and rate.source == "한국은행"
    assert table.on("USD", dt.date(2011, 12, 31)) is None
    assert table.on("CNY", dt.date(2012, 6, 7)) is None


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("2012-13-07,USD,1172.5,1,BOK", "date"),
        ("2012-06-07,XYZ,1172.5,1,BOK", "currency"),
        ("2012-06-07,USD,0,1,BOK", "krw"),
        ("2012-06-07,USD,-3,1,BOK", "krw"),
        ("2012-06-07,USD,NaN,1,BOK", "krw"),
        ("2012-06-07,USD,1172.5,1e-12,BOK", "usd"),
        ("2012-06-07,USD,1172.5,1,", "source"),
        ("2012-06-07,KRW,2,0.0008,BOK", "krw"),
    ],
)
def test_a_wrong_cell_is_named_and_nothing_is_read(row, column):
    with pytest.raises(RatesError) as info:
        _read("2012-06-06,USD,1170,1,BOK", row)
    assert [(p.file, p.row, p.field) for p in info.value.problems] == [("rates.csv", 3, column)]


def test_one_rate_per_currency_and_day():
    with pytest.raises(RatesError) as info:
        _read("2012-06-07,USD,1172.5,1,BOK", "2012-06-07,usd,1173,1,Eximbank")
    (problem,) = info.value.problems
    assert (problem.row, problem.code) == (3, "rates_twice") and "row 2" in problem.en


def test_a_file_without_the_columns_or_not_text_is_refused():
    with pytest.raises(RatesError) as info:
        read_rates(b"date,currency,rate\n", file="r.csv", currencies=CURRENCIES)
    assert info.value.problems[0].code == "rates_columns"
    with pytest.raises(RatesError) as info:
        read_rates(b"\xff\xfe\x00\x81", file="r.csv", currencies=CURRENCIES)
    assert info.value.problems[0].code == "rates_encoding"
