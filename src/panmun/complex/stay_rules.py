"""The North's rules on a South Korean's stay in the complex (2003 rules on entry and stay,
agreement initialled 29 January 2004, in force 5 August 2005), as pure functions and dated data,
without Django, so each rule is tested at its boundaries on its own.

체류 = stay: a person's time in the complex from arrival (their check-out, 출경, at the South's
gate). The facts (docs/domain.md, "Gaeseong Industrial Complex"):

- registration (체류등록) within 48 hours of arrival, unless leaving within 7 days;
- a short stay is up to 90 days, a long stay from 91 days;
- an extension is requested 3 days before the stay's expiry;
- a stay of over a year needs residence registration (거주등록);
- fees from 1 April 2008: USD 35 short stay, 100 long stay, 200 residence.

Readings this module makes where the source is silent (assumptions, not facts):

- a stay's length counts its days inclusively: arriving on 1 March and registered until 1 March
  is a stay of 1 day, so "up to 90 days" ends on the 90th day counted from the day of arrival;
- "leaving within 7 days": the planned departure is at most 7 days after the day of arrival; a
  person still in the complex after those 7 days loses the exemption (registration is overdue);
- "3 days before expiry": requested on or before the date 3 days before the last day of the
  stay (expiry on 10 May: by 7 May);
- "over a year": beyond the same date a year after arrival (arrival 5 March 2010: a stay ending
  after 5 March 2011 needs residence registration);
- the fee of an extension is the fee of the class the extended stay falls in (the source gives
  the three fees, not when each is charged); no fee is known before 1 April 2008."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

REGISTRATION_HOURS = 48
EXEMPT_DAYS = 7
SHORT_STAY_DAYS = 90
EXTENSION_NOTICE_DAYS = 3

SHORT, LONG, RESIDENCE = "short", "long", "residence"
CLASSES = (SHORT, LONG, RESIDENCE)

# What a deadline is about, and its state at a moment.
REGISTRATION, EXTENSION, EXPIRY, RESIDENCE_DUE = "registration", "extension", "expiry", "residence"
DUE, OVERDUE = "due", "overdue"

#: The rules a refusal names (stable codes, and their words in both languages).
RULES: dict[str, tuple[str, str]] = {
    "stay.registration_48h": (
        "도착 후 48시간 안에 체류등록 (7일 안에 떠나면 면제)",
        "Registration within 48 hours of arrival (not if leaving within 7 days)",
    ),
    "stay.short_90_days": ("단기체류는 90일까지", "A short stay is up to 90 days"),
    "stay.long_from_91_days": ("장기체류는 91일부터", "A long stay is from 91 days"),
    "stay.extension_3_days": (
        "체류연장은 만료 3일 전까지 신청",
        "An extension is requested at least 3 days before expiry",
    ),
    "stay.residence_over_a_year": (
        "1년을 넘는 체류는 거주등록",
        "A stay of over a year needs residence registration",
    ),
}


@dataclass(frozen=True)
class StayFee:
    """The fees in USD in force from `effective_from` until the next rule's day."""

    effective_from: dt.date
    short_usd: Decimal
    long_usd: Decimal
    residence_usd: Decimal
    source: str

    def for_class(self, stay_class: str) -> Decimal:
        return {SHORT: self.short_usd, LONG: self.long_usd, RESIDENCE: self.residence_usd}[
            stay_class
        ]


#: The fee rules, oldest first; add a row for a later (or earlier) rule.
FEES: tuple[StayFee, ...] = (
    StayFee(
        dt.date(2008, 4, 1),
        Decimal("35"),
        Decimal("100"),
        Decimal("200"),
        "Stay fees from 1 April 2008 (docs/domain.md, Gaeseong Industrial Complex: stay)",
    ),
)


def fee_rule(on: dt.date, fees: tuple[StayFee, ...] = FEES) -> StayFee | None:
    """The fee rule in force on `on`; None before the first known rule."""
    found = None
    for rule in sorted(fees, key=lambda r: r.effective_from):
        if rule.effective_from <= on:
            found = rule
    return found


def fee_usd(stay_class: str, on: dt.date, fees: tuple[StayFee, ...] = FEES) -> Decimal | None:
    """The fee of a registration of `stay_class` made on `on`; None where no rule is known."""
    rule = fee_rule(on, fees)
    return None if rule is None else rule.for_class(stay_class)


