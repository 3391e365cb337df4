"""Calendars as separated-families records hold them: solar or lunar birthdays, partial dates,
Korean age (세는 나이) and Juche years (주체 연호).

The records were written decades apart by different people, on both sides of the border, and a
birthday often does not say whether it is solar (양력) or lunar (음력). `solar_candidates` gives
every solar date a recorded birthday may mean, so matching can compare solar dates only.

Lunar ↔ solar uses the PyPI package ``korean-lunar-calendar`` (the KARI table, 한국천문연구원).
Its ``KoreanLunarCalendar.setLunarDate``/``setSolarDate`` return False on an invalid date and
keep the date set before, so every conversion here uses a fresh object and checks the result
(results are then kept, keyed by the exact date asked for: a fresh object costs ~1 ms).
The table covers lunar 1000-01-01 … 2050-11-18, solar 1000-02-13 … 2050-12-31 (proleptic
Gregorian; the package refuses solar 1582-10-05 … 1582-10-14, so `solar_to_lunar` does too).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from typing import Protocol

from korean_lunar_calendar import KoreanLunarCalendar  # type: ignore[import-untyped, unused-ignore]

JUCHE_EPOCH = 1912  # Juche 1: the year of Kim Il Sung's birth; the era was adopted in 1997.

LUNAR_FIRST = (1000, 1, 1)  # (year, month, day), as the package's KOREAN_LUNAR_MIN_VALUE
LUNAR_LAST = (2050, 11, 18)  # KOREAN_LUNAR_MAX_VALUE
SOLAR_FIRST = date(1000, 2, 13)  # KOREAN_SOLAR_MIN_VALUE
SOLAR_LAST = date(2050, 12, 31)  # KOREAN_SOLAR_MAX_VALUE
_SOLAR_GAP = (date(1582, 10, 5), date(1582, 10, 14))  # refused by the package's setSolarDate


class OutOfRangeError(ValueError):
    """A lunar conversion outside the years the KARI table covers."""


class Calendar(StrEnum):
    SOLAR = "solar"
    LUNAR = "lunar"
    UNKNOWN = "unknown"


_CALENDAR_WORDS = {
    "solar": Calendar.SOLAR,
    "양력": Calendar.SOLAR,
    "양": Calendar.SOLAR,
    "lunar": Calendar.LUNAR,
    "음력": Calendar.LUNAR,
    "음": Calendar.LUNAR,
    "unknown": Calendar.UNKNOWN,
    "": Calendar.UNKNOWN,
}


def _normal(text: str) -> str:
    """NFKC (full-width digits and brackets to ASCII), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def parse_calendar(text: str | None) -> Calendar:
    """solar/양력/양, lunar/음력/음, or unknown for None, blank or "unknown"; brackets as in
    "(음)" are allowed. Anything else is a ValueError."""
    if text is None:
        return Calendar.UNKNOWN
    word = _normal(text).strip("()[]").strip().casefold()
    try:
        return _CALENDAR_WORDS[word]
    except KeyError:
        raise ValueError(
            f"unknown calendar {text!r}: expected solar/양력/양, lunar/음력/음 or blank"
        ) from None


# ---- lunar ↔ solar ----------------------------------------------------------------------------


class _PackageCalendar(Protocol):
    """The part of korean_lunar_calendar.KoreanLunarCalendar used here."""

    lunarYear: int
    lunarMonth: int
    lunarDay: int
    isIntercalation: bool
    solarYear: int
    solarMonth: int
    solarDay: int

    def setLunarDate(
        self, lunarYear: int, lunarMonth: int, lunarDay: int, isIntercalation: bool
    ) -> bool: ...

    def setSolarDate(self, solarYear: int, solarMonth: int, solarDay: int) -> bool: ...


def _new_calendar() -> _PackageCalendar:
    """A fresh package object. Never read its date after a failed set: it keeps the last one."""
    calendar: _PackageCalendar = KoreanLunarCalendar()
    return calendar


@dataclass(frozen=True)
class LunarDate:
    year: int
    month: int
    day: int
    leap_month: bool = False  # 윤달

    def __str__(self) -> str:
        text = f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"{text} (leap)" if self.leap_month else text

    def to_solar(self) -> date:
        return lunar_to_solar(self.year, self.month, self.day, self.leap_month)


