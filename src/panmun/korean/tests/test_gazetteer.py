import dataclasses
import json

import pytest

from panmun.korean.gazetteer import (
    DATA_PATH,
    KINDS,
    PERIODS,
    all_places,
    canonical_place_key,
    current_places,
    lookup,
    place,
    sources,
)


def ids(places):
    return [p.id for p in places]


# --- the table ---------------------------------------------------------------------------------


def test_the_table_is_utf8_json_with_its_sources():
    raw = DATA_PATH.read_text(encoding="utf-8")
    assert "황해도" in raw and "\\u" not in raw  # written with ensure_ascii=False
    doc = json.loads(raw)
    assert {s["id"] for s in doc["sources"]} == {s.id for s in sources()}
    for s in sources():
        assert s.title and s.publisher and s.year and s.used_for


def test_every_place_is_complete_and_cites_known_sources():
    source_ids = {s.id for s in sources()}
    for p in all_places():
        assert p.kind in KINDS and p.period in PERIODS
        assert p.latin and p.hanja and p.sources
        assert set(p.sources) <= source_ids
        if p.period != "current" and p.kind != "province":
            assert p.province_then, p.id
        if p.period != "pre1945" and p.kind not in ("province", "special_city"):
            assert p.province_now, p.id


def test_places_of_1945_map_only_to_current_places():
    for p in all_places():
        for target in p.became:
            assert place(target).is_current, (p.id, target)
        if p.is_current:
            assert p.became == ()


def test_the_table_covers_both_sides():
    periods = [p.period for p in all_places()]
    assert periods.count("pre1945") + periods.count("both") >= 100
    assert periods.count("current") + periods.count("both") >= 100
    provinces_today = {p.name_north for p in all_places() if p.kind == "province" and p.is_current}
    assert provinces_today == {
        "평안남도",
        "평안북도",
        "자강도",
        "량강도",
        "황해남도",
        "황해북도",
        "강원도",
        "함경남도",
        "함경북도",
    }
    provinces_1945 = {
        p.name_south for p in all_places() if p.kind == "province" and not p.is_current
    }
    assert {"황해도", "평안남도", "평안북도", "함경남도", "함경북도"} <= provinces_1945


def test_places_are_cached_and_frozen():
    assert all_places() is all_places()
    with pytest.raises(dataclasses.FrozenInstanceError):
        place("kaesong").kind = "county"
    with pytest.raises(KeyError):
        place("seoul")


def test_every_place_is_found_by_each_of_its_names():
    for p in all_places():
        for text in (p.name_south, p.name_north, p.hanja, *p.latin, *p.aliases):
            assert p in lookup(text), (p.id, text)


# --- the mappings the issue names --------------------------------------------------------------


def test_hwanghae_was_divided_into_south_and_north_hwanghae():
    assert ids(current_places("황해도")) == ["hwanghae_namdo", "hwanghae_bukdo"]
    assert ids(current_places("黃海道")) == ["hwanghae_namdo", "hwanghae_bukdo"]
    assert "1954" in place("hwanghae_do").note


def test_kanggye_of_north_pyongan_is_kanggye_city_of_chagang():
    (kanggye,) = current_places("평안북도 강계")
    assert kanggye.id == "kanggye"
    assert (kanggye.name_north, kanggye.kind, kanggye.province_now) == ("강계", "city", "자강도")
    assert "1949" in place("chagang_do").note


def test_hyesan_of_south_hamgyong_is_hyesan_city_of_ryanggang():
    (hyesan,) = current_places("함경남도 혜산")
    assert hyesan.id == "hyesan"
    assert (hyesan.kind, hyesan.province_now) == ("city", "량강도")
    assert "1954" in place("ryanggang_do").note


@pytest.mark.parametrize(
    ("remembered", "today"),
    [
        ("성진", "kimchaek"),
        ("성진시", "kimchaek"),
        ("학성군", "kimchaek"),
        ("Songjin", "kimchaek"),
        ("나진", "rason"),
        ("라진", "rason"),
        ("웅기", "rason"),
        ("개성부", "kaesong"),
        ("개풍군", "kaesong"),
        ("開豐郡", "kaesong"),
        ("개성", "kaesong"),
    ],
)
def test_renamed_and_merged_places(remembered, today):
    assert ids(current_places(remembered)) == [today]


def test_kaesong_is_a_city_of_north_hwanghae():
    kaesong = place("kaesong")
    assert (kaesong.kind, kaesong.province_now) == ("city", "황해북도")
    assert place("kaesong_bu").province_then == "경기도"
    assert "2003" in kaesong.note


