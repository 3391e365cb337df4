"""Duplicates: found by the engine, merged or kept apart, and a merge undone losing nothing."""

import pytest

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError

from ..models import DnaSample, DuplicateCandidate, DuplicateState, Person, Seeking
from ..services import duplicates, registry


def test_the_engine_finds_the_pair(pair):
    officer, first, second = pair
    counts = duplicates.duplicates_find(actor=officer)
    assert counts["new"] >= 1
    candidate = DuplicateCandidate.objects.get(first=first, second=second)
    assert candidate.probability >= 0.5 and candidate.explanation["steps"]
    # Finding again proposes nothing new.
    assert duplicates.duplicates_find(actor=officer)["new"] == 0


def _candidate(first, second):
    return DuplicateCandidate.objects.create(first=first, second=second, probability=0.97)


def test_merge_moves_everything_and_undo_puts_it_back(pair):
    officer, first, second = pair
    before = {
        "seeking": sorted(Seeking.objects.values_list("pk", "applicant_id", "sought_id")),
        "dna": sorted(DnaSample.objects.values_list("pk", "person_id")),
        "first": registry.audit.snapshot(Person.objects.get(pk=first.pk)),
    }
    merge = duplicates.duplicate_merge(
        actor=officer, candidate=_candidate(first, second), keep=first
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.merged_into == first
    assert first.seeking.count() == 2 and first.dna_samples.count() == 1
    assert first.phone == "010-1234-5678"  # filled from the merged record
    assert not Person.objects.filter(merged_into__isnull=True, pk=second.pk).exists()
    duplicates.merge_undo(actor=officer, merge=merge)
    assert (
        sorted(Seeking.objects.values_list("pk", "applicant_id", "sought_id")) == before["seeking"]
    )
    assert sorted(DnaSample.objects.values_list("pk", "person_id")) == before["dna"]
    after = registry.audit.snapshot(Person.objects.get(pk=first.pk))
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before["first"].items() if k != "updated_at"
    }
    assert Person.objects.get(pk=second.pk).merged_into is None
    assert DuplicateCandidate.objects.get().state == DuplicateState.OPEN
    actions = list(
        AuditEntry.objects.filter(action__startswith="families.duplicates")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["families.duplicates.merge", "families.duplicates.undo"]
    with pytest.raises(DomainError):
        duplicates.merge_undo(actor=officer, merge=merge)


def test_keep_apart_and_refusals(pair, personas):
    officer, first, second = pair
    candidate = _candidate(first, second)
    with pytest.raises(DomainError) as err:
        duplicates.duplicate_merge(actor=personas["viewer"], candidate=candidate, keep=first)
    assert err.value.code == "permission_denied"
    other = Person.objects.exclude(pk__in=[first.pk, second.pk]).first()
    with pytest.raises(DomainError) as err:
        duplicates.duplicate_merge(actor=officer, candidate=candidate, keep=other)
    assert err.value.details == {"field": "keep"}
    duplicates.duplicate_keep_apart(actor=officer, candidate=candidate)
    with pytest.raises(DomainError) as err:
        duplicates.duplicate_merge(actor=officer, candidate=candidate, keep=first)
    assert err.value.code == "invalid_transition"
    assert Person.objects.filter(merged_into__isnull=False).count() == 0
