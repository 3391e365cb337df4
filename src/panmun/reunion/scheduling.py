"""The video-reunion scheduler (화상상봉 일정 배정): which day, session and rooms each family gets.

A video reunion session joins one room in the South (a Korean Red Cross room, data/
video_rooms.json) with one room in Pyongyang for two hours; a round has a few days of four
sessions each (DEFAULT_SLOT_TIMES, as in 2005–2007). `schedule` places the families of a round:

- Each family goes to the South room nearest the place its address names (`places.locate`,
  then great-circle distance; rooms at the same distance, such as the five rooms at the
  headquarters, are tried in code order), unless an officer chose its room (`room_code`). The
  scheduler never sends a family to a farther room on its own: when its room is full, the family
  is left unplaced with the reason, in Korean and English, for an officer to decide.
- No room, South or North, ever takes more families in one session than its capacity; a session
  needs a place in a South room and one in a North room at the same time. North rooms are taken
  lowest code first.
- Families who asked for a date come first: in priority order (higher first, then key) each is
  placed on its date if a session is free that day; then those whose date was full (or is not
  a day of the round) on the nearest other day (`requested_date_met` False). Then the others,
  in priority order, in the earliest free session.
- Every family is either placed or in `unplaced` with a reason; keys must be unique.
The result depends only on the input: families are taken in a fixed order, never in the order
of a set or dict.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from functools import cache
from importlib import resources
from typing import Any

from .places import Place, distance_km, locate

SlotTimes = Sequence[tuple[time, time]]

DEFAULT_SLOT_TIMES: tuple[tuple[time, time], ...] = (
    (time(9, 0), time(11, 0)),
    (time(11, 30), time(13, 30)),
    (time(14, 30), time(16, 30)),
    (time(17, 0), time(19, 0)),
)

SIDES = ("south", "north")

# Why a family was not placed.
NO_ADDRESS = "no_address"  # the address names no place of the South, and no room was chosen
UNKNOWN_ROOM = "unknown_room"  # the chosen room is not a South room of the round
ROOM_FULL = "room_full"  # its room has no session left at a time a North room is free
NO_DAYS = "no_days"  # the round has no days
NO_ROOMS = "no_rooms"  # the round has no South room, or no North room

_SAME_PLACE_KM = 1e-6


@dataclass(frozen=True)
class Room:
    """A video reunion room; capacity is the families it takes in one session."""

    code: str
    side: str  # "south" | "north"
    name_ko: str
    name_en: str
    city_ko: str
    lat: float
    lon: float
    capacity: int = 1


@dataclass(frozen=True)
class FamilyToPlace:
    key: str
    address: str = ""
    requested_date: date | None = None
    room_code: str | None = None  # an officer's choice overrides the nearest room
    priority: int = 0  # higher is placed first (Panmun passes the applicant's age)


@dataclass(frozen=True)
class Placement:
    key: str
    day: date
    slot: int  # 1 for the first session of the day
    starts: time
    ends: time
    south_room: str
    north_room: str
    distance_km: float | None  # from the place the address names to the South room
    requested_date_met: bool | None  # None when no date was asked


@dataclass(frozen=True)
class Unplaced:
    key: str
    code: str
    message_ko: str
    message_en: str


@dataclass(frozen=True)
class SlotLoad:
    """The rooms used in one session (a room taking two families is named twice)."""

    south_rooms: tuple[str, ...]
    north_rooms: tuple[str, ...]


@dataclass(frozen=True)
class Schedule:
    placements: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...]

    def by_room(self) -> dict[str, tuple[Placement, ...]]:
        """The placements of each South room used, by day and session."""
        rooms: dict[str, list[Placement]] = {}
        for p in sorted(self.placements, key=lambda p: (p.south_room, p.day, p.slot, p.key)):
            rooms.setdefault(p.south_room, []).append(p)
        return {code: tuple(placed) for code, placed in rooms.items()}

    def load(self) -> dict[tuple[date, int], SlotLoad]:
        """For each (day, session) used: the South rooms and the North rooms taken."""
        south: dict[tuple[date, int], list[str]] = {}
        north: dict[tuple[date, int], list[str]] = {}
        for p in self.placements:
            south.setdefault((p.day, p.slot), []).append(p.south_room)
            north.setdefault((p.day, p.slot), []).append(p.north_room)
        return {
            when: SlotLoad(tuple(sorted(south[when])), tuple(sorted(north[when])))
            for when in sorted(south)
        }


# --- the rooms ---------------------------------------------------------------------------------


def _room(raw: dict[str, Any]) -> Room:
    def text(key: str) -> str:
        value = raw.get(key)
        if not isinstance(value, str) or not value:
            raise ValueError(f"video_rooms.json: {raw.get('code')!r}: {key!r} must be a string")
        return value

    def number(key: str) -> float:
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"video_rooms.json: {raw.get('code')!r}: {key!r} must be a number")
        return float(value)

    capacity = raw.get("capacity", 1)
    if isinstance(capacity, bool) or not isinstance(capacity, int):
        raise ValueError(f"video_rooms.json: {raw.get('code')!r}: capacity must be an integer")
    return Room(
        code=text("code"),
        side=text("side"),
        name_ko=text("name_ko"),
        name_en=text("name_en"),
        city_ko=text("city_ko"),
        lat=number("lat"),
        lon=number("lon"),
        capacity=capacity,
    )


@cache
def load_rooms() -> tuple[Room, ...]:
    """The video reunion rooms of 2005–2007: 13 in the South, 10 in Pyongyang."""
    data = resources.files("panmun.reunion").joinpath("data/video_rooms.json").read_text("utf-8")
    rooms = tuple(_room(raw) for raw in json.loads(data)["rooms"])
    _check_rooms(rooms)
    return rooms


def _check_rooms(rooms: Sequence[Room]) -> None:
    codes = [r.code for r in rooms]
    if len(set(codes)) != len(codes):
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        raise ValueError(f"room codes must be unique; repeated: {repeated}")
    for r in rooms:
        if r.side not in SIDES:
            raise ValueError(f"room {r.code}: side must be 'south' or 'north', not {r.side!r}")
        if r.capacity < 1:
            raise ValueError(f"room {r.code}: capacity must be at least 1")


def session_capacity(
    rooms: Sequence[Room], days: Sequence[date], *, slot_times: SlotTimes = DEFAULT_SLOT_TIMES
) -> int:
    """The most families a round can place: days × sessions a day × the smaller of the South's
    and the North's places per session (before any family's nearest room is considered)."""
    south = sum(r.capacity for r in rooms if r.side == "south")
    north = sum(r.capacity for r in rooms if r.side == "north")
    return len(set(days)) * len(slot_times) * min(south, north)


# --- scheduling ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Want:
    """A family whose South room(s) are known: the rooms to try, in order."""

    family: FamilyToPlace
    rooms: tuple[Room, ...]
    chosen: bool  # by an officer
    place: Place | None


def _check_slots(slot_times: SlotTimes) -> tuple[tuple[time, time], ...]:
    slots = tuple(slot_times)
    if not slots:
        raise ValueError("slot_times must name at least one session")
    for i, (starts, ends) in enumerate(slots):
        if not starts < ends:
            raise ValueError(f"session {i + 1} must end after it starts")
        if i and starts < slots[i - 1][1]:
            raise ValueError(f"session {i + 1} starts before session {i} ends")
    return slots


def _rank(want: _Want) -> tuple[int, str]:
    return (-want.family.priority, want.family.key)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _names(rooms: Sequence[Room]) -> tuple[str, str]:
    first = rooms[0]
    if len(rooms) == 1:
        return first.name_ko, first.name_en
    more = len(rooms) - 1
    return (
        f"{first.name_ko} 외 {more}곳(같은 장소)",
        f"{first.name_en} and {more} more at the same place",
    )


class _Round:
    """The free places of a round, and the search for a session."""

    def __init__(self, days: list[date], slots: tuple[tuple[time, time], ...], north: list[Room]):
        self.days = days
        self.slots = slots
        self.north = north
        self.used: Counter[tuple[int, int, str]] = Counter()

    def _free(self, rooms: Sequence[Room], day: int, slot: int) -> Room | None:
        return next((r for r in rooms if self.used[day, slot, r.code] < r.capacity), None)

    def find(
        self, rooms: Sequence[Room], days: Sequence[int]
    ) -> tuple[int, int, Room, Room] | None:
        for day in days:
            for slot in range(len(self.slots)):
                south = self._free(rooms, day, slot)
                if south is None:
                    continue
                north = self._free(self.north, day, slot)
                if north is not None:
                    return day, slot, south, north
        return None

    def take(self, day: int, slot: int, south: Room, north: Room) -> None:
        self.used[day, slot, south.code] += 1
        self.used[day, slot, north.code] += 1

    def full_message(self, want: _Want) -> tuple[str, str]:
        """Why the family's room(s) had no session left: Korean, English."""
        rooms = want.rooms
        n_days, n_slots = len(self.days), len(self.slots)
        places = n_days * n_slots * sum(r.capacity for r in rooms)
        taken = sum(
            self.used[d, s, r.code] for d in range(n_days) for s in range(n_slots) for r in rooms
        )
        north_full = sum(
            1
            for d in range(n_days)
            for s in range(n_slots)
            if self._free(rooms, d, s) is not None and self._free(self.north, d, s) is None
        )
        name_ko, name_en = _names(rooms)
        which_ko, which_en = (
            ("지정된", "The chosen") if want.chosen else ("가장 가까운", "The nearest")
        )
        rooms_ko = f" × {len(rooms)}실" if len(rooms) > 1 else ""
        rooms_en = f" × {len(rooms)} rooms" if len(rooms) > 1 else ""
        shape_ko = f"{n_days}일 × 하루 {n_slots}회{rooms_ko}"
        shape_en = f"{_count(n_days, 'day')} × {_count(n_slots, 'session')}{rooms_en}"
        if north_full:
            ko = (
                f"{which_ko} 상봉실({name_ko})의 자리 {places}개({shape_ko}) 중 {taken}개가 찼고, "
                f"남은 {north_full}개 시간에는 북측 상봉실 {len(self.north)}곳이 모두 찼습니다."
            )
            en = (
                f"{which_en} room ({name_en}) has {places} places ({shape_en}): {taken} are "
                f"taken, and at the {north_full} other times all {len(self.north)} North rooms "
                "are taken."
            )
        else:
            ko = f"{which_ko} 상봉실({name_ko})의 자리 {places}개({shape_ko})가 모두 찼습니다."
            en = f"{which_en} room ({name_en}) has {places} places ({shape_en}) and all are taken."
        ko += (
            " 더 먼 상봉실로 자동 배정하지 않습니다."
            " 담당자가 상봉실을 지정하거나 상봉일을 늘려 주십시오."
        )
        en += (
            " No farther room is given automatically: an officer may choose another room, or"
            " the round may add days."
        )
        return ko, en


