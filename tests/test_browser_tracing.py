"""Browser test (issue 4, acceptance item 4): a whole tracing round (생사확인) in Chromium.

A South Red Cross officer creates a round, downloads its request list (Excel and PDF), marks it
sent, imports the other side's reply list that carries no request ids, reviews the two links
the engine is unsure of (confirms one, rejects the other), applies the round and reads its
report. Applying asks a supervisor's approval (결재) first, given in a second browser, and then
says what will happen before it is done. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .test_browser import Tab, browser, open_tab, record, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPLY = (
    "result,vital_status,death_date,family_name,given_name,sex,birth_date,birthplace,"
    "father_name,relatives\n"
    'found,alive,,리,선권,M,1935-04-10,량강도 혜산시,리만수,"동생 리선희 (1942)"\n'
    "found,deceased,1999-03-01,류,영희,F,1940,황해남도 연안군,류철호,\n"
    "found,alive,,김,순자,F,1939-06-01,자강도 강계시,,\n"
    "found,alive,,박,명수,M,1950,개성시,,\n"
    "not_found,,,,,,,,,\n"
)


@pytest.fixture
def registry(personas: Any, open_tab: Any) -> Any:  # noqa: F811
    """Five living applicants who consented, each seeking one relative (set up before the
    browser starts)."""
    from panmun.families.tests.factories import applicant, relative

    officer = personas["redcross_s"]
    people = [
        ("이", "선권", "M", "1935-03-02", "함경남도 혜산", "이만수"),
        ("유", "영희", "F", "1940-05-01", "황해도 연백군", "유철호"),
        ("김", "순자", "F", "1938-05-01", "평안북도 강계", "김동호"),
        ("박", "명수", "M", "1932", "개성부", "박기석"),
        ("최", "옥순", "F", "1936-07-07", "평양", "최병철"),
    ]
    for n, (family, given, sex, born, place, father) in enumerate(people):
        seeker = applicant(officer, given_name=f"신청{n}", birth_date=f"{1920 + n}")
        relative(
            officer,
            seeker,
            family_name=family,
            given_name=given,
            sex=sex,
            birth_date=born,
            hometown=place,
            father_name=father,
        )
    return open_tab


def test_a_whole_tracing_round(registry: Callable[[str], Tab], tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    tab = registry("redcross_s")
    page = tab.page
    sign_in(tab, "redcross_s")

    # 1. Create the round from the families pages.
    with page.expect_navigation(wait_until="load"):
        page.locator("a[data-nav='families']").click()
    with page.expect_navigation(wait_until="load"):
        page.locator("a[href='/families/rounds/']").first.click()
    page.locator("#id_name").fill("제30차 생사확인")
    page.locator("#id_target_size").fill("5")
    with page.expect_navigation(wait_until="load"):
        page.locator("#round-form button[type=submit]").click()
    expect(page.locator("main h1")).to_have_text("제30차 생사확인")
    expect(page.locator("#requests tbody tr")).to_have_count(5)
    expect(page.locator("[data-figure='sent']")).to_have_text("5")
    tab.shot("01-round-created")

    # 2. Export the request list: Excel (read back) and PDF.
    with page.expect_download() as info:
        page.locator("a[data-download='xlsx']").click()
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()), read_only=True)
    cells = [str(c) for row in book.worksheets[0].iter_rows(values_only=True) for c in row if c]
    request_ids = sorted(c for c in cells if re.fullmatch(r"T\d{3}-\d{4}", c))
    assert len(request_ids) == 5
    assert "선권" in cells
    with page.expect_download() as info:
        page.locator("a[data-download='pdf-north']").click()
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF")

    # 3. Send it to the other side.
    with page.expect_navigation(wait_until="load"):
        page.locator("#send-round").click()
    expect(page.locator("[data-round-status]")).to_have_attribute("data-round-status", "sent")

    # 4. Import the reply: no request ids, the North's spellings and today's place names.
    reply = tmp_path / "회보.csv"
    reply.write_bytes(REPLY.encode("cp949"))
    page.locator("#reply-upload input[type=file]").set_input_files(str(reply))
    # Linking trains the engine on the round (a few seconds; longer on a busy machine).
    with page.expect_navigation(wait_until="load", timeout=90_000):
        page.locator("#reply-upload button[type=submit]").click(timeout=90_000)
    expect(page.locator("#replies tbody tr")).to_have_count(5)
    queue = page.locator("section.review")
    expect(queue).to_have_count(2)
    expect(queue.first.locator("table.why tbody tr").first).to_be_visible()
    tab.shot("02-review-queue")

    # 5. Review the two uncertain links: the same 김순자 (confirm); a 박명수 born 18 years
    #    later than the one sought (reject).
    kim = queue.filter(has_text="순자")
    with page.expect_navigation(wait_until="load"):
        kim.locator("button[value='accept']").click()
    park = page.locator("section.review").filter(has_text="명수")
    with page.expect_navigation(wait_until="load"):
        park.locator("button[value='reject']").click()
    expect(page.locator("section.review")).to_have_count(0)

    # 6. Applying needs a supervisor's approval (결재): the officer asks for it ...
    expect(page.locator("#apply-round")).to_have_count(0)
    signoff = page.locator("section.signoff")
    expect(signoff).to_have_attribute("data-signoff", "none")
    signoff.locator("input[name=note]").fill("회보 5건 중 3건 확인")
    with page.expect_navigation(wait_until="load"):
        signoff.locator("button[type=submit]").click()
    expect(page.locator("section.signoff")).to_have_attribute("data-signoff", "requested")
    round_path = page.url.removeprefix(tab.base_url)

    # ... the ministry's supervisor approves it on the round's page ...
    boss = registry("supervisor")
    sign_in(boss, "supervisor")
    boss.goto(round_path)
    with boss.page.expect_navigation(wait_until="load"):
        boss.page.locator("section.signoff button[value='approve']").click()
    expect(boss.page.locator("section.signoff")).to_have_attribute("data-signoff", "approved")
    boss.assert_clean()

    # ... and the officer applies, after a page that says what will happen.
    tab.goto(round_path)
    with page.expect_navigation(wait_until="load"):
        page.locator("#apply-round").click()
    expect(page.locator("section.confirm")).to_contain_text("5건 중 3건")
    expect(page.locator("section.confirm .form-errors")).to_contain_text("5건 중 2건")
    tab.shot("03-confirm-apply")
    with page.expect_navigation(wait_until="load"):
        page.locator("section.confirm button[data-confirm]").click()
    expect(page.locator("[data-round-status]")).to_have_attribute("data-round-status", "applied")
    figures = {
        key: page.locator(f"[data-figure='{key}']").inner_text()
        for key in ("sent", "answered", "found_alive", "found_deceased", "not_found", "unanswered")
    }
    assert figures == {
        "sent": "5",
        "answered": "3",
        "found_alive": "2",
        "found_deceased": "1",
        "not_found": "0",
        "unanswered": "2",
    }, figures
    tab.shot("04-report")

    from panmun.families.models import Person

    assert Person.objects.get(given_name="영희").status == "deceased"
    assert Person.objects.get(given_name="선권").status == "alive"
    assert Person.objects.get(given_name="명수").status == "unknown"
    tab.assert_clean()
