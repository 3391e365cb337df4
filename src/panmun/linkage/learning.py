"""Reviewers teach the engine: labelled pairs of both kinds, the pairs worth asking about, and
a model retrained from EM plus the labels, with its F1 on the labels by cross-validation.

Splink learns m from labelled pairs that are the same person, and nothing from pairs that are
two people; the `dedupe` library learns from both and asks the reviewer about the pairs it is
least sure of (active learning). Here:

- `most_useful` is uncertainty sampling: of the pairs the model scored, those whose match
  weight is closest to 0 (probability closest to ½), each record at most once in a batch
  where there are enough pairs, and never a pair already labelled (in either orientation).
- `corrected` fits a correction of an EM model to labels of both kinds; `retrain` trains the
  EM model, corrects it, and measures the correction on the labels by k-fold
  cross-validation (`cross_validate`). `engine.train(labels=…)` uses `corrected` too.

How labels move the model (`corrected`). A pair's match weight (log2 of its odds) is the
prior's weight plus one weight per comparison, the log2 Bayes factor m/u of the level the pair
fell in, plus, where two records share a name, the frequency adjustment (how much rarer that
name is than names that agree on average, times the level's `tf_adjustment_weight`). The
labels fit a logistic regression of "the same person" on the pair's levels with the EM
model's weight as its offset: one shift δ per (comparison, level), one shift π of the prior,
and one change τ of each frequency weight, all in bits, penalised by ½·PENALTY·(π² + Σδ² +
Στ²) so that no labels leave the EM model as it is and a few move it only a little. The
shifts are written back into the model: m'ₖ = mₖ·2^δₖ / Z, Z = Σⱼ mⱼ·2^δⱼ (so each
comparison's m still add up to one), the prior's odds times 2^π, the frequency weight plus τ
(never below 0: a common name is never better evidence than a rare one). The regression is
fitted in exactly that form (a level's weight moves by δₖ − log2 Z; a pair whose value is
missing on one side does not move), so the saved model scores every labelled pair as the
regression does: its JSON, its `version` digest and the `explain` waterfalls stay Splink's
own. u is left alone (it is what random pairs look like, which a handful of labels cannot
improve on). The fit is a few Gauss-Newton steps on a system of about thirty unknowns, in
plain Python; pairs that fell in the same levels share their gradient.

Negative labels are what teaches the model that brothers and sisters are two people: they
share the surname, the father, the place and often the generation syllable (김순자 and 김순희,
both daughters of 김철수, born 1938 and 1941 in 평안남도 평원군), and EM, which never saw a
pair marked different, takes "one given-name slip, born three years apart" for a clerk's
error. Labelled siblings push those levels down and the true pairs that differ the same way
hold them up; the regression finds the balance.

The EM model does not depend on the labels (EM is unsupervised and seeded), so it is trained
once; each fold of the cross-validation fits the correction without that fold's labels and
scores them at the model's threshold.
"""

from __future__ import annotations

import copy
import csv
import io
import math
import random
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from panmun.common.findings import Finding

from . import engine
from .engine import DEFAULT_THRESHOLD, LEFT, RIGHT, Pair
from .model import Model, now
from .profiles import KOREAN, Profile
from .records import missing_column
from .uncertainty import most_useful as most_useful  # re-exported: part of the contract

# The penalty per squared bit of shift: with 1.0 the shifts' prior spread is about a bit, so a
# dozen labels move a level's weight by at most a bit or two, and hundreds by what they show.
PENALTY = 1.0
NEWTON_STEPS = 50
NEWTON_TOLERANCE = 1e-7  # relative: the objective barely moves any more
CANDIDATE_FLOOR = 0.01  # pairs less probable than this are not worth a reviewer's time
_SCORE_CHUNK = 200  # labelled pairs scored at a time (each chunk a small cross product)
_LN2 = math.log(2)


@dataclass(frozen=True)
class Label:
    """A reviewer's decision on a pair: the same person, or two people."""

    left_id: str
    right_id: str
    same: bool  # True: the same person; False: two people


