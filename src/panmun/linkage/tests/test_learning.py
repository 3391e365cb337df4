"""Reviewers teach the engine: the pairs worth asking about, labels of both kinds in training,
their cross-validation, the labels file, and the terminal session `panmun linkage label`."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pytest
from django.core.management import call_command

from panmun.linkage import engine, learning
from panmun.linkage.engine import Pair, link
from panmun.linkage.learning import Label, most_useful, parse_labels, retrain
from panmun.linkage.management.commands.linkage_label import Command as LabelCommand
from panmun.linkage.model import Model
from panmun.linkage.records import parse

from .test_engine import COLUMNS, LinkCommand, _csv, _run, generate

# 김순자 and 김순희 are sisters, daughters of 김철수, born 1938 and 1941 in 평안남도 평원군; the
# South seeks 김순자, and the North returns her (its record spelt its own way) and her sister.
SISTERS_SOUTH = [
    {"record_id": "S9000", "family_name": "김", "given_name": "순자", "sex": "F",
     "birth_date": "1938-02-11", "birth_calendar": "lunar", "birthplace": "평안남도 평원군",
     "father_name": "김철수"},
]  # fmt: skip
SISTERS_NORTH = [
    {"record_id": "N9000", "family_name": "김", "given_name": "순자", "sex": "F",
     "birth_date": "1938-03-12", "birth_calendar": "solar", "birthplace": "평안남도 평원군",
     "father_name": "김철수"},
    {"record_id": "N9001", "family_name": "김", "given_name": "순희", "sex": "F",
     "birth_date": "1941-09-03", "birth_calendar": "solar", "birthplace": "평안남도 평원군",
     "father_name": "김철수"},
]  # fmt: skip
SISTER = ("S9000", "N9001")
HERSELF = ("S9000", "N9000")


def _with(text: str, rows: list[dict[str, str]]) -> str:
    records = list(csv.DictReader(io.StringIO(text)))
    return _csv(records + [{c: row.get(c, "") for c in COLUMNS} for row in rows])


@pytest.fixture(scope="module")
def family():
    """The generated lists (siblings returned beside the person sought) with the sisters."""
    south_text, north_text, truth = generate(n=120, seed=22)
    south_text, north_text = _with(south_text, SISTERS_SOUTH), _with(north_text, SISTERS_NORTH)
    south, north = parse(south_text, "south.csv"), parse(north_text, "north.csv")
    return south, north, truth | {HERSELF}, south_text, north_text


@pytest.fixture(scope="module")
def em(family):
    south, north, *_ = family
    return engine.train(south, north)


def _probabilities(model: Model, south, north) -> dict[tuple[str, str], float]:
    pairs = link(south, north, model=model, threshold=0.0001, many=True)
    return {(p.left_id, p.right_id): p.match_probability for p in pairs}


# --- the pairs worth asking about ----------------------------------------------------------


def test_most_useful_asks_about_the_least_certain_pairs_not_yet_labelled():
    pairs = [
        Pair("a", "x", 0.999),
        Pair("b", "y", 0.52),
        Pair("c", "z", 0.3),
        Pair("d", "w", 0.02),
        Pair("e", "v", 0.45),
    ]
    assert [(p.left_id, p.right_id) for p in most_useful(pairs, 3)] == [
        ("b", "y"),
        ("e", "v"),
        ("c", "z"),
    ]
    # Labelled already, in either orientation: not asked again.
    chosen = most_useful(pairs, 2, labelled=[("y", "b"), ("e", "v")])
    assert [(p.left_id, p.right_id) for p in chosen] == [("c", "z"), ("d", "w")]
    assert most_useful(pairs, 0) == []
    assert len(most_useful(pairs, 10)) == 5


def test_most_useful_spreads_a_batch_over_records():
    # Three near-even pairs of 김순자 (S1), and two of other records a little further off.
    pairs = [
        Pair("S1", "N1", 0.50),
        Pair("S1", "N2", 0.51),
        Pair("S1", "N3", 0.48),
        Pair("S2", "N4", 0.60),
        Pair("S3", "N1", 0.35),
    ]
    chosen = [(p.left_id, p.right_id) for p in most_useful(pairs, 3)]
    assert chosen == [("S1", "N1"), ("S2", "N4"), ("S1", "N2")]


# --- training with labels of both kinds ----------------------------------------------------


def test_negative_labels_of_siblings_part_them_while_true_pairs_stay(family, em):
    south, north, truth, *_ = family
    before = _probabilities(em, south, north)
    # A reviewer labels the pairs the EM model is least sure of, siblings among them, and
    # the sisters' pair is left out of the labels.
    pairs = [Pair(a, b, p) for (a, b), p in before.items() if p >= 0.01]
    asked = most_useful(pairs, 60, labelled=[SISTER])
    labels = [Label(p.left_id, p.right_id, (p.left_id, p.right_id) in truth) for p in asked]
    different = [x for x in labels if not x.same]
    assert len(different) >= 2 and sum(x.same for x in labels) >= 5
    retrained = retrain(south, north, labels, base=em)
    after = _probabilities(retrained.model, south, north)
    assert after[SISTER] < 0.5 < after[HERSELF]
    assert after[SISTER] < 0.01  # the profile parts sisters without labels; labels keep it
    assert all(after.get((x.left_id, x.right_id), 0) < 0.5 for x in different)
    confident = [t for t in truth if before.get(t, 0) > 0.9]
    assert all(after.get(t, 0) > 0.5 for t in confident)

    # Found more exactly, with labels chosen by the engine.
    def f1(probabilities):
        found = {t for t, p in probabilities.items() if p >= 0.5}
        hits = len(found & truth)
        return 2 * hits / (len(found) + len(truth))

    assert f1(after) >= f1(before)  # 1.0 both with the issue-22 profile
    training = retrained.model.training
    assert training["method"] == "em+labels"
    assert training["labels"] == {"same": len(labels) - len(different), "different": len(different)}
    assert training["cross_validation"] == retrained.cross_validation.to_dict()


def test_a_corrected_model_is_still_splink_s_own(family, em):
    """The shifts live in the m values and the prior: each comparison's m add up to one, the
    saved file scores alike, and every waterfall adds up to the pair's probability."""
    south, north, _truth, *_ = family
    labels = [Label(*SISTER, same=False), Label(*HERSELF, same=True)]
    model = engine.train(south, north, labels=labels)
    assert model.version != em.version
    for comparison in model.splink["comparisons"]:
        ms = [
            lv["m_probability"]
            for lv in comparison["comparison_levels"]
            if not lv.get("is_null_level")
        ]
        assert math.fsum(ms) == pytest.approx(1.0)
    loaded = Model.from_dict(model.to_dict(), "m.json")
    assert loaded.version == model.version
    for pair in link(south, north, model=model, threshold=0.01, many=True, explain=True):
        assert pair.explanation is not None
        assert pair.explanation.match_probability == pytest.approx(pair.match_probability)


