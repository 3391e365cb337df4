"""Visit certificate verification (issue 18: ≤ 5 ms each): a token checked against keys.json,
and a certificate's PDF (its token and its printed lines), offline — the work of `/verify/` and
`panmun permits verify` before the database is asked whether the certificate was revoked.

    .venv/bin/python benchmarks/permits_verify.py [--tokens 2000] [--pdfs 200] [--keys 20]

Prints the median and the 99th percentile of each, in milliseconds. keys.json holds `--keys`
keys, the signing one last (the worst place to find it).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from panmun.common.keyfiles import key_fingerprint, public_bytes
from panmun.permits.certificate.document import certificate_pdf, verify_pdf
from panmun.permits.certificate.keyring import (
    CertificateKey,
    keys_json,
    parse_keys_json,
)
from panmun.permits.certificate.token import (
    CertificateFacts,
    sign_certificate,
    verify_token,
)


def timed(n: int, run) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        start = time.perf_counter()
        assert run().ok
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(name: str, times: list[float]) -> None:
    p99 = statistics.quantiles(times, n=100)[98] if len(times) >= 100 else max(times)
    print(f"{name}: median {statistics.median(times):.3f} ms, p99 {p99:.3f} ms ({len(times)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", type=int, default=2000)
    parser.add_argument("--pdfs", type=int, default=200)
    parser.add_argument("--keys", type=int, default=20)
    args = parser.parse_args()
    since = datetime(2026, 1, 1, tzinfo=UTC)
    privates = [Ed25519PrivateKey.generate() for _ in range(args.keys)]
    records = [
        CertificateKey(key_fingerprint(public_bytes(k)), public_bytes(k), since) for k in privates
    ]
    keys, found = parse_keys_json(keys_json(records))
    assert not found
    facts = CertificateFacts(
        number="VC-2026-000123",
        name_ko="김철수",
        name_latin="KIM CHEOLSU",
        sex="M",
        birth_date=date(1950, 3, 1),
        document_kind="passport",
        document_number="M12345678",
        nationality="KR",
        valid_from=date(2026, 12, 1),
        valid_to=date(2027, 2, 28),
        multiple=True,
        approvals=(("visit", "EX-2026-ABCD1234"), ("vehicle", "EX-2026-ABCD1234")),
        key_id=records[-1].key_id,
        issued_at=datetime(2026, 11, 20, 1, 2, 3, tzinfo=UTC),
    )
    token = sign_certificate(facts, privates[-1])
    pdf = certificate_pdf(facts, token, "https://panmun.example/verify/")
    day = date(2026, 12, 10)
    report("token", timed(args.tokens, lambda: verify_token(token, keys, day)))
    report("pdf", timed(args.pdfs, lambda: verify_pdf(pdf, keys, day)))


if __name__ == "__main__":
    main()
