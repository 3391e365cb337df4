"""Models trained, saved, versioned and reused; labelled pairs; waterfalls; incremental batches;
the generic profile; and the commands that expose them."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from panmun.linkage.engine import dedupe, link, link_new, train
from panmun.linkage.model import Model, ModelError, ModelStore
from panmun.linkage.profiles import KOREAN, Column, GenericProfile
from panmun.linkage.records import parse

from .test_engine import DedupeCommand, LinkCommand, _run, f1, generate


@pytest.fixture(scope="module")
def lists():
    south_text, north_text, truth = generate(n=150, seed=11)
    return parse(south_text, "south.csv"), parse(north_text, "north.csv"), truth


@pytest.fixture(scope="module")
def model(lists):
    south, north, _ = lists
    return train(south, north)


def found(pairs) -> set[tuple[str, str]]:
    return {(p.left_id, p.right_id) for p in pairs}


def test_a_saved_model_scores_exactly_as_the_trained_one(tmp_path: Path, lists, model):
    south, north, truth = lists
    path = tmp_path / "model.json"
    model.save(path)
    loaded = Model.load(path)
    assert loaded.version == model.version
    assert loaded.training["method"] == "em"
    assert loaded.training["records"] == [len(south), len(north)]
    before = link(south, north, model=model)
    after = link(south, north, model=loaded)
    # The same pairs, and the same probabilities to 1e-12: floating-point sums are the only
    # room for a difference (a CI run once differed in the sixteenth digit when rivals were
    # weighed by DuckDB's parallel sums; `among_rivals` now adds in one fixed order).
    assert [(p.left_id, p.right_id) for p in before] == [(p.left_id, p.right_id) for p in after]
    assert [p.match_probability for p in after] == pytest.approx(
        [p.match_probability for p in before], rel=1e-12, abs=1e-15
    )
    assert f1(found(after), truth)[2] >= 0.9


def test_an_edited_model_file_is_refused(tmp_path: Path, model):
    path = tmp_path / "model.json"
    model.save(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["splink"]["probability_two_random_records_match"] = 0.5
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ModelError, match="edited"):
        Model.load(path)
    for broken, message in (
        ("{", "not JSON"),
        ('{"format": "x"}', "not a Panmun linkage model"),
        (json.dumps({**document, "version": None, "threshold": 2}), "threshold"),
        (json.dumps({**document, "version": None, "profile": {"name": "x"}}), "profile"),
    ):
        path.write_text(broken, encoding="utf-8")
        with pytest.raises(ModelError, match=message):
            Model.load(path)


def test_the_store_numbers_versions_and_keeps_them(tmp_path: Path, lists, model):
    south, north, truth = lists
    store = ModelStore(tmp_path)
    first = store.save(model, "tracing")
    assert (first.number, first.path.name) == (1, "v1.json")
    assert store.save(model, "tracing") == first  # the same model is not stored twice
    other = train(south, north, labels=sorted(truth)[:30])
    second = store.save(other, "tracing")
    assert second.number == 2
    assert store.load("tracing")[0].version == other.version
    assert store.load("tracing", 1)[0].version == model.version
    with pytest.raises(ModelError):
        store.load("tracing", 3)
    with pytest.raises(ModelError):
        store.save(model, "../escape")


def test_labelled_pairs_train_the_model(lists):
    south, north, truth = lists
    labelled = train(south, north, labels=sorted(truth)[:40])
    assert labelled.training == {**labelled.training, "method": "em+labels", "labelled_pairs": 40}
    assert f1(found(link(south, north, model=labelled)), truth)[2] >= 0.9


def test_each_pair_is_explained_by_its_waterfall(lists, model):
    south, north, _ = lists
    pairs = link(south, north, model=model, explain=True)
    assert pairs
    for pair in pairs:
        waterfall = pair.explanation
        assert waterfall is not None
        assert [s.comparison for s in waterfall.steps] == [
            "family",
            "given",
            "birth",
            "birthplace",
            "father",
            "sex",
            "one_family",
        ]
        # The steps explain the pair on its own; one partner each weighs it against rivals.
        assert waterfall.among_rivals is not None
        assert math.isclose(waterfall.among_rivals, pair.match_probability, rel_tol=1e-9)
        assert waterfall.to_dict()["probability_among_rivals"] == waterfall.among_rivals
    for pair in link(south, north, model=model, explain=True, many=True):
        assert pair.explanation is not None and pair.explanation.among_rivals is None
        assert math.isclose(
            pair.explanation.match_probability, pair.match_probability, rel_tol=1e-9
        )
    # The steps name the levels the model defines, with the values compared.
    step = pairs[0].explanation.steps[0]
    assert step.level in ("same neutral key", "jamo ≤ 1", "All other comparisons", "null")
    assert set(step.left) == {"family_key", "family_jamo"}
    assert len(pairs[0].explanation.lines()) == 10  # prior, seven steps, total, among rivals


def test_a_new_batch_links_against_the_existing_list(lists, model):
    south, north, truth = lists
    batch = south[:40]
    pairs = link_new(batch, north, model=model, many=False)
    batch_ids = {r.record_id for r in batch}
    assert {p.left_id for p in pairs} <= batch_ids
    expected = {(s, n) for s, n in truth if s in batch_ids}
    assert f1(found(pairs), expected)[2] >= 0.9


def test_a_dedupe_model_links_a_batch_to_a_registry(lists):
    south, north, truth = lists
    # A registry that holds duplicates (half the South's records beside the North's) trains a
    # dedupe model; the other half then arrives as a new batch.
    registry, batch = [*north, *south[75:]], south[:75]
    model = train(registry)
    assert model.link_type == "dedupe_only"
    pairs = link_new(batch, registry, model=model)
    batch_ids = {r.record_id for r in batch}
    assert {p.left_id for p in pairs} <= batch_ids
    expected = {(s, n) for s, n in truth if s in batch_ids}
    assert len(found(pairs) & expected) >= 0.8 * len(expected)
    with pytest.raises(ValueError, match="trained to dedupe"):
        link(batch, north, model=model)


def test_the_generic_profile_links_latin_lists():
    profile = GenericProfile(
        [Column("first", "name"), Column("last", "name"), Column("dob", "date")]
    )
    firsts = ["anna", "boris", "chen", "dana", "emil", "fatima", "gus", "hana", "ivan", "jo"]
    lasts = ["smith", "ng", "kowalski", "o'brien", "garcia", "ali", "kim", "muller", "rossi", "li"]
    left = [
        {"record_id": f"L{i}", "first": f, "last": last, "dob": f"19{50 + i}0{1 + i % 9}1{i}"}
        for i, (f, last) in enumerate((f, la) for f in firsts for la in lasts[:3])
    ]
    right = [
        {**r, "record_id": f"R{i}", "first": r["first"].upper() + ("x" if i % 4 == 0 else "")}
        for i, r in enumerate(left)
    ]
    pairs = link(left, right, profile=profile)
    assert f1(found(pairs), {(f"L{i}", f"R{i}") for i in range(len(left))})[2] >= 0.9
    restored = Model.from_dict(train(left, right, profile=profile).to_dict(), "x")
    assert restored.profile.options() == profile.options()
    with pytest.raises(ValueError):
        Column("record_id", "name")
    with pytest.raises(ValueError):
        Column("x", "colour")  # type: ignore[arg-type]


def test_dedupe_with_a_saved_model(lists):
    _, north, _ = lists
    model = train(north)
    clusters = dedupe(north, model=model)
    assert [c.record_id for c in clusters] == [r.record_id for r in north]
    assert KOREAN.name == model.profile.name


# --- the commands ----------------------------------------------------------------------------


def _write(tmp_path: Path, lists) -> tuple[str, str]:
    south_text, north_text, _ = generate(n=150, seed=11)
    (tmp_path / "s.csv").write_text(south_text, encoding="utf-8")
    (tmp_path / "n.csv").write_text(north_text, encoding="utf-8")
    return str(tmp_path / "s.csv"), str(tmp_path / "n.csv")


def test_link_saves_a_model_and_reuses_it(tmp_path: Path, settings, lists):
    settings.PANMUN_LINKAGE_MODELS_DIR = tmp_path / "models"
    s, n = _write(tmp_path, lists)
    out = str(tmp_path / "pairs.csv")
    code, _, err = _run(LinkCommand, s, n, "--out", out, "--save-model", "tracing")
    assert code == 0, err
    assert (tmp_path / "models" / "tracing" / "v1.json").exists()
    first = (tmp_path / "pairs.csv").read_text(encoding="utf-8")
    explain = str(tmp_path / "why.jsonl")
    code, _, err = _run(
        LinkCommand, s, n, "--out", out, "--model", "tracing@v1", "--explain", explain
    )
    assert code == 0, err
    assert (tmp_path / "pairs.csv").read_text(encoding="utf-8") == first
    lines = [json.loads(line) for line in Path(explain).read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(first.splitlines()) - 1
    assert {"prior_weight", "steps", "match_weight"} <= set(lines[0]["waterfall"])
    model_file = str(tmp_path / "m.json")
    assert _run(LinkCommand, s, n, "--out", out, "--save-model", model_file)[0] == 0
    assert Model.load(Path(model_file)).link_type == "link_only"


def test_link_trains_on_labels(tmp_path: Path, lists):
    s, n = _write(tmp_path, lists)
    _, _, truth = lists
    labels = tmp_path / "labels.csv"
    with labels.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["left_id", "right_id"])
        writer.writerows(sorted(truth)[:20])
    model_file = tmp_path / "m.json"
    args = (s, n, "--out", str(tmp_path / "p.csv"), "--save-model", str(model_file))
    code, _, err = _run(LinkCommand, *args, "--labels", str(labels))
    assert code == 0, err
    assert Model.load(model_file).training["labelled_pairs"] == 20


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--model", "nosuchmodel"), "no model named 'nosuchmodel'"),
        (("--model", "missing.json"), "missing.json: cannot be read"),
        (("--threshold", "1.5"), "--threshold 1.5"),
        (("--labels", "LABELS"), "labels.csv row 2 right_id"),
    ],
)
def test_bad_model_threshold_or_labels_exit_2(tmp_path: Path, settings, lists, extra, message):
    settings.PANMUN_LINKAGE_MODELS_DIR = tmp_path / "models"
    s, n = _write(tmp_path, lists)
    labels = tmp_path / "labels.csv"
    labels.write_text("left_id,right_id\nS0000,nobody\n", encoding="utf-8")
    extra = tuple(str(labels) if e == "LABELS" else e for e in extra)
    out = tmp_path / "out.csv"
    code, _, err = _run(LinkCommand, s, n, "--out", str(out), *extra)
    assert code == 2
    assert message in err
    assert not out.exists()


def test_link_new_and_dedupe_with_saved_models(tmp_path: Path, lists):
    from panmun.linkage.management.commands.link_new import Command as LinkNewCommand

    s, n = _write(tmp_path, lists)
    link_model, dedupe_model = str(tmp_path / "link.json"), str(tmp_path / "dedupe.json")
    assert (
        _run(LinkCommand, s, n, "--out", str(tmp_path / "p.csv"), "--save-model", link_model)[0]
        == 0
    )
    out = tmp_path / "new.csv"
    code, _, err = _run(LinkNewCommand, s, n, "--model", link_model, "--out", str(out))
    assert code == 0, err
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["new_id", "other_id", "match_probability"]
    assert len(rows) > 50
    assert _run(LinkNewCommand, s, n, "--out", str(out))[0] == 2  # no model
    code, _, err = _run(
        DedupeCommand, n, "--out", str(tmp_path / "c.csv"), "--save-model", dedupe_model
    )
    assert code == 0, err
    code, _, err = _run(LinkNewCommand, n, n, "--model", dedupe_model, "--out", str(out))
    assert code == 2 and "ids must be unique" in err
    code, _, err = _run(
        DedupeCommand, n, "--out", str(tmp_path / "c2.csv"), "--model", dedupe_model
    )
    assert code == 0, err
    assert (tmp_path / "c.csv").read_text(encoding="utf-8") == (tmp_path / "c2.csv").read_text(
        encoding="utf-8"
    )


def test_broad_blocking_rules_only_within_the_pair_budget(lists, monkeypatch):
    from panmun.linkage import engine

    south, north, _ = lists
    tables = [KOREAN.table(south), KOREAN.table(north)]
    everything = engine.blocking_rules(KOREAN, tables, "link_only")
    assert everything == KOREAN.blocking_rules() + sorted(
        KOREAN.broad_blocking_rules(),
        key=lambda r: (engine.pair_count(r, tables, "link_only"), r),
    )
    monkeypatch.setattr(engine, "PAIR_BUDGET", 0)
    assert engine.blocking_rules(KOREAN, tables, "link_only") == KOREAN.blocking_rules()
    # The count is exact: every pair of the two lists sharing the surname key.
    by_key = [t.column("family_key").to_pylist() for t in tables]
    expected = sum(1 for a in by_key[0] for b in by_key[1] if a is not None and a == b)
    assert engine.pair_count(("family_key",), tables, "link_only") == expected
