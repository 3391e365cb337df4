"""Calendars: every lunar ↔ solar value below was computed with korean-lunar-calendar 0.4.0
(the KARI table) and, for Seollal, matches the published public-holiday dates."""

from datetime import date

import pytest
from korean_lunar_calendar import KoreanLunarCalendar

from panmun.korean.calendars import (
    LUNAR_FIRST,
    LUNAR_LAST,
    SOLAR_FIRST,
    SOLAR_LAST,
    Calendar,
    LunarDate,
    OutOfRangeError,
    PartialDate,
    age_on,
    birth_year_range_from_age,
    birth_years_from_korean_age,
    gregorian_to_juche,
    juche_to_gregorian,
    korean_age,
    leap_month_of,
    lunar_to_solar,
    parse_calendar,
    parse_partial_date,
    parse_year,
    solar_candidates,
    solar_to_lunar,
)

# ---- Calendar ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("solar", Calendar.SOLAR),
        ("Solar ", Calendar.SOLAR),
        ("양력", Calendar.SOLAR),
        ("양", Calendar.SOLAR),
        ("lunar", Calendar.LUNAR),
        ("LUNAR", Calendar.LUNAR),
        ("음력", Calendar.LUNAR),
        ("음", Calendar.LUNAR),
        ("(음)", Calendar.LUNAR),
        ("", Calendar.UNKNOWN),
        ("  ", Calendar.UNKNOWN),
        (None, Calendar.UNKNOWN),
        ("unknown", Calendar.UNKNOWN),
        (Calendar.LUNAR, Calendar.LUNAR),
    ],
)
def test_parse_calendar(text, expected):
    assert parse_calendar(text) is expected


@pytest.mark.parametrize("text", ["julian", "양음", "moon", "0"])
def test_parse_calendar_refuses_anything_else(text):
    with pytest.raises(ValueError, match="unknown calendar"):
        parse_calendar(text)


def test_calendar_is_a_str_enum():
    assert Calendar.LUNAR == "lunar"
    assert Calendar("solar") is Calendar.SOLAR


# ---- lunar ↔ solar ----------------------------------------------------------------------------