@dataclass(frozen=True)
class CrossValidation:
    """The model's judgement of the labelled pairs it was not trained on, pooled over folds.

    `unsupervised_*` are the EM model's figures on the same labels (it never saw them), to show
    what the labels changed."""

    folds: int
    labelled: int  # labels used
    precision: float
    recall: float
    f1: float
    unsupervised_precision: float | None = None
    unsupervised_recall: float | None = None
    unsupervised_f1: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "folds": self.folds,
            "labelled": self.labelled,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "unsupervised_precision": self.unsupervised_precision,
            "unsupervised_recall": self.unsupervised_recall,
            "unsupervised_f1": self.unsupervised_f1,
        }


@dataclass(frozen=True)
class Retrained:
    model: Model
    cross_validation: CrossValidation | None


# --- labels as a file ---------------------------------------------------------------------

# How a reviewer may write the decision in a labels file's `same` column.
SAME_WORDS = {
    "1": True, "0": False,
    "yes": True, "no": False, "y": True, "n": False,
    "true": True, "false": False, "t": True, "f": False,
    "같음": True, "다름": False, "예": True, "아니오": False, "아니요": False,
}  # fmt: skip
SAME_HINT = "1/0, yes/no, true/false, 같음/다름"


def same_value(text: str) -> bool | None:
    """The decision a `same` cell states, or None when it states none."""
    return SAME_WORDS.get(text.strip().lower())


def parse_labels(
    text: str, file: str, left_ids: Collection[str], right_ids: Collection[str]
) -> tuple[list[Label], list[Finding]]:
    """A labels file: a header with `left_id`, `right_id` and optionally `same` (no `same`
    column: every pair is the same person), then one decision a row; every problem is
    reported by file, row and column. A pair labelled twice keeps its last row (a reviewer
    who changed their mind appends the new decision)."""
    rows = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(rows, [])]
    missing = [c for c in ("left_id", "right_id") if c not in header]
    if missing:
        return [], [missing_column(file, c) for c in missing]
    at_left, at_right = header.index("left_id"), header.index("right_id")
    at_same = header.index("same") if "same" in header else None
    labels: list[Label] = []
    problems: list[Finding] = []
    for number, values in enumerate(rows, 2):
        if not any(v.strip() for v in values):
            continue
        cells = [v.strip() for v in values] + [""] * len(header)
        left, right = cells[at_left], cells[at_right]
        for column, value, known in (("left_id", left, left_ids), ("right_id", right, right_ids)):
            if value not in known:
                problems.append(
                    Finding(
                        "linkage_label_unknown",
                        ko=f"{value!r}이(가) 목록에 없습니다",
                        en=f"{value!r} is not in the list",
                        file=file,
                        row=number,
                        field=column,
                    )
                )
        said = cells[at_same] if at_same is not None else "1"
        same = same_value(said)
        if same is None:
            problems.append(
                Finding(
                    "linkage_label_same",
                    ko=f"{said!r}은(는) 같음/다름을 뜻하는 값이 아닙니다({SAME_HINT})",
                    en=f"{said!r} does not say same or different ({SAME_HINT})",
                    file=file,
                    row=number,
                    field="same",
                )
            )
            continue
        labels.append(Label(left, right, same))
    return labels, problems


def latest(labels: Iterable[Label], *, one_list: bool) -> list[Label]:
    """Each pair's last decision, in the order first labelled; in one list (dedupe) a pair
    is the same in either orientation."""
    last: dict[tuple[str, ...], Label] = {}
    for label in labels:
        ids = (label.left_id, label.right_id)
        last[tuple(sorted(ids)) if one_list else ids] = label
    return list(last.values())


# --- the pairs worth asking about -------------------------------------------------------------


def candidates(
    left: engine.Records,
    right: engine.Records | None,
    model: Model,
    *,
    floor: float = CANDIDATE_FLOOR,
) -> list[Pair]:
    """Every candidate pair the model scores at or above `floor`, each judged on its own (not
    among rivals, not clustered): what `most_useful` chooses from."""
    if right is None:
        return engine.dedupe_pairs(left, model=model, threshold=floor)
    return engine.link(left, right, model=model, threshold=floor, many=True)


# --- the labelled pairs as the model sees them ------------------------------------------------


