"""Reviewers teach the engine: the pairs worth a label, and a model retrained from labels.

STAND-IN (branch i22-ui): the names and signatures of the contract the branch i22-learn
implements in full; this module is replaced by that one at merge. It does the least that
keeps the pages honest: uncertainty sampling, EM plus the "same" labels, and k-fold
cross-validation that scores each held-out labelled pair with a model trained without it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from . import engine
from .model import Model
from .profiles import KOREAN, Profile

#: Fewer labels than this, or fewer than two of either kind, and there is nothing to
#: cross-validate.
MIN_LABELS = 6


@dataclass(frozen=True)
class Label:
    left_id: str
    right_id: str
    same: bool


@dataclass(frozen=True)
class CrossValidation:
    folds: int
    labelled: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class Retrained:
    model: Model
    cross_validation: CrossValidation | None


def most_useful(
    pairs: Sequence[engine.Pair], n: int, *, labelled: Collection[tuple[str, str]] = ()
) -> list[engine.Pair]:
    """The `n` pairs whose label would teach the most: those the model is least sure of
    (probability nearest 0.5), leaving out the pairs already labelled (either order)."""
    known = {(a, b) for a, b in labelled} | {(b, a) for a, b in labelled}
    open_pairs = [p for p in pairs if (p.left_id, p.right_id) not in known]
    open_pairs.sort(key=lambda p: (abs(p.match_probability - 0.5), p.left_id, p.right_id))
    return open_pairs[: max(n, 0)]


def _scores(
    model: Model, left: engine.Records, right: engine.Records | None
) -> dict[tuple[str, str], float]:
    if right is None:
        pairs = engine.dedupe_pairs(left, model=model, threshold=0.0)
    else:
        pairs = engine.link_new(left, right, model=model, threshold=0.0)
    scores: dict[tuple[str, str], float] = {}
    for pair in pairs:
        scores[(pair.left_id, pair.right_id)] = pair.match_probability
        scores[(pair.right_id, pair.left_id)] = pair.match_probability
    return scores


def _train(
    left: engine.Records, right: engine.Records | None, labels: Sequence[Label], profile: Profile
) -> Model:
    same = [(label.left_id, label.right_id) for label in labels if label.same]
    return engine.train(left, right, profile=profile, labels=same)


def _cross_validate(
    left: engine.Records,
    right: engine.Records | None,
    labels: Sequence[Label],
    folds: int,
    profile: Profile,
) -> CrossValidation | None:
    same = sum(label.same for label in labels)
    if len(labels) < MIN_LABELS or same < 2 or len(labels) - same < 2:
        return None
    folds = max(2, min(folds, len(labels)))
    ordered = sorted(labels, key=lambda label: (not label.same, label.left_id, label.right_id))
    tp = fp = fn = 0
    for k in range(folds):
        held = ordered[k::folds]
        kept = [label for n, label in enumerate(ordered) if n % folds != k]
        scores = _scores(_train(left, right, kept, profile), left, right)
        for label in held:
            judged = scores.get((label.left_id, label.right_id), 0.0) >= engine.DEFAULT_THRESHOLD
            tp += judged and label.same
            fp += judged and not label.same
            fn += (not judged) and label.same
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return CrossValidation(folds, len(labels), precision, recall, f1)


def retrain(
    left: engine.Records,
    right: engine.Records | None,
    labels: Sequence[Label],
    *,
    folds: int = 5,
    profile: Profile = KOREAN,
) -> Retrained:
    """A model trained by EM and the labels, and how well it judges the labelled pairs when
    each was left out of its training (None: too few labels to tell)."""
    left = engine.comparison_table(left, profile)
    right = engine.comparison_table(right, profile) if right is not None else None
    model = _train(left, right, labels, profile)
    cross_validation = _cross_validate(left, right, labels, folds, profile)
    training = dict(model.training)
    training["labels"] = {
        "same": sum(label.same for label in labels),
        "different": sum(not label.same for label in labels),
    }
    if cross_validation is not None:
        training["cross_validation"] = dataclasses.asdict(cross_validation)
    return Retrained(dataclasses.replace(model, training=training), cross_validation)
