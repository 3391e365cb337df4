"""Hangul: normalisation, syllable ↔ jamo, and an edit distance that counts jamo, not bytes.

A Hangul syllable is built from a lead consonant (19), a vowel (21) and an optional tail
consonant (27), at U+AC00 + (lead × 21 + vowel) × 28 + tail. Comparing names jamo by jamo makes
이선권/리선권 one edit apart (ㅇ → ㄹ), where byte-level functions see three.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

SYLLABLE_FIRST, SYLLABLE_LAST = 0xAC00, 0xD7A3
LEADS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
TAILS: tuple[str, ...] = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
N_VOWELS, N_TAILS = len(VOWELS), len(TAILS)

# One ASCII character per jamo (lead, vowel and tail alphabets kept apart), so that byte-level
# string functions (DuckDB's levenshtein, jaro_winkler) count one edit per jamo.
_LEAD_KEYS = "ABCDEFGHIJKLMNOPQRS"
_VOWEL_KEYS = "abcdefghijklmnopqrstu"
_TAIL_KEYS: tuple[str, ...] = ("", *"0123456789TUVWXYZvwxyz!#$%&")


@dataclass(frozen=True)
class Syllable:
    lead: int
    vowel: int
    tail: int

    @property
    def jamo(self) -> str:
        return LEADS[self.lead] + VOWELS[self.vowel] + TAILS[self.tail]

    @property
    def char(self) -> str:
        return compose(self.lead, self.vowel, self.tail)


def nfc(text: str) -> str:
    """NFC, with conjoining jamo composed into syllables and surrounding space trimmed."""
    return unicodedata.normalize("NFC", text).strip()


def is_syllable(char: str) -> bool:
    return len(char) == 1 and SYLLABLE_FIRST <= ord(char) <= SYLLABLE_LAST


@cache  # at most the 11,172 syllables (and whatever else is asked, refused)
def decompose(char: str) -> Syllable:
    """The lead, vowel and tail indexes of one Hangul syllable."""
    if not is_syllable(char):
        raise ValueError(f"not a Hangul syllable: {char!r}")
    index = ord(char) - SYLLABLE_FIRST
    return Syllable(index // (N_VOWELS * N_TAILS), (index // N_TAILS) % N_VOWELS, index % N_TAILS)


def compose(lead: int, vowel: int, tail: int = 0) -> str:
    if not (0 <= lead < len(LEADS) and 0 <= vowel < N_VOWELS and 0 <= tail < N_TAILS):
        raise ValueError(f"no such syllable: lead={lead} vowel={vowel} tail={tail}")
    return chr(SYLLABLE_FIRST + (lead * N_VOWELS + vowel) * N_TAILS + tail)


def to_jamo(text: str) -> str:
    """Each syllable as its compatibility jamo (이선권 → ㅇㅣㅅㅓㄴㄱㅝㄴ); other text as is."""
    return "".join(decompose(c).jamo if is_syllable(c) else c for c in nfc(text))


def jamo_units(text: str) -> list[str]:
    """The jamo of `text` as separate units, with lead and tail consonants kept apart
    (a lead ㄴ and a tail ㄴ are different units). Non-Hangul letters are units of their own;
    spaces and punctuation are dropped."""
    units: list[str] = []
    for char in nfc(text):
        if is_syllable(char):
            s = decompose(char)
            units.append("L" + LEADS[s.lead])
            units.append("V" + VOWELS[s.vowel])
            if s.tail:
                units.append("T" + TAILS[s.tail])
        elif char.isalnum():
            units.append(char.lower())
    return units


def jamo_key(text: str) -> str:
    """An ASCII string with one character per jamo, for byte-level comparison in SQL.
    Only Hangul syllables contribute; anything else is dropped."""
    out: list[str] = []
    for char in nfc(text):
        if is_syllable(char):
            s = decompose(char)
            out.append(_LEAD_KEYS[s.lead] + _VOWEL_KEYS[s.vowel] + _TAIL_KEYS[s.tail])
    return "".join(out)


def edit_distance(a: list[str], b: list[str]) -> int:
    """Levenshtein distance between two sequences."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def jamo_distance(a: str, b: str) -> int:
    """Edits between two texts counted in jamo: 이선권 ~ 리선권 = 1, 김정숙 ~ 김정순 = 1."""
    return edit_distance(jamo_units(a), jamo_units(b))


def syllables(text: str) -> list[str]:
    """The Hangul syllables of `text`, in order (spaces and other characters dropped)."""
    return [c for c in nfc(text) if is_syllable(c)]