def test_range_matches_the_package():
    def split(value):
        return (value // 10000, value // 100 % 100, value % 100)

    assert split(KoreanLunarCalendar.KOREAN_LUNAR_MIN_VALUE) == LUNAR_FIRST
    assert split(KoreanLunarCalendar.KOREAN_LUNAR_MAX_VALUE) == LUNAR_LAST
    assert date(*split(KoreanLunarCalendar.KOREAN_SOLAR_MIN_VALUE)) == SOLAR_FIRST
    assert date(*split(KoreanLunarCalendar.KOREAN_SOLAR_MAX_VALUE)) == SOLAR_LAST
    assert lunar_to_solar(*LUNAR_FIRST) == SOLAR_FIRST
    assert lunar_to_solar(*LUNAR_LAST) == SOLAR_LAST


def test_lunar_new_year_1950():
    assert lunar_to_solar(1950, 1, 1) == date(1950, 2, 17)
    assert solar_to_lunar(date(1950, 2, 17)) == LunarDate(1950, 1, 1)


@pytest.mark.parametrize(
    ("year", "seollal"),
    [
        (2018, date(2018, 2, 16)),
        (2020, date(2020, 1, 25)),
        (2023, date(2023, 1, 22)),
        (2024, date(2024, 2, 10)),
        (2025, date(2025, 1, 29)),
        (2026, date(2026, 2, 17)),
        (2027, date(2027, 2, 7)),
    ],
)
def test_seollal(year, seollal):
    assert lunar_to_solar(year, 1, 1) == seollal
    assert solar_to_lunar(seollal) == LunarDate(year, 1, 1)


def test_a_few_more_conversions():
    assert lunar_to_solar(1950, 3, 5) == date(1950, 4, 21)
    assert lunar_to_solar(1950, 8, 15) == date(1950, 9, 26)  # Chuseok 1950
    assert solar_to_lunar(date(1950, 3, 5)) == LunarDate(1950, 1, 17)
    assert solar_to_lunar(date(2026, 11, 23)) == LunarDate(2026, 10, 15)


def test_leap_months():
    assert leap_month_of(2020) == 4
    assert leap_month_of(2023) == 2
    assert leap_month_of(2025) == 6
    assert leap_month_of(1950) is None
    # 2020: the 4th month, then the leap 4th month (윤4월).
    assert lunar_to_solar(2020, 4, 1) == date(2020, 4, 23)
    assert lunar_to_solar(2020, 4, 1, leap_month=True) == date(2020, 5, 23)
    assert solar_to_lunar(date(2020, 5, 23)) == LunarDate(2020, 4, 1, leap_month=True)
    assert solar_to_lunar(date(2020, 4, 23)) == LunarDate(2020, 4, 1, leap_month=False)
    # 2023: the leap 2nd month.
    assert lunar_to_solar(2023, 2, 1) == date(2023, 2, 20)
    assert lunar_to_solar(2023, 2, 1, leap_month=True) == date(2023, 3, 22)
    assert solar_to_lunar(date(2023, 3, 22)) == LunarDate(2023, 2, 1, leap_month=True)


def test_a_leap_month_the_year_does_not_have():
    with pytest.raises(ValueError, match=r"no leap 5th month.*leap month is the 4th"):
        lunar_to_solar(2020, 5, 1, leap_month=True)
    with pytest.raises(ValueError, match="it has no leap month"):
        lunar_to_solar(1950, 1, 1, leap_month=True)


def test_the_30th_of_a_29_day_month():
    # 1950: the 2nd lunar month has 29 days; 2020: the leap 4th month has 29 days.
    with pytest.raises(ValueError, match="has 29 days"):
        lunar_to_solar(1950, 2, 30)
    with pytest.raises(ValueError, match="has 29 days"):
        lunar_to_solar(2020, 4, 30, leap_month=True)
    assert lunar_to_solar(2020, 4, 30) == date(2020, 5, 22)


def test_the_packages_stale_date_trap_is_real():
    calendar = KoreanLunarCalendar()
    assert calendar.setLunarDate(1950, 1, 1, False)
    assert not calendar.setLunarDate(1950, 2, 30, False)
    assert calendar.SolarIsoFormat() == "1950-02-17"  # the previous date, left in place


def test_an_invalid_date_after_a_valid_one_raises_and_never_returns_the_old_date():
    assert lunar_to_solar(1950, 1, 1) == date(1950, 2, 17)
    with pytest.raises(ValueError):
        lunar_to_solar(1950, 2, 30)
    assert lunar_to_solar(2020, 4, 1, leap_month=True) == date(2020, 5, 23)
    with pytest.raises(ValueError):
        lunar_to_solar(2020, 4, 30, leap_month=True)
    assert solar_to_lunar(date(2020, 5, 23)) == LunarDate(2020, 4, 1, True)
    with pytest.raises(ValueError):
        solar_to_lunar(date(1582, 10, 10))


@pytest.mark.parametrize(
    ("month", "day", "message"),
    [(13, 1, "month 13 is not 1–12"), (0, 1, "month 0"), (1, 31, "day 31"), (1, 0, "day 0")],
)
def test_lunar_bounds(month, day, message):
    with pytest.raises(ValueError, match=message):
        lunar_to_solar(1950, month, day)


def test_outside_the_table():
    for args in [(999, 12, 1), (2051, 1, 1), (2050, 11, 19), (2050, 12, 1)]:
        with pytest.raises(OutOfRangeError, match="outside the table"):
            lunar_to_solar(*args)
    with pytest.raises(OutOfRangeError):
        solar_to_lunar(date(2051, 1, 1))
    with pytest.raises(OutOfRangeError):
        solar_to_lunar(date(999, 1, 1))
    with pytest.raises(OutOfRangeError):
        leap_month_of(2051)
    assert issubclass(OutOfRangeError, ValueError)


def test_round_trip_over_a_century():
    day = date(1920, 1, 1)
    while day < date(2021, 1, 1):
        assert solar_to_lunar(day).to_solar() == day
        day = date.fromordinal(day.toordinal() + 101)


def test_the_year_tables_agree_with_the_package_date_by_date():
    """Conversions come from per-year tables built from the package's month starts; each
    must equal what a fresh package object says, at the table's edges and at random."""
    import random

    from panmun.korean.calendars import LunarDate, lunar_to_solar

    rng = random.Random(1988)
    days = [date(1001, 2, 20), date(1900, 1, 31), date(2049, 12, 31), date(2050, 12, 31)]
    days += [
        date.fromordinal(
            rng.randrange(date(1001, 1, 1).toordinal(), date(2050, 12, 31).toordinal())
        )
        for _ in range(150)
    ]
    for day in days:
        if date(1582, 10, 4) <= day <= date(1582, 10, 15):
            continue
        package = KoreanLunarCalendar()
        assert package.setSolarDate(day.year, day.month, day.day)
        expected = LunarDate(
            package.lunarYear, package.lunarMonth, package.lunarDay, bool(package.isIntercalation)
        )
        assert solar_to_lunar(day) == expected, day
    for _ in range(150):
        year, month, day, leap = (
            rng.randrange(1001, 2050),
            rng.randrange(1, 13),
            rng.randrange(1, 31),
            rng.random() < 0.2,
        )
        package = KoreanLunarCalendar()
        if package.setLunarDate(year, month, day, leap):
            expected_solar = date(package.solarYear, package.solarMonth, package.solarDay)
            assert lunar_to_solar(year, month, day, leap) == expected_solar, (
                year,
                month,
                day,
                leap,
            )
        else:
            with pytest.raises(ValueError):
                lunar_to_solar(year, month, day, leap)


def test_lunar_date_str():
    assert str(LunarDate(2020, 4, 1, True)) == "2020-04-01 (leap)"
    assert str(LunarDate(1950, 1, 1)) == "1950-01-01"


def test_bools_are_not_ints():
    with pytest.raises(TypeError):
        lunar_to_solar(1950, True, 1)


# ---- solar_candidates -------------------------------------------------------------------------


def test_solar_candidates_solar():
    assert solar_candidates(1950, 3, 5, Calendar.SOLAR) == [date(1950, 3, 5)]
    with pytest.raises(ValueError, match="solar 1950-02-29 does not exist"):
        solar_candidates(1950, 2, 29, Calendar.SOLAR)


def test_solar_candidates_lunar():
    assert solar_candidates(1950, 3, 5, Calendar.LUNAR) == [date(1950, 4, 21)]
    # A year with that leap month: both months, records seldom say 윤달.
    assert solar_candidates(2020, 4, 1, Calendar.LUNAR) == [date(2020, 4, 23), date(2020, 5, 23)]
    # The 30th: the ordinary 4th month has it, the leap 4th month does not (2020) ...
    assert solar_candidates(2020, 4, 30, Calendar.LUNAR) == [date(2020, 5, 22)]
    # ... and the other way round in 1952 (ordinary 5th month 29 days, leap 5th 30).
    assert solar_candidates(1952, 5, 30, Calendar.LUNAR) == [lunar_to_solar(1952, 5, 30, True)]
    with pytest.raises(ValueError, match="has 29 days"):
        solar_candidates(1950, 2, 30, Calendar.LUNAR)


def test_solar_candidates_unknown_gives_both_readings():
    assert solar_candidates(1950, 3, 5, Calendar.UNKNOWN) == [date(1950, 3, 5), date(1950, 4, 21)]
    assert solar_candidates(2020, 4, 1, Calendar.UNKNOWN) == [
        date(2020, 4, 1),
        date(2020, 4, 23),
        date(2020, 5, 23),
    ]
    assert solar_candidates(1950, 3, 5, "unknown") == solar_candidates(1950, 3, 5, Calendar.UNKNOWN)


def test_solar_candidates_unknown_keeps_only_valid_readings():
    # 2/29/1950: no such solar day, but the lunar 2nd month has a 29th.
    assert solar_candidates(1950, 2, 29, Calendar.UNKNOWN) == [lunar_to_solar(1950, 2, 29)]
    # 5/30/1950: a solar day, but the lunar 5th month has 29 days.
    assert solar_candidates(1950, 5, 30, Calendar.UNKNOWN) == [date(1950, 5, 30)]
    # 1/31: never lunar.
    assert solar_candidates(1950, 1, 31, Calendar.UNKNOWN) == [date(1950, 1, 31)]
    # 2/30/1950: neither.
    with pytest.raises(ValueError, match="neither a solar nor a lunar date"):
        solar_candidates(1950, 2, 30, Calendar.UNKNOWN)


def test_solar_candidates_deduplicates():
    # A solar date that is also the lunar reading of the same numbers cannot happen within the
    # table, so check de-duplication through the set by the sorted, unique result instead.
    found = solar_candidates(1933, 5, 30, Calendar.UNKNOWN)  # leap 5th month of 1933 has a 30th
    assert found == sorted(set(found))
    assert len(found) == 3


def test_solar_candidates_unknown_outside_the_table_is_an_error():
    with pytest.raises(OutOfRangeError, match="no lunar reading"):
        solar_candidates(2060, 3, 5, Calendar.UNKNOWN)
    assert solar_candidates(2060, 3, 5, Calendar.SOLAR) == [date(2060, 3, 5)]


# ---- partial dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1950", PartialDate(1950)),
        ("1950-03", PartialDate(1950, 3)),
        ("1950-3", PartialDate(1950, 3)),
        ("1950-03-05", PartialDate(1950, 3, 5)),
        ("1950.3.5", PartialDate(1950, 3, 5)),
        ("1950. 3. 5.", PartialDate(1950, 3, 5)),
        ("1950/03/05", PartialDate(1950, 3, 5)),
        (" １９５０-０３ ", PartialDate(1950, 3)),
        ("1950년", PartialDate(1950)),
        ("1950년 3월", PartialDate(1950, 3)),
        ("1950년 3월 5일", PartialDate(1950, 3, 5)),
        ("1950-02-30", PartialDate(1950, 2, 30)),  # no calendar: only the shared bounds
    ],
)
def test_parse_partial_date(text, expected):
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1950-13", "month 13 is not 1–12"),
        ("1950-00", "month 0 is not 1–12"),
        ("1950-01-32", "day 32 is not 1–31"),
        ("abc", "expected YYYY"),
        ("", "expected YYYY"),
        ("50-03-05", "expected YYYY"),
        ("1950-03/05", "expected YYYY"),
        ("0000", "year 0"),
    ],
)
def test_parse_partial_date_refuses(text, message):
    with pytest.raises(ValueError, match=message):
        parse_partial_date(text)


