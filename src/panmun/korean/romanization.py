"""Korean in Latin letters, both ways.

Forward: Revised Romanization (the South's, 2000) through the `koroman` package, with the rule
for personal names (no sound changes between the syllables of a name: 한복남 → Han Boknam), and
McCune–Reischauer and the North's own system (조선말의 라틴문자표기법, 1992, revised 2002) as
used for names, written without breves the way names are printed (리선권 → Ri Son Gwon).

Backward: a name written in Latin letters in any system or passport spelling ("Ri Son Gwon",
"Lee Sun-kwon", "Yi Seon-gwon") cannot be turned back into one Hangul spelling, but it can be
reduced to a romanization-neutral key, and Hangul can be reduced to the same key: consonants by
place (ㄱ/ㅋ/ㄲ → K), vowels by the letters that spell them interchangeably (ㅓ/ㅗ/ㅜ/ㅡ → O,
since 선 is written Seon, Son, Sŏn and Sun), after the South's initial-sound rule on both sides.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from koroman import romanize as _koroman  # type: ignore[import-untyped]

from .hangul import LEADS, TAILS, VOWELS, decompose, is_syllable, nfc
from .orthography import south_form

# --- the neutral key ------------------------------------------------------------------------

_LEAD_CLASS = dict(
    zip(
        LEADS,
        [
            "K",
            "K",
            "N",
            "T",
            "T",
            "L",
            "M",
            "P",
            "P",
            "S",
            "S",
            "",
            "J",
            "J",
            "J",
            "K",
            "T",
            "P",
            "H",
        ],
        strict=True,
    )
)
_VOWEL_CLASS = dict(
    zip(
        VOWELS,
        [
            "A",
            "E",
            "YA",
            "YE",
            "O",
            "E",
            "YO",
            "YE",
            "O",
            "WA",
            "WE",
            "WE",
            "YO",
            "O",
            "WO",
            "WE",
            "WI",
            "YO",
            "O",
            "I",
            "I",
        ],
        strict=True,
    )
)
_TAIL_CLASS = {"": ""}
for _tails, _cls in (
    ("ㄱㄲㄳㅋㄺ", "K"),
    ("ㄴㄵㄶ", "N"),
    ("ㄷㅅㅆㅈㅊㅌㅎ", "T"),
    ("ㄹㄼㄽㄾㅀ", "L"),
    ("ㅁㄻ", "M"),
    ("ㅂㅄㅍㄿ", "P"),
    ("ㅇ", "NG"),
):
    for _t in _tails:
        _TAIL_CLASS[_t] = _cls
assert set(_TAIL_CLASS) == set(TAILS)


# ㄹ before a vowel is the sound the two orthographies and the romanizations disagree on most:
# 석렬 is Sok-ryol, Seok-ryeol, Sokryol or Seok-yeol, and a syllable written apart in Latin
# letters ("Ryol") looks word-initial. The key drops an L before a vowel, on both sides.
_LIQUID_BEFORE_VOWEL = re.compile(r"L(?=[AEIOUWY])")


def _fold_liquids(key: str) -> str:
    return _LIQUID_BEFORE_VOWEL.sub("", key)


@lru_cache(maxsize=1 << 16)
def hangul_key(text: str) -> str:
    """The neutral key of Hangul text, word by word, in the South's spelling (리선권 → ISONKWON)."""
    out: list[str] = []
    for word in nfc(text).split():
        for char in south_form(word):
            if is_syllable(char):
                s = decompose(char)
                out.append(
                    _LEAD_CLASS[LEADS[s.lead]]
                    + _VOWEL_CLASS[VOWELS[s.vowel]]
                    + _TAIL_CLASS[TAILS[s.tail]]
                )
    return _fold_liquids("".join(out))


