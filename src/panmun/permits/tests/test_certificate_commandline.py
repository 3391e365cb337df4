"""`panmun permits verify … --keys keys.json`: offline, with no Django; exit 0 for a genuine
certificate valid that day, 1 for a refused or invalid one, 2 for a usage error."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..certificate.commandline import main
from ..certificate.document import certificate_pdf
from ..certificate.keyring import keys_json
from .certificate_data import FACTS, KEY, TOKEN, payload_of, with_payload

URL = "https://panmun.example/verify/"


@pytest.fixture
def keys(tmp_path: Path) -> str:
    path = tmp_path / "keys.json"
    path.write_bytes(keys_json([KEY]))
    return str(path)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


def test_a_genuine_token_pdf_and_address(keys: str, tmp_path: Path) -> None:
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(certificate_pdf(FACTS, TOKEN, URL))
    for certificate in (TOKEN, f"{URL}?t={TOKEN}", str(pdf)):
        status, out = run("verify", certificate, "--keys", keys, "--today", "2026-12-10")
        assert status == 0, out
        assert out.startswith("유효: 진본이며 지금 유효합니다 / VALID")
        assert "김철수 (KIM CHEOLSU)" in out and "VC-2026-000123" in out
        assert "not checked (offline)" in out


def test_a_token_in_a_file(keys: str, tmp_path: Path) -> None:
    path = tmp_path / "token.txt"
    path.write_text(TOKEN + "\n")
    assert run("verify", str(path), "--keys", keys, "--today", "2026-12-10")[0] == 0


def test_refused_and_invalid(keys: str, tmp_path: Path) -> None:
    altered = with_payload(TOKEN, {**payload_of(TOKEN), "name_ko": "김철추"})
    status, out = run("verify", altered, "--keys", keys, "--today", "2026-12-10")
    assert status == 1 and out.startswith("거부: 진본이 아닙니다 / REFUSED")
    assert "위조" in out and "forged" in out and "김철" not in out
    status, out = run("verify", TOKEN, "--keys", keys, "--today", "2027-03-01")
    assert status == 1 and "NOT VALID" in out and "Expired" in out
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(certificate_pdf(dataclasses.replace(FACTS, name_ko="김철추"), TOKEN, URL))
    status, out = run("verify", str(copy), "--keys", keys, "--today", "2026-12-10", "--json")
    assert status == 1
    assert json.loads(out)["reasons"][0]["code"] == "pdf_altered"


def test_json(keys: str) -> None:
    status, out = run("verify", TOKEN, "--keys", keys, "--today", "2026-12-10", "--json")
    body = json.loads(out)
    assert status == 0 and body["ok"] and body["genuine"] and body["revoked"] is None
    assert body["certificate"]["document_number"] == "M12345678"
    assert body["certificate"]["approvals"][0] == {"kind": "visit", "reference": "EX-2026-ABCD1234"}


def test_usage_errors(keys: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("verify", TOKEN)[0] == 2  # no --keys
    assert run("verify", TOKEN, "--keys", str(tmp_path / "none.json"))[0] == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert run("verify", TOKEN, "--keys", str(bad))[0] == 2
    assert run("verify", TOKEN, "--keys", keys, "--today", "tomorrow")[0] == 2
    assert run("nothing")[0] == 2
    assert run()[0] == 2
    assert "keys" in capsys.readouterr().err


def test_the_panmun_command_runs_it_without_django(keys: str) -> None:
    """`panmun permits verify … --keys` is dispatched before Django is set up: it runs with
    Django made unimportable."""
    script = (
        "import sys; sys.modules['django'] = None\n"
        "from panmun.config.cli import main\n"
        f"main(['permits', 'verify', {TOKEN!r}, '--keys', {keys!r}, '--today', '2026-12-10'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "VALID" in done.stdout
    refused = script.replace(TOKEN, TOKEN[:-4] + "AAAA")
    done = subprocess.run(
        [sys.executable, "-c", refused], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 1 and "REFUSED" in done.stdout
