"""Korea's calendar day, whatever the server's clock says, and dates written the Korean way.

Panmun's records are dated in Korea (KST, UTC+9, no daylight saving). A server that keeps UTC
— most do — is still on yesterday until 09:00 in Seoul, so `date.today()` there would call a
birth date of this morning "in the future" and a letter recorded today "not yet recorded".
Django code has `django.utils.timezone.localdate()` (TIME_ZONE is Asia/Seoul); this module is
for the Django-free cores (the registry file's checks, the documents).

The formats the printed documents use: `korean_date` ("2026년 11월 23일"), `korean_day`
("11월 23일 (월)"), `korean_weekday` ("월"), `korean_period` ("2026년 11월 23일 ~ 11월 25일
(2박 3일)") and `korean_time` ("2026년 11월 20일 (금) 10:15", in Korea time).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

__all__ = [
    "KST",
    "WEEKDAYS",
    "korea_today",
    "korean_date",
    "korean_day",
    "korean_month_day",
    "korean_period",
    "korean_time",
    "korean_weekday",
]

KST = ZoneInfo("Asia/Seoul")

#: The days of the week in one syllable each, Monday first (as `date.weekday()` counts).
WEEKDAYS = "월화수목금토일"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def korea_today() -> dt.date:
    """Today's date in Korea."""
    return _now().astimezone(KST).date()


def korean_date(day: dt.date) -> str:
    """2026-11-23 → "2026년 11월 23일"."""
    return f"{day.year}년 {day.month}월 {day.day}일"


def korean_month_day(day: dt.date) -> str:
    """2026-11-23 → "11월 23일"."""
    return f"{day.month}월 {day.day}일"


def korean_weekday(day: dt.date) -> str:
    """The day of the week in one syllable: 2026-11-23 → "월"."""
    return WEEKDAYS[day.weekday()]


def korean_day(day: dt.date) -> str:
    """The day within its year, with its weekday: 2026-11-23 → "11월 23일 (월)"."""
    return f"{korean_month_day(day)} ({korean_weekday(day)})"


def korean_period(starts_on: dt.date, ends_on: dt.date) -> str:
    """The dates of an event: "2026년 11월 23일 ~ 11월 25일 (2박 3일)"; the year is repeated when
    the event runs into the next one; one day only: "2026년 11월 23일 (당일)"."""
    if ends_on < starts_on:
        raise ValueError(f"the event ends ({ends_on}) before it starts ({starts_on})")
    nights = (ends_on - starts_on).days
    if nights == 0:
        return f"{korean_date(starts_on)} (당일)"
    end = korean_month_day(ends_on) if ends_on.year == starts_on.year else korean_date(ends_on)
    return f"{korean_date(starts_on)} ~ {end} ({nights}박 {nights + 1}일)"


def korean_time(moment: dt.datetime) -> str:
    """An aware time in Korea time: "2026년 11월 20일 (금) 10:15"."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a naive datetime has no Korea time")
    k = moment.astimezone(KST)
    return f"{korean_date(k)} ({korean_weekday(k)}) {k:%H:%M}"
