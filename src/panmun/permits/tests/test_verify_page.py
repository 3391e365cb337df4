"""The public page /verify/: anyone, signed in or not, checks a certificate by its QR address,
its pasted code or its PDF, and is told genuine, for whom, valid today, revoked — or refused
with the reason in Korean or English; any input gets an answer, never a 500."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from ..certificate.document import MAX_PDF_BYTES, certificate_pdf
from ..certificates import certificate_pdf as printed
from ..certificates import verify_url
from ..services.moves import approval_transition
from .certificate_data import payload_of, with_payload
from .visits import approved_visit

URL = "https://panmun.example/verify/"


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=ZoneInfo("Asia/Seoul"))


@pytest.fixture
def certificate(personas):
    """A certificate of `approved_visit`'s, the clock on a day inside its validity."""
    certificate = approved_visit(personas)[1][0]
    with time_machine.travel(noon(certificate.valid_from + timedelta(days=1)), tick=False):
        yield certificate


def page(client, *, language: str = "ko", **kwargs):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if "data" in kwargs:
        return client.post("/verify/", **kwargs)
    return client.get("/verify/", kwargs.get("query", {}))


def verdict_of(response) -> str:
    text = response.content.decode()
    marker = 'data-verdict="'
    return text.split(marker, 1)[1].split('"', 1)[0] if marker in text else ""


def test_the_empty_page_offers_the_form(client) -> None:
    response = page(client)
    assert response.status_code == 200 and verdict_of(response) == ""
    assert 'name="token"' in response.content.decode() and 'name="pdf"' in response.content.decode()


def test_by_the_qr_address(client, certificate) -> None:
    response = page(client, query={"t": certificate.token})
    text = response.content.decode()
    assert response.status_code == 200 and verdict_of(response) == "valid"
    assert "김철수 (KIM CHEOLSU)" in text and certificate.number in text
    assert "••••••678" in text and "M12345678" not in text  # the page is public
    assert f"{certificate.valid_from} ~ {certificate.valid_to}" in text
    assert "진본이며 오늘 유효합니다" in text
    english = page(client, language="en", query={"t": certificate.token}).content.decode()
    assert "Genuine and valid today" in english


def test_pasted_and_uploaded(client, certificate) -> None:
    assert verdict_of(page(client, data={"token": f"  {certificate.token}\n"})) == "valid"
    pdf = SimpleUploadedFile("c.pdf", printed(certificate, verify_url()), "application/pdf")
    response = page(client, data={"pdf": pdf})
    assert verdict_of(response) == "valid" and "김철수" in response.content.decode()


def test_forged_and_altered_are_refused(client, certificate) -> None:
    altered = with_payload(
        certificate.token, {**payload_of(certificate.token), "name_ko": "김철추"}
    )
    for language, words in (("ko", "위조되었거나 변경되었습니다"), ("en", "forged or altered")):
        response = page(client, language=language, query={"t": altered})
        text = response.content.decode()
        assert response.status_code == 200 and verdict_of(response) == "refused"
        assert words in text and "김철추" not in text and "김철수" not in text
    from ..certificate.token import verify_token
    from ..signing import published_keys

    facts = verify_token(certificate.token, published_keys(), certificate.valid_from).facts
    assert facts is not None
    copy = certificate_pdf(dataclasses.replace(facts, name_ko="김철추"), certificate.token, URL)
    response = page(client, language="en", data={"pdf": SimpleUploadedFile("c.pdf", copy)})
    assert verdict_of(response) == "refused"
    assert "What is printed differs from what was signed" in response.content.decode()


def test_revoked(client, personas, certificate) -> None:
    approval_transition(
        actor=personas["supervisor"], approval=certificate.approval, move="revoke", ko="취", en="R"
    )
    response = page(client, language="en", query={"t": certificate.token})
    text = response.content.decode()
    assert verdict_of(response) == "not-valid"
    assert "Genuine, but revoked" in text and "no longer in force" in text


def test_expired(client, certificate) -> None:
    with time_machine.travel(noon(certificate.valid_to + timedelta(days=1)), tick=False):
        response = page(client, language="en", query={"t": certificate.token})
    assert verdict_of(response) == "not-valid"
    assert "Genuine, but not valid today" in response.content.decode()


def test_refused_forms_keep_what_was_typed(client) -> None:
    response = page(client, language="en", data={"token": ""})
    assert response.status_code == 400
    assert "Paste the certificate&#x27;s code or choose its PDF file." in response.content.decode()
    long = "PV1." + "A" * 5000
    response = page(client, language="en", data={"token": long})
    assert response.status_code == 400 and "The code is too long" in response.content.decode()
    assert long in response.content.decode()  # what was typed stays
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * MAX_PDF_BYTES, "application/pdf")
    response = page(client, language="en", data={"pdf": big})
    assert response.status_code == 400 and "The file is too large" in response.content.decode()


@pytest.mark.parametrize(
    "token",
    [
        "x",
        "PV1.",
        "PV1.e30.e30",
        "PV1." + "가" * 2000,
        "PV1.%00.%00",
        "<script>alert(1)</script>",
        "PV1.eyJ2IjoxfQ.AAAA",
        "'; DROP TABLE permits_certificate; --",
        "A" * 100_000,
    ],
)
def test_any_input_gets_an_answer(client, token: str) -> None:
    for response in (page(client, query={"t": token}), page(client, data={"token": token})):
        assert response.status_code in {200, 400}
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_any_upload_gets_an_answer(client) -> None:
    for data in (b"", b"%PDF-1.7\n", b"%PDF-1.7\n" + bytes(range(256)) * 100, b"\x00" * 10):
        response = page(client, data={"pdf": SimpleUploadedFile("x.pdf", data)})
        assert response.status_code in {200, 400}
        if response.status_code == 200:
            assert verdict_of(response) == "refused"


def test_signed_in_users_see_the_same(client_for, certificate) -> None:
    response = page(client_for("redcross_n"), query={"t": certificate.token})
    assert response.status_code == 200 and verdict_of(response) == "valid"


# The certificate's PDF, for its applicant ------------------------------------------------


def test_the_applicant_downloads_the_pdf_and_it_verifies(client_for, certificate) -> None:
    response = client_for("firm").get(f"/permits/certificates/{certificate.number}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    upload = SimpleUploadedFile("c.pdf", data, "application/pdf")
    assert verdict_of(page(client_for("firm"), data={"pdf": upload})) == "valid"


@pytest.mark.parametrize("who", ["aid", "redcross_s", "redcross_n", "viewer", "applicant"])
def test_others_do_not_see_it(client_for, certificate, who: str) -> None:
    response = client_for(who).get(f"/permits/certificates/{certificate.number}.pdf")
    assert response.status_code == 404
