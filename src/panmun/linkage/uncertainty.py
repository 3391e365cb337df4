"""Uncertainty sampling without Splink: which pairs a reviewer should be asked about first.

Kept apart from `learning` (which builds on the engine and so on Splink) so that a page can
order its teaching list without loading Splink into the web process. `learning` re-exports
`most_useful`.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from typing import Protocol, TypeVar


class Scored(Protocol):
    """A pair with the model's probability (`engine.Pair`, or a page's own)."""

    @property
    def left_id(self) -> str: ...

    @property
    def right_id(self) -> str: ...

    @property
    def match_probability(self) -> float: ...


P = TypeVar("P", bound=Scored)


def _uncertainty(pair: Scored) -> float:
    """|match weight| in bits: 0 for a pair at even odds."""
    p = min(max(pair.match_probability, 1e-15), 1 - 1e-15)
    return abs(math.log2(p / (1 - p)))


def most_useful(
    pairs: Sequence[P], n: int, *, labelled: Collection[tuple[str, str]] = ()
) -> list[P]:
    """Uncertainty sampling: the n pairs (not yet labelled, either orientation) whose label
    would help most.

    The pairs whose match weight is closest to 0 (probability closest to ½) come first: the
    model is least sure of them, so a label there moves the decision boundary, where a label
    on a pair at 0.999 teaches nothing. For diversity, a record already in a chosen pair is
    passed over while pairs of unseen records remain (one answer about 김순자 says much about
    her other pairs); the passed-over ones fill the batch last. Ties go by ids."""
    if n <= 0:
        return []
    done = {frozenset(p) for p in labelled}
    ordered = sorted(
        (p for p in pairs if frozenset((p.left_id, p.right_id)) not in done),
        key=lambda p: (_uncertainty(p), p.left_id, p.right_id),
    )
    chosen: list[P] = []
    later: list[P] = []
    seen: set[str] = set()
    for pair in ordered:
        if len(chosen) == n:
            break
        if pair.left_id in seen or pair.right_id in seen:
            later.append(pair)
            continue
        seen.update((pair.left_id, pair.right_id))
        chosen.append(pair)
    chosen += later[: n - len(chosen)]
    return chosen
