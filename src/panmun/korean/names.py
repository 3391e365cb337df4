"""Whole names: which part is the surname, in Hangul or in Latin letters."""

from __future__ import annotations

import re

from .hangul import nfc
from .romanization import latin_key
from .surnames import by_latin


def split_latin_name(text: str) -> list[tuple[str, str]]:
    """The readings (surname, given name) of a romanized full name, most likely first.

    "Ri Son Gwon" and "Lee, Sun-kwon" are surname first; "Sun-kwon Lee" is surname last.
    A comma marks the surname; otherwise the token found in the surname table decides, and when
    both ends are surnames (Kim Yang, Han Song) both readings are returned, the one with the
    commoner surname first.
    """
    text = nfc(text)
    if "," in text:
        family, _, given = text.partition(",")
        return [(family.strip(), given.strip())]
    tokens = [t for t in re.split(r"\s+", text) if t]
    if not tokens:
        return []
    if len(tokens) == 1:
        return [(tokens[0], "")]
    first, last = tokens[0], tokens[-1]
    first_known, last_known = bool(by_latin(first)), bool(by_latin(last))
    surname_first = (first, " ".join(tokens[1:]))
    surname_last = (last, " ".join(tokens[:-1]))
    if last_known and not first_known:
        return [surname_last]
    if first_known and last_known:
        # Both ends are surnames: the commoner surname first ("Myung Sam Gim" is 김명삼, since
        # 김 is far commoner than 명), and surname first when they are as common.
        if _rank(last) < _rank(first):
            return [surname_last, surname_first]
        return [surname_first, surname_last]
    return [surname_first]


def _rank(token: str) -> int:
    ranks = [s.rank_2015 for s in by_latin(token) if s.rank_2015 is not None]
    return min(ranks, default=10_000)


def latin_name_keys(text: str) -> list[tuple[str, str]]:
    """The neutral keys (surname, given name) of each reading of a romanized name."""
    return [(latin_key(f), latin_key(g)) for f, g in split_latin_name(text)]
