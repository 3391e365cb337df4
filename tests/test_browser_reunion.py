"""Browser test (issue 5, acceptance item 4): a reunion round from its criteria to its final
list in Chromium, with the verification bundle and the event's PDFs downloaded.

The supervisor creates an in-person round, sets the criteria in their form (one place in each
stratum, two candidates drawn per place; a wrong value typed is corrected without retyping the
rest) while the pool is counted beside it, freezes the pool with a typed-in seed and runs the
draw, each after a page that says what will happen; the bundle is downloaded and verified with
nothing but its own files. The candidates' willingness and health are recorded row by row (one
declines) and from the check sheet filled in as a spreadsheet; the other side is asked through a
tracing round whose answers are imported and applied; the final list is fixed with the
administrator's approval (결재), and the event's participant list, programme, family cards and
report come down as PDFs.
Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

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


def _approved(page: Any, registry: Callable[[str], Tab], path: str) -> None:
    """The signed-in supervisor asks for approval (결재) on the page at `path`; the administrator,
    another supervisor of the South, approves it there."""
    from playwright.sync_api import expect

    signoff = page.locator("section.signoff")
    expect(signoff).to_have_attribute("data-signoff", "none")
    with page.expect_navigation(wait_until="load"):
        signoff.locator("button[type=submit]").click()
    expect(page.locator("section.signoff")).to_have_attribute("data-signoff", "requested")
    approver = registry("admin")
    sign_in(approver, "admin")
    approver.goto(path)
    with approver.page.expect_navigation(wait_until="load"):
        approver.page.locator("section.signoff button[value='approve']").click()
    expect(approver.page.locator("section.signoff")).to_have_attribute("data-signoff", "approved")
    approver.assert_clean()


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

    # 2. The criteria, as a form: two candidates drawn per place. A wrong value typed (a
    #    negative number of places) comes back on its field with the rest as typed; corrected,
    #    the criteria are saved. The pool is counted beside the form as it changes.
    expect(page.locator("#id_stratum-0-places")).to_have_value("1")
    expect(page.locator("#id_stratum-1-places")).to_have_value("1")
    expect(page.locator("#pool-preview [data-figure='pool']")).to_have_text("6")
    page.locator("#id_candidates_per_place").fill("2")
    page.locator("#id_stratum-0-places").fill("-1")
    with page.expect_navigation(wait_until="load"):
        page.locator("#save-criteria").click()
    expect(page.locator("#id_stratum-0-places_error")).to_be_visible()
    expect(page.locator("#id_candidates_per_place")).to_have_value("2")
    # The refusal answers 422, as it should: that one is expected, not an error of the page.
    refused = [e for e in tab.errors if "422" in e and "/reunion/" in e and "/criteria/" in e]
    assert refused, tab.errors
    tab.errors[:] = [e for e in tab.errors if e not in refused]
    page.locator("#id_stratum-0-places").fill("1")
    with page.expect_navigation(wait_until="load"):
        page.locator("#save-criteria").click()
    expect(page.locator("#id_candidates_per_place")).to_have_value("2")
    expect(
        page.locator("#pool-preview [data-stratum='90세 이상'] [data-figure='applicants']")
    ).to_have_text("3")
    tab.shot("01-criteria")

    # 3. Freeze the pool with a typed-in seed, after a page that says what will happen: the
    #    commitment is published, its hashes named in words.
    page.locator("#id_seed_hex").fill(SEED)
    with page.expect_navigation(wait_until="load"):
        page.locator("#freeze").click()
    expect(page.locator("section.confirm")).to_contain_text("90세 이상")
    with page.expect_navigation(wait_until="load"):
        page.locator("section.confirm button[data-confirm]").click()
    expect(page.locator("[data-stage]").first).to_have_attribute("data-stage", "frozen")
    expect(page.locator("#commitment")).to_contain_text("추첨 대상 명단의 SHA-256")
    pool_sha256 = page.locator("[data-hash='pool']").inner_text()
    seed_sha256 = page.locator("[data-hash='seed']").inner_text()
    assert seed_sha256 == lottery.sha256_hex(bytes.fromhex(SEED))
    expect(page.locator("[data-figure='pool_size']")).to_have_text("6")

    # 4. The draw, confirmed; the bundle verifies against the commitment published before it.
    with page.expect_navigation(wait_until="load"):
        page.locator("#draw").click()
    with page.expect_navigation(wait_until="load"):
        page.locator("section.confirm button[data-confirm]").click()
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

    # 5. Willingness and health: the 90+ stratum row by row (each row saved on its own, the
    #    first declines), the rest from the check sheet filled in as a spreadsheet.
    reunion_round = ReunionRound.objects.get(number=22)
    first_90 = Candidate.objects.get(round=reunion_round, stratum="90세 이상", rank=1)
    for candidate in Candidate.objects.filter(round=reunion_round, drawn=True, stratum="90세 이상"):
        row = page.locator(f"#candidate-{candidate.pk}")
        willing = "declined" if candidate.pk == first_90.pk else "willing"
        row.locator("select[name='willingness']").select_option(willing)
        row.locator("select[name='health']").select_option("fit")
        row.locator("button[type=submit]").click()
        expect(page.locator(f"#candidate-{candidate.pk} .saved-mark")).to_be_visible()
        expect(page.locator(f"#candidate-{candidate.pk}")).to_have_attribute(
            "data-willingness", willing
        )
    sheet_path = tmp_path / "확인표.xlsx"
    page.locator("#checks-import summary").click()
    sheet_path.write_bytes(_download(page, "a[data-download='checks-xlsx']"))
    book = load_workbook(sheet_path)
    sheet = book.worksheets[0]
    for cells in sheet.iter_rows(min_row=2):
        if cells[3].value == "그 외":
            cells[5].value, cells[6].value = "있음", "양호"
    book.save(sheet_path)
    page.locator("#checks-import-form input[type=file]").set_input_files(str(sheet_path))
    with page.expect_navigation(wait_until="load"):
        page.locator("#import-checks").click()
    expect(page.locator("[data-stage]").first).to_have_attribute("data-stage", "checking")
    expect(page.locator("#strata [data-figure='unchecked']")).to_have_text(["0", "0"])

    # 6. Ask the other side: a tracing round with the three confirmed candidates' relatives;
    #    its answers applied with the approval of another supervisor (결재).
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
    tracing_path = page.url.removeprefix(tab.base_url)
    _approved(page, registry, tracing_path)
    tab.goto(tracing_path)
    with page.expect_navigation(wait_until="load"):
        page.locator("#apply-round").click()
    with page.expect_navigation(wait_until="load"):
        page.locator("section.confirm button[data-confirm]").click()
    expect(page.locator("[data-round-status]")).to_have_attribute("data-round-status", "applied")

    # 7. Back to the round: the final list, approved by the administrator, confirmed, fixed.
    round_path = f"/reunion/{reunion_round.pk}/"
    tab.goto(round_path)
    expect(page.locator("#fix-final")).to_have_count(0)
    _approved(page, registry, round_path)
    tab.goto(round_path)
    with page.expect_navigation(wait_until="load"):
        page.locator("#fix-final").click()
    expect(page.locator("section.confirm")).to_contain_text("최종 명단")
    tab.shot("03-confirm-final")
    with page.expect_navigation(wait_until="load"):
        page.locator("section.confirm button[data-confirm]").click()
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
