"""Telephone lines: installation, dial strings, calls and their import, a month's bill computed
by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from panmun.common.errors import DomainError, ErrorCode

from ..models import PhoneBill, PhoneCall, PhoneLine
from ..services import comms as service
from .factories import persona_firm
from .stay_world import at, line, other_firm

pytestmark = pytest.mark.django_db

HEADER = "line,dialled,started_at,duration_seconds\n"


def refused(call, code=ErrorCode.INVALID_INPUT) -> DomainError:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code
    return caught.value


def test_a_line_keeps_its_digits(personas) -> None:
    made = line(personas, number="12-34")
    assert made.number == "1234"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"number": "12"}, "number"),
        ({"number": "abcd"}, "number"),
        ({"installed_on": dt.date(2005, 12, 27)}, "installed_on"),
        ({"installed_on": dt.date(2100, 1, 1)}, "installed_on"),
        ({"note": "x" * 301}, "note"),
    ],
)
def test_a_line_is_checked(personas, changes, field) -> None:
    err = refused(lambda: line(personas, **changes))
    assert err.details["field"] == field
    assert not PhoneLine.objects.exists()


def test_a_number_is_installed_once(personas) -> None:
    line(personas)
    err = refused(lambda: line(personas, number="1234"))
    assert err.details["field"] == "number"


@pytest.mark.parametrize("who", ["firm", "ministry", "gate"])
def test_only_the_committee_keeps_lines(personas, who) -> None:
    refused(
        lambda: service.phone_line_install(
            actor=personas[who],
            firm=persona_firm(personas),
            number="5555",
            installed_on=dt.date(2010, 1, 1),
        ),
        ErrorCode.PERMISSION_DENIED,
    )
    assert not PhoneLine.objects.exists()


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


def test_a_months_bill_computed_by_hand(personas) -> None:
    """March 2010: line 1234 installed 10 March (installation 100 + month 10), line 5678
    installed in February (month 10), line 9999 taken out 28 February (nothing); calls of 61 s
    (2 min), 60 s (1 min), 0 s (0), 3599 s (60 min) = 63 minutes × 0.40 = 25.20; a call of
    1 April 00:00 belongs to April. Total 100 + 20 + 25.20 = 145.20."""
    firm = persona_firm(personas)
    line(personas, number="1234", installed_on=dt.date(2010, 3, 10))
    line(personas, number="5678", installed_on=dt.date(2010, 2, 1))
    old = line(personas, number="9999", installed_on=dt.date(2010, 1, 1))
    service.phone_line_remove(actor=personas["gic"], line=old, removed_on=dt.date(2010, 2, 28))
    line(personas, other_firm(), number="4321", installed_on=dt.date(2010, 3, 1))
    count = service.phone_calls_import(
        actor=personas["gic"],
        name="2010-03.csv",
        data=_csv(
            "1234,02-1234-5678,2010-03-10 09:00:00,61",
            "1234,02-1234-5678,2010-03-31 23:59:00,60",
            "5678,031-123-4567,2010-03-15 10:00,0",
            "5678,010-1234-5678,2010-03-20T14:00:00,3599",
            "5678,010-1234-5678,2010-04-01 00:00:00,600",
            "4321,02-1234-5678,2010-03-20 10:00:00,6000",
        ),
    )
    assert count == 6
    bill = service.phone_bill_compute(actor=personas["gic"], firm=firm, month=dt.date(2010, 3, 1))
    assert (bill.lines, bill.installation_usd, bill.monthly_usd) == (
        2,
        Decimal("100.00"),
        Decimal("20.00"),
    )
    assert (bill.calls, bill.minutes, bill.calls_usd) == (4, 63, Decimal("25.20"))
    assert bill.total_usd == Decimal("145.20")
    # Computed again: replaced, not doubled.
    service.phone_bill_compute(actor=personas["gic"], firm=firm, month=dt.date(2010, 3, 1))
    assert PhoneBill.objects.filter(firm=firm).count() == 1


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("1111,02-1234-5678,2010-03-10 09:00:00,61", "line"),
        ("1234,2-1234-5678,2010-03-10 09:00:00,61", "dialled"),
        ("1234,02-1234-5678,2010-13-10 09:00:00,61", "started_at"),
        ("1234,02-1234-5678,yesterday,61", "started_at"),
        ("1234,02-1234-5678,2010-03-01 09:00:00,61", "started_at"),  # before installation
        ("1234,02-1234-5678,2010-03-10 09:00:00,-1", "duration_seconds"),
        ("1234,02-1234-5678,2010-03-10 09:00:00,1.5", "duration_seconds"),
        ("1234,02-1234-5678,2010-03-10 09:00:00,86401", "duration_seconds"),
        ("1234,02-1234-5678,2010-03-10 09:00:00,١٢", "duration_seconds"),
        ("1234,02-1234-5678,2010-03-10 09:00:00,99999999999999999999", "duration_seconds"),
    ],
)
def test_an_import_with_a_wrong_row_records_nothing(personas, row, field) -> None:
    line(personas, number="1234", installed_on=dt.date(2010, 3, 10))
    err = refused(
        lambda: service.phone_calls_import(
            actor=personas["gic"],
            name="march.csv",
            data=_csv("1234,02-1234-5678,2010-03-11 09:00:00,61", row),
        )
    )
    assert (err.details["file"], err.details["row"], err.details["field"]) == (
        "march.csv",
        3,
        field,
    )
    assert "march.csv, row 3" in err.message_en
    assert not PhoneCall.objects.exists()


def test_an_import_refuses_a_call_twice(personas) -> None:
    line(personas, number="1234", installed_on=dt.date(2010, 3, 10))
    row = "1234,02-1234-5678,2010-03-11 09:00:00,61"
    err = refused(
        lambda: service.phone_calls_import(actor=personas["gic"], name="a.csv", data=_csv(row, row))
    )
    assert err.details["row"] == 3
    service.phone_calls_import(actor=personas["gic"], name="a.csv", data=_csv(row))
    refused(lambda: service.phone_calls_import(actor=personas["gic"], name="b.csv", data=_csv(row)))
    assert PhoneCall.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", ErrorCode.INVALID_INPUT),
        (b"a,b\n1,2\n", ErrorCode.INVALID_INPUT),
        (HEADER.encode(), ErrorCode.INVALID_INPUT),
        (HEADER.encode() + b"1234,0212345678\n", ErrorCode.INVALID_INPUT),
        (b"\xff\xfe\x00", ErrorCode.INVALID_INPUT),
        (HEADER.encode() + b"x" * service.MAX_FILE_BYTES, ErrorCode.PAYLOAD_TOO_LARGE),
    ],
)
def test_a_wrong_file_is_refused_whole(personas, data, code) -> None:
    err = refused(
        lambda: service.phone_calls_import(actor=personas["gic"], name="f.csv", data=data), code
    )
    assert err.details["field"] == "file"


def test_the_rows_of_a_file_are_bounded(personas, monkeypatch) -> None:
    monkeypatch.setattr(service, "MAX_ROWS", 2)
    line(personas, number="1234", installed_on=dt.date(2010, 3, 10))
    rows = [f"1234,02-1234-5678,2010-03-11 09:00:0{n},61" for n in range(3)]
    err = refused(
        lambda: service.phone_calls_import(actor=personas["gic"], name="f.csv", data=_csv(*rows))
    )
    assert err.details["row"] == 4
    assert not PhoneCall.objects.exists()


def test_a_line_is_not_taken_out_before_its_calls(personas) -> None:
    made = line(personas, number="1234", installed_on=dt.date(2010, 3, 10))
    service.phone_call_record(
        actor=personas["gic"],
        call=service.CallInput("1234", "0212345678", at(2010, 3, 20, 9), 30),
    )
    err = refused(
        lambda: service.phone_line_remove(
            actor=personas["gic"], line=made, removed_on=dt.date(2010, 3, 19)
        )
    )
    assert err.details["field"] == "removed_on"
