"""The search keys of a person's name: one romanization-neutral key per part, the same whether
the name is written 리선권 (North), 이선권 (South), Ri Son Gwon or Lee Sun-kwon.

Stored on `Person` (indexed) and computed from a query the same way, so that a search is an
index lookup on equal keys, not a scan. Pure functions; no database.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from panmun.korean.gazetteer import canonical_place_key
from panmun.korean.hangul import is_syllable, nfc
from panmun.korean.names import latin_name_keys
from panmun.korean.orthography import south_form
from panmun.korean.romanization import hangul_key, latin_key
from panmun.korean.surnames import by_hangul, split_full_name

if TYPE_CHECKING:
    from .models import Person

FAMILY_KEY_LENGTH = 40
GIVEN_KEY_LENGTH = 60


@dataclass(frozen=True)
class NameKeys:
    family_key: str
    given_key: str

    @property
    def name_key(self) -> str:
        return f"{self.family_key} {self.given_key}".strip() if self.family_key else ""


def _hangul(text: str) -> bool:
    return any(is_syllable(c) for c in text)


def _cut(keys: NameKeys) -> NameKeys:
    return NameKeys(keys.family_key[:FAMILY_KEY_LENGTH], keys.given_key[:GIVEN_KEY_LENGTH])


@lru_cache(maxsize=1 << 16)
def person_keys(
    family_name: str, given_name: str, name_latin: str = "", full_name: str = ""
) -> NameKeys:
    """The keys stored for a person: from the Hangul name when there is one, else from the
    Latin name (its most likely reading), else from a full name in either script."""
    family, given = nfc(family_name).strip(), nfc(given_name).strip()
    if not family and not given and full_name:
        readings = _readings(full_name)
        return _cut(readings[0]) if readings else NameKeys("", "")
    if _hangul(family) or _hangul(given):
        if family and not given and len(family) > 1:
            with contextlib.suppress(ValueError):
                family, given = split_full_name(family)
        return _cut(NameKeys(hangul_key(south_form(family)), hangul_key(south_form(given))))
    if family or given:
        return _cut(NameKeys(latin_key(family), latin_key(given)))
    if name_latin:
        readings = _readings(name_latin)
        return _cut(readings[0]) if readings else NameKeys("", "")
    return NameKeys("", "")


def _readings(text: str) -> list[NameKeys]:
    text = nfc(text).strip()
    text = re.sub(r"\s+", " ", text)
    if not text:
        return []
    if _hangul(text):
        compact = text.replace(" ", "")
        readings = []
        if " " in text:
            family, _, given = text.partition(" ")
            readings.append(NameKeys(hangul_key(south_form(family)), hangul_key(south_form(given))))
        if len(compact) > 1:
            try:
                family, given = split_full_name(compact)
            except ValueError:  # not all Hangul (a surname in Hanja, digits...)
                return readings
            readings.append(NameKeys(hangul_key(south_form(family)), hangul_key(south_form(given))))
        elif by_hangul(compact):
            readings.append(NameKeys(hangul_key(south_form(compact)), ""))
        else:
            readings.append(NameKeys("", hangul_key(south_form(compact))))
        return list(dict.fromkeys(readings))
    return [NameKeys(f, g) for f, g in latin_name_keys(text)]


def query_keys(text: str) -> list[NameKeys]:
    """The readings of what a user typed in the search box, most likely first.

    A whole name gives (surname, given name) readings; a single Hangul word that is a surname
    searches by surname only; a single word that is not gives a given-name-only reading.
    """
    text = nfc(text).strip()
    if not text:
        return []
    words = text.split()
    if len(words) == 1 and not _hangul(text):
        key = latin_key(text)
        return [NameKeys(key, ""), NameKeys("", key)]
    readings = _readings(text)
    if len(words) == 1 and 2 <= len(text) <= 3:
        # 선권 may be a whole name (선 권) or a given name alone.
        readings.append(NameKeys("", hangul_key(south_form(text))))
    return [_cut(k) for k in dict.fromkeys(readings)]


def place_key(text: str) -> str:
    """The gazetteer's key of a hometown as written (1945 or today's name), or ''."""
    if not text.strip():
        return ""
    return (canonical_place_key(text) or "")[:200]


def set_keys(person: Person) -> Person:
    """Compute the search keys from the names and hometown (call before every save)."""
    keys = person_keys(person.family_name, person.given_name, person.name_latin, person.full_name)
    person.family_key, person.given_key, person.name_key = (
        keys.family_key,
        keys.given_key,
        keys.name_key,
    )
    person.hometown_key = place_key(person.hometown)
    if person.birth_date and person.birth_date[:4].isdigit():
        person.birth_year = int(person.birth_date[:4])
    elif not person.birth_date:
        person.birth_year = None
    return person
