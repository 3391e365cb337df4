"""The registry file's values: each cell's text checked and made the value it records (a sex, a
calendar, a relation, a status, yes or no, a registry number, a partial or full date), or
refused with why (`Bad`, in Korean and English).

A date is "YYYY", "YYYY-MM" or "YYYY-MM-DD" (also with "." or "/", or YYYYMMDD), from
`EARLIEST_YEAR` to today in Korea, and a full one must exist in its calendar (solar, lunar, or
either when the calendar is not known).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from functools import lru_cache

from panmun.korean.calendars import Calendar, solar_candidates

from .columns import EARLIEST_YEAR

Value = str | bool | date

_SEX = {
    "m": "M",
    "f": "F",
    "x": "X",
    "남": "M",
    "여": "F",
    "male": "M",
    "female": "F",
    "남자": "M",
    "여자": "F",
    "남성": "M",
    "여성": "F",
}
CALENDAR = {"solar": "solar", "lunar": "lunar", "양력": "solar", "음력": "lunar"}
_YES_NO = {
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "y": True,
    "n": False,
    "1": True,
    "0": False,
    "예": True,
    "아니오": False,
    "아니요": False,
}
_APPLICANT_STATUS = {"alive": "alive", "deceased": "deceased", "생존": "alive", "사망": "deceased"}
_RELATIVE_STATUS = {"unknown": "unknown", "미상": "unknown", **_APPLICANT_STATUS}
_RELATION = {
    "spouse": "spouse",
    "parent": "parent",
    "child": "child",
    "sibling": "sibling",
    "other": "other",
    "배우자": "spouse",
    "부모": "parent",
    "자녀": "child",
    "형제자매": "sibling",
    "기타": "other",
}

_REGISTRY_NO = re.compile(r"[A-Za-z0-9-]+")
_DATE = re.compile(r"([0-9]{4})(?:([-./])([0-9]{1,2})(?:\2([0-9]{1,2}))?)?\.?")
_COMPACT_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
NOTES_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # tab and newline are kept


class Bad(Exception):
    """Why one value is refused, in both languages."""

    def __init__(self, ko: str, en: str) -> None:
        super().__init__(en)
        self.ko = ko
        self.en = en


def show(text: str) -> str:
    """A value as quoted in a message, cut short."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _code(table: dict[str, str], text: str, ko_words: str, en_words: str) -> str:
    try:
        return table[text.casefold()]
    except KeyError:
        raise Bad(
            f"{show(text)}은(는) 쓸 수 없는 값입니다 ({ko_words} 중 하나)",
            f"{show(text)} is not one of {en_words}",
        ) from None


def _sex(text: str) -> str:
    return _code(_SEX, text, "M, F, X, 남, 여", "M, F, X, 남, 여")


def _calendar(text: str) -> str:
    return _code(CALENDAR, text, "solar, lunar, 양력, 음력", "solar, lunar, 양력, 음력")


def _relation(text: str) -> str:
    return _code(
        _RELATION,
        text,
        "spouse, parent, child, sibling, other, 배우자, 부모, 자녀, 형제자매, 기타",
        "spouse, parent, child, sibling, other, 배우자, 부모, 자녀, 형제자매, 기타",
    )


def _applicant_status(text: str) -> str:
    return _code(
        _APPLICANT_STATUS, text, "alive, deceased, 생존, 사망", "alive, deceased, 생존, 사망"
    )


def _relative_status(text: str) -> str:
    return _code(
        _RELATIVE_STATUS,
        text,
        "unknown, alive, deceased, 미상, 생존, 사망",
        "unknown, alive, deceased, 미상, 생존, 사망",
    )


def _yes_no(text: str) -> bool:
    value = _YES_NO.get(text.casefold())
    if value is None:
        raise Bad(
            f"{show(text)}은(는) 예/아니오 값이 아닙니다 (yes, no, 예, 아니오, 1, 0 등)",
            f"{show(text)} is not yes or no (yes/no, true/false, y/n, 1/0, 예/아니오)",
        )
    return value


def check_registry_no(text: str) -> str:
    if not _REGISTRY_NO.fullmatch(text):
        raise Bad(
            f"등록번호 {show(text)}에는 영문자, 숫자, '-'만 쓸 수 있습니다",
            f"registry number {show(text)} may hold only letters A–Z, digits and '-'",
        )
    return text


