"""Browser test (issue 18, acceptance item 2): a combined application — a visit, its vehicle and
a crossing plan — filed once by the firm in Chromium, reviewed by the ministry's officer, the
crossing plan refused with its reasons and the others approved; the applicant sees each
approval's state and the notices sent; a visit certificate's PDF is downloaded and checked on
the public page /verify/; a copy with one character of the name changed is refused there, as is
its code with the name changed.
Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from .test_browser import Tab, browser, open_tab, record, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON_KO = "신청한 시간대에 다른 통행이 잡혀 있습니다. 다른 시간대로 다시 신청하십시오."
REASON_EN = "The slot asked for is taken by other crossings. File again for another slot."


def _expect_refused(tab: Tab, path_part: str) -> None:
    """A refusal the test asked for (422): seen, then taken off the tab's errors."""
    refused = [e for e in tab.errors if "422" in e and path_part in e]
    assert refused, tab.errors
    tab.errors[:] = [e for e in tab.errors if e not in refused]


def _post(tab: Tab, selector: str) -> None:
    with tab.page.expect_navigation(wait_until="load"):
        tab.page.locator(selector).click()


def _download(tab: Tab, selector: str) -> bytes:
    with tab.page.expect_download() as info:
        tab.page.locator(selector).first.click()
    return Path(info.value.path()).read_bytes()


def _file_application(tab: Tab, start: dt.date) -> None:
    page = tab.page
    tab.goto("/permits/new/")
    page.fill("#id_purpose", "평양 상품 전시회 참가 / a trade fair in Pyongyang")
    for kind in ("visit", "vehicle", "crossing"):
        page.check(f"input[name=kinds][value={kind}]")
    page.select_option("#id_direction", "to_north")
    page.select_option("#id_destination", "pyongyang")
    page.select_option("#id_entry_point", "gyeongui")
    page.fill("#id_start_date", start.isoformat())
    # A mistake first: the period ends before it starts. The form comes back as typed.
    page.fill("#id_end_date", (start - dt.timedelta(days=1)).isoformat())
    page.fill("#id_north_partner", "민족경제협력연합회")
    crossing = page.locator("details[data-kind-section=crossing]")
    if crossing.get_attribute("open") is None:
        crossing.locator("summary").click()
    page.fill("#id_crossing_date", start.isoformat())
    page.fill("#id_crossing_slot", "09:00")
    page.select_option("#id_crossing_direction", "to_north")
    _post(tab, "#application-form button[type=submit]")
    assert page.locator("#id_purpose").input_value().startswith("평양 상품 전시회")
    assert page.locator(".form-errors, .errorlist").count() > 0
    tab.shot("form-refused")
    _expect_refused(tab, "/permits/new/")
    page.fill("#id_end_date", (start + dt.timedelta(days=3)).isoformat())
    _post(tab, "#application-form button[type=submit]")
    assert "/permits/" in page.url and page.locator("section.approval").count() == 3


def _add_person(tab: Tab, name: str, latin: str, born: str, passport: str, phone: str) -> None:
    page = tab.page
    form = page.locator("#traveller-form")
    form.locator("[name$=name_ko]").fill(name)
    form.locator("[name$=name_latin]").fill(latin)
    form.locator("[name$=sex]").select_option("M")
    form.locator("[name$=birth_date]").fill(born)
    form.locator("[name$=document_kind]").select_option("passport")
    form.locator("[name$=document_number]").fill(passport)
    form.locator("[name$=nationality]").fill("KR")
    form.locator("[name$=phone]").fill(phone)
    _post(tab, "#traveller-form button[type=submit]")


def _decide(tab: Tab, pk: int, move: str, texts: dict[str, str] | None = None) -> None:
    tab.goto(f"/permits/review/approvals/{pk}/")
    form = tab.page.locator(f"#move-{move}")
    for name, value in (texts or {}).items():
        form.locator(f"[name$={name}]").fill(value)
    _post(tab, f"#move-{move} button[type=submit]")


