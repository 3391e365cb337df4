"""The surname table: both orthographies, the hanja that share a Hangul form, Latin spellings."""

from __future__ import annotations

import json
import unicodedata

import pytest

from panmun.korean.surnames import (
    DATA_PATH,
    Surname,
    all_surnames,
    by_hangul,
    by_hanja,
    by_latin,
    canonical_south,
    compound_surnames,
    spelling_key,
    split_full_name,
)


def hanja_of(surnames: list[Surname]) -> set[str]:
    return {s.hanja[0] for s in surnames}


def one(hanja: str) -> Surname:
    (surname,) = by_hanja(hanja)
    return surname


# The data file


def test_the_file_is_utf8_json_with_its_sources() -> None:
    text = DATA_PATH.read_text(encoding="utf-8")
    assert "\\u" not in text  # written with ensure_ascii=False
    document = json.loads(text)
    used_for = " ".join(source["used_for"] for source in document["sources"])
    titles = " ".join(source["title"] for source in document["sources"])
    assert "인구주택총조사" in titles and "rank_2015" in used_for
    assert "국어의 로마자 표기법" in titles and "McCune" in titles
    assert "조선말의 라틴문자표기법" in titles and "성씨 로마자 표기" in titles
    assert all(source["used_for"] for source in document["sources"])


def test_at_least_the_sixty_most_frequent_of_2015() -> None:
    ranks = {s.rank_2015 for s in all_surnames()}
    assert set(range(1, 61)) - ranks == {47}  # row 47 is 류(柳), counted apart from 유(柳)
    document = json.loads(DATA_PATH.read_text(encoding="utf-8"))
    rows = {
        row["rank"]: (row["hangul"], entry["hanja"][0])
        for entry in document["surnames"]
        for row in entry.get("census_2015_rows", [])
    }
    assert rows == {21: ("유", "柳"), 47: ("류", "柳"), 48: ("나", "羅"), 83: ("라", "羅")}
    assert len(all_surnames()) >= 100


def test_table_order_and_the_top_of_the_census() -> None:
    top = all_surnames()[:5]
    assert [s.hanja[0] for s in top] == ["金", "李", "朴", "崔", "鄭"]
    assert [s.population_2015 for s in top] == [10689959, 7306828, 4192074, 2333927, 2151879]
    ranked = [s.rank_2015 for s in all_surnames() if s.rank_2015 is not None]
    assert ranked == sorted(ranked)
    populations = [s.population_2015 for s in all_surnames() if s.population_2015 is not None]
    assert populations == sorted(populations, reverse=True)


def test_all_surnames_is_cached() -> None:
    assert all_surnames() is all_surnames()


def test_hanja_are_unified_ideographs_in_nfc() -> None:
    for surname in all_surnames():
        for hanja in surname.hanja:
            assert unicodedata.normalize("NFC", hanja) == hanja
            assert all(unicodedata.name(c).startswith("CJK UNIFIED IDEOGRAPH") for c in hanja)


def test_north_and_south_differ_only_by_the_initial_sound_rule() -> None:
    rieul, ieung, nieun = "\u1105", "\u110b", "\u1102"  # ㄹ ㅇ ㄴ as leading jamo
    for s in all_surnames():
        if s.differs_by_side:
            north, south = (unicodedata.normalize("NFD", form) for form in (s.north, s.south))
            assert north[0] == rieul and south[0] in (ieung, nieun), s
            assert north[1:] == south[1:], s  # same vowel, same tail, same later syllables


# The pairs whose forms differ, and the traps


@pytest.mark.parametrize(
    ("hanja", "north", "south"),
    [
        ("李", "리", "이"),
        ("林", "림", "임"),
        ("柳", "류", "유"),
        ("劉", "류", "유"),
        ("梁", "량", "양"),
        ("羅", "라", "나"),
        ("盧", "로", "노"),
        ("魯", "로", "노"),
        ("呂", "려", "여"),
        ("廉", "렴", "염"),
        ("陸", "륙", "육"),
        ("龍", "룡", "용"),
    ],
)
def test_pairs_whose_two_forms_differ(hanja: str, north: str, south: str) -> None:
    surname = one(hanja)
    assert (surname.north, surname.south) == (north, south)
    assert surname in by_hangul(north) and surname in by_hangul(south)
    assert canonical_south(north) == south