def _not_a_date(text: str, full: bool) -> Bad:
    if full:
        return Bad(
            f"{show(text)}은(는) 날짜가 아닙니다 (YYYY-MM-DD, YYYY.MM.DD 또는 YYYYMMDD)",
            f"{show(text)} is not a date (YYYY-MM-DD, YYYY.MM.DD or YYYYMMDD)",
        )
    return Bad(
        f"{show(text)}은(는) 날짜가 아닙니다 (YYYY, YYYY-MM, YYYY-MM-DD, YYYY.MM.DD 또는 YYYYMMDD)",
        f"{show(text)} is not a date (YYYY, YYYY-MM, YYYY-MM-DD, YYYY.MM.DD or YYYYMMDD)",
    )


def _date_parts(text: str, full: bool) -> tuple[int, int | None, int | None]:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)  # full-width digits
    match = _DATE.fullmatch(text)
    if match is not None:
        parts = match.group(1, 3, 4)
    else:
        match = _COMPACT_DATE.fullmatch(text)
        if match is None:
            raise _not_a_date(text, full)
        parts = match.group(1, 2, 3)
    year = int(parts[0])
    month = None if parts[1] is None else int(parts[1])
    day = None if parts[2] is None else int(parts[2])
    if full and day is None:
        raise _not_a_date(text, full)
    return year, month, day


def _future(text: str) -> Bad:
    return Bad(f"{show(text)}은(는) 미래의 날짜입니다", f"{show(text)} is in the future")


def _check_year(text: str, year: int, today: date) -> None:
    if year < EARLIEST_YEAR:
        raise Bad(
            f"{show(text)}: {EARLIEST_YEAR}년 이전의 연도입니다",
            f"{show(text)}: the year is before {EARLIEST_YEAR}",
        )
    if year > today.year:
        raise _future(text)


@lru_cache(maxsize=1 << 16)
def partial_date(text: str, calendar: str, today: date) -> str:
    """A recorded date as "YYYY", "YYYY-MM" or "YYYY-MM-DD"; `calendar` says which calendar a
    full date must exist in: "solar" (also for ""), "lunar", or "unknown" (either will do)."""
    year, month, day = _date_parts(text, full=False)
    _check_year(text, year, today)
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise Bad(
            f"{show(text)}: {month}월은 없습니다",
            f"{show(text)}: there is no month {month}",
        )
    if day is None:
        if (year, month) > (today.year, today.month):
            raise _future(text)
        return f"{year:04d}-{month:02d}"
    kind = {"lunar": Calendar.LUNAR, "unknown": Calendar.UNKNOWN}.get(calendar, Calendar.SOLAR)
    try:
        candidates = solar_candidates(year, month, day, kind)
    except ValueError:
        ko_calendar = {"lunar": "음력에 ", "unknown": "양력에도 음력에도 "}.get(calendar, "")
        en_calendar = {"lunar": "lunar ", "unknown": "solar or lunar "}.get(calendar, "")
        raise Bad(
            f"{show(text)}은(는) {ko_calendar}없는 날짜입니다",
            f"{show(text)} is not a real {en_calendar}date",
        ) from None
    if candidates[0] > today:
        raise _future(text)
    return f"{year:04d}-{month:02d}-{day:02d}"


@lru_cache(maxsize=1 << 12)
def _full_date(text: str, today: date) -> date:
    year, month, day = _date_parts(text, full=True)
    assert month is not None and day is not None
    _check_year(text, year, today)
    try:
        value = date(year, month, day)
    except ValueError:
        raise Bad(
            f"{show(text)}은(는) 없는 날짜입니다", f"{show(text)} is not a real date"
        ) from None
    if value > today:
        raise _future(text)
    return value


def as_text(text: str, today: date | None = None) -> str:
    return text


APPLICANT_PARSERS: dict[str, Callable[[str, date], Value]] = {
    "applicant_family_name": as_text,
    "applicant_given_name": as_text,
    "applicant_name_latin": as_text,
    "applicant_sex": lambda text, today: _sex(text),
    "applicant_birth_calendar": lambda text, today: _calendar(text),
    "address": as_text,
    "phone": as_text,
    "email": as_text,
    "abroad": lambda text, today: _yes_no(text),
    "country": as_text,
    "applicant_status": lambda text, today: _applicant_status(text),
    "applicant_death_date": lambda text, today: partial_date(text, "", today),
    "registered_on": _full_date,
    "consent_share": lambda text, today: _yes_no(text),
    "consent_on": _full_date,
    "applicant_notes": as_text,
}
RELATIVE_PARSERS: dict[str, Callable[[str], str]] = {
    "relation": _relation,
    "relative_sex": _sex,
    "relative_birth_calendar": _calendar,
    "relative_status": _relative_status,
}
