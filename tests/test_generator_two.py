"""The second, independent generator (benchmarks/korean_data_two.py): files Panmun reads
without a finding, a truth that names existing records one to one, the same files streamed or
not, and every phenomenon issue 22 names, on a list of 2,000 : 5,000."""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

import pytest

from panmun.linkage.records import read

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import korean_data_two as two

SOUGHT, RETURNED, SEED = 2000, 5000, 1


@pytest.fixture(scope="module")
def dataset() -> two.Dataset:
    return two.generate(SOUGHT, RETURNED, SEED)


@pytest.fixture(scope="module")
def written(dataset: two.Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generator_two")
    two.write(dataset, out)
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_files_read_back_without_findings(written: Path) -> None:
    sought, _ = read(written / "sought.csv")  # raises InputError on any finding
    returned, _ = read(written / "returned.csv")
    assert (len(sought), len(returned)) == (SOUGHT, RETURNED)
    header = (written / "truth.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "left_id,right_id"


def test_truth_names_existing_records_one_to_one(written: Path) -> None:
    sought = {r["record_id"] for r in _rows(written / "sought.csv")}
    returned = [r["record_id"] for r in _rows(written / "returned.csv")]
    truth = _rows(written / "truth.csv")
    lefts, rights = [t["left_id"] for t in truth], [t["right_id"] for t in truth]
    assert set(lefts) <= sought and set(rights) <= set(returned)
    assert len(set(lefts)) == len(lefts) and len(set(rights)) == len(rights)
    assert 0.80 * SOUGHT <= len(truth) <= 0.90 * SOUGHT
    assert returned == sorted(returned) and rights != sorted(rights)  # ids dealt at random


def test_streamed_files_are_the_same(written: Path, tmp_path: Path) -> None:
    two.generate_files(SOUGHT, RETURNED, SEED, tmp_path)
    for name in ("sought.csv", "returned.csv", "truth.csv"):
        assert (tmp_path / name).read_bytes() == (written / name).read_bytes(), name
    assert not [p for p in tmp_path.iterdir() if p.is_dir()]  # the buckets are gone


def test_every_phenomenon_appears(dataset: two.Dataset) -> None:
    for phenomenon in two.PHENOMENA:
        assert dataset.stats[f"pair: {phenomenon}"] > 0, phenomenon
    assert dataset.stats["returned: sibling of a sought person"] > 0.3 * len(dataset.truth)
    assert dataset.stats["returned: namesake of a sought person"] > 0


def test_the_two_orthographies(dataset: two.Dataset) -> None:
    south = {r["family_name"] for r in dataset.sought}
    north = {r["family_name"] for r in dataset.returned}
    assert {"리", "림", "류", "로", "량"} <= north and not {"리", "림", "류", "로", "량"} & south
    latin_only = [r for r in dataset.sought if r["name_latin"] and not r["given_name"]]
    assert latin_only and all(not r["family_name"] for r in latin_only)
    assert any("량강도" in r["birthplace"] for r in dataset.returned)
    assert not any("량강도" in r["birthplace"] for r in dataset.sought)


def test_noise_helpers() -> None:
    rng = random.Random(5)
    assert two.southern("리란옥") == "이란옥" and two.southern("량강도 혜산시") == "양강도 혜산시"
    assert two.southern("은률군") == "은율군" and two.southern("란옥") == "난옥"
    assert two.vowel_slip("녀", rng) == "너"
    for word in ("영수", "순자", "덕녀"):
        typo = two.consonant_typo(word, rng)
        assert len(typo) == len(word)
        assert sum(a != b for a, b in zip(typo, word, strict=True)) <= 1
