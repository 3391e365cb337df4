"""`panmun dedupe FILE.csv --out CLUSTERS.csv [--threshold T]`."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from panmun.linkage.engine import dedupe

from .link import read_or_exit, write_atomically


class Command(BaseCommand):
    help = "Deduplicate a list of people: write each record's cluster (the same person)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The list (CSV).")
        parser.add_argument("--out", required=True, help="CLUSTERS.csv to write.")
        parser.add_argument("--threshold", type=float, default=None, help="Match probability.")

    def handle(self, *args: Any, **options: Any) -> None:
        (records,) = read_or_exit(self, options["file"])
        clusters = dedupe(records, threshold=options["threshold"])
        write_atomically(
            options["out"],
            ("cluster_id", "record_id"),
            ((c.cluster_id, c.record_id) for c in clusters),
        )
        n = len({c.cluster_id for c in clusters})
        done = f"{n} cluster(s) of {len(clusters)} record(s) written to {options['out']}."
        print(done, file=sys.stderr)