@pytest.mark.parametrize(
    ("hanja", "form"),
    [("兪", "유"), ("任", "임"), ("印", "인"), ("楊", "양"), ("余", "여"), ("南", "남")],
)
def test_same_form_on_both_sides(hanja: str, form: str) -> None:
    surname = one(hanja)
    assert surname.north == surname.south == form
    assert not surname.differs_by_side


def test_yu_trap_the_north_writes_ryu_only_for_liu_surnames() -> None:
    assert hanja_of(by_hangul("유")) == {"柳", "劉", "兪"}
    assert hanja_of(by_hangul("류")) == {"柳", "劉"}


def test_im_trap_the_north_writes_rim_only_for_lin() -> None:
    assert hanja_of(by_hangul("임")) == {"林", "任"}
    assert hanja_of(by_hangul("림")) == {"林"}


def test_other_pairs_by_hangul() -> None:
    assert hanja_of(by_hangul("리")) == hanja_of(by_hangul("이")) == {"李"}
    assert hanja_of(by_hangul("양")) == {"梁", "楊"}
    assert hanja_of(by_hangul("량")) == {"梁"}
    assert hanja_of(by_hangul("노")) == hanja_of(by_hangul("로")) == {"盧", "魯"}
    assert hanja_of(by_hangul("여")) == {"呂", "余"}
    assert hanja_of(by_hangul("려")) == {"呂"}
    assert hanja_of(by_hangul("나")) == hanja_of(by_hangul("라")) == {"羅"}


@pytest.mark.parametrize(
    ("form", "hanja"),
    [
        ("정", {"鄭", "丁"}),
        ("강", {"姜", "康"}),
        ("조", {"趙", "曺"}),
        ("신", {"申", "辛", "愼"}),
        ("전", {"全", "田"}),
        ("장", {"張", "蔣"}),
        ("주", {"朱", "周"}),
        ("진", {"陳", "秦"}),
        ("변", {"卞", "邊"}),
        ("방", {"方", "房"}),
    ],
)
def test_one_hangul_form_several_hanja(form: str, hanja: set[str]) -> None:
    surnames = by_hangul(form)
    assert hanja_of(surnames) == hanja
    assert len(surnames) == len(hanja)  # separate entries, not one merged entry


def test_by_hangul_normalises_and_trims() -> None:
    decomposed = unicodedata.normalize("NFD", "리")
    assert hanja_of(by_hangul(f" {decomposed} ")) == {"李"}


@pytest.mark.parametrize("text", ["", "   ", "뷁", "김민수", "Kim", "李", "ㄹ"])
def test_unknown_hangul(text: str) -> None:
    assert by_hangul(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("리", "이"),
        ("림", "임"),
        ("류", "유"),
        ("로", "노"),
        ("라", "나"),
        ("량", "양"),
        ("려", "여"),
        ("렴", "염"),
        ("륙", "육"),
        ("룡", "용"),
        ("이", "이"),
        ("유", "유"),
        ("김", "김"),
        ("남궁", "남궁"),
        (" 리 ", "이"),
        ("뷁", "뷁"),
        ("", ""),
    ],
)
def test_canonical_south(text: str, expected: str) -> None:
    assert canonical_south(text) == expected


# Latin spellings


@pytest.mark.parametrize(
    ("text", "hanja"),
    [
        ("LEE", {"李"}),
        ("Lee", {"李"}),
        ("Rhee", {"李"}),
        ("rhie", {"李"}),
        ("Ri", {"李"}),
        ("Yi", {"李"}),
        ("Park", {"朴"}),
        ("Pak", {"朴"}),
        ("Bak", {"朴"}),
        ("Choe", {"崔"}),
        ("Ch'oe", {"崔"}),
        ("CHOI", {"崔"}),
        ("Kim", {"金"}),
        ("Gim", {"金"}),
        ("Jung", {"鄭", "丁"}),
        ("Chŏng", {"鄭", "丁"}),
        ("Rim", {"林"}),
        ("Lim", {"林", "任"}),
        ("Ryu", {"柳", "劉"}),
        ("Rhyu", {"柳"}),
        ("Yoo", {"柳", "劉", "兪"}),
        ("Ryang", {"梁"}),
        ("Roh", {"盧", "魯"}),
        ("Ryom", {"廉"}),
        ("Ryŏm", {"廉"}),
        ("Ryuk", {"陸"}),
        ("Ryong", {"龍"}),
        ("Thak", {"卓"}),
        ("Phyo", {"表"}),
        ("Sohn", {"孫"}),
        ("Paik", {"白"}),
        ("Uhm", {"嚴"}),
        ("Namgung", {"南宮"}),
        ("Namkoong", {"南宮"}),
        ("Sunwoo", {"鮮于"}),
        ("Hwang-bo", {"皇甫"}),
        ("Jegal", {"諸葛"}),
    ],
)
def test_by_latin(text: str, hanja: set[str]) -> None:
    assert hanja_of(by_latin(text)) == hanja


