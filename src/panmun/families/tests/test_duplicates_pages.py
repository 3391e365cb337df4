"""Duplicates as an officer meets them (issue 15, defects 4–6): the engine's reasons in the
officer's words with the prior as the first step, a confirmation before a merge, and a job
whose progress shows while it runs and whose failure writes nothing."""

from __future__ import annotations

import math
import re

import pytest
from django.conf import settings
from django.db import connection

from panmun.accounts.models import AuditEntry
from panmun.jobs.models import Job, JobState
from panmun.jobs.progress import JobProgress
from panmun.jobs.services import job_start

from ..models import DuplicateCandidate, DuplicateState, Merge, Person, PersonNote
from ..services import duplicates

ENGINE_WORDS = ("same neutral key", "null", "jamo", "All other comparisons", "year ±")


def _weights(text: str) -> list[float]:
    return [float(w) for w in re.findall(r'<tr[^>]*data-weight="([-0-9.]+)"', text)]


def _logit2(p: float) -> float:
    return math.log2(p / (1 - p))


# --- the reasons -----------------------------------------------------------------------------


def test_the_engine_s_reasons_read_in_the_officer_s_words(pair, client_for):
    officer, first, second = pair
    duplicates.duplicates_find(actor=officer)
    candidate = DuplicateCandidate.objects.get(first=first, second=second)
    client = client_for("redcross_s")
    korean = client.get(f"/families/duplicates/{candidate.pk}/").content.decode()
    table = korean[korean.index('<table class="results why"') :]
    table = table[: table.index("</table>")]
    for word in ENGINE_WORDS:
        assert word not in table, word
    assert "이름 로마자 표기가 같음" in table
    assert "시작 가중치" in table  # the prior, first
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/families/duplicates/{candidate.pk}/").content.decode()
    assert "names written the same in Latin letters" in english
    assert "Starting weight" in english


def test_the_steps_add_up_to_the_weight_of_the_probability_shown(pair, client_for):
    officer, first, second = pair
    duplicates.duplicates_find(actor=officer)
    candidate = DuplicateCandidate.objects.get(first=first, second=second)
    text = client_for("redcross_s").get(f"/families/duplicates/{candidate.pk}/").content.decode()
    weights = _weights(text)
    assert 'data-prior="true"' in text and text.index('data-prior="true"') < text.index(
        "이름 로마자 표기가 같음"
    )
    assert weights[0] < 0  # the prior: two records at random are seldom one person
    assert sum(weights) == pytest.approx(_logit2(candidate.probability), abs=0.01)


def test_a_low_probability_with_only_positive_steps_shows_its_prior(pair, client_for):
    """p = 0.086 while every comparison weighs for: the prior is what pulls it down."""
    _officer, first, second = pair
    prior = _logit2(0.086) - 12.0
    candidate = DuplicateCandidate.objects.create(
        first=first,
        second=second,
        probability=0.086,
        explanation={
            "prior_weight": prior,
            "steps": [
                {"comparison": "family", "level": "same neutral key", "match_weight": 4.0},
                {"comparison": "given", "level": "same neutral key", "match_weight": 6.5},
                {"comparison": "birth", "level": "null", "match_weight": 0.0},
                {"comparison": "sex", "level": "same", "match_weight": 1.5},
            ],
        },
    )
    text = client_for("redcross_s").get(f"/families/duplicates/{candidate.pk}/").content.decode()
    weights = _weights(text)
    assert len(weights) == 5 and weights[0] == pytest.approx(prior, abs=1e-6)
    assert sum(weights) == pytest.approx(_logit2(0.086), abs=0.01)
    assert "생년 모름" in text and "null" not in text
    assert "p = 0.086" in text


def test_an_explanation_stored_without_its_prior_gets_it_from_the_probability(pair, client_for):
    _officer, first, second = pair
    candidate = DuplicateCandidate.objects.create(
        first=first,
        second=second,
        probability=0.5,
        explanation={"steps": [{"comparison": "given", "level": "one slip", "match_weight": 3.25}]},
    )
    text = client_for("redcross_s").get(f"/families/duplicates/{candidate.pk}/").content.decode()
    weights = _weights(text)
    assert weights == pytest.approx([-3.25, 3.25], abs=1e-6)


def test_a_one_to_one_link_also_says_its_probability_among_rivals():
    from ..why import why_table

    table = why_table(
        {
            "prior_weight": -10.0,
            "steps": [{"comparison": "birth", "level": "year ± 1", "match_weight": 12.0}],
            "probability_among_rivals": 0.4,
        }
    )
    assert table is not None and table.rows[0].prior and table.among_rivals == 0.4
    assert table.match_weight == pytest.approx(2.0)
    assert [r.finding for r in table.rows][1] == "출생 연도 1년 차이"


