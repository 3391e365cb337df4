"""The video-reunion scheduler and the address locator: pure Python, no database."""

from __future__ import annotations

import json
import random
import unicodedata
from collections import Counter
from datetime import date, time
from importlib import resources

import pytest

from panmun.reunion.places import Place, distance_km, load_places, locate
from panmun.reunion.scheduling import (
    DEFAULT_SLOT_TIMES,
    NO_ADDRESS,
    NO_DAYS,
    ROOM_FULL,
    UNKNOWN_ROOM,
    FamilyToPlace,
    Room,
    Schedule,
    load_rooms,
    schedule,
    session_capacity,
)

DAY1, DAY2, DAY3 = date(2025, 8, 15), date(2025, 8, 16), date(2025, 8, 17)
ONE_SESSION = ((time(10, 0), time(12, 0)),)


def south_room(code: str, lat: float, lon: float, capacity: int = 1) -> Room:
    return Room(code, "south", f"{code} 실", f"room {code}", "도시", lat, lon, capacity)


def north_room(code: str, capacity: int = 1) -> Room:
    return Room(code, "north", f"평양 {code}", f"Pyongyang {code}", "평양", 39.04, 125.76, capacity)


def assert_within_capacity(result: Schedule, rooms: list[Room] | tuple[Room, ...]) -> None:
    capacity = {r.code: r.capacity for r in rooms}
    used: Counter[tuple[date, int, str]] = Counter()
    for p in result.placements:
        used[p.day, p.slot, p.south_room] += 1
        used[p.day, p.slot, p.north_room] += 1
    for (_, _, code), n in used.items():
        assert n <= capacity[code], code
    sides = {r.code: r.side for r in rooms}
    assert all(sides[p.south_room] == "south" for p in result.placements)
    assert all(sides[p.north_room] == "north" for p in result.placements)


def assert_each_family_once(result: Schedule, families: list[FamilyToPlace]) -> None:
    keys = [p.key for p in result.placements] + [u.key for u in result.unplaced]
    assert sorted(keys) == sorted(f.key for f in families)


def has_hangul(text: str) -> bool:
    return any("가" <= c <= "힣" for c in text)


