"""Browser test (issue 20, acceptance item 5): in Chromium, the firm's manager reads a roster
file sent by the North's labour agency — a file with an impossible date and a worker number
twice first, refused with every problem named and nothing written —, finds a worker in the
South's spelling of a name the roster writes the North's way, computes July 2015's payroll and
submits it; the management committee approves it; the firm records the remittance to the
North's bureau; the bureau sees the payroll's totals but not its lines, and confirms receipt.
Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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


def test_a_roster_a_payroll_and_its_remittance_through_the_pages(
    open_tab: Callable[[str], Tab],  # noqa: F811
    personas,
    tmp_path: Path,
) -> None:
    from decimal import Decimal

    from playwright.sync_api import expect

    from panmun.complex.models import PayrollMonth, Remittance, Worker
    from panmun.complex.tests.firms_world import operating_firm
    from panmun.complex.tests.roster_files import GOOD, xlsx

    firm = operating_firm(personas)
    bad = [*GOOD, ["1001", "김복순", "녀", "1980", "재봉공", "1934-13-45", ""]]
    bad_file = tmp_path / "명단-틀림.xlsx"
    bad_file.write_bytes(xlsx(bad))
    good_file = tmp_path / "명단.xlsx"
    good_file.write_bytes(xlsx(GOOD))

    # The firm: from the dashboard to its roster, and the agency's file.
    mine = open_tab("firm")
    sign_in(mine, "firm")
    mine.goto("/complex/")
    _post(mine, "#complex-parts a[href$='/workers/']")
    _post(mine, "#roster-import")
    mine.page.set_input_files("#roster-file-form input[type=file]", str(bad_file))
    _post(mine, "#roster-file-form button[type=submit]")
    errors = mine.page.locator("#roster-file-form").inner_text()
    assert "1934-13-45" in errors and "1001" in errors, errors
    _expect_refused(mine, "/roster/import/")
    mine.shot("01-roster-refused")
    assert Worker.objects.count() == 0
    mine.page.set_input_files("#roster-file-form input[type=file]", str(good_file))
    _post(mine, "#roster-file-form button[type=submit]")
    assert Worker.objects.filter(firm=firm).count() == len(GOOD)
    # 리영철 as the roster writes it, found as the South writes it.
    mine.goto(f"/complex/firms/{firm.pk}/workers/?q=이영철")
    expect(mine.page.get_by_role("cell", name="리영철", exact=True)).to_be_visible()
    mine.shot("02-roster")

    # July 2015's payroll, computed and submitted.
    mine.goto("/complex/payrolls/")
    mine.page.select_option("#id_compute-firm", str(firm.pk))
    mine.page.fill("#id_compute-month", "2015-13")
    _post(mine, "#payroll-compute-form button[type=submit]")
    expect(mine.page.locator("#id_compute-month")).to_have_value("2015-13")
    _expect_refused(mine, "/payrolls/compute/")
    assert PayrollMonth.objects.count() == 0
    mine.page.fill("#id_compute-month", "2015-07")
    _post(mine, "#payroll-compute-form button[type=submit]")
    payroll = PayrollMonth.objects.get()
    assert payroll.month.isoformat() == "2015-07-01" and payroll.total_usd > 0
    expect(mine.page.locator("#payroll-total")).to_have_text(str(payroll.total_usd))
    expect(mine.page.locator("#payroll-lines tbody tr")).to_have_count(payroll.workers)
    mine.shot("03-payroll")
    _post(mine, "#payroll-submit")
    expect(mine.page.locator("#payroll-state")).to_have_attribute("data-state", "submitted")
    mine.assert_clean()

    # The committee approves it from its queue.
    gic = open_tab("gic")
    sign_in(gic, "gic")
    gic.goto("/complex/payrolls/?queue=1")
    _post(gic, f"tr[data-payroll='{payroll.pk}'] a")
    _post(gic, "#payroll-approve")
    expect(gic.page.locator("#payroll-state")).to_have_attribute("data-state", "approved")
    gic.shot("04-approved")
    gic.assert_clean()

    # The firm remits the sum, with the bank's reference; a wrong amount first.
    mine.goto("/complex/remittances/")
    form = mine.page.locator("#remittance-form")
    form.locator(f"input[name='remit-payrolls'][value='{payroll.pk}']").check()
    form.locator("#id_remit-amount_usd").fill("1.000")
    form.locator("#id_remit-bank").fill("우리은행 개성지점")
    form.locator("#id_remit-bank_reference").fill("KS-2015-07-0001")
    form.locator("#id_remit-remitted_on").fill("2015-08-10")
    _post(mine, "#remittance-form button[type=submit]")
    expect(mine.page.locator("#id_remit-bank_reference")).to_have_value("KS-2015-07-0001")
    _expect_refused(mine, "/remittances/record/")
    assert Remittance.objects.count() == 0
    mine.page.locator("#id_remit-amount_usd").fill(str(payroll.total_usd))
    _post(mine, "#remittance-form button[type=submit]")
    remittance = Remittance.objects.get()
    assert remittance.amount_usd == payroll.total_usd
    mine.shot("05-remitted")
    mine.assert_clean()

    # The bureau: the totals, never the lines; then it confirms receipt.
    bureau = open_tab("bureau")
    sign_in(bureau, "bureau")
    bureau.goto(f"/complex/payrolls/{payroll.pk}/")
    expect(bureau.page.locator("#payroll-total")).to_have_text(str(payroll.total_usd))
    expect(bureau.page.locator("#payroll-lines")).to_have_count(0)
    bureau.goto("/complex/remittances/")
    row = bureau.page.locator(f"tr[data-remittance='{remittance.pk}']")
    _post(bureau, f"tr[data-remittance='{remittance.pk}'] button[type=submit]")
    expect(row).to_have_attribute("data-state", "confirmed")
    bureau.shot("06-confirmed")
    bureau.assert_clean()
    remittance.refresh_from_db()
    assert remittance.received_usd == Decimal(payroll.total_usd)
    assert PayrollMonth.objects.get(pk=payroll.pk).state == "confirmed"
