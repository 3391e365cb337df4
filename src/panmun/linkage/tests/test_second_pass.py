"""The kinds of pairs issue 22 found missed, each with real names: the features that carry
them, the blocking keys that make them candidates, and the comparison level they fall in."""

from __future__ import annotations

import pytest

from panmun.korean.gazetteer import provinces_1945
from panmun.linkage.engine import compared, rules_met
from panmun.linkage.features import features, fold, two_syllables
from panmun.linkage.profiles import KOREAN, SAME_FATHER_SIBLINGS
from panmun.linkage.records import PersonRecord, parse

HEADER = (
    "record_id,family_name,given_name,name_latin,sex,birth_date,birth_calendar,birthplace,"
    "father_name\n"
)


def record(row: str) -> PersonRecord:
    (one,) = parse(HEADER + row + "\n", "x.csv")
    return one


def shared(a: PersonRecord, b: PersonRecord, column: str) -> set[str]:
    return set(features(a)[column] or ()) & set(features(b)[column] or ())


NARROW = set(KOREAN.blocking_rules())


# --- swapped syllables ------------------------------------------------------------------------


@pytest.mark.parametrize(("south", "north"), [("춘숙", "숙춘"), ("광호", "호광"), ("영란", "란영")])
def test_the_syllables_of_a_given_name_in_the_other_order(south: str, north: str):
    a = record(f"S1,김,{south},,F,1938-12-20,lunar,평안남도 평원군,")
    b = record(f"N1,김,{north},,F,1939,,평안남도 평원군,")
    assert shared(a, b, "given_sets") and shared(a, b, "name_keys")
    assert ("name_keys", "birth_year_near") in rules_met(a, b)
    assert compared(a, b)["given"] == "the same syllables, in another order"


# --- Latin names, either order, no standard system ---------------------------------------------


@pytest.mark.parametrize(
    ("latin", "family", "given"),
    [
        ("Sil Ok Yum", "렴", "실옥"),  # surname last, a spelling of no system
        ("Choy Cha Kum", "최", "차금"),  # surname first; Kum is also a surname
        ("Shil-yeo Moon", "문", "실여"),
        ("Chong Chon", "전", "정"),  # surname last, both ends surnames
    ],
)
def test_a_latin_name_in_either_order_and_any_spelling(latin: str, family: str, given: str):
    a = record(f"S1,,,{latin},F,,,,")
    b = record(f"N1,{family},{given},,F,1940-02-03,solar,,")
    assert shared(a, b, "name_folds"), (features(a)["name_folds"], features(b)["name_folds"])
    assert ("name_folds",) in rules_met(a, b)
    assert compared(a, b)["family"] in ("same neutral key", "the other reading", "same consonants")


def test_the_other_reading_of_a_latin_name_is_compared():
    a = record("S1,,,Sil Ok Yum,F,1938,,,")
    b = record("N1,렴,실옥,,F,1938-04-01,solar,,")
    levels = compared(a, b)
    assert (levels["family"], levels["given"]) == ("the other reading", "the other reading")
    assert ("name_keys", "birth_year_near") in rules_met(a, b)


@pytest.mark.parametrize(
    ("latin", "family", "given"),
    [
        ("Hwanyoung MOON", "문", "영환"),  # one word, the syllables in the other order
        ("Lim Heelye", "림", "례희"),  # one word, no consonant between the vowels
    ],
)
def test_a_latin_given_name_in_one_word_is_cut_into_syllables(latin: str, family: str, given: str):
    a = record(f"S1,,,{latin},M,1931-03-23,solar,,")
    b = record(f"N1,{family},{given},,M,1931,,,")
    assert shared(a, b, "given_sets") and shared(a, b, "name_keys")
    assert compared(a, b)["given"] == "the same syllables, in another order"


def test_the_cuts_of_a_given_name_in_one_word():
    assert two_syllables("HWANYONG") == [("HWA", "NYONG"), ("HWAN", "YONG")]
    assert two_syllables("KWANGKI") == [("KWANG", "KI")]  # Gwanggeer: no 광 + 그 + 이
    assert two_syllables("HIYE") == [("HI", "YE")]
    assert two_syllables("SUN") == two_syllables("OKSUNHI") == []