# Latin spellings, longest first. Vowels are read before consonants at each position.
_LATIN_VOWELS = [
    ("wae", "WE"),
    ("wai", "WE"),
    ("weo", "WO"),
    ("woo", "O"),
    ("wo", "WO"),
    ("wu", "O"),
    ("wa", "WA"),
    ("we", "WE"),
    ("wee", "WI"),
    ("wi", "WI"),
    ("oe", "WE"),
    ("oi", "WE"),
    ("eui", "I"),
    ("ui", "I"),
    ("yae", "YE"),
    ("yai", "YE"),
    ("ye", "YE"),
    ("yeo", "YO"),
    ("yoo", "YO"),
    ("you", "YO"),
    ("yo", "YO"),
    ("yu", "YO"),
    ("ya", "YA"),
    ("yi", "I"),
    ("ae", "E"),
    ("ai", "E"),
    ("ay", "E"),
    ("eo", "O"),
    ("eu", "O"),
    ("oo", "O"),
    ("ou", "O"),
    ("ee", "I"),
    ("a", "A"),
    ("e", "E"),
    ("i", "I"),
    ("o", "O"),
    ("u", "O"),
    ("y", "I"),
]
_LATIN_VOWELS.sort(key=lambda pair: -len(pair[0]))
_LATIN_CONSONANTS = [
    ("tch", "J"),
    ("ng", "NG"),
    ("ch", "J"),
    ("jj", "J"),
    ("kk", "K"),
    ("gg", "K"),
    ("kh", "K"),
    ("tt", "T"),
    ("dd", "T"),
    ("th", "T"),
    ("pp", "P"),
    ("bb", "P"),
    ("ph", "P"),
    ("ss", "S"),
    ("sh", "S"),
    ("rh", "L"),
    ("ll", "L"),
    ("j", "J"),
    ("k", "K"),
    ("g", "K"),
    ("c", "K"),
    ("q", "K"),
    ("t", "T"),
    ("d", "T"),
    ("p", "P"),
    ("b", "P"),
    ("f", "P"),
    ("v", "P"),
    ("s", "S"),
    ("x", "S"),
    ("z", "J"),
    ("h", "H"),
    ("m", "M"),
    ("n", "N"),
    ("l", "L"),
    ("r", "L"),
]
_VOWEL_START = re.compile(r"^(?:[aeiou]|w[aeiou]|y[aeiou])")