def _require_int(**values: object) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, not {type(value).__name__}")


def _check_lunar_fields(year: int, month: int, day: int) -> None:
    """Month and day bounds every lunar date obeys, then the table's range."""
    _require_int(year=year, month=month, day=day)
    if not 1 <= month <= 12:
        raise ValueError(f"lunar month {month} is not 1–12")
    if not 1 <= day <= 30:
        raise ValueError(f"lunar day {day} is not 1–30 (lunar months have 29 or 30 days)")
    if not LUNAR_FIRST <= (year, month, day) <= LUNAR_LAST:
        raise OutOfRangeError(
            f"lunar {year:04d}-{month:02d}-{day:02d} is outside the table "
            f"({_iso(LUNAR_FIRST)} … {_iso(LUNAR_LAST)})"
        )


def _iso(ymd: tuple[int, int, int]) -> str:
    return f"{ymd[0]:04d}-{ymd[1]:02d}-{ymd[2]:02d}"


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


@cache
def leap_month_of(year: int) -> int | None:
    """The leap month (윤달) of a lunar year, or None: 2020 → 4, 2023 → 2, 1950 → None."""
    _require_int(year=year)
    if not LUNAR_FIRST[0] <= year <= LUNAR_LAST[0]:
        raise OutOfRangeError(
            f"lunar year {year} is outside the table ({LUNAR_FIRST[0]}–{LUNAR_LAST[0]})"
        )
    calendar = _new_calendar()  # only the returned booleans are read, so one object will do
    for month in range(1, 13):
        if calendar.setLunarDate(year, month, 1, True):
            return month
    return None


def lunar_to_solar(year: int, month: int, day: int, leap_month: bool = False) -> date:
    """The solar date of a lunar one; ValueError if it does not exist (the 30th of a 29-day
    month, a leap month the year does not have), OutOfRangeError outside the table."""
    _check_lunar_fields(year, month, day)
    lunar = _iso((year, month, day)) + (" (leap)" if leap_month else "")
    if leap_month and leap_month_of(year) != month:
        leap = leap_month_of(year)
        has = f"its leap month is the {_ordinal(leap)}" if leap else "it has no leap month"
        raise ValueError(f"lunar {lunar}: {year} has no leap {_ordinal(month)} month ({has})")
    solar = _package_lunar_to_solar(year, month, day, leap_month)
    if solar is None:
        reason = "that month has 29 days" if day == 30 else "not in the KARI table"
        raise ValueError(f"lunar {lunar} does not exist: {reason}")
    return solar


# A fresh package object costs about a millisecond (it sums its table from the year 1000), far
# too slow for a million birthdays. So the package is asked once per lunar month for the solar
# date of its first day, and a whole lunar year is kept as a list of months (first day, length);
# any date of that year is then arithmetic. The package stays the only source of the calendar.


@dataclass(frozen=True)
class _Month:
    month: int
    leap: bool
    first: date  # the solar date of the month's first day
    days: int  # 29 or 30


def _package_first_day(
    calendar: _PackageCalendar, year: int, month: int, leap: bool
) -> date | None:
    # The date is read only after a set that succeeded, so one object serves a whole year
    # (a new one costs as much as a conversion: it sets today's date on creation).
    if not calendar.setLunarDate(year, month, 1, leap):
        return None
    return date(calendar.solarYear, calendar.solarMonth, calendar.solarDay)


@cache
def _lunar_year(year: int) -> tuple[_Month, ...] | None:
    """The months of a lunar year in order, or None where the table cannot bound them all (its
    first and last years), which are then converted date by date."""
    if not LUNAR_FIRST[0] < year < LUNAR_LAST[0]:
        return None
    leap = leap_month_of(year)
    keys = [(m, lp) for m in range(1, 13) for lp in (False, True) if not lp or leap == m]
    calendar = _new_calendar()
    firsts = [_package_first_day(calendar, year, m, lp) for m, lp in keys]
    after = _package_first_day(calendar, year + 1, 1, False)
    if after is None or any(f is None for f in firsts):
        return None
    bounds = [f for f in firsts if f is not None] + [after]
    return tuple(
        _Month(m, lp, bounds[i], (bounds[i + 1] - bounds[i]).days) for i, (m, lp) in enumerate(keys)
    )


