import pytest

from panmun.korean.orthography import canonical_name, north_initials, south_form, south_initial


@pytest.mark.parametrize(
    ("north", "south"),
    [
        # article 10: 녀 뇨 뉴 니 → 여 요 유 이
        ("녀자", "여자"),
        ("뇨소", "요소"),
        ("뉴대", "유대"),
        ("니토", "이토"),
        # article 11: 랴 려 례 료 류 리 → 야 여 예 요 유 이
        ("량심", "양심"),
        ("력사", "역사"),
        ("례의", "예의"),
        ("료리", "요리"),
        ("류행", "유행"),
        ("리론", "이론"),
        # article 12: 라 래 로 뢰 루 르 → 나 내 노 뇌 누 느
        ("락원", "낙원"),
        ("래일", "내일"),
        ("로동", "노동"),
        ("뢰성", "뇌성"),
        ("루각", "누각"),
        ("릉묘", "능묘"),
    ],
)
def test_initial_sound_rule(north, south):
    assert south_form(north) == south


@pytest.mark.parametrize(
    ("word", "south"),
    [
        ("규렬", "규열"),  # 렬 after a vowel
        ("선률", "선율"),  # 률 after ㄴ
        ("비률", "비율"),
        ("정렬", "정렬"),  # after ㅇ: stays
        ("합격률", "합격률"),  # after ㄱ: stays
        ("리규렬", "이규열"),
    ],
)
def test_ryeol_ryul_after_a_vowel_or_n(word, south):
    assert south_form(word) == south


def test_only_the_first_syllable_of_a_word():
    assert south_form("로력") == "노력"  # the second 력 is not word-initial
    assert south_form("선로") == "선로"


def test_words_that_the_rule_does_not_touch():
    for word in ("김정은", "라디오"[1:], "러시아", "박", ""):
        assert south_form(word) == word


def test_tail_consonant_is_kept():
    assert [south_initial(c) for c in "력룡림량렴륙"] == list("역용임양염육")


@pytest.mark.parametrize(
    ("family", "given", "canonical"),
    [
        ("리", "선권", ("이", "선권")),  # the North's chief delegate at the liaison office
        ("이", "선권", ("이", "선권")),
        ("림", "광혁", ("임", "광혁")),
        ("류", "정희", ("유", "정희")),
        ("로", "동수", ("노", "동수")),
        ("라", "혜영", ("나", "혜영")),
        ("량", "철", ("양", "철")),
        ("려", "운형", ("여", "운형")),
        ("렴", "순", ("염", "순")),
        ("륙", "영수", ("육", "영수")),
        ("룡", "재", ("용", "재")),
        ("김", "류미", ("김", "유미")),
    ],
)
def test_both_sides_meet_in_one_canonical_name(family, given, canonical):
    assert canonical_name(family, given) == canonical


def test_traps_are_unchanged():
    # 兪 is 유 on both sides; 任 is 임 on both sides: the rule leaves them as they are.
    assert south_form("유") == "유" and south_form("임") == "임"


@pytest.mark.parametrize(
    ("south", "north"),
    [
        ("이", ["이", "리", "니"]),
        ("노", ["노", "로"]),
        ("여", ["여", "려", "녀"]),
        ("양", ["양", "량"]),
        ("김", ["김"]),
    ],
)
def test_north_spellings_of_a_south_initial(south, north):
    assert north_initials(south) == north
    assert all(south_initial(n) == south for n in north)