def test_parse_partial_date_with_a_calendar():
    with pytest.raises(ValueError, match="solar 1950-02-30 does not exist"):
        parse_partial_date("1950-02-30", Calendar.SOLAR)
    with pytest.raises(ValueError, match="has 29 days"):
        parse_partial_date("1950-02-30", Calendar.LUNAR)
    with pytest.raises(ValueError, match="neither a solar nor a lunar date"):
        parse_partial_date("1950-02-30", Calendar.UNKNOWN)
    with pytest.raises(ValueError, match="solar 1950-02-29 does not exist"):
        parse_partial_date("1950-02-29", Calendar.SOLAR)
    assert parse_partial_date("1950-02-29", Calendar.LUNAR) == PartialDate(1950, 2, 29)
    assert parse_partial_date("1950-02-29", Calendar.UNKNOWN) == PartialDate(1950, 2, 29)
    assert parse_partial_date("1950-02", Calendar.SOLAR) == PartialDate(1950, 2)


def test_partial_date():
    assert str(PartialDate(1950)) == "1950"
    assert str(PartialDate(1950, 3)) == "1950-03"
    assert str(PartialDate(1950, 3, 5)) == "1950-03-05"
    assert PartialDate(1950, 3, 5).is_complete
    assert not PartialDate(1950, 3).is_complete
    with pytest.raises(ValueError, match="a day without a month"):
        PartialDate(1950, None, 5)


