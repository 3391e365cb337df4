import unicodedata

import pytest

from panmun.korean import hangul
from panmun.korean.hangul import (
    compose,
    decompose,
    jamo_distance,
    jamo_key,
    jamo_units,
    nfc,
    syllables,
    to_jamo,
)


def test_alphabets_have_their_sizes():
    assert (len(hangul.LEADS), len(hangul.VOWELS), len(hangul.TAILS)) == (19, 21, 28)
    assert len(hangul._LEAD_KEYS) == 19 and len(hangul._VOWEL_KEYS) == 21
    assert len(hangul._TAIL_KEYS) == 28
    keys = set(hangul._LEAD_KEYS) | set(hangul._VOWEL_KEYS) | set(hangul._TAIL_KEYS[1:])
    assert len(keys) == 19 + 21 + 27  # no key shared between the three alphabets


def test_nfc_composes_conjoining_jamo():
    decomposed = unicodedata.normalize("NFD", "리선권")
    assert len(decomposed) == 8
    assert nfc(decomposed) == "리선권"
    assert nfc("  이선권 ") == "이선권"


@pytest.mark.parametrize(
    ("char", "jamo"),
    [("가", "ㄱㅏ"), ("권", "ㄱㅝㄴ"), ("힣", "ㅎㅣㅎ"), ("닭", "ㄷㅏㄺ"), ("리", "ㄹㅣ")],
)
def test_decompose_and_compose_round_trip(char, jamo):
    s = decompose(char)
    assert s.jamo == jamo
    assert compose(s.lead, s.vowel, s.tail) == char


def test_every_syllable_round_trips():
    for code in range(hangul.SYLLABLE_FIRST, hangul.SYLLABLE_LAST + 1):
        s = decompose(chr(code))
        assert compose(s.lead, s.vowel, s.tail) == chr(code)


def test_not_a_syllable():
    with pytest.raises(ValueError):
        decompose("A")
    with pytest.raises(ValueError):
        compose(19, 0)


def test_to_jamo():
    assert to_jamo("이선권") == "ㅇㅣㅅㅓㄴㄱㅝㄴ"
    assert to_jamo("Ri 선권") == "Ri ㅅㅓㄴㄱㅝㄴ"


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("이선권", "리선권", 1),  # North/South surname: one lead consonant
        ("김정숙", "김정순", 1),  # a tail consonant
        ("박영철", "박영칠", 1),  # a vowel
        ("최은정", "최은정", 0),
        ("남궁민", "남민", 3),  # 궁 = ㄱ ㅜ ㅇ
        ("김", "", 3),
    ],
)
def test_jamo_distance(a, b, distance):
    assert jamo_distance(a, b) == distance


def test_lead_and_tail_consonants_differ():
    # 안 (ㅇㅏㄴ) and 나 (ㄴㅏ): the ㄴ is a tail in one and a lead in the other.
    assert "Tㄴ" in jamo_units("안") and "Lㄴ" in jamo_units("나")


def test_jamo_key_is_ascii_one_char_per_jamo():
    key = jamo_key("이선권")
    assert key.isascii() and len(key) == 8
    assert jamo_key("리선권")[1:] == key[1:] and jamo_key("리선권")[0] != key[0]
    assert jamo_key("Ri Son Gwon") == ""


def test_syllables():
    assert syllables("리 선권!") == ["리", "선", "권"]
