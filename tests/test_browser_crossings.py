"""Browser test (issue 21, acceptance item 5): in Chromium, a day at the Gaeseong complex's gate
and customs, each step on the officer's own page.

The firm's crossing plans for Tuesday 2 March 2010 are approved (out at 09:30 with its truck,
back at 16:00; the approvals app files them, so they are made in Python). The gate officer
builds the day's plans and sends the 09:30 plan to the North; the bureau refuses it without a
reason first (refused: a refusal must say why), then consents. At the gate the officer types
a wrong document number (refused, the reason shown, what was typed kept), then the right one:
the truck and its driver are let through, and the headcount board (the gate's and the firm's)
shows them inside. Back at 16:05 the return is refused (its plan has no consent yet); once the
16:00 plan is sent and consented to, both check in and the board is back to zero.

Customs: the customs officer keeps a risk rule (garments carried in: documents, yellow),
commits the period's draw (no red share) and records the firm's good record, on the rules
page; the firm files a declaration (a value that is no number first: refused, every value
kept); customs registers it (routed yellow), assesses and releases it; the firm sees it
released.

The gate judges a typed check by the moment it is recorded, so the office's clock is moved to
the day (time-machine, running on) around each check only: nothing depends on the hour the
test runs. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from .test_browser import Tab, browser, open_tab, record, sign_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KST = ZoneInfo("Asia/Seoul")
#: A Tuesday under the timetable of 1 September 2009 (summer: out hourly from 08:30, in from
#: 10:00, each slot open an hour).
DAY = dt.date(2010, 3, 2)
OUT_SLOT, IN_SLOT = dt.time(9, 30), dt.time(16, 0)
DOCUMENT, PLATE = "M12345678", "12가3456"  # the traveller and the truck of the applications
WRONG_DOCUMENT = "M12345679"


@contextmanager
def gate_clock(hour: int, minute: int) -> Iterator[None]:
    """The office's clock (the live server runs in this process) at `hour:minute` of DAY in
    Seoul, running on from there."""
    import time_machine

    moment = dt.datetime.combine(DAY, dt.time(hour, minute), tzinfo=KST)
    with time_machine.travel(moment, tick=True):
        yield


def approved_crossing(personas: dict[str, Any], *, slot: dt.time, direction: str) -> Any:
    """The firm's application for DAY (a day's visit, its truck, a crossing plan for `slot` in
    `direction`), every approval in force. One application holds one crossing approval: the
    way back is an application of its own, for the same traveller and truck."""
    from panmun.permits.models import Approval
    from panmun.permits.tests.factories import complete_application

    application = complete_application(
        personas["firm"],
        ["visit", "vehicle", "crossing"],
        start=DAY,
        end_date=DAY,
        destination="gaeseong",
        purpose="개성공업지구 출입 / crossing to the complex",
    )
    Approval.objects.filter(application=application, kind="crossing").update(
        crossing_date=DAY, crossing_slot=slot, crossing_direction=direction
    )
    Approval.objects.filter(application=application).update(state="approved")
    return application


def post(tab: Tab, selector: str) -> None:
    with tab.page.expect_navigation(wait_until="load"):
        tab.page.locator(selector).click()


def expect_refused(tab: Tab, path_part: str) -> None:
    """The page answered 422 to a request to `path_part` (the form again, with what was
    typed): expected, so not one of the tab's errors."""
    refused = [e for e in tab.errors if "422" in e and path_part in e]
    assert refused, tab.errors
    tab.errors[:] = [e for e in tab.errors if e not in refused]


def gate_check(tab: Tab, *, subject: str, key: str, direction: str, vehicle: str = "") -> Any:
    """One check typed at the gate page (htmx swaps the panel): the answer's section."""
    from playwright.sync_api import expect

    page = tab.page
    page.select_option("#id_subject", subject)
    page.fill("#id_key", key)
    page.check(f"#gate-form input[name='direction'][value='{direction}']")
    page.fill("#id_vehicle_key", vehicle)
    recorded = page.locator("#gate-recent tbody tr")
    before = recorded.count()
    with page.expect_response(lambda r: r.url.endswith("/gate/check/")) as answered:
        page.locator("#gate-form button[type=submit]").click()
    assert answered.value.status == 200, answered.value.status
    expect(recorded).to_have_count(before + 1)  # the new panel is in
    answer = page.locator("#gate-panel .gate-answer")
    expect(answer.locator(".gate-who")).to_contain_text(key)
    return answer


