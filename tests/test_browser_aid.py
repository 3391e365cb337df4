"""Browser test (issue 19, acceptance item 6): the aid organisation applies for a shipment of
infant formula in Chromium — a fertiliser shipment to everyone first, refused naming the
measure in force that day —, the ministry's officer approves its goods carry-out approval on
the permits review pages, the aid organisation records it as sent, the North's Red Cross
acknowledges it (a quantity short, with its reason), and the ministry's shipment page shows it
received with its receipt signed and cosigned in the liaison log.
Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from .test_browser import Tab, browser, open_tab, record, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _post(tab: Tab, selector: str) -> None:
    with tab.page.expect_navigation(wait_until="load"):
        tab.page.locator(selector).click()


def _expect_refused(tab: Tab, path_part: str) -> None:
    refused = [e for e in tab.errors if "422" in e and path_part in e]
    assert refused, tab.errors
    tab.errors[:] = [e for e in tab.errors if e not in refused]


def _fill_shipment(tab: Tab, commodity: str, quantity: str, group: str, day: dt.date) -> None:
    page = tab.page
    page.select_option("#id_commodity", commodity)
    page.fill("#id_quantity", quantity)
    page.select_option("#id_unit", "t")
    for box in page.locator("input[name=target_groups]").all():
        box.set_checked(box.get_attribute("value") == group)
    page.select_option("#id_route", "sea")
    page.fill("#id_port_of_loading", "인천")
    page.fill("#id_port_of_discharge", "남포")
    page.fill("#id_planned_on", day.isoformat())


def test_an_aid_shipment_through_the_pages(
    open_tab: Callable[[str], Tab],  # noqa: F811
    personas,
) -> None:
    from playwright.sync_api import expect

    from panmun.aid.models import Shipment
    from panmun.aid.tests.shipment_factories import activity

    act = activity(personas, identifier="KR-NANUM-BROWSER-FORMULA")
    today = dt.date.today()

    aid = open_tab("aid")
    sign_in(aid, "aid")
    aid.goto("/aid/shipments/")
    aid.page.locator("#new-shipment summary").click()
    _post(aid, f"a[data-new-for='{act.identifier}']")
    # Fertiliser for everyone in 2010, after the measures of 24 May: refused, the form kept.
    _fill_shipment(aid, "fertiliser", "1000", "general", dt.date(2010, 6, 15))
    _post(aid, "#shipment-form button[type=submit]")
    expect(aid.page.locator("#refused-by [data-measure='2010-05-24']")).to_be_visible()
    expect(aid.page.locator("#id_port_of_discharge")).to_have_value("남포")
    _expect_refused(aid, "/shipments/new/")
    aid.shot("refused")
    assert Shipment.objects.count() == 0
    # Infant formula for children, today: recorded, its carry-out approval submitted.
    _fill_shipment(aid, "milk_powder", "12.5", "infants_children", today)
    _post(aid, "#shipment-form button[type=submit]")
    shipment = Shipment.objects.get()
    assert shipment.approval is not None
    expect(aid.page.locator("#approval [data-approval-state]")).to_have_attribute(
        "data-approval-state", "submitted"
    )
    aid.shot("recorded")
    aid.assert_clean()

    # The ministry's officer approves it on the permits review pages.
    officer = open_tab("ministry")
    sign_in(officer, "ministry")
    for move in ("start_review", "approve"):
        officer.goto(f"/permits/review/approvals/{shipment.approval.pk}/")
        _post(officer, f"#move-{move} button[type=submit]")
    officer.assert_clean()

    # The aid organisation records it as sent.
    aid.goto(f"/aid/shipments/{shipment.pk}/")
    aid.page.fill("form[data-move=send] [name=sent_on]", today.isoformat())
    _post(aid, "form[data-move=send] button[type=submit]")
    expect(aid.page.locator("p.status")).to_have_attribute("data-state", "sent")
    aid.assert_clean()

    # The North's Red Cross acknowledges: short by half a tonne, with the reason.
    north = open_tab("redcross_n")
    sign_in(north, "redcross_n")
    north.goto("/aid/received/")
    _post(north, f"tr[data-shipment='{shipment.reference}'] a")
    north.page.fill("#id_received_quantity", "12")
    north.page.fill("#id_received_on", today.isoformat())
    _post(north, "#acknowledge-form button[type=submit]")
    expect(north.page.locator("#id_difference_reason")).to_be_visible()
    _expect_refused(north, f"/received/{shipment.pk}/")
    north.page.fill("#id_difference_reason", "하역 중 포대 25개 파손 / 25 bags torn")
    _post(north, "#acknowledge-form button[type=submit]")
    expect(north.page.locator("#receipt")).to_have_attribute("data-receipt-state", "cosigned")
    north.shot("acknowledged")
    north.assert_clean()

    # The ministry's page shows it received, with its signed and cosigned receipt.
    officer.goto("/aid/shipments/")
    expect(officer.page.locator(f"tr[data-shipment='{shipment.reference}']")).to_have_attribute(
        "data-state", "received"
    )
    officer.goto(f"/aid/shipments/{shipment.pk}/")
    expect(officer.page.locator("#receipt [data-receipt-state]")).to_have_attribute(
        "data-receipt-state", "cosigned"
    )
    expect(officer.page.locator("#received-quantity")).to_contain_text("25 bags torn")
    officer.shot("received")
    officer.assert_clean()
    # The ministry's report lists it with the North's receipt, cosigned.
    officer.goto("/aid/reports/")
    expect(
        officer.page.locator(f"#aid-receipts tr[data-shipment='{shipment.pk}']")
    ).to_have_attribute("data-receipt", "cosigned")
    officer.shot("report")
    officer.assert_clean()
    done = Shipment.objects.get()
    assert (done.state, str(done.received_quantity)) == ("received", "12.000")
    assert done.receipt_entry is not None and done.receipt_entry.body["list_kind"] == "aid_receipt"
