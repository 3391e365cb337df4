"""Browser test: the liaison record in Chromium, as the officers of both sides on one node.

The South's liaison officer sends a notice in Korean from the compose page; the North's officer
(a second browser context) finds it, answers it from the thread page; the South's officer sees
the notice answered, with the North's cosignature as its receipt; downloads the South's log's
verification bundle from the logs page, which verifies with nothing but its own files, and no
longer verifies once one byte of its entries is flipped. Screenshots go to
test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from .test_browser import Tab, browser, open_tab, record, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBJECT = "남북공동연락사무소 근무 일정 통지"
TEXT = "남측은 다음 주부터 평일 09:00~17:00 근무하며, 개시·마감 통화를 정시에 걸겠음을 통지합니다."
ANSWER = "통지를 받았습니다. 북측도 같은 시간에 근무합니다."


def _flip_one_byte(source: Path, target: Path) -> None:
    """The same bundle with one byte of entries.jsonl changed: the "n" of "notice" made "N"."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "entries.jsonl":
                at = data.index(b'"kind":"notice"') + len(b'"kind":"')
                data = data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :]
            zout.writestr(info, data)


def test_a_notice_sent_answered_cosigned_and_verified(
    open_tab: Callable[[str], Tab],  # noqa: F811
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    from panmun.liaison.ledger.bundle import verify_bundle
    from panmun.liaison.models import Entry

    # 1. The South's officer writes a notice in Korean.
    south = open_tab("liaison_s")
    page = south.page
    sign_in(south, "liaison_s")
    with page.expect_navigation(wait_until="load"):
        page.locator("a[data-nav='liaison']").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    with page.expect_navigation(wait_until="load"):
        page.locator("#compose-link").click()
    page.locator("#id_kind").select_option("notice")
    page.locator("#id_subject").fill(SUBJECT)
    page.locator("#id_text").fill(TEXT)
    south.shot("01-compose")
    with page.expect_navigation(wait_until="load"):
        page.locator("#send").click()
    expect(page).to_have_url(re.compile(r"/liaison/south/0/"))
    card = page.locator("article[data-entry='south/0']")
    expect(card.locator("h3.subject")).to_have_text(SUBJECT)
    expect(card.locator("[data-text]")).to_have_text(TEXT)
    expect(card.locator("dd[data-receipt]")).to_have_attribute("data-receipt", "cosigned")
    expect(card.locator("[data-answer]")).to_have_count(0)  # not one's own side's
    sent = Entry.objects.get(log__side="south", index=0)
    expect(card.locator("[data-leaf-hash]")).to_have_attribute("data-leaf-hash", sent.leaf_hash)
    south.shot("02-sent")

    # 2. The North's officer finds it in the list and answers it from the thread.
    north = open_tab("liaison_n")
    npage = north.page
    sign_in(north, "liaison_n")
    north.goto("/liaison/")
    row = npage.locator("#entries tr[data-entry='south/0']")
    expect(row.locator("[data-receipt]")).to_have_attribute("data-receipt", "cosigned")
    with npage.expect_navigation(wait_until="load"):
        row.locator("a").click()
    ncard = npage.locator("article[data-entry='south/0']")
    ncard.locator("details.answer summary").click()
    form = ncard.locator("form[data-answer='south/0']")
    form.locator("select[name='south-0-kind']").select_option("reply")
    form.locator("textarea[name='south-0-text']").fill(ANSWER)
    north.shot("03-answer")
    with npage.expect_navigation(wait_until="load"):
        form.locator("button[type=submit]").click()
    expect(npage).to_have_url(re.compile(r"/liaison/north/0/"))
    reply = npage.locator("article[data-entry='north/0']")
    expect(reply).to_have_attribute("data-depth", "1")
    expect(reply.locator("[data-text]")).to_have_text(ANSWER)
    north.shot("04-answered")

    # 3. The South's officer sees the notice answered, and the North's cosignature (the receipt).
    south.goto("/liaison/south/0/")
    receipt = page.locator("article[data-entry='south/0'] dd[data-receipt]")
    expect(receipt).to_have_attribute("data-receipt", "answered")
    expect(receipt).to_have_attribute("data-cosigned-at", re.compile(r"^\d{4}-\d\d-\d\dT"))
    expect(receipt.locator(".receipt-answered")).to_be_visible()
    expect(page.locator("article[data-entry='north/0'] [data-text]")).to_have_text(ANSWER)
    south.shot("05-receipt")

    # 4. The South's log's bundle, downloaded from the logs page, verifies on its own ...
    south.goto("/liaison/")
    with page.expect_navigation(wait_until="load"):
        page.locator("#logs-link").click()
    log = page.locator("section[data-log='south']")
    expect(log.locator("[data-figure='size']")).to_have_text("1")
    expect(log.locator("pre[data-note]")).to_contain_text("liaison.panmun.example/south")
    south.shot("06-logs")
    with page.expect_download() as info:
        log.locator("a[data-download='bundle-south']").click()
    assert info.value.suggested_filename == "liaison-south.zip"
    bundle = tmp_path / "liaison-south.zip"
    info.value.save_as(bundle)
    report = verify_bundle(bundle)
    assert report.ok, [f.en for f in report.findings]
    assert (report.side, report.entries) == ("south", 1)

    # ... and fails once one byte of its entries is flipped.
    tampered = tmp_path / "tampered.zip"
    _flip_one_byte(bundle, tampered)
    report = verify_bundle(tampered)
    assert not report.ok
    assert any(f.file == "entries.jsonl" for f in report.findings), report.findings

    south.assert_clean()
    north.assert_clean()