def board_counts(tab: Tab, firm_pk: int) -> dict[str, str]:
    """The board's totals and the firm's row (people, residents, short stays, vehicles)."""
    totals = {
        name: tab.page.locator(f"#gate-totals [data-count='{name}']").inner_text()
        for name in ("people", "vehicles")
    }
    row = tab.page.locator(f"#gate-by-firm tr[data-firm='{firm_pk}'] td.number")
    if row.count():
        people, _residents, short, vehicles = row.all_inner_texts()
        totals.update(firm_people=people, firm_short=short, firm_vehicles=vehicles)
    return totals


def test_a_day_of_crossings_and_a_declaration_through_the_pages(
    open_tab: Callable[[str], Tab],  # noqa: F811
    personas,
) -> None:
    from playwright.sync_api import expect

    from panmun.complex.models import DayPlan, Declaration, GateEvent, Presence, Timetable
    from panmun.complex.tests.firms_world import operating_firm

    firm = operating_firm(personas)
    assert Timetable.objects.filter(effective_from__lte=DAY).exists()
    approved_crossing(personas, slot=OUT_SLOT, direction="to_north")
    approved_crossing(personas, slot=IN_SLOT, direction="to_south")

    # --- the day's plans, built by the gate officer; the 09:30 plan sent to the North --------
    gate = open_tab("gate")
    sign_in(gate, "gate")
    gate.goto(f"/complex/crossings/plans/?day={DAY}")
    expect(gate.page.locator("#timetable")).to_have_attribute("data-mode", "slots")
    gate.page.fill("#id_build-day", DAY.isoformat())
    post(gate, "#build-form button[type=submit]")
    out_plan = DayPlan.objects.get(day=DAY, direction="out")
    in_plan = DayPlan.objects.get(day=DAY, direction="in")
    assert (out_plan.slot.opens_at, in_plan.slot.opens_at) == (OUT_SLOT, IN_SLOT)
    out_row = gate.page.locator(f"#dayplans tr[data-plan='{out_plan.pk}']")
    expect(out_row).to_have_attribute("data-state", "draft")
    expect(out_row.locator("td.number").nth(0)).to_have_text("1")  # the driver
    expect(out_row.locator("td.number").nth(1)).to_have_text("1")  # the truck
    gate.shot("01-plans-built")
    post(gate, f"#dayplans tr[data-plan='{out_plan.pk}'] button[type=submit]")  # to the plan
    expect(gate.page.locator("#plan")).to_have_attribute("data-state", "sent")
    expect(gate.page.locator("#plan-lines tbody tr")).to_have_count(2)
    expect(gate.page.locator(f"#plan-lines tr[data-key='{DOCUMENT}']")).to_be_visible()
    gate.shot("02-plan-sent")

    # The firm reads its own plan for the day.
    mine = open_tab("firm")
    sign_in(mine, "firm")
    mine.goto(f"/complex/crossings/plans/?day={DAY}")
    post(mine, f"#dayplans tr[data-plan='{out_plan.pk}'] a")
    expect(mine.page.locator(f"#plan-lines tr[data-key='{DOCUMENT}']")).to_be_visible()
    mine.assert_clean()

    # --- the North's bureau: a refusal without a reason is refused; then its consent -------
    bureau = open_tab("bureau")
    sign_in(bureau, "bureau")
    bureau.goto("/complex/crossings/north/")
    row = f"#waiting tr[data-plan='{out_plan.pk}']"
    expect(bureau.page.locator("#waiting tbody tr")).to_have_count(1)
    bureau.page.check(f"{row} input[name='answer-consent'][value='no']")
    post(bureau, f"{row} button[type=submit]")
    expect_refused(bureau, "/answer/")
    expect(bureau.page.locator(f"{row} input[name='answer-consent'][value='no']")).to_be_checked()
    assert DayPlan.objects.get(pk=out_plan.pk).state == "sent"
    bureau.shot("03-refusal-needs-a-reason")
    bureau.page.check(f"{row} input[name='answer-consent'][value='yes']")
    post(bureau, f"{row} button[type=submit]")
    expect(bureau.page.locator(f"#answered tr[data-plan='{out_plan.pk}']")).to_have_attribute(
        "data-state", "consented"
    )
    bureau.shot("04-consented")
    assert DayPlan.objects.get(pk=out_plan.pk).answer_entry is not None

    # --- the gate at 09:40: a wrong number, then the truck and its driver --------------------
    with gate_clock(9, 40):
        gate.goto("/complex/gate/")
        answer = gate_check(
            gate, subject="person", key=WRONG_DOCUMENT, direction="out", vehicle=PLATE
        )
        expect(answer).to_have_attribute("data-outcome", "refused")
        expect(answer).to_have_attribute("data-code", "no_approval")
        expect(answer.locator(".gate-reason")).to_contain_text("승인")
        expect(gate.page.locator("#id_key")).to_have_value(WRONG_DOCUMENT)
        expect(gate.page.locator("#id_vehicle_key")).to_have_value(PLATE)
        expect(gate.page.locator("#gate-form input[value='out']")).to_be_checked()
        gate.shot("05-gate-refused")
        assert not Presence.objects.exists()
        answer = gate_check(gate, subject="vehicle", key=PLATE, direction="out")
        expect(answer).to_have_attribute("data-outcome", "passed")
        answer = gate_check(gate, subject="person", key=DOCUMENT, direction="out", vehicle=PLATE)
        expect(answer).to_have_attribute("data-outcome", "passed")
        expect(gate.page.locator("#id_key")).to_have_value("")  # ready for the next one
        expect(gate.page.locator("#gate-recent tbody tr")).to_have_count(3)
        gate.shot("06-gate-out")
    passed = GateEvent.objects.filter(outcome="passed", direction="out")
    assert {(e.subject, e.key, e.firm_id) for e in passed} == {
        ("vehicle", PLATE, firm.pk),
        ("person", DOCUMENT, firm.pk),
    }
    assert all(e.occurred_at.astimezone(KST).date() == DAY for e in passed)

    # --- the headcount: one person, on a day's visit, and the truck, inside for the firm ------
    gate.goto(f"/complex/gate/headcount/?firm={firm.pk}")
    assert board_counts(gate, firm.pk) == {
        "people": "1",
        "vehicles": "1",
        "firm_people": "1",
        "firm_short": "1",
        "firm_vehicles": "1",
    }
    inside = gate.page.locator(f"#gate-inside tr[data-key='{DOCUMENT}']")
    expect(inside).to_contain_text(PLATE)
    expect(gate.page.locator(f"#gate-inside tr[data-key='{PLATE}']")).to_have_attribute(
        "data-subject", "vehicle"
    )
    gate.shot("07-headcount-inside")
    mine.goto("/complex/gate/headcount/")
    expect(mine.page.locator(f"#gate-inside tr[data-key='{DOCUMENT}']")).to_be_visible()
    assert board_counts(mine, firm.pk)["firm_people"] == "1"
    mine.shot("08-firm-headcount")

    # --- the way back at 16:05: its plan has no consent yet ---------------------------------
    with gate_clock(16, 5):
        gate.goto("/complex/gate/")
        answer = gate_check(gate, subject="person", key=DOCUMENT, direction="in", vehicle=PLATE)
        expect(answer).to_have_attribute("data-code", "no_consent")
        expect(gate.page.locator("#id_key")).to_have_value(DOCUMENT)
        expect(gate.page.locator("#gate-form input[value='in']")).to_be_checked()
        gate.shot("09-return-without-consent")
    assert Presence.objects.count() == 2

    gate.goto(f"/complex/crossings/plans/?day={DAY}")
    post(gate, f"#dayplans tr[data-plan='{in_plan.pk}'] button[type=submit]")
    expect(gate.page.locator("#plan")).to_have_attribute("data-state", "sent")
    bureau.goto("/complex/crossings/north/")
    row = f"#waiting tr[data-plan='{in_plan.pk}']"
    bureau.page.check(f"{row} input[name='answer-consent'][value='yes']")
    post(bureau, f"{row} button[type=submit]")
    expect(bureau.page.locator(f"#answered tr[data-plan='{in_plan.pk}']")).to_have_attribute(
        "data-state", "consented"
    )
    bureau.assert_clean()

    with gate_clock(16, 15):
        gate.goto("/complex/gate/")
        answer = gate_check(gate, subject="person", key=DOCUMENT, direction="in", vehicle=PLATE)
        expect(answer).to_have_attribute("data-outcome", "passed")
        answer = gate_check(gate, subject="vehicle", key=PLATE, direction="in")
        expect(answer).to_have_attribute("data-outcome", "passed")
        gate.shot("10-gate-in")
    assert not Presence.objects.exists()
    gate.goto("/complex/gate/headcount/")
    assert board_counts(gate, firm.pk) == {"people": "0", "vehicles": "0"}
    expect(gate.page.locator("#gate-by-firm")).to_have_count(0)
    gate.shot("11-headcount-empty")
    gate.assert_clean()

    # --- customs: the rule, the period's draw and the firm's record, on the rules page -------
    customs = open_tab("customs")
    sign_in(customs, "customs")
    customs.goto("/complex/customs/rules/")
    customs.page.fill("#id_rule-name", "의류 반입: 서류 심사")
    customs.page.select_option("#id_rule-lane", "yellow")
    customs.page.fill("#id_rule-hs_prefix", "62")
    customs.page.select_option("#id_rule-direction", "carry_in")
    post(customs, "#risk-rule-form button[type=submit]")
    expect(customs.page.locator("#risk-rules tbody tr[data-rule]")).to_have_count(1)
    customs.page.fill("#id_draw-starts_on", "2010-01-01")
    customs.page.fill("#id_draw-ends_on", "2010-06-30")
    for lane, share in (("red", "0"), ("yellow", "3000"), ("blue", "1000")):
        customs.page.fill(f"#id_draw-{lane}_bp", share)
    post(customs, "#draw-form button[type=submit]")  # to the draw's page
    customs.goto("/complex/customs/rules/")
    customs.page.select_option("#id_standing-firm", str(firm.pk))
    customs.page.check("#id_standing-good_record")
    customs.page.fill("#id_standing-since", "2008-01-01")
    post(customs, "#standing-form button[type=submit]")
    expect(customs.page.locator("#standings tbody tr")).to_have_count(1)
    customs.shot("12-customs-rules")

    # --- the firm files its declaration: a value that is no number first ----------------------
    mine.goto("/complex/customs/")
    post(mine, "#declaration-new")
    form = mine.page.locator("#declaration-form")
    form.locator("#id_firm").select_option(str(firm.pk))
    form.locator("#id_direction").select_option("carry_in")
    form.locator("#id_declared_on").fill(DAY.isoformat())
    typed = {
        "hs_code": "620342",
        "description": "남성용 면바지",
        "quantity": "1200",
        "unit": "pcs",
        "value_usd": "USD 8400",
    }
    for name, value in typed.items():
        form.locator(f"#id_line1_{name}").fill(value)
    with mine.page.expect_response(lambda r: r.url.endswith("/customs/new/")) as answered:
        form.locator("button[type=submit]").click()
    assert answered.value.status == 422
    bad = mine.page.locator("#id_line1_value_usd")
    expect(bad).to_have_attribute("aria-invalid", "true")
    for name, value in typed.items():
        expect(mine.page.locator(f"#id_line1_{name}")).to_have_value(value)
    expect(mine.page.locator("#id_declared_on")).to_have_value(DAY.isoformat())
    expect(mine.page.locator("#id_direction")).to_have_value("carry_in")
    expect_refused(mine, "/customs/new/")
    assert not Declaration.objects.exists()
    mine.shot("13-declaration-refused")
    bad.fill("8400.00")
    mine.page.locator("#declaration-form button[type=submit]").click()
    expect(mine.page.locator("#declaration-state")).to_have_attribute("data-state", "stored")
    declaration = Declaration.objects.get()
    assert (declaration.firm_id, str(declaration.value_usd)) == (firm.pk, "8400.00")
    expect(mine.page).to_have_url(f"{mine.base_url}/complex/customs/{declaration.pk}/")
    mine.assert_clean()

    # --- customs registers it (routed yellow), assesses and releases it -----------------------
    customs.goto("/complex/customs/?state=stored")
    post(customs, f"tr[data-declaration='{declaration.pk}'] a")
    post(customs, "#declaration-register")
    expect(customs.page.locator("#declaration-state")).to_have_attribute("data-state", "registered")
    expect(customs.page.locator("#declaration-lane")).to_have_attribute("data-lane", "yellow")
    customs.shot("14-registered-yellow")
    registered = Declaration.objects.get(pk=declaration.pk)  # its state is protected
    assert registered.number == "GIC-2010-000001"
    # The rule says yellow; the draw, with no red share, can say nothing more severe.
    assert registered.rule_lane == "yellow"
    assert registered.drawn_lane in ("yellow", "blue", "green")
    customs.page.fill("#id_assess-note", "원산지·수량 서류 확인")
    post(customs, "#declaration-assess")
    expect(customs.page.locator("#declaration-state")).to_have_attribute("data-state", "assessed")
    post(customs, "#declaration-release")
    expect(customs.page.locator("#declaration-state")).to_have_attribute("data-state", "released")
    kinds = customs.page.locator("#declaration-events tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.kind)"
    )
    assert kinds == ["stored", "registered", "routed", "assessed", "released"], kinds
    customs.shot("15-released")
    customs.assert_clean()

    # The firm sees it released, in the yellow lane.
    mine.goto(f"/complex/customs/{declaration.pk}/")
    expect(mine.page.locator("#declaration-state")).to_have_attribute("data-state", "released")
    expect(mine.page.locator("#declaration-lane")).to_have_attribute("data-lane", "yellow")
    mine.shot("16-firm-sees-released")
    mine.assert_clean()