# ---- ages -------------------------------------------------------------------------------------


def test_korean_age():
    assert korean_age(1950, date(2026, 11, 23)) == 77
    assert korean_age(2026, date(2026, 12, 31)) == 1  # born that day
    assert korean_age(2026, date(2027, 1, 1)) == 2  # one day later
    with pytest.raises(ValueError):
        korean_age(2027, date(2026, 12, 31))


def test_birth_year_from_korean_age():
    assert birth_years_from_korean_age(77, date(2026, 11, 23)) == 1950
    assert birth_years_from_korean_age(1, date(2026, 12, 31)) == 2026
    assert birth_years_from_korean_age(2, date(2027, 1, 1)) == 2026
    for age in range(1, 100):
        on = date(2026, 6, 1)
        assert korean_age(birth_years_from_korean_age(age, on), on) == age
    with pytest.raises(ValueError):
        birth_years_from_korean_age(0, date(2026, 1, 1))


def test_age_on():
    birth = date(1950, 3, 5)
    assert age_on(birth, date(2026, 3, 4)) == 75
    assert age_on(birth, date(2026, 3, 5)) == 76
    assert age_on(date(2026, 12, 31), date(2026, 12, 31)) == 0
    assert age_on(date(2026, 12, 31), date(2027, 1, 1)) == 0  # Korean age 2, 만 0
    # Born on 29 February: a year older on 1 March in common years.
    assert age_on(date(2000, 2, 29), date(2001, 2, 28)) == 0
    assert age_on(date(2000, 2, 29), date(2001, 3, 1)) == 1
    assert age_on(date(2000, 2, 29), date(2004, 2, 29)) == 4
    with pytest.raises(ValueError):
        age_on(birth, date(1950, 3, 4))


