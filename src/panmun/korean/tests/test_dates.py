"""Korea's date, not the server's: before 09:00 in Seoul a UTC server is still on yesterday."""

from __future__ import annotations

import datetime as dt

import pytest

from panmun.families.registry_file.checker import RegistryFileError, read_registry
from panmun.korean import dates

# 23:30 UTC on 6 December is 08:30 on 7 December in Seoul.
LATE_UTC = dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC)


def test_korea_today_is_seouls_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "_now", lambda: LATE_UTC)
    assert dates.korea_today() == dt.date(2026, 12, 7)
    monkeypatch.setattr(dates, "_now", lambda: LATE_UTC - dt.timedelta(hours=9))
    assert dates.korea_today() == dt.date(2026, 12, 6)


def test_a_registry_file_dated_this_morning_in_seoul_is_not_in_the_future(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An applicant registered at 08:30 in Seoul, with today's date, read by a server whose
    clock (UTC) still says yesterday: accepted, not "in the future"."""
    monkeypatch.setattr(dates, "_now", lambda: LATE_UTC)
    text = (
        "registry_no,applicant_family_name,applicant_given_name,applicant_birth_date,"
        "applicant_status,registered_on\n"
        "R-1,김,순자,1931-04-02,alive,2026-12-07\n"
    )
    try:
        applicants = read_registry(text.encode(), filename="r.csv")
    except RegistryFileError as err:  # pragma: no cover - the failure's words
        pytest.fail("; ".join(p.en for p in err.problems))
    assert len(applicants) == 1
    monkeypatch.setattr(dates, "_now", lambda: LATE_UTC - dt.timedelta(hours=9))
    with pytest.raises(RegistryFileError) as refused:
        read_registry(text.encode(), filename="r.csv")
    assert "in the future" in refused.value.problems[0].en


def test_korean_dates_and_weekdays() -> None:
    monday = dt.date(2026, 11, 23)
    assert dates.korean_date(monday) == "2026년 11월 23일"
    assert dates.korean_month_day(dt.date(2018, 8, 5)) == "8월 5일"
    assert [dates.korean_weekday(monday + dt.timedelta(days=i)) for i in range(7)] == list(
        "월화수목금토일"
    )
    assert dates.korean_day(monday) == "11월 23일 (월)"


def test_korean_period() -> None:
    first = dt.date(2026, 11, 23)
    assert dates.korean_period(first, first) == "2026년 11월 23일 (당일)"
    assert dates.korean_period(first, dt.date(2026, 11, 25)) == (
        "2026년 11월 23일 ~ 11월 25일 (2박 3일)"
    )
    assert dates.korean_period(dt.date(2026, 12, 31), dt.date(2027, 1, 1)) == (
        "2026년 12월 31일 ~ 2027년 1월 1일 (1박 2일)"
    )
    with pytest.raises(ValueError, match="before it starts"):
        dates.korean_period(first, dt.date(2026, 11, 22))


def test_korean_time_is_in_korea() -> None:
    # 23:30 UTC on Sunday 6 December is 08:30 on Monday 7 December in Seoul.
    assert dates.korean_time(LATE_UTC) == "2026년 12월 7일 (월) 08:30"
    with pytest.raises(ValueError, match="naive"):
        dates.korean_time(dt.datetime(2026, 12, 7, 8, 30))