def is_english(text: str) -> bool:
    """English prose: mostly Latin letters (it may quote a Hangul address)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) / len(letters) > 0.8


def nearest_codes(address: str, rooms: tuple[Room, ...]) -> list[str]:
    """The South rooms nearest to the place an address names, computed from the data."""
    place = locate(address)
    assert place is not None
    south = [r for r in rooms if r.side == "south"]
    d = {r.code: distance_km(place.lat, place.lon, r.lat, r.lon) for r in south}
    best = min(d.values())
    return sorted(code for code, km in d.items() if km <= best + 1e-6)


# --- the data ----------------------------------------------------------------------------------


def test_the_place_table_holds_every_province_and_city():
    places = load_places()
    provinces = [p for p in places if p.level == "province"]
    cities = [p for p in places if p.level == "city"]
    counties = [p for p in places if p.level == "county"]
    assert len(provinces) == 17
    assert len(cities) >= 75 and len(counties) >= 80
    assert len({p.code for p in places}) == len(places)
    names = {p.name_ko for p in provinces}
    assert {
        "서울특별시",
        "강원특별자치도",
        "전북특별자치도",
        "제주특별자치도",
        "세종특별자치시",
    } <= names
    assert all(33.0 <= p.lat <= 38.7 and 124.5 <= p.lon <= 131.0 for p in places)
    doc = json.loads(
        resources.files("panmun.reunion").joinpath("data/south_places.json").read_text("utf-8")
    )
    assert doc["sources"] and "0.05" in doc["accuracy"]


def test_the_rooms_are_those_of_2005_to_2007():
    rooms = load_rooms()
    south = [r for r in rooms if r.side == "south"]
    north = [r for r in rooms if r.side == "north"]
    assert len(south) == 13 and len(north) == 10
    assert len({r.code for r in rooms}) == 23
    assert {"S-BUSAN", "S-JEJU", "S-CHUNCHEON", "S-SUWON", "S-GWANGJU"} <= {r.code for r in south}
    assert [r.name_ko for r in north][:2] == ["평양 1실", "평양 2실"]
    assert all(r.capacity == 1 for r in rooms)
    doc = json.loads(
        resources.files("panmun.reunion").joinpath("data/video_rooms.json").read_text("utf-8")
    )
    assert len(doc["sources"]) >= 3 and doc["notes"]


# --- locate ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "name_ko", "province_ko"),
    [
        ("서울특별시 종로구 세종대로 209", "서울특별시", "서울특별시"),
        ("서울 종로구", "서울특별시", "서울특별시"),
        ("경기도 수원시 장안구 정자동 111", "수원시", "경기도"),
        ("경기 수원시", "수원시", "경기도"),
        ("부산광역시 해운대구 해운대로 1", "부산광역시", "부산광역시"),
        ("강원특별자치도 춘천시 중앙로 1", "춘천시", "강원특별자치도"),
        ("강원도 춘천시", "춘천시", "강원특별자치도"),  # the name before 2023
        ("전북특별자치도 전주시 완산구", "전주시", "전북특별자치도"),
        ("전라북도 전주시", "전주시", "전북특별자치도"),  # the name before 2024
        ("제주특별자치도 제주시", "제주시", "제주특별자치도"),
        ("Suwon-si, Gyeonggi-do", "수원시", "경기도"),
        ("  SUWON si ,GYEONGGI-DO. ", "수원시", "경기도"),
        ("Busan", "부산광역시", "부산광역시"),
        ("Pusan", "부산광역시", "부산광역시"),
        ("Taegu", "대구광역시", "대구광역시"),
        ("Inch'on", "인천광역시", "인천광역시"),
        ("Kwangju", "광주광역시", "광주광역시"),
        ("Taejŏn", "대전광역시", "대전광역시"),
        ("Seoul", "서울특별시", "서울특별시"),
        ("Chuncheon-si, Gangwon State", "춘천시", "강원특별자치도"),
        ("서울특별시종로구", "서울특별시", "서울특별시"),
        ("경기도수원시장안구", "수원시", "경기도"),
        ("강원도 고성군 간성읍", "고성군", "강원특별자치도"),
        ("경남 고성군 고성읍", "고성군", "경상남도"),
        ("Goseong-gun, South Gyeongsang", "고성군", "경상남도"),
        ("경기도 광주시 송정동", "광주시", "경기도"),
        ("광주광역시 서구", "광주광역시", "광주광역시"),
        ("광주 북구", "광주광역시", "광주광역시"),  # 광주 alone is the metropolitan city
        ("Jeju-do", "제주특별자치도", "제주특별자치도"),
        ("경상남도 마산시", "창원시", "경상남도"),  # merged into 창원시 in 2010
        ("경북 군위군", "군위군", "대구광역시"),  # moved to 대구 in 2023
    ],
)
def test_locate_reads_the_most_specific_place(address, name_ko, province_ko):
    place = locate(address)
    assert place is not None, address
    assert (place.name_ko, place.province_ko) == (name_ko, province_ko)


def test_locate_normalises_to_nfc():
    decomposed = unicodedata.normalize("NFD", "강원특별자치도 춘천시")
    assert decomposed != "강원특별자치도 춘천시"
    place = locate(decomposed)
    assert place is not None and place.name_ko == "춘천시"


def test_an_ambiguous_city_without_its_province_is_not_guessed():
    assert locate("고성군 거진읍") is None  # 강원 or 경남: no province to choose
    assert locate("Goseong-gun") is None
    place = locate("경기도 고성군")  # neither 고성군 is in 경기도: the province is kept
    assert place is not None and place.level == "province" and place.name_ko == "경기도"


@pytest.mark.parametrize(
    "address",
    ["", "   ", "123 Main Street, Springfield, IL, USA", "Jinan, Shandong, China", "東京都新宿区"],
)
def test_locate_gives_none_for_empty_foreign_or_unknown_addresses(address):
    assert locate(address) is None


def test_a_city_beats_its_province_in_either_order():
    a, b = locate("수원시 경기도"), locate("경기도 수원시")
    assert a is not None and a == b and a.level == "city"


def test_distance_km_is_the_haversine_distance():
    assert distance_km(37.5665, 126.978, 37.5665, 126.978) == 0.0
    seoul_busan = distance_km(37.5665, 126.9780, 35.1798, 129.0750)
    assert 320 < seoul_busan < 330
    assert seoul_busan == pytest.approx(distance_km(35.1798, 129.0750, 37.5665, 126.9780))
    # One degree of latitude on a sphere of radius 6371.0088 km.
    assert distance_km(0, 0, 1, 0) == pytest.approx(111.195, abs=0.001)


# --- the nearest room --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "room"),
    [
        ("부산광역시 해운대구 해운대로 264", "S-BUSAN"),
        ("제주특별자치도 서귀포시 중앙로", "S-JEJU"),
        ("강원특별자치도 춘천시 중앙로 1", "S-CHUNCHEON"),
        ("경기도 수원시 팔달구", "S-SUWON"),
        ("광주광역시 서구 내방로 111", "S-GWANGJU"),
        ("Daejeon", "S-DAEJEON"),
        ("Taegu", "S-DAEGU"),
        ("인천광역시 연수구", "S-INCHEON"),
    ],
)
def test_each_family_goes_to_its_citys_room(address, room):
    rooms = load_rooms()
    result = schedule([FamilyToPlace("f", address)], rooms, [DAY1])
    (placement,) = result.placements
    assert placement.south_room == room
    assert nearest_codes(address, rooms) == [room]


@pytest.mark.parametrize(
    "address", ["강원 속초시 중앙로", "경북 울릉군", "전남 신안군", "충북 단양군"]
)
def test_a_county_without_a_room_goes_to_the_nearest_one(address):
    rooms = load_rooms()
    expected = nearest_codes(address, rooms)
    result = schedule([FamilyToPlace("f", address)], rooms, [DAY1])
    (placement,) = result.placements
    assert placement.south_room == expected[0]
    place = locate(address)
    assert place is not None
    room = next(r for r in rooms if r.code == placement.south_room)
    assert placement.distance_km == round(distance_km(place.lat, place.lon, room.lat, room.lon), 1)


def test_rooms_at_the_same_place_are_shared_lowest_code_first():
    rooms = load_rooms()
    families = [FamilyToPlace(f"s{i}", "서울특별시 중구") for i in range(6)]
    result = schedule(families, rooms, [DAY1])
    first_session = [p for p in result.placements if p.slot == 1]
    assert sorted(p.south_room for p in first_session) == [f"S-SEOUL-HQ-{i}" for i in range(1, 6)]
    assert [p.slot for p in result.placements if p.key == "s5"] == [2]
    assert_within_capacity(result, rooms)


# --- capacity --------------------------------------------------------------------------------


def test_the_north_side_can_be_the_bottleneck():
    rooms = [r for r in load_rooms() if r.side == "south"] + [north_room("N-1"), north_room("N-2")]
    cities = ["부산", "대구", "대전", "광주", "인천", "제주", "춘천", "수원", "서울"]
    families = [FamilyToPlace(f"f{i:02d}", cities[i % len(cities)]) for i in range(30)]
    result = schedule(families, rooms, [DAY1])
    assert len(result.placements) == 1 * len(DEFAULT_SLOT_TIMES) * 2
    assert session_capacity(rooms, [DAY1]) == 8
    assert_within_capacity(result, rooms)
    assert_each_family_once(result, families)
    for load in result.load().values():
        assert len(load.north_rooms) <= 2 and len(load.south_rooms) == len(load.north_rooms)
    full = [u for u in result.unplaced if u.code == ROOM_FULL]
    assert len(full) == 22
    # Some of them still had a free South room, at times when both North rooms were taken.
    assert any("북측 상봉실 2곳이 모두 찼습니다" in u.message_ko for u in full)
    assert any("all 2 North rooms are taken" in u.message_en for u in full)


def test_a_room_may_take_several_families_in_one_session():
    rooms = [south_room("S-A", 35.18, 129.07, capacity=2), north_room("N-1", capacity=3)]
    families = [FamilyToPlace(f"f{i}", "부산") for i in range(5)]
    result = schedule(families, rooms, [DAY1], slot_times=ONE_SESSION)
    assert [p.key for p in result.placements] == ["f0", "f1"]
    assert result.load()[DAY1, 1].south_rooms == ("S-A", "S-A")
    assert result.load()[DAY1, 1].north_rooms == ("N-1", "N-1")
    assert [u.code for u in result.unplaced] == [ROOM_FULL] * 3
    assert_within_capacity(result, rooms)


def test_families_compete_for_their_nearest_room_and_are_never_sent_farther():
    rooms = load_rooms()
    families = [FamilyToPlace(f"b{i}", "부산광역시") for i in range(10)]
    result = schedule(families, rooms, [DAY1, DAY2])
    assert {p.south_room for p in result.placements} == {"S-BUSAN"}
    assert len(result.placements) == 8
    full = [u for u in result.unplaced if u.code == ROOM_FULL]
    assert [u.key for u in full] == ["b8", "b9"]
    busan = next(r for r in rooms if r.code == "S-BUSAN")
    assert busan.name_ko in full[0].message_ko and "8개" in full[0].message_ko
    assert busan.name_en in full[0].message_en and "8 places" in full[0].message_en
    assert "all are taken" in full[0].message_en


def test_higher_priority_is_placed_first():
    rooms = [south_room("S-A", 35.18, 129.07), north_room("N-1")]
    families = [
        FamilyToPlace("young", "부산", priority=70),
        FamilyToPlace("old", "부산", priority=95),
    ]
    result = schedule(families, rooms, [DAY1], slot_times=ONE_SESSION)
    assert [p.key for p in result.placements] == ["old"]
    assert [u.key for u in result.unplaced] == ["young"]


# --- an officer's choice ------------------------------------------------------------------------


def test_an_officers_room_choice_overrides_the_nearest_room():
    rooms = load_rooms()
    families = [
        FamilyToPlace("busan-to-jeju", "부산광역시 해운대구", room_code="S-JEJU"),
        FamilyToPlace("no-address", "", room_code=" s-chuncheon "),
    ]
    result = schedule(families, rooms, [DAY1])
    by_key = {p.key: p for p in result.placements}
    assert by_key["busan-to-jeju"].south_room == "S-JEJU"
    busan, jeju = locate("부산광역시"), next(r for r in rooms if r.code == "S-JEJU")
    assert busan is not None
    assert by_key["busan-to-jeju"].distance_km == round(
        distance_km(busan.lat, busan.lon, jeju.lat, jeju.lon), 1
    )
    assert by_key["no-address"].south_room == "S-CHUNCHEON"
    assert by_key["no-address"].distance_km is None


# --- requested dates ---------------------------------------------------------------------------


def test_a_requested_date_is_honoured():
    rooms = load_rooms()
    families = [
        FamilyToPlace("plain", "부산", priority=99),
        FamilyToPlace("asked", "부산", requested_date=DAY2),
    ]
    result = schedule(families, rooms, [DAY1, DAY2, DAY3])
    by_key = {p.key: p for p in result.placements}
    assert (by_key["asked"].day, by_key["asked"].requested_date_met) == (DAY2, True)
    assert (by_key["plain"].day, by_key["plain"].requested_date_met) == (DAY1, None)


def test_when_the_date_is_full_the_family_goes_to_the_nearest_other_day():
    rooms = [south_room("S-A", 35.18, 129.07), north_room("N-1")]
    families = [
        FamilyToPlace("first", "부산", requested_date=DAY2, priority=90),
        FamilyToPlace("second", "부산", requested_date=DAY2, priority=80),
        FamilyToPlace("no-date", "부산", priority=99),
    ]
    result = schedule(families, rooms, [DAY1, DAY2, DAY3], slot_times=ONE_SESSION)
    by_key = {p.key: p for p in result.placements}
    assert (by_key["first"].day, by_key["first"].requested_date_met) == (DAY2, True)
    # DAY1 and DAY3 are as near: the earlier first; families who asked for a date come first.
    assert (by_key["second"].day, by_key["second"].requested_date_met) == (DAY1, False)
    assert (by_key["no-date"].day, by_key["no-date"].requested_date_met) == (DAY3, None)


def test_a_family_moved_off_its_full_date_does_not_take_another_familys_date():
    rooms = [south_room("S-A", 35.18, 129.07), north_room("N-1")]
    families = [
        FamilyToPlace("c", "부산", requested_date=DAY1, priority=95),
        FamilyToPlace("a", "부산", requested_date=DAY1, priority=90),
        FamilyToPlace("b", "부산", requested_date=DAY2, priority=80),
    ]
    result = schedule(families, rooms, [DAY1, DAY2, DAY3], slot_times=ONE_SESSION)
    by_key = {p.key: p for p in result.placements}
    assert (by_key["c"].day, by_key["c"].requested_date_met) == (DAY1, True)
    assert (by_key["b"].day, by_key["b"].requested_date_met) == (DAY2, True)
    assert (by_key["a"].day, by_key["a"].requested_date_met) == (DAY3, False)


def test_a_requested_date_outside_the_round_is_not_met():
    rooms = load_rooms()
    families = [FamilyToPlace("late", "대구", requested_date=date(2025, 9, 1))]
    result = schedule(families, rooms, [DAY1, DAY2, DAY3])
    (placement,) = result.placements
    assert (placement.day, placement.requested_date_met) == (DAY3, False)


# --- families who cannot be placed --------------------------------------------------------------


def test_unplaceable_families_are_explained_in_korean_and_english():
    rooms = load_rooms()
    families = [
        FamilyToPlace("empty", ""),
        FamilyToPlace("abroad", "1-1 Nishi-Shinjuku, Tokyo, Japan"),
        FamilyToPlace("nonsense", "아무데나 123"),
        FamilyToPlace("bad-room", "부산", room_code="S-NOWHERE"),
        FamilyToPlace("north-room", "부산", room_code="N-PY-01"),
        FamilyToPlace("fine", "부산"),
    ]
    result = schedule(families, rooms, [DAY1])
    codes = {u.key: u.code for u in result.unplaced}
    assert codes == {
        "empty": NO_ADDRESS,
        "abroad": NO_ADDRESS,
        "nonsense": NO_ADDRESS,
        "bad-room": UNKNOWN_ROOM,
        "north-room": UNKNOWN_ROOM,
    }
    assert [p.key for p in result.placements] == ["fine"]
    for u in result.unplaced:
        assert has_hangul(u.message_ko) and is_english(u.message_en)
    by_key = {u.key: u for u in result.unplaced}
    assert (
        "S-NOWHERE" in by_key["bad-room"].message_ko
        and "S-NOWHERE" in by_key["bad-room"].message_en
    )
    assert "북측" in by_key["north-room"].message_ko and "North" in by_key["north-room"].message_en
    assert "아무데나 123" in by_key["nonsense"].message_ko
    assert_each_family_once(result, families)


def test_a_round_without_days_places_nobody():
    families = [FamilyToPlace("a", "부산"), FamilyToPlace("b", "서울")]
    result = schedule(families, load_rooms(), [])
    assert result.placements == ()
    assert [u.code for u in result.unplaced] == [NO_DAYS, NO_DAYS]
    assert all(has_hangul(u.message_ko) and is_english(u.message_en) for u in result.unplaced)


def test_duplicate_keys_are_refused():
    with pytest.raises(ValueError, match="unique"):
        schedule([FamilyToPlace("a", "부산"), FamilyToPlace("a", "서울")], load_rooms(), [DAY1])
    with pytest.raises(ValueError):
        schedule([FamilyToPlace("", "부산")], load_rooms(), [DAY1])


def test_bad_rooms_and_sessions_are_refused():
    with pytest.raises(ValueError):
        schedule([], [south_room("S-A", 35, 129), south_room("S-A", 36, 127)], [DAY1])
    with pytest.raises(ValueError):
        schedule([], [south_room("S-A", 35, 129, capacity=0)], [DAY1])
    with pytest.raises(ValueError):
        schedule([], load_rooms(), [DAY1], slot_times=())
    with pytest.raises(ValueError):
        schedule([], load_rooms(), [DAY1], slot_times=((time(11, 0), time(10, 0)),))
    overlapping = ((time(9, 0), time(11, 0)), (time(10, 0), time(12, 0)))
    with pytest.raises(ValueError):
        schedule([], load_rooms(), [DAY1], slot_times=overlapping)


# --- a whole round -------------------------------------------------------------------------------


def round_of(n: int, seed: int) -> list[FamilyToPlace]:
    rng = random.Random(seed)
    places: list[Place] = [p for p in load_places() if p.level != "province"]
    days = [DAY1, DAY2, DAY3]
    families = []
    for i in range(n):
        p = rng.choice(places)
        address = f"{p.province_ko} {p.name_ko}" if rng.random() < 0.7 else p.name_en
        if p.name_ko.startswith("고성"):
            address = f"{p.province_ko} {p.name_ko}"
        families.append(
            FamilyToPlace(
                key=f"F{i:04d}",
                address=address,
                requested_date=rng.choice(days) if rng.random() < 0.2 else None,
                priority=rng.randint(70, 100),
            )
        )
    return families


def test_a_round_of_500_families_is_consistent_and_deterministic():
    rooms = load_rooms()
    days = [DAY1, DAY2, DAY3]
    families = round_of(500, seed=7)
    result = schedule(families, rooms, days)
    assert_within_capacity(result, rooms)
    assert_each_family_once(result, families)
    assert len(result.placements) <= session_capacity(rooms, days) == 3 * 4 * 10
    assert {u.code for u in result.unplaced} <= {ROOM_FULL}
    # Never a farther room than the nearest.
    for p in result.placements:
        family = next(f for f in families if f.key == p.key)
        assert p.south_room in nearest_codes(family.address, rooms)
    # The same input gives the same schedule; so does the same families in another order.
    assert schedule(families, rooms, days) == result
    shuffled = families[:]
    random.Random(1).shuffle(shuffled)
    assert schedule(shuffled, rooms, days).placements == result.placements
    by_room = result.by_room()
    assert sum(len(v) for v in by_room.values()) == len(result.placements)
    for placed in by_room.values():
        assert list(placed) == sorted(placed, key=lambda p: (p.day, p.slot, p.key))