def test_the_model_scores_the_labelled_pairs_as_the_regression_fitted_them(family, em):
    south, north, truth, *_ = family
    before = _probabilities(em, south, north)
    uncertain = sorted(before, key=lambda pair: (abs(before[pair] - 0.5), pair))[:30]
    labels = [Label(a, b, (a, b) in truth) for a, b in uncertain] + [Label(*HERSELF, same=True)]
    tables = [engine.comparison_table(south), engine.comparison_table(north)]
    scored = learning._score_labels(em, tables, labels)
    levels = learning._Levels.of(em)
    fitted = learning._weights(levels, learning._fit(levels, scored, learning.PENALTY), scored)
    model = learning.corrected(em, south, north, labels)
    again = learning._score_labels(model, tables, labels)
    assert [pair.weight for pair in again] == pytest.approx(fitted, abs=1e-9)
    assert (
        max(abs(a - pair.weight) for a, pair in zip(fitted, scored, strict=True)) > 0.1
    )  # the labels moved it
    shifts = model.training["correction"]["shifts_bits"]
    assert {name.split(":")[0] for name in shifts["frequency_weights"]} == {
        "family",
        "given",
        "father",
    }
    assert set(shifts["levels"]) == {
        "family",
        "given",
        "birth",
        "birthplace",
        "father",
        "sex",
        "one_family",
    }


def test_no_labels_leave_the_em_model_as_it_is(family, em):
    south, north, *_ = family
    assert retrain(south, north, [], base=em) == learning.Retrained(em, None)
    with pytest.raises(ValueError, match="EM alone"):
        retrain(
            south,
            north,
            [Label(*HERSELF, same=True)],
            base=engine.train(south, north, labels=[HERSELF]),
        )


