"""Locating a South Korean address: the province (시·도) and city or county (시·군) it names.

The table (data/south_places.json, with its sources) holds the 17 시·도 and every 시 and 군 with
the approximate position of its seat (to about 0.05°). `locate` reads a free-text address, in
Hangul or Latin letters, as the most specific place it names:

- Hangul: whole words (runs of syllables) against the official names, the short ones (서울, 경기,
  충북), the older ones (강원도, 전라북도, 제주도, 마산시 → 창원시) and a city's stem (수원시 ~
  수원). "서울특별시종로구", written without spaces, is read from its front.
- Latin: words folded to lower case without marks or apostrophes and joined (Gyeonggi-do,
  Kyŏnggi-do, Kyonggi), in Revised Romanization and McCune–Reischauer (Pusan, Taegu, Inchon);
  a unit word after a name (si, gun, do, city, county, province, metropolitan …) says which
  kind of place is meant: "Jeju-do" is the province, "Jeju-si" the city.
- A city beats its province. A name shared by two places (고성군 of 강원 and of 경남; 광주 the
  metropolitan city and 광주시 of 경기) is settled by the province the address names; with no
  province named it is left unsettled: the address is read as a province it names, if any (광주
  alone is the metropolitan city), else as nothing.
- The 구 (districts) are not in the table: "부산광역시 해운대구" is 부산광역시.
An empty address, one naming no place of the table, or one naming a foreign country gives None.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

LEVELS = ("province", "city", "county")
EARTH_RADIUS_KM = 6371.0088

# Words after a Latin name that say what kind of unit it is.
_LATIN_UNITS: dict[str, str] = {
    **dict.fromkeys(("si", "shi", "city"), "city"),
    **dict.fromkeys(("gun", "kun", "county"), "county"),
    **dict.fromkeys(
        (
            *("do", "to", "province", "state", "metropolitan", "special", "self", "governing"),
            *("selfgoverning", "autonomous", "gwangyeoksi", "teukbyeolsi", "kwangyoksi"),
            *("teukbyeoljachido", "teukbyeoljachisi", "tukpyolsi", "jikhalsi", "chikhalsi"),
        ),
        "province",
    ),
}
# Words that place an address outside the South (whole Latin words, or their concatenation).
_FOREIGN_LATIN = frozenset(
    (
        *("china", "prc", "japan", "usa", "america", "canada", "russia", "germany", "france"),
        *("australia", "england", "brazil", "argentina", "mongolia", "uzbekistan", "kazakhstan"),
        *("unitedstates", "unitedkingdom", "newzealand", "northkorea", "dprk"),
    )
)
_FOREIGN_HANGUL = frozenset(
    (
        *("중국", "일본", "미국", "캐나다", "러시아", "독일", "프랑스", "영국", "호주", "브라질"),
        *("아르헨티나", "몽골", "우즈베키스탄", "카자흐스탄", "뉴질랜드", "북한"),
        "조선민주주의인민공화국",
    )
)
_FOREIGN_HAN = ("中国", "中國", "日本", "美国", "美國")
_HANGUL_UNIT_ENDINGS = ("시", "도", "군")
_MAX_LATIN_WORDS = 5


@dataclass(frozen=True)
class Place:
    """A province (시·도, including the special and metropolitan cities), city (시) or county
    (군) of the South; lat/lon are its seat's, approximately."""

    code: str
    name_ko: str
    name_en: str
    province_ko: str
    lat: float
    lon: float
    level: str  # "province" | "city" | "county"


@dataclass(frozen=True)
class _Entry:
    place: Place
    aliases_ko: tuple[str, ...]
    latin: tuple[str, ...]


