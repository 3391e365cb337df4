"""Hometowns in the North: the places of 1945 as applicants remember them, and their names today.

Separated-families records name a hometown the way the applicant remembers it — often a province,
city (부) or county (군) of before 1945, in Hangul, hanja or Latin letters — while the North's
replies use its divisions of today: 황해도 was divided into 황해남도 and 황해북도 (1954), 강계
went to the new 자강도 (1949), 혜산 to 량강도 (1954), 성진 became 김책, 나진 part of 라선, 개성
and 개풍 today's 개성 of 황해북도. The table (data/gazetteer.json, with its sources) holds both
sides; each place of 1945 names in `became` the current places it maps to, and a place whose
name carried on (its bounds usually changed) is one entry with period "both".

Matching:
- Hangul in either orthography, through the South's form (량강도 ~ 양강도, 라선 ~ 나선, 녕변 ~
  영변), with or without the kind of unit at the end (혜산 ~ 혜산군 ~ 혜산시; 평양 ~ 평양직할시)
  and with the usual short names of provinces (평북, 함남);
- hanja, including the Japanese and simplified forms of the characters (黄海道 ~ 黃海道);
- Latin letters in any system: an exact spelling first (Sonchon is 선천, Sunchon 순천), else the
  romanization-neutral key of `panmun.korean.romanization` (Kaesong ~ Gaeseong ~ Kaesŏng).
A text naming several places ("함경남도 혜산군", "평북 강계", "Hyesan, South Hamgyong") is read
as its most specific part, with the others narrowing it down.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache, wraps
from pathlib import Path
from typing import Any

from .hangul import is_syllable, nfc
from .orthography import south_form
from .romanization import hangul_key, latin_key

DATA_PATH = Path(__file__).with_name("data") / "gazetteer.json"

KINDS = ("province", "special_city", "city", "county", "town", "district")
PERIODS = ("pre1945", "current", "both")
# How specific a kind of place is, for reading "province + county" texts.
_SPECIFICITY = {
    "province": 0,
    "special_city": 1,
    "city": 2,
    "county": 2,
    "town": 3,
    "district": 3,
}


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    year: str
    used_for: str


@dataclass(frozen=True)
class Place:
    """One place: a unit of 1945 ("pre1945"), of today ("current"), or one whose name carried
    on ("both"). Names are bare (개성, 혜산), the kind says which unit; provinces keep 도."""

    id: str
    name_south: str
    name_north: str
    hanja: str
    latin: tuple[str, ...]
    kind: str
    period: str
    province_then: str | None
    province_now: str | None
    became: tuple[str, ...]
    note: str
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()

    @property
    def names_ko(self) -> dict[str, str]:
        return {"south": self.name_south, "north": self.name_north}

    @property
    def is_current(self) -> bool:
        """Whether the North uses this name for a unit today."""
        return self.period != "pre1945"

    @property
    def hangul_names(self) -> tuple[str, ...]:
        names = [self.name_south, self.name_north, *self.aliases]
        return tuple(dict.fromkeys(names))


# --- loading ---------------------------------------------------------------------------------


def _text(entry: dict[str, Any], key: str, *, optional: bool = False) -> str | None:
    value = entry.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value or nfc(value) != value:
        raise ValueError(f"gazetteer.json: {entry.get('id')!r}: {key!r} must be an NFC string")
    return value


def _texts(entry: dict[str, Any], key: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"gazetteer.json: {entry.get('id')!r}: {key!r} must be a list of strings")
    return tuple(value)


def _place(entry: dict[str, Any]) -> Place:
    names = entry.get("names_ko")
    if not isinstance(names, dict):
        raise ValueError(f"gazetteer.json: {entry.get('id')!r}: names_ko must be an object")
    place = Place(
        id=str(_text(entry, "id")),
        name_south=str(_text(names, "south")),
        name_north=str(_text(names, "north")),
        hanja=str(_text(entry, "hanja")),
        latin=_texts(entry, "latin"),
        kind=str(_text(entry, "kind")),
        period=str(_text(entry, "period")),
        province_then=_text(entry, "province_then", optional=True),
        province_now=_text(entry, "province_now", optional=True),
        became=_texts(entry, "became"),
        note=_text(entry, "note", optional=True) or "",
        sources=_texts(entry, "sources"),
        aliases=_texts(entry, "aliases"),
    )
    if place.kind not in KINDS or place.period not in PERIODS:
        raise ValueError(f"gazetteer.json: {place.id}: unknown kind or period")
    if not all(is_syllable(c) for n in place.hangul_names for c in n):
        raise ValueError(f"gazetteer.json: {place.id}: Hangul names must be syllables only")
    if south_form(place.name_north) != place.name_south:
        raise ValueError(f"gazetteer.json: {place.id}: the South form of the North name differs")
    if place.period == "pre1945" and place.province_then is None and place.kind != "province":
        raise ValueError(f"gazetteer.json: {place.id}: a place of 1945 needs province_then")
    if place.period != "pre1945" and place.became:
        raise ValueError(f"gazetteer.json: {place.id}: only places of 1945 have 'became'")
    if not place.latin or not place.sources:
        raise ValueError(f"gazetteer.json: {place.id}: latin and sources must not be empty")
    return place


@cache
def _document() -> tuple[tuple[Source, ...], tuple[Place, ...]]:
    with DATA_PATH.open(encoding="utf-8") as f:
        doc = json.load(f)
    sources = tuple(
        Source(
            id=str(s["id"]),
            title=str(s["title"]),
            publisher=str(s["publisher"]),
            year=str(s["year"]),
            used_for=str(s["used_for"]),
        )
        for s in doc["sources"]
    )
    places = tuple(_place(entry) for entry in doc["places"])
    source_ids = {s.id for s in sources}
    by_id = {p.id: p for p in places}
    if len(by_id) != len(places):
        raise ValueError("gazetteer.json: place ids must be unique")
    for p in places:
        if missing := set(p.sources) - source_ids:
            raise ValueError(f"gazetteer.json: {p.id}: unknown sources {sorted(missing)}")
        for target in p.became:
            if target not in by_id or not by_id[target].is_current:
                raise ValueError(f"gazetteer.json: {p.id}: 'became' names {target!r}")
    return sources, places


def all_places() -> tuple[Place, ...]:
    """Every place in the gazetteer, in the table's order."""
    return _document()[1]


