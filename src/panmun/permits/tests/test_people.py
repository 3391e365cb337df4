"""The checks of one person, one item of goods and one vehicle as an approval names them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from ..people import (
    PersonData,
    check_goods,
    check_goods_line,
    check_person,
    check_vehicle,
    parse_date,
)

TODAY = date(2026, 12, 6)
GOOD = {
    "name_ko": "김철수",
    "name_latin": "Kim Cheol-su",
    "sex": "M",
    "birth_date": "1950-03-01",
    "document_kind": "passport",
    "document_number": "M12345678",
    "nationality": "KR",
    "phone": "010-1234-5678",
    "email": "kim@example.org",
}


def _fields(values: dict[str, object]) -> list[str]:
    person, problems = check_person(values, today=TODAY)
    assert (person is None) == bool(problems)
    return [field for field, _ko, _en in problems]


def test_a_good_person_is_normalised():
    person, problems = check_person(
        {**GOOD, "name_ko": " 김  철수 ", "document_number": "m1234 5678"}, today=TODAY
    )
    assert problems == []
    assert person == PersonData(
        name_ko="김 철수",
        name_latin="Kim Cheol-su",
        sex="M",
        birth_date=date(1950, 3, 1),
        document_kind="passport",
        document_number="M12345678",
        nationality="KR",
        phone="01012345678",
        email="kim@example.org",
    )


def test_every_message_names_its_field_in_both_languages():
    _person, problems = check_person({}, today=TODAY)
    assert [f for f, _, _ in problems] == [
        "name_ko",
        "sex",
        "birth_date",
        "document_kind",
        "document_number",
    ]
    assert problems[0] == ("name_ko", "이름: 적어 주십시오.", "Name: required.")
    assert problems[2][1].startswith("생년월일: ") and problems[2][2].startswith("Birth date: ")


@pytest.mark.parametrize(
    "name",
    ["김철수", "Kim Chul", "남궁 민수", "제임스·김", "Anne-Marie 김"],
)
def test_names_in_hangul_or_latin(name):
    assert _fields({**GOOD, "name_ko": name}) == []


@pytest.mark.parametrize(
    "name", ["김철수1", "김\x07철수", "김\t철수", "金哲洙", "김<b>", "가" * 101]
)
def test_names_refused(name):
    assert _fields({**GOOD, "name_ko": name}) == ["name_ko"]


@pytest.mark.parametrize("name", ["O'Brien", "Kim Cheol-su", "José Núñez"])
def test_latin_names(name):
    assert _fields({**GOOD, "name_latin": name}) == []


@pytest.mark.parametrize("name", ["김철수", "Kim2", "Kim_Chul"])
def test_latin_names_refused(name):
    assert _fields({**GOOD, "name_latin": name}) == ["name_latin"]


@pytest.mark.parametrize(
    ("written", "sex"),
    [("M", "M"), ("f", "F"), ("남", "M"), ("여", "F"), ("Male", "M"), ("female", "F")],
)
def test_sex_words(written, sex):
    person, _ = check_person(
        {
            **GOOD,
            "sex": written,
            "document_kind": "travel_certificate",
            "document_number": "AB123456",
        },
        today=TODAY,
    )
    assert person is not None and person.sex == sex


def test_sex_refused():
    assert _fields({**GOOD, "sex": "X"}) == ["sex"]


@pytest.mark.parametrize(
    "written",
    ["1950-03-01", "1950.3.1", "1950. 3. 1.", "1950/3/1", "19500301", "1950년 3월 1일",
     "1950-03-01 00:00:00", date(1950, 3, 1), datetime(1950, 3, 1)],
)  # fmt: skip
def test_birth_dates_as_written(written):
    person, problems = check_person({**GOOD, "birth_date": written}, today=TODAY)
    assert problems == []
    assert person is not None and person.birth_date == date(1950, 3, 1)


def test_an_excel_date_cell_read_as_text():
    assert parse_date("1950-03-01") == date(1950, 3, 1)
    assert parse_date("1950-02-30") is None
    assert parse_date("3/1/1950") is None


@pytest.mark.parametrize("written", ["2026-12-07", "1899-12-31", "1950-13-01", "어제"])
def test_birth_dates_refused(written):
    # The document number cannot agree with a date that is refused: only the date is named.
    assert _fields({**GOOD, "birth_date": written}) == ["birth_date"]


def test_birth_date_today_is_taken():
    values = {**GOOD, "birth_date": TODAY.isoformat(), "document_kind": "travel_certificate",
              "document_number": "AB123456"}  # fmt: skip
    assert _fields(values) == []


NUMBERS = {"passport": "M12345678", "resident_id": "5003011234567",
           "travel_certificate": "TC123456", "alien_registration": "5003015234567"}  # fmt: skip


@pytest.mark.parametrize(
    ("written", "kind"),
    [("여권", "passport"), ("주민등록번호", "resident_id"), ("여행증명서", "travel_certificate"),
     ("외국인등록번호", "alien_registration"), ("Passport", "passport")],
)  # fmt: skip
def test_document_kind_words(written, kind):
    number = NUMBERS[kind]
    person, problems = check_person(
        {**GOOD, "document_kind": written, "document_number": number}, today=TODAY
    )
    assert problems == []
    assert person is not None and person.document_kind == kind


def test_document_kind_refused():
    assert _fields({**GOOD, "document_kind": "운전면허"}) == ["document_kind"]


@pytest.mark.parametrize("number", ["M12345678", "S12345678", "M123A4567", "g123z4567"])
def test_korean_passports(number):
    assert _fields({**GOOD, "document_number": number}) == []


@pytest.mark.parametrize("number", ["A12345678", "M1234567", "M123456789", "M12A45678", "12345678"])
def test_korean_passports_in_the_wrong_form(number):
    _person, problems = check_person({**GOOD, "document_number": number}, today=TODAY)
    assert [p[0] for p in problems] == ["document_number"]
    assert "M12345678" in problems[0][2] and "대한민국 여권" in problems[0][1]


def test_a_foreign_passport_has_its_own_form():
    values = {**GOOD, "nationality": "US", "document_number": "A1234567"}
    assert _fields(values) == []
    assert _fields({**values, "document_number": "A12"}) == ["document_number"]
    assert _fields({**values, "document_number": "A" * 21}) == ["document_number"]


def test_resident_id_agrees_with_birth_date_and_sex():
    values = {**GOOD, "document_kind": "resident_id", "document_number": "500301-1234567"}
    person, problems = check_person(values, today=TODAY)
    assert problems == []
    assert person is not None and person.document_number == "5003011234567"
    # A woman born in 2001: 4.
    assert _fields({**values, "sex": "F", "birth_date": "2001-05-09",
                    "document_number": "010509-4123456"}) == []  # fmt: skip
    # Born in the 1800s: 9 (men), 0 (women).
    assert _fields({**values, "birth_date": "1899-03-01"}) == ["birth_date"]  # before 1900


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("500302-1234567", "생년월일"),  # another day
        ("500301-3234567", "생년월일"),  # the 2000s
        ("500301-2234567", "성별"),  # a woman
        ("500301-5234567", "외국인등록번호"),  # a foreigner's
        ("500301-123456", "13자리"),
        ("5003011234567X", "13자리"),
    ],
)
def test_resident_id_disagreeing(number, why):
    values = {**GOOD, "document_kind": "resident_id", "document_number": number}
    _person, problems = check_person(values, today=TODAY)
    assert [p[0] for p in problems] == ["document_number"]
    assert why in problems[0][1]


def test_alien_registration():
    values = {**GOOD, "nationality": "CN", "document_kind": "alien_registration",
              "document_number": "500301-5234567"}  # fmt: skip
    assert _fields(values) == []
    assert _fields({**values, "document_number": "500301-1234567"}) == ["document_number"]
    assert _fields({**values, "document_number": "500301-7234567"}) == ["document_number"]
    assert _fields({**values, "sex": "F"}) == ["document_number"]


def test_travel_certificate():
    values = {**GOOD, "document_kind": "travel_certificate", "document_number": "tc-1234 56"}
    person, problems = check_person(values, today=TODAY)
    assert problems == [] and person is not None and person.document_number == "TC123456"
    assert _fields({**values, "document_number": "T#12345"}) == ["document_number"]


@pytest.mark.parametrize(
    ("written", "code"),
    [("KR", "KR"), ("kor", "KR"), ("대한민국", "KR"), ("Korea", "KR"), ("USA", "US"),
     ("jp", "JP"), ("", "KR")],
)  # fmt: skip
def test_nationality(written, code):
    values = {**GOOD, "nationality": written, "document_kind": "travel_certificate",
              "document_number": "TC123456"}  # fmt: skip
    person, problems = check_person(values, today=TODAY)
    assert problems == [] and person is not None and person.nationality == code


@pytest.mark.parametrize("written", ["XX", "Narnia", "ZZZ"])
def test_nationality_refused(written):
    values = {**GOOD, "nationality": written, "document_kind": "travel_certificate",
              "document_number": "TC123456"}  # fmt: skip
    assert _fields(values) == ["nationality"]


@pytest.mark.parametrize(
    ("written", "stored"),
    [("010-1234-5678", "01012345678"), ("+82 10 1234 5678", "+821012345678"),
     ("02 123 4567", "021234567"), ("", "")],
)  # fmt: skip
def test_phone(written, stored):
    person, problems = check_person({**GOOD, "phone": written}, today=TODAY)
    assert problems == [] and person is not None and person.phone == stored


@pytest.mark.parametrize("written", ["1234", "010-1234-5678 ext 9", "1" * 16, "+"])
def test_phone_refused(written):
    assert _fields({**GOOD, "phone": written}) == ["phone"]


def test_email():
    assert _fields({**GOOD, "email": ""}) == []
    assert _fields({**GOOD, "email": "not-an-address"}) == ["email"]


# -- goods ----------------------------------------------------------------------------------------

LINE = {"hs_code": "1006.30", "description": "쌀 / rice", "quantity": "1000",
        "unit": "kg", "value": "450.5", "currency": "usd"}  # fmt: skip


def test_a_goods_line():
    line, problems = check_goods_line(LINE)
    assert problems == []
    assert line is not None
    assert (line.hs_code, line.quantity, line.value, line.currency) == (
        "100630",
        Decimal("1000.000"),
        Decimal("450.50"),
        "USD",
    )


@pytest.mark.parametrize("code", ["100630", "1006.30", "1006.30.0000", "1006.30.00", "1006 30"])
def test_hs_codes_as_written(code):
    line, problems = check_goods_line({**LINE, "hs_code": code})
    assert problems == [] and line is not None and line.hs_code == "100630"


@pytest.mark.parametrize("code", ["854911", "240411", "852411"])
def test_subheadings_new_in_hs_2022_are_known(code):
    """E-waste (8549), nicotine products (2404) and display modules (8524) came with HS 2022."""
    line, problems = check_goods_line({**LINE, "hs_code": code})
    assert problems == [] and line is not None and line.hs_code == code


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("100699", "HS 2022"),  # no such subheading
        ("999999", "HS 2022"),  # the pseudo-section TOTAL
        ("1006", "6"),  # a heading
        ("10", "6"),  # a chapter
        ("1006.3", "6"),
        ("10063000001", "6"),
        ("rice", "digits"),
    ],
)
def test_hs_codes_refused(code, why):
    _line, problems = check_goods_line({**LINE, "hs_code": code})
    assert [p[0] for p in problems] == ["hs_code"]
    assert why in problems[0][2] or why in problems[0][1]


@pytest.mark.parametrize(
    ("field", "value"),
    [("quantity", "0"), ("quantity", "-1"), ("quantity", "1.0005"), ("quantity", "abc"),
     ("quantity", "NaN"), ("quantity", "1e20"), ("value", "-0.01"), ("value", "1.001"),
     ("value", ""), ("currency", "XYZ"), ("description", ""), ("unit", "")],
)  # fmt: skip
def test_goods_line_refused(field, value):
    _line, problems = check_goods_line({**LINE, field: value})
    assert [p[0] for p in problems] == [field]


def test_goods_line_value_zero_and_thousands():
    line, problems = check_goods_line({**LINE, "value": "0", "quantity": "1,234.5"})
    assert problems == [] and line is not None
    assert (line.value, line.quantity) == (Decimal("0.00"), Decimal("1234.500"))


def test_profile_goods_need_no_amounts():
    goods, problems = check_goods({"hs_code": "3004.90", "description": "의약품",
                                   "unit": "box", "currency": "KRW"})  # fmt: skip
    assert problems == [] and goods is not None and goods.hs_code == "300490"


# -- vehicles -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plate", "stored"),
    [("12가3456", "12가3456"), ("123가 4567", "123가4567"), ("서울12가3456", "서울12가3456"),
     ("경기 70 바 1234", "경기70바1234")],
)  # fmt: skip
def test_plates(plate, stored):
    vehicle, problems = check_vehicle({"plate_number": plate, "vehicle_kind": "truck"})
    assert problems == [] and vehicle is not None and vehicle.plate_number == stored


@pytest.mark.parametrize("plate", ["1가3456", "12A3456", "12가345", "뉴욕12가3456", "12각3456", ""])
def test_plates_refused(plate):
    _vehicle, problems = check_vehicle({"plate_number": plate, "vehicle_kind": "car"})
    assert [p[0] for p in problems] == ["plate_number"]


def test_vehicle_kinds():
    vehicle, _ = check_vehicle({"plate_number": "12가3456", "vehicle_kind": "화물차"})
    assert vehicle is not None and vehicle.vehicle_kind == "truck"
    _, problems = check_vehicle({"plate_number": "12가3456", "vehicle_kind": "tank"})
    assert [p[0] for p in problems] == ["vehicle_kind"]


def test_a_problem_names_its_field_as_written():
    _line, problems = check_goods_line({**LINE, "hs_code": "abc"})
    ((_field, ko, en),) = [p for p in problems if p[0] == "hs_code"]
    assert ko.startswith("HS 부호: ") and en.startswith("HS code: ")  # not "Hs code"
