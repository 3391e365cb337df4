"""`panmun permits verify`: check a visit certificate — its token, the address its QR code
holds, or its PDF — offline, against the published keys.json, with no database and no Django:

    panmun permits verify certificate.pdf --keys keys.json
    panmun permits verify 'PV1.eyJ…' --keys keys.json --json
    python -m panmun.permits.certificate verify 'https://…/verify/?t=PV1.…' --keys keys.json

Exit status 0 if the certificate is genuine and valid today (and not known to be revoked), 1 if
it is refused or not valid, 2 for a usage error or a file that cannot be read. Without --keys,
`panmun permits verify` uses this node's keys and its database, and also says whether the
certificate has been revoked (the management command `permits`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from .document import MAX_PDF_BYTES, verify_pdf
from .keyring import CertificateKey, parse_keys_json
from .token import MAX_TOKEN_BYTES, Verdict, verify_token

__all__ = ["USAGE_ERROR", "add_verify_arguments", "check", "main", "verdict_json", "verdict_lines"]

USAGE_ERROR = 2
SEOUL = ZoneInfo("Asia/Seoul")


class UsageError(Exception):
    """A command line that cannot be run: the message says why (Korean / English)."""


def add_verify_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "certificate",
        help="The certificate: its PDF file, its token (PV1.…), or the address its QR code holds.",
    )
    parser.add_argument("--keys", metavar="KEYS_JSON", help="The published keys (keys.json).")
    parser.add_argument(
        "--today", metavar="YYYY-MM-DD", help="Check validity on this day (default: today)."
    )
    parser.add_argument("--json", action="store_true", help="Print the verdict as JSON.")


def read_keys(path: str) -> list[CertificateKey]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(
            f"키 파일을 읽을 수 없습니다 / cannot read {path}: {exc.strerror}"
        ) from exc
    keys, found = parse_keys_json(data, file=path)
    if found:
        raise UsageError("\n".join(f"{f.ko} / {f.en} ({f.file} {f.field})" for f in found))
    return keys


def parse_day(text: str | None) -> date:
    if text is None:
        return datetime.now(SEOUL).date()  # the certificates' dates are Korea's
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"날짜 형식이 아닙니다 / not a date (YYYY-MM-DD): {text}") from exc


def token_of(text: str) -> str:
    """The token itself, or the `t` parameter of the address a QR code holds."""
    text = text.strip()
    if "?" in text and "://" in text[:12]:
        found = parse_qs(urlsplit(text[: MAX_TOKEN_BYTES * 2]).query).get("t")
        if found:
            return found[0]
    return text


def check(certificate: str, keys: Sequence[CertificateKey], today: date) -> Verdict:
    """The verdict on a PDF file's path, a token, or a verification address."""
    path = Path(certificate)
    if len(certificate) < 4096 and not certificate.startswith("PV1.") and path.is_file():
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_PDF_BYTES + 1)
        except OSError as exc:
            raise UsageError(
                f"파일을 읽을 수 없습니다 / cannot read {certificate}: {exc.strerror}"
            ) from exc
        if data.startswith(b"%PDF-"):
            return verify_pdf(data, keys, today)
        certificate = data[: MAX_TOKEN_BYTES + 1].decode("utf-8", errors="replace")
    return verify_token(token_of(certificate), keys, today)


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    facts = verdict.facts
    return {
        "ok": verdict.ok,
        "genuine": verdict.genuine,
        "valid_now": verdict.valid_now,
        "revoked": verdict.revoked,
        "certificate": None
        if facts is None
        else {
            "number": facts.number,
            "name_ko": facts.name_ko,
            "name_latin": facts.name_latin,
            "sex": facts.sex,
            "birth_date": facts.birth_date.isoformat(),
            "nationality": facts.nationality,
            "document_kind": facts.document_kind,
            "document_number": facts.document_number,
            "valid_from": facts.valid_from.isoformat(),
            "valid_to": facts.valid_to.isoformat(),
            "multiple": facts.multiple,
            "approvals": [{"kind": k, "reference": r} for k, r in facts.approvals],
            "key_id": facts.key_id,
        },
        "reasons": [{"code": r.code, "ko": r.ko, "en": r.en} for r in verdict.reasons],
    }


def verdict_lines(verdict: Verdict) -> list[str]:
    """The verdict for people, in Korean and English."""
    if not verdict.genuine:
        head = "거부: 진본이 아닙니다 / REFUSED: not genuine"
    elif verdict.ok:
        head = "유효: 진본이며 지금 유효합니다 / VALID: genuine and in force"
    else:
        head = "무효: 진본이지만 지금 유효하지 않습니다 / NOT VALID: genuine but not in force"
    lines = [head]
    facts = verdict.facts
    if facts is not None:
        lines += [
            f"  번호 number: {facts.number}",
            f"  성명 name: {facts.name_ko} ({facts.name_latin or '-'})",
            f"  생년월일 born: {facts.birth_date.isoformat()}  성별 sex: {facts.sex}  "
            f"국적 nationality: {facts.nationality}",
            f"  유효기간 valid: {facts.valid_from.isoformat()} ~ {facts.valid_to.isoformat()} "
            f"({'복수 multiple' if facts.multiple else '단수 single'})",
            "  승인 approvals: " + ", ".join(f"{r} {k}" for k, r in facts.approvals),
        ]
        revoked = {
            None: "확인 안 됨 / not checked (offline)",
            True: "예 / yes",
            False: "아니오 / no",
        }
        lines.append(f"  취소 revoked: {revoked[verdict.revoked]}")
    lines += [f"  - {r.ko} / {r.en}" for r in verdict.reasons]
    return lines


def report(verdict: Verdict, as_json: bool, out: TextIO | Any) -> int:
    if as_json:
        out.write(json.dumps(verdict_json(verdict), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write("\n".join(verdict_lines(verdict)) + "\n")
    return 0 if verdict.ok else 1


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """`verify CERTIFICATE --keys keys.json`, offline."""
    out = out or sys.stdout
    parser = argparse.ArgumentParser(
        prog="panmun permits",
        description="Check a visit certificate offline / 방문증명서를 오프라인으로 검증합니다.",
    )
    sub = parser.add_subparsers(dest="action", required=True)
    add_verify_arguments(sub.add_parser("verify", help="Check a certificate."))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return USAGE_ERROR if exc.code else 0
    if not args.keys:
        sys.stderr.write("--keys keys.json가 필요합니다 / --keys keys.json is needed\n")
        return USAGE_ERROR
    try:
        keys = read_keys(args.keys)
        verdict = check(args.certificate, keys, parse_day(args.today))
    except UsageError as exc:
        sys.stderr.write(f"{exc}\n")
        return USAGE_ERROR
    return report(verdict, args.json, out)
