"""Browser test (issue 22, item 4): reviewers teach the engine, in Chromium.

A South Red Cross officer opens the duplicates page of a registry with families registered
twice (once in the North's spelling, or with less recorded) and brothers and sisters who
share a father and a hometown, answers ten pairs of the teaching list — the pairs the engine
is least sure of, each swapped in by htmx after the last answer —, retrains the engine, and
reads the new model's version and its F1 by cross-validation on the labelled pairs.
Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .test_browser import Tab, browser, open_tab, record, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABELS = 10
# Retraining trains the engine once and once per fold of the cross-validation: seconds on an
# idle machine, a minute or more on a busy one. The job runs as the retrain form's request
# ends (the test settings run tasks at once), so the click waits for it.
RETRAIN_MS = 300_000


@pytest.fixture
def registry(
    personas: Any,
    open_tab: Any,  # noqa: F811
    settings: Any,
    tmp_path: Path,
) -> tuple[Callable[[str], Tab], dict[tuple[int, int], bool]]:
    """The registry and its duplicate candidates, found before the browser starts."""
    from panmun.families.services import duplicates
    from panmun.families.tests.factories import teaching_registry

    settings.PANMUN_LINKAGE_MODELS_DIR = tmp_path / "models"
    officer = personas["redcross_s"]
    truth = teaching_registry(officer)
    duplicates.duplicates_find(actor=officer)
    return open_tab, truth


def test_an_officer_teaches_the_engine_and_retrains_it(
    registry: tuple[Callable[[str], Tab], dict[tuple[int, int], bool]],
) -> None:
    from playwright.sync_api import expect

    new_tab, truth = registry
    tab = new_tab("redcross_s")
    page = tab.page
    sign_in(tab, "redcross_s")
    tab.goto("/families/duplicates/")
    teach = page.locator("section#teach")
    expect(teach).to_have_attribute("data-same", "0")
    expect(page.locator("#model")).to_have_attribute("data-model-version", "")
    tab.shot("01-teaching-list")

    # Ten answers, each to the pair on top of the list; htmx swaps in the next one.
    answers = {"same": 0, "different": 0}
    for n in range(LABELS):
        pair = page.locator("section#teach article.teach-pair").first
        first, second = (
            int(pair.get_attribute("data-first")),
            int(pair.get_attribute("data-second")),
        )
        answer = "same" if truth.get((first, second), False) else "different"
        answers[answer] += 1
        pair.locator(f"button[value='{answer}']").click()
        expect(page.locator("section#teach")).to_have_attribute(
            f"data-{answer}", str(answers[answer])
        )
        assert (
            page.locator(
                f"article.teach-pair[data-first='{first}'][data-second='{second}']"
            ).count()
            == 0
        ), n
    assert answers["same"] >= 2 and answers["different"] >= 2, answers
    expect(page.locator("#label-counts")).to_contain_text(
        f"같은 사람 {answers['same']}건, 다른 사람 {answers['different']}건"
    )
    tab.shot("02-ten-labels")

    # Retrain: the job's page part, then the model in use with its version and F1.
    with page.expect_navigation(wait_until="load", timeout=RETRAIN_MS):
        page.locator("#retrain-form button[type=submit]").click(timeout=RETRAIN_MS)
    model = page.locator("#model")
    expect(model).to_have_attribute("data-model-version", "1")
    expect(model.locator("[data-figure='version']")).to_contain_text("1")
    expect(model.locator("#retrain-job")).to_have_attribute("data-state", "succeeded")
    f1 = model.locator("[data-figure='f1']").inner_text()
    assert re.search(r"\b[01]\.\d{3}\b", f1), f1
    assert "정밀도" in f1 and "재현율" in f1 and re.search(r"\d겹", f1), f1
    expect(model).to_contain_text(
        f"같은 사람 {answers['same']}건, 다른 사람 {answers['different']}건"
    )
    tab.shot("03-retrained")
    tab.assert_clean()
