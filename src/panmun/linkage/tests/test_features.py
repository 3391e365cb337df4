from panmun.linkage.features import FEATURE_COLUMNS, features
from panmun.linkage.records import parse

HEADER = (
    "record_id,family_name,given_name,name_latin,sex,birth_date,birth_calendar,birthplace,"
    "father_name\n"
)


def one(row: str) -> dict:
    (record,) = parse(HEADER + row + "\n", "x.csv")
    result = features(record)
    assert tuple(result) == FEATURE_COLUMNS
    return result


def test_north_and_south_spellings_meet():
    north = one("N1,리,선권,,M,1946-03-05,solar,개성,")
    south = one("S1,이,선권,,M,1946-03-05,solar,개풍군,")
    for column in (
        "family_canonical",
        "given_canonical",
        "family_jamo",
        "given_jamo",
        "family_key",
        "given_key",
        "birth_dates",
        "birthplace_key",
    ):
        assert north[column] == south[column], column
    assert north["family_canonical"] == "이"


def test_a_romanized_only_record_gets_the_same_name_keys():
    hangul = one("S1,이,선권,,,,,,")
    latin = one("N1,,,Ri Son Gwon,,,,,")
    passport = one("N2,,,Sun-kwon Lee,,,,,")
    assert (latin["family_key"], latin["given_key"]) == (hangul["family_key"], hangul["given_key"])
    assert passport["family_key"] == hangul["family_key"]
    assert passport["given_key"] == hangul["given_key"]
    assert latin["family_jamo"] is None


def test_unknown_calendar_gives_both_dates():
    result = one("S1,김,영철,,,1950-01-01,,,")
    assert result["birth_dates"] == ["1950-01-01", "1950-02-17"]  # solar, and lunar 1/1


def test_partial_birth_dates():
    result = one("S1,김,영철,,,1950,,,")
    assert (result["birth_year"], result["birth_month"], result["birth_dates"]) == (
        1950,
        None,
        None,
    )


def test_father_in_either_orthography():
    assert (
        one("S1,,,,,,,,리문호")["father_canonical"] == one("S2,,,,,,,,이문호")["father_canonical"]
    )


def test_old_and_new_place_names_meet():
    assert one("S1,,,,,,,성진,")["birthplace_key"] == one("S2,,,,,,,김책시,")["birthplace_key"]
    assert (
        one("S1,,,,,,,함경남도 혜산군,")["birthplace_key"]
        == one("S2,,,,,,,량강도 혜산시,")["birthplace_key"]
    )


def test_a_whole_name_in_the_surname_column_is_split():
    result = one("S1,남궁민수,,,,,,,")
    assert (result["family_canonical"], result["given_canonical"]) == ("남궁", "민수")


def test_the_fathers_key_is_his_given_name_and_the_initial_is_the_first_syllable():
    south = one("S1,이,선권,,,,,,이문호")
    north = one("N1,,,Ri Son-gwon,,,,,리문호")
    assert south["father_key"] == north["father_key"] == "MONHO"
    assert south["given_initial"] == north["given_initial"] == "SON"
    assert one("S2,,,Lee Sunkwon,,,,,")["given_initial"] is None  # syllables not written apart


def test_birthplace_areas():
    assert one("S1,,,,,,,함경북도,")["birthplace_areas"] == [
        "hamgyong_bukdo",
        "rason",
        "ryanggang_do",
    ]