@dataclass(frozen=True)
class _Scored:
    """A labelled pair as the EM model scores it: its match weight (bits, prior and frequency
    adjustments included), the level of each comparison (-1: missing on one side) and each
    comparison's frequency adjustment (bits; 0 where the level has none)."""

    weight: float
    gammas: tuple[int, ...]
    same: bool
    frequencies: tuple[float, ...] = ()


def as_labels(labels: Iterable[Label | tuple[str, str]]) -> list[Label]:
    """Labels as given: a bare (left id, right id) pair is a confirmed match."""
    return [
        label if isinstance(label, Label) else Label(str(label[0]), str(label[1]), True)
        for label in labels
    ]


def _tables(left: engine.Records, right: engine.Records | None, profile: Profile) -> list[pa.Table]:
    tables = [engine.comparison_table(left, profile)]
    if right is not None:
        tables.append(engine.comparison_table(right, profile))
    return tables


def _score_labels(model: Model, tables: list[pa.Table], labels: Sequence[Label]) -> list[_Scored]:
    """Each labelled pair scored by Splink as `predict` would (whether or not blocking finds
    it): the records of a chunk of labels are compared every one with every one
    (`score_pairs`, the frequencies from the whole lists) and the labelled pairs kept."""
    if not labels:
        return []
    id_column = model.profile.id_column
    names = [LEFT, RIGHT] if len(tables) == 2 else [LEFT]
    settings = copy.deepcopy(model.splink)
    settings["retain_intermediate_calculation_columns"] = True
    settings["retain_matching_columns"] = False
    linker = engine._linker(tables, names, settings)
    for column in engine._frequency_columns(settings):  # once, not again for every chunk
        linker.table_management.compute_tf_table(column)
    comparisons = [c["output_column_name"] for c in settings["comparisons"]]
    needed = pa.array(sorted({i for label in labels for i in (label.left_id, label.right_id)}))
    rows_of: list[dict[str, dict[str, Any]]] = []
    for table in tables:
        rows = table.filter(pc.is_in(pc.cast(table[id_column], pa.string()), value_set=needed))
        rows_of.append({str(row[id_column]): row for row in rows.to_pylist()})
    left_rows, right_rows = rows_of[0], rows_of[-1]
    missing = [
        f"{label.left_id},{label.right_id}"
        for label in labels
        if label.left_id not in left_rows or label.right_id not in right_rows
    ]
    if missing:
        raise ValueError(f"labelled pairs whose records are not in the lists: {missing[:5]}")
    found: dict[tuple[str, str], tuple[float, tuple[int, ...], tuple[float, ...]]] = {}
    for start in range(0, len(labels), _SCORE_CHUNK):
        chunk = labels[start : start + _SCORE_CHUNK]
        lefts = sorted({label.left_id for label in chunk})
        rights = sorted({label.right_id for label in chunk})
        with engine._splink_notes():
            scored = linker.inference.score_pairs(
                [left_rows[i] for i in lefts], [right_rows[i] for i in rights]
            )
        wanted = {(label.left_id, label.right_id) for label in chunk}
        columns = [f"{id_column}_l", f"{id_column}_r", "match_weight"]
        prefix = settings["match_weight_column_prefix"]
        table = scored.as_pyarrow_table()  # type: ignore[no-untyped-call]
        adjusted = [c for c in comparisons if f"{prefix}tf_adj_{c}" in table.column_names]
        columns += [f"gamma_{c}" for c in comparisons]
        columns += [f"{prefix}tf_adj_{c}" for c in adjusted]
        result = table.select(columns).to_pydict()
        scored.drop_table_from_database_and_remove_from_cache()
        for number, (left_id, right_id) in enumerate(
            zip(result[columns[0]], result[columns[1]], strict=True)
        ):
            key = (str(left_id), str(right_id))
            if key in wanted:
                gammas = tuple(int(result[f"gamma_{c}"][number]) for c in comparisons)
                frequencies = tuple(
                    float(result[f"{prefix}tf_adj_{c}"][number] or 0.0) if c in adjusted else 0.0
                    for c in comparisons
                )
                found[key] = (float(result["match_weight"][number]), gammas, frequencies)
    return [
        _Scored(weight, gammas, label.same, frequencies)
        for label in labels
        for weight, gammas, frequencies in [found[(label.left_id, label.right_id)]]
    ]


