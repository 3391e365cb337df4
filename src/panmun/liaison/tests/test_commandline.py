"""`panmun liaison verify` (commandline.main) and `python -m panmun.liaison.ledger verify`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ..ledger import bundle, commandline
from .test_bundle import ROTATION_AT, build


def write(tmp_path: Path, name: str = "south.zip", size: int = 42) -> Path:
    log = build(size)
    target = tmp_path / name
    bundle.write_bundle(
        target,
        leaves=log.leaves,
        checkpoint_note=log.checkpoint_note,
        keys=log.records,
        earlier_sizes=[m for m in (10, ROTATION_AT) if m <= size],
    )
    return target


def test_verify_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path)
    earlier = tmp_path / "earlier.txt"
    earlier.write_text(build().earlier_note, encoding="utf-8")
    assert commandline.main(["verify", str(path), "--earlier", str(earlier)]) == 0
    out = capsys.readouterr().out
    assert "OK: the bundle verifies / 묶음이 검증되었습니다" in out
    assert "log / 기록: panmun.example/liaison/south (south)" in out
    assert "entries / 항목: 42 (" in out
    assert "cosigned by / 부서: north-cosign-1 at " in out
    assert f"earlier checkpoint / 앞선 검증점: size {ROTATION_AT}" in out
    assert "  south-log-2+" in out


def test_verify_fails_with_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "south", size=5)
    lines = (path / "entries.jsonl").read_bytes().split(b"\n")
    assert b'"index":2,' in lines[2]
    lines[2] = lines[2].replace(b'"index":2,', b'"index":3,')
    (path / "entries.jsonl").write_bytes(b"\n".join(lines))
    assert commandline.main(["verify", str(path)]) == 1
    out = capsys.readouterr().out
    assert "checkpoint_root_mismatch  checkpoint.txt: " in out
    assert "entries.jsonl row 3 " in out
    assert "FAILED: " in out and "검증 실패" in out


def test_verify_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, size=5)
    assert commandline.main(["verify", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["findings"] == []
    assert report["size"] == 5 and report["side"] == "south"
    assert report["cosigners"][0]["name"] == "north-cosign-1"
    earlier = tmp_path / "other.txt"
    earlier.write_text("not a checkpoint\n", encoding="utf-8")
    assert commandline.main(["verify", str(path), "--json", "--earlier", str(earlier)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(f["code"], f["file"]) for f in report["findings"]] == [
        ("earlier_malformed", str(earlier))
    ]
    assert report["findings"][0]["message_ko"]


@pytest.mark.parametrize(
    "argv",
    [[], ["verify"], ["check", "x"], ["verify", "a", "--bogus"]],
)
def test_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert commandline.main(argv) == 2
    assert "usage:" in capsys.readouterr().err


def test_missing_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert commandline.main(["verify", str(tmp_path / "nothing.zip")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    path = write(tmp_path, size=3)
    assert commandline.main(["verify", str(path), "--earlier", str(tmp_path / "none.txt")]) == 2
    assert "cannot be read" in capsys.readouterr().err


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert commandline.main(["verify", "--help"]) == 0
    assert "--earlier" in capsys.readouterr().out


def test_python_dash_m(tmp_path: Path) -> None:
    path = write(tmp_path, size=3)
    done = subprocess.run(
        [sys.executable, "-m", "panmun.liaison.ledger", "verify", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "OK: the bundle verifies" in done.stdout
    (path.parent / "broken.zip").write_bytes(path.read_bytes()[:-40])
    done = subprocess.run(
        [sys.executable, "-m", "panmun.liaison.ledger", "verify", str(path.parent / "broken.zip")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert "bundle_unreadable" in done.stdout
