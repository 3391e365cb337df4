"""Load the ministry's table of aid by year as the ledger's history, all or nothing.

panmun aid history FILE.csv --user USERNAME [--facts]

The years the table holds are replaced, each keeping the file's name as its source. With
--facts, the ministry's 2019–2024 summary and the figures the sources give differently are
loaded too. USERNAME is the ministry's officer the audit log records."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, OutputWrapper

from panmun.accounts.models import User
from panmun.common.errors import DomainError

from ..services.history import history_facts_load, history_load


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="The ministry's table (.csv or .xlsx).")
    parser.add_argument("--user", required=True, help="The ministry's officer who loads it.")
    parser.add_argument(
        "--facts", action="store_true", help="Load the 2019–2024 summary and cited figures too."
    )


def _problems(err: DomainError) -> list[str]:
    lines = [f"{err.message_en} / {err.message_ko}"]
    details = err.details if isinstance(err.details, dict) else {}
    for e in details.get("errors", []):
        where = ", ".join(
            str(p) for p in (e.get("file"), e.get("row") and f"row {e['row']}", e.get("field")) if p
        )
        lines.append(f"{where}: {e.get('reason_en')} / {e.get('reason_ko')}")
    return lines


def run(options: dict[str, Any], stdout: OutputWrapper) -> None:
    user = User.objects.filter(username=options["user"], is_active=True).first()
    if user is None:
        raise CommandError(f"No active user named {options['user']!r}. / 사용자가 없습니다.")
    path: Path = options["file"]
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read ({exc.strerror}).") from exc
    try:
        years = history_load(actor=user, data=data, file=path.name)
        stdout.write(f"{path.name}: {years} years loaded. / {years}개 연도를 반입했습니다.")
        if options.get("facts"):
            rows = history_facts_load(actor=user)
            stdout.write(f"summary and figures: {rows} rows. / 요약과 출처별 수치 {rows}건.")
    except DomainError as err:
        raise CommandError("\n".join(_problems(err))) from err