def test_a_combined_application_through_the_pages(
    open_tab: Callable[[str], Tab],  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    from panmun.notices.models import Notice
    from panmun.permits.certificate.document import PrintedExtras
    from panmun.permits.certificate.document import certificate_pdf as render_pdf
    from panmun.permits.certificate.token import verify_token
    from panmun.permits.certificates import today
    from panmun.permits.models import Application
    from panmun.permits.notify import topic_for
    from panmun.permits.signing import published_keys

    start = today() + dt.timedelta(days=10)
    firm = open_tab("firm")
    sign_in(firm, "firm")
    _file_application(firm, start)
    application = Application.objects.get(purpose__startswith="평양 상품 전시회")
    path = f"/permits/{application.pk}/"

    # Its people and its vehicle, named on the application's page; a wrong value first.
    _add_person(firm, "정민호", "JUNG MINHO", "1975-03-01", "M1234", "010-2345-6789")
    expect(firm.page.locator("#traveller-form [name$=document_number]")).to_have_value("M1234")
    _expect_refused(firm, "/travellers/")
    _add_person(firm, "정민호", "JUNG MINHO", "1975-03-01", "M12345678", "010-2345-6789")
    _add_person(firm, "김수진", "KIM SUJIN", "1982-11-20", "M23456789", "010-3456-7890")
    vehicle = firm.page.locator("#vehicle-form")
    vehicle.locator("[name$=plate_number]").fill("12가3456")
    vehicle.locator("[name$=vehicle_kind]").select_option("van")
    _post(firm, "#vehicle-form button[type=submit]")
    assert application.travellers.count() == 2 and application.vehicles.count() == 1
    _post(firm, "#submit-application")
    for kind in ("visit", "vehicle", "crossing"):
        expect(firm.page.locator(f"section.approval[data-kind={kind}]")).to_have_attribute(
            "data-state", "submitted"
        )
    firm.shot("submitted")

    # The ministry's officer takes each up; the crossing plan is refused, the others approved.
    officer = open_tab("ministry")
    sign_in(officer, "ministry")
    officer.goto("/permits/review/queue/crossing/")
    expect(officer.page.locator("body")).to_contain_text(application.reference)
    approvals = {a.kind: a.pk for a in application.approvals.all()}
    for pk in approvals.values():
        _decide(officer, pk, "start_review")
    # A refusal without its reasons comes back with the problem on the field.
    _decide(officer, approvals["crossing"], "refuse", {"reasons_ko": REASON_KO})
    expect(officer.page.locator("#move-refuse [name$=reasons_ko]")).to_have_value(REASON_KO)
    _expect_refused(officer, "/refuse/")
    assert application.approvals.get(kind="crossing").state == "under_review"
    _decide(
        officer,
        approvals["crossing"],
        "refuse",
        {"reasons_ko": REASON_KO, "reasons_en": REASON_EN},
    )
    _decide(officer, approvals["vehicle"], "approve")
    _decide(officer, approvals["visit"], "approve")
    officer.shot("decided")
    officer.assert_clean()

    # The applicant sees each state, the reasons, and the notices sent.
    firm.goto(path)
    page = firm.page
    expect(page.locator("section.approval[data-kind=crossing]")).to_have_attribute(
        "data-state", "refused"
    )
    expect(page.locator("section.approval[data-kind=crossing] .reasons")).to_contain_text(REASON_KO)
    for kind in ("visit", "vehicle"):
        expect(page.locator(f"section.approval[data-kind={kind}]")).to_have_attribute(
            "data-state", "approved"
        )
    notices = Notice.objects.filter(topic=topic_for(application.pk))
    # each of the 9 moves (3 submitted, 3 taken up, 1 refused, 2 approved), to the two
    # travellers by text message (the firm's user has no e-mail address), sent by the worker
    # after each commit
    assert notices.count() == 9 * 2
    assert set(notices.values_list("state", flat=True)) == {"delivered"}
    expect(page.locator("table.notices tbody tr")).to_have_count(notices.count())
    firm.shot("decided")

    # The certificate: downloaded, then checked on the public page, signed in or not.
    pdf = _download(firm, "table.certificates a")
    assert pdf.startswith(b"%PDF")
    checker = open_tab("anyone")
    checker.goto("/verify/")
    checker.page.set_input_files(
        "input[name=pdf]", files=[{"name": "c.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    _post(checker, "form.record-form button[type=submit]")
    # Genuine, for whom, not revoked; valid from the first day of the visit, ten days ahead.
    expect(checker.page.locator("section.verdict")).to_have_attribute("data-verdict", "not-valid")
    expect(checker.page.locator("[data-field=name]")).to_contain_text("정민호")
    expect(checker.page.locator("[data-field=validity]")).to_contain_text(start.isoformat())
    expect(checker.page.locator("[data-field=revoked]")).to_contain_text("아니오")
    checker.shot("genuine")

    # A copy printed with one character of the name changed, the genuine code beside it.
    from pypdf import PdfReader

    token = str(PdfReader(io.BytesIO(pdf)).metadata["/Keywords"])
    facts = verify_token(token, published_keys(), today()).facts
    assert facts is not None
    altered = dataclasses.replace(facts, name_ko=facts.name_ko[:-1] + "후")
    copy = render_pdf(altered, token, "http://x/verify/", PrintedExtras("x", "x", [], ""))
    checker.goto("/verify/")
    checker.page.set_input_files(
        "input[name=pdf]",
        files=[{"name": "copy.pdf", "mimeType": "application/pdf", "buffer": copy}],
    )
    _post(checker, "form.record-form button[type=submit]")
    expect(checker.page.locator("section.verdict")).to_have_attribute("data-verdict", "refused")
    checker.shot("altered-pdf")

    # Its code with the name changed in it: the signature no longer fits.
    import base64
    import json

    head, payload, signature = token.split(".")
    fields = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    fields["name_ko"] = fields["name_ko"][:-1] + "후"
    forged_payload = (
        base64.urlsafe_b64encode(json.dumps(fields, ensure_ascii=False).encode()).rstrip(b"=")
    ).decode()
    checker.goto("/verify/")
    checker.page.fill("textarea[name=token]", f"{head}.{forged_payload}.{signature}")
    _post(checker, "form.record-form button[type=submit]")
    expect(checker.page.locator("section.verdict")).to_have_attribute("data-verdict", "refused")
    checker.assert_clean()
    firm.assert_clean()
