"""The money pages and API: an activity's transactions shown with their rates and whether
totals count them, a bad form shown again with the field named and what was typed kept, a file
refused naming row and column, and the refusals (a viewer cannot add; the aid organisation does
not see the ministry's activity) through the page and the API, each writing nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from panmun.accounts.models import AuditEntry

from ..models import ExchangeRate, Transaction, TransactionType
from ..services.money import COLUMNS, transaction_add
from .money_world import CHILD, money_world

TT = TransactionType
D = dt.date
FORM = {
    "transaction-type": "3",
    "transaction-date": "2026-03-02",
    "transaction-value": "500,000,000",
    "transaction-currency": "KRW",
    "transaction-value_date": "2026-03-02",
    "transaction-receiver_activity_id": CHILD,
}
BODY = {
    "type": 3,
    "date": "2026-03-02",
    "value": "500000000",
    "currency": "KRW",
    "value_date": "2026-03-02",
    "receiver_activity_id": CHILD,
}


@pytest.fixture
def world(personas):
    return money_world(personas)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(activity, rest=""):
    return f"/aid/activities/{activity.pk}/transactions/{rest}"


def counts():
    return Transaction.objects.count(), ExchangeRate.objects.count(), AuditEntry.objects.count()


def test_the_page_shows_rates_pledges_and_counted_once(personas, world, client_for):
    ministry, aid = personas["ministry"], personas["aid"]
    common = {"date": D(2026, 3, 2), "value_date": D(2026, 3, 2)}
    paid = transaction_add(actor=ministry, activity=world["parent"], type=TT.DISBURSEMENT,
                           value=Decimal("500000000"), currency="KRW",
                           receiver_activity_id=CHILD, **common)  # fmt: skip
    pledge = transaction_add(actor=ministry, activity=world["parent"], type=TT.OUTGOING_PLEDGE,
                             value=Decimal("1000000"), currency="USD", **common)  # fmt: skip
    spent = transaction_add(actor=aid, activity=world["child"], type=TT.EXPENDITURE,
                            value=Decimal("1000"), currency="USD", passes_on=paid,
                            **common)  # fmt: skip
    page = client_for("ministry").get(url(world["parent"]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-transaction="{pledge.pk}" data-type="12" class="pledge"' in html
    assert "1000000.00 USD" in html and "1350000000" not in html.split('id="total-krw"')[1][:40]
    assert 'id="total-krw">500,000,000<' in html
    child = client_for("aid").get(url(world["child"])).content.decode()
    assert f'data-transaction="{spent.pk}"' in child
    assert world["parent"].identifier in child.split(f'data-transaction="{spent.pk}"')[1][:2000]
    assert 'id="total-krw">0<' in child
    # the form offers the money addressed to the child
    assert f'<option value="{paid.pk}">' in child


def test_a_transaction_added_from_the_page(personas, world, client_for):
    response = client_for("ministry").post(url(world["parent"], "add/"), FORM)
    assert response.status_code == 302
    made = Transaction.objects.get()
    assert (made.value, made.value_krw, made.value_usd) == (
        Decimal("500000000"), Decimal("500000000"), Decimal("370370.37")
    )  # fmt: skip


@pytest.mark.parametrize(
    ("field", "typed", "said"),
    [
        ("value", "12abc", "Not an amount"),
        ("value", "10.5", "A KRW amount has at most 0 decimal places"),
        ("date", "1934-13-45", "Enter a valid date"),
        ("currency", "CNY", "No CNY exchange rate in force on 2026-03-02"),
    ],
)
def test_a_bad_form_comes_back_with_the_field_named(
    personas, world, client_for, field, typed, said
):
    before = counts()
    response = english(client_for("ministry")).post(
        url(world["parent"], "add/"), {**FORM, f"transaction-{field}": typed}
    )  # fmt: skip
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) - {"__all__"} == {field}
    assert said in response.content.decode()
    assert f'value="{typed}"' in response.content.decode()
    assert counts() == before


def test_a_bad_file_is_refused_naming_row_and_column(personas, world, client_for):
    header = ",".join(COLUMNS)
    good_row = f"{CHILD},,4,2026-03-03,10,KRW,2026-03-03"
    data = f"{header}\n{good_row}\n{CHILD},,4,1934-13-45,10,KRW,2026-03-03\n"
    before = counts()
    response = english(client_for("aid")).post(
        url(world["child"], "import/"),
        {"file-file": SimpleUploadedFile("t.csv", data.encode()), "file-replace": "on"},
    )
    assert response.status_code == 422
    errors = " ".join(str(e) for e in response.context["file_form"].non_field_errors())
    assert "t.csv, row 3, date" in errors
    assert counts() == before
    good = f"{header}\n{CHILD},,4,2026-03-03,10,KRW,2026-03-03\n"
    response = client_for("aid").post(
        url(world["child"], "import/"), {"file-file": SimpleUploadedFile("t.csv", good.encode())}
    )
    assert response.status_code == 302
    assert Transaction.objects.get().activity == world["child"]
    export = client_for("aid").get(url(world["child"], "export/?format=csv"))
    assert export.content.decode("utf-8-sig").splitlines()[1].startswith(f"{CHILD},,4,2026-03-03")


def test_rates_page_and_upload(personas, world, client_for):
    page = client_for("viewer").get("/aid/rates/?currency=usd")
    assert page.status_code == 200 and page.content.decode().count("data-rate=") == 3
    assert "rates-form" not in page.content.decode()
    before = counts()
    bad = b"date,currency,krw,usd,source\n2026-02-30,USD,1,1,x\n"
    response = english(client_for("ministry")).post(
        "/aid/rates/import/", {"file": SimpleUploadedFile("r.csv", bad)}
    )
    assert response.status_code == 422
    assert "r.csv, row 2, date" in " ".join(response.context["form"].non_field_errors())
    assert counts() == before
    good = b"date,currency,krw,usd,source\n2026-02-02,CNY,190.5,0.1389,BOK\n"
    response = client_for("ministry").post(
        "/aid/rates/import/", {"file": SimpleUploadedFile("r.csv", good)}
    )
    assert response.status_code == 302
    assert ExchangeRate.objects.filter(currency="CNY").count() == 1


def test_refusals_through_the_pages_write_nothing(personas, world, client_for):
    before = counts()
    assert client_for("viewer").post(url(world["parent"], "add/"), FORM).status_code == 403
    assert client_for("aid").post(url(world["parent"], "add/"), FORM).status_code == 404
    assert client_for("aid").get(url(world["parent"])).status_code == 404
    assert client_for("redcross_n").get("/aid/rates/").status_code == 403
    assert client_for("aid").post("/aid/rates/import/", {}).status_code == 403
    viewer_page = client_for("viewer").get(url(world["parent"])).content.decode()
    assert "transaction-form" not in viewer_page
    assert counts() == before


# --- the API -----------------------------------------------------------------------------------


def test_the_api_adds_lists_and_removes(personas, world, api_for):
    ministry = api_for("ministry")
    path = f"/aid/activities/{world['parent'].pk}/transactions"
    made = ministry.post(path, BODY)
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["value"], body["value_krw"], body["value_usd"]) == (
        "500000000.00", "500000000", "370370.37"
    )  # fmt: skip
    assert (body["rate_source"], body["counted"], body["pledge"]) == ("test rates", True, False)
    child = api_for("aid").post(
        f"/aid/activities/{world['child'].pk}/transactions",
        {**BODY, "type": 1, "receiver_activity_id": "", "passes_on": body["id"]},
    )
    assert child.status_code == 201 and child.json()["passes_on_id"] == body["id"]
    listed = api_for("viewer").get(path).json()
    assert [t["id"] for t in listed] == [body["id"]]
    refused = ministry.call("DELETE", f"{path}/{body['id']}")
    assert refused.status_code == 409 and refused.json()["code"] == "conflict"
    gone = ministry.call(
        "DELETE", f"/aid/activities/{world['child'].pk}/transactions/{child.json()['id']}"
    )
    assert gone.status_code == 204


def test_the_api_refuses_and_writes_nothing(personas, world, api_for):
    path = f"/aid/activities/{world['parent'].pk}/transactions"
    viewer, aid, ministry = api_for("viewer"), api_for("aid"), api_for("ministry")
    before = counts()
    assert viewer.post(path, BODY).status_code == 403
    assert aid.post(path, BODY).status_code == 404
    floats = ministry.post(path, {**BODY, "value": 500000000.5})
    assert floats.status_code == 422
    no_rate = ministry.post(path, {**BODY, "currency": "CNY"}, HTTP_ACCEPT_LANGUAGE="en")
    assert no_rate.status_code == 422
    assert no_rate.json()["details"]["errors"][0]["field"] == "currency"
    assert no_rate.json()["details"]["errors"][0]["reason_en"].startswith("No CNY exchange rate")
    assert counts() == before


def test_the_api_files(personas, world, api_for):
    ministry = api_for("ministry")
    rates = ministry.client.post(
        "/api/v1/aid/rates",
        {
            "file": SimpleUploadedFile(
                "r.csv", b"date,currency,krw,usd,source\n2026-02-02,CNY,190.5,0.1389,BOK\n"
            )
        },
        **ministry.headers,
    )
    assert rates.status_code == 200 and rates.json() == {"added": 1}
    assert len(api_for("aid").get("/aid/rates?currency=CNY").json()) == 1
    header = ",".join(COLUMNS)
    data = f"{header}\n{CHILD},R1,4,2026-03-03,10,CNY,2026-03-03\n".encode()
    imported = ministry.client.post(
        "/api/v1/aid/transactions/import",
        {"file": SimpleUploadedFile("t.csv", data), "replace": "true"},
        **ministry.headers,
    )
    assert imported.status_code == 200, imported.content
    assert imported.json() == {"added": 1, "removed": 0, "activities": [CHILD]}
    assert Transaction.objects.get().value_krw == Decimal("1905")
    export = api_for("aid").get(f"/aid/transactions/export?format=csv&activity={world['child'].pk}")
    assert export.status_code == 200
    assert export.content.decode("utf-8-sig").splitlines()[1].startswith(f"{CHILD},R1,4,")
    # the aid organisation's file naming the ministry's activity is refused, row and column
    aid = api_for("aid")
    before = counts()
    parent_row = f"{header}\n{world['parent'].identifier},,4,2026-03-03,10,KRW,2026-03-03\n"
    refused = aid.client.post(
        "/api/v1/aid/transactions/import",
        {"file": SimpleUploadedFile("t.csv", parent_row.encode())},
        **aid.headers,
    )
    assert refused.status_code == 422
    assert [(e["row"], e["field"]) for e in refused.json()["details"]["errors"]] == [
        (2, "activity_identifier")
    ]
    assert counts() == before