# --- loading ---------------------------------------------------------------------------------


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _string(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value or _nfc(value) != value:
        raise ValueError(f"south_places.json: {entry.get('code')!r}: {key!r} must be a string")
    return value


def _strings(entry: dict[str, Any], key: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"south_places.json: {entry.get('code')!r}: {key!r} must list strings")
    return tuple(_nfc(v) for v in value)


def _number(entry: dict[str, Any], key: str, low: float, high: float) -> float:
    value = entry.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ValueError(f"south_places.json: {entry.get('code')!r}: {key!r} out of range")
    return float(value)


def _entry(raw: dict[str, Any]) -> _Entry:
    place = Place(
        code=_string(raw, "code"),
        name_ko=_string(raw, "name_ko"),
        name_en=_string(raw, "name_en"),
        province_ko=_string(raw, "province_ko"),
        lat=_number(raw, "lat", 33.0, 38.7),
        lon=_number(raw, "lon", 124.5, 131.0),
        level=_string(raw, "level"),
    )
    if place.level not in LEVELS:
        raise ValueError(f"south_places.json: {place.code}: unknown level {place.level!r}")
    return _Entry(place, _strings(raw, "aliases_ko"), _strings(raw, "latin"))


@cache
def _entries() -> tuple[_Entry, ...]:
    text = resources.files("panmun.reunion").joinpath("data/south_places.json").read_text("utf-8")
    doc = json.loads(text)
    entries = tuple(_entry(raw) for raw in doc["places"])
    codes = [e.place.code for e in entries]
    if len(set(codes)) != len(codes):
        raise ValueError("south_places.json: place codes must be unique")
    provinces = {e.place.name_ko for e in entries if e.place.level == "province"}
    for e in entries:
        p = e.place
        if p.province_ko not in provinces or (p.level == "province") != (
            p.province_ko == p.name_ko
        ):
            raise ValueError(f"south_places.json: {p.code}: unknown province {p.province_ko!r}")
    if len(provinces) != 17:
        raise ValueError("south_places.json: the South has 17 provinces (시·도)")
    return entries


def load_places() -> tuple[Place, ...]:
    """Every place of the table, provinces first, in the table's order."""
    return tuple(e.place for e in _entries())


# --- the index of names ------------------------------------------------------------------------


_APOSTROPHES = re.compile(r"['’ʼ‘`]")
_HANGUL_SYLLABLE = re.compile(r"[가-힣]")
_HANGUL_WORD = re.compile(r"[가-힣]+")
_LATIN_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """A character in lower case without its marks (Ŏ → o)."""
    decomposed = unicodedata.normalize("NFKD", char.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _latin_words(text: str) -> list[tuple[int, str]]:
    """The Latin words of a text, folded (Kyŏnggi → kyonggi, Inch'on → inchon), with where
    they start (roughly: for putting them in order with the Hangul words)."""
    text = _APOSTROPHES.sub("", text)
    if not text.isascii():
        text = _HANGUL_SYLLABLE.sub(" ", text)  # one character for one: positions kept
        if not text.isascii():
            text = "".join(_fold_char(c) if not c.isascii() else c for c in text)
    return [(m.start(), m.group()) for m in _LATIN_WORD.finditer(text.lower())]


def _hangul_words(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in _HANGUL_WORD.finditer(text)]


def _latin_key(spelling: str) -> str:
    """A spelling's key: its words joined, the unit words at its end dropped."""
    words = [w for _, w in _latin_words(spelling)]
    while len(words) > 1 and words[-1] in _LATIN_UNITS:
        words.pop()
    return "".join(words)


@dataclass(frozen=True)
class _Index:
    hangul: dict[str, tuple[Place, ...]]
    latin: dict[str, tuple[Place, ...]]


@cache
def _index() -> _Index:
    hangul: dict[str, list[Place]] = {}
    latin: dict[str, list[Place]] = {}

    def add(table: dict[str, list[Place]], key: str, place: Place) -> None:
        if key and place not in table.setdefault(key, []):
            table[key].append(place)

    entries = _entries()
    for e in entries:
        p = e.place
        add(hangul, p.name_ko, p)
        for alias in e.aliases_ko:
            add(hangul, alias, p)
        if p.level != "province":
            add(hangul, p.name_ko[:-1], p)  # 수원시 ~ 수원, 고성군 ~ 고성
        for spelling in (p.name_en, *e.latin):
            add(latin, _latin_key(spelling), p)
    # Most cities were counties before (여주군 → 여주시): the old name, where no unit has it.
    for e in entries:
        if e.place.level == "city":
            old = e.place.name_ko[:-1] + "군"
            if old not in hangul:
                add(hangul, old, e.place)
    return _Index({k: tuple(v) for k, v in hangul.items()}, {k: tuple(v) for k, v in latin.items()})


# --- reading an address ------------------------------------------------------------------------


def _hangul_mentions(
    words: list[tuple[int, str]], index: _Index
) -> list[tuple[int, tuple[Place, ...]]]:
    mentions: list[tuple[int, tuple[Place, ...]]] = []
    for at, word in words:
        if word in index.hangul:
            mentions.append((at, index.hangul[word]))
            continue
        # Written together (서울특별시종로구): known names ending in a unit, from the front.
        while word:
            for cut in range(len(word), 1, -1):
                head = word[:cut]
                if head.endswith(_HANGUL_UNIT_ENDINGS) and head in index.hangul:
                    mentions.append((at, index.hangul[head]))
                    word, at = word[cut:], at + cut
                    break
            else:
                break
    return mentions


def _latin_mentions(
    words: list[tuple[int, str]], index: _Index
) -> list[tuple[int, tuple[Place, ...]]]:
    mentions: list[tuple[int, tuple[Place, ...]]] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + _MAX_LATIN_WORDS), i, -1):
            key = "".join(w for _, w in words[i:j])
            found = index.latin.get(key)
            if found:
                kind = _LATIN_UNITS.get(words[j][1]) if j < len(words) else None
                kept = tuple(p for p in found if kind is None or _is_kind(p, kind))
                mentions.append((words[i][0], kept or found))
                i = j
                while i < len(words) and words[i][1] in _LATIN_UNITS:
                    i += 1
                break
        else:
            i += 1
    return mentions


