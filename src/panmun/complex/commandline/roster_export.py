"""Write a firm's roster as an Excel file in Korean.

`panmun complex export FIRM_ID OUTPUT.xlsx`: every worker of the firm, by number, with the
columns the import reads (근로자번호, 성명, 성별, 출생년도, 직종, 채용일, 퇴직일, 기본임금);
OUTPUT.csv writes CSV instead. Run by the operator, as the system."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from ..models import Firm, Worker
from ..services.workers import roster_export


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("firm", type=int, help="The firm's id.")
    parser.add_argument("output", type=Path, help="The file to write (.xlsx, or .csv).")


def run(options: dict[str, Any], stdout: Any) -> None:
    firm = Firm.objects.filter(pk=options["firm"]).first()
    if firm is None:
        raise CommandError(f"No firm {options['firm']}. / 기업 {options['firm']}이(가) 없습니다.")
    path: Path = options["output"]
    form = "csv" if path.suffix.casefold() == ".csv" else "xlsx"
    workers = Worker.objects.filter(firm=firm)
    data = roster_export(workers, format=form)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise CommandError(f"{path}: cannot be written ({exc.strerror}).") from exc
    count = workers.count()
    stdout.write(f"{path}: {count} workers of {firm.name_ko}. / 로동자 {count}명.")