def _package_lunar_to_solar(year: int, month: int, day: int, leap_month: bool) -> date | None:
    months = _lunar_year(year)
    if months is None:
        calendar = _new_calendar()
        if not calendar.setLunarDate(year, month, day, leap_month):
            return None
        return date(calendar.solarYear, calendar.solarMonth, calendar.solarDay)
    for m in months:
        if m.month == month and m.leap == leap_month:
            return m.first + timedelta(days=day - 1) if day <= m.days else None
    return None


def _package_solar_to_lunar(solar: date) -> LunarDate | None:
    for year in (solar.year, solar.year - 1):
        months = _lunar_year(year)
        if months is None:
            break
        if months[0].first <= solar:
            for m in reversed(months):
                if m.first <= solar:
                    offset = (solar - m.first).days
                    if offset >= m.days:
                        break  # past the year's last month: not this year
                    return LunarDate(year, m.month, offset + 1, m.leap)
    calendar = _new_calendar()
    if not calendar.setSolarDate(solar.year, solar.month, solar.day):
        return None
    return LunarDate(
        calendar.lunarYear, calendar.lunarMonth, calendar.lunarDay, bool(calendar.isIntercalation)
    )


def solar_to_lunar(solar: date) -> LunarDate:
    """The lunar date of a solar one (leap_month set inside a leap month)."""
    if not SOLAR_FIRST <= solar <= SOLAR_LAST:
        raise OutOfRangeError(
            f"solar {solar.isoformat()} is outside the table ({SOLAR_FIRST} … {SOLAR_LAST})"
        )
    if _SOLAR_GAP[0] <= solar <= _SOLAR_GAP[1]:
        raise ValueError(
            f"solar {solar.isoformat()}: korean-lunar-calendar does not convert "
            "1582-10-05 … 1582-10-14 (the days the Gregorian reform dropped)"
        )
    lunar = _package_solar_to_lunar(solar)
    if lunar is None:
        raise ValueError(f"solar {solar.isoformat()} was refused by korean-lunar-calendar")
    return lunar


def _solar_reading(year: int, month: int, day: int) -> date:
    _require_int(year=year, month=month, day=day)
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ValueError(
            f"solar {year:04d}-{month:02d}-{day:02d} does not exist: {error}"
        ) from None


def _lunar_readings(year: int, month: int, day: int) -> list[date]:
    """The ordinary month's date and, if the year has that leap month, the leap month's: the
    valid ones; ValueError (the ordinary reading's) if neither exists."""
    _check_lunar_fields(year, month, day)
    dates: list[date] = []
    first_error: ValueError | None = None
    for leap in (False, True):
        if leap and leap_month_of(year) != month:
            continue
        try:
            dates.append(lunar_to_solar(year, month, day, leap))
        except ValueError as error:
            first_error = first_error or error
    if not dates:
        assert first_error is not None
        raise first_error
    return dates


def solar_candidates(year: int, month: int, day: int, calendar: Calendar) -> list[date]:
    """Every solar date a recorded birthday may mean, sorted.

    solar: that date. lunar: the conversion, and the leap month's too when the year has that
    leap month (records seldom say 윤달). unknown: the solar reading and the lunar readings,
    de-duplicated. A reading that does not exist (2/30 solar, the 30th of a 29-day lunar month)
    is dropped; none left is a ValueError. For lunar and unknown, a date outside the lunar table
    is an OutOfRangeError (a ValueError), never a silently shorter list.
    """
    calendar = Calendar(calendar)
    if calendar is Calendar.SOLAR:
        return [_solar_reading(year, month, day)]
    if calendar is Calendar.LUNAR:
        return sorted(_lunar_readings(year, month, day))
    found: set[date] = set()
    errors: list[str] = []
    try:
        found.add(_solar_reading(year, month, day))
    except ValueError as error:
        errors.append(str(error))
    try:
        found.update(_lunar_readings(year, month, day))
    except OutOfRangeError as error:
        raise OutOfRangeError(f"calendar unknown, and no lunar reading: {error}") from None
    except ValueError as error:
        errors.append(str(error))
    if not found:
        raise ValueError(
            f"{year:04d}-{month:02d}-{day:02d} is neither a solar nor a lunar date: "
            + "; ".join(errors)
        )
    return sorted(found)