def test_cross_validation_on_the_labels(family, em):
    south, north, truth, *_ = family
    before = _probabilities(em, south, north)
    # The 30 pairs EM is least sure of (mostly brothers and sisters) and 10 true pairs.
    uncertain = sorted(before, key=lambda pair: (abs(before[pair] - 0.5), pair))[:30]
    true = sorted(t for t in truth if t in before and t not in uncertain)[:10]
    labels = [Label(a, b, (a, b) in truth) for a, b in uncertain + true]
    same = sum(x.same for x in labels)
    assert 2 <= same <= len(labels) - 2
    validation = learning.cross_validate(em, south, north, labels, folds=4)
    assert validation is not None
    assert (validation.folds, validation.labelled) == (4, 40)
    for figure in (validation.precision, validation.recall, validation.f1):
        assert 0 <= figure <= 1
    assert validation.f1 == pytest.approx(
        2 * validation.precision * validation.recall / (validation.precision + validation.recall)
    )
    # The EM model's figures on the same labels: what it judged at its threshold.
    judged = [(before[(x.left_id, x.right_id)] >= 0.5, x.same) for x in labels]
    tp = sum(j and s for j, s in judged)
    assert validation.unsupervised_precision == pytest.approx(tp / sum(j for j, _ in judged))
    assert validation.unsupervised_recall == pytest.approx(tp / same)
    # Fewer than two of a kind: nothing to cross-validate.
    one_different = [x for x in labels if x.same][:5] + [x for x in labels if not x.same][:1]
    assert learning.cross_validate(em, south, north, one_different) is None


# --- the labels file -----------------------------------------------------------------------


def test_labels_file_with_and_without_the_same_column():
    ids = {"S1", "S2", "S3", "S4", "S5"}
    text = "left_id,right_id,same\nS1,S2,1\nS1,S3,no\nS2,S4,TRUE\nS3,S5,다름\n\nS4,S5,같음\n"
    labels, problems = parse_labels(text, "labels.csv", ids, ids)
    assert problems == []
    assert labels == [
        Label("S1", "S2", True),
        Label("S1", "S3", False),
        Label("S2", "S4", True),
        Label("S3", "S5", False),
        Label("S4", "S5", True),
    ]
    labels, problems = parse_labels("left_id,right_id\nS1,S2\n", "labels.csv", ids, ids)
    assert (labels, problems) == ([Label("S1", "S2", True)], [])


def test_a_bad_same_value_is_named_by_file_row_and_field():
    ids = {"S1", "S2"}
    text = "left_id,right_id,same\nS1,S2,0\nS1,S2,maybe\nS2,S1,\n"
    labels, problems = parse_labels(text, "labels.csv", ids, ids)
    assert labels == [Label("S1", "S2", False)]
    assert [(p.code, p.file, p.row, p.field) for p in problems] == [
        ("linkage_label_same", "labels.csv", 3, "same"),
        ("linkage_label_same", "labels.csv", 4, "same"),
    ]
    assert "'maybe' does not say same or different" in problems[0].line()


def test_the_last_decision_on_a_pair_counts():
    labels = [Label("a", "b", True), Label("c", "d", True), Label("b", "a", False)]
    assert learning.latest(labels, one_list=True) == [Label("b", "a", False), Label("c", "d", True)]
    assert learning.latest(labels, one_list=False) == labels


