"""The benchmark's data generator (benchmarks/korean_data.py): files that Panmun reads, the same
for a seed, and the phenomena the benchmark is meant to exercise."""

from __future__ import annotations

import csv
import io
import random
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from panmun.korean.calendars import solar_to_lunar
from panmun.korean.romanization import north_name
from panmun.linkage.engine import dedupe
from panmun.linkage.records import parse, read

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import korean_data

SOUGHT, RETURNED, SEED = 200, 500, 7
FILES = ("sought.csv", "returned.csv", "truth.csv")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("korean_data")
    korean_data.write(korean_data.generate(SOUGHT, RETURNED, seed=SEED), out)
    return out


def test_files_read_back_whole(written: Path) -> None:
    sought, _ = read(written / "sought.csv")
    returned, _ = read(written / "returned.csv")
    assert len(sought) == SOUGHT
    assert len(returned) == RETURNED
    assert (written / "returned.csv").read_bytes().count(b"\r") == 0
    header = (written / "sought.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(korean_data.COLUMNS)


def test_same_seed_same_files_streamed_or_not(written: Path, tmp_path: Path) -> None:
    korean_data.generate_files(SOUGHT, RETURNED, SEED, tmp_path / "again")
    for name in FILES:
        assert (tmp_path / "again" / name).read_bytes() == (written / name).read_bytes(), name
    korean_data.generate_files(SOUGHT, RETURNED, SEED + 1, tmp_path / "other")
    assert (tmp_path / "other" / "sought.csv").read_bytes() != (written / "sought.csv").read_bytes()


def test_truth_pairs_existing_records_one_to_one(written: Path) -> None:
    sought = {r["record_id"]: r for r in _rows(written / "sought.csv")}
    returned = {r["record_id"]: r for r in _rows(written / "returned.csv")}
    truth = _rows(written / "truth.csv")
    lefts = [t["left_id"] for t in truth]
    rights = [t["right_id"] for t in truth]
    assert set(lefts) <= set(sought) and set(rights) <= set(returned)
    assert len(set(lefts)) == len(lefts) and len(set(rights)) == len(rights)
    assert 0.70 * SOUGHT <= len(truth) <= 0.95 * SOUGHT  # about 85% found, the rest not
    assert list(returned) == sorted(returned)  # the file is in id order …
    assert rights != sorted(rights)  # … and the ids were dealt at random


def test_brothers_and_sisters_of_found_people_are_returned(written: Path, tmp_path: Path) -> None:
    returned = _rows(written / "returned.csv")
    by_father: dict[tuple[str, str], list[str]] = {}
    for r in returned:
        if r["father_name"]:
            by_father.setdefault((r["family_name"], r["father_name"]), []).append(r["record_id"])
    partners = {t["right_id"] for t in _rows(written / "truth.csv")}
    with_sibling = [
        r
        for r in returned
        if r["record_id"] in partners
        and r["father_name"]
        and len(by_father[r["family_name"], r["father_name"]]) > 1
    ]
    assert len(with_sibling) >= 20
    counts = korean_data.generate_files(SOUGHT, RETURNED, SEED, tmp_path)
    assert counts["r_sibling_of_found"] >= 0.3 * counts["r_partner"]
    assert counts["r_filler_namesake_drawn"] > 0


def test_the_south_and_the_north_write_differently(written: Path) -> None:
    sought = _rows(written / "sought.csv")
    returned = _rows(written / "returned.csv")
    full = [r for r in sought if r["birth_date"].count("-") == 2]
    assert any(r["birth_calendar"] == "lunar" for r in full)
    assert any(r["birth_calendar"] == "" for r in full)  # a date, calendar unknown
    assert any(len(r["birth_date"]) == 4 for r in sought)  # a year from the Korean age
    latin_only = [r for r in sought if r["name_latin"] and not r["given_name"]]
    assert latin_only and all(not r["family_name"] for r in latin_only)
    south_surnames = {r["family_name"] for r in sought}
    north_surnames = {r["family_name"] for r in returned}
    assert "리" in north_surnames and "리" not in south_surnames and "이" in south_surnames
    assert all(r["birth_calendar"] in ("solar", "") for r in returned)
    assert any(
        r["name_latin"] == north_name(r["family_name"], r["given_name"])
        for r in returned
        if r["name_latin"] and r["given_name"]
    )  # the North's own romanization: Ri Son Gwon


def test_lunar_table_agrees_with_panmun_calendars() -> None:
    for day in (date(1925, 1, 23), date(1941, 7, 20), date(1944, 6, 1), date(1955, 12, 31)):
        lunar = solar_to_lunar(day)
        assert korean_data.lunar_of(day) == (lunar.year, lunar.month, lunar.day, lunar.leap_month)


def test_typo_changes_one_jamo() -> None:
    rng = random.Random(3)
    for word in ("영수", "순자", "옥순", "례순"):
        typo = korean_data.jamo_typo(word, rng)
        assert len(typo) == len(word)
        assert sum(a != b for a, b in zip(typo, word, strict=True)) == 1


def test_dedupe_of_both_lists_keeps_brothers_and_sisters_apart() -> None:
    """One list holding both sides of a round (2,000 sought, 5,000 returned with brothers and
    sisters): the records clustered together are mostly the same person. A model whose EM
    learnt the birth date among namesakes (blocking on the name alone) took "same surname,
    father and place, any birth date" for a match and clustered brothers: 0.84 here. On the
    lists with the kinds of pairs of issue 22 (names backwards, dates missing on one side…) the
    model before issue 22's comparisons kept 0.941 of the pairs together and 0.861 of the
    clustered pairs were the same person; with them (a family counted once, brothers' names a
    level of their own) 0.956 and 0.934. The bounds are below those, well above 0.861."""
    dataset = korean_data.generate(2000, 5000, seed=2)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=korean_data.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows([*dataset.sought, *dataset.returned])
    clusters = dedupe(parse(text.getvalue(), "both.csv"))
    cluster_of = {c.record_id: c.cluster_id for c in clusters}
    together = sum(cluster_of[a] == cluster_of[b] for a, b in dataset.truth)
    clustered_pairs = sum(n * (n - 1) // 2 for n in Counter(cluster_of.values()).values())
    assert together / len(dataset.truth) >= 0.94
    assert together / clustered_pairs >= 0.91