def a_year_after(day: dt.date) -> dt.date:
    """The same date a year later (29 February: 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def stay_days(arrived_on: dt.date, until: dt.date) -> int:
    """A stay's length in days, both ends counted."""
    return (until - arrived_on).days + 1


def stay_class(arrived_on: dt.date, until: dt.date) -> str:
    """short up to 90 days, long from 91 days to a year, residence beyond a year."""
    if until > a_year_after(arrived_on):
        return RESIDENCE
    return SHORT if stay_days(arrived_on, until) <= SHORT_STAY_DAYS else LONG


def registration_due(arrived_at: dt.datetime) -> dt.datetime:
    return arrived_at + dt.timedelta(hours=REGISTRATION_HOURS)


def exempt(arrived_on: dt.date, planned_departure: dt.date | None) -> bool:
    """Leaving within 7 days of arrival: no registration."""
    return planned_departure is not None and (
        planned_departure <= arrived_on + dt.timedelta(days=EXEMPT_DAYS)
    )


def extension_last_day(expires_on: dt.date) -> dt.date:
    """The last day on which an extension of a stay ending on `expires_on` may be requested."""
    return expires_on - dt.timedelta(days=EXTENSION_NOTICE_DAYS)


def extension_in_time(requested_on: dt.date, expires_on: dt.date) -> bool:
    return requested_on <= extension_last_day(expires_on)


@dataclass(frozen=True)
class StayFacts:
    """What the deadlines of one stay depend on. Dates are Korea's dates; `arrived_at` and `at`
    are aware moments (or both naive), `arrived_on` the local date of arrival."""

    arrived_at: dt.datetime
    arrived_on: dt.date
    planned_departure: dt.date | None = None
    departed: bool = False
    registered: bool = False
    expires_on: dt.date | None = None  # the last day of the registered stay
    residence: bool = False  # residence registration made


@dataclass(frozen=True)
class Deadline:
    """One thing due for a stay: what, by when (`due_on`, a date; `due_at` for the 48 hours),
    its state at the moment asked (due or overdue), and the rule it comes from."""

    kind: str
    due_on: dt.date
    state: str
    rule: str
    due_at: dt.datetime | None = None

    @property
    def overdue(self) -> bool:
        return self.state == OVERDUE


def deadlines(facts: StayFacts, at: dt.datetime, today: dt.date) -> list[Deadline]:
    """What is due or overdue for a stay at the moment `at` (whose local date is `today`); a
    stay that has ended owes nothing. Sorted by the day it is due."""
    if facts.departed:
        return []
    found: list[Deadline] = []
    if not facts.registered:
        due_at = registration_due(facts.arrived_at)
        past_exemption = today > facts.arrived_on + dt.timedelta(days=EXEMPT_DAYS)
        if not exempt(facts.arrived_on, facts.planned_departure) or past_exemption:
            state = OVERDUE if at > due_at else DUE
            found.append(
                Deadline(REGISTRATION, due_at.date(), state, "stay.registration_48h", due_at)
            )
    else:
        expires = facts.expires_on
        if expires is not None:
            leaving_in_time = facts.planned_departure is not None and (
                facts.planned_departure <= expires
            )
            if today > expires:
                found.append(Deadline(EXPIRY, expires, OVERDUE, "stay.extension_3_days"))
            elif not leaving_in_time:
                last = extension_last_day(expires)
                state = OVERDUE if today > last else DUE
                found.append(Deadline(EXTENSION, last, state, "stay.extension_3_days"))
    if not facts.residence:
        anniversary = a_year_after(facts.arrived_on)
        staying_on = facts.planned_departure is None or facts.planned_departure > anniversary
        if today > anniversary or (
            staying_on and facts.expires_on is not None and facts.expires_on >= anniversary
        ):
            state = OVERDUE if today > anniversary else DUE
            found.append(Deadline(RESIDENCE_DUE, anniversary, state, "stay.residence_over_a_year"))
    return sorted(found, key=lambda d: d.due_on)


def overdue(facts: StayFacts, at: dt.datetime, today: dt.date) -> list[Deadline]:
    """The deadlines missed: what flags the person at the gate."""
    return [d for d in deadlines(facts, at, today) if d.overdue]
