"""Teaching the engine on the duplicates page (issue 22, item 4): the pairs whose label helps
most, answered one by one with htmx, refusals that change nothing, and the retraining job
with the model in use; the tracing review queue least certain first."""

from __future__ import annotations

import re

import pytest

from panmun.jobs.models import Job

from ..models import DuplicateCandidate, LinkageLabel, LinkageModelVersion, LinkState
from ..services import tracing
from .test_services_tracing import ROWS, _round_with_replies, sought  # noqa: F401 (fixture)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def models_dir(settings, tmp_path):
    settings.PANMUN_LINKAGE_MODELS_DIR = tmp_path / "models"


@pytest.fixture
def candidates(pair):
    """Four open pairs of the registry with the engine's probabilities."""
    officer, first, _ = pair
    people = list(first.__class__.objects.order_by("pk"))
    made = []
    for (a, b), probability in zip(
        [(0, 1), (2, 3), (4, 5), (6, 7)], [0.97, 0.55, 0.2, 0.4], strict=True
    ):
        low, high = sorted((people[a], people[b]), key=lambda p: p.pk)
        made.append(
            DuplicateCandidate.objects.create(first=low, second=high, probability=probability)
        )
    return officer, made


def _shown(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'class="teach-pair" data-pair="(\d+)"', html)]


def test_the_teaching_list_shows_the_least_certain_pairs_first(candidates, client_for):
    _, made = candidates
    page = client_for("redcross_s").get("/families/duplicates/").content.decode()
    # 0.55, 0.4, 0.2, 0.97: nearest one half first.
    assert _shown(page) == [made[1].pk, made[3].pk, made[2].pk, made[0].pk]
    assert "엔진 가르치기" in page and "같은 사람" in page and "다른 사람" in page
    assert "모르겠음" in page
    assert 'data-model-version=""' in page and "아직 판정으로 다시 학습한 모형이 없습니다" in page
    viewer = client_for("viewer").get("/families/duplicates/").content.decode()
    assert 'id="teach"' not in viewer and 'id="retrain-form"' not in viewer


def test_an_answer_swaps_in_the_next_pair_and_a_skip_stores_nothing(candidates, client_for):
    officer, made = candidates
    client = client_for("redcross_s")
    answer = client.post(f"/families/duplicates/{made[1].pk}/label/", {"answer": "same"}, **HTMX)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.lstrip().startswith('<section id="teach"')
    assert _shown(html) == [made[3].pk, made[2].pk, made[0].pk]
    assert 'data-same="1" data-different="0"' in html
    label = LinkageLabel.objects.get()
    assert (label.first_id, label.second_id, label.same, label.decided_by) == (
        made[1].first_id,
        made[1].second_id,
        True,
        officer,
    )
    skip = client.post(f"/families/duplicates/{made[3].pk}/label/", {"answer": "skip"}, **HTMX)
    html = skip.content.decode()
    assert _shown(html) == [made[2].pk, made[0].pk]
    assert f'name="skipped" value="{made[3].pk}"' in html
    assert LinkageLabel.objects.count() == 1
    # A page without JavaScript goes back to the list, its skips in the address.
    plain_skip = client.post(f"/families/duplicates/{made[2].pk}/label/", {"answer": "skip"})
    assert plain_skip["Location"].endswith(f"/families/duplicates/?skipped={made[2].pk}#teach")
    assert _shown(client.get(plain_skip["Location"]).content.decode()) == [made[3].pk, made[0].pk]
    plain = client.post(f"/families/duplicates/{made[2].pk}/label/", {"answer": "different"})
    assert plain.status_code == 302 and plain["Location"].endswith("/families/duplicates/#teach")
    assert LinkageLabel.objects.filter(same=False).count() == 1


@pytest.mark.parametrize(
    ("pair_id", "data", "status", "words"),
    [
        ("999999", {"answer": "same"}, 404, "중복 후보"),
        ("PAIR", {"answer": "maybe"}, 422, "같은 사람"),
        ("PAIR", {}, 422, "같은 사람"),
        ("PAIR", {"answer": "same", "skipped": "1,x,<b>"}, 200, "엔진 가르치기"),
    ],
)
def test_a_bad_answer_is_refused_and_changes_nothing(
    candidates, client_for, pair_id, data, status, words
):
    _, made = candidates
    url = f"/families/duplicates/{made[1].pk if pair_id == 'PAIR' else pair_id}/label/"
    client = client_for("redcross_s")
    partial = client.post(url, data, **HTMX)
    assert partial.status_code == status
    assert words in partial.content.decode()
    expected = 1 if status == 200 else 0
    assert LinkageLabel.objects.count() == expected
    if status != 200:
        assert 'id="teach-refusal"' in partial.content.decode()
        plain = client.post(url, data)
        assert plain.status_code == status
        assert LinkageLabel.objects.count() == 0


def test_a_viewer_may_not_teach_or_retrain(candidates, client_for):
    _, made = candidates
    client = client_for("viewer")
    answer = client.post(f"/families/duplicates/{made[1].pk}/label/", {"answer": "same"}, **HTMX)
    assert answer.status_code == 403
    assert client.post("/families/duplicates/retrain/").status_code == 403
    assert not LinkageLabel.objects.exists() and not Job.objects.exists()


def test_retraining_from_the_page_shows_the_model_in_use(
    candidates, client_for, django_capture_on_commit_callbacks
):
    _, made = candidates
    client = client_for("redcross_s")
    refused = client.post("/families/duplicates/retrain/", follow=True)
    assert "학습할 판정이 없습니다" in refused.content.decode()
    assert not Job.objects.exists()
    client.post(f"/families/duplicates/{made[0].pk}/label/", {"answer": "same"})
    client.post(f"/families/duplicates/{made[2].pk}/label/", {"answer": "different"})
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/families/duplicates/retrain/")
    job = Job.objects.get(kind="families.linkage_retrain")
    assert started["Location"].endswith(f"/families/duplicates/?retrain={job.pk}#model")
    page = client.get(started["Location"]).content.decode()
    version = LinkageModelVersion.objects.get()
    assert f'data-model-version="{version.number}"' in page
    assert "판정이 너무 적어 교차 검증을 할 수 없습니다" in page
    assert "같은 사람 1건, 다른 사람 1건" in page
    # Polled by htmx: the job's part alone, and the page refreshed once it is done.
    polled = client.get(f"/families/duplicates/?retrain={job.pk}", **HTMX)
    assert polled.content.decode().lstrip().startswith('<div id="retrain-job"')
    assert polled["HX-Refresh"] == "true"
    # Someone else's or a malformed job id: the page, without a job.
    other = client.get("/families/duplicates/?retrain=not-a-job").content.decode()
    assert 'id="retrain-job"' not in other


def test_the_review_queue_puts_the_least_certain_link_first(sought, client_for):  # noqa: F811
    officer, _ = sought
    tracing_round, _ = _round_with_replies(officer, ROWS)
    review = list(tracing_round.replies.filter(link_state=LinkState.REVIEW))
    assert review
    expected = sorted(
        review,
        key=lambda r: (
            abs(r.match_probability - 0.5) if r.match_probability is not None else 1.0,
            r.row,
        ),
    )
    page = client_for("redcross_s").get(f"/families/rounds/{tracing_round.pk}/").content.decode()
    shown = [int(pk) for pk in re.findall(r'class="panel review" data-reply="(\d+)"', page)]
    assert shown == [r.pk for r in expected]
    assert 'id="review-order"' in page
    tracing.reply_review(actor=officer, reply=expected[0], accept=True)
    assert LinkageLabel.objects.filter(reply=expected[0], same=True).exists()
