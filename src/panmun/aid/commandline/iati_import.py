"""Import an IATI 2.03 activity file into the ledger, all or nothing.

`panmun aid import FILE.xml --user USERNAME`: on any problem nothing is written, each problem
is printed on a line (file, line, element: English / Korean) and the command exits 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from panmun.accounts.models import User
from panmun.common.errors import DomainError

from ..services.iati import iati_import


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", type=Path, help="The IATI 2.03 activity file (XML).")
    parser.add_argument("--user", required=True, help="The ministry officer who imports it.")


def refusal_lines(err: DomainError) -> list[str]:
    """A refusal as lines: its message, then each problem (file line element: en / ko)."""
    lines = [f"{err.message_en} / {err.message_ko}"]
    details = err.details if isinstance(err.details, dict) else {}
    for problem in details.get("errors", []):
        where = " ".join(
            str(part)
            for part in (
                problem.get("file", ""),
                problem.get("row") or "",
                problem.get("field", ""),
            )
            if part
        )
        lines.append(f"{where}: {problem['reason_en']} / {problem['reason_ko']}")
    return lines


def run(options: dict[str, Any], stdout: Any) -> None:
    name = options["user"]
    actor = User.objects.filter(username=name, is_active=True).first()
    if actor is None:
        raise CommandError(f"No active user named {name!r}. / 사용자 {name!r}이(가) 없습니다.")
    path: Path = options["file"]
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read ({exc.strerror}).") from exc
    try:
        result = iati_import(actor=actor, data=data, file=path.name)
    except DomainError as err:
        lines = refusal_lines(err)
        for line in lines[1:]:
            stdout.write(line)
        raise CommandError(lines[0]) from err
    stdout.write(
        f"{path.name}: {result.activities} activities, {result.transactions} transactions "
        f"imported. / 사업 {result.activities}개, 거래 {result.transactions}건을 반입했습니다."
    )