# --- deciding --------------------------------------------------------------------------------


def _counts() -> dict[str, int]:
    return {
        "merges": Merge.objects.count(),
        "audit": AuditEntry.objects.exclude(action="families.person.view").count(),
        "merged": Person.objects.filter(merged_into__isnull=False).count(),
    }


def test_a_merge_asks_first_and_says_what_moves(pair, client_for):
    _officer, first, second = pair
    PersonNote.objects.create(person=second, text="본인 확인", author_name="적십자")
    candidate = DuplicateCandidate.objects.create(first=first, second=second, probability=0.97)
    client = client_for("redcross_s")
    before = _counts()
    asked = client.post(
        f"/families/duplicates/{candidate.pk}/decide/", {"decision": "merge", "keep": first.pk}
    )
    text = asked.content.decode()
    assert asked.status_code == 200
    assert _counts() == before  # nothing written yet
    candidate.refresh_from_db()
    assert candidate.state == DuplicateState.OPEN
    assert "이영철" in text and f"#{first.pk}" in text and f"#{second.pk}" in text
    assert "찾는 가족 1명" in text and "유전자 시료 1건" in text and "메모 1건" in text
    assert "되돌릴 수 있습니다" in text  # from the kept record's page
    assert 'name="confirm" value="yes"' in text
    assert f'name="keep" value="{first.pk}"' in text and 'name="decision" value="merge"' in text
    done = client.post(
        f"/families/duplicates/{candidate.pk}/decide/",
        {"decision": "merge", "keep": first.pk, "confirm": "yes"},
    )
    assert done.status_code == 302
    second.refresh_from_db()
    assert second.merged_into_id == first.pk
    assert Merge.objects.count() == 1
    assert PersonNote.objects.get(text="본인 확인").person_id == first.pk


def test_keeping_apart_needs_no_confirmation(pair, client_for):
    _officer, first, second = pair
    candidate = DuplicateCandidate.objects.create(first=first, second=second, probability=0.5)
    response = client_for("redcross_s").post(
        f"/families/duplicates/{candidate.pk}/decide/", {"decision": "keep_apart"}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.state == DuplicateState.KEPT_APART


def test_a_decided_pair_is_refused_before_any_confirmation(pair, client_for):
    officer, first, second = pair
    candidate = DuplicateCandidate.objects.create(first=first, second=second, probability=0.5)
    duplicates.duplicate_keep_apart(actor=officer, candidate=candidate)
    client = client_for("redcross_s")
    before = _counts()
    response = client.post(
        f"/families/duplicates/{candidate.pk}/decide/", {"decision": "merge", "keep": first.pk}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "이미 결정된 중복 후보입니다." in page
    assert _counts() == before


# --- the job ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_job_s_progress_is_committed_as_it_goes(pair, monkeypatch):
    officer, _first, _second = pair
    seen: list[tuple[str, int, int, bool]] = []
    original = JobProgress._show

    def spy(self: JobProgress, force: bool = False) -> None:
        original(self, force=True)
        row = Job.objects.get(pk=self.job.pk)
        seen.append((row.stage, row.progress_done, row.progress_total, connection.in_atomic_block))

    monkeypatch.setattr(JobProgress, "_show", spy)
    job = job_start(actor=officer, kind="families.duplicates", params={})
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    stages = [stage for stage, *_rest in seen]
    for words in ("reading the registry", "training the model", "scoring pairs", "writing"):
        assert any(words in s for s in stages), (words, stages)
    # Written outside any transaction: each update commits when it is made, so the job page
    # (another connection) sees it while the job runs.
    assert not any(in_atomic for *_rest, in_atomic in seen)
    reading = [(done, total) for stage, done, total, _a in seen if "reading" in stage]
    assert reading[-1] == (Person.objects.count(), Person.objects.count())
    assert DuplicateCandidate.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_writes_no_candidate(pair, monkeypatch):
    officer, _first, _second = pair

    class BrokenAudit:
        """Fails after the candidates are written, inside the same transaction."""

        @staticmethod
        def record(**kwargs: object) -> None:
            assert DuplicateCandidate.objects.exists()  # written, not yet committed
            raise RuntimeError("the audit log is full")

    monkeypatch.setattr(duplicates, "audit", BrokenAudit)
    job = job_start(actor=officer, kind="families.duplicates", params={})
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert DuplicateCandidate.objects.count() == 0
