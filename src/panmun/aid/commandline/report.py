"""A year's report of the ledger (or the series from 1995), as text, CSV or a PDF in Korean.

panmun aid report [--year YEAR] [--format text|csv|pdf] [OUTPUT]

Without --year: every year from 1995 to this one (text or CSV), each with its source. A PDF is
a year's: --year is needed, and OUTPUT. The reports are the ministry's published figures and
the ledger's totals; the shell runs with the server's rights, so no user is asked for."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, OutputWrapper

from panmun.korean.dates import korea_today

from .. import selectors
from ..report_files import year_report_csv, year_report_pdf, year_report_text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, help="A year's report (1995 or later).")
    parser.add_argument("--format", choices=["text", "csv", "pdf"], default=None)
    parser.add_argument("output", nargs="?", type=Path, help="The file (default: the screen).")


def _series(fmt: str) -> str:
    series = selectors.combined_series(today=korea_today())
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["year", "source", "source_name", "free", "loans", "ngo", "total", "usd"])
        for s in series:
            writer.writerow([s.year, s.source, s.source_name, s.free, s.loans, s.ngo, s.total,
                             s.usd])  # fmt: skip
        return out.getvalue()
    lines = ["year  source    free     loans    ngo      total    (KRW 100 million)"]
    for s in series:
        cells = [s.free, s.loans, s.ngo, s.total]
        text = " ".join(f"{'—' if v is None else v:>8}" for v in cells)
        lines.append(f"{s.year}  {s.source:<8} {text}  {s.source_name}")
    return "\n".join(lines) + "\n"


def run(options: dict[str, Any], stdout: OutputWrapper) -> None:
    output: Path | None = options.get("output")
    fmt = options.get("format") or (
        output.suffix.lstrip(".").lower() if output and output.suffix else "text"
    )
    if fmt not in ("text", "csv", "pdf"):
        raise CommandError(f"Unknown format {fmt!r}: text, csv or pdf. / 형식은 text, csv, pdf.")
    year = options.get("year")
    today = korea_today()
    if year is not None and not (1995 <= year <= today.year):
        raise CommandError(
            f"--year: {year} is not from 1995 to {today.year}. / 1995–{today.year}년이어야 합니다."
        )
    if fmt == "pdf":
        if year is None or output is None:
            raise CommandError("A PDF is a year's: give --year and OUTPUT. / --year와 파일 이름.")
        output.write_bytes(year_report_pdf(selectors.year_report(year, today=today)))
        stdout.write(f"{output}: {year}")
        return
    if year is None:
        text = _series(fmt)
    else:
        report = selectors.year_report(year, today=today)
        text = year_report_csv(report) if fmt == "csv" else year_report_text(report)
    if output is None:
        stdout.write(text, ending="")
    else:
        output.write_text(text, encoding="utf-8")
        stdout.write(f"{output}")