@pytest.mark.parametrize(
    ("latin", "family", "given", "level"),
    [
        ("Kim Pong Hon", "김", "현봉", "the same consonants"),  # swapped, and a vowel slip
        ("Kim Gwanggeer", "김", "광길", "jamo or key ≤ 1"),
    ],
)
def test_a_latin_name_against_hangul_reaches_the_slip_levels(
    latin: str, family: str, given: str, level: str
):
    """The levels that ask that a pair not be brothers (one syllable shared, the other
    another name) need a Hangul name on both sides to say they are; a Latin name is not
    taken for "neither"."""
    a = record(f"S1,,,{latin},M,1934,,,")
    b = record(f"N1,{family},{given},,M,1934-06-09,solar,,")
    assert compared(a, b)["given"] == level


def test_vowels_folded():
    assert fold("JWE") == fold("JOI") == "JV"  # 최 and Choy
    assert fold("YOM") == "VM"  # 렴 and Yum


# --- 1945 provinces ------------------------------------------------------------------------


def test_provinces_of_1945_whichever_period_a_place_is_named_by():
    assert provinces_1945("경기도") == ["경기도"]
    assert provinces_1945("황해북도 개성시 개풍구역") == ["경기도"]
    assert provinces_1945("평안북도 희천군") == provinces_1945("자강도 희천시") == ["평안북도"]
    assert "함경남도" in provinces_1945("량강도 혜산시")
    assert provinces_1945("서울") == []


def test_a_province_of_1945_alone_is_weak_evidence_not_a_contradiction():
    a = record("S1,박,영철,,M,1936,,경기도,박동수")
    b = record("N1,박,영철,,M,1937-03-02,solar,황해북도 개성시 개풍구역,박동수")
    assert compared(a, b)["birthplace"] == "one province of 1945"
    c = record("N2,박,영철,,M,1937-03-02,solar,함경북도 청진시,박동수")
    assert compared(a, c)["birthplace"] == "All other comparisons"
    d = record("S2,한,순옥,,F,1944,,평안북도,")
    e = record("N3,한,순옥,,F,1945-01-09,solar,자강도 희천시,")
    assert compared(d, e)["birthplace"] in (
        "one province, or one place inside the other",
        "one province of 1945",
    )
    assert ("name_keys", "provinces_1945") in rules_met(d, e)


def test_blocking_on_a_province_of_1945_and_a_year_one_apart():
    # The given name in Latin letters of no system, the place as of 1945: the surname, the
    # province and the year are what is left.
    a = record("S1,,,Yong-cher Pahk,M,1941,,경기도 개풍군,")
    b = record("N1,박,용철,,M,1942-05-01,solar,황해북도 개성시,")
    assert ("family_folds", "provinces_1945", "birth_year_near") in rules_met(a, b)


# --- lunar dates, solar years, Korean age ----------------------------------------------------


def test_a_lunar_date_late_in_the_year_is_the_next_solar_year():
    a = record("S1,김,순덕,,F,1944-12-26,lunar,,")
    b = record("N1,김,순덕,,F,1945,,평안북도 벽동군,")
    assert features(a)["birth_years"] == [1944, 1945]
    assert compared(a, b)["birth"] == "same year"


def test_a_year_one_off_from_a_korean_age():
    a = record("S1,조,옥희,,F,1950,,,조영식")
    b = record("N1,조,옥희,,F,1949,,자강도 위원군,")
    assert shared(a, b, "birth_year_near")
    assert compared(a, b)["birth"] == "year ± 1"


def test_two_full_dates_a_year_apart_are_weaker_than_a_year_from_memory():
    a = record("S1,김,병식,,M,1932-03-24,solar,평안북도 신의주시,김명진")
    b = record("N1,김,병석,,M,1931-12-26,solar,평안북도 신의주시,김명진")
    assert compared(a, b)["birth"] == "year ± 2, other dates"
    c = record("S2,허,저덕,,F,1950-04-04,solar,,허정호")
    d = record("N2,허,정덕,,F,1950-05-04,solar,라선시,")
    assert compared(c, d)["birth"] == "the day or the month differs"
    assert ("family_folds", "given_syllables", "birth_year_near") in rules_met(c, d)


# --- a vowel slip after the initial-sound rule, no date ----------------------------------------


@pytest.mark.parametrize(("south", "north"), [("덕너", "덕녀"), ("난옥", "란옥")])
def test_a_vowel_slip_with_the_initial_sound_rule_and_no_date(south: str, north: str):
    a = record(f"S1,이,{south},,F,,,,")
    b = record(f"N1,리,{north},,F,,,함경북도 청진시,")
    assert shared(a, b, "name_folds")
    assert ("name_folds",) in rules_met(a, b)
    assert compared(a, b)["given"] in ("same in Hangul", "one slip", "the same consonants")


# --- brothers and sisters ----------------------------------------------------------------------