# --- the correction ---------------------------------------------------------------------------


@dataclass
class _Levels:
    """The m values the correction may move: per comparison, by gamma value (non-null levels)."""

    comparisons: list[int]  # positions in the model's comparisons that are corrected
    m: list[dict[int, float]]  # per corrected comparison: gamma -> m
    offsets: list[dict[int, int]] = field(default_factory=list)  # gamma -> parameter index
    # Levels whose weight is adjusted by how common the value is: (comparison position, the
    # level's gamma, its tf_adjustment_weight); their parameters follow the levels'.
    frequency: list[tuple[int, int, float]] = field(default_factory=list)

    @classmethod
    def of(cls, model: Model) -> _Levels:
        comparisons, ms, offsets, frequency = [], [], [], []
        index = 1  # parameter 0 is the prior's shift
        for position, comparison in enumerate(model.splink["comparisons"]):
            levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
            if any(lv.get("m_probability") is None for lv in levels):
                continue  # an untrained comparison (nothing to correct)
            m = {len(levels) - 1 - k: float(lv["m_probability"]) for k, lv in enumerate(levels)}
            comparisons.append(position)
            ms.append(m)
            offsets.append({gamma: index + k for k, gamma in enumerate(sorted(m))})
            index += len(m)
            for k, level in enumerate(levels):
                weight = float(level.get("tf_adjustment_weight") or 0.0)
                if level.get("tf_adjustment_column") and weight > 0:
                    frequency.append((position, len(levels) - 1 - k, weight))
        return cls(comparisons, ms, offsets, frequency)

    @property
    def first_frequency(self) -> int:
        return 1 + sum(len(m) for m in self.m)

    @property
    def size(self) -> int:
        return self.first_frequency + len(self.frequency)

    def raw(self, pair: _Scored) -> list[float]:
        """The pair's frequency adjustments as they would be at weight 1 (bits)."""
        if not pair.frequencies:
            return [0.0] * len(self.frequency)
        # A comparison's adjustment is that of the level the pair fell in: a comparison with
        # two adjusted levels (the same Hangul name, the same neutral key) gives each its own.
        return [
            pair.frequencies[position] / weight if pair.gammas[position] == gamma else 0.0
            for position, gamma, weight in self.frequency
        ]


def _shares(levels: _Levels, theta: list[float]) -> list[dict[int, float]]:
    """Per corrected comparison, each level's new m: mₖ·2^δₖ / Z."""
    shares = []
    for m, offsets in zip(levels.m, levels.offsets, strict=True):
        raised = {g: m[g] * 2.0 ** theta[offsets[g]] for g in m}
        total = sum(raised.values())
        shares.append({g: v / total for g, v in raised.items()})
    return shares


def _patterns(scored: Sequence[_Scored]) -> dict[tuple[int, ...], list[_Scored]]:
    """The labelled pairs by their levels: pairs that fell in the same levels move alike."""
    groups: dict[tuple[int, ...], list[_Scored]] = {}
    for pair in scored:
        groups.setdefault(pair.gammas, []).append(pair)
    return groups


def _moves(
    levels: _Levels, theta: list[float], gammas: Sequence[tuple[int, ...]]
) -> list[tuple[float, list[tuple[int, float]]]]:
    """For each pattern of levels: how far its pairs' weight moves (bits), and that move's
    gradient by the parameters (sparse)."""
    shares = _shares(levels, theta)
    out = []
    for pattern in gammas:
        move = theta[0]
        gradient: dict[int, float] = {0: 1.0}
        for m, offsets, share, position in zip(
            levels.m, levels.offsets, shares, levels.comparisons, strict=True
        ):
            gamma = pattern[position]
            if gamma not in m:
                continue  # missing on one side: the null level, never moved
            move += math.log2(share[gamma] / m[gamma])
            for g, s in share.items():
                gradient[offsets[g]] = gradient.get(offsets[g], 0.0) - s
            gradient[offsets[gamma]] = gradient.get(offsets[gamma], 0.0) + 1.0
        out.append((move, list(gradient.items())))
    return out


