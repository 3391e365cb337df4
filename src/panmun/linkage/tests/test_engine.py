"""The engine on a small generated North/South set, and the `link`/`dedupe` file contract."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import random
from pathlib import Path

import pyarrow as pa
import pytest
from django.core.management import call_command

from panmun.korean.calendars import solar_to_lunar
from panmun.korean.romanization import north_name, rr, rr_given_name
from panmun.linkage import engine
from panmun.linkage.engine import DEFAULT_THRESHOLD, Pair, dedupe, dedupe_pairs, link, one_to_one
from panmun.linkage.management.commands.dedupe import Command as DedupeCommand
from panmun.linkage.management.commands.link import Command as LinkCommand
from panmun.linkage.records import COLUMNS, parse

# (South form, North form) of surnames, the first ones with the initial-sound rule.
SURNAMES = [
    ("이", "리"), ("임", "림"), ("유", "류"), ("양", "량"), ("나", "라"), ("노", "로"),
    ("김", "김"), ("박", "박"), ("최", "최"), ("정", "정"), ("강", "강"), ("조", "조"),
    ("윤", "윤"), ("장", "장"), ("한", "한"), ("오", "오"), ("신", "신"), ("서", "서"),
]  # fmt: skip
FIRST = ["선", "영", "정", "순", "명", "성", "광", "철", "옥", "경", "춘", "덕", "상", "병"]
SECOND = ["권", "호", "수", "희", "자", "남", "식", "길", "숙", "환", "일", "녀", "민", "진"]
FATHER_GIVEN = ["문호", "만수", "태식", "기철", "봉학", "용남", "석주", "인규"]
# (as the South remembers it, as the North names it today)
PLACES = [
    ("개성", "개성시"), ("개풍군", "개성"), ("강계", "자강도 강계시"),
    ("함경남도 혜산", "량강도 혜산시"), ("성진", "김책"), ("나진", "라선"), ("평양", "평양"),
    ("신의주", "신의주"), ("황해도 해주", "해주"), ("함흥", "함흥"), ("원산", "원산"),
    ("사리원", "사리원"), ("청진", "청진"),
]  # fmt: skip


def _row(**values: str) -> dict[str, str]:
    return {c: values.get(c, "") for c in COLUMNS}


def _person(rng: random.Random) -> dict[str, object]:
    family = rng.choice(SURNAMES)
    birth = dt.date(1925, 1, 1) + dt.timedelta(days=rng.randrange(25 * 365))
    return {
        "family": family,
        "given": rng.choice(FIRST) + rng.choice(SECOND),
        "sex": rng.choice("MF"),
        "birth": birth,
        "place": rng.choice(PLACES),
        "father": rng.choice(FATHER_GIVEN),
    }


def _south(pid: str, p: dict[str, object], rng: random.Random) -> dict[str, str]:
    south_family = p["family"][0]  # type: ignore[index]
    birth: dt.date = p["birth"]  # type: ignore[assignment]
    style = rng.random()
    if style < 0.15:  # a passport spelling only
        given = str(p["given"])
        family_latin = {"이": "Lee", "박": "Park", "최": "Choi", "정": "Jung", "윤": "Yoon"}.get(
            south_family, rr(south_family).capitalize()
        )
        return _row(
            record_id=pid, name_latin=f"{family_latin} {rr_given_name(given)}", sex=str(p["sex"]),
            birth_date=birth.isoformat(), birth_calendar="solar", birthplace=p["place"][0],  # type: ignore[index]
            father_name=south_family + str(p["father"]),
        )  # fmt: skip
    if style < 0.55:
        lunar = solar_to_lunar(birth)
        date, calendar = f"{lunar.year:04d}-{lunar.month:02d}-{lunar.day:02d}", "lunar"
    elif style < 0.8:
        date, calendar = birth.isoformat(), "solar"
    else:
        date, calendar = birth.isoformat(), ""
    return _row(
        record_id=pid, family_name=south_family, given_name=str(p["given"]), sex=str(p["sex"]),
        birth_date=date, birth_calendar=calendar, birthplace=p["place"][0],  # type: ignore[index]
        father_name=south_family + str(p["father"]),
    )  # fmt: skip


def _north(pid: str, p: dict[str, object], rng: random.Random) -> dict[str, str]:
    north_family = p["family"][1]  # type: ignore[index]
    given = str(p["given"])
    birth: dt.date = p["birth"]  # type: ignore[assignment]
    style = rng.random()
    if style < 0.2:  # the North's own romanization only
        return _row(
            record_id=pid, name_latin=north_name(north_family, given), sex=str(p["sex"]),
            birth_date=str(birth.year), birthplace=p["place"][1],  # type: ignore[index]
            father_name=north_family + str(p["father"]),
        )  # fmt: skip
    if style < 0.6:
        date, calendar = birth.isoformat(), "solar"
    elif style < 0.8:
        lunar = solar_to_lunar(birth)
        date, calendar = f"{lunar.year:04d}-{lunar.month:02d}-{lunar.day:02d}", "lunar"
    else:
        date, calendar = f"{birth.year:04d}-{birth.month:02d}", "solar"
    return _row(
        record_id=pid, family_name=north_family, given_name=given, sex=str(p["sex"]),
        birth_date=date, birth_calendar=calendar, birthplace=p["place"][1],  # type: ignore[index]
        father_name=north_family + str(p["father"]),
    )  # fmt: skip


def generate(n: int = 100, seed: int = 7) -> tuple[str, str, set[tuple[str, str]]]:
    """South's sought list, North's returned list (with siblings and strangers), true pairs."""
    rng = random.Random(seed)
    south: list[dict[str, str]] = []
    north: list[dict[str, str]] = []
    truth: set[tuple[str, str]] = set()
    for i in range(n):
        p = _person(rng)
        sid = f"S{i:04d}"
        south.append(_south(sid, p, rng))
        if rng.random() < 0.85:  # found
            nid = f"N{len(north):04d}"
            north.append(_north(nid, p, rng))
            truth.add((sid, nid))
        for _ in range(rng.choice([0, 0, 1, 2])):  # brothers and sisters returned with them
            sibling = dict(p)
            sibling["given"] = str(p["given"])[0] + rng.choice(SECOND)
            if sibling["given"] == p["given"]:
                continue
            sibling["birth"] = p["birth"] + dt.timedelta(  # type: ignore[operator]
                days=rng.choice([-1, 1]) * rng.randrange(365 * 2, 365 * 6)
            )
            sibling["sex"] = rng.choice("MF")
            north.append(_north(f"N{len(north):04d}", sibling, rng))
    for _ in range(n // 5):  # strangers
        north.append(_north(f"N{len(north):04d}", _person(rng), rng))
    return _csv(south), _csv(north), truth


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def f1(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> tuple[float, float, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    score = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, score


@pytest.fixture(scope="module")
def dataset() -> tuple[str, str, set[tuple[str, str]]]:
    return generate()


def test_link_finds_the_true_pairs(dataset):
    south_text, north_text, truth = dataset
    pairs = link(parse(south_text, "south.csv"), parse(north_text, "north.csv"))
    found = {(p.left_id, p.right_id) for p in pairs}
    precision, recall, score = f1(found, truth)
    print(f"precision {precision:.3f} recall {recall:.3f} F1 {score:.3f} on {len(truth)} pairs")
    assert score >= 0.9, (precision, recall, score)
    assert all(DEFAULT_THRESHOLD <= p.match_probability <= 1 for p in pairs)
    assert len({p.left_id for p in pairs}) == len(pairs) == len({p.right_id for p in pairs})


def test_one_to_one_is_greedy_by_probability():
    pairs = [Pair("a", "x", 0.95), Pair("a", "y", 0.99), Pair("b", "y", 0.97), Pair("b", "x", 0.9)]
    assert one_to_one(pairs) == [Pair("a", "y", 0.99), Pair("b", "x", 0.9)]


def test_link_of_an_empty_list():
    assert link([], parse("record_id\nA\n", "x.csv")) == []


def test_dedupe_groups_the_same_person(dataset):
    _, north_text, _ = dataset
    south_text, _, truth = dataset
    # One list holding both sides: every true pair should end in one cluster.
    merged = south_text + "".join(north_text.splitlines(keepends=True)[1:])
    clusters = dedupe(parse(merged, "both.csv"))
    cluster_of = {c.record_id: c.cluster_id for c in clusters}
    assert len(cluster_of) == len(merged.splitlines()) - 1
    together = sum(cluster_of[s] == cluster_of[n] for s, n in truth)
    assert together / len(truth) >= 0.85


def test_dedupe_pairs_scores_every_pair_with_its_reasons(dataset):
    south_text, north_text, truth = dataset
    merged = south_text + "".join(north_text.splitlines(keepends=True)[1:])
    pairs = dedupe_pairs(parse(merged, "both.csv"), explain=True)
    found = {frozenset((p.left_id, p.right_id)) for p in pairs}
    assert sum(frozenset(t) in found for t in truth) / len(truth) >= 0.85
    assert all(p.explanation is not None and p.explanation.steps for p in pairs)
    assert pairs == sorted(pairs, key=lambda p: -p.match_probability)


def test_a_handful_of_records_still_links():
    """Five requests against five replies: too few pairs for some EM sessions, which are
    skipped, not fatal."""
    left = parse(
        "record_id,family_name,given_name,birth_date,birthplace,father_name\n"
        "T1,이,선권,1935-03-02,함경남도 혜산,이만수\nT2,유,영희,1940,황해도 연백군,유철\n"
        "T3,김,순자,1938-05-01,평안북도 강계,김동호\nT4,박,명수,1932,개성부,\n"
        "T5,최,옥순,1936-07-07,평양,최병철\n",
        "left.csv",
    )
    right = parse(
        "record_id,family_name,given_name,birth_date,birthplace,father_name\n"
        "a,리,선권,1935-04-10,량강도 혜산시,리만수\nb,류,영희,1940-02-03,황해남도 연안군,류철\n"
        "c,김,순자,1939-06-01,자강도 강계시,\nd,박,명수,1950,개성시,\ne,한,정민,1945,원산,\n",
        "right.csv",
    )
    pairs = {
        (p.left_id, p.right_id): p.match_probability for p in link(left, right, threshold=0.01)
    }
    # T1 and a give two full dates of one year that differ in the month and the day: linked,
    # though less surely than a pair whose dates agree.
    assert pairs[("T1", "a")] > 0.5 and pairs[("T2", "b")] > 0.9
    assert pairs.get(("T4", "d"), 0) < 0.5


def test_on_a_handful_no_unseen_level_vetoes_a_pair():
    """Four true pairs cannot show every level: a level none of them happened to show (the
    same year with no date, one 1945 province) is not taken for one true pairs never show,
    and surname, birthplace and father agreeing together weigh nothing extra either way
    (their sampled u, on twenty pairs, is mostly the true pairs). A sex that disagrees
    lowers a pair; it does not lose it."""
    header = "record_id,family_name,given_name,sex,birth_date,birthplace,father_name\n"
    left = parse(
        header + "T1,이,선권,M,1935-03-02,함경남도 혜산,이만수\n"
        "T2,유,영희,M,1940-05-01,황해도 연백군,유철호\n"
        "T3,김,순자,F,1938-05-01,평안북도 강계,김동호\n"
        "T4,박,명수,M,1932,개성부,박기석\nT5,최,옥순,F,1936-07-07,평양,최병철\n",
        "left.csv",
    )
    right = parse(
        header + "a,리,선권,M,1935-04-10,량강도 혜산시,리만수\n"
        "b,류,영희,F,1940,황해남도 연안군,류철호\n"
        "c,김,순자,F,1939-06-01,자강도 강계시,\nd,박,명수,M,1950,개성시,\n",
        "right.csv",
    )
    pairs = {(p.left_id, p.right_id): p for p in link(left, right, threshold=0.01, explain=True)}
    assert pairs[("T1", "a")].match_probability > 0.9
    steps = {s.comparison: s for s in pairs[("T1", "a")].explanation.steps}
    assert steps["one_family"].bayes_factor == pytest.approx(1.0)
    assert 0.5 < pairs[("T2", "b")].match_probability < pairs[("T1", "a")].match_probability
    # Born eighteen years apart: the least likely pair, and not one to act on unseen.
    others = [pairs[k].match_probability for k in (("T1", "a"), ("T2", "b"), ("T3", "c"))]
    assert pairs[("T4", "d")].match_probability < min(*others, 0.95)


# --- the commands ------------------------------------------------------------------------


def _run(command: type, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command(), *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_link_command_writes_pairs(tmp_path: Path, dataset):
    south_text, north_text, truth = dataset
    (tmp_path / "south.csv").write_text(south_text, encoding="utf-8")
    (tmp_path / "north.csv").write_bytes(north_text.encode("cp949"))  # Korean Excel
    out = tmp_path / "pairs.csv"
    code, _, err = _run(
        LinkCommand, str(tmp_path / "south.csv"), str(tmp_path / "north.csv"), "--out", str(out)
    )
    assert code == 0, err
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["left_id", "right_id", "match_probability"]
    assert f1({(r[0], r[1]) for r in rows[1:]}, truth)[2] >= 0.9
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_link_command_many_and_threshold(tmp_path: Path, dataset):
    south_text, north_text, _ = dataset
    (tmp_path / "s.csv").write_text(south_text, encoding="utf-8")
    (tmp_path / "n.csv").write_text(north_text, encoding="utf-8")
    out = tmp_path / "pairs.csv"
    args = (str(tmp_path / "s.csv"), str(tmp_path / "n.csv"), "--out", str(out))
    assert _run(LinkCommand, *args, "--many", "--threshold", "0.5")[0] == 0
    many = list(csv.reader(out.open(encoding="utf-8")))[1:]
    assert all(float(r[2]) >= 0.5 for r in many)
    assert len({r[0] for r in many}) <= len(many)


def test_dedupe_command_writes_clusters(tmp_path: Path):
    text = (
        "record_id,family_name,given_name,sex,birth_date,birth_calendar,birthplace,father_name\n"
        "A,리,선권,M,1946-02-02,lunar,개성,리문호\n"
        "B,이,선권,M,1946-03-05,solar,개풍군,이문호\n"
        "C,박,영희,F,1950-07-01,solar,평양,박만수\n"
        "D,김,철수,M,1938-11-20,solar,함흥,김태식\n"
    )
    (tmp_path / "people.csv").write_text(text, encoding="utf-8")
    out = tmp_path / "clusters.csv"
    code, _, err = _run(DedupeCommand, str(tmp_path / "people.csv"), "--out", str(out))
    assert code == 0, err
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["cluster_id", "record_id"]
    assert sorted(r[1] for r in rows[1:]) == ["A", "B", "C", "D"]


HEADER = "record_id,family_name,given_name,birth_date,birth_calendar\n"
BAD = {
    "missing record_id column": (b"id,family_name\n1,\xea\xb9\x80\n", "row 1", "record_id"),
    "duplicate ids": (HEADER.encode() + b"A,,,,\nA,,,,\n", "row 3", "record_id"),
    "undecodable bytes": (HEADER.encode() + b"A,\xff\xfe\xff,,,\n", "row 2", ""),
    "impossible date": (HEADER.encode() + b"A,,,1950-02-30,solar\n", "row 2", "birth_date"),
    "unknown calendar": (HEADER.encode() + b"A,,,1950-02-03,juche\n", "row 2", "birth_calendar"),
}


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.parametrize("command", ["link", "dedupe"])
def test_bad_input_exits_2_without_output(tmp_path: Path, case: str, command: str):
    data, row, column = BAD[case]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(data)
    good = tmp_path / "good.csv"
    good.write_text("record_id\nZ\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    if command == "link":
        code, _, err = _run(LinkCommand, str(good), str(bad), "--out", str(out))
    else:
        code, _, err = _run(DedupeCommand, str(bad), "--out", str(out))
    assert code == 2
    assert "bad.csv" in err and row in err and column in err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "good.csv"]


def test_em_learns_dates_among_namesakes_with_one_father_where_lists_record_fathers(
    dataset, caplog, monkeypatch
):
    south_text, north_text, _ = dataset
    caplog.set_level(logging.INFO, logger="panmun.linkage.engine")
    monkeypatch.setattr(engine, "EM_MIN_PAIRS", 10)
    engine.train(parse(south_text, "south.csv"), parse(north_text, "north.csv"))
    assert "too few pairs" not in caplog.text

    def fatherless(text: str) -> str:
        rows = [dict(r, father_name="") for r in csv.DictReader(io.StringIO(text))]
        return _csv(rows)

    # The registry's applicants have no father recorded: the session blocks on the name.
    engine.train(parse(fatherless(south_text), "south.csv"), parse(fatherless(north_text), "n"))
    assert "('family_key', 'given_key', 'father_key'): too few pairs" in caplog.text


def _scored(*pairs: tuple[str, str, float]) -> pa.Table:
    left, right, probability = zip(*pairs, strict=True) if pairs else ((), (), ())
    return pa.table(
        {
            "left_id": pa.array(left, pa.string()),
            "right_id": pa.array(right, pa.string()),
            "match_probability": pa.array(probability, pa.float64()),
        }
    )


def _weighed(table: pa.Table) -> dict[tuple[str, str], float]:
    rows = table.to_pylist()
    return {(r["left_id"], r["right_id"]): r["match_probability"] for r in rows}


def test_a_lone_pair_rises_and_rivals_share_the_chances():
    # S1 has one candidate on fair evidence, and nobody else wants it; S2 has two brothers
    # who resemble the person sought equally well.
    scored = _scored(("S1", "N1", 0.4), ("S2", "N2", 0.9), ("S2", "N3", 0.9))
    weighed = _weighed(engine.among_rivals(scored, n_left=2, n_right=3, prior=0.3))
    assert weighed[("S1", "N1")] > 0.5
    assert weighed[("S2", "N2")] == pytest.approx(weighed[("S2", "N3")])
    assert weighed[("S2", "N2")] < 0.5
    assert weighed[("S2", "N2")] + weighed[("S2", "N3")] <= 1


def test_a_record_wanted_by_two_goes_to_the_better_evidence():
    # N1 resembles both S1 and S2, S1 far better; S2 also has a weaker candidate of its own.
    scored = _scored(("S1", "N1", 0.999), ("S2", "N1", 0.9), ("S2", "N2", 0.6))
    weighed = _weighed(engine.among_rivals(scored, n_left=2, n_right=2, prior=0.4))
    assert weighed[("S1", "N1")] > 0.9
    assert weighed[("S2", "N1")] < 0.5 < weighed[("S2", "N2")]
    for record in ("S1", "S2"):
        assert sum(p for (left, _), p in weighed.items() if left == record) <= 1 + 1e-9
    for record in ("N1", "N2"):
        assert sum(p for (_, right), p in weighed.items() if right == record) <= 1 + 1e-9


def test_nothing_to_weigh():
    assert engine.among_rivals(_scored(), n_left=3, n_right=3, prior=0.1).num_rows == 0


def test_pairs_files_write_a_formula_as_text(tmp_path: Path):
    from panmun.linkage.commandline import write_atomically

    out = tmp_path / "pairs.csv"
    write_atomically(
        str(out), ("left_id", "right_id", "match_probability"), [("=cmd|'/C calc'!A0", "-7", "0.9")]
    )
    assert out.read_text(encoding="utf-8") == (
        "left_id,right_id,match_probability\n'=cmd|'/C calc'!A0,-7,0.9\n"
    )
