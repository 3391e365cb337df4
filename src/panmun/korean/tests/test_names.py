from panmun.korean.names import latin_name_keys, split_latin_name


def test_surname_first_and_last():
    # Gwon is a surname too (權): both readings, the surname-first one first.
    assert split_latin_name("Ri Son Gwon") == [("Ri", "Son Gwon"), ("Gwon", "Ri Son")]
    assert split_latin_name("Ri Son Hui") == [("Ri", "Son Hui")]
    assert split_latin_name("Sun-kwon Lee") == [("Lee", "Sun-kwon")]
    assert split_latin_name("Lee, Sun-kwon") == [("Lee", "Sun-kwon")]


def test_both_ends_surnames_give_both_readings():
    assert split_latin_name("Kim Han") == [("Kim", "Han"), ("Han", "Kim")]


def test_single_and_empty():
    assert split_latin_name("Kim") == [("Kim", "")]
    assert split_latin_name("  ") == []


def test_keys():
    assert latin_name_keys("Ri Son Gwon")[0] == ("I", "SONKWON")


def test_with_two_surname_readings_the_commoner_surname_leads():
    # 명 is a surname too, but 김 is far commoner: "Myung Sam Gim" is 김명삼.
    assert split_latin_name("Myung Sam Gim")[0] == ("Gim", "Myung Sam")
    assert split_latin_name("Ri Son Gwon")[0] == ("Ri", "Son Gwon")