def _unknown_room(family: FamilyToPlace, code: str, rooms: Sequence[Room]) -> Unplaced:
    north = any(r.code == code and r.side == "north" for r in rooms)
    if north:
        ko = f"지정된 상봉실 '{code}'은 북측 상봉실입니다. 남측 상봉실을 지정해 주십시오."
        en = f"The chosen room '{code}' is a North room; choose a South room."
    else:
        ko = f"지정된 상봉실 코드 '{code}'에 해당하는 남측 상봉실이 없습니다."
        en = f"There is no South room with the chosen code '{code}'."
    return Unplaced(family.key, UNKNOWN_ROOM, ko, en)


def _no_address(family: FamilyToPlace) -> Unplaced:
    address = (family.address or "").strip()
    if not address:
        ko = "주소가 없고 상봉실도 지정되지 않아 가장 가까운 상봉실을 정할 수 없습니다."
        en = "There is no address and no room was chosen, so the nearest room cannot be found."
    else:
        ko = (
            f"주소 '{address}'에서 국내 시·도나 시·군을 찾지 못했고 상봉실도 지정되지 않았습니다. "
            "주소를 고치거나 상봉실을 지정해 주십시오."
        )
        en = (
            f"No South Korean province, city or county was found in the address '{address}',"
            " and no room was chosen: correct the address or choose a room."
        )
    return Unplaced(family.key, NO_ADDRESS, ko, en)


