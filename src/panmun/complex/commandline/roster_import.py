"""Read a firm's roster file (.xlsx or .csv) into its roster, all or nothing.

`panmun complex import FIRM_ID ROSTER.xlsx --user USERNAME`: new worker numbers are added,
numbers on the roster updated, leavings recorded. On any problem nothing is written, each
problem is printed on a line (file row column: English / Korean) and the command exits 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from panmun.accounts.models import User
from panmun.common.errors import DomainError

from ..access import get_firm_for_edit
from ..services.workers import roster_import


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("firm", type=int, help="The firm's id.")
    parser.add_argument("file", type=Path, help="The roster file (.xlsx or .csv).")
    parser.add_argument(
        "--user", required=True, help="Who reads it: the committee's or the firm's officer."
    )


def refusal_lines(err: DomainError) -> list[str]:
    """A refusal as lines: its message, then each problem (file row column: en / ko)."""
    lines = [f"{err.message_en} / {err.message_ko}"]
    details = err.details if isinstance(err.details, dict) else {}
    for problem in details.get("errors", []):
        where = " ".join(
            str(part)
            for part in (
                problem.get("file", ""),
                f"row {problem['row']}" if problem.get("row") else "",
                problem.get("field", ""),
            )
            if part
        )
        lines.append(f"{where}: {problem['reason_en']} / {problem['reason_ko']}")
    if isinstance(details.get("problems"), int) and details["problems"] > len(lines) - 1:
        more = details["problems"] - (len(lines) - 1)
        lines.append(f"… and {more} more problems / 문제 {more}개 더")
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
        firm = get_firm_for_edit(actor, options["firm"])
        result = roster_import(actor=actor, firm=firm, data=data, file=path.name)
    except DomainError as err:
        lines = refusal_lines(err)
        for line in lines[1:]:
            stdout.write(line)
        raise CommandError(lines[0]) from err
    stdout.write(
        f"{path.name}: {result.rows} rows: {result.added} added, {result.updated} updated, "
        f"{result.left} leavings. / {result.rows}행: {result.added}명 추가, {result.updated}명 "
        f"갱신, 퇴직 {result.left}명."
    )
