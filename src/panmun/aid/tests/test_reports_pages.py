"""The reports' pages, API and CLI: what each reader sees, the refusals through the page and
the API, the history's load form, the year's PDF, the loan's page with its missed instalment."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from panmun.accounts.audit import AuditEntry

from ..models import HistoryYear, LoanNotice
from ..services.history import history_facts_load
from ..services.loans import instalment_publish, loan_create, loan_notice_send

HEADER = (
    "year,gov_by_government,gov_via_ngos,gov_via_intl_orgs,gov_free_total,gov_food_loans,"
    "gov_total,ngo_total,grand_total,note\n"
)
TABLE = (HEADER + "2000,10,,,10,,10,5,15,x\ntotal,10,,,10,,10,5,15,\n").encode()


def _loan(ministry):
    loan = loan_create(
        actor=ministry, reference="EXIM-2000-FOOD", name_ko="2000년 식량차관",
        name_en="2000 food loan", lender="Korea Eximbank", borrower="Chosun Trade Bank",
        signed_on=dt.date(2000, 9, 26), disbursed_on=dt.date(2001, 6, 7),
        principal=Decimal("88360000"), annual_rate=Decimal("0.01"), grace_years=10,
        repayment_years=20, overdue_rate=Decimal("0.02"),
    )  # fmt: skip
    first = loan.instalments.get(seq=1)
    instalment_publish(actor=ministry, instalment=first, amount=Decimal(5834372), source="MOU")
    loan_notice_send(
        actor=ministry, instalment=first, sent_on=dt.date(2012, 6, 8),
        text_ko="미상환 통지", text_en="Not repaid",
    )  # fmt: skip
    return loan


def test_the_reports_page_for_the_ministry_and_an_aid_organisation(personas, client_for):
    history_facts_load(actor=personas["ministry"])
    _loan(personas["ministry"])
    page = client_for("viewer").get("/aid/reports/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-year="2019" data-source="history"' in text
    assert 'data-year="1995" data-source="ledger"' in text
    assert "<svg" in text and 'class="disagree"' in text
    assert 'id="aid-loans"' in text and "EXIM-2000-FOOD" in text
    aid = client_for("aid").get("/aid/reports/").content.decode()
    assert 'id="aid-years"' in aid and 'id="aid-loans"' not in aid  # loans are the ministry's


def test_the_loan_page_shows_the_missed_instalment_and_the_sources_differing(personas, client_for):
    loan = _loan(personas["ministry"])
    page = client_for("viewer").get(f"/aid/loans/{loan.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-seq="1" data-state="missed"' in text
    assert "5,834,422.90" in text and "5,834,372.00" in text
    assert 'id="loan-sources-differ"' in text
    assert client_for("aid").get(f"/aid/loans/{loan.pk}/").status_code == 403
    assert client_for("ministry").get("/aid/loans/999999/").status_code == 404


def test_the_api_refuses_loans_to_an_aid_organisation(personas, api_for):
    loan = _loan(personas["ministry"])
    refused = api_for("aid").get(f"/aid/loans/{loan.pk}")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert api_for("aid").get("/aid/loans").status_code == 403
    assert api_for("aid").get("/aid/reports/yearly").status_code == 200
    assert api_for("firm").get("/aid/reports/yearly").status_code == 403
    body = api_for("viewer").get(f"/aid/loans/{loan.pk}").json()
    first = body["instalments"][0]
    assert (first["state"], first["due_on"], first["amount"]) == ("missed", "2012-06-07",
                                                                  "5834422.90")  # fmt: skip
    assert first["published_amount"] == "5834372.00"
    assert first["notices"] == 1 and first["notices_sent_through_liaison"] == 0
    assert Decimal(first["overdue_charge"]) > 0
    years = api_for("viewer").get("/aid/reports/yearly").json()
    assert years[0]["year"] == 1995 and years[0]["source"] == "ledger"


def test_the_history_form_loads_a_table_and_names_a_wrong_one(personas, client_for):
    client = client_for("ministry")
    assert client.get("/aid/history/").status_code == 200
    done = client.post("/aid/history/", {"file": SimpleUploadedFile("t.csv", TABLE)})
    assert done.status_code == 302
    assert HistoryYear.objects.get(year=2000).source == "t.csv"
    bad = TABLE.replace(b"2000,10,,,10,,10,5,15", b"2000,10,,,10,,10,5,99")
    page = client.post("/aid/history/", {"file": SimpleUploadedFile("bad.csv", bad)})
    assert page.status_code == 422
    assert "grand_total" in page.content.decode()
    assert HistoryYear.objects.get(year=2000).source == "t.csv"  # nothing changed
    missing = client.post("/aid/history/", {})
    assert missing.status_code == 422


def test_the_history_form_is_refused_to_a_viewer(personas, client_for):
    client = client_for("viewer")
    assert client.get("/aid/history/").status_code == 403
    refused = client.post("/aid/history/", {"file": SimpleUploadedFile("t.csv", TABLE)})
    assert refused.status_code == 403
    assert not HistoryYear.objects.exists()
    assert not AuditEntry.objects.filter(action="aid.history.load").exists()


def test_a_years_report_as_a_pdf_in_korean(personas, client_for):
    history_facts_load(actor=personas["ministry"])
    response = client_for("aid").get("/aid/reports/pdf/?year=2019")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    bad = client_for("aid").get("/aid/reports/pdf/?year=19x9")
    assert bad.status_code == 422 and 'value="19x9"' in bad.content.decode()
    assert client_for("firm").get("/aid/reports/pdf/?year=2019").status_code == 403


def test_the_command_line(personas, tmp_path):
    table = tmp_path / "table.csv"
    table.write_bytes(TABLE)
    out = io.StringIO()
    call_command("aid", "history", str(table), "--user", "ministry", "--facts", stdout=out)
    assert "1 years loaded" in out.getvalue()
    assert HistoryYear.objects.get(year=2000).source == "table.csv"
    with pytest.raises(CommandError):
        call_command("aid", "history", str(table), "--user", "viewer")
    out = io.StringIO()
    call_command("aid", "report", "--format", "csv", stdout=out)
    assert "2019,history," in out.getvalue() and "2000,history,table.csv" in out.getvalue()
    out = io.StringIO()
    call_command("aid", "report", "--year", "2019", stdout=out)
    assert "2019년" in out.getvalue() and "277" in out.getvalue()
    pdf = tmp_path / "r.pdf"
    call_command("aid", "report", "--year", "2019", str(pdf), stdout=io.StringIO())
    assert pdf.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError):
        call_command("aid", "report", "--year", "1990", stdout=io.StringIO())
    assert not LoanNotice.objects.exists()


def test_the_pages_in_korean_and_in_english(personas, client_for):
    loan = _loan(personas["ministry"])
    client = client_for("viewer")
    korean = client.get(f"/aid/loans/{loan.pk}/").content.decode()
    assert "만기일" in korean and "Due on" not in korean
    assert "기록만 함, 연락사무소를 통해 보내지 않음" in korean
    client.post("/language/", {"language": "en", "next": "/"})
    english = client.get(f"/aid/loans/{loan.pk}/").content.decode()
    assert "Due on" in english and "recorded, not sent through the liaison office" in english
    reports = client.get("/aid/reports/").content.decode()
    assert "Figures the sources give differently" in reports


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_loan_page_records_a_repayment_and_a_notice(personas, client_for, language):
    from ..models import LoanInstalment

    loan = _loan(personas["ministry"])
    client = client_for("ministry")
    client.cookies["panmun_language"] = language
    paid = client.post(
        f"/aid/loans/{loan.pk}/pay/",
        {"pay-seq": "2", "pay-paid_on": "2013-06-07", "pay-amount": "5783162.00"},
    )
    assert paid.status_code == 302
    second = LoanInstalment.objects.get(loan=loan, seq=2)
    assert (second.paid_on, second.paid_amount) == (dt.date(2013, 6, 7), Decimal("5783162.00"))
    noticed = client.post(
        f"/aid/loans/{loan.pk}/notice/",
        {
            "notice-seq": "3",
            "notice-sent_on": "2014-05-07",
            "notice-text_ko": "상환 기일 통지",
            "notice-text_en": "The instalment falls due",
        },
    )
    assert noticed.status_code == 302
    assert LoanNotice.objects.filter(instalment__loan=loan, instalment__seq=3).count() == 1


@pytest.mark.parametrize(
    ("url", "data", "field"),
    [
        ("pay", {"pay-seq": "2", "pay-paid_on": "1934-13-45", "pay-amount": "10"}, "paid_on"),
        ("pay", {"pay-seq": "2", "pay-paid_on": "2099-01-01", "pay-amount": "10"}, "paid_on"),
        ("pay", {"pay-seq": "99", "pay-paid_on": "2013-06-07", "pay-amount": "10"}, "seq"),
        ("pay", {"pay-seq": "2", "pay-paid_on": "2013-06-07", "pay-amount": "abc"}, "amount"),
        ("pay", {"pay-seq": "2", "pay-paid_on": "2013-06-07", "pay-amount": "0"}, "amount"),
        (
            "notice",
            {"notice-seq": "2", "notice-sent_on": "2013-06-07", "notice-text_ko": "x"},
            "text_en",
        ),
    ],
)
def test_a_wrong_value_in_the_loan_forms_comes_back_and_writes_nothing(
    personas, client_for, url, data, field
):
    from ..models import LoanInstalment

    loan = _loan(personas["ministry"])
    before = (
        AuditEntry.objects.count(),
        LoanNotice.objects.count(),
        LoanInstalment.objects.filter(paid_on__isnull=False).count(),
    )
    response = client_for("ministry").post(f"/aid/loans/{loan.pk}/{url}/", data)
    assert response.status_code == 422
    html = response.content.decode()
    prefix = "pay" if url == "pay" else "notice"
    assert f'id="id_{prefix}-{field}"' in html and "errorlist" in html
    after = (
        AuditEntry.objects.count(),
        LoanNotice.objects.count(),
        LoanInstalment.objects.filter(paid_on__isnull=False).count(),
    )
    assert after == before


def test_a_repayment_is_recorded_once(personas, client_for):
    loan = _loan(personas["ministry"])
    client = client_for("ministry")
    data = {"pay-seq": "2", "pay-paid_on": "2013-06-07", "pay-amount": "5783162.00"}
    assert client.post(f"/aid/loans/{loan.pk}/pay/", data).status_code == 302
    again = client.post(f"/aid/loans/{loan.pk}/pay/", data)
    assert again.status_code == 422
    assert "already recorded" in again.content.decode() or "이미 상환" in again.content.decode()
