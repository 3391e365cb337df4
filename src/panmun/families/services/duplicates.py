"""Duplicates in the registry: found by the linkage engine, decided by an officer.

A merge keeps one person and folds the other into it: the relatives the merged one sought,
the applicants who sought it, its notes, DNA samples and tracing requests move to the kept
person; fields the kept person leaves blank are filled from the merged one; the merged person
stays in the database pointing at the kept one. The `Merge` row remembers every moved row and
the kept person's fields before, so `merge_undo` puts everything back. Both are audited.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Field, Q
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode
from panmun.families.access import can_edit_registry
from panmun.jobs.progress import Progress

from ..keys import set_keys
from ..models import (
    DnaSample,
    DuplicateCandidate,
    DuplicateState,
    Merge,
    Person,
    PersonNote,
    Seeking,
    TracingReply,
)
from ..selectors.teaching import model_in_use
from . import labels
from .registry import APPLICANT_FIELDS
from .tracing import linkage_record

logger = logging.getLogger(__name__)

# The fields a merge may fill on the kept person when it has none.
FILLED = (*APPLICANT_FIELDS, "hometown", "father_name", "alternate_names", "registry_no")
# Candidates for an officer to decide, not merges: in a registry of hundreds of thousands the
# prior of any two records being one person is tiny, so a pair that shares the whole name and
# birth date with nothing else recorded (an applicant has no hometown or father in the
# registry) scores around 0.01. Such pairs are worth a look.
THRESHOLD = 0.01


def person_record(person: Person) -> Any:
    full = person.full_name if not person.family_name else ""
    return linkage_record(str(person.pk), person, birthplace=person.hometown, latin=full)


READ_CHUNK = 5000
WRITE_BATCH = 500


def registry_records(progress: Any, also: Iterable[int] = ()) -> list[Any]:
    """The registry as the engine reads it: every person not merged into another, and the
    persons named in `also` (merged ones among them: a label of a merged pair teaches too)."""
    persons = Person.objects.filter(Q(merged_into__isnull=True) | Q(pk__in=list(also)))
    persons = persons.order_by("pk")
    progress.start(persons.count(), "등록부 읽기 / reading the registry")
    records = []
    for person in persons.iterator(chunk_size=READ_CHUNK):
        records.append(person_record(person))
        if len(records) % READ_CHUNK == 0:
            progress.advance(READ_CHUNK)
    progress.advance(len(records) % READ_CHUNK)
    return records


def _model(engine: Any, table: Any, progress: Any) -> tuple[Any, int]:
    """The latest model retrained from the labels (and its version number), or, when there is
    none or its file cannot be read, one trained on the registry now (version 0)."""
    from panmun.linkage.model import ModelError  # noqa: PLC0415

    version = model_in_use()
    if version is not None:
        progress.start(1, "저장된 모형 읽기 / loading the saved model")
        try:
            model = labels.stored_model(version)
        except ModelError:
            logger.warning(
                "model %s v%s cannot be read: trained again", version.name, version.number
            )
        else:
            progress.advance(1)
            return model, version.number
    progress.start(1, "모형 학습 / training the model")
    model = engine.train(table)
    progress.advance(1)
    return model, 0


def duplicates_find(*, actor: User | None, progress: Any = None) -> dict[str, int]:
    """Score the registry against itself and keep the pairs above the threshold as candidates.

    Pairs already decided (merged or kept apart) are not proposed again. The model is the
    latest one retrained from the reviewers' labels (`teaching.duplicates_retrain`), or,
    before there is one, trained on the registry by EM. The long part (reading,
    training, scoring) holds no transaction, so its progress can be seen as it goes (the job
    runs with `atomic=False`); every write is made in one transaction at the end, so a failure
    leaves no candidate half-written."""
    # Splink brings DuckDB and pandas: loaded when a duplicates job runs, not with every page.
    from panmun.linkage import engine  # noqa: PLC0415

    if actor is not None:
        require_authenticated(actor)
        require(can_edit_registry(actor))
    progress = progress or Progress()
    records = registry_records(progress)
    pairs: list[Any] = []
    version = 0
    if len(records) > 1:
        progress.start(1, "비교 항목 준비 / preparing the comparison columns")
        table = engine.comparison_table(records)
        progress.advance(1)
        model, version = _model(engine, table, progress)
        progress.start(1, "쌍 점수 매기기 / scoring pairs")
        pairs = engine.dedupe_pairs(table, model=model, threshold=THRESHOLD, explain=True)
        progress.advance(1)
    decided = {
        (c.first_id, c.second_id): c
        for c in DuplicateCandidate.objects.all().only("first", "second", "state")
    }
    progress.start(len(pairs), "찾은 쌍 정리 / sorting the pairs found")
    new: list[DuplicateCandidate] = []
    changed: list[DuplicateCandidate] = []
    for n, pair in enumerate(pairs, start=1):
        a, b = sorted((int(pair.left_id), int(pair.right_id)))
        explanation = pair.explanation.to_dict() if pair.explanation else {}
        known = decided.get((a, b))
        if known is None:
            new.append(
                DuplicateCandidate(
                    first_id=a,
                    second_id=b,
                    probability=pair.match_probability,
                    explanation=explanation,
                )
            )
        elif known.state == DuplicateState.OPEN:
            known.probability, known.explanation = pair.match_probability, explanation
            changed.append(known)
        if n % WRITE_BATCH == 0:
            progress.advance(WRITE_BATCH)
    progress.advance(len(pairs) % WRITE_BATCH)
    counts = {
        "persons": len(records),
        "pairs": len(pairs),
        "new": len(new),
        "updated": len(changed),
        "model_version": version,
    }
    progress.start(1, "후보 기록 / writing the candidates")
    with transaction.atomic():
        DuplicateCandidate.objects.bulk_create(new, batch_size=WRITE_BATCH)
        DuplicateCandidate.objects.bulk_update(
            changed, ["probability", "explanation"], batch_size=WRITE_BATCH
        )
        audit.record(
            actor=actor,
            action="families.duplicates.find",
            object_type="families.registry",
            changes=counts,
        )
    progress.advance(1)
    return counts


def candidate_check_open(candidate: DuplicateCandidate) -> None:
    if candidate.state != DuplicateState.OPEN:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "이미 결정된 중복 후보입니다.",
            "This pair has already been decided.",
            {"state": candidate.state},
        )


@transaction.atomic
def duplicate_keep_apart(*, actor: User, candidate: DuplicateCandidate) -> DuplicateCandidate:
    require_authenticated(actor)
    require(can_edit_registry(actor))
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    candidate_check_open(candidate)
    candidate.state, candidate.decided_by, candidate.decided_at = (
        DuplicateState.KEPT_APART,
        actor,
        timezone.now(),
    )
    candidate.save(update_fields=["state", "decided_by", "decided_at"])
    labels.duplicate_decision_label(actor=actor, candidate=candidate, same=False)
    audit.record(
        actor=actor,
        action="families.duplicates.keep_apart",
        obj=candidate,
        changes={"first": candidate.first_id, "second": candidate.second_id},
    )
    return candidate


@dataclass(frozen=True)
class MergePlan:
    """What a merge of `merged` into `kept` moves and fills: what the confirmation page says
    and what `duplicate_merge` does, computed once by `merge_plan`."""

    kept: Person
    merged: Person
    seeking: list[int]  # the relatives the merged one sought (Seeking ids)
    sought_by: list[int]  # the applicants who sought the merged one (Seeking ids)
    notes: list[int]
    dna: list[int]
    replies: int  # tracing replies that come along with the links sought_by
    filled: dict[str, Any]  # the kept person's blank fields, filled from the merged one
    conflicts: list[str]  # fields both hold, differently: the kept one's value stays

    @property
    def moved(self) -> dict[str, list[int]]:
        return {
            "seeking": self.seeking,
            "sought_by": self.sought_by,
            "notes": self.notes,
            "dna": self.dna,
        }


def merge_plan(*, candidate: DuplicateCandidate, keep: Person) -> MergePlan:
    """What merging the pair into `keep` will do, without doing it."""
    if keep.pk not in (candidate.first_id, candidate.second_id):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "남길 인물은 두 후보 중 하나여야 합니다.",
            "The person to keep must be one of the pair.",
            {"field": "keep"},
        )
    merged_id = candidate.second_id if keep.pk == candidate.first_id else candidate.first_id
    kept = Person.objects.get(pk=keep.pk)
    merged = Person.objects.get(pk=merged_id)
    # Relatives the merged one sought, unless the kept one already seeks the same person.
    kept_seeks = set(Seeking.objects.filter(applicant=kept).values_list("sought_id", flat=True))
    seeking = [
        s.pk
        for s in Seeking.objects.filter(applicant=merged).order_by("pk")
        if s.sought_id != kept.pk and s.sought_id not in kept_seeks
    ]
    kept_sought_by = set(Seeking.objects.filter(sought=kept).values_list("applicant_id", flat=True))
    sought_by = [
        s.pk
        for s in Seeking.objects.filter(sought=merged).order_by("pk")
        if s.applicant_id != kept.pk and s.applicant_id not in kept_sought_by
    ]
    filled: dict[str, Any] = {}
    conflicts: list[str] = []
    for name in FILLED:
        mine, theirs = getattr(kept, name), getattr(merged, name)
        if name == "registry_no" or theirs in ("", None):
            continue
        if mine in ("", None):
            filled[name] = theirs
        elif mine != theirs:
            conflicts.append(name)
    if kept.status == "unknown" and merged.status != "unknown":
        filled["status"] = merged.status
    elif merged.status not in ("unknown", kept.status):
        conflicts.append("status")
    return MergePlan(
        kept=kept,
        merged=merged,
        seeking=seeking,
        sought_by=sought_by,
        notes=list(PersonNote.objects.filter(person=merged).values_list("pk", flat=True)),
        dna=list(DnaSample.objects.filter(person=merged).values_list("pk", flat=True)),
        replies=TracingReply.objects.filter(request__seeking_id__in=sought_by).count(),
        filled=filled,
        conflicts=conflicts,
    )


@transaction.atomic
def duplicate_merge(*, actor: User, candidate: DuplicateCandidate, keep: Person) -> Merge:
    """Merge the pair into `keep` (one of the two)."""
    require_authenticated(actor)
    require(can_edit_registry(actor))
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    candidate_check_open(candidate)
    if keep.pk not in (candidate.first_id, candidate.second_id):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "남길 인물은 두 후보 중 하나여야 합니다.",
            "The person to keep must be one of the pair.",
            {"field": "keep"},
        )
    merged_id = candidate.second_id if keep.pk == candidate.first_id else candidate.first_id
    # Locked first, then planned: the plan reads the rows as they are under the lock.
    kept = Person.objects.select_for_update().get(pk=keep.pk)
    merged = Person.objects.select_for_update().get(pk=merged_id)
    plan = merge_plan(candidate=candidate, keep=kept)
    kept_before = audit.snapshot(kept, list(FILLED))
    moved = plan.moved
    Seeking.objects.filter(pk__in=moved["seeking"]).update(applicant=kept)
    Seeking.objects.filter(pk__in=moved["sought_by"]).update(sought=kept)
    PersonNote.objects.filter(pk__in=moved["notes"]).update(person=kept)
    DnaSample.objects.filter(pk__in=moved["dna"]).update(person=kept)
    filled = dict(plan.filled)
    for name, value in filled.items():
        if name != "status":
            setattr(kept, name, value)
    if "status" in filled:
        kept.status, kept.death_date = merged.status, merged.death_date
    set_keys(kept)
    kept.save()
    merged.merged_into = kept
    merged.save(update_fields=["merged_into", "updated_at"])
    candidate.state, candidate.decided_by, candidate.decided_at = (
        DuplicateState.MERGED,
        actor,
        timezone.now(),
    )
    candidate.save(update_fields=["state", "decided_by", "decided_at"])
    labels.duplicate_decision_label(actor=actor, candidate=candidate, same=True)
    merge = Merge.objects.create(
        kept=kept,
        merged=merged,
        candidate=candidate,
        kept_before=kept_before,
        moved=moved,
        merged_by=actor,
    )
    audit.record(
        actor=actor,
        action="families.duplicates.merge",
        obj=kept,
        changes={"merged": merged.pk, "moved": moved, "filled": filled, "merge": merge.pk},
    )
    return merge


@transaction.atomic
def merge_undo(*, actor: User, merge: Merge) -> Merge:
    """Put back everything the merge moved and the kept person's fields as they were."""
    require_authenticated(actor)
    require(can_edit_registry(actor))
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "이미 되돌린 병합입니다.",
            "This merge has already been undone.",
            {"merge": merge.pk},
        )
    kept = Person.objects.select_for_update().get(pk=merge.kept_id)
    merged = Person.objects.select_for_update().get(pk=merge.merged_id)
    if Merge.objects.filter(merged=kept, undone_at__isnull=True).exists():
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "남긴 인물이 그 뒤에 다른 인물에 병합되었습니다. 그 병합을 먼저 되돌리십시오.",
            "The kept person was later merged into another; undo that merge first.",
            {"merge": merge.pk},
        )
    moved = merge.moved
    Seeking.objects.filter(pk__in=moved.get("seeking", []), applicant=kept).update(applicant=merged)
    Seeking.objects.filter(pk__in=moved.get("sought_by", []), sought=kept).update(sought=merged)
    PersonNote.objects.filter(pk__in=moved.get("notes", []), person=kept).update(person=merged)
    DnaSample.objects.filter(pk__in=moved.get("dna", []), person=kept).update(person=merged)
    for name, value in merge.kept_before.items():
        field = Person._meta.get_field(name)
        assert isinstance(field, Field)  # FILLED names the person's own fields
        setattr(kept, field.attname, field.to_python(value))
    set_keys(kept)
    kept.save()
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at"])
    if merge.candidate_id:
        DuplicateCandidate.objects.filter(pk=merge.candidate_id).update(
            state=DuplicateState.OPEN, decided_by=None, decided_at=None
        )
    merge.undone_by, merge.undone_at = actor, timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    audit.record(
        actor=actor,
        action="families.duplicates.undo",
        obj=kept,
        changes={"merged": merged.pk, "merge": merge.pk, "restored": merge.kept_before},
    )
    return merge