def _nearest(place: Place, south: Sequence[Room]) -> tuple[Room, ...]:
    distances = [(distance_km(place.lat, place.lon, r.lat, r.lon), r) for r in south]
    nearest = min(d for d, _ in distances)
    return tuple(r for d, r in distances if d <= nearest + _SAME_PLACE_KM)


def schedule(
    families: Sequence[FamilyToPlace],
    rooms: Sequence[Room],
    days: Sequence[date],
    *,
    slot_times: SlotTimes = DEFAULT_SLOT_TIMES,
) -> Schedule:
    """Place each family of a round in a session: a day, a time, a South and a North room."""
    keys = [f.key for f in families]
    if any(not isinstance(k, str) or not k for k in keys):
        raise ValueError("every family needs a key")
    if len(set(keys)) != len(keys):
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        raise ValueError(f"family keys must be unique; repeated: {duplicates}")
    _check_rooms(rooms)
    slots = _check_slots(slot_times)
    round_days = sorted(set(days))
    south = sorted((r for r in rooms if r.side == "south"), key=lambda r: r.code)
    north = sorted((r for r in rooms if r.side == "north"), key=lambda r: r.code)
    south_by_code = {r.code: r for r in south}

    unplaced: dict[str, Unplaced] = {}
    wants: list[_Want] = []
    nearest: dict[str, tuple[Room, ...]] = {}  # by place code: addresses repeat
    for family in families:
        if not round_days:
            unplaced[family.key] = Unplaced(
                family.key,
                NO_DAYS,
                "이번 회차에 상봉일이 정해지지 않았습니다.",
                "The round has no reunion days.",
            )
            continue
        if not south or not north:
            side_ko, side_en = ("남측", "South") if not south else ("북측", "North")
            unplaced[family.key] = Unplaced(
                family.key,
                NO_ROOMS,
                f"이번 회차에 {side_ko} 상봉실이 없습니다.",
                f"The round has no {side_en} room.",
            )
            continue
        place = locate(family.address) if family.address else None
        if family.room_code is not None and family.room_code.strip():
            code = family.room_code.strip().upper()
            room = south_by_code.get(code)
            if room is None:
                unplaced[family.key] = _unknown_room(family, code, rooms)
                continue
            wants.append(_Want(family, (room,), True, place))
        elif place is None:
            unplaced[family.key] = _no_address(family)
        else:
            if place.code not in nearest:
                nearest[place.code] = _nearest(place, south)
            wants.append(_Want(family, nearest[place.code], False, place))

    state = _Round(round_days, slots, north)
    placed: list[Placement] = []
    index_of = {d: i for i, d in enumerate(round_days)}

    def put(want: _Want, found: tuple[int, int, Room, Room]) -> None:
        day, slot, south_room, north_room = found
        state.take(day, slot, south_room, north_room)
        requested = want.family.requested_date
        where = want.place
        placed.append(
            Placement(
                key=want.family.key,
                day=round_days[day],
                slot=slot + 1,
                starts=slots[slot][0],
                ends=slots[slot][1],
                south_room=south_room.code,
                north_room=north_room.code,
                distance_km=(
                    round(distance_km(where.lat, where.lon, south_room.lat, south_room.lon), 1)
                    if where is not None
                    else None
                ),
                requested_date_met=None if requested is None else round_days[day] == requested,
            )
        )

    asked = sorted((w for w in wants if w.family.requested_date is not None), key=_rank)
    others = sorted((w for w in wants if w.family.requested_date is None), key=_rank)
    # 1. Those who asked for a date, on their date.
    waiting: list[_Want] = []
    for want in asked:
        requested = want.family.requested_date
        day = index_of.get(requested) if requested is not None else None
        found = state.find(want.rooms, [day]) if day is not None else None
        if found is None:
            waiting.append(want)
        else:
            put(want, found)
    # 2. Those whose date was full or not a day of the round: the nearest other day.
    full: list[_Want] = []
    for want in waiting:
        requested = want.family.requested_date
        assert requested is not None
        nearest_days = sorted(
            (i for i, d in enumerate(round_days) if d != requested),
            key=lambda i: (abs((round_days[i] - requested).days), round_days[i]),
        )
        found = state.find(want.rooms, nearest_days)
        if found is None:
            full.append(want)
        else:
            put(want, found)
    # 3. The others, in the earliest free session.
    exhausted: set[tuple[Room, ...]] = set()  # rooms with no session left (it stays so)
    for want in others:
        found = None if want.rooms in exhausted else state.find(want.rooms, range(len(round_days)))
        if found is None:
            exhausted.add(want.rooms)
            full.append(want)
        else:
            put(want, found)
    # Those who found no session: told how full their room is once the round is drawn up.
    messages: dict[tuple[tuple[str, ...], bool], tuple[str, str]] = {}
    for want in full:
        said = (tuple(r.code for r in want.rooms), want.chosen)
        if said not in messages:
            messages[said] = state.full_message(want)
        unplaced[want.family.key] = Unplaced(want.family.key, ROOM_FULL, *messages[said])

    return Schedule(
        placements=tuple(sorted(placed, key=lambda p: (p.day, p.slot, p.south_room, p.key))),
        unplaced=tuple(unplaced[f.key] for f in families if f.key in unplaced),
    )
