"""The pages and the API of wages, payrolls and remittances: the flow as each persona walks it,
refused forms answered 422 with what was typed, the bureau kept from the lines."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.conf import settings

from ..models import PayrollMonth, PayrollState, Remittance, RemittanceState, WageDispute
from .factories import persona_firm
from .payroll_world import add_workers

D = Decimal


@pytest.fixture
def firm(personas):
    firm = persona_firm(personas)
    add_workers(firm, 3)
    return firm


@pytest.mark.django_db
def test_the_flow_through_the_pages(client_for, firm) -> None:
    me = client_for("firm")
    response = me.post(
        "/complex/payrolls/compute/", {"compute-firm": firm.pk, "compute-month": "2015-09"}
    )
    payroll = PayrollMonth.objects.get()
    assert response.status_code == 302 and response.url == f"/complex/payrolls/{payroll.pk}/"
    page = me.get(f"/complex/payrolls/{payroll.pk}/")
    assert page.status_code == 200
    assert b'id="payroll-lines"' in page.content and b"254.853" in page.content
    assert me.post(f"/complex/payrolls/{payroll.pk}/submit/").status_code == 302
    gic = client_for("gic")
    queue = gic.get("/complex/payrolls/?queue=1")
    assert f'data-payroll="{payroll.pk}"'.encode() in queue.content
    back = gic.post(f"/complex/payrolls/{payroll.pk}/send-back/", {"back-reason": ""})
    assert back.status_code == 422
    assert gic.post(f"/complex/payrolls/{payroll.pk}/approve/").status_code == 302
    assert PayrollMonth.objects.get().state == PayrollState.APPROVED
    wrong = me.post(
        "/complex/remittances/record/",
        {
            "remit-payrolls": [payroll.pk],
            "remit-amount_usd": "254.850",
            "remit-bank": "우리은행",
            "remit-bank_reference": "KS-0001",
            "remit-remitted_on": "2015-10-10",
        },
    )
    assert wrong.status_code == 422
    assert b"254.853" in wrong.content and b'value="KS-0001"' in wrong.content
    assert not Remittance.objects.exists()
    right = me.post(
        "/complex/remittances/record/",
        {
            "remit-payrolls": [payroll.pk],
            "remit-amount_usd": "254.853",
            "remit-bank": "우리은행",
            "remit-bank_reference": "KS-0001",
            "remit-remitted_on": "2015-10-10",
        },
    )
    assert right.status_code == 302
    bureau = client_for("bureau")
    listing = bureau.get("/complex/remittances/")
    assert listing.status_code == 200 and b"KS-0001" in listing.content
    remittance = Remittance.objects.get()
    assert (
        bureau.post(
            f"/complex/remittances/{remittance.pk}/confirm/", {"confirm-received_usd": "250"}
        ).status_code
        == 422
    )
    assert bureau.post(f"/complex/remittances/{remittance.pk}/confirm/").status_code == 302
    assert Remittance.objects.get().state == RemittanceState.CONFIRMED
    # The bureau reads the totals, never the lines nor the Excel file.
    totals = bureau.get(f"/complex/payrolls/{payroll.pk}/")
    assert totals.status_code == 200 and b'id="payroll-lines"' not in totals.content
    assert b"W00001" not in totals.content
    assert bureau.get(f"/complex/payrolls/{payroll.pk}/export/").status_code == 403


@pytest.mark.django_db
def test_refused_forms_keep_what_was_typed(client_for, firm) -> None:
    me = client_for("firm")
    for month in ("2015-13", "abc", ""):
        response = me.post(
            "/complex/payrolls/compute/", {"compute-firm": firm.pk, "compute-month": month}
        )
        assert response.status_code == 422
    bad_sheet = io.BytesIO(b"number,days worked\nW00001,40\nW00002,x\n")
    bad_sheet.name = "sheet.csv"
    response = me.post(
        "/complex/payrolls/compute/",
        {"compute-firm": firm.pk, "compute-month": "2015-09", "compute-timesheet": bad_sheet},
    )
    assert response.status_code == 422
    assert b"sheet.csv" in response.content
    assert not PayrollMonth.objects.exists()
    gic = client_for("gic")
    capped = gic.post(
        "/complex/wages/rules/",
        {
            "rule-effective_from": "2013-08-01",
            "rule-minimum_wage_usd": "71.025",
            "rule-agreed_on": "2013-07-30",
            "rule-basis": "6%",
        },
    )
    assert capped.status_code == 422 and b'value="71.025"' in capped.content
    for field, value in (
        ("rule-minimum_wage_usd", "-1"),
        ("rule-minimum_wage_usd", "1.23456"),
        ("rule-effective_from", "2013-02-30"),
    ):
        data = {
            "rule-effective_from": "2016-08-01",
            "rule-minimum_wage_usd": "75",
            "rule-agreed_on": "2016-07-30",
            field: value,
        }
        assert gic.post("/complex/wages/rules/", data).status_code == 422
    demand = gic.post(
        "/complex/wages/disputes/",
        {
            "demand-side": "north",
            "demand-demanded_on": "2015-02-24",
            "demand-effective_from": "2015-03-01",
            "demand-demanded_wage_usd": "74.000",
        },
    )
    assert demand.status_code == 302
    assert WageDispute.objects.get().state == "open"
    page = gic.get("/complex/wages/")
    assert page.status_code == 200 and b'id="wage-settle-form"' in page.content
    assert client_for("firm").get("/complex/wages/").status_code == 200


@pytest.mark.django_db
def test_the_api(api_for, firm) -> None:
    me = api_for("firm")
    bad = me.post(
        f"/complex/firms/{firm.pk}/payrolls",
        {"month": "2015-09", "lines": [{"number": "W00001", "days_worked": "30"}]},
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_input"
    assert bad.json()["details"]["errors"][0]["field"] == "days_worked"
    made = me.post(
        f"/complex/firms/{firm.pk}/payrolls",
        {"month": "2015-09", "lines": [{"number": "W00001", "overtime_hours": "10"}]},
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    # 3 × 84.951 and W00001's overtime: 73.87 × 1.5 × 10 / 208 = 5.327 plus 15% (0.799).
    assert D(body["total_usd"]) == D("254.853") + D("5.327") + D("0.799")
    pk = body["id"]
    assert len(me.get(f"/complex/payrolls/{pk}/lines").json()) == 3
    # The list's filters are a query string: the firm's number as text.
    mine = me.get(f"/complex/payrolls?firm={firm.pk}&month=2015-09")
    assert mine.status_code == 200 and [p["id"] for p in mine.json()] == [pk]
    assert me.get(f"/complex/payrolls?firm={firm.pk + 1000}").json() == []
    assert me.post(f"/complex/payrolls/{pk}/submit").status_code == 200
    gic = api_for("gic")
    assert gic.post(f"/complex/payrolls/{pk}/approve").status_code == 200
    bureau = api_for("bureau")
    assert bureau.get(f"/complex/payrolls/{pk}").status_code == 200
    assert bureau.get(f"/complex/payrolls/{pk}/lines").status_code == 403
    wrong = me.post(
        "/complex/remittances",
        {
            "firm": firm.pk,
            "payrolls": [pk],
            "amount_usd": "1",
            "bank": "B",
            "bank_reference": "R",
            "remitted_on": "2015-10-10",
        },
    )
    assert wrong.status_code == 422 and wrong.json()["details"]["field"] == "amount_usd"
    sent = me.post(
        "/complex/remittances",
        {
            "firm": firm.pk,
            "payrolls": [pk],
            "amount_usd": body["total_usd"],
            "bank": "B",
            "bank_reference": "R",
            "remitted_on": "2015-10-10",
        },
    )
    assert sent.status_code == 201
    confirmed = bureau.post(f"/complex/remittances/{sent.json()['id']}/confirm", {})
    assert confirmed.status_code == 200 and confirmed.json()["state"] == "confirmed"
    capped = gic.post(
        "/complex/wage-disputes",
        {
            "demanded_on": "2013-07-01",
            "effective_from": "2013-08-01",
            "demanded_wage_usd": "71.025",
        },
    )
    assert capped.status_code == 422 and capped.json()["code"] == "policy_forbids"
    rules = api_for("bureau").get("/complex/wage-rules").json()
    assert [r["minimum_wage_usd"] for r in rules][:2] == ["50.000", "52.500"]


@pytest.mark.django_db
def test_the_excel_file_is_in_korean(client_for, personas, firm) -> None:
    from ..services.payroll import payroll_compute

    payroll = payroll_compute(actor=personas["firm"], firm=firm, month=dt.date(2015, 9, 1))
    response = client_for("firm").get(f"/complex/payrolls/{payroll.pk}/export/")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        text = "".join(
            book.read(name).decode() for name in book.namelist() if name.endswith(".xml")
        )
    assert "근로자번호" in text and "사회보험료(USD)" in text and "254.853" in text


@pytest.mark.django_db
def test_the_pages_in_korean_and_english(client_for, firm) -> None:
    me = client_for("gic")
    korean = me.get("/complex/wages/", HTTP_ACCEPT_LANGUAGE="ko")
    assert "임금 규정" in korean.content.decode() and "인상 상한" in korean.content.decode()
    me.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = me.get("/complex/wages/")
    assert "Wage rules" in english.content.decode()
    assert b'data-rule="2014-11-20"' in english.content


@pytest.mark.django_db
def test_a_workers_inputs_from_the_month_page(client_for, personas, firm) -> None:
    from ..services.payroll import payroll_compute

    payroll = payroll_compute(actor=personas["firm"], firm=firm, month=dt.date(2015, 9, 1))
    me = client_for("firm")
    url = f"/complex/payrolls/{payroll.pk}/line/"
    for data in (
        {"line-number": "W00001", "line-days_worked": "27"},  # 26 working days
        {"line-number": "W00001", "line-overtime_hours": "-1"},
        {"line-number": "W00001", "line-overtime_hours": "abc"},
        {"line-number": "W99999", "line-overtime_hours": "1"},
    ):
        response = me.post(url, data)
        assert response.status_code == 422
        assert data["line-number"].encode() in response.content
    assert PayrollMonth.objects.get().total_usd == D("254.853")
    done = me.post(url, {"line-number": "W00001", "line-overtime_hours": "10"})
    assert done.status_code == 302
    # 73.87 × 1.5 × 10 / 208 = 5.327, and 15% of it 0.799.
    assert PayrollMonth.objects.get().total_usd == D("254.853") + D("5.327") + D("0.799")
    assert client_for("ministry").post(url, {"line-number": "W00001"}).status_code == 403


@pytest.mark.django_db
def test_the_api_refuses_what_is_out_of_bounds(api_for, firm) -> None:
    me, gic = api_for("firm"), api_for("gic")
    far = me.post(f"/complex/firms/{firm.pk}/payrolls", {"month": "9999-12"})
    assert far.status_code == 422 and far.json()["code"] == "invalid_input"
    for line, field in (
        ({"number": "W00001", "days_worked": "3.25"}, "days_worked"),
        ({"number": "W00001", "night_hours": "1.05"}, "night_hours"),
        ({"number": "W00001", "allowances_usd": "999999999"}, "allowances_usd"),
        ({"number": "W00001", "allowances_usd": "1.0001"}, "allowances_usd"),
    ):
        refused = me.post(
            f"/complex/firms/{firm.pk}/payrolls", {"month": "2015-09", "lines": [line]}
        )
        assert refused.status_code == 422
        assert refused.json()["details"]["errors"][0]["field"] == field
    early = gic.post(
        "/complex/wage-disputes",
        {"demanded_on": "0001-01-01", "effective_from": "0001-01-01", "demanded_wage_usd": "80"},
    )
    assert early.status_code == 422 and early.json()["details"]["field"] == "demanded_on"
    huge = me.post(
        "/complex/remittances",
        {
            "firm": firm.pk,
            "payrolls": [2**63],
            "amount_usd": "1",
            "bank": "B",
            "bank_reference": "R",
            "remitted_on": "2015-10-10",
        },
    )
    assert huge.status_code == 422
    assert not PayrollMonth.objects.exists() and not WageDispute.objects.exists()


@pytest.mark.django_db
def test_a_reason_typed_while_another_officer_decided_is_kept(client_for, firm) -> None:
    """Two of the committee's officers open the same submitted payroll; the first sends it
    back; the second's reason is refused (the payroll is a draft again), not lost."""
    me = client_for("firm")
    me.post("/complex/payrolls/compute/", {"compute-firm": firm.pk, "compute-month": "2015-09"})
    payroll = PayrollMonth.objects.get()
    me.post(f"/complex/payrolls/{payroll.pk}/submit/")
    gic = client_for("gic")
    first = gic.post(f"/complex/payrolls/{payroll.pk}/send-back/", {"back-reason": "근무일 확인"})
    assert first.status_code == 302
    second = gic.post(
        f"/complex/payrolls/{payroll.pk}/send-back/", {"back-reason": "야간작업 시간 누락"}
    )
    assert second.status_code == 422
    page = second.content.decode()
    assert "야간작업 시간 누락" in page and 'id="payroll-send-back-form"' in page
    now = PayrollMonth.objects.get(pk=payroll.pk)
    assert (now.state, now.returned_reason) == (PayrollState.DRAFT, "근무일 확인")
