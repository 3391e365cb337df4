"""The printed certificate (pure): its PDF verifies; a copy whose printed name differs by one
character, whose token was altered, or that is not a certificate at all is refused."""

from __future__ import annotations

import dataclasses
import io

import pytest
import segno
from pypdf import PdfReader, PdfWriter

from ..certificate.document import (
    MAX_PDF_BYTES,
    MAX_PDF_PAGES,
    PrintedExtras,
    certificate_pdf,
    printed_lines,
    verify_pdf,
)
from ..certificate.token import sign_certificate
from .certificate_data import DAY, FACTS, KEY, OTHER, PRIVATE, TOKEN, payload_of, with_payload

URL = "https://panmun.example/verify/"
EXTRAS = PrintedExtras(
    purpose="이산가족 상봉 행사 지원 / Support for the reunion",
    destination="금강산 Geumgangsan",
    entry_points=["동해선 남북출입사무소 Donghae line office"],
    conditions="매일 보고 / Report daily",
)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return certificate_pdf(FACTS, TOKEN, URL, EXTRAS)


def refused(data: bytes) -> str:
    verdict = verify_pdf(data, [KEY], DAY)
    assert not verdict.genuine and not verdict.ok and verdict.facts is None
    (reason,) = verdict.reasons
    assert reason.ko and reason.en
    return reason.code


def test_the_pdf_verifies(pdf: bytes) -> None:
    verdict = verify_pdf(pdf, [KEY], DAY)
    assert verdict.ok and verdict.facts == FACTS and verdict.token == TOKEN


def test_the_pdf_says_it_in_korean_and_english(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert reader.metadata is not None and reader.metadata["/Keywords"] == TOKEN
    text = "".join(reader.pages[0].extract_text().split()).replace("\x00", "")
    for words in (
        "방문증명서",
        "VisitCertificate",
        "김철수",
        "KIMCHEOLSU",
        "VC-2026-000123",
        "복수Multiple",
        "2026-12-01~2027-02-28",
        "금강산",
        "Donghae",
        "매일보고",
        "EX-2026-ABCD1234",
        "M12345678",
    ):
        assert words in text, words
    assert len(reader.pages[0].images) == 1  # the QR code


def test_the_qr_code_holds_the_verification_address(pdf: bytes) -> None:
    """The QR code's modules, read back from the page's image, are those of `URL?t=token`."""
    (image,) = PdfReader(io.BytesIO(pdf)).pages[0].images
    picture = image.image
    assert picture is not None
    expected = segno.make(f"{URL}?t={TOKEN}", error="m", micro=False)
    size = expected.symbol_size(scale=1, border=0)[0]
    scale, border = 4, 2  # as `qr_png` draws it
    assert picture.size == ((size + 2 * border) * scale,) * 2
    dark = [
        [
            picture.getpixel(((border + x) * scale + 2, (border + y) * scale + 2)) == 0
            for x in range(size)
        ]
        for y in range(size)
    ]
    assert dark == [[bool(m) for m in row] for row in expected.matrix]


def test_one_changed_character_in_the_printed_name_is_refused() -> None:
    """A copy printed with the genuine token but a name one character off."""
    copy = certificate_pdf(dataclasses.replace(FACTS, name_ko="김철추"), TOKEN, URL, EXTRAS)
    assert refused(copy) == "pdf_altered"
    verdict = verify_pdf(copy, [KEY], DAY)
    assert "성명" in verdict.reasons[0].ko and "Name" in verdict.reasons[0].en


@pytest.mark.parametrize(
    "change",
    [
        {"name_latin": "KIM CHEOLSOO"},
        {"number": "VC-2026-000124"},
        {"birth_date": FACTS.birth_date.replace(day=2)},
        {"valid_to": FACTS.valid_to.replace(day=27)},
        {"document_number": "M12345679"},
        {"multiple": False},
        {"sex": "F"},
        {"nationality": "KP"},
    ],
)
def test_any_printed_fact_changed_is_refused(change: dict) -> None:
    copy = certificate_pdf(dataclasses.replace(FACTS, **change), TOKEN, URL, EXTRAS)
    assert refused(copy) == "pdf_altered"


def test_an_altered_token_is_refused() -> None:
    """The name changed in print and in the token's payload: the signature no longer fits."""
    altered = dataclasses.replace(FACTS, name_ko="김철추")
    token = with_payload(TOKEN, {**payload_of(TOKEN), "name_ko": "김철추"})
    assert refused(certificate_pdf(altered, token, URL, EXTRAS)) == "certificate_bad_signature"
    forged = sign_certificate(altered, OTHER)
    assert refused(certificate_pdf(altered, forged, URL, EXTRAS)) == "certificate_bad_signature"


def test_a_printed_line_added_is_refused(pdf: bytes) -> None:
    """A second name line under the genuine one (a page written over) is refused too."""
    from panmun.common.pdf import FONT_FAMILY, KoreanPDF

    sheet = KoreanPDF("x")
    sheet.add_page()
    sheet.set_font(FONT_FAMILY, size=11)
    sheet.cell(0, 8, "성명 Name: 이영희", new_x="LMARGIN", new_y="NEXT")
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.pages[0].merge_page(PdfReader(io.BytesIO(sheet.document())).pages[0])
    out = io.BytesIO()
    writer.write(out)
    assert refused(out.getvalue()) == "pdf_altered"


def test_printed_lines_name_every_signed_fact() -> None:
    said = " ".join(v for _, v in printed_lines(FACTS))
    for value in (
        "VC-2026-000123",
        "김철수",
        "KIM CHEOLSU",
        "1950-03-01",
        "KR",
        "M12345678",
        "2026-12-01 ~ 2027-02-28",
        "2026-11-20T01:02:03Z",
    ):
        assert value in said


def test_not_a_certificate_pdf_is_refused(pdf: bytes) -> None:
    assert refused(b"") == "pdf_unreadable"
    assert refused(b"hello") == "pdf_unreadable"
    assert refused(b"%PDF-1.7\n garbage") == "pdf_unreadable"
    assert refused(pdf[: len(pdf) // 2]) == "pdf_unreadable"
    from panmun.common.pdf import KoreanPDF

    plain = KoreanPDF("no token")
    plain.add_page()
    assert refused(plain.document()) == "pdf_unreadable"  # no token in its properties


def test_too_many_pages_or_too_large_is_refused(pdf: bytes) -> None:
    writer = PdfWriter()
    for _ in range(MAX_PDF_PAGES + 1):
        writer.append(io.BytesIO(pdf))
    writer.add_metadata({"/Keywords": TOKEN})
    out = io.BytesIO()
    writer.write(out)
    assert refused(out.getvalue()) == "pdf_unreadable"
    assert refused(pdf + b"\n%" + b"x" * MAX_PDF_BYTES) == "pdf_too_large"


def test_a_long_name_stays_on_one_line() -> None:
    long = dataclasses.replace(FACTS, name_latin="KIM " + "A" * 90)
    token = sign_certificate(long, PRIVATE)
    assert verify_pdf(certificate_pdf(long, token, URL), [KEY], DAY).ok
