"""`panmun liaison verify`: verify a liaison log's bundle with no database and no Django —
anyone holding the bundle needs only this package:

    panmun liaison verify south-log.zip
    panmun liaison verify south-log/ --earlier checkpoint-2026-03-01.txt --json
    python -m panmun.liaison.ledger verify south-log.zip

Exit status 0 if the bundle verifies, 1 if it does not, 2 for a usage error or a path that
cannot be read.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn, TextIO

from .bundle import verify_bundle
from .bundle_verify import VerifyReport

__all__ = ["add_arguments", "main", "report_json", "report_lines"]

USAGE_ERROR = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The subcommand `verify`, on any argparse parser."""
    sub = parser.add_subparsers(dest="action", required=True)
    check = sub.add_parser(
        "verify",
        help="Verify a log's bundle (folder or .zip): entries, signatures, checkpoint, proofs.",
        description="Verify a liaison log's bundle / 연락 기록 묶음을 검증합니다.",
    )
    check.add_argument("bundle", help="The bundle: a folder or a .zip file.")
    check.add_argument(
        "--earlier",
        metavar="CHECKPOINT_FILE",
        help="A checkpoint received earlier (signed note): the bundle must extend it.",
    )
    check.add_argument("--json", action="store_true", help="Print the report as JSON.")


def _time(stamp: int) -> str:
    try:
        return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return str(stamp)


def report_json(report: VerifyReport) -> dict[str, Any]:
    """The report as a JSON-ready object."""
    return {
        "ok": report.ok,
        "origin": report.origin,
        "size": report.size,
        "root_hash": base64.b64encode(report.root_hash).decode() if report.root_hash else None,
        "side": report.side,
        "entries": report.entries,
        "kinds": dict(sorted(report.kinds.items())),
        "log_signers": report.log_signers,
        "cosigners": [
            {"name": name, "timestamp": stamp, "time": _time(stamp)}
            for name, stamp in report.cosigners
        ],
        "earlier_size": report.earlier_size,
        "vkeys": report.vkeys,
        "problems": report.problems,
        "unlisted": report.unlisted,
        "stopped": report.stopped,
        "findings": [
            {
                "code": f.code,
                "file": f.file,
                "row": f.row,
                "field": f.field,
                "message_en": f.en,
                "message_ko": f.ko,
            }
            for f in report.findings
        ],
    }


def report_lines(report: VerifyReport) -> list[str]:
    """The report for a terminal: one line per finding, then a summary in both languages."""
    lines = [f"{f.code}  {f.line()}" for f in report.findings]
    if report.ok:
        lines.append("OK: the bundle verifies / 묶음이 검증되었습니다")
    else:
        count = f"{report.problems:,}"
        at_least, at_least_ko = ("at least ", " 이상") if report.stopped else ("", "")
        lines.append(
            f"FAILED: {at_least}{count} finding(s); the bundle does not verify / "
            f"검증 실패: 문제 {count}건{at_least_ko}, 묶음을 믿을 수 없습니다"
        )
    if report.origin is not None:
        lines.append(f"log / 기록: {report.origin} ({report.side or '?'})")
    if report.size is not None and report.root_hash is not None:
        root = base64.b64encode(report.root_hash).decode()
        lines.append(f"size / 크기: {report.size:,}  root / 루트: {root}")
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(report.kinds.items()))
    lines.append(f"entries / 항목: {report.entries:,}{f' ({kinds})' if kinds else ''}")
    if report.log_signers:
        lines.append(f"signed by / 서명: {', '.join(report.log_signers)}")
    for name, stamp in report.cosigners:
        lines.append(f"cosigned by / 부서: {name} at {_time(stamp)}")
    if report.earlier_size is not None:
        lines.append(f"earlier checkpoint / 앞선 검증점: size {report.earlier_size:,}")
    if report.vkeys:
        lines.append(
            "keys used; compare them with the keys the sides published / "
            "사용된 키(양측이 공표한 키와 같은지 확인하십시오):"
        )
        lines += [f"  {vkey}" for vkey in report.vkeys]
    return lines


class _Parser(argparse.ArgumentParser):
    """Exits with status 2 for usage errors, as argparse does, but through `main`'s return."""

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._print_message(message, sys.stderr)
        raise _Exit(status)


class _Exit(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


def _verify(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    path = Path(options.bundle)
    if not path.exists():
        print(f"{path}: no such file or folder / 파일이나 폴더가 없습니다", file=err)
        return USAGE_ERROR
    earlier = None
    if options.earlier:
        try:
            earlier = Path(options.earlier).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8"
            print(f"{options.earlier}: cannot be read ({reason}) / 읽을 수 없습니다", file=err)
            return USAGE_ERROR
    report = verify_bundle(
        path, earlier_checkpoint=earlier, earlier_file=options.earlier or "earlier checkpoint"
    )
    if options.json:
        print(json.dumps(report_json(report), ensure_ascii=False, indent=2), file=out)
    else:
        for line in report_lines(report):
            print(line, file=out)
    return 0 if report.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    """`panmun liaison verify BUNDLE [--earlier CHECKPOINT_FILE] [--json]`: 0 if the bundle
    verifies, 1 if not, 2 for usage errors."""
    parser = _Parser(
        prog="panmun liaison",
        description="The liaison log: verify a bundle / 연락 기록: 묶음 검증",
    )
    add_arguments(parser)
    try:
        options = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except _Exit as exit_:
        return exit_.status
    actions: dict[str, Callable[[argparse.Namespace, TextIO, TextIO], int]] = {"verify": _verify}
    return actions[options.action](options, sys.stdout, sys.stderr)
