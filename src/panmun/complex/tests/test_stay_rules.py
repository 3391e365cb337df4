"""The North's stay rules and the KT tariff at their boundaries (pure: no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from .. import comms_rules as comms
from .. import stay_rules as rules

KST = dt.timezone(dt.timedelta(hours=9))
ARRIVED = dt.datetime(2010, 3, 5, 9, 0, tzinfo=KST)
ON = ARRIVED.date()


def facts(**changes: object) -> rules.StayFacts:
    values: dict[str, object] = {"arrived_at": ARRIVED, "arrived_on": ON, **changes}
    return rules.StayFacts(**values)  # type: ignore[arg-type]


def kinds(found: list[rules.Deadline]) -> list[tuple[str, str]]:
    return [(d.kind, d.state) for d in found]


# --- registration within 48 hours, unless leaving within 7 days ------------------------------


def test_registration_is_due_48_hours_after_arrival() -> None:
    due_at = ARRIVED + dt.timedelta(hours=48)
    at_limit = rules.deadlines(facts(), due_at, due_at.date())
    assert kinds(at_limit) == [("registration", "due")]
    assert at_limit[0].due_at == due_at
    just_after = due_at + dt.timedelta(seconds=1)
    assert kinds(rules.deadlines(facts(), just_after, just_after.date())) == [
        ("registration", "overdue")
    ]


@pytest.mark.parametrize(("days", "exempt"), [(0, True), (7, True), (8, False)])
def test_leaving_within_7_days_needs_no_registration(days: int, exempt: bool) -> None:
    leaving = ON + dt.timedelta(days=days)
    at = ARRIVED + dt.timedelta(hours=60)
    found = rules.deadlines(facts(planned_departure=leaving), at, at.date())
    assert kinds(found) == ([] if exempt else [("registration", "overdue")])


def test_the_exemption_ends_with_the_seventh_day() -> None:
    f = facts(planned_departure=ON + dt.timedelta(days=5))
    seventh = dt.datetime.combine(ON + dt.timedelta(days=7), dt.time(23, 59), KST)
    assert rules.deadlines(f, seventh, seventh.date()) == []
    eighth = seventh + dt.timedelta(minutes=2)
    assert kinds(rules.deadlines(f, eighth, eighth.date())) == [("registration", "overdue")]


def test_a_departed_stay_owes_nothing() -> None:
    late = ARRIVED + dt.timedelta(days=400)
    assert rules.deadlines(facts(departed=True), late, late.date()) == []


# --- short up to 90 days, long from 91, residence beyond a year ------------------------------


@pytest.mark.parametrize(
    ("last_day", "expected"),
    [
        (ON, "short"),
        (ON + dt.timedelta(days=89), "short"),  # the 90th day
        (ON + dt.timedelta(days=90), "long"),  # the 91st day
        (dt.date(2011, 3, 5), "long"),  # a year to the day
        (dt.date(2011, 3, 6), "residence"),  # beyond a year
    ],
)
def test_the_class_of_a_stay(last_day: dt.date, expected: str) -> None:
    assert rules.stay_class(ON, last_day) == expected


def test_the_90th_day_is_counted_from_the_day_of_arrival() -> None:
    assert rules.stay_days(ON, ON + dt.timedelta(days=89)) == 90


def test_a_year_after_29_february() -> None:
    assert rules.a_year_after(dt.date(2012, 2, 29)) == dt.date(2013, 2, 28)


# --- extension at least 3 days before expiry -------------------------------------------------


@pytest.mark.parametrize(("requested", "in_time"), [(7, True), (8, False), (1, True), (10, False)])
def test_extension_requested_3_days_before_expiry(requested: int, in_time: bool) -> None:
    assert rules.extension_in_time(dt.date(2010, 5, requested), dt.date(2010, 5, 10)) is in_time


def test_the_extension_deadline_before_and_after_its_day() -> None:
    f = facts(registered=True, expires_on=dt.date(2010, 5, 10))
    on_last = dt.datetime(2010, 5, 7, 23, 0, tzinfo=KST)
    assert kinds(rules.deadlines(f, on_last, on_last.date())) == [("extension", "due")]
    assert rules.deadlines(f, on_last, on_last.date())[0].due_on == dt.date(2010, 5, 7)
    next_day = dt.datetime(2010, 5, 8, 9, 0, tzinfo=KST)
    assert kinds(rules.deadlines(f, next_day, next_day.date())) == [("extension", "overdue")]
    expired = dt.datetime(2010, 5, 11, 9, 0, tzinfo=KST)
    assert kinds(rules.deadlines(f, expired, expired.date())) == [("expiry", "overdue")]


def test_no_extension_is_due_when_leaving_by_the_expiry() -> None:
    f = facts(
        registered=True, expires_on=dt.date(2010, 5, 10), planned_departure=dt.date(2010, 5, 10)
    )
    at = dt.datetime(2010, 5, 9, 9, 0, tzinfo=KST)
    assert rules.deadlines(f, at, at.date()) == []


# --- residence registration beyond a year ----------------------------------------------------


def test_residence_is_due_at_a_year_and_overdue_after() -> None:
    f = facts(registered=True, expires_on=dt.date(2011, 3, 5))
    before = dt.datetime(2011, 1, 10, 9, 0, tzinfo=KST)
    assert ("residence", "due") in kinds(rules.deadlines(f, before, before.date()))
    on_the_day = dt.datetime(2011, 3, 5, 20, 0, tzinfo=KST)
    assert ("residence", "due") in kinds(rules.deadlines(f, on_the_day, on_the_day.date()))
    after = dt.datetime(2011, 3, 6, 9, 0, tzinfo=KST)
    assert ("residence", "overdue") in kinds(rules.deadlines(f, after, after.date()))
    registered = facts(registered=True, expires_on=dt.date(2012, 3, 5), residence=True)
    # Registered as residence: only the residence's own expiry is ahead.
    assert kinds(rules.deadlines(registered, after, after.date())) == [("extension", "due")]


# --- fees as dated data ----------------------------------------------------------------------


def test_the_fees_from_1_april_2008() -> None:
    assert rules.fee_usd("short", dt.date(2008, 3, 31)) is None
    assert rules.fee_usd("short", dt.date(2008, 4, 1)) == Decimal("35")
    assert rules.fee_usd("long", dt.date(2008, 4, 1)) == Decimal("100")
    assert rules.fee_usd("residence", dt.date(2015, 1, 1)) == Decimal("200")


def test_a_later_fee_rule_takes_over_from_its_day() -> None:
    later = rules.StayFee(dt.date(2012, 1, 1), Decimal(40), Decimal(120), Decimal(250), "test")
    fees = (*rules.FEES, later)
    assert rules.fee_usd("short", dt.date(2011, 12, 31), fees) == Decimal("35")
    assert rules.fee_usd("short", dt.date(2012, 1, 1), fees) == Decimal("40")


# --- communications --------------------------------------------------------------------------


def test_the_dial_strings_of_a_line_and_a_call() -> None:
    assert comms.dial_from_south("1234") == "001-8585-1234"
    assert comms.dial_to_south("0212345678") == "089-0212345678"


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("1234", True),
        ("12-34", True),
        ("12345678", True),
        ("123", False),
        ("123456789", False),
        ("12a4", False),
        ("١٢٣٤", False),
        ("", False),
    ],
)
def test_a_line_number_is_4_to_8_digits(raw: str, ok: bool) -> None:
    assert (comms.line_number_problem(raw) is None) is ok


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("02-1234-5678", True),
        ("021234567", True),
        ("010-1234-5678", True),
        ("2-1234-5678", False),
        ("02-12", False),
        ("0212345678901", False),
        ("+82212345678", False),
    ],
)
def test_a_south_number_is_dialled_as_in_the_south(raw: str, ok: bool) -> None:
    assert (comms.south_number_problem(raw) is None) is ok


@pytest.mark.parametrize(("seconds", "minutes"), [(0, 0), (1, 1), (60, 1), (61, 2), (120, 2)])
def test_calls_are_billed_by_the_minute_begun(seconds: int, minutes: int) -> None:
    assert comms.billed_minutes(seconds) == minutes


def test_the_tariff_from_28_december_2005() -> None:
    assert comms.tariff(dt.date(2005, 12, 27)) is None
    rule = comms.tariff(dt.date(2005, 12, 28))
    assert rule is not None
    assert (rule.installation_usd, rule.monthly_usd, rule.per_minute_usd) == (
        Decimal(100),
        Decimal(10),
        Decimal("0.40"),
    )
    assert comms.call_charge(61, dt.date(2010, 1, 1)) == Decimal("0.80")