def test_brothers_with_a_generation_syllable_are_their_own_level():
    a = record("S1,김,영수,,M,1936,,평안남도 평원군,김철수")
    b = record("N1,김,영호,,M,1938-02-01,solar,평안남도 평원군,김철수")
    levels = compared(a, b)
    assert levels["given"] == "one syllable shared, the other another name"
    assert levels["father"] == "same father, brothers' or sisters' names"
    slip = record("N2,김,영쑤,,M,1936-02-01,solar,평안남도 평원군,김철수")
    assert compared(a, slip)["father"] == "same neutral key"


def test_a_name_in_ja_changed_is_her_not_a_sister_where_the_years_agree():
    """명자 in the South's memory is 명순 in the North: with her father agreeing and the same
    year, the father's level is his agreement, not that of two sisters' names. Born three
    years apart, 순자 and 순희 of one father are sisters."""
    a = record("S1,김,명자,,F,1933,,황해도 사리원,김병수")
    b = record("N1,김,명순,,F,1933-04-10,solar,황해북도 사리원시,김병수")
    levels = compared(a, b)
    assert levels["given"] == "a -자 name changed"
    assert levels["father"] == "same neutral key"
    c = record("S2,김,순자,,F,1938-02-11,lunar,평안남도 평원군,김철수")
    d = record("N2,김,순희,,F,1941-09-03,solar,평안남도 평원군,김철수")
    assert compared(c, d)["father"] == SAME_FATHER_SIBLINGS


def test_a_slip_in_one_syllable_and_no_date_on_one_side():
    a = record("S1,강,춘홍,,,1949,,,")
    b = record("N1,강,춘호,,M,,,함경남도 북청군,강성구")
    assert ("family_folds", "given_syllables") in rules_met(a, b)


@pytest.mark.parametrize(
    ("latin", "hangul"), [("Yonglyon Ghim", "김,영련"), ("Sook Jhang", "장,숙")]
)
def test_spellings_of_no_system_an_h_or_a_doubled_letter(latin: str, hangul: str):
    a = record(f"S1,,,{latin},F,1949-06-06,,,")
    b = record(f"N1,{hangul},,F,1949-06-06,solar,함흥시,")
    assert shared(a, b, "name_keys")
    assert ("name_keys", "birth_year_near") in rules_met(a, b)


@pytest.mark.parametrize(
    ("latin", "hangul"), [("Jei Bok Hee", "제,복희"), ("Yee Soon-ok", "리,순옥")]
)
def test_a_surname_spelling_the_table_knows_is_the_same_surname(latin: str, hangul: str):
    """Jei is 제 by the surname table, and Yee is 이 (리 in the North): the surname agrees as
    the same neutral key, not only in its consonants (a level that 이 shares with 오, 우, 유
    and every other surname of vowels alone, weighed against a match)."""
    a = record(f"S1,,,{latin},F,1944,,,")
    b = record(f"N1,{hangul},,F,1944-08-15,solar,,")
    assert compared(a, b)["family"] == "same neutral key"


def test_the_father_is_a_blocking_key():
    a = record("S1,,,Sun Ja Kim,F,,,,Kim Chol Su")
    b = record("N1,김,자순,,F,1940,,,김철수")
    assert ("name_folds", "father_key") in rules_met(a, b)


@pytest.mark.parametrize(("south", "north"), [("낭남", "량남"), ("러순", "려순")])
def test_a_slip_after_the_initial_sound_rule_is_not_a_sibling(south: str, north: str):
    a = record(f"S1,강,{south},,F,,,평안북도 선천군,강태근")
    b = record(f"N1,강,{north},,F,1952-10-24,solar,평안북도 선천군,강태근")
    levels = compared(a, b)
    assert levels["given"] == "one slip"
    assert levels["father"] == "same neutral key"


@pytest.mark.parametrize(
    ("written", "full"), [("재현", "김재현"), ("봉삼", "김봉삼"), ("철", "김철")]
)
def test_a_father_written_by_his_given_name_alone(written: str, full: str):
    """His surname is the child's: 재현 is 김재현's given name, not 재 + 현."""
    a = record(f"S1,김,정녀,,F,1953-07-29,,평안남도 용강군,{full}")
    b = record(f"N1,김,정녀,,F,,,,{written}")
    assert features(a)["father_key"] == features(b)["father_key"]
    assert compared(a, b)["father"] == "same neutral key"
    assert ("family_key", "father_key") in rules_met(a, b)
    # Written with his surname, a father of two syllables is still surname and given name.
    assert features(record("S2,이,만수,,M,,,,리만"))["father_key"] == "MAN"
