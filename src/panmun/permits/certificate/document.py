"""The printed visit certificate (방문증명서): an A4 page in Korean and English, with the QR code
that carries its signed token — and the check of such a PDF. Pure Python, no Django.

`certificate_pdf` sets the facts of the token on the page, one labelled line each, the
approvals, the purpose and the entry points, and the QR code of `<verify url>?t=<token>`; the
token also goes into the file's properties (Keywords). `verify_pdf` reads the token back from
there, checks it (`token.verify_token`) and then reads the printed text (pypdf): every labelled
line (white space aside) must say what the signed token says, so a copy whose printed name was
changed by one character is refused even though its token is genuine.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import segno
from pypdf import PdfReader

from panmun.common.findings import Finding
from panmun.common.pdf import FONT_FAMILY, KoreanPDF, clean_text

from .keyring import CertificateKey, format_time
from .token import CertificateFacts, Verdict, verify_token

__all__ = [
    "MAX_PDF_BYTES",
    "MAX_PDF_PAGES",
    "PrintedExtras",
    "certificate_pdf",
    "printed_lines",
    "verify_pdf",
]

MAX_PDF_BYTES = 5 * 1024 * 1024
MAX_PDF_PAGES = 3
TITLE = "방문증명서 Visit Certificate"
SEX = {"M": "남 Male", "F": "여 Female"}
DOCUMENT = {
    "passport": "여권 Passport",
    "resident_id": "주민등록증 Resident ID",
    "travel_certificate": "여행증명서 Travel certificate",
    "alien_registration": "외국인등록증 Alien registration",
}
KIND = {
    "visit": "방문 Visit",
    "contact": "접촉 Contact",
    "goods": "반출입 Goods",
    "project": "협력사업 Project",
    "vehicle": "차량 운행 Vehicle",
    "crossing": "출입 계획 Crossing",
}


@dataclass(frozen=True)
class PrintedExtras:
    """What the page says beyond the token (not signed: the application's own words)."""

    purpose: str = ""
    destination: str = ""
    entry_points: Sequence[str] = ()
    conditions: str = ""


def printed_lines(facts: CertificateFacts) -> list[tuple[str, str]]:
    """The labelled lines the page prints and `verify_pdf` reads back: (label, value)."""
    return [
        ("증명서 번호 Certificate No.", facts.number),
        ("성명 Name", facts.name_ko),
        ("로마자 성명 Name in Latin letters", facts.name_latin or "-"),
        ("성별 Sex", SEX[facts.sex]),
        ("생년월일 Date of birth", facts.birth_date.isoformat()),
        ("국적 Nationality", facts.nationality),
        ("신분증 Document", f"{DOCUMENT[facts.document_kind]} {facts.document_number}"),
        (
            "유효기간 Valid",
            f"{facts.valid_from.isoformat()} ~ {facts.valid_to.isoformat()}",
        ),
        ("방문 횟수 Visits", "복수 Multiple" if facts.multiple else "단수 Single"),
        ("발급 Issued", format_time(facts.issued_at)),
    ]


def _line(pdf: KoreanPDF, label: str, value: str, size: float = 11) -> None:
    """One labelled line, its font shrunk until it fits the width (never wrapped: the check
    reads it back as one line)."""
    text = f"{label}: {clean_text(value)}"
    while size > 5 and pdf.get_string_width(text) > pdf.epw - 60:
        size -= 0.5
        pdf.set_font(FONT_FAMILY, size=size)
    pdf.set_font(FONT_FAMILY, size=size)
    pdf.cell(pdf.epw - 60, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=11)


def qr_png(content: str) -> bytes:
    out = io.BytesIO()
    segno.make(content, error="m", micro=False).save(out, kind="png", scale=4, border=2)
    return out.getvalue()


def certificate_pdf(
    facts: CertificateFacts, token: str, verify_url: str, extras: PrintedExtras = PrintedExtras()
) -> bytes:
    """The certificate's PDF; its QR code holds `verify_url?t=token`."""
    pdf = KoreanPDF(TITLE, footer_note="통일부 Ministry of Unification")
    pdf.set_keywords(token)
    pdf.set_subject(f"{facts.number}")
    pdf.add_page()
    pdf.heading(
        TITLE,
        ["남북교류협력에 관한 법률 제9조", "Inter-Korean Exchange and Cooperation Act, Art. 9"],
    )
    top = pdf.get_y()
    link = f"{verify_url}?t={token}"
    pdf.image(io.BytesIO(qr_png(link)), x=pdf.w - pdf.r_margin - 55, y=top, w=55, h=55)
    for label, value in printed_lines(facts):
        _line(pdf, label, value)
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, size=10)
    approvals = "; ".join(f"{KIND.get(kind, kind)} ({ref})" for kind, ref in facts.approvals)
    blocks = [
        ("승인 Approvals", approvals),
        ("목적 Purpose", extras.purpose),
        ("방문지 Destination", extras.destination),
        ("출입 지점 Entry and exit points", ", ".join(extras.entry_points)),
        ("조건 Conditions", extras.conditions),
    ]
    pdf.set_y(max(pdf.get_y(), top + 60))
    for label, value in blocks:
        if value:
            pdf.multi_cell(0, 6, f"{label}: {clean_text(value)}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT_FAMILY, size=8)
    pdf.multi_cell(
        0,
        5,
        "QR 코드를 찍거나 아래 주소에서 진위와 유효 여부를 확인하십시오. "
        "Scan the QR code or open the address below to check that this certificate is genuine "
        f"and in force: {verify_url}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return pdf.document()


def _refused(code: str, ko: str, en: str) -> Verdict:
    return Verdict(genuine=False, reasons=(Finding(code, ko=ko, en=en),))


def _squash(text: str) -> str:
    """The text without white space or NULs: pypdf reads the embedded font's glyphs back with
    a space and a NUL between them, so only the characters themselves are compared."""
    return re.sub(r"[\s\x00]+", "", text)


def _read(data: bytes) -> tuple[str, str] | None:
    """The token in the file's properties and the printed text of its pages, or None."""
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted or not 0 < len(reader.pages) <= MAX_PDF_PAGES:
        return None
    meta: Any = reader.metadata or {}
    token = meta.get("/Keywords")
    if not isinstance(token, str):
        return None
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return str(token), text


def verify_pdf(data: bytes, keys: Iterable[CertificateKey], today: date) -> Verdict:
    """Check a certificate's PDF: its token, and that the page prints what the token says.
    Never raises for any input."""
    if len(data) > MAX_PDF_BYTES:
        return _refused(
            "pdf_too_large",
            f"PDF 파일이 너무 큽니다({MAX_PDF_BYTES // 1024 // 1024}MB 이내).",
            f"The PDF file is too large (at most {MAX_PDF_BYTES // 1024 // 1024} MB).",
        )
    unreadable = _refused(
        "pdf_unreadable",
        "Panmun이 발급한 증명서 PDF로 읽을 수 없습니다.",
        "This is not a certificate PDF issued by Panmun.",
    )
    if not data.startswith(b"%PDF-"):
        return unreadable
    try:
        read = _read(data)
    except Exception:
        return unreadable
    if read is None:
        return unreadable
    token, text = read
    verdict = verify_token(token, keys, today)
    if not verdict.genuine or verdict.facts is None:
        return verdict
    printed = [_squash(line) for line in text.splitlines()]
    for label, value in printed_lines(verdict.facts):
        lead = f"{_squash(label)}:"
        said = [line for line in printed if line.startswith(lead)]
        if not said or any(line != lead + _squash(value) for line in said):
            return _refused(
                "pdf_altered",
                f"인쇄된 내용이 서명된 내용과 다릅니다({label}). 변경된 증명서입니다.",
                f"What is printed differs from what was signed ({label}): the certificate "
                "was altered.",
            )
    return verdict