def test_link_command_trains_on_both_kinds_and_refuses_a_bad_value(tmp_path: Path, family, capsys):
    *_, south_text, north_text = family
    (tmp_path / "s.csv").write_text(south_text, encoding="utf-8")
    (tmp_path / "n.csv").write_text(north_text, encoding="utf-8")
    labels = tmp_path / "labels.csv"
    labels.write_text("left_id,right_id,same\nS9000,N9000,yes\nS9000,N9001,아마\n", "utf-8")
    args = [str(tmp_path / "s.csv"), str(tmp_path / "n.csv"), "--out", str(tmp_path / "p.csv")]
    code, _, err = _run(LinkCommand, *args, "--labels", str(labels))
    assert code == 2
    assert "labels.csv row 3 same: '아마' does not say same or different" in err
    assert not (tmp_path / "p.csv").exists()
    labels.write_text("left_id,right_id,same\nS9000,N9000,yes\nS9000,N9001,no\n", "utf-8")
    model = tmp_path / "m.json"
    code, _, err = _run(LinkCommand, *args, "--labels", str(labels), "--save-model", str(model))
    assert code == 0, err
    training = Model.load(model).training
    assert training["labels"] == {"same": 1, "different": 1}
    assert training["cross_validation"] is None  # 2 of each kind are needed
    notes = capsys.readouterr().err  # the stages' notes go to the terminal's stderr
    assert "labels: 1 same, 1 different; too few of each kind to cross-validate" in notes
    pairs = {tuple(r[:2]) for r in csv.reader((tmp_path / "p.csv").open(encoding="utf-8"))}
    assert HERSELF in pairs and SISTER not in pairs


# --- the terminal session ------------------------------------------------------------------


def _session(*args: str, answers: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(LabelCommand(), *args, stdin=io.StringIO(answers), stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(path.open(encoding="utf-8")))


def test_a_labelling_session_writes_each_answer_and_quitting_keeps_them(
    tmp_path: Path, family, settings
):
    settings.PANMUN_LINKAGE_MODELS_DIR = tmp_path / "models"
    *_, south_text, north_text = family
    (tmp_path / "s.csv").write_text(south_text, encoding="utf-8")
    (tmp_path / "n.csv").write_text(north_text, encoding="utf-8")
    labels = tmp_path / "labels.csv"
    lists = [str(tmp_path / "s.csv"), str(tmp_path / "n.csv"), "--labels", str(labels)]
    code, out, err = _session(*lists, "--count", "5", answers="y\nmaybe\nn\ns\nq\nn\n")
    assert code == 0, err
    assert out.count("같은 사람입니까? / The same person? [y]es [n]o [s]kip [q]uit") == 5
    assert "answer y, n, s or q" in out
    assert "성 / family name" in out and "아버지 / father" in out
    rows = _rows(labels)
    assert rows[0] == ["left_id", "right_id", "same"]
    assert [r[2] for r in rows[1:]] == ["1", "0"]
    assert "2 answer(s) written" in out
    assert "too few of each kind to cross-validate" in out
    # A second session starts from those answers, asks about other pairs, and appends;
    # the end of input is the end of the session.
    code, out, err = _session(
        *lists, "--count", "6", "--save-model", "tracing", answers="y\nn\ny\nn\n"
    )
    assert code == 0, err
    rows = _rows(labels)
    assert len(rows) == 1 + 6
    assert len({frozenset(r[:2]) for r in rows[1:]}) == 6
    assert "F1 on them by 3-fold cross-validation" in out  # 3 of each kind: 3 folds
    assert "saved as tracing@v1" in out
    (model, _) = learning_store(settings).load("tracing")
    assert model.training["labelled_pairs"] == 6


def learning_store(settings):
    from panmun.linkage.model import ModelStore

    return ModelStore(Path(settings.PANMUN_LINKAGE_MODELS_DIR))


def test_a_session_on_one_list_and_an_old_two_column_file(tmp_path: Path, family):
    *_, south_text, north_text = family
    merged = south_text + "".join(north_text.splitlines(keepends=True)[1:])
    (tmp_path / "all.csv").write_text(merged, encoding="utf-8")
    labels = tmp_path / "labels.csv"
    labels.write_text("left_id,right_id\nS9000,N9000\n", encoding="utf-8")
    code, _out, err = _session(str(tmp_path / "all.csv"), "--labels", str(labels), answers="n\n")
    assert code == 0, err
    rows = _rows(labels)
    assert rows[:2] == [["left_id", "right_id", "same"], ["S9000", "N9000", "1"]]
    assert len(rows) == 3 and rows[2][2] == "0"
    assert "written again in UTF-8" in err


def test_panmun_linkage_label_is_the_command_linkage_label(monkeypatch):
    from panmun.config import cli

    seen = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: seen.append(argv)
    )
    cli.main(["linkage", "label", "a.csv", "--labels", "l.csv"])
    cli.main(["linkage-label", "a.csv", "--labels", "l.csv"])
    assert seen == [["panmun", "linkage_label", "a.csv", "--labels", "l.csv"]] * 2
