import pytest

from panmun.korean.romanization import (
    hangul_key,
    latin_key,
    mr_given_name,
    north_name,
    rr,
    rr_given_name,
    text_key,
)


@pytest.mark.parametrize(
    "spelling",
    [
        "리선권",
        "이선권",
        "Ri Son Gwon",
        "Lee Sun-kwon",
        "Yi Seon-gwon",
        "Rhee Sunkwon",
        "Ri Sŏn-gwŏn",
        "I Seon-gwon",
    ],
)
def test_every_spelling_of_the_norths_chief_delegate_has_one_key(spelling):
    assert text_key(spelling) == hangul_key("이선권") == "ISONKWON"


@pytest.mark.parametrize(
    ("latin", "hangul"),
    [
        ("Park", "박"),
        ("Pak", "박"),
        ("Bak", "박"),
        ("Choi", "최"),
        ("Choe", "최"),
        ("Jung", "정"),
        ("Jeong", "정"),
        ("Chung", "정"),
        ("Jong", "정"),
        ("Kim", "김"),
        ("Gim", "김"),
        ("Yoon", "윤"),
        ("Yun", "윤"),
        ("Lim", "임"),
        ("Rim", "림"),
        ("Im", "임"),
        ("Ryu", "류"),
        ("Yoo", "유"),
        ("Yu", "유"),
        ("Roh", "노"),
        ("Ro", "로"),
        ("Noh", "노"),
        ("Oh", "오"),
        ("Ahn", "안"),
        ("Huh", "허"),
        ("Hur", "허"),
        ("Heo", "허"),
        ("Kwon", "권"),
        ("Gwon", "권"),
        ("Kwak", "곽"),
        ("Uhm", "엄"),
        ("Eom", "엄"),
        ("Shin", "신"),
        ("Baek", "백"),
        ("Paik", "백"),
        ("Woo", "우"),
        ("Won", "원"),
        ("Ryang", "량"),
        ("Yang", "양"),
        ("Namgung", "남궁"),
        ("Hwangbo", "황보"),
        ("Yee", "이"),
    ],
)
def test_surname_spellings_meet_their_hangul(latin, hangul):
    assert latin_key(latin) == hangul_key(hangul)


@pytest.mark.parametrize(
    ("latin", "hangul"),
    [
        ("Yong Chol", "영철"),
        ("Young-chul", "영철"),
        ("Yeong-cheol", "영철"),
        ("Kyung-hee", "경희"),
        ("Gyeong-hui", "경희"),
        ("Eun-jung", "은정"),
        ("Un Jong", "은정"),
        ("Hye-won", "혜원"),
        ("Seung-min", "승민"),
        ("Sung Min", "승민"),
        ("Jae-in", "재인"),
        ("Myoung-gyon", "명균"),
        ("Yeeun", "예은"),  # ee before a vowel is not 이: Yee is
    ],
)
def test_given_name_spellings_meet_their_hangul(latin, hangul):
    assert latin_key(latin) == hangul_key(hangul)


def test_keys_tell_different_names_apart():
    assert hangul_key("김영철") != hangul_key("김영수")
    assert latin_key("Kim Yong Chol") != latin_key("Kim Yong Su")


def test_word_initial_rule_on_both_sides():
    assert hangul_key("로동") == hangul_key("노동") == latin_key("Rodong") == latin_key("Nodong")


def test_rr_uses_koroman_with_sound_changes():
    assert rr("종로") == "jongno"
    assert rr("신라") == "silla"
    assert rr("개성") == "gaeseong"


def test_rr_given_names_have_no_sound_changes():
    assert rr_given_name("선권") == "Seon-gwon"
    assert rr_given_name("복남") == "Bok-nam"
    assert rr_given_name("철") == "Cheol"


def test_mccune_reischauer_given_names():
    assert mr_given_name("선권") == "Sŏn-gwŏn"
    assert mr_given_name("영철") == "Yŏng-ch'ŏl"
    assert mr_given_name("선권", breves=False) == "Son-gwon"


def test_names_as_the_north_prints_them():
    assert north_name("리", "선권") == "Ri Son Gwon"
    assert north_name("김", "영철") == "Kim Yong Chol"
    assert north_name("박", "봉주") == "Pak Pong Ju"


def test_unhyphenated_ng_is_read_as_a_tail():
    # "Seongwon" may be 선권 or 성원; without the hyphen the rules allow, it reads as 성원.
    assert latin_key("Seongwon") == hangul_key("성원")


@pytest.mark.parametrize("latin", ["Sok Ryol", "Sok-ryol", "Sokryol", "Seok-ryeol", "Seok-yeol"])
def test_a_liquid_inside_a_name_meets_every_spelling(latin):
    # 석렬: ㄹ after ㄱ is written r, l or not at all; a syllable written apart is not word-initial.
    assert latin_key(latin) == hangul_key("석렬")


def test_the_initial_sound_rule_applies_to_the_first_syllable_only():
    assert latin_key("Rak Won") == hangul_key("락원") == hangul_key("낙원")
    assert latin_key("Kim Ryong Ho") == hangul_key("김룡호")