def test_passport_spellings_of_the_commonest_surnames() -> None:
    expected = {
        "金": {"Kim", "Gim"},
        "李": {"Lee", "Yi", "Rhee", "Rhie", "I"},
        "朴": {"Park", "Pak", "Bak"},
        "崔": {"Choi", "Choe"},
        "鄭": {"Jung", "Jeong", "Chung", "Jeung"},
        "林": {"Lim", "Im", "Rim"},
        "柳": {"Yoo", "Yu", "Ryu", "Rhyu"},
        "盧": {"Noh", "Roh", "No", "Ro"},
        "廉": {"Yeom", "Youm", "Ryom"},
        "陸": {"Yook", "Yuk", "Ryuk"},
    }
    for hanja, spellings in expected.items():
        assert spellings <= set(one(hanja).passport), hanja


def test_every_latin_spelling_finds_its_own_entry() -> None:
    for surname in all_surnames():
        for spelling in surname.latin_spellings:
            assert surname in by_latin(spelling), (surname.hanja, spelling)


def test_romanization_systems() -> None:
    lee = one("李")
    assert (lee.rr, lee.mr, lee.north_latin) == ("I", "Yi", "Ri")
    choe = one("崔")
    assert (choe.rr, choe.mr, choe.north_latin) == ("Choe", "Ch'oe", "Choe")
    yu = one("兪")
    assert yu.north_latin == "Yu" and "Ryu" not in yu.passport


@pytest.mark.parametrize("text", ["", "  ", "'-", "Smith", "Kimm", "이", "123"])
def test_unknown_latin(text: str) -> None:
    assert by_latin(text) == []


def test_spelling_key() -> None:
    assert spelling_key("Ch'oe") == spelling_key("CHOE") == "choe"
    assert spelling_key("Chŏng") == spelling_key("Chǒng") == "chong"
    assert spelling_key("Hwang-bo ") == "hwangbo"


# Hanja


def test_by_hanja() -> None:
    assert by_hanja("南宮")[0].south == "남궁"
    assert one("裴") is one("裵")
    assert one("曹") is one("曺")
    assert one("俞") is one("兪")
    assert by_hanja("\uf9e1") == by_hanja("李")  # KS X 1001 compatibility ideograph
    assert by_hanja("江") == [] and by_hanja("") == []


# Full names


def test_compound_surnames() -> None:
    assert compound_surnames() == {"황보", "제갈", "남궁", "선우", "독고", "사공", "서문"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("남궁민수", ("남궁", "민수")),
        ("남궁민", ("남궁", "민")),
        ("남민", ("남", "민")),
        ("남궁", ("남", "궁")),
        ("황보관", ("황보", "관")),
        ("제갈성렬", ("제갈", "성렬")),
        ("선우용녀", ("선우", "용녀")),
        ("독고영재", ("독고", "영재")),
        ("사공일", ("사공", "일")),
        ("서문탁", ("서문", "탁")),
        ("김민수", ("김", "민수")),
        ("리선권", ("리", "선권")),
        ("남기철", ("남", "기철")),
        ("황민호", ("황", "민호")),
        ("김", ("김", "")),
        (" 박 지성 ", ("박", "지성")),
        ("남궁 민수", ("남궁", "민수")),
        ("서 문희", ("서", "문희")),
    ],
)
def test_split_full_name(name: str, expected: tuple[str, str]) -> None:
    assert split_full_name(name) == expected


@pytest.mark.parametrize("name", ["", "   ", "Kim Minsu", "金民洙", "김1"])
def test_split_full_name_rejects_what_is_not_a_hangul_name(name: str) -> None:
    with pytest.raises(ValueError):
        split_full_name(name)


def test_the_table_agrees_with_the_initial_sound_rule() -> None:
    from panmun.korean.orthography import south_form

    for surname in all_surnames():
        assert south_form(surname.north) == surname.south, surname.hanja
        assert canonical_south(surname.north) == surname.south