@pytest.mark.parametrize(
    ("remembered", "today", "province"),
    [
        ("진남포", "nampo", None),
        ("평양부", "pyongyang", None),
        ("신의주부", "sinuiju", "평안북도"),
        ("함흥부", "hamhung", "함경남도"),
        ("흥남", "hamhung", "함경남도"),
        ("청진부", "chongjin", "함경북도"),
        ("나남", "chongjin", "함경북도"),
        ("원산부", "wonsan", "강원도"),  # was 함경남도
        ("해주부", "haeju", "황해남도"),
        ("사리원", "sariwon", "황해북도"),
        ("겸이포", "songnim", "황해북도"),
        ("신포", "sinpo", "함경남도"),
        ("단천군", "tanchon", "함경남도"),
        ("길주군", "kilju", "함경북도"),
        ("회령군", "hoeryong", "함경북도"),
        ("무산군", "musan", "함경북도"),
        ("삼수군", "samsu", "량강도"),
        ("갑산군", "kapsan", "량강도"),
        ("후창군", "kimhyongjik", "량강도"),
        ("풍산군", "kimhyonggwon", "량강도"),
        ("영흥군", "kumya", "함경남도"),
        ("강동군", "kangdong", "평양직할시"),
        ("문천군", "munchon", "강원도"),
        ("안변군", "anbyon", "강원도"),
    ],
)
def test_where_old_places_are_today(remembered, today, province):
    (found,) = current_places(remembered)
    assert (found.id, found.province_now) == (today, province)


def test_wonsan_moved_from_south_hamgyong_to_kangwon():
    wonsan = place("wonsan")
    assert (wonsan.period, wonsan.province_then, wonsan.province_now) == (
        "both",
        "함경남도",
        "강원도",
    )


def test_places_divided_among_several_successors():
    assert ids(current_places("연백군")) == ["yonan", "paechon"]
    assert ids(current_places("종성군")) == ["onsong", "hoeryong", "kyongwon"]
    assert ids(current_places("평안북도")) == ["pyongan_bukdo", "chagang_do", "ryanggang_do"]


def test_a_place_of_1945_without_a_successor_in_the_north():
    assert ids(lookup("경기도")) == ["kyonggi_do_1945"]
    assert current_places("경기도") == []


# --- the two orthographies, the unit at the end, hanja -----------------------------------------


@pytest.mark.parametrize(
    ("north", "south", "place_id"),
    [
        ("량강도", "양강도", "ryanggang_do"),
        ("라선", "나선", "rason"),
        ("녕변군", "영변군", "nyongbyon"),
        ("녕원군", "영원군", "nyongwon"),
        ("룡천군", "용천군", "ryongchon"),
        ("리원군", "이원군", "riwon"),
        ("은률군", "은율군", "unyul"),
        ("룡강군", "용강군", "ryonggang"),
        ("라남구역", "나남", "nanam"),
    ],
)
def test_north_and_south_spellings_meet(north, south, place_id):
    assert place(place_id) in lookup(north)
    assert lookup(north) == lookup(south)


def test_north_spellings_are_kept():
    assert place("ryanggang_do").names_ko == {"south": "양강도", "north": "량강도"}
    assert place("rason").names_ko == {"south": "나선", "north": "라선"}


@pytest.mark.parametrize(
    "text",
    ["혜산", "혜산시", "혜산군", "惠山", "惠山郡", "Hyesan", "Hyesan-si", "Hyesan County"],
)
def test_the_unit_at_the_end_does_not_matter(text):
    assert ids(lookup(text)) == ["hyesan_gun", "hyesan"]
    assert canonical_place_key(text) == "hyesan"


@pytest.mark.parametrize("text", ["평양", "평양시", "평양부", "평양직할시", "平壤", "平壌"])
def test_pyongyang_by_any_of_its_names(text):
    assert canonical_place_key(text) == "pyongyang"


def test_japanese_and_simplified_hanja():
    assert lookup("黄海道") == lookup("黃海道")  # 黄 (Japanese) and 黃
    assert lookup("開豊郡") == lookup("開豐郡")
    assert lookup("清津") == lookup("淸津") == [place("chongjin")]
    assert canonical_place_key("鎮南浦") == "nampo"


def test_same_hangul_different_hanja():
    assert canonical_place_key("順川") == "sunchon"  # 평안남도
    assert lookup("順天") == []  # 전라남도 — not in the North
    assert "利川" in place("ichon").note


# --- Latin --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    ["Kaesong", "Gaeseong", "Kaesŏng", "KAESONG", "kaesong-si", "Kaesong City", "Kaijo"],
)
def test_kaesong_in_latin(spelling):
    assert canonical_place_key(spelling) == "kaesong"
    assert ids(current_places(spelling)) == ["kaesong"]


@pytest.mark.parametrize(
    ("spelling", "place_id"),
    [
        ("Pyongyang", "pyongyang"),
        ("P'yŏngyang", "pyongyang"),
        ("Phyongyang", "pyongyang"),
        ("Pyeongyang", "pyongyang"),
        ("Hamhung", "hamhung"),
        ("Hamheung", "hamhung"),
        ("Chongjin", "chongjin"),
        ("Cheongjin", "chongjin"),
        ("Ch'ŏngjin", "chongjin"),
        ("Sinuiju", "sinuiju"),
        ("Sinŭiju", "sinuiju"),
        ("Kanggye", "kanggye"),
        ("Ganggye", "kanggye"),
        ("Kimchaek", "kimchaek"),
        ("Gimchaek", "kimchaek"),
        ("Rason", "rason"),
        ("Rajin", "rason"),
        ("Nampo", "nampo"),
        ("Nampho", "nampo"),
        ("Chinnampo", "nampo"),
        ("Ryanggang", "ryanggang_do"),
        ("Yanggang-do", "ryanggang_do"),
        ("Chagang Province", "chagang_do"),
        ("Hamgyŏngbuk-do", "hamgyong_bukdo"),
        ("North Hamgyong", "hamgyong_bukdo"),
        ("Sonchon", "sonchon"),
        ("Sunchon", "sunchon"),
    ],
)
def test_latin_spellings_in_any_system(spelling, place_id):
    assert canonical_place_key(spelling) == place_id