def sources() -> tuple[Source, ...]:
    """The works the table was built from; each place cites them by id."""
    return _document()[0]


@cache
def _by_id() -> dict[str, Place]:
    return {p.id: p for p in all_places()}


def place(place_id: str) -> Place:
    """The place with this id (KeyError if there is none)."""
    return _by_id()[place_id]


# --- normalising what a record says ----------------------------------------------------------

_HANGUL_SUFFIXES = ("특별시", "직할시", "특급시", "구역", "시", "군", "도", "부", "읍", "면")
_HANJA_SUFFIXES = ("特別市", "直轄市", "特級市", "區域", "市", "郡", "道", "府", "邑", "面")
# Unit words after a Latin name, compared after breves are dropped (Kaesŏng-si, Hyesan County).
_LATIN_SUFFIXES = frozenset(
    (
        *("si", "shi", "city", "gun", "kun", "county", "do", "to", "province"),
        *("bu", "pu", "eup", "up", "myeon", "myon", "guyok", "kuyok", "district"),
        *("special", "directly", "governed", "jikhalsi", "chikhalsi"),
        *("teukbyeolsi", "tukpyolsi", "tukbyolsi", "tukgupsi"),
    )
)
# Japanese (shinjitai) and simplified forms → the forms the table uses.
_HANJA_VARIANTS = str.maketrans(
    {
        "黄": "黃",
        "青": "靑",
        "清": "淸",
        "鎮": "鎭",
        "壌": "壤",
        "両": "兩",
        "豊": "豐",
        "会": "會",
        "徳": "德",
        "鉄": "鐵",
        "満": "滿",
        "辺": "邊",
        "竜": "龍",
        "穏": "穩",
        "鐘": "鍾",
        "恵": "惠",
        "渓": "溪",
        "亀": "龜",
        "区": "區",
        "県": "縣",
        "开": "開",
        "东": "東",
        "兴": "興",
        "镜": "鏡",
        "罗": "羅",
        "义": "義",
        "宁": "寧",
        "边": "邊",
        "龙": "龍",
        "铁": "鐵",
        "丰": "豐",
        "阳": "陽",
        "两": "兩",
        "县": "縣",
        "远": "遠",
        "长": "長",
        "凤": "鳳",
        "庆": "慶",
        "钟": "鍾",
        "稳": "穩",
        "渊": "淵",
        "载": "載",
        "宾": "賓",
        "别": "別",
        "辖": "轄",
        "级": "級",
        "满": "滿",
    }
)


