"""Browser test (issue 5, acceptance item 4): a reunion round from its criteria to its final
list in Chromium, with the verification bundle and the event's PDFs downloaded.

The supervisor creates an in-person round, sets the criteria (one place in each stratum, two
candidates drawn per place), freezes the pool with a typed-in seed and runs the draw; the
bundle is downloaded and verified with nothing but its own files. An officer records the
candidates' willingness and health (one declines), asks the other side through a tracing round,
imports its answers and applies them; the supervisor fixes the final list, and the event's
participant list, programme, family cards and report come down as PDFs.
Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .test_browser import Tab, browser, open_tab, record, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = "5e" * 32


@pytest.fixture
def registry(personas: Any, open_tab: Any) -> Any:  # noqa: F811
    """Three applicants aged 90 and over and three younger, each seeking a child."""
    from panmun.families.tests.factories import applicant, relative

    officer = personas["redcross_s"]
    for n, born in enumerate(["1928", "1931", "1933", "1946", "1950", "1952"]):
        seeker = applicant(
            officer, given_name=f"상봉{n}", birth_date=born, address="서울특별시 종로구"
        )
        relative(officer, seeker, relation="child", given_name=f"자녀{n}")
    return open_tab


def _download(page: Any, selector: str) -> bytes:
    with page.expect_download() as info:
        page.locator(selector).click()
    return Path(info.value.path()).read_bytes()


def test_a_round_from_criteria_to_final_list(
    registry: Callable[[str], Tab], tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    from panmun.reunion import lottery
    from panmun.reunion.models import Candidate, ReunionRound

    tab = registry("supervisor")
    page = tab.page
    sign_in(tab, "supervisor")

    # 1. Create the round from the reunion pages.
    with page.expect_navigation(wait_until="load"):
        page.locator("a[data-nav='reunion']").click()
    page.locator("#id_kind").select_option("in_person")
    page.locator("#id_number").fill("22")
    page.locator("#id_name").fill("제22차 이산가족 대면상봉")
    page.locator("#id_starts_on").fill("2027-03-01")
    page.locator("#id_places").fill("2")
    with page.expect_navigation(wait_until="load"):
        page.locator("#round-form button[type=submit]").click()
    expect(page.locator("main h1")).to_have_text("제22차 이산가족 대면상봉")
    expect(page.locator("[data-stage]").first).to_have_attribute("data-stage", "draft")

    # 2. The criteria: two candidates drawn per place.
    criteria = json.loads(page.locator("#id_criteria").input_value())
    assert [s["places"] for s in criteria["strata"]] == [1, 1]
    criteria["candidates_per_place"] = 2
    page.locator("#id_criteria").fill(json.dumps(criteria, ensure_ascii=False, indent=2))
    with page.expect_navigation(wait_until="load"):
        page.locator("#criteria-form button[type=submit]").click()
    tab.shot("01-criteria")

    # 3. Freeze the pool with a typed-in seed: the commitment is published.
    page.locator("#id_seed_hex").fill(SEED)
    with page.expect_navigation(wait_until="load"):
        page.locator("#freeze").click()
    expect(page.locator("[data-stage]").first).to_have_attribute("data-stage", "frozen")
    pool_sha256 = page.locator("[data-hash='pool']").inner_text()
    seed_sha256 = page.locator("[data-hash='seed']").inner_text()
    assert seed_sha256 == lottery.sha256_hex(bytes.fromhex(SEED))
    expect(page.locator("[data-figure='pool_size']")).to_have_text("6")

    # 4. The draw; the bundle verifies against the commitment published before it.
    with page.expect_navigation(wait_until="load"):
        page.locator("#draw").click()
    expect(page.locator("[data-seed]")).to_have_text(SEED)
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(_download(page, "a[data-download='bundle']"))
    report = lottery.verify_bundle(
        bundle.read_bytes(), expect_pool_sha256=pool_sha256, expect_seed_sha256=seed_sha256
    )
    assert report.ok, report.findings
    rows = page.locator("#candidates tbody tr")
    expect(rows).to_have_count(4)
    tab.shot("02-drawn")

    # 5. Willingness and health: everyone willing and fit but the first of the 90+ stratum.
    reunion_round = ReunionRound.objects.get(number=22)
    first_90 = Candidate.objects.get(round=reunion_round, stratum="90세 이상", rank=1)
    for row in rows.all():
        candidate = row.get_attribute("data-candidate")
        willing = "declined" if candidate == str(first_90.pk) else "willing"
        row.locator(f"select[name='willingness-{candidate}']").select_option(willing)
        row.locator(f"select[name='health-{candidate}']").select_option("fit")
    with page.expect_navigation(wait_until="load"):
        page.locator("#save-checks").click()
    expect(page.locator("[data-stage]").first).to_have_attribute("data-stage", "checking")

    # 6. Ask the other side: a tracing round with the three confirmed candidates' relatives.
    with page.expect_navigation(wait_until="load"):
        page.locator("#inquiry").click()
    expect(page.locator("[data-stage]").first).to_have_attribute("data-stage", "tracing")
    with page.expect_navigation(wait_until="load"):
        page.locator("#tracing-link").click()
    expect(page.locator("#requests tbody tr")).to_have_count(3)
    with page.expect_navigation(wait_until="load"):
        page.locator("#send-round").click()
    request_ids = [
        row.get_attribute("data-request") for row in page.locator("#requests tbody tr").all()
    ]
    answers = tmp_path / "회보.csv"
    answers.write_text(
        "request_id,result,vital_status\n" + "".join(f"{rid},found,alive\n" for rid in request_ids),
        encoding="utf-8",
    )
    page.locator("#reply-upload input[type=file]").set_input_files(str(answers))
    with page.expect_navigation(wait_until="load"):
        page.locator("#reply-upload button[type=submit]").click()
    with page.expect_navigation(wait_until="load"):
        page.locator("#apply-round").click()
    expect(page.locator("[data-round-status]")).to_have_attribute("data-round-status", "applied")

    # 7. Back to the round: fix the final list.
    tab.goto(f"/reunion/{reunion_round.pk}/")
    with page.expect_navigation(wait_until="load"):
        page.locator("#fix-final").click()
    expect(page.locator("[data-stage]").first).to_have_attribute("data-stage", "final")
    finals = page.locator("#strata [data-figure='final']")
    expect(finals).to_have_text(["1", "1"])
    expect(page.locator(f"[data-candidate='{first_90.pk}']")).to_have_attribute(
        "data-outcome", "out"
    )
    tab.shot("03-final")

    # 8. The event: its families, and the PDFs.
    with page.expect_navigation(wait_until="load"):
        page.locator("#event-link").click()
    expect(page.locator("section[data-participant]")).to_have_count(2)
    for kind in ("participants", "programme", "cards", "report"):
        data = _download(page, f"a[data-download='{kind}']")
        assert data.startswith(b"%PDF"), kind
        assert re.search(rb"/Type\s*/Page\b", data), kind
    tab.shot("04-event")
    tab.assert_clean()
