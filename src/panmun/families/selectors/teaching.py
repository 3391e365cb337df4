"""What the duplicates page's teaching list shows: the open pairs whose label would teach the
engine most (uncertainty sampling, `linkage.learning.most_useful`), the labels given so far
and the model in use. Read through `families.access`."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from panmun.accounts.models import User
from panmun.linkage.uncertainty import most_useful

from ..access import duplicates_for_user
from ..models import DuplicateCandidate, DuplicateState, LabelSet, LinkageLabel, LinkageModelVersion

#: The name of the registry's duplicates model in the linkage model store.
DUPLICATES_MODEL = "registry-duplicates"
#: The pairs the teaching list shows at once.
SHOWN = 5
#: The most skipped pairs a page carries along (a skip lasts while the page is open).
MAX_SKIPPED = 500


@dataclass(frozen=True)
class _Pair:
    left_id: str
    right_id: str
    match_probability: float


@dataclass(frozen=True)
class TeachingList:
    pairs: list[DuplicateCandidate]
    skipped: list[int]
    same: int
    different: int
    model: LinkageModelVersion | None


def skipped_ids(text: str) -> list[int]:
    """The skipped pairs a page sends back ("12,40,7"); anything else in it is left out."""
    ids = []
    for part in text.split(",")[:MAX_SKIPPED]:
        part = part.strip()
        if part.isdigit() and len(part) < 12:
            ids.append(int(part))
    return ids


def teaching_list(user: User, *, skipped: Collection[int] = (), shown: int = SHOWN) -> TeachingList:
    """The open, unlabelled pairs the engine is least sure of, leaving out those skipped."""
    labelled = LinkageLabel.objects.filter(
        label_set=LabelSet.DUPLICATES, first=OuterRef("first"), second=OuterRef("second")
    )
    candidates = {
        c.pk: c
        for c in duplicates_for_user(user)
        .filter(state=DuplicateState.OPEN)
        .exclude(Exists(labelled))
        .exclude(pk__in=list(skipped))
    }
    by_pair = {(str(c.first_id), str(c.second_id)): c for c in candidates.values()}
    pairs = [_Pair(left, right, c.probability) for (left, right), c in by_pair.items()]
    chosen = most_useful(pairs, shown)
    counts = label_counts()
    return TeachingList(
        pairs=[by_pair[(p.left_id, p.right_id)] for p in chosen],
        skipped=sorted(skipped),
        same=counts["same"],
        different=counts["different"],
        model=model_in_use(),
    )


def label_counts(label_set: str = LabelSet.DUPLICATES) -> dict[str, int]:
    rows = LinkageLabel.objects.filter(label_set=label_set)
    same = rows.filter(same=True).count()
    return {"same": same, "different": rows.count() - same}


def model_in_use() -> LinkageModelVersion | None:
    """The latest retrained duplicates model, or None (the registry's own EM, trained at each
    search)."""
    return LinkageModelVersion.objects.filter(name=DUPLICATES_MODEL).order_by("-number").first()
