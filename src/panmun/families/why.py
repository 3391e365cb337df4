"""Why the linkage engine judged two records alike, in an officer's words.

The engine (`panmun.linkage.explain`, no Django) stores a pair's match-weight waterfall with its
own labels ("same neutral key", "null", "year ± 1"). This module turns that into the rows a page
shows, in the page's language: what was compared, what was found, and its weight. The first row
is the starting weight (the prior: how likely two records picked at random are the same person);
the rows add up to the pair's match weight, which gives the probability shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# What each comparison of the Korean profile (`linkage.profiles.KoreanProfile`) compares.
COMPARED: dict[str, Promise] = {
    "family": pgettext_lazy("linkage", "Surname"),
    "given": _("Given name"),
    "birth": _("Birth date"),
    "birthplace": pgettext_lazy("linkage", "Hometown"),
    "father": _("Father's name"),
    "sex": pgettext_lazy("linkage", "Sex"),
}

# A level no comparison names: a value missing on one side, or none of the levels above.
NULL = "null"
ELSE = "All other comparisons"

# (comparison, the engine's label of the level) → what was found.
FINDINGS: dict[tuple[str, str], Promise] = {
    ("family", NULL): _("surname not recorded for one of them"),
    ("family", "same neutral key"): _("surnames written the same in Latin letters"),
    ("family", "jamo ≤ 1"): _("surnames one letter (jamo) apart"),
    ("family", ELSE): _("different surnames"),
    ("given", NULL): _("given name not recorded for one of them"),
    ("given", "same neutral key"): _("names written the same in Latin letters"),
    ("given", "one slip"): _("given names one slip of the pen apart"),
    ("given", "a -자 name changed"): _("a given name in -자 changed (as 순자 became 순희)"),
    ("given", "jamo or key ≤ 1"): _("given names one letter apart"),
    ("given", "jamo or key ≤ 2"): _("given names two letters apart"),
    ("given", ELSE): _("different given names"),
    ("birth", NULL): _("birth year not recorded"),
    ("birth", "a shared solar date"): _("the same birthday, once both are read as solar dates"),
    ("birth", "same year and month"): _("born in the same year and month"),
    ("birth", "same year"): _("born in the same year"),
    ("birth", "year ± 1"): _("born a year apart"),
    ("birth", "year ± 2"): _("born two years apart"),
    ("birth", "year ± 5"): _("born three to five years apart"),
    ("birth", ELSE): _("born more than five years apart"),
    ("birthplace", NULL): _("hometown not recorded for one of them"),
    ("birthplace", "same neutral key"): _("the same hometown"),
    ("birthplace", "one province, or one place inside the other"): _(
        "hometowns in the same province, or one inside the other"
    ),
    ("birthplace", ELSE): _("different hometowns"),
    ("father", NULL): _("father's name not recorded for one of them"),
    ("father", "same neutral key"): _("fathers' names written the same in Latin letters"),
    ("father", "one slip"): _("fathers' names one slip of the pen apart"),
    ("father", "key ≤ 1"): _("fathers' names one letter apart"),
    ("father", ELSE): _("different fathers' names"),
    ("sex", NULL): _("sex not recorded for one of them"),
    ("sex", "same"): _("the same sex"),
    ("sex", ELSE): _("different sexes"),
}

# The levels of any other profile (`linkage.profiles.GenericProfile`), whatever the column.
GENERIC_FINDINGS: dict[str, Promise] = {
    NULL: _("not recorded for one of them"),
    "exact": _("the same"),
    "same neutral key": _("written the same in Latin letters"),
    "one typo": _("one typing error apart"),
    "same year": _("the same year"),
    ELSE: _("different"),
}


@dataclass(frozen=True)
class WhyRow:
    compared: str
    finding: str
    weight: float  # log2 of the Bayes factor; the prior's log2 odds on the first row
    running: float  # the match weight so far
    prior: bool = False


@dataclass(frozen=True)
class WhyTable:
    rows: list[WhyRow]
    match_weight: float
    probability: float
    # In a one-to-one link: the probability once the other candidates of both records are
    # weighed (the rows explain the pair judged on its own).
    among_rivals: float | None = None

    @property
    def prior(self) -> WhyRow | None:
        return self.rows[0] if self.rows and self.rows[0].prior else None


def describe(comparison: str, level: str) -> tuple[str, str]:
    """(what was compared, what was found) in the active language."""
    compared = COMPARED.get(comparison)
    finding = FINDINGS.get((comparison, level)) or GENERIC_FINDINGS.get(level)
    return (
        str(compared) if compared is not None else comparison,
        str(finding) if finding is not None else level,
    )


def probability_of(weight: float) -> float:
    odds: float = 2.0 ** max(min(weight, 1000.0), -1000.0)
    return odds / (1 + odds)


def weight_of(probability: float) -> float:
    """The match weight (log2 odds) of a probability."""
    p = min(max(probability, 1e-300), 1 - 1e-16)
    return math.log2(p / (1 - p))


def why_table(explanation: Any, probability: float | None = None) -> WhyTable | None:
    """The rows of an explanation stored by the engine (`Waterfall.to_dict()`), the prior first.

    An explanation stored without its prior (older rows) gets it from the probability shown:
    the prior is then what the steps leave of that probability's weight; with neither, the
    rows are the steps alone."""
    if not isinstance(explanation, dict):
        return None
    steps = [s for s in explanation.get("steps") or [] if isinstance(s, dict)]
    if not steps:
        return None
    step_sum = sum(float(s.get("match_weight") or 0.0) for s in steps)
    prior = explanation.get("prior_weight")
    if prior is None and probability is not None:
        prior = weight_of(probability) - step_sum
    rows = []
    running = 0.0
    if prior is not None:
        running = float(prior)
        rows.append(
            WhyRow(
                compared=str(_("Starting weight")),
                finding=str(
                    _("how likely two records picked at random are the same person (the prior)")
                ),
                weight=running,
                running=running,
                prior=True,
            )
        )
    for s in steps:
        weight = float(s.get("match_weight") or 0.0)
        running += weight
        compared, finding = describe(str(s.get("comparison", "")), str(s.get("level", "")))
        rows.append(WhyRow(compared, finding, weight, running))
    rivals = explanation.get("probability_among_rivals")
    return WhyTable(
        rows=rows,
        match_weight=running,
        probability=probability_of(running),
        among_rivals=float(rivals) if isinstance(rivals, int | float) else None,
    )