def _script(text: str) -> str:
    if any(is_syllable(c) for c in text):
        return "hangul"
    if any("\u4e00" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text):
        return "hanja"
    return "latin"


def _strip(word: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word[: -len(suffix)]
    return word


# Hometowns repeat, and the words in them (provinces, counties) repeat more: kept.
_KEPT = 1 << 16


@lru_cache(maxsize=_KEPT)
def _hangul_form(text: str) -> str:
    word = "".join(c for c in nfc(text) if is_syllable(c))
    return south_form(_strip(word, _HANGUL_SUFFIXES))


def _hanja_form(text: str) -> str:
    word = "".join(c for c in nfc(text).translate(_HANJA_VARIANTS) if not c.isspace())
    return _strip(word, _HANJA_SUFFIXES)


def _latin_tokens(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", nfc(text).lower())
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = re.sub(r"['’ʼ‘`]", "", folded)
    tokens = [t for t in re.split(r"[^a-z]+", folded) if t]
    while len(tokens) > 1 and tokens[-1] in _LATIN_SUFFIXES:
        tokens.pop()
    return tokens


def _latin_keys(text: str) -> set[str]:
    """The neutral key of a Latin spelling, with and without a unit word at the end."""
    tokens = _latin_tokens(text)
    keys = {latin_key(" ".join(tokens)), latin_key(text)}
    return {k for k in keys if k}


@dataclass(frozen=True)
class _Index:
    hangul: dict[str, tuple[str, ...]]
    hanja: dict[str, tuple[str, ...]]
    spelling: dict[str, tuple[str, ...]]
    key: dict[str, tuple[str, ...]]


@cache
def _index() -> _Index:
    hangul: dict[str, list[str]] = {}
    hanja: dict[str, list[str]] = {}
    spelling: dict[str, list[str]] = {}
    key: dict[str, list[str]] = {}

    def add(table: dict[str, list[str]], k: str, pid: str) -> None:
        if k and pid not in table.setdefault(k, []):
            table[k].append(pid)

    for p in all_places():
        for name in p.hangul_names:
            add(hangul, _hangul_form(name), p.id)
            for k in (hangul_key(_strip(name, _HANGUL_SUFFIXES)), hangul_key(name)):
                add(key, k, p.id)
        add(hanja, _hanja_form(p.hanja), p.id)
        for spelled in p.latin:
            add(spelling, "".join(_latin_tokens(spelled)), p.id)
            for k in _latin_keys(spelled):
                add(key, k, p.id)

    def freeze(table: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
        return {k: tuple(v) for k, v in table.items()}

    return _Index(freeze(hangul), freeze(hanja), freeze(spelling), freeze(key))


def _in_order(ids: set[str]) -> list[Place]:
    return [p for p in all_places() if p.id in ids]


def _kept(compute: Callable[[str], list[Place]]) -> Callable[[str], list[Place]]:
    """Keep what `compute` found for each text (hometowns repeat); hand out fresh lists."""
    cached = lru_cache(maxsize=_KEPT)(lambda text: tuple(compute(text)))

    @wraps(compute)
    def get(text: str) -> list[Place]:
        return list(cached(text))

    return get


@_kept
def _match(text: str) -> list[Place]:
    """The places one name (no province before it) may mean."""
    text = nfc(text)
    if not text:
        return []
    index = _index()
    script = _script(text)
    if script == "hangul":
        return _in_order(set(index.hangul.get(_hangul_form(text), ())))
    if script == "hanja":
        return _in_order(set(index.hanja.get(_hanja_form(text), ())))
    exact = index.spelling.get("".join(_latin_tokens(text)))
    if exact:
        return _in_order(set(exact))
    ids: set[str] = set()
    for k in _latin_keys(text):
        ids.update(index.key.get(k, ()))
    return _in_order(ids)


def _split_compound(word: str) -> list[list[Place]]:
    """A province written against the name after it (함경남도혜산군, 咸鏡南道惠山郡)."""
    if _script(word) == "latin":
        return []
    for cut in range(2, len(word) - 1):
        left = _match(word[:cut])
        if left and all(p.kind == "province" for p in left):
            right = _match(word[cut:]) or []
            if right:
                return [left, right]
            rest = _split_compound(word[cut:])
            if rest:
                return [left, *rest]
    return []


def _segments(text: str) -> list[list[Place]]:
    """The places named by each part of a text, read left to right, longest names first."""
    out: list[list[Place]] = []
    for part in re.split(r"[,;/()（）、]+", text):
        tokens = part.split()
        i = 0
        while i < len(tokens):
            for j in range(len(tokens), i, -1):
                words = " ".join(tokens[i:j])
                hits = _match(words)
                if words.endswith(_VILLAGE_SUFFIXES):
                    # 신흥면 is a township of 영변, not 신흥군: below a county, only towns.
                    hits = [p for p in hits if p.kind == "town"]
                if hits:
                    out.append(hits)
                    i = j
                    break
            else:
                out.extend(_split_compound(tokens[i]))
                i += 1
    return out


_VILLAGE_SUFFIXES = ("면", "리", "동", "面", "里", "洞")


def _province_names(places: list[Place]) -> set[str]:
    return {
        _hangul_form(n)
        for p in places
        if p.kind in ("province", "special_city")
        for n in p.hangul_names
    }


def _in_province(p: Place, provinces: set[str]) -> bool:
    return any(
        prov is not None and _hangul_form(prov) in provinces
        for prov in (p.province_then, p.province_now)
    )


@_kept
def lookup(text: str) -> list[Place]:
    """The places a text names, in the table's order: Hangul in either orthography, hanja or
    Latin, with or without 시/군/도/부/읍/면 at the end. For a text naming a province and a place
    in it ("함경남도 혜산군"), the most specific part, narrowed to that province where it can be."""
    text = nfc(text)
    if not text:
        return []
    direct = _match(text) or _match("".join(text.split()))
    if direct:
        return direct
    segments = _segments(text)
    if not segments:
        return []
    best = max(
        range(len(segments)),
        key=lambda i: (max(_SPECIFICITY[p.kind] for p in segments[i]), i),
    )
    found = segments[best]
    context = _province_names([p for i, s in enumerate(segments) if i != best for p in s])
    narrowed = [p for p in found if _in_province(p, context)]
    return narrowed or found


def current_places(text: str) -> list[Place]:
    """What a remembered place is called today: current places as they are, places of 1945
    through `became` (개풍군 → 개성; 황해도 → 황해남도, 황해북도; 성진 → 김책). Empty where the
    text names nothing known, or a place of 1945 with no successor recorded (e.g. 경기도)."""
    out: dict[str, Place] = {}
    for p in lookup(text):
        if p.is_current:
            out.setdefault(p.id, p)
        else:
            for target in p.became:
                out.setdefault(target, place(target))
    return list(out.values())


def _key(p: Place) -> str:
    if p.is_current or not p.became:
        return p.id
    if len(p.became) == 1:
        return p.became[0]
    same_name = [t for t in p.became if place(t).name_south == p.name_south]
    return same_name[0] if same_name else p.id


def canonical_place_key(text: str) -> str | None:
    """One stable key for comparing two records' places: the id of the current place, or of
    the place of 1945 where it has no single successor (황해도, 종성군) — a place that was split
    but kept its name keys to its namesake (평안북도 → today's 평안북도). None where the text
    names nothing known, or could mean different places (Latin "Seonchon": 선천 or 순천)."""
    keys = {_key(p) for p in lookup(text)}
    return keys.pop() if len(keys) == 1 else None


@cache
def _province_ids() -> dict[str, str]:
    """Provinces (and cities governed as provinces) by their Hangul names, today's first."""
    out: dict[str, str] = {}
    for current in (True, False):  # today's provinces first, then those of 1945
        for p in all_places():
            if p.is_current == current and p.kind in ("province", "special_city"):
                for name in p.hangul_names:
                    out.setdefault(name, p.id)
    return out


def place_areas(text: str) -> list[str]:
    """The ids of every area that a remembered place may lie in: the current places it names,
    their provinces today and in 1945 (삼수 is in 량강도 now, in 함경남도 then). Two records
    whose areas meet name places in one province, or one inside the other (함경북도 ~ 청진시;
    황해도 ~ 황해남도 연안군), though not the same place."""
    areas: dict[str, None] = {}
    for p in current_places(text):
        areas[p.id] = None
        for name in (p.province_now, p.province_then):
            province = _province_ids().get(name) if name else None
            if province:
                areas[province] = None
    return sorted(areas)


@cache
def _then_by_current() -> dict[str, frozenset[str]]:
    """For each place of today, the provinces of 1945 its land lay in: the provinces of the
    places of 1945 that became it (희천시 ← 희천군, 평안북도), and for a province of today the
    provinces of 1945 of every place in it (량강도 ← 함경남도, 함경북도)."""
    then: dict[str, set[str]] = {}
    for p in all_places():
        if p.province_then:
            for successor in p.became:
                then.setdefault(successor, set()).add(p.province_then)
            if p.is_current:
                then.setdefault(p.id, set()).add(p.province_then)
    provinces = _province_ids()
    for p in all_places():
        if p.is_current and p.province_now:
            province = provinces.get(p.province_now)
            if province:
                then.setdefault(province, set()).update(then.get(p.id, ()))
    return {pid: frozenset(names) for pid, names in then.items()}


def provinces_1945(text: str) -> list[str]:
    """The provinces of 1945 (as the South names them: 경기도, 평안북도, 함경남도) that a
    remembered place lay in, whichever period the text names it by: 경기도 → 경기도;
    황해북도 개성시 개풍구역 → 경기도 (개풍군 was in 경기도); 자강도 희천시 → 평안북도; 량강도 →
    함경남도 and 함경북도. Two records that name places of one province of 1945 agree weakly
    (a province alone says little, but it does not contradict the other); empty where the
    text names nothing known."""
    names: dict[str, None] = {}
    then = _then_by_current()
    for p in lookup(text):
        if p.kind == "province" and p.period in ("pre1945", "both"):
            names[p.name_south] = None
        elif p.province_then:
            names[p.province_then] = None
        if p.is_current:
            for name in sorted(then.get(p.id, ())):
                names[name] = None
            if p.kind == "province" and any(
                q.kind == "province" and not q.is_current and q.name_south == p.name_south
                for q in all_places()
            ):
                names[p.name_south] = None
    return sorted(names)
