"""`panmun link LEFT.csv RIGHT.csv --out PAIRS.csv [--threshold T] [--many]`."""

from __future__ import annotations

import csv
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from panmun.linkage.engine import link
from panmun.linkage.records import InputError, PersonRecord, read


def read_or_exit(command: BaseCommand, *paths: str) -> list[list[PersonRecord]]:
    """Every file's records; on bad input, every problem to stderr and exit status 2."""
    problems: list[str] = []
    lists: list[list[PersonRecord]] = []
    for path in paths:
        try:
            lists.append(read(Path(path))[0])
        except InputError as exc:
            problems.extend(str(p) for p in exc.problems)
    if problems:
        for line in problems:
            command.stderr.write(line)
        raise SystemExit(2)
    return lists


def write_atomically(path: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write a CSV to a temporary file beside `path`, then rename it into place."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or Path(".")
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = "Link two lists of people: write the pairs judged to be the same person."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("left", help="The left list (CSV).")
        parser.add_argument("right", help="The right list (CSV).")
        parser.add_argument("--out", required=True, help="PAIRS.csv to write.")
        parser.add_argument("--threshold", type=float, default=None, help="Match probability.")
        parser.add_argument(
            "--many", action="store_true", help="Keep every partner above the threshold."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        left, right = read_or_exit(self, options["left"], options["right"])
        pairs = link(left, right, threshold=options["threshold"], many=options["many"])
        write_atomically(
            options["out"],
            ("left_id", "right_id", "match_probability"),
            ((p.left_id, p.right_id, f"{p.match_probability:.6f}") for p in pairs),
        )
        print(f"{len(pairs)} pair(s) written to {options['out']}.", file=sys.stderr)
