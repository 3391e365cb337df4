"""Reviewers teach the engine: labels from every decision, the retraining job, the model used."""

import json

import pytest

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError
from panmun.jobs.models import Job, JobState
from panmun.jobs.services import job_start
from panmun.linkage import engine, learning

from ..models import (
    DuplicateCandidate,
    LabelSet,
    LabelSource,
    LinkageLabel,
    LinkageModelVersion,
    LinkState,
    TracingReply,
)
from ..selectors.teaching import label_counts
from ..services import duplicates, labels, teaching, tracing
from .test_services_tracing import ROWS, _round_with_replies, sought  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def models_dir(settings, tmp_path):
    settings.PANMUN_LINKAGE_MODELS_DIR = tmp_path / "models"
    return settings.PANMUN_LINKAGE_MODELS_DIR


def _candidate(first, second, probability=0.5):
    a, b = sorted((first, second), key=lambda p: p.pk)
    return DuplicateCandidate.objects.create(first=a, second=b, probability=probability)


def _labels():
    return list(
        LinkageLabel.objects.order_by("pk").values_list(
            "label_set", "first_id", "second_id", "same", "source"
        )
    )


def test_each_decision_on_a_pair_is_a_label(pair):
    officer, first, second = pair
    other = first.__class__.objects.filter(family_name="김", given_name="순자").get()
    apart = _candidate(first, other)
    duplicates.duplicate_keep_apart(actor=officer, candidate=apart)
    duplicates.duplicate_merge(actor=officer, candidate=_candidate(first, second), keep=second)
    low, high = sorted((first.pk, other.pk))
    assert _labels() == [
        ("duplicates", low, high, False, "decision"),
        ("duplicates", first.pk, second.pk, True, "decision"),
    ]
    assert LinkageLabel.objects.filter(decided_by=officer).count() == 2
    assert AuditEntry.objects.filter(action="families.label.give").count() == 2


def test_an_answer_on_the_teaching_list_labels_and_can_be_changed(pair):
    officer, first, second = pair
    candidate = _candidate(first, second)
    label = labels.duplicate_label(actor=officer, candidate=candidate, answer="different")
    assert (label.same, label.source) == (False, LabelSource.TEACHING)
    # Another answer replaces the first: one label a pair, both answers in the audit log.
    labels.duplicate_label(actor=officer, candidate=candidate, answer="same")
    assert _labels() == [("duplicates", first.pk, second.pk, True, "teaching")]
    entries = AuditEntry.objects.filter(action="families.label.give").order_by("pk")
    assert [(e.changes["same"], e.changes["before"]) for e in entries] == [
        (False, None),
        (True, False),
    ]
    candidate.refresh_from_db()
    assert candidate.state == "open"  # a label decides nothing


def test_refused_answers_store_nothing(pair, personas):
    officer, first, second = pair
    candidate = _candidate(first, second)
    with pytest.raises(DomainError) as err:
        labels.duplicate_label(actor=personas["viewer"], candidate=candidate, answer="same")
    assert err.value.code == "permission_denied"
    with pytest.raises(DomainError) as err:
        labels.duplicate_label(actor=officer, candidate=candidate, answer="maybe")
    assert (err.value.code, err.value.details) == ("invalid_input", {"field": "answer"})
    duplicates.duplicate_keep_apart(actor=officer, candidate=candidate)
    with pytest.raises(DomainError) as err:
        labels.duplicate_label(actor=officer, candidate=candidate, answer="same")
    assert err.value.code == "invalid_transition"
    assert _labels() == [("duplicates", first.pk, second.pk, False, "decision")]


def test_a_tracing_review_labels_the_sought_person_and_the_reply(sought):  # noqa: F811
    officer, _ = sought
    tracing_round, _ = _round_with_replies(officer, ROWS)
    review = list(TracingReply.objects.filter(round=tracing_round, link_state=LinkState.REVIEW))
    assert review
    for reply in review:
        tracing.reply_review(actor=officer, reply=reply, accept=reply.row != 5)
    found = {
        (label.first_id, label.reply_id): label.same
        for label in LinkageLabel.objects.filter(label_set=LabelSet.TRACING)
    }
    assert found == {
        (r.request.seeking.sought_id, r.pk): r.row != 5 for r in review if r.request_id
    }
    assert label_counts(LabelSet.DUPLICATES) == {"same": 0, "different": 0}


def test_retraining_saves_a_version_and_the_search_uses_it(
    pair, personas, models_dir, django_capture_on_commit_callbacks
):
    officer, first, second = pair
    with pytest.raises(DomainError) as err:  # nothing to learn from yet: no job queued
        job_start(actor=officer, kind="families.linkage_retrain", params={})
    assert err.value.details == {"labels": 0}
    assert not Job.objects.filter(kind="families.linkage_retrain").exists()
    labels.duplicate_label(actor=officer, candidate=_candidate(first, second), answer="same")
    with pytest.raises(DomainError) as err:
        job_start(actor=personas["viewer"], kind="families.linkage_retrain", params={})
    assert err.value.code == "permission_denied"

    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=officer, kind="families.linkage_retrain", params={})
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    version = LinkageModelVersion.objects.get()
    assert (version.name, version.number, version.labels_same, version.labels_different) == (
        "registry-duplicates",
        1,
        1,
        0,
    )
    assert version.f1 is None and version.folds is None  # one label: nothing to cross-validate
    assert job.result["version"] == 1 and job.result["f1"] is None
    saved = json.loads((models_dir / "registry-duplicates" / "v1.json").read_text())
    assert saved["version"] == version.digest
    assert AuditEntry.objects.filter(action="families.duplicates.retrain").count() == 1

    # From now on the search scores with the saved model and trains none.
    def no_training(*args, **kwargs):
        raise AssertionError("the search trained a model although one is saved")

    original = engine.train
    engine.train = no_training
    try:
        counts = duplicates.duplicates_find(actor=officer)
    finally:
        engine.train = original
    assert counts["model_version"] == 1


def test_the_search_trains_when_the_saved_file_is_gone(pair, models_dir):
    officer, first, second = pair
    labels.duplicate_label(actor=officer, candidate=_candidate(first, second), answer="same")
    teaching.duplicates_retrain(actor=officer)
    (models_dir / "registry-duplicates" / "v1.json").unlink()
    counts = duplicates.duplicates_find(actor=officer)
    assert counts["model_version"] == 0 and counts["pairs"] >= 1


def test_the_cross_validated_figures_are_recorded(pair, monkeypatch):
    officer, first, second = pair
    labels.duplicate_label(actor=officer, candidate=_candidate(first, second), answer="same")
    real = learning.retrain

    def retrain(left, right, given, **kwargs):
        model = real(left, right, given, **kwargs).model
        return learning.Retrained(model, learning.CrossValidation(5, 1, 0.75, 0.6, 2 / 3))

    monkeypatch.setattr(learning, "retrain", retrain)
    result = teaching.duplicates_retrain(actor=officer)
    version = LinkageModelVersion.objects.get()
    assert (version.folds, version.precision, version.recall) == (5, 0.75, 0.6)
    assert version.f1 == pytest.approx(2 / 3)
    assert (result["f1"], result["precision"], result["recall"]) == (0.667, 0.75, 0.6)
