"""The common Korean surnames, in both orthographies and in the Latin spellings people use.

One entry per surname as the census counts it: the hanja, the South and the North Hangul form
(they differ where the South's initial-sound rule, 두음법칙, applies: 李 이/리, 林 임/림, 柳 유/류),
the Revised Romanization (rr), McCune–Reischauer (mr), the North's own romanization
(north_latin) and the spellings found in passports. Surnames sharing a Hangul form but not a
hanja are separate entries: 유 is 柳, 劉 and 兪; 임 is 林 and 任; 정 is 鄭 and 丁. The North writes
류 only for 柳 and 劉 (兪 is 유 on both sides), 림 only for 林 (任 is 임 on both sides).

The table lives in data/surnames.json, with the sources it was built from.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .hangul import is_syllable, nfc

__all__ = [
    "DATA_PATH",
    "Surname",
    "all_surnames",
    "by_hangul",
    "by_hanja",
    "by_latin",
    "canonical_south",
    "compound_surnames",
    "spelling_key",
    "split_full_name",
]

DATA_PATH = Path(__file__).with_name("data") / "surnames.json"

_REQUIRED = ("hanja", "south", "north", "rr", "mr", "north_latin", "passport", "rank_2015")
_OPTIONAL = ("population_2015", "census_2015_rows", "note")


@dataclass(frozen=True)
class Surname:
    hanja: tuple[str, ...]
    south: str
    north: str
    rr: str
    mr: str
    north_latin: str
    passport: tuple[str, ...]
    rank_2015: int | None
    population_2015: int | None = None

    @property
    def latin_spellings(self) -> tuple[str, ...]:
        """Every Latin spelling of this surname in the table, without repeats."""
        return tuple(dict.fromkeys((self.rr, self.mr, self.north_latin, *self.passport)))

    @property
    def differs_by_side(self) -> bool:
        """Whether the North and the South write the surname differently (리/이)."""
        return self.north != self.south


def _is_hangul(text: str) -> bool:
    return bool(text) and all(is_syllable(c) for c in text)


def spelling_key(text: str) -> str:
    """A Latin spelling reduced for comparison: no case, diacritics, apostrophes or spaces.

    "Ch'oe", "CHOE" and "Choe" are the same key; so are "Chŏng" and "Chong".
    """
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(c for c in decomposed if "a" <= c <= "z")


def _text(entry: Mapping[str, Any], key: str) -> str:
    value = entry[key]
    if not isinstance(value, str) or not value or nfc(value) != value:
        raise ValueError(f"surnames.json: {key!r} must be a non-empty NFC string, got {value!r}")
    return value


def _texts(entry: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = entry[key]
    if not isinstance(value, list) or not value:
        raise ValueError(f"surnames.json: {key!r} must be a non-empty list, got {value!r}")
    return tuple(_text({key: item}, key) for item in value)


def _count(entry: Mapping[str, Any], key: str) -> int | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"surnames.json: {key!r} must be a positive integer, got {value!r}")
    return value


def _surname(entry: object) -> Surname:
    if not isinstance(entry, dict):
        raise ValueError(f"surnames.json: an entry must be an object, got {entry!r}")
    missing = [key for key in _REQUIRED if key not in entry]
    unknown = [key for key in entry if key not in _REQUIRED and key not in _OPTIONAL]
    if missing or unknown:
        raise ValueError(f"surnames.json: {entry!r}: missing {missing}, unknown {unknown}")
    surname = Surname(
        hanja=_texts(entry, "hanja"),
        south=_text(entry, "south"),
        north=_text(entry, "north"),
        rr=_text(entry, "rr"),
        mr=_text(entry, "mr"),
        north_latin=_text(entry, "north_latin"),
        passport=_texts(entry, "passport"),
        rank_2015=_count(entry, "rank_2015"),
        population_2015=_count(entry, "population_2015"),
    )
    if not (_is_hangul(surname.south) and _is_hangul(surname.north)):
        raise ValueError(f"surnames.json: {surname.hanja}: the forms must be Hangul syllables")
    if len(surname.south) != len(surname.north):
        raise ValueError(f"surnames.json: {surname.hanja}: South and North forms differ in length")
    return surname


def _load(path: Path) -> tuple[Surname, ...]:
    document = json.loads(path.read_text(encoding="utf-8"))
    entries = document.get("surnames") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{path}: no 'surnames' list")
    surnames = tuple(_surname(entry) for entry in entries)
    hanja = [h for s in surnames for h in s.hanja]
    if len(hanja) != len(set(hanja)):
        raise ValueError(f"{path}: a hanja appears in more than one entry")
    ranks = [s.rank_2015 for s in surnames if s.rank_2015 is not None]
    if len(ranks) != len(set(ranks)):
        raise ValueError(f"{path}: a rank appears in more than one entry")
    return surnames


@cache
def all_surnames() -> tuple[Surname, ...]:
    """The whole table, in order of the 2015 census rank (unranked surnames last)."""
    # sorted() is stable: the unranked entries keep the file's order.
    return tuple(sorted(_load(DATA_PATH), key=lambda s: (s.rank_2015 is None, s.rank_2015 or 0)))


def _index(keyed: Iterable[tuple[str, Surname]]) -> dict[str, tuple[Surname, ...]]:
    index: dict[str, list[Surname]] = {}
    for key, surname in keyed:
        bucket = index.setdefault(key, [])
        if surname not in bucket:
            bucket.append(surname)
    return {key: tuple(bucket) for key, bucket in index.items()}


@cache
def _by_hangul() -> dict[str, tuple[Surname, ...]]:
    return _index((form, s) for s in all_surnames() for form in (s.south, s.north))


@cache
def _by_latin() -> dict[str, tuple[Surname, ...]]:
    return _index((spelling_key(v), s) for s in all_surnames() for v in s.latin_spellings)


@cache
def _by_hanja() -> dict[str, tuple[Surname, ...]]:
    return _index((h, s) for s in all_surnames() for h in s.hanja)


@cache
def _north_to_south() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for s in all_surnames():
        if s.differs_by_side and mapping.setdefault(s.north, s.south) != s.south:
            raise ValueError(f"surnames.json: {s.north} maps to {mapping[s.north]} and {s.south}")
    return mapping


@cache
def compound_surnames() -> frozenset[str]:
    """The two-syllable surnames in the table (남궁, 황보, 제갈, 선우, 독고, 사공, 서문)."""
    return frozenset(f for s in all_surnames() for f in (s.south, s.north) if len(f) == 2)


def by_hangul(text: str) -> list[Surname]:
    """The surnames written `text` in the South or the North: 리 and 이 give 李; 유 gives 柳, 劉
    and 兪; 류 gives 柳 and 劉 only."""
    return list(_by_hangul().get(nfc(text), ()))


def by_latin(text: str) -> list[Surname]:
    """The surnames with `text` among their rr, mr, North or passport spellings, ignoring case,
    diacritics and punctuation: "LEE", "Rhee" and "Ri" give 李; "Ch'oe" and "Choi" give 崔."""
    key = spelling_key(text)
    return list(_by_latin().get(key, ())) if key else []


def by_hanja(text: str) -> list[Surname]:
    """The surname written `text` in hanja (李, 南宮). Compatibility ideographs from KS X 1001
    (李 at U+F9E1, 柳 at U+F9C9) are normalised to the unified ones first."""
    return list(_by_hanja().get(nfc(text), ()))


def canonical_south(hangul_surname: str) -> str:
    """The South's spelling of a surname: 리 → 이, 림 → 임, 류 → 유, 로 → 노, 라 → 나, 량 → 양,
    려 → 여, 렴 → 염, 륙 → 육, 룡 → 용; any other text comes back as it is (NFC, trimmed)."""
    text = nfc(hangul_surname)
    return _north_to_south().get(text, text)


def split_full_name(hangul_full_name: str) -> tuple[str, str]:
    """(surname, given name) of a Hangul full name written surname first.

    A space, where there is one, separates the two. Otherwise a known two-syllable surname is
    taken only when at least one syllable is left for the given name (남궁민수 → 남궁, 민수), and
    the first syllable in every other case (남민 → 남, 민; 김 → 김, ""). Names such as 서문희
    remain ambiguous (서문 + 희, or 서 + 문희); the rule takes the two-syllable surname.
    """
    name = nfc(hangul_full_name)
    parts = name.split()
    if not parts:
        raise ValueError("empty name")
    if len(parts) > 1:
        surname, given = parts[0], "".join(parts[1:])
    elif len(name) >= 3 and name[:2] in compound_surnames():
        surname, given = name[:2], name[2:]
    else:
        surname, given = name[:1], name[1:]
    if not _is_hangul(surname + given):
        raise ValueError(f"not a Hangul name: {hangul_full_name!r}")
    return surname, given