def _fold(text: str) -> str:
    """Lower case, breves and other marks removed (ŏ → o, ŭ → u), apostrophes dropped."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("'", "")


# Spellings that no system has but passports and old records do: an h after the first
# consonant (Ghim, Jhang, Bhak), a doubled letter at the end (Shinn, Ahnn, Kimm), and Yee for
# 이 (ee is ㅣ, as in Lee, Kee, Hee; not before a vowel: Yeeun is 예은).
_SPELLING_ONLY = [
    (re.compile(r"^([gjdb])h"), r"\1"),
    (re.compile(r"([nmlk])\1$"), r"\1"),
    (re.compile(r"yee(?![aeiou])"), "yi"),
]


def _latin_word_key(word: str, *, initial: bool = True) -> str:
    for pattern, replacement in _SPELLING_ONLY:
        word = pattern.sub(replacement, word)
    # The South's initial-sound rule, as it shows in Latin: Ri/Lee/Rhee/Ryu → I/Yu,
    # Ro/Roh/Ra → No/Na (the same rule hangul_key applies through south_form), at the start
    # of a word only: the later syllables of a name written apart ("Sok Ryol") are not.
    before_i = re.match(r"^(rh|r|l|n)(?=y|i|ee)", word) if initial else None
    before_other = re.match(r"^(rh|r|l)(?=[aeouw])", word) if initial else None
    if before_i:
        word = word[len(before_i.group(1)) :]
    elif before_other:
        word = "n" + word[len(before_other.group(1)) :]
    out: list[str] = []
    i = 0
    while i < len(word):
        rest = word[i:]
        for spelling, cls in _LATIN_VOWELS:
            if rest.startswith(spelling):
                out.append(cls)
                i += len(spelling)
                break
        else:
            for spelling, cls in _LATIN_CONSONANTS:
                if rest.startswith(spelling):
                    after = word[i + len(spelling) :]
                    after_vowel = bool(out) and out[-1][-1] in "AEIOU"
                    before_vowel = bool(_VOWEL_START.match(after))
                    # A silent r or h after a vowel (Park, Hur, Oh, Ahn, Uhm) is not a sound.
                    if spelling in ("r", "h") and after_vowel and not before_vowel:
                        pass
                    else:
                        out.append(cls)
                    i += len(spelling)
                    break
            else:
                i += 1  # a character no romanization uses
    return "".join(out)


@lru_cache(maxsize=1 << 16)
def latin_key(text: str) -> str:
    """The neutral key of a romanized text (Ri Son Gwon → ISONKWON, Lee Sun-kwon → ISONKWON).
    Words and hyphenated parts are keyed separately and joined in the order given."""
    parts = [p for p in re.split(r"[\s\-.,·]+", _fold(text)) if p]
    return _fold_liquids("".join(_latin_word_key(p, initial=i == 0) for i, p in enumerate(parts)))


def text_key(text: str) -> str:
    """The neutral key of any name text, Hangul or Latin."""
    text = nfc(text)
    if any(is_syllable(c) for c in text):
        return hangul_key(text)
    return latin_key(text)


# --- forward ----------------------------------------------------------------------------------


def rr(text: str) -> str:
    """Revised Romanization of a word or place, with its sound changes (종로 → jongno)."""
    return str(_koroman(nfc(text), use_pronunciation_rules=True))


def rr_given_name(given: str) -> str:
    """A given name in Revised Romanization: syllable by syllable, no sound changes, with the
    hyphen the rules allow after the first syllable (선권 → Seon-gwon, 복남 → Bok-nam)."""
    syllables = [
        str(_koroman(c, use_pronunciation_rules=False)) for c in nfc(given) if is_syllable(c)
    ]
    if not syllables:
        return ""
    return (syllables[0] + "-" + "".join(syllables[1:])).rstrip("-").capitalize()


# McCune–Reischauer for names, and the North's 1992 system as names are printed (no breves).
_MR_VOWELS = dict(
    zip(
        VOWELS,
        [
            "a",
            "ae",
            "ya",
            "yae",
            "ŏ",
            "e",
            "yŏ",
            "ye",
            "o",
            "wa",
            "wae",
            "oe",
            "yo",
            "u",
            "wŏ",
            "we",
            "wi",
            "yu",
            "ŭ",
            "ŭi",
            "i",
        ],
        strict=True,
    )
)
_MR_LEAD_PLAIN = dict(
    zip(
        LEADS,
        [
            "k",
            "kk",
            "n",
            "t",
            "tt",
            "r",
            "m",
            "p",
            "pp",
            "s",
            "ss",
            "",
            "ch",
            "tch",
            "ch'",
            "k'",
            "t'",
            "p'",
            "h",
        ],
        strict=True,
    )
)
_MR_LEAD_VOICED = {**_MR_LEAD_PLAIN, "ㄱ": "g", "ㄷ": "d", "ㅂ": "b", "ㅈ": "j"}
_MR_TAILS = {
    t: c
    for tails, c in (
        ("ㄱㄲㄳㅋㄺ", "k"),
        ("ㄴㄵㄶ", "n"),
        ("ㄷㅅㅆㅈㅊㅌㅎ", "t"),
        ("ㄹㄼㄽㄾㅀ", "l"),
        ("ㅁㄻ", "m"),
        ("ㅂㅄㅍㄿ", "p"),
        ("ㅇ", "ng"),
    )
    for t in tails
}
_MR_TAILS[""] = ""


def _mr_syllables(word: str, *, north: bool) -> list[str]:
    out: list[str] = []
    previous_tail: str | None = None
    for index, char in enumerate(c for c in nfc(word) if is_syllable(c)):
        s = decompose(char)
        lead, vowel, tail = LEADS[s.lead], VOWELS[s.vowel], TAILS[s.tail]
        voiced = index > 0 and previous_tail in ("", "ㄴ", "ㅁ", "ㅇ", "ㄹ")
        consonant = (_MR_LEAD_VOICED if voiced else _MR_LEAD_PLAIN)[lead]
        if lead == "ㄹ" and index == 0 and not north:
            consonant = "r"
        if north:  # the North writes aspirates without apostrophes as printed in names
            consonant = consonant.replace("'", "")
        out.append(consonant + _MR_VOWELS[vowel] + _MR_TAILS[tail])
        previous_tail = tail
    return out


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def mr_given_name(given: str, *, breves: bool = True) -> str:
    """A given name in McCune–Reischauer (선권 → Sŏn-gwŏn)."""
    parts = _mr_syllables(given, north=False)
    name = "-".join(parts).capitalize()
    return name if breves else _plain(name)


def north_name(family: str, given: str) -> str:
    """A name as the North prints it in Latin letters: its own spelling, syllables of the given
    name as separate capitalised words, no breves (리선권 → Ri Son Gwon, 김영철 → Kim Yong Chol)."""
    surname = "".join(_mr_syllables(family, north=True)).capitalize()
    given_parts = [p.capitalize() for p in _mr_syllables(given, north=True)]
    return _plain(" ".join([surname, *given_parts]))
