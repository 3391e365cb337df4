"""The stay and telephone pages and API: what each shows, refusals that keep what was typed and
name the field, wrong values in every field answered with 4xx (never 500), access."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from ..models import PhoneCall, PhoneLine, Stay, StayRegistration
from ..services import stay as service
from .factories import persona_firm
from .stay_world import arrive, line, other_firm

pytestmark = pytest.mark.django_db

WRONG = ["", "x" * 300, "2010-02-30", "-1", "9999-99-99", "\u0000", "０１２３", "1e9", "<b>"]


def test_the_stays_page_shows_what_is_due(personas, client_for) -> None:
    stay = arrive(personas, arrived_at=timezone.now() - dt.timedelta(hours=50))
    page = client_for("firm").get("/complex/stays/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f'data-stay="{stay.pk}"' in text
    assert 'data-deadline="registration" data-state="overdue"' in text
    assert "체류등록" in text and "48시간" in text  # in Korean, the rule named
    detail = client_for("ministry").get(f"/complex/stays/{stay.pk}/")
    assert detail.status_code == 200 and "register-form" not in detail.content.decode()
    assert "도착 후 48시간 안에 체류등록" in detail.content.decode()


def test_an_arrival_from_the_page(personas, client_for) -> None:
    firm = persona_firm(personas)
    answer = client_for("firm").post(
        "/complex/stays/arrive/",
        {
            "arrive-document_number": "M-777",
            "arrive-name": "홍길동",
            "arrive-firm": firm.pk,
            "arrive-arrived_at": "2015-06-01 10:00",
        },
    )
    assert answer.status_code == 302
    stay = Stay.objects.get()
    assert (stay.key, stay.firm_id) == ("M777", firm.pk)


def test_a_late_extension_is_refused_on_the_form_keeping_what_was_typed(
    personas, client_for
) -> None:
    stay = arrive(personas)
    service.stay_register(
        actor=personas["gic"],
        stay=stay,
        valid_until=dt.date(2010, 5, 10),
        requested_on=dt.date(2010, 3, 6),
    )
    answer = client_for("gic").post(
        f"/complex/stays/{stay.pk}/register/",
        {
            "reg-step": "extension",
            "reg-valid_until": "2010-08-01",
            "reg-requested_on": "2010-05-08",
        },
    )
    assert answer.status_code == 422
    text = answer.content.decode()
    assert 'value="2010-08-01"' in text and 'value="2010-05-08"' in text
    assert "2010-05-07" in text  # the last day, named
    assert StayRegistration.objects.count() == 1


@pytest.mark.parametrize(
    "field", ["document_number", "name", "firm", "arrived_at", "planned_departure"]
)
@pytest.mark.parametrize("value", WRONG)
def test_wrong_values_in_the_arrival_form(personas, client_for, field, value) -> None:
    good = {
        "arrive-document_number": "M1",
        "arrive-name": "홍길동",
        "arrive-firm": str(persona_firm(personas).pk),
        "arrive-arrived_at": "2015-06-01 10:00",
        "arrive-planned_departure": "",
    }
    answer = client_for("gic").post("/complex/stays/arrive/", {**good, f"arrive-{field}": value})
    assert answer.status_code in (302, 422)
    if answer.status_code == 302:
        assert Stay.objects.count() == 1


@pytest.mark.parametrize("field", ["step", "valid_until", "requested_on"])
@pytest.mark.parametrize("value", WRONG)
def test_wrong_values_in_the_registration_form(personas, client_for, field, value) -> None:
    stay = arrive(personas)
    good = {
        "reg-step": "registration",
        "reg-valid_until": "2010-04-01",
        "reg-requested_on": "2010-03-06",
    }
    answer = client_for("gic").post(
        f"/complex/stays/{stay.pk}/register/", {**good, f"reg-{field}": value}
    )
    assert answer.status_code in (302, 422)


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (
            "/complex/phones/install/",
            {"line-firm": "1", "line-number": "1234", "line-installed_on": "2010-01-01"},
        ),
        ("/complex/phones/bills/", {"bill-firm": "1", "bill-month": "2010-03"}),
    ],
)
@pytest.mark.parametrize("value", WRONG)
def test_wrong_values_in_the_line_and_bill_forms(personas, client_for, url, data, value) -> None:
    firm = persona_firm(personas)
    data = {k: (str(firm.pk) if k.endswith("-firm") else v) for k, v in data.items()}
    for key in data:
        answer = client_for("gic").post(url, {**data, key: value})
        assert answer.status_code in (302, 422), (key, value)


def test_a_wrong_line_number_keeps_what_was_typed(personas, client_for) -> None:
    firm = persona_firm(personas)
    answer = client_for("gic").post(
        "/complex/phones/install/",
        {
            "line-firm": firm.pk,
            "line-number": "12",
            "line-installed_on": "2010-01-01",
            "line-note": "사무동 2층",
        },
    )
    assert answer.status_code == 422
    text = answer.content.decode()
    assert 'value="12"' in text and "사무동 2층" in text and "4" in text
    assert not PhoneLine.objects.exists()


def test_the_phones_page_shows_both_dial_strings(personas, client_for) -> None:
    line(personas, number="5566")
    line(personas, other_firm(), number="7788")
    text = client_for("firm").get("/complex/phones/").content.decode()
    assert "001-8585-5566" in text and "089" in text
    assert "7788" not in text  # another firm's line
    assert "7788" in client_for("ministry").get("/complex/phones/").content.decode()


def test_a_call_file_refused_from_the_page_names_file_row_and_field(personas, client_for) -> None:
    line(personas, number="1234", installed_on=dt.date(2010, 3, 1))
    upload = io.BytesIO(
        b"line,dialled,started_at,duration_seconds\n"
        b"1234,02-1234-5678,2010-03-11 09:00:00,61\n"
        b"1234,2-1234,2010-03-11 10:00:00,61\n"
    )
    upload.name = "march.csv"
    answer = client_for("gic").post("/complex/phones/calls/", {"calls-file": upload})
    assert answer.status_code == 422
    text = answer.content.decode()
    assert "march.csv" in text and "3" in text and "dialled" in text
    assert not PhoneCall.objects.exists()


# --- API --------------------------------------------------------------------------------------


def test_the_api_registers_and_refuses_a_late_extension(personas, api_for) -> None:
    gic = api_for("gic")
    made = gic.post(
        "/complex/stays",
        {
            "document_number": "M 55",
            "name": "이체류",
            "arrived_at": "2010-03-05T09:00:00",
            "firm_id": persona_firm(personas).pk,
        },
    )
    assert made.status_code == 201, made.content
    stay = made.json()
    assert stay["key"] == "M55"
    reg = gic.post(
        f"/complex/stays/{stay['id']}/registrations",
        {"step": "registration", "valid_until": "2010-05-10", "requested_on": "2010-03-06"},
    )
    assert reg.status_code == 201 and reg.json()["fee_usd"] == "35.00"
    late = gic.post(
        f"/complex/stays/{stay['id']}/registrations",
        {"step": "extension", "valid_until": "2010-08-01", "requested_on": "2010-05-08"},
    )
    assert late.status_code == 422
    body = late.json()
    assert body["code"] == "invalid_input"
    assert body["details"]["rule"] == "stay.extension_3_days"
    assert body["details"]["field"] == "requested_on"


@pytest.mark.parametrize(
    "body",
    [
        {"step": "forever", "valid_until": "2010-05-10"},
        {"step": "registration", "valid_until": "2010-02-30"},
        {"step": "registration", "valid_until": 20100510},
        {"step": "registration", "valid_until": "2100-01-01"},
        {"step": "registration", "valid_until": "2010-05-10", "extra": 1},
        {"step": "registration"},
    ],
)
def test_the_api_refuses_wrong_registrations_with_422(personas, api_for, body) -> None:
    stay = arrive(personas)
    answer = api_for("gic").post(f"/complex/stays/{stay.pk}/registrations", body)
    assert answer.status_code == 422
    assert not StayRegistration.objects.exists()


def test_the_api_lines_and_calls(personas, api_for) -> None:
    gic = api_for("gic")
    firm = persona_firm(personas)
    made = gic.post(
        "/complex/phone-lines", {"firm_id": firm.pk, "number": "4455", "installed_on": "2010-03-01"}
    )
    assert made.status_code == 201
    assert made.json()["dial_from_south"] == "001-8585-4455"
    call = gic.post(
        "/complex/phone-calls",
        {
            "line": "4455",
            "dialled": "02-1234-5678",
            "started_at": "2010-03-02T10:00:00",
            "duration_seconds": 61,
        },
    )
    assert call.status_code == 201
    assert (call.json()["billed_minutes"], call.json()["charge_usd"]) == (2, "0.80")
    assert call.json()["dial_string"] == "089-0212345678"
    bill = gic.post("/complex/phone-bills", {"firm_id": firm.pk, "month": "2010-03"})
    assert bill.status_code == 201
    assert bill.json()["total_usd"] == "110.80"
    assert [b["month"] for b in api_for("firm").get("/complex/phone-bills").json()] == ["2010-03"]
    # Another firm's line is not found by a firm.
    other = line(personas, other_firm(), number="9911")
    assert api_for("firm").get(f"/complex/phone-calls?line={other.pk}").status_code == 404
    assert len(api_for("ministry").get(f"/complex/phone-calls?line={other.pk}").json()) == 0
    mine = api_for("firm").get("/complex/stays?open=false").json()
    assert mine == []


@pytest.mark.parametrize(
    "body",
    [
        {
            "line": "4455",
            "dialled": "12345",
            "started_at": "2010-03-02T10:00:00",
            "duration_seconds": 1,
        },
        {"line": "4455", "dialled": "0212345678", "started_at": "yesterday", "duration_seconds": 1},
        {
            "line": "4455",
            "dialled": "0212345678",
            "started_at": "2010-03-02T10:00:00",
            "duration_seconds": -1,
        },
        {
            "line": "4455",
            "dialled": "0212345678",
            "started_at": "2010-03-02T10:00:00",
            "duration_seconds": "61",
        },
        {
            "line": "9999",
            "dialled": "0212345678",
            "started_at": "2010-03-02T10:00:00",
            "duration_seconds": 1,
        },
    ],
)
def test_the_api_refuses_wrong_calls(personas, api_for, body) -> None:
    line(personas, number="4455", installed_on=dt.date(2010, 3, 1))
    assert api_for("gic").post("/complex/phone-calls", body).status_code == 422
    assert not PhoneCall.objects.exists()


def test_the_gate_reads_the_stay_flags(personas, api_for) -> None:
    arrive(personas, arrived_at=timezone.now() - dt.timedelta(hours=50))
    service.stay_flags_sync()
    [flag] = api_for("gate").get("/complex/stay-flags").json()
    assert flag["key"] == "M12345678" and "stay desk" in flag["instructions"]
    assert api_for("firm").get("/complex/stay-flags").status_code == 403


@pytest.mark.parametrize("value", WRONG)
def test_wrong_values_in_the_fee_depart_and_remove_forms(personas, client_for, value) -> None:
    stay = arrive(personas)
    service.stay_register(
        actor=personas["gic"],
        stay=stay,
        valid_until=dt.date(2010, 5, 10),
        requested_on=dt.date(2010, 3, 6),
    )
    reg = stay.registrations.get()
    made = line(personas, number="3344", installed_on=dt.date(2010, 3, 1))
    gic = client_for("gic")
    forms = [
        (
            f"/complex/stays/{stay.pk}/fee/",
            {"fee-registration": str(reg.pk), "fee-paid_on": "2010-03-07", "fee-receipt": "R-1"},
        ),
        (f"/complex/stays/{stay.pk}/depart/", {"dep-departed_at": "2010-03-20 10:00"}),
        (f"/complex/phones/{made.pk}/remove/", {"remove-removed_on": "2010-04-01"}),
    ]
    for url, good in forms:
        for key in set(good) - {"fee-receipt"}:  # a receipt is any text up to 100
            answer = gic.post(url, {**good, key: value})
            assert answer.status_code == 422, (url, key, value)
    reg.refresh_from_db()
    stay.refresh_from_db()
    made.refresh_from_db()
    assert (reg.fee_paid_on, stay.departed_at, made.removed_on) == (None, None, None)


@pytest.mark.parametrize(
    "body",
    [
        {"document_number": "", "name": "가", "arrived_at": "2010-03-05T09:00:00"},
        {"document_number": "M1", "name": "가", "arrived_at": "2010-03-05"},
        {"document_number": "M1", "name": "가", "arrived_at": "1999-03-05T09:00:00"},
        {"document_number": "M/1", "name": "가", "arrived_at": "2010-03-05T09:00:00"},
        {
            "document_number": "M1",
            "name": "가",
            "arrived_at": "2010-03-05T09:00:00",
            "planned_departure": "2010-03-04",
        },
        {
            "document_number": "M1",
            "name": "가",
            "arrived_at": "2010-03-05T09:00:00",
            "firm_id": "1",
        },
        {"document_number": "M1", "name": "\u0000", "arrived_at": "2010-03-05T09:00:00"},
    ],
)
def test_the_api_refuses_wrong_arrivals(personas, api_for, body) -> None:
    answer = api_for("gic").post("/complex/stays", body)
    assert answer.status_code == 422, answer.content
    assert "field" in str(answer.json()["details"]) or answer.json()["details"]
    assert not Stay.objects.exists()


def test_a_firm_must_name_its_firm_and_cannot_name_another(personas, api_for) -> None:
    firm = api_for("firm")
    body = {"document_number": "M1", "name": "가", "arrived_at": "2010-03-05T09:00:00"}
    assert firm.post("/complex/stays", body).json()["details"]["field"] == "firm"
    assert firm.post("/complex/stays", {**body, "firm_id": other_firm().pk}).status_code == 404
    assert not Stay.objects.exists()