def _weights(levels: _Levels, theta: list[float], scored: Sequence[_Scored]) -> list[float]:
    """Each pair's weight (bits) once the shifts `theta` are applied."""
    patterns = sorted({pair.gammas for pair in scored})
    moves = dict(zip(patterns, (move for move, _ in _moves(levels, theta, patterns)), strict=True))
    first = levels.first_frequency
    return [
        pair.weight
        + moves[pair.gammas]
        + sum(theta[first + f] * raw for f, raw in enumerate(levels.raw(pair)))
        for pair in scored
    ]


def _sigmoid_bits(z: float) -> float:
    x = _LN2 * z
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    e = math.exp(x)
    return e / (1 + e)


def _objective(
    levels: _Levels, theta: list[float], scored: Sequence[_Scored], penalty: float
) -> float:
    loss = 0.0
    for z, pair in zip(_weights(levels, theta, scored), scored, strict=True):
        x = _LN2 * z if pair.same else -_LN2 * z  # -log σ(x) = log(1 + e^-x)
        loss += math.log1p(math.exp(-x)) if x > -30 else -x
    return loss + 0.5 * penalty * sum(t * t for t in theta)


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (a small, positive definite system)."""
    size = len(vector)
    a = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, size):
            factor = a[r][col] / a[col][col]
            if factor:
                for c in range(col, size + 1):
                    a[r][c] -= factor * a[col][c]
    out = [0.0] * size
    for r in range(size - 1, -1, -1):
        out[r] = (a[r][size] - sum(a[r][c] * out[c] for c in range(r + 1, size))) / a[r][r]
    return out


def _fit(levels: _Levels, scored: Sequence[_Scored], penalty: float) -> list[float]:
    """The penalised maximum-likelihood shifts, by Gauss-Newton steps with backtracking (the
    pairs that fell in the same levels share one gradient, so a step costs the patterns)."""
    theta = [0.0] * levels.size
    if not scored:
        return theta
    groups = _patterns(scored)
    patterns = list(groups)
    raws = {id(pair): levels.raw(pair) for pair in scored}
    first, kinds = levels.first_frequency, len(levels.frequency)
    current = _objective(levels, theta, scored, penalty)
    for _ in range(NEWTON_STEPS):
        grad = [penalty * t for t in theta]
        hessian = [[0.0] * levels.size for _ in range(levels.size)]
        for i in range(levels.size):
            hessian[i][i] = penalty
        for pattern, (move, sparse) in zip(patterns, _moves(levels, theta, patterns), strict=True):
            # Sums over the pattern's pairs: of the residual and the curvature, and of both
            # times each frequency feature (the features differ from pair to pair).
            residual = curvature = 0.0
            by_residual, by_curvature = [0.0] * kinds, [0.0] * kinds
            crossed = [[0.0] * kinds for _ in range(kinds)]
            for pair in groups[pattern]:
                raw = raws[id(pair)]
                z = pair.weight + move + sum(theta[first + f] * x for f, x in enumerate(raw))
                p = _sigmoid_bits(z)
                r = _LN2 * (p - (1.0 if pair.same else 0.0))
                c = _LN2 * _LN2 * p * (1 - p)
                residual += r
                curvature += c
                for f, x in enumerate(raw):
                    by_residual[f] += r * x
                    by_curvature[f] += c * x
                    for g, y in enumerate(raw):
                        crossed[f][g] += c * x * y
            for i, gi in sparse:
                grad[i] += residual * gi
                row = hessian[i]
                for j, gj in sparse:
                    row[j] += curvature * gi * gj
                for f in range(kinds):
                    row[first + f] += by_curvature[f] * gi
                    hessian[first + f][i] += by_curvature[f] * gi
            for f in range(kinds):
                grad[first + f] += by_residual[f]
                for g in range(kinds):
                    hessian[first + f][first + g] += crossed[f][g]
        step = _solve(hessian, grad)
        scale = 1.0
        while scale > 1e-6:
            trial = [t - scale * s for t, s in zip(theta, step, strict=True)]
            for f, (_, _, weight) in enumerate(levels.frequency):
                # A frequency weight below 0 would make a common name better evidence than
                # a rare one: held at 0.
                trial[first + f] = max(trial[first + f], -weight)
            value = _objective(levels, trial, scored, penalty)
            if value <= current:
                break
            scale /= 2
        else:
            break
        improvement = current - value
        theta, current = trial, value
        if improvement < NEWTON_TOLERANCE * max(1.0, current):
            break
    return theta


def _apply(model: Model, levels: _Levels, theta: list[float]) -> dict[str, Any]:
    """The model's Splink dict with the shifts written into its m values and prior."""
    settings = copy.deepcopy(model.splink)
    prior = float(settings["probability_two_random_records_match"])
    odds = prior / (1 - prior) * 2.0 ** theta[0]
    settings["probability_two_random_records_match"] = odds / (1 + odds)
    for position, share in zip(levels.comparisons, _shares(levels, theta), strict=True):
        comparison = settings["comparisons"][position]
        non_null = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for k, level in enumerate(non_null):
            level["m_probability"] = share[len(non_null) - 1 - k]
    for f, (position, gamma, weight) in enumerate(levels.frequency):
        comparison = settings["comparisons"][position]
        non_null = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        non_null[len(non_null) - 1 - gamma]["tf_adjustment_weight"] = (
            weight + theta[levels.first_frequency + f]
        )
    return settings


