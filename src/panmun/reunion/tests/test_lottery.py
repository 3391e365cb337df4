"""The selection lottery (panmun.reunion.lottery) and `panmun reunion draw|verify-draw`.

The draw is checked against an independent implementation written here from the scheme's text
(the csv module, hmac.new, math.log, sorted), never against the module's own functions, and
against a known-answer vector. No database is needed.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import math
import random
import unicodedata
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from panmun.reunion import lottery
from panmun.reunion.lottery import (
    Bundle,
    Criteria,
    LotteryError,
    PoolEntry,
    ResultRow,
    Stratum,
    drawing,
    pool,
)

SEED = bytes(range(32))
MOMENT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
FILES = ("pool.csv", "criteria.json", "commitment.json", "seed.hex", "result.csv")


# --- an independent implementation, from the scheme's text alone -----------------------------


def independent_draw(files: dict[str, bytes]) -> list[list[str]]:
    """result.csv's rows (header first) recomputed from a bundle's files."""
    rows = list(csv.reader(io.StringIO(files["pool.csv"].decode("utf-8"), newline="")))
    assert rows[0] == ["draw_id", "stratum", "weight"]
    criteria = json.loads(files["criteria.json"].decode("utf-8"))
    seed = bytes.fromhex(files["seed.hex"].decode("ascii").strip())
    assert len(seed) == 32
    by_stratum: dict[str, list[tuple[float, str]]] = {s["name"]: [] for s in criteria["strata"]}
    for draw_id, stratum, weight in rows[1:]:
        digest = hmac.new(key=seed, msg=draw_id.encode("utf-8"), digestmod="sha256").digest()
        u = (int.from_bytes(digest, "big") + 1) / 2**256
        by_stratum[stratum].append((math.log(u) / float(weight), draw_id))
    result = [["draw_id", "stratum", "rank", "selected"]]
    for stratum in criteria["strata"]:
        ranked = sorted(by_stratum[stratum["name"]], key=lambda kd: (-kd[0], kd[1]))
        for rank, (_, draw_id) in enumerate(ranked, start=1):
            selected = "1" if rank <= stratum["places"] else "0"
            result.append([draw_id, stratum["name"], str(rank), selected])
    return result


def independent_check(files: dict[str, bytes]) -> None:
    """Everything a third party checks, with hashlib and the csv module only."""
    commitment = json.loads(files["commitment.json"])
    assert hashlib.sha256(files["pool.csv"]).hexdigest() == commitment["pool_sha256"]
    assert hashlib.sha256(files["criteria.json"]).hexdigest() == commitment["criteria_sha256"]
    seed = bytes.fromhex(files["seed.hex"].decode().strip())
    assert hashlib.sha256(seed).hexdigest() == commitment["seed_sha256"]
    assert commitment["pool_size"] == files["pool.csv"].count(b"\n") - 1
    published = list(csv.reader(io.StringIO(files["result.csv"].decode("utf-8"), newline="")))
    assert published == independent_draw(files)


# --- helpers ---------------------------------------------------------------------------------


def sample_entries(n: int = 300, seed: int = 7) -> list[PoolEntry]:
    rng = random.Random(seed)
    strata = ["90+", "others", "reserved"]
    weights = [36.0, 15.0, 6.0, 2.0, 1.0, 0.5]
    ids = {f"{rng.getrandbits(40):010x}" for _ in range(n)}
    return [PoolEntry(d, rng.choice(strata), rng.choice(weights)) for d in sorted(ids)]


def sample_criteria() -> Criteria:
    return Criteria.of(
        [("90+", 10), ("others", 7), ("reserved", 0), ("empty", 4)],
        round="제21차",
        final_places={"90+": 5, "others": 3},
    )


def make(entries: list[PoolEntry] | None = None, criteria: Criteria | None = None) -> Bundle:
    return lottery.make_bundle(
        sample_entries() if entries is None else entries,
        sample_criteria() if criteria is None else criteria,
        SEED,
        round_label="제21차 / round 21",
        committed_at=MOMENT,
        drawn_at=MOMENT + timedelta(hours=1),
    )


def files_of(bundle: Bundle) -> dict[str, bytes]:
    return {name: data for name, data in bundle.files().items() if name in FILES}


def rezip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def codes(report: lottery.VerifyReport) -> set[str]:
    return {f.code for f in report.findings}


def problems_of(excinfo: pytest.ExceptionInfo[LotteryError]) -> set[tuple[str, int | None, str]]:
    return {(p.code, p.row, p.field) for p in excinfo.value.problems}


# --- acceptance 1: the draw, recomputed independently ------------------------------------------


def test_the_draw_is_recomputed_from_its_bundle_by_an_independent_implementation(tmp_path):
    bundle = make()
    bundle.write(tmp_path / "bundle")
    files = {name: (tmp_path / "bundle" / name).read_bytes() for name in FILES}
    independent_check(files)
    # Strata in the criteria's order, an empty stratum, places 0, and places above the size.
    small = [PoolEntry("a", "x", 1.0), PoolEntry("b", "x", 2.0), PoolEntry("c", "y", 1.0)]
    criteria = Criteria.of([("y", 5), ("none", 2), ("x", 1)])
    files = files_of(make(small, criteria))
    independent_check(files)
    lines = files["result.csv"].decode().splitlines()
    assert lines[0] == "draw_id,stratum,rank,selected"
    assert lines[1] == "c,y,1,1"
    assert [line.split(",")[1] for line in lines[1:]] == ["y", "x", "x"]
    assert sum(line.endswith(",1") for line in lines[1:]) == 2


def test_larger_draws_agree_with_the_independent_implementation():
    for seed in (1, 2, 3):
        entries = sample_entries(2_000, seed)
        bundle = lottery.make_bundle(
            entries,
            Criteria.of([("90+", 300), ("others", 5), ("reserved", 2_000)]),
            hashlib.sha256(bytes([seed])).digest(),
            round_label="r",
            committed_at=MOMENT,
            drawn_at=MOMENT,
        )
        independent_check(files_of(bundle))


def test_many_strata_agree_with_the_independent_implementation():
    rng = random.Random(5)
    names = [f"region {i:02d}" for i in range(12)]
    entries = [
        PoolEntry(f"id{i:04d}", rng.choice(names), rng.choice([1.0, 2.5, 36.0]))
        for i in range(1_500)
    ]
    criteria = Criteria.of([(name, rng.randint(0, 40)) for name in reversed(names)])
    independent_check(files_of(make(entries, criteria)))


def test_known_answer_vector():
    entries = [
        PoolEntry("A03", "90+", 2.0),  # given out of order: the pool is sorted
        PoolEntry("A01", "90+", 36.0),
        PoolEntry("A02", "90+", 15.0),
        PoolEntry("A04", "90+", 1.0),
        PoolEntry("A05", "90+", 6.0),
        PoolEntry("B01", "others", 6.0),
        PoolEntry("B02", "others", 6.0),
        PoolEntry("B03", "others", 1.0),
        PoolEntry("이산-01", "others", 3.0),
    ]
    criteria = Criteria.of([("90+", 2), ("others", 1), ("reserved", 3)])
    # HMAC-SHA256(key=bytes(range(32)), msg=b"A01"), u and the key, as computed independently.
    assert hmac.new(SEED, b"A01", "sha256").hexdigest() == (
        "2db88cb311974ae453a02f317df777d99c3bd5d2dfe950c1acbd6ad31042d159"
    )
    assert lottery.draw_key(SEED, "A01", 36.0) == -0.04785061078963888
    assert lottery.draw_key(SEED, "이산-01", 3.0) == -0.029808522559129313
    assert lottery.draw(entries, criteria, SEED) == [
        ResultRow("A02", "90+", 1, True),
        ResultRow("A01", "90+", 2, True),
        ResultRow("A05", "90+", 3, False),
        ResultRow("A04", "90+", 4, False),
        ResultRow("A03", "90+", 5, False),
        ResultRow("B03", "others", 1, True),
        ResultRow("이산-01", "others", 2, False),
        ResultRow("B01", "others", 3, False),
        ResultRow("B02", "others", 4, False),
    ]
    bundle = lottery.make_bundle(
        entries, criteria, SEED, round_label="KAT", committed_at=MOMENT, drawn_at=MOMENT
    )
    assert bundle.pool.decode() == (
        "draw_id,stratum,weight\n"
        "A01,90+,36.0\nA02,90+,15.0\nA03,90+,2.0\nA04,90+,1.0\nA05,90+,6.0\n"
        "B01,others,6.0\nB02,others,6.0\nB03,others,1.0\n이산-01,others,3.0\n"
    )
    assert bundle.result.decode() == (
        "draw_id,stratum,rank,selected\n"
        "A02,90+,1,1\nA01,90+,2,1\nA05,90+,3,0\nA04,90+,4,0\nA03,90+,5,0\n"
        "B03,others,1,1\n이산-01,others,2,0\nB01,others,3,0\nB02,others,4,0\n"
    )
    assert bundle.seed_hex == SEED.hex().encode() + b"\n"
    independent_check(files_of(bundle))


def test_rank_stratum_breaks_ties_by_draw_id():
    keys = [("b", -1.0), ("a", -1.0), ("c", -0.5), ("d", -2.0), ("a0", -1.0)]
    assert lottery.rank_stratum(keys, 2) == [
        ("c", 1, True),
        ("a", 2, True),
        ("a0", 3, False),
        ("b", 4, False),
        ("d", 5, False),
    ]
    assert lottery.rank_stratum([], 3) == []


def test_the_draw_breaks_equal_keys_by_draw_id(monkeypatch):
    # Every HMAC the same: keys differ by weight only, and equal keys fall back to draw_id.
    monkeypatch.setattr(drawing, "_hmac_sha256", lambda seed: lambda message: bytes(32))
    entries = [
        PoolEntry("d", "s", 1.0),
        PoolEntry("b", "s", 1.0),
        PoolEntry("c", "s", 2.0),
        PoolEntry("a", "s", 1.0),
    ]
    rows = lottery.draw(entries, Criteria.of([("s", 2)]), SEED)
    assert [(r.draw_id, r.rank, r.selected) for r in rows] == [
        ("c", 1, True),
        ("a", 2, True),
        ("b", 3, False),
        ("d", 4, False),
    ]


def test_the_draw_uses_hmac_sha256():
    mac = drawing._hmac_sha256(SEED)
    for message in (b"", b"a", "이산가족".encode(), b"x" * 200):
        assert mac(message) == hmac.digest(SEED, message, "sha256")


def test_the_draw_does_not_depend_on_the_order_entries_are_given_in():
    entries = sample_entries(500)
    shuffled = entries[:]
    random.Random(3).shuffle(shuffled)
    criteria = sample_criteria()
    assert lottery.draw(entries, criteria, SEED) == lottery.draw(shuffled, criteria, SEED)


def test_heavier_entries_are_selected_proportionally_more():
    entries = [PoolEntry(f"h{i:05d}", "all", 6.0) for i in range(3_000)]
    entries += [PoolEntry(f"l{i:05d}", "all", 1.0) for i in range(3_000)]
    rows = lottery.draw(entries, Criteria.of([("all", 600)]), SEED)
    heavy = sum(r.selected for r in rows if r.draw_id.startswith("h"))
    light = sum(r.selected for r in rows if r.draw_id.startswith("l"))
    assert heavy + light == 600
    # About 6 to 1 for a small share drawn (85.7% heavy); a loose bound on a fixed seed.
    assert 0.78 < heavy / 600 < 0.92
    assert heavy > 4 * light > 0


# --- seeds ---------------------------------------------------------------------------------


def test_seeds():
    assert len(lottery.new_seed()) == 32
    assert lottery.new_seed() != lottery.new_seed()
    assert lottery.seed_from_hex(SEED.hex()) == SEED
    assert lottery.seed_from_hex(" " + SEED.hex().upper() + "\n") == SEED
    for bad in ("", "00" * 31, "00" * 33, "zz" * 32):
        with pytest.raises(LotteryError) as err:
            lottery.seed_from_hex(bad)
        assert err.value.problems[0].code == "seed_invalid"
    text = "로또 1234회 3 7 12 25 33 41"
    expected = hashlib.sha256(text.encode("utf-8")).digest()
    assert lottery.seed_from_public_text(text) == expected
    decomposed = "  " + unicodedata.normalize("NFD", text) + "\n"
    assert decomposed.strip() != text
    assert lottery.seed_from_public_text(decomposed) == expected
    with pytest.raises(LotteryError):
        lottery.seed_from_public_text("   ")
    assert lottery.sha256_hex(b"abc") == hashlib.sha256(b"abc").hexdigest()
    with pytest.raises(LotteryError):
        lottery.draw([PoolEntry("a", "s", 1.0)], Criteria.of([("s", 1)]), b"short")


# --- pool.csv ------------------------------------------------------------------------------


def test_pool_csv_is_canonical():
    entries = [
        PoolEntry("b 2", "others", 1),  # an int weight is written as a float
        PoolEntry("가", "90세 이상", 0.1),
        PoolEntry("a", "90세 이상", 36.0),
        PoolEntry("Z", "x y", 1e-05),
    ]
    data = lottery.pool_csv(entries)
    assert (
        data
        == (
            "draw_id,stratum,weight\nZ,x y,1e-05\na,90세 이상,36.0\nb 2,others,1.0\n"
            "가,90세 이상,0.1\n"
        ).encode()
    )
    assert lottery.parse_pool(data) == sorted(
        [PoolEntry(e.draw_id, e.stratum, float(e.weight)) for e in entries],
        key=lambda e: e.draw_id,
    )
    assert lottery.pool_csv(lottery.parse_pool(data)) == data
    assert lottery.pool_csv([]) == b"draw_id,stratum,weight\n"
    assert lottery.parse_pool(b"draw_id,stratum,weight\n") == []


def test_pool_round_trips_for_many_random_pools():
    rng = random.Random(11)
    alphabet = "abcXYZ09-_.가나다 \u3000é"
    for _ in range(50):
        ids = set()
        while len(ids) < 30:
            ids.add("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))).strip())
        ids.discard("")
        entries = [PoolEntry(d, rng.choice(["a", "b b"]), rng.uniform(0.01, 50)) for d in ids]
        data = lottery.pool_csv(entries)
        parsed = lottery.parse_pool(data)
        assert lottery.pool_csv(parsed) == data
        assert [e.draw_id for e in parsed] == sorted(ids)


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        (PoolEntry("", "s", 1.0), "draw_id"),
        (PoolEntry("a,b", "s", 1.0), "draw_id"),
        (PoolEntry('a"', "s", 1.0), "draw_id"),
        (PoolEntry(" a", "s", 1.0), "draw_id"),
        (PoolEntry("a\u3000", "s", 1.0), "draw_id"),
        (PoolEntry("a\nb", "s", 1.0), "draw_id"),
        (PoolEntry("a", "", 1.0), "stratum"),
        (PoolEntry("a", "s,t", 1.0), "stratum"),
        (PoolEntry("a", "s\r", 1.0), "stratum"),
        (PoolEntry("a", "s", 0.0), "weight"),
        (PoolEntry("a", "s", -1.0), "weight"),
        (PoolEntry("a", "s", math.nan), "weight"),
        (PoolEntry("a", "s", math.inf), "weight"),
    ],
)
def test_pool_csv_refuses_invalid_entries(entry, field):
    with pytest.raises(LotteryError) as err:
        lottery.pool_csv([PoolEntry("0", "s", 1.0), entry])
    (problem,) = err.value.problems
    row = 2 if entry.draw_id < "0" else 3  # the row it would have in the sorted pool.csv
    assert (problem.file, problem.row, problem.field) == ("pool.csv", row, field)
    assert problem.en and problem.ko


def test_pool_csv_refuses_duplicate_ids_and_names_the_row():
    with pytest.raises(LotteryError) as err:
        lottery.pool_csv(
            [PoolEntry("b", "s", 1.0), PoolEntry("a", "s", 1.0), PoolEntry("b", "t", 2.0)]
        )
    assert problems_of(err) == {("pool_duplicate_draw_id", 4, "draw_id")}


HEADER = b"draw_id,stratum,weight\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"draw_id;stratum;weight\na,s,1.0\n", {("pool_bad_header", 1, "")}),
        (b"", {("pool_bad_header", 1, "")}),
        (b"\xef\xbb\xbf" + HEADER + b"a,s,1.0\n", {("pool_bom", 1, "")}),
        (HEADER + b"b,s,1.0\na,s,1.0\n", {("pool_unsorted", 3, "draw_id")}),
        (HEADER + b"a,s,1.0\na,s,2.0\n", {("pool_duplicate_draw_id", 3, "draw_id")}),
        (HEADER + b"a,s,1.0\nb,s,1\n", {("pool_weight_not_canonical", 3, "weight")}),
        (HEADER + b"a,s,1.00\n", {("pool_weight_not_canonical", 2, "weight")}),
        (HEADER + b"a,s, 1.0\n", {("pool_weight_not_canonical", 2, "weight")}),
        (HEADER + b"a,s,1_0.0\n", {("pool_weight_not_canonical", 2, "weight")}),
        (HEADER + b"a,s,nan\n", {("pool_weight_invalid", 2, "weight")}),
        (HEADER + b"a,s,inf\n", {("pool_weight_invalid", 2, "weight")}),
        (HEADER + b"a,s,-1.0\n", {("pool_weight_invalid", 2, "weight")}),
        (HEADER + b"a,s,0.0\n", {("pool_weight_invalid", 2, "weight")}),
        (HEADER + b"a,s,heavy\n", {("pool_weight_not_number", 2, "weight")}),
        (HEADER + b"a,s,1.0,x\n", {("pool_bad_row", 2, "")}),
        (HEADER + b'"a",s,1.0\n', {("pool_bad_draw_id", 2, "draw_id")}),
        (HEADER + b"a ,s,1.0\n", {("pool_bad_draw_id", 2, "draw_id")}),
        (HEADER + b",s,1.0\n", {("pool_bad_draw_id", 2, "draw_id")}),
        (HEADER + b"a,,1.0\n", {("pool_bad_stratum", 2, "stratum")}),
        (HEADER + b"a,s,1.0", {("pool_no_final_newline", 2, "")}),
        (HEADER + b"a,s,1.0\n\n", {("pool_bad_row", 3, "")}),
        (HEADER.replace(b"\n", b"\r\n") + b"a,s,1.0\r\n", {("pool_crlf", 1, "")}),
        (HEADER + b"a,s,1.0\nb,\xff,1.0\n", {("pool_not_utf8", 3, "")}),
    ],
)
def test_parse_pool_names_file_row_and_field(data, expected):
    with pytest.raises(LotteryError) as err:
        lottery.parse_pool(data)
    assert problems_of(err) == expected
    for problem in err.value.problems:
        assert problem.file == "pool.csv"
        assert problem.en and problem.ko
        assert problem.ko != problem.en


def test_parse_pool_collects_every_problem_of_the_file():
    data = HEADER + b"b,s,1\nb,s,1.0\na,s,nan\nc,s,-2.0\n"
    with pytest.raises(LotteryError) as err:
        lottery.parse_pool(data, "my-pool.csv")
    assert problems_of(err) == {
        ("pool_weight_not_canonical", 2, "weight"),
        ("pool_duplicate_draw_id", 3, "draw_id"),
        ("pool_unsorted", 4, "draw_id"),
        ("pool_weight_invalid", 4, "weight"),
        ("pool_weight_invalid", 5, "weight"),
    }
    assert {p.file for p in err.value.problems} == {"my-pool.csv"}
    assert "my-pool.csv row 2 weight" in str(err.value)


def test_the_bulk_check_and_the_row_check_agree(monkeypatch):
    data = lottery.pool_csv(sample_entries(400))
    fast = lottery.parse_pool(data)
    monkeypatch.setattr(pool, "_fast_pool_columns", lambda data, known: None)
    assert lottery.parse_pool(data) == fast


def test_unknown_strata_are_refused_with_their_row():
    entries = [PoolEntry("a", "90+", 1.0), PoolEntry("b", "elsewhere", 1.0)]
    with pytest.raises(LotteryError) as err:
        lottery.draw(entries, Criteria.of([("90+", 1)]), SEED)
    assert problems_of(err) == {("pool_unknown_stratum", 3, "stratum")}
    with pytest.raises(LotteryError):
        lottery.commit(
            entries, Criteria.of([("90+", 1)]), SEED, round_label="r", committed_at=MOMENT
        )


# --- criteria.json -------------------------------------------------------------------------


def test_criteria_keep_their_other_keys_and_are_written_canonically():
    data = (
        '{"round": "제21차", "strata": [{"name": "90세 이상", "places": 100, "final_places": 50},'
        ' {"name": "그 외", "places": 0}], "candidates_per_place": 2}'
    ).encode()
    criteria = lottery.parse_criteria(data)
    assert criteria.strata == (Stratum("90세 이상", 100), Stratum("그 외", 0))
    written = lottery.criteria_json(criteria)
    assert written.endswith(b"}\n")
    assert "90세 이상".encode() in written
    document = json.loads(written)
    assert list(document) == ["round", "strata", "candidates_per_place"]
    assert document["strata"][0]["final_places"] == 50
    assert written == (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
    assert lottery.parse_criteria(written) == criteria
    made = Criteria.of([Stratum("a", 1), ("b", 2)], round="r")
    assert made.document == {
        "strata": [{"name": "a", "places": 1}, {"name": "b", "places": 2}],
        "round": "r",
    }
    with pytest.raises(ValueError, match="disagree"):
        lottery.criteria_json(Criteria(strata=(Stratum("a", 1),), document={"strata": []}))


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"strata": [{"name": "a", "places": -1}]}, {("criteria_invalid", 1, "places")}),
        ({"strata": [{"name": "a", "places": True}]}, {("criteria_invalid", 1, "places")}),
        ({"strata": [{"name": "a", "places": 1.0}]}, {("criteria_invalid", 1, "places")}),
        ({"strata": [{"name": "a", "places": "3"}]}, {("criteria_invalid", 1, "places")}),
        ({"strata": [{"name": "a"}]}, {("criteria_invalid", 1, "places")}),
        ({"strata": [{"places": 1}]}, {("criteria_invalid", 1, "name")}),
        ({"strata": [{"name": "", "places": 1}]}, {("criteria_invalid", 1, "name")}),
        ({"strata": [{"name": "a,b", "places": 1}]}, {("criteria_invalid", 1, "name")}),
        (
            {"strata": [{"name": "a", "places": 1}, {"name": "a", "places": 2}]},
            {("criteria_duplicate_name", 2, "name")},
        ),
        ({"strata": [{"name": "a", "places": 1}, "b"]}, {("criteria_invalid", 2, "strata")}),
        ({"strata": {"a": 1}}, {("criteria_invalid", None, "strata")}),
        ({"places": 1}, {("criteria_invalid", None, "strata")}),
        ([1, 2], {("criteria_invalid", None, "")}),
        (
            {"strata": [{"name": "a", "places": -1}, {"name": 3, "places": False}]},
            {
                ("criteria_invalid", 1, "places"),
                ("criteria_invalid", 2, "name"),
                ("criteria_invalid", 2, "places"),
            },
        ),
    ],
)
def test_parse_criteria_names_file_row_and_field(document, expected):
    with pytest.raises(LotteryError) as err:
        lottery.parse_criteria(json.dumps(document).encode())
    assert problems_of(err) == expected
    assert {p.file for p in err.value.problems} == {"criteria.json"}


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"{", "criteria_bad_json"),
        (b'{"strata": [{"name": "a", "places": NaN}]}', "criteria_bad_json"),
        (b'{"strata": [], "strata": []}', "criteria_duplicate_key"),
        (b"\xff{}", "criteria_not_utf8"),
    ],
)
def test_unreadable_criteria(data, code):
    with pytest.raises(LotteryError) as err:
        lottery.parse_criteria(data)
    assert code in {p.code for p in err.value.problems}


def test_places_above_a_stratum_size_select_all_of_it():
    rows = lottery.draw(
        [PoolEntry("a", "s", 1.0), PoolEntry("b", "s", 1.0)], Criteria.of([("s", 10)]), SEED
    )
    assert all(r.selected for r in rows)


# --- commitment and result -----------------------------------------------------------------


def test_commit_and_the_commitment_file():
    entries = sample_entries(50)
    pool, criteria, commitment = lottery.commit(
        entries,
        sample_criteria(),
        SEED,
        round_label="21",
        committed_at=datetime(2026, 11, 23, 18, 0, 0, 123456, tzinfo=timezone(timedelta(hours=9))),
    )
    assert pool == lottery.pool_csv(entries)
    assert criteria == lottery.criteria_json(sample_criteria())
    assert commitment.drawn_at is None
    assert commitment.committed_at == MOMENT
    document = json.loads(commitment.to_json())
    assert list(document) == [
        "algorithm",
        "round",
        "pool_sha256",
        "pool_size",
        "criteria_sha256",
        "seed_sha256",
        "committed_at",
        "drawn_at",
    ]
    assert document["algorithm"] == "panmun-draw-1 (HMAC-SHA256, Efraimidis-Spirakis)"
    assert document["committed_at"] == "2026-11-23T09:00:00Z"
    assert document["drawn_at"] is None
    assert document["pool_size"] == 50
    assert document["pool_sha256"] == hashlib.sha256(pool).hexdigest()
    assert document["seed_sha256"] == hashlib.sha256(SEED).hexdigest()
    assert lottery.parse_commitment(commitment.to_json()) == commitment
    with pytest.raises(ValueError):
        lottery.commit(
            entries, sample_criteria(), SEED, round_label="r", committed_at=datetime(2026, 1, 1)
        )
    broken = dict(document, pool_size=True, committed_at="2026-11-23 09:00", algorithm="x")
    with pytest.raises(LotteryError) as err:
        lottery.parse_commitment(json.dumps(broken).encode())
    assert {p.field for p in err.value.problems} == {"pool_size", "committed_at", "algorithm"}


def test_result_csv_round_trips():
    rows = lottery.draw(sample_entries(), sample_criteria(), SEED)
    data = lottery.result_csv(rows)
    assert data.startswith(b"draw_id,stratum,rank,selected\n") and data.endswith(b"\n")
    assert lottery.parse_result(data) == rows
    assert [r.stratum for r in rows] == sorted(
        (r.stratum for r in rows), key=["90+", "others", "reserved", "empty"].index
    )
    with pytest.raises(LotteryError) as err:
        lottery.parse_result(b"draw_id,stratum,rank,selected\na,s,0,1\nb,s,2,yes\na,s,3\n")
    assert problems_of(err) == {
        ("result_bad_rank", 2, "rank"),
        ("result_bad_selected", 3, "selected"),
        ("result_bad_row", 4, ""),
    }


# --- bundles -------------------------------------------------------------------------------


def test_bundles_are_deterministic_and_read_back_the_same(tmp_path):
    bundle = make()
    data = bundle.to_zip()
    assert data == make().to_zip()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == sorted([*FILES, "README.txt"])
        assert {i.date_time for i in archive.infolist()} == {lottery.ZIP_DATE_TIME}
        readme = archive.read("README.txt").decode("utf-8")
    assert "panmun reunion verify-draw" in readme
    assert "검증 방법" in readme and "How to verify" in readme
    bundle.write(tmp_path / "b.zip")
    bundle.write(tmp_path / "folder")
    assert (tmp_path / "b.zip").read_bytes() == data
    assert sorted(p.name for p in (tmp_path / "folder").iterdir()) == sorted([*FILES, "README.txt"])
    for source in (tmp_path / "b.zip", str(tmp_path / "folder"), data, bundle):
        assert lottery.read_bundle(source) == bundle
        assert lottery.verify_bundle(source).ok
    assert bundle.seed_hex == (SEED.hex() + "\n").encode()
    (tmp_path / "folder" / "seed.hex").unlink()
    with pytest.raises(LotteryError) as err:
        lottery.read_bundle(tmp_path / "folder")
    assert problems_of(err) == {("missing_file", None, "")}


def test_a_zip_of_the_bundle_folder_is_read_too():
    files = files_of(make())
    assert lottery.verify_bundle(rezip({f"draw-21/{n}": d for n, d in files.items()})).ok


def test_the_report_summarises_a_verified_draw():
    report = lottery.verify_bundle(make())
    assert report.ok and report.findings == ()
    assert report.pool_size == 300
    assert [(s.name, s.places) for s in report.strata] == [
        ("90+", 10),
        ("others", 7),
        ("reserved", 0),
        ("empty", 4),
    ]
    assert report.selected == 17
    assert sum(s.entries for s in report.strata) == 300
    assert report.commitment is not None and report.commitment.round == "제21차 / round 21"


# --- acceptance 2: tampering is found and named ----------------------------------------------


def _line_of(data: bytes, draw_id: str) -> int:
    """The 1-based line (header = 1) of draw_id in a CSV file."""
    for number, line in enumerate(data.decode().split("\n"), start=1):
        if line.split(",")[0] == draw_id:
            return number
    raise AssertionError(draw_id)


def _replace_line(data: bytes, row: int, line: str) -> bytes:
    lines = data.decode().split("\n")
    lines[row - 1] = line
    return "\n".join(lines).encode()


@pytest.fixture(params=["folder", "zip"])
def tamper(request, tmp_path):
    """tamper(change) -> the report of a bundle whose files `change` altered (a dict)."""

    calls = iter(range(100))

    def run(change, **expect):
        files = files_of(make())
        change(files)
        if request.param == "folder":
            folder = tmp_path / f"bundle{next(calls)}"
            folder.mkdir()
            for name, data in files.items():
                (folder / name).write_bytes(data)
            return lottery.verify_bundle(folder, **expect)
        path = tmp_path / f"bundle{next(calls)}.zip"
        path.write_bytes(rezip(files))
        return lottery.verify_bundle(path, **expect)

    return run


def test_a_changed_weight_fails_on_the_pool_hash(tamper):
    def change(files):
        row = 5
        draw_id, stratum, weight = files["pool.csv"].decode().split("\n")[row - 1].split(",")
        other = "1.0" if weight != "1.0" else "36.0"
        files["pool.csv"] = _replace_line(files["pool.csv"], row, f"{draw_id},{stratum},{other}")

    report = tamper(change)
    assert not report.ok
    (finding,) = [f for f in report.findings if f.code == "pool_hash_mismatch"]
    assert finding.file == "pool.csv"
    assert finding.ko == "pool.csv의 SHA-256이 commitment.json의 pool_sha256과 다릅니다"


def test_a_changed_rank_names_the_row_and_field(tamper):
    def change(files):
        lines = files["result.csv"].decode().split("\n")
        draw_id, stratum, _, selected = lines[3].split(",")
        lines[3] = f"{draw_id},{stratum},99,{selected}"
        files["result.csv"] = "\n".join(lines).encode()

    report = tamper(change)
    assert [(f.code, f.file, f.row, f.field) for f in report.findings] == [
        ("result_row_differs", "result.csv", 4, "rank")
    ]
    assert "99" in report.findings[0].en and "99" in report.findings[0].ko


def test_a_changed_selected_flag_names_the_row_and_field(tamper):
    def change(files):
        lines = files["result.csv"].decode().split("\n")
        lines[2] = lines[2][:-1] + ("0" if lines[2].endswith("1") else "1")
        files["result.csv"] = "\n".join(lines).encode()

    report = tamper(change)
    assert [(f.code, f.row, f.field) for f in report.findings] == [
        ("result_row_differs", 3, "selected")
    ]


def test_a_changed_stratum_in_the_result(tamper):
    def change(files):
        lines = files["result.csv"].decode().split("\n")
        parts = lines[1].split(",")
        parts[1] = "others" if parts[1] != "others" else "90+"
        lines[1] = ",".join(parts)
        files["result.csv"] = "\n".join(lines).encode()

    report = tamper(change)
    assert [(f.code, f.row, f.field) for f in report.findings] == [
        ("result_row_differs", 2, "stratum")
    ]


def test_a_wrong_seed_fails_on_the_seed(tamper):
    def change(files):
        files["seed.hex"] = bytes(reversed(SEED)).hex().encode() + b"\n"

    report = tamper(change)
    assert "seed_hash_mismatch" in codes(report)
    (finding,) = [f for f in report.findings if f.code == "seed_hash_mismatch"]
    assert finding.file == "seed.hex"
    assert "result_row_differs" in codes(report)  # and the result is not that seed's


def test_a_seed_that_is_not_hex(tamper):
    report = tamper(lambda files: files.update({"seed.hex": b"not a seed\n"}))
    assert {"seed_invalid", "seed_hash_mismatch"} & codes(report) == {"seed_invalid"}
    assert "result_not_checked" in codes(report)


def test_a_pool_that_does_not_match_its_hash(tamper):
    def change(files):
        commitment = json.loads(files["commitment.json"])
        commitment["pool_sha256"] = "0" * 64
        files["commitment.json"] = json.dumps(commitment).encode()

    report = tamper(change)
    assert codes(report) == {"pool_hash_mismatch"}


def test_an_added_pool_entry(tamper):
    def change(files):
        files["pool.csv"] += b"zzzz,empty,36.0\n"

    report = tamper(change)
    assert codes(report) == {"pool_hash_mismatch", "pool_size_mismatch", "result_row_missing"}
    (missing,) = [f for f in report.findings if f.code == "result_row_missing"]
    assert "zzzz" in missing.en and "302" in missing.en


def test_changed_criteria_fail_on_the_criteria_hash(tamper):
    def change(files):
        files["criteria.json"] = files["criteria.json"].replace(b'"places": 10', b'"places": 11')

    report = tamper(change)
    assert "criteria_hash_mismatch" in codes(report)
    assert "result_row_differs" in codes(report)


def test_a_removed_result_row(tamper):
    removed = {}

    def change(files):
        lines = files["result.csv"].decode().split("\n")
        removed["id"] = lines[5].split(",")[0]
        del lines[5]
        files["result.csv"] = "\n".join(lines).encode()

    report = tamper(change)
    (finding,) = report.findings
    assert (finding.code, finding.file, finding.row) == ("result_row_missing", "result.csv", None)
    assert removed["id"] in finding.en and removed["id"] in finding.ko


def test_an_extra_and_a_duplicated_result_row(tamper):
    def change(files):
        lines = files["result.csv"].decode().split("\n")
        lines.insert(3, "ghost,90+,1,1")
        lines.insert(5, lines[6])
        files["result.csv"] = "\n".join(lines).encode()

    report = tamper(change)
    found = {(f.code, f.row) for f in report.findings}
    assert ("result_extra_row", 4) in found
    assert ("result_duplicate_row", 8) in found  # the copy (row 6) comes first, out of order
    assert ("result_wrong_order", 6) in found


def test_swapped_result_rows_are_out_of_order(tamper):
    def change(files):
        lines = files["result.csv"].decode().split("\n")
        lines[2], lines[3] = lines[3], lines[2]
        files["result.csv"] = "\n".join(lines).encode()

    report = tamper(change)
    assert {f.code for f in report.findings} <= {"result_wrong_order", "result_row_differs"}
    assert [f.row for f in report.findings if f.code == "result_wrong_order"] in ([3], [4])


def test_published_values_must_match_the_commitment(tamper):
    commitment = json.loads(make().commitment)
    report = tamper(
        lambda files: None,
        expect_pool_sha256=commitment["pool_sha256"].upper(),
        expect_seed_sha256=commitment["seed_sha256"],
    )
    assert report.ok
    report = tamper(
        lambda files: None,
        expect_pool_sha256="ab" * 32,
        expect_seed_sha256="cd" * 32,
    )
    assert codes(report) == {"published_pool_sha256_mismatch", "published_seed_sha256_mismatch"}
    assert {f.field for f in report.findings} == {"pool_sha256", "seed_sha256"}


def test_a_consistent_forgery_is_caught_by_the_published_values(tamper):
    """Pool, commitment and result all redone with another seed: only the announcement
    made before the draw can tell; it does."""
    honest = json.loads(make().commitment)

    def change(files):
        forged = lottery.make_bundle(
            sample_entries(),
            sample_criteria(),
            b"\x01" * 32,
            round_label="제21차 / round 21",
            committed_at=MOMENT,
            drawn_at=MOMENT,
        )
        files.update(files_of(forged))

    assert tamper(change).ok
    report = tamper(
        change,
        expect_pool_sha256=honest["pool_sha256"],
        expect_seed_sha256=honest["seed_sha256"],
    )
    assert codes(report) == {"published_seed_sha256_mismatch"}


def test_a_missing_file(tamper):
    report = tamper(lambda files: files.pop("result.csv"))
    assert [(f.code, f.file) for f in report.findings] == [("missing_file", "result.csv")]
    report = tamper(lambda files: files.pop("pool.csv"))
    assert ("missing_file", "pool.csv") in {(f.code, f.file) for f in report.findings}
    assert "result_not_checked" in codes(report)


def test_unparseable_files(tamper):
    report = tamper(lambda files: files.update({"commitment.json": b"{not json"}))
    assert "commitment_bad_json" in codes(report)
    report = tamper(lambda files: files.update({"criteria.json": b"[]"}))
    assert {"criteria_hash_mismatch", "criteria_invalid", "result_not_checked"} <= codes(report)


def test_a_pool_in_another_form_is_not_canonical(tamper):
    report = tamper(
        lambda files: files.update({"pool.csv": files["pool.csv"].replace(b"\n", b"\r\n")})
    )
    assert {"pool_crlf", "pool_hash_mismatch", "result_not_checked"} <= codes(report)
    (crlf,) = [f for f in report.findings if f.code == "pool_crlf"]
    assert (crlf.file, crlf.row) == ("pool.csv", 1)


def test_pool_size_in_the_commitment(tamper):
    def change(files):
        commitment = json.loads(files["commitment.json"])
        commitment["pool_size"] += 1
        files["commitment.json"] = json.dumps(commitment).encode()

    assert codes(tamper(change)) == {"pool_size_mismatch"}


def test_row_findings_are_capped_at_50_with_a_total(tamper):
    def change(files):
        lines = files["result.csv"].decode().split("\n")
        for i in range(1, 81):
            lines[i] = lines[i][:-1] + ("0" if lines[i].endswith("1") else "1")
        files["result.csv"] = "\n".join(lines).encode()

    report = tamper(change)
    rows = [f for f in report.findings if f.code == "result_row_differs"]
    assert len(rows) == 50
    assert [r.row for r in rows] == list(range(2, 52))
    (total,) = [f for f in report.findings if f.code == "result_rows_total"]
    assert "80" in total.en and "80" in total.ko
    assert len(report.findings) == 51


def test_not_a_bundle(tmp_path):
    assert codes(lottery.verify_bundle(b"PK not really")) == {"bundle_unreadable"}
    assert codes(lottery.verify_bundle(tmp_path / "nowhere.zip")) == {"bundle_unreadable"}
    (tmp_path / "empty").mkdir()
    assert codes(lottery.verify_bundle(tmp_path / "empty")) == {"missing_file"}


def test_a_zip_holding_a_file_twice_is_refused():
    files = files_of(make())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        with pytest.warns(UserWarning):
            archive.writestr("result.csv", b"draw_id,stratum,rank,selected\n")
    assert "bundle_duplicate_member" in codes(lottery.verify_bundle(buffer.getvalue()))


# --- the management command ----------------------------------------------------------------


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    pool = tmp_path / "pool.csv"
    pool.write_bytes(lottery.pool_csv(sample_entries()))
    criteria = tmp_path / "criteria.json"
    criteria.write_bytes(lottery.criteria_json(sample_criteria()))
    return pool, criteria


def _draw(inputs, out, *extra):
    pool, criteria = inputs
    stdout = io.StringIO()
    call_command(
        "reunion", "draw", "--pool", str(pool), "--criteria", str(criteria), "--out", str(out),
        *extra, stdout=stdout,
    )  # fmt: skip
    return stdout.getvalue()


def test_the_command_draws_a_bundle_that_verifies(inputs, tmp_path):
    out = _draw(inputs, tmp_path / "draw.zip", "--round", "21")
    bundle = lottery.read_bundle(tmp_path / "draw.zip")
    commitment = lottery.parse_commitment(bundle.commitment)
    assert commitment.pool_sha256 in out and commitment.seed_sha256 in out
    assert "90+: 10 selected of" in out
    assert commitment.round == "21"
    assert commitment.committed_at == commitment.drawn_at
    independent_check(files_of(bundle))
    stdout = io.StringIO()
    call_command(
        "reunion", "verify-draw", str(tmp_path / "draw.zip"),
        "--pool-sha256", commitment.pool_sha256, "--seed-sha256", commitment.seed_sha256,
        stdout=stdout,
    )  # fmt: skip
    assert stdout.getvalue().startswith("OK")
    assert "300 entries, 4 strata, 17 selected" in stdout.getvalue()


def test_the_same_seed_gives_the_same_result(inputs, tmp_path):
    _draw(inputs, tmp_path / "one", "--seed-hex", SEED.hex())
    _draw(inputs, tmp_path / "two.zip", "--seed-hex", SEED.hex())
    first = (tmp_path / "one" / "result.csv").read_bytes()
    assert first == lottery.read_bundle(tmp_path / "two.zip").result
    assert first == make().result
    _draw(inputs, tmp_path / "random")
    assert (tmp_path / "random" / "result.csv").read_bytes() != first


def test_the_command_derives_a_seed_from_a_public_text(inputs, tmp_path):
    text = "로또 1234회 3 7 12 25 33 41"
    out = _draw(inputs, tmp_path / "public", "--seed-text", text)
    assert hashlib.sha256(lottery.seed_from_public_text(text)).hexdigest() in out


def test_verify_draw_fails_on_a_tampered_bundle(inputs, tmp_path):
    _draw(inputs, tmp_path / "b", "--seed-hex", SEED.hex())
    result = tmp_path / "b" / "result.csv"
    lines = result.read_text().split("\n")
    draw_id, stratum, _, selected = lines[1].split(",")
    lines[1] = f"{draw_id},{stratum},7,{selected}"
    result.write_text("\n".join(lines))
    stdout = io.StringIO()
    with pytest.raises(CommandError, match="bundle does not verify: 1 findings"):
        call_command("reunion", "verify-draw", str(tmp_path / "b"), stdout=stdout)
    assert "result.csv row 2 rank:" in stdout.getvalue()
    assert "다시 계산한 추첨 결과" in stdout.getvalue()


def test_verify_draw_fails_on_another_published_hash(inputs, tmp_path):
    _draw(inputs, tmp_path / "b.zip")
    with pytest.raises(CommandError, match="does not verify"):
        call_command(
            "reunion", "verify-draw", str(tmp_path / "b.zip"), "--pool-sha256", "00" * 32,
            stdout=io.StringIO(),
        )  # fmt: skip


def test_the_command_reports_every_problem_of_its_inputs(tmp_path):
    pool = tmp_path / "pool.csv"
    pool.write_bytes(HEADER + b"b,90+,1\na,90+,2.0\nc,nowhere,1.0\n")
    criteria = tmp_path / "criteria.json"
    criteria.write_text('{"strata": [{"name": "90+", "places": -1}]}')
    with pytest.raises(CommandError) as err:
        _draw((pool, criteria), tmp_path / "out")
    message = str(err.value)
    assert "pool.csv row 2 weight:" in message
    assert "pool.csv row 3 draw_id:" in message
    assert "criteria.json row 1 places:" in message
    assert " / " in message  # English / Korean
    assert not (tmp_path / "out").exists()
    pool.write_bytes(HEADER + b"a,90+,1.0\nc,nowhere,1.0\n")
    criteria.write_text('{"strata": [{"name": "90+", "places": 1}]}')
    with pytest.raises(CommandError, match=r"pool.csv row 3 stratum: stratum 'nowhere'"):
        _draw((pool, criteria), tmp_path / "out")
    entries = tmp_path / "entries.csv"
    entries.write_bytes(pool.read_bytes())
    with pytest.raises(CommandError, match=r"entries.csv row 3 stratum: stratum 'nowhere'"):
        _draw((entries, criteria), tmp_path / "out")
    with pytest.raises(CommandError, match="seed-hex"):
        _draw((pool, criteria), tmp_path / "out", "--seed-hex", "abc")
    with pytest.raises(CommandError, match="cannot be read"):
        _draw((tmp_path / "missing.csv", criteria), tmp_path / "out")


def test_the_command_never_overwrites_a_bundle(inputs, tmp_path):
    _draw(inputs, tmp_path / "b.zip")
    before = (tmp_path / "b.zip").read_bytes()
    with pytest.raises(CommandError, match="already exists"):
        _draw(inputs, tmp_path / "b.zip")
    assert (tmp_path / "b.zip").read_bytes() == before


def test_the_panmun_command_checks_a_draw_without_django(inputs, tmp_path):
    """`panmun reunion verify-draw` runs before Django starts: no settings, no database."""
    import os
    import subprocess
    import sys

    _draw(inputs, tmp_path / "b.zip", "--seed-hex", SEED.hex())
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # never opened
    command = [sys.executable, "-m", "panmun.config.cli", "reunion", "verify-draw"]
    done = subprocess.run(
        [*command, str(tmp_path / "b.zip")], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OK")
    bundle = lottery.read_bundle(tmp_path / "b.zip")
    replace(bundle, seed_hex=b"ff" * 32 + b"\n").write(tmp_path / "bad")
    done = subprocess.run(
        [*command, str(tmp_path / "bad")], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 1
    assert "seed" in done.stdout and "does not verify" in done.stderr
