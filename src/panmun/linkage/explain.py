"""Why a pair scored as it did: the match-weight waterfall.

A pair's match weight is the prior's weight (log2 of the prior odds that two records match)
plus, for each comparison, log2 of the Bayes factor m/u of the level the pair fell in, adjusted
where the level weighs how common the shared value is (a rare name says more than 김영수).
`waterfall` reads each comparison's weight from a scored row of Splink's output (scored with
the intermediate columns kept), names each level as the model names it, and shows the values
the reviewer needs to see; the steps add up to the weight Splink computed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Model


@dataclass(frozen=True)
class Step:
    comparison: str
    level: str
    match_weight: float  # log2 of the Bayes factor, the frequency adjustment included
    left: dict[str, Any]
    right: dict[str, Any]
    frequency_weight: float = 0.0  # the part due to how common the shared value is

    @property
    def bayes_factor(self) -> float:
        factor: float = 2.0**self.match_weight
        return factor

    def to_dict(self) -> dict[str, Any]:
        return {
            "comparison": self.comparison,
            "level": self.level,
            "bayes_factor": self.bayes_factor,
            "match_weight": self.match_weight,
            "frequency_weight": self.frequency_weight,
            "left": self.left,
            "right": self.right,
        }


@dataclass(frozen=True)
class Waterfall:
    prior_weight: float
    steps: tuple[Step, ...]
    # In a one-to-one link: the probability once the other candidates of both records are
    # weighed (`engine.among_rivals`); the steps explain the pair judged on its own.
    among_rivals: float | None = None

    @property
    def match_weight(self) -> float:
        return self.prior_weight + sum(s.match_weight for s in self.steps)

    @property
    def match_probability(self) -> float:
        odds: float = 2.0**self.match_weight
        return odds / (1 + odds)

    def to_dict(self) -> dict[str, Any]:
        return {
            "prior_weight": self.prior_weight,
            "steps": [s.to_dict() for s in self.steps],
            "match_weight": self.match_weight,
            "match_probability": self.match_probability,
            "probability_among_rivals": self.among_rivals,
        }

    def lines(self) -> list[str]:
        """The waterfall as text, one line per step, for a terminal or a log."""
        out = [f"{'prior':<12} {'':<24} {self.prior_weight:+7.2f}"]
        running = self.prior_weight
        for s in self.steps:
            running += s.match_weight
            out.append(
                f"{s.comparison:<12} {s.level:<24} {s.match_weight:+7.2f}  → {running:+7.2f}"
            )
        out.append(
            f"{'total':<12} {'':<24} {self.match_weight:+7.2f}  p = {self.match_probability:.4f}"
        )
        if self.among_rivals is not None:
            out.append(f"{'rivals':<12} {'':<24} {'':>7}  p = {self.among_rivals:.4f}")
        return out


def _labels(comparison: dict[str, Any]) -> dict[int, str]:
    """Splink's comparison vector values: -1 for the null level, then the others from the
    highest value (the first level) down to 0 (the last, "all other comparisons")."""
    levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
    labels = {-1: "null"}
    for position, level in enumerate(levels):
        labels[len(levels) - 1 - position] = str(
            level.get("label_for_charts", level["sql_condition"])
        )
    return labels


def waterfall(model: Model, row: dict[str, Any]) -> Waterfall:
    """The waterfall of one row of Splink's predictions (intermediate columns retained)."""
    settings = model.splink
    prior = float(settings["probability_two_random_records_match"])
    shown = model.profile.shown_columns()
    steps = []
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        gamma = int(row[f"gamma_{name}"])
        prefix = settings["match_weight_column_prefix"]
        frequency = float(row.get(f"{prefix}tf_adj_{name}") or 0.0)
        columns = shown.get(name, ())
        steps.append(
            Step(
                comparison=name,
                level=_labels(comparison).get(gamma, str(gamma)),
                match_weight=float(row[f"{prefix}{name}"]) + frequency,
                left={c: row.get(f"{c}_l") for c in columns},
                right={c: row.get(f"{c}_r") for c in columns},
                frequency_weight=frequency,
            )
        )
    return Waterfall(prior_weight=math.log2(prior / (1 - prior)), steps=tuple(steps))