def _is_kind(place: Place, kind: str) -> bool:
    """Whether a unit word of this kind fits the place: "city" fits the special and
    metropolitan cities too (Gwangju City is 광주광역시 as well as 광주시 of 경기)."""
    if kind == "city" and place.level == "province":
        return place.name_ko.endswith("시")
    return place.level == kind


def _is_foreign(text: str, hangul: list[tuple[int, str]], latin: list[tuple[int, str]]) -> bool:
    if any(han in text for han in _FOREIGN_HAN):
        return True
    if any(w in _FOREIGN_HANGUL for _, w in hangul):
        return True
    words = [w for _, w in latin]
    pairs = (a + b for a, b in pairwise(words))
    return any(w in _FOREIGN_LATIN for w in (*words, *pairs))


def _first(places: Iterable[Place]) -> Place | None:
    return next(iter(places), None)


@lru_cache(maxsize=1 << 16)
def locate(address: str) -> Place | None:
    """The most specific place of the table that a South Korean address names, or None."""
    text = _nfc(address or "")
    if not text:
        return None
    hangul, latin = _hangul_words(text), _latin_words(text)
    if _is_foreign(text, hangul, latin):
        return None
    index = _index()
    found = _hangul_mentions(hangul, index) + _latin_mentions(latin, index)
    mentions = [m for _, m in sorted(found, key=lambda m: m[0])]
    if not mentions:
        return None
    # Provinces the address names unmistakably (by a word that can only be a province).
    stated = [p for m in mentions if all(q.level == "province" for q in m) for p in m]
    stated_names = {p.name_ko for p in stated}
    for candidates in mentions:
        cities = [p for p in candidates if p.level != "province"]
        if not cities:
            continue
        provinces = [p for p in candidates if p.level == "province"]
        if stated_names:
            inside = [p for p in cities if p.province_ko in stated_names]
            if len(inside) == 1:
                return inside[0]
            if not inside and len(cities) == 1 and not provinces:
                return cities[0]  # a unique name under a province that no longer has it (군위군)
        elif len(cities) == 1 and all(p.name_ko == cities[0].province_ko for p in provinces):
            return cities[0]  # unique, or a city in the province of the same name (제주)
    if stated:
        return stated[0]
    # No province named unmistakably: one named by an unsettled word (광주) if only one is.
    named = {p for m in mentions for p in m if p.level == "province"}
    return _first(named) if len(named) == 1 else None


def distance_km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle distance in km (haversine, mean earth radius 6371.0088 km)."""
    phi1, phi2 = math.radians(a_lat), math.radians(b_lat)
    d_phi, d_lambda = phi2 - phi1, math.radians(b_lon - a_lon)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
