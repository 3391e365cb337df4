import datetime as dt

import pytest

from panmun.korean.calendars import Calendar
from panmun.linkage.records import InputError, decode, parse, read

HEADER = (
    "record_id,family_name,given_name,name_latin,sex,birth_date,birth_calendar,birthplace,"
    "father_name\n"
)


def problems(text: str) -> list[tuple[int, str]]:
    with pytest.raises(InputError) as exc:
        parse(text, "sought.csv")
    assert all(p.file == "sought.csv" for p in exc.value.problems)
    return [(p.row, p.field) for p in exc.value.problems]


def test_a_good_file():
    records = parse(
        HEADER + "S1,리,선권,Ri Son Gwon,M,1946-03-05,lunar,개성,리문호\n"
        "S2,,,Lee Sun-kwon,,1946,,,\n",
        "sought.csv",
    )
    first, second = records
    assert (first.record_id, first.family_name, first.given_name) == ("S1", "리", "선권")
    assert first.birth_calendar == Calendar.LUNAR and first.birth.year == 1946
    assert (second.birth.year, second.birth.month, second.sex) == (1946, None, "")
    assert second.row == 3


def test_only_record_id_is_required():
    assert [r.record_id for r in parse("record_id\nA\nB\n", "x.csv")] == ["A", "B"]


def test_missing_record_id_column():
    assert problems("id,family_name\n1,김\n") == [(1, "record_id")]


def test_duplicate_ids_name_both_rows():
    with pytest.raises(InputError) as exc:
        parse("record_id\nA\nB\nA\n", "x.csv")
    assert str(exc.value) == (
        "x.csv row 4 record_id: 'A' is used again (first at row 2)"
        " / 'A'이(가) 다시 나옵니다(처음은 2행)"
    )


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("S1,,,,X,,,,", "sex"),
        ("S1,,,,,1950-13,,,", "birth_date"),
        ("S1,,,,,1950/03/01,,,", "birth_date"),
        ("S1,,,,,50-03-01,,,", "birth_date"),
        ("S1,,,,,1950-02-30,solar,,", "birth_date"),  # no 30 February
        ("S1,,,,,1950-02-31,lunar,,", "birth_date"),  # no lunar month has 31 days
        ("S1,,,,,1950-03-01,julian,,", "birth_calendar"),
        (",김,,,,,,,", "record_id"),
    ],
)
def test_each_bad_value_is_named(row, column):
    assert problems(HEADER + row + "\n") == [(2, column)]


def test_every_problem_is_listed():
    text = HEADER + "S1,,,,X,,,,\nS2,,,,,1950-13,,,\nS1,,,,,,,,\n"
    assert problems(text) == [(2, "sex"), (3, "birth_date"), (4, "record_id")]


def test_unknown_calendar_accepts_a_date_valid_in_either_reading():
    # 1940-02-30 is no solar date but a lunar one: with the calendar unknown it is kept.
    (record,) = parse(HEADER + "S1,,,,,1940-02-30,,,\n", "x.csv")
    assert record.birth_calendar == Calendar.UNKNOWN


def test_cp949_files_are_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes((HEADER + "S1,김,영철,,M,1950-01-01,solar,평양,\n").encode("cp949"))
    records, encoding = read(path)
    assert encoding == "cp949" and records[0].given_name == "영철"


def test_utf8_with_bom(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(("\ufeff" + HEADER + "S1,김,,,,,,,\n").encode("utf-8"))
    records, encoding = read(path)
    assert encoding == "utf-8-sig" and records[0].family_name == "김"


def test_undecodable_bytes_name_the_row():
    data = HEADER.encode() + b"S1,\xff\xfe\xff,,,,,,,\n"
    with pytest.raises(InputError) as exc:
        decode(data, "bad.csv")
    assert [(p.row, p.file) for p in exc.value.problems] == [(2, "bad.csv")]


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as exc:
        read(tmp_path / "none.csv")
    assert "cannot be read" in str(exc.value)


def test_empty_file():
    assert problems("") == [(0, "")]


def test_dates_stay_partial():
    (record,) = parse("record_id,birth_date\nA,1950-03\n", "x.csv")
    assert (record.birth.year, record.birth.month, record.birth.day) == (1950, 3, None)
    assert dt.date(1950, 3, 1).year == record.birth.year


# --- the fast path agrees with the reference reader --------------------------------------------


def _both(tmp_path, data: bytes, name: str = "list.csv"):
    from panmun.linkage.features import feature_table
    from panmun.linkage.profiles import KOREAN
    from panmun.linkage.records import read_table

    path = tmp_path / name
    path.write_bytes(data)
    fast = feature_table(read_table(path), KOREAN.schema())
    reference = KOREAN.table(read(path)[0])
    return fast, reference


def test_the_column_reader_gives_what_the_row_reader_gives(tmp_path):
    from .test_engine import generate

    south, north, _ = generate(n=120, seed=5)
    for text in (south, north):
        fast, reference = _both(tmp_path, text.encode("utf-8"))
        assert fast.equals(reference)


@pytest.mark.parametrize(
    "text",
    [
        # blank lines, a row of commas, a short row
        HEADER + "S1,리,선권,,M,1946-03-05,lunar,개성,리문호\n\n,,,,,,,,\nS2,이,선권\n",
        HEADER + 'S1,"리","선권","Ri\nSon Gwon",m, 1946-03-05 ,음력,개성,\n',  # quotes, newline
        "Father_Name,record_id,birth_date\n이문호,S1,1946\n리문호,S2,1946-02\n",  # any order
        "record_id\nA\nB\n",  # only the ids
        "\ufeff" + HEADER + "S1,김,영철,,F,1950-01-01,,평양,\n",  # a BOM, unknown calendar
    ],
)
def test_odd_but_good_files_read_alike(tmp_path, text):
    fast, reference = _both(tmp_path, text.encode("utf-8"))
    assert fast.equals(reference)


def test_cp949_reads_alike(tmp_path):
    fast, reference = _both(tmp_path, (HEADER + "S1,리,선권,,M,1946,,함흥,\n").encode("cp949"))
    assert fast.equals(reference)
    assert fast.column("family_key").to_pylist() == ["I"]


@pytest.mark.parametrize(
    "text",
    [
        HEADER + "S1,,,,X,,,,\n",
        HEADER + "S1,,,,,1950-02-30,solar,,\nS1,,,,,,,,\n",
        HEADER + "S1,,,,,1950-02-03,juche,,\n",
        "id,name\n1,x\n",
    ],
)
def test_bad_files_get_the_reference_problems(tmp_path, text):
    from panmun.linkage.records import read_table

    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as fast:
        read_table(path)
    with pytest.raises(InputError) as reference:
        read(path)
    assert fast.value.problems == reference.value.problems
