"""Reviewers teach the engine: every answer to "are these two the same person?" is a label.

Two label sets, one per engine (`LabelSet`):
- duplicates — two persons of the registry. An officer's decision on a duplicate pair is a
  label (merge: the same; keep apart: different), and so is an answer on the duplicates
  page's teaching list, which labels the pair and leaves it open to decide.
- tracing — the person a request sought and the reply row that may answer it: confirming a
  reply's link is "the same", rejecting it "different". A different list pair (a round's
  replies against the registry), kept apart for the tracing model.

One label a pair: a later answer replaces the earlier one (the audit log keeps both). Labels
stay when a merge is undone: the undo puts the records back, it does not say the two were
different people (keep the pair apart, or answer it on the teaching list, to say that).

The retrained models are saved in the linkage model store (`linkage.model.ModelStore`) under
`DUPLICATES_MODEL`, each version with a `LinkageModelVersion` row.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode, invalid
from panmun.families.access import can_edit_registry

from ..models import (
    DuplicateCandidate,
    DuplicateState,
    LabelSet,
    LabelSource,
    LinkageLabel,
    LinkageModelVersion,
    TracingReply,
)

if TYPE_CHECKING:
    from panmun.linkage.learning import Label
    from panmun.linkage.model import Model, ModelStore

#: The answers on the teaching list (a skip is no answer: nothing is stored).
ANSWERS = {"same": True, "different": False}


def _store() -> ModelStore:
    from panmun.linkage.model import ModelStore  # noqa: PLC0415 (brings the profiles)

    return ModelStore(Path(settings.PANMUN_LINKAGE_MODELS_DIR))


def _label_write(
    *, actor: User, key: dict[str, Any], same: bool, source: str, shown: dict[str, Any]
) -> LinkageLabel:
    """Store (or change) the label found by `key` (its set and pair); inside the caller's
    transaction, audited with what it was before."""
    label = LinkageLabel.objects.select_for_update().filter(**key).first()
    before = None if label is None else label.same
    if label is None:
        label = LinkageLabel(**key)
    label.same, label.source = same, source
    label.decided_by, label.decided_at = actor, timezone.now()
    label.full_clean(validate_constraints=False)
    label.save()
    audit.record(
        actor=actor,
        action="families.label.give",
        obj=label,
        changes={
            "set": key["label_set"],
            **shown,
            "same": same,
            "before": before,
            "source": source,
        },
    )
    return label


def _pair_label(
    *, actor: User, first_id: int, second_id: int, same: bool, source: str
) -> LinkageLabel:
    """Store (or change) the label of two persons; inside the caller's transaction."""
    first_id, second_id = sorted((first_id, second_id))
    return _label_write(
        actor=actor,
        key={"label_set": LabelSet.DUPLICATES, "first_id": first_id, "second_id": second_id},
        same=same,
        source=source,
        shown={"first": first_id, "second": second_id},
    )


def duplicate_decision_label(*, actor: User, candidate: DuplicateCandidate, same: bool) -> None:
    """The label an officer's decision on a duplicate pair gives (merge or keep apart)."""
    _pair_label(
        actor=actor,
        first_id=candidate.first_id,
        second_id=candidate.second_id,
        same=same,
        source=LabelSource.DECISION,
    )


def answer_check(answer: Any) -> bool:
    """ "same" or "different", else a refusal naming the field."""
    if answer not in ANSWERS:
        raise invalid(
            ko="답은 '같은 사람' 또는 '다른 사람'이어야 합니다.",
            en="The answer must be 'same person' or 'different people'.",
            field="answer",
        )
    return ANSWERS[answer]


@transaction.atomic
def duplicate_label(*, actor: User, candidate: DuplicateCandidate, answer: str) -> LinkageLabel:
    """An answer on the teaching list: the pair is labelled, and stays open to decide."""
    require_authenticated(actor)
    require(can_edit_registry(actor))
    same = answer_check(answer)
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.state != DuplicateState.OPEN:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "이미 결정된 중복 후보입니다. 그 결정이 곧 학습 자료입니다.",
            "This pair has already been decided; its decision is its label.",
            {"state": candidate.state},
        )
    return _pair_label(
        actor=actor,
        first_id=candidate.first_id,
        second_id=candidate.second_id,
        same=same,
        source=LabelSource.TEACHING,
    )


def reply_review_label(*, actor: User, reply: TracingReply, same: bool) -> LinkageLabel | None:
    """The label a tracing review gives: (the person the request sought, the reply row);
    inside the review's transaction. None when the reply names no request (nothing to pair)."""
    if reply.request_id is None:
        return None
    sought_id = reply.request.seeking.sought_id  # type: ignore[union-attr]
    return _label_write(
        actor=actor,
        key={"label_set": LabelSet.TRACING, "first_id": sought_id, "reply": reply},
        same=same,
        source=LabelSource.REVIEW,
        shown={"first": sought_id, "reply": reply.pk},
    )


def duplicate_labels() -> list[Label]:
    """The duplicates set as the engine takes it (ids as the registry's records give them)."""
    from panmun.linkage.learning import Label  # noqa: PLC0415

    rows = LinkageLabel.objects.filter(label_set=LabelSet.DUPLICATES).order_by("first", "second")
    return [
        Label(str(first), str(second), same)
        for first, second, same in rows.values_list("first_id", "second_id", "same")
    ]


def stored_model(version: LinkageModelVersion) -> Model:
    """The model file of `version` (a `ModelError` when it is missing or broken)."""
    model, _stored = _store().load(version.name, version.number)
    return model