def test_birth_year_range_from_age():
    assert birth_year_range_from_age(76, date(2026, 11, 23)) == (1949, 1950)
    assert birth_year_range_from_age(0, date(2026, 1, 1)) == (2025, 2026)
    assert birth_year_range_from_age(76, date(2026, 12, 31)) == (1950, 1950)
    on = date(2026, 11, 23)
    low, high = birth_year_range_from_age(76, on)
    for birth in (date(1949, 11, 24), date(1950, 11, 23)):
        assert low <= birth.year <= high
        assert age_on(birth, on) == 76
    with pytest.raises(ValueError):
        birth_year_range_from_age(-1, on)


# ---- Juche years ------------------------------------------------------------------------------


def test_juche_years():
    assert juche_to_gregorian(1) == 1912
    assert juche_to_gregorian(39) == 1950
    assert juche_to_gregorian(107) == 2018  # the joint liaison office opened in Juche 107
    assert gregorian_to_juche(1950) == 39
    assert gregorian_to_juche(2018) == 107
    assert gregorian_to_juche(1912) == 1
    with pytest.raises(ValueError):
        gregorian_to_juche(1911)
    with pytest.raises(ValueError):
        juche_to_gregorian(0)


@pytest.mark.parametrize(
    "text",
    [
        "1950",
        "1950년",
        "1950 년",
        "주체39",
        "주체 39",
        "주체 39년",
        "주체39(1950)년",
        "주체 39 (1950)",
        "Juche 39",
        "juche39",
        "１９５０",
    ],
)
def test_parse_year(text):
    assert parse_year(text) == 1950


def test_parse_year_juche_107():
    assert parse_year("주체107(2018)년") == 2018


@pytest.mark.parametrize("text", ["", "abc", "50", "19500", "주체", "주체 0", "서기 1950"])
def test_parse_year_refuses(text):
    with pytest.raises(ValueError):
        parse_year(text)


def test_parse_year_refuses_a_juche_year_that_disagrees():
    with pytest.raises(ValueError, match="Juche 39 is 1950, not 1951"):
        parse_year("주체39(1951)년")