# ---- partial dates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PartialDate:
    """A date as recorded: the year, maybe the month, maybe the day. Only the bounds every
    calendar shares are checked here (month 1–12, day 1–31); whether the day exists depends on
    the calendar and is checked by `solar_candidates`."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        _require_int(year=self.year)
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is not 1–9999")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a day without a month")
            return
        _require_int(month=self.month)
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not 1–12")
        if self.day is not None:
            _require_int(day=self.day)
            if not 1 <= self.day <= 31:
                raise ValueError(f"day {self.day} is not 1–31")

    @property
    def is_complete(self) -> bool:
        return self.day is not None

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text


_NUMERIC_DATE = re.compile(
    r"(?P<year>[0-9]{4})"
    r"(?:\s*(?P<sep>[-./])\s*(?P<month>[0-9]{1,2})(?:\s*(?P=sep)\s*(?P<day>[0-9]{1,2}))?)?"
    r"\.?"
)
_KOREAN_DATE = re.compile(
    r"(?P<year>[0-9]{4})\s*년(?:\s*(?P<month>[0-9]{1,2})\s*월(?:\s*(?P<day>[0-9]{1,2})\s*일)?)?"
)


def parse_partial_date(text: str, calendar: Calendar | None = None) -> PartialDate:
    """A recorded date: "1950", "1950-03", "1950-03-05" (also with . or / between,
    "1950. 3. 5.", and "1950년 3월 5일"). Without a calendar only the shared bounds are checked
    (month 1–12, day 1–31); with one, a full date must exist in it as `solar_candidates` reads
    it: "1950-02-29" is refused as solar but accepted as lunar or unknown."""
    normal = _normal(text)
    match = _NUMERIC_DATE.fullmatch(normal) or _KOREAN_DATE.fullmatch(normal)
    if match is None:
        raise ValueError(
            f"not a date: {text!r} (expected YYYY, YYYY-MM or YYYY-MM-DD, or 1950년 3월 5일)"
        )
    numbers = [None if part is None else int(part) for part in match.group("year", "month", "day")]
    year, month, day = numbers
    assert year is not None
    try:
        partial = PartialDate(year, month, day)
    except ValueError as error:
        raise ValueError(f"not a date: {text!r}: {error}") from None
    if calendar is not None and partial.month is not None and partial.day is not None:
        try:
            solar_candidates(partial.year, partial.month, partial.day, calendar)
        except ValueError as error:
            raise ValueError(f"not a date: {text!r}: {error}") from None
    return partial


# ---- ages -------------------------------------------------------------------------------------


def korean_age(birth_year: int, on: date) -> int:
    """세는 나이: 1 in the year of birth, one more every 1 January. South Korea dropped it for
    legal use in June 2023 (만 나이 통일법), but older records count this way."""
    if on.year < birth_year:
        raise ValueError(f"{on.isoformat()} is before the birth year {birth_year}")
    return on.year - birth_year + 1


def birth_years_from_korean_age(age: int, on: date) -> int:
    """The birth year a Korean age gives, exactly: on.year - age + 1."""
    if age < 1:
        raise ValueError(f"Korean age {age}: it starts at 1")
    return on.year - age + 1


def age_on(birth: date, on: date) -> int:
    """만 나이: whole years since birth. Someone born on 29 February turns a year older on
    1 March in common years (민법 제160조 제3항)."""
    if on < birth:
        raise ValueError(f"{on.isoformat()} is before the birth on {birth.isoformat()}")
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _solar_span(partial: PartialDate) -> tuple[date, date]:
    year, month, day = partial.year, partial.month, partial.day
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if day is None:
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return date(year, month, 1), following - timedelta(days=1)
    only = _solar_reading(year, month, day)
    return only, only


def _lunar_span(partial: PartialDate) -> tuple[date, date]:
    year, month, day = partial.year, partial.month, partial.day
    if month is not None and day is not None:
        readings = _lunar_readings(year, month, day)
        return min(readings), max(readings)
    months = _lunar_year(year)
    if months is None:
        raise OutOfRangeError(f"lunar year {year}: its months are not all in the table")
    chosen = [m for m in months if month is None or m.month == month]
    return chosen[0].first, chosen[-1].first + timedelta(days=chosen[-1].days - 1)


def solar_span(partial: PartialDate, calendar: Calendar) -> tuple[date, date]:
    """The first and the last solar day a recorded date may mean: a year alone is its whole
    year (a lunar year runs from about February to the next February), a month its whole
    month, a day its one day (two for a lunar day that a leap month repeats). With the
    calendar unknown, both readings are spanned. A lunar date the table does not cover is read
    as solar; a day that exists in no calendar is a ValueError."""
    calendar = Calendar(calendar)
    spans: list[tuple[date, date]] = []
    errors: list[str] = []
    if calendar is not Calendar.LUNAR:
        try:
            spans.append(_solar_span(partial))
        except ValueError as error:
            errors.append(str(error))
    if calendar is not Calendar.SOLAR:
        try:
            spans.append(_lunar_span(partial))
        except OutOfRangeError:
            if not spans:
                spans.append(_solar_span(partial))
        except ValueError as error:
            errors.append(str(error))
    if not spans:
        raise ValueError(f"{partial} is not a date: " + "; ".join(errors))
    return min(s[0] for s in spans), max(s[1] for s in spans)


def age_range(partial: PartialDate, calendar: Calendar, on: date) -> tuple[int, int]:
    """만 나이 on a day of someone born on a recorded date: (youngest, oldest) the record
    allows. Equal when the record is precise enough (a full solar date; a lunar one converted
    first); a year alone usually leaves two ages, one before and one after the birthday.
    ValueError if the day is before the earliest birth the record allows."""
    first, last = solar_span(partial, calendar)
    if on < first:
        raise ValueError(f"{on.isoformat()} is before the birth ({partial})")
    oldest = age_on(first, on)
    youngest = age_on(last, on) if on >= last else 0
    return youngest, oldest


def birth_year_range_from_age(age: int, on: date) -> tuple[int, int]:
    """The earliest and latest birth years for a 만 age on a day: (on.year - age - 1,
    on.year - age), as the birthday may be yet to come that year. On 31 December every
    birthday has passed, so both ends are on.year - age."""
    if age < 0:
        raise ValueError(f"age {age} is negative")
    latest = on.year - age
    earliest = latest if (on.month, on.day) == (12, 31) else latest - 1
    return earliest, latest


# ---- Juche years ------------------------------------------------------------------------------


def juche_to_gregorian(juche_year: int) -> int:
    """Juche 1 = 1912, so Juche 39 = 1950 and Juche 107 = 2018."""
    if juche_year < 1:
        raise ValueError(f"Juche {juche_year}: the era starts at Juche 1 ({JUCHE_EPOCH})")
    return juche_year + JUCHE_EPOCH - 1


def gregorian_to_juche(year: int) -> int:
    if year < JUCHE_EPOCH:
        raise ValueError(f"{year} is before Juche 1 ({JUCHE_EPOCH})")
    return year - JUCHE_EPOCH + 1


_GREGORIAN_YEAR = re.compile(r"(?P<year>[0-9]{4})\s*년?")
_JUCHE_YEAR = re.compile(
    r"(?:주체|juche)\s*(?P<juche>[0-9]{1,4})\s*(?:\(\s*(?P<year>[0-9]{4})\s*\)\s*)?년?",
    re.IGNORECASE,
)


def parse_year(text: str) -> int:
    """The Gregorian year of "1950", "1950년", "주체39", "주체 39년", "Juche 39" or the North's
    "주체39(1950)년" (the two must agree)."""
    normal = _normal(text)
    if match := _GREGORIAN_YEAR.fullmatch(normal):
        year = int(match["year"])
        if year < 1:
            raise ValueError(f"not a year: {text!r}")
        return year
    if match := _JUCHE_YEAR.fullmatch(normal):
        year = juche_to_gregorian(int(match["juche"]))
        if match["year"] is not None and int(match["year"]) != year:
            raise ValueError(f"{text!r}: Juche {match['juche']} is {year}, not {match['year']}")
        return year
    raise ValueError(f"not a year: {text!r} (expected 1950, 1950년, 주체39 or Juche 39)")