def _shifts(model: Model, levels: _Levels, theta: list[float]) -> dict[str, Any]:
    """What the labels changed, in bits, for the model's `training` record."""
    shares = _shares(levels, theta)
    moved: dict[str, dict[str, float]] = {}
    for position, m, share in zip(levels.comparisons, levels.m, shares, strict=True):
        comparison = model.splink["comparisons"][position]
        non_null = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        moved[comparison["output_column_name"]] = {
            str(lv.get("label_for_charts", k)): round(
                math.log2(share[len(non_null) - 1 - k] / m[len(non_null) - 1 - k]), 4
            )
            for k, lv in enumerate(non_null)
        }
    adjusted_in = [position for position, _, _ in levels.frequency]
    frequency = {}
    for f, (position, gamma, weight) in enumerate(levels.frequency):
        comparison = model.splink["comparisons"][position]
        name = comparison["output_column_name"]
        if adjusted_in.count(position) > 1:
            non_null = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
            name += ": " + str(non_null[len(non_null) - 1 - gamma].get("label_for_charts", gamma))
        frequency[name] = round(weight + theta[levels.first_frequency + f], 4)
    return {"prior": round(theta[0], 4), "levels": moved, "frequency_weights": frequency}


def _correct(
    model: Model, scored: Sequence[_Scored], penalty: float
) -> tuple[dict[str, Any], dict[str, Any]]:
    levels = _Levels.of(model)
    theta = _fit(levels, scored, penalty)
    return _apply(model, levels, theta), _shifts(model, levels, theta)


def _counts(labels: Sequence[Label]) -> dict[str, int]:
    same = sum(label.same for label in labels)
    return {"same": same, "different": len(labels) - same}


def corrected(
    model: Model,
    left: engine.Records,
    right: engine.Records | None,
    labels: Sequence[Label | tuple[str, str]],
    *,
    penalty: float = PENALTY,
    folds: int = 5,
) -> Model:
    """`model` (EM-trained on these lists) corrected by the labels: see the module's text. Its
    `training` records the labels of each kind, the shifts, and the cross-validation."""
    given = latest(as_labels(labels), one_list=right is None)
    if not given:
        return model
    return _retrained(model, _tables(left, right, model.profile), given, folds, penalty).model


def _retrained(
    base: Model, tables: list[pa.Table], labels: Sequence[Label], folds: int, penalty: float
) -> Retrained:
    scored = _score_labels(base, tables, labels)
    splink, shifts = _correct(base, scored, penalty)
    validation = _cross_validate(base, scored, labels, folds, penalty)
    training = dict(base.training)
    training.update(
        method="em+labels",
        labelled_pairs=len(labels),
        labels=_counts(labels),
        correction={"penalty": penalty, "shifts_bits": shifts},
        cross_validation=validation.to_dict() if validation else None,
    )
    model = Model(
        profile=base.profile,
        splink=splink,
        threshold=base.threshold,
        training=training,
        created_at=now(),
    )
    return Retrained(model, validation)


