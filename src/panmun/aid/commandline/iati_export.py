"""Export activities as an IATI 2.03 activity file, validated before it is written.

`panmun aid export [--activity IDENTIFIER ...] [--generated ISO-DATETIME] OUTPUT.xml`: every
activity of the ledger where none is named. `--generated` fixes the file's generated-datetime
(default: now), so that two exports of the same ledger can be compared byte for byte."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from panmun.common.errors import DomainError

from ..models import Activity
from ..services.iati import activities_by_identifier, iati_export
from .iati_import import refusal_lines


def _moment(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--generated: not a date and time: {text!r}") from exc
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("output", type=Path, help="The file to write (XML).")
    parser.add_argument(
        "--activity", action="append", default=[], help="An IATI identifier (repeatable)."
    )
    parser.add_argument("--generated", type=_moment, help="generated-datetime (ISO 8601).")


def run(options: dict[str, Any], stdout: Any) -> None:
    generated = options.get("generated") or timezone.now().replace(microsecond=0)
    try:
        selection = activities_by_identifier(Activity.objects.all(), options["activity"])
        data = iati_export(selection, generated=generated)
    except DomainError as err:
        lines = refusal_lines(err)
        for line in lines[1:]:
            stdout.write(line)
        raise CommandError(lines[0]) from err
    output: Path = options["output"]
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise CommandError(f"{output}: cannot be written ({exc.strerror}).") from exc
    count = selection.count()
    stdout.write(
        f"{output}: {count} activities, {len(data):,} bytes. / 사업 {count}개를 내보냈습니다."
    )