def test_an_exact_spelling_is_preferred_to_the_neutral_key():
    # 구성 and 고성 share the neutral key KOSONG; the spelling tells them apart.
    assert ids(lookup("Kusong")) == ["kusong_gun", "kusong"]
    assert ids(lookup("Kosong")) == ["kosong_gun", "kosong"]


# --- texts that name a province and a place in it ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "함경남도 혜산군",
        "함경남도 혜산",
        "함남 혜산",
        "함경남도혜산군",
        "咸鏡南道 惠山郡",
        "咸鏡南道惠山郡",
        "Hyesan, South Hamgyong",
        "South Hamgyong Province Hyesan County",
    ],
)
def test_a_province_and_a_county_resolve_to_the_county(text):
    assert ids(lookup(text)) == ["hyesan_gun"]
    assert ids(current_places(text)) == ["hyesan"]
    assert canonical_place_key(text) == "hyesan"


def test_the_province_narrows_down_the_place():
    assert ids(lookup("평안북도 강계")) == ["kanggye_gun"]
    assert ids(lookup("평북 강계군")) == ["kanggye_gun"]
    assert ids(lookup("자강도 강계시")) == ["kanggye"]
    assert ids(lookup("황해남도 해주시")) == ["haeju"]


# --- one key for two records ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("applicant", "north_reply"),
    [
        ("황해도 해주", "황해남도 해주시"),
        ("평안북도 강계군", "자강도 강계시"),
        ("함경남도 혜산군", "량강도 혜산시"),
        ("함경북도 성진", "함경북도 김책시"),
        ("함경북도 나진", "라선시"),
        ("경기도 개성부", "황해북도 개성시"),
        ("경기도 개풍군", "개성시"),
        ("Kaesong", "개성특급시"),
        ("평안남도 진남포", "남포특별시"),
        ("함경남도 흥남", "함경남도 함흥시"),
        ("함경남도 원산", "강원도 원산시"),
        ("평안북도 후창군", "량강도 김형직군"),
        ("함경남도 풍산군", "량강도 김형권군"),
        ("함경남도 영흥군", "금야군"),
        ("평안북도 영변군", "평안북도 녕변군"),
        ("함경북도", "함경북도"),
    ],
)
def test_the_applicants_place_and_the_norths_reply_share_a_key(applicant, north_reply):
    key = canonical_place_key(applicant)
    assert key is not None
    assert key == canonical_place_key(north_reply)


def test_different_places_have_different_keys():
    keys = {canonical_place_key(t) for t in ("강계", "혜산", "김책", "라선", "개성", "해주")}
    assert len(keys) == 6


def test_a_place_with_several_successors_keys_to_itself_or_its_namesake():
    assert canonical_place_key("황해도") == "hwanghae_do"  # 황해남도 and 황해북도
    assert canonical_place_key("황해남도") == "hwanghae_namdo"
    assert canonical_place_key("종성군") == "chongsong_gun"
    assert canonical_place_key("평안북도") == "pyongan_bukdo"  # and, in part, 자강도
    assert canonical_place_key("경기도") == "kyonggi_do_1945"


@pytest.mark.parametrize("text", ["", "  ", "서울", "Seoul", "부산", "John Smith"])
def test_nothing_known(text):
    assert lookup(text) == []
    assert current_places(text) == []
    assert canonical_place_key(text) is None


def test_an_ambiguous_text_has_no_key():
    # "Seonchon" is neither spelling exactly; by sound it may be 선천 (宣川) or 순천 (順川).
    assert {p.hanja for p in lookup("Seonchon")} == {"宣川", "順川"}
    assert canonical_place_key("Seonchon") is None


def test_a_township_is_not_read_as_the_county_of_its_name():
    # 신흥면 of 영변 is not 신흥군 of 함경남도.
    assert canonical_place_key("평안북도 영변군 신흥면") == canonical_place_key("평안북도 녕변군")


def test_areas_hold_the_place_and_its_provinces_then_and_now():
    from panmun.korean.gazetteer import place_areas

    assert set(place_areas("함경북도 청진시")) == {"chongjin", "hamgyong_bukdo"}
    # 삼수 is in 량강도 today and was in 함경남도 in 1945, as 북청 is.
    assert "hamgyong_namdo" in set(place_areas("량강도 삼수군")) & set(place_areas("북청"))
    assert set(place_areas("황해도")) == {"hwanghae_namdo", "hwanghae_bukdo"}
    assert place_areas("아무데나") == []