# --- cross-validation -------------------------------------------------------------------------


def _folds(labels: Sequence[Label], folds: int) -> list[int]:
    """Each label's fold: the same and the different dealt out in turn after a seeded shuffle,
    so every fold holds some of each."""
    fold_of = [0] * len(labels)
    rng = random.Random(engine.SEED)  # noqa: S311 (a fold split, not a secret)
    for kind in (True, False):
        members = [i for i, label in enumerate(labels) if label.same is kind]
        rng.shuffle(members)
        for position, i in enumerate(members):
            fold_of[i] = position % folds
    return fold_of


def _figures(decided: Iterable[tuple[bool, bool]]) -> tuple[float, float, float]:
    """Precision, recall and F1 of (judged the same, labelled the same) pairs."""
    tp = fp = fn = 0
    for judged, same in decided:
        tp += judged and same
        fp += judged and not same
        fn += same and not judged
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _cross_validate(
    model: Model, scored: Sequence[_Scored], labels: Sequence[Label], folds: int, penalty: float
) -> CrossValidation | None:
    same = sum(label.same for label in labels)
    if same < 2 or len(labels) - same < 2 or folds < 2:
        return None
    folds = min(folds, same, len(labels) - same)
    fold_of = _folds(labels, folds)
    levels = _Levels.of(model)
    bits = math.log2(model.threshold / (1 - model.threshold)) if 0 < model.threshold < 1 else 0.0
    decided: list[tuple[bool, bool]] = []
    for fold in range(folds):
        training = [s for s, f in zip(scored, fold_of, strict=True) if f != fold]
        held = [s for s, f in zip(scored, fold_of, strict=True) if f == fold]
        theta = _fit(levels, training, penalty)
        weights = _weights(levels, theta, held)
        decided += [(z >= bits, s.same) for z, s in zip(weights, held, strict=True)]
    precision, recall, f1 = _figures(decided)
    before = _figures((s.weight >= bits, s.same) for s in scored)
    return CrossValidation(
        folds=folds,
        labelled=len(labels),
        precision=precision,
        recall=recall,
        f1=f1,
        unsupervised_precision=before[0],
        unsupervised_recall=before[1],
        unsupervised_f1=before[2],
    )


def cross_validate(
    model: Model,
    left: engine.Records,
    right: engine.Records | None,
    labels: Sequence[Label],
    *,
    folds: int = 5,
    penalty: float = PENALTY,
) -> CrossValidation | None:
    """F1 on the labelled pairs of the correction of the EM `model`, by k-fold
    cross-validation (each fold's correction fitted without that fold's labels, scored on
    them at the model's threshold); None with fewer than 2 labels of each kind."""
    given = latest(as_labels(labels), one_list=right is None)
    scored = _score_labels(model, _tables(left, right, model.profile), given)
    return _cross_validate(model, scored, given, folds, penalty)


def retrain(
    left: engine.Records,
    right: engine.Records | None,
    labels: Sequence[Label],
    *,
    folds: int = 5,
    profile: Profile = KOREAN,
    penalty: float = PENALTY,
    threshold: float = DEFAULT_THRESHOLD,
    base: Model | None = None,
) -> Retrained:
    """EM plus the labels (both kinds) -> a new model; F1 on the labelled pairs by k-fold CV
    (each fold's model trained without that fold's labels, scored on them at the model
    threshold).

    `base`: the model EM trained on these very lists without labels (as `engine.train` made
    it), to correct instead of training it again: the labels do not change it, and on a
    large list EM is most of the time a retraining takes."""
    tables = _tables(left, right, profile)
    if base is None:
        base = engine.train(*tables, profile=profile, threshold=threshold)
    elif base.training.get("method") != "em":
        raise ValueError("base: a model trained by EM alone is needed (not already corrected)")
    given = latest(as_labels(labels), one_list=right is None)
    if not given:
        return Retrained(base, None)
    return _retrained(base, tables, given, folds, penalty)
