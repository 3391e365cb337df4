"""The two orthographies: the South's initial-sound rule (두음법칙) and its absence in the North.

한글 맞춤법 (South, 1988) articles 10–12: at the start of a word
- article 10: 녀 뇨 뉴 니 → 여 요 유 이 (ㄴ before ㅕ ㅛ ㅠ ㅣ becomes ㅇ);
- article 11: 랴 려 례 료 류 리 → 야 여 예 요 유 이 (ㄹ before ㅑ ㅕ ㅖ ㅛ ㅠ ㅣ becomes ㅇ),
  and, inside a word, 렬 and 률 after a vowel or ㄴ are written 열 and 율 (나열, 비율, 선율);
- article 12: 라 래 로 뢰 루 르 → 나 내 노 뇌 누 느 (ㄹ before ㅏ ㅐ ㅗ ㅚ ㅜ ㅡ becomes ㄴ).
The tail consonant is kept (력 → 역, 룡 → 용, 림 → 임, 량 → 양).
The North's 조선말 규범집 writes the sounds as they are: 리선권, 로동, 렬사, 규렬.

Matching uses the South form as the canonical one: a North spelling maps to exactly one South
spelling, while a South spelling may have come from several North ones (이 from 이 or 리).
"""

from __future__ import annotations

from functools import lru_cache

from .hangul import VOWELS, compose, decompose, is_syllable, nfc

_L_N, _L_R, _L_O = 2, 5, 11  # lead indexes of ㄴ, ㄹ, ㅇ
_R_TO_O = {VOWELS.index(v) for v in "ㅑㅕㅖㅛㅠㅣ"}  # article 11
_N_TO_O = {VOWELS.index(v) for v in "ㅕㅛㅠㅣ"}  # article 10
_R_TO_N = {VOWELS.index(v) for v in "ㅏㅐㅗㅚㅜㅡ"}  # article 12
_YEO, _YU = VOWELS.index("ㅕ"), VOWELS.index("ㅠ")
_TAIL_L = 8  # tail index of ㄹ (렬, 률)
_TAIL_N = 4  # tail index of ㄴ


def south_initial(syllable: str) -> str:
    """The South's spelling of one word-initial syllable (리 → 이, 로 → 노, 녀 → 여)."""
    if not is_syllable(syllable):
        return syllable
    s = decompose(syllable)
    if (s.lead == _L_R and s.vowel in _R_TO_O) or (s.lead == _L_N and s.vowel in _N_TO_O):
        return compose(_L_O, s.vowel, s.tail)
    if s.lead == _L_R and s.vowel in _R_TO_N:
        return compose(_L_N, s.vowel, s.tail)
    return syllable


def _after_vowel_or_n(previous: str) -> bool:
    if not is_syllable(previous):
        return False
    tail = decompose(previous).tail
    return tail in (0, _TAIL_N)


@lru_cache(maxsize=1 << 16)  # names and place words repeat: each is spelled once
def south_form(word: str) -> str:
    """A word as the South writes it: the initial-sound rule on its first syllable, and
    렬/률 → 열/율 after a vowel or ㄴ inside it (규렬 → 규열, 선률 → 선율, but 정렬 stays)."""
    chars = list(nfc(word))
    for i, char in enumerate(chars):
        if not is_syllable(char):
            continue
        if i == 0 or not is_syllable(chars[i - 1]):
            chars[i] = south_initial(char)
            continue
        s = decompose(char)
        if (
            s.lead == _L_R
            and s.vowel in (_YEO, _YU)
            and s.tail == _TAIL_L
            and _after_vowel_or_n(chars[i - 1])
        ):
            chars[i] = compose(_L_O, s.vowel, s.tail)
    return "".join(chars)


def north_initials(syllable: str) -> list[str]:
    """The spellings the North may use for a syllable the South writes word-initially:
    이 → [이, 리, 니]; 노 → [노, 로]; 여 → [여, 려, 녀]. The South form comes first."""
    if not is_syllable(syllable):
        return [syllable]
    s = decompose(syllable)
    out = [syllable]
    if s.lead == _L_O and s.vowel in _R_TO_O:
        out.append(compose(_L_R, s.vowel, s.tail))
    if s.lead == _L_O and s.vowel in _N_TO_O:
        out.append(compose(_L_N, s.vowel, s.tail))
    if s.lead == _L_N and s.vowel in _R_TO_N:
        out.append(compose(_L_R, s.vowel, s.tail))
    return out


def canonical_name(family_name: str, given_name: str) -> tuple[str, str]:
    """Both sides' spellings of a person's name mapped to one form: the South form of the
    surname and of the given name, each taken as a word (리선권 → 이선권, 림로동 → 임노동)."""
    return south_form(family_name), south_form(given_name)
