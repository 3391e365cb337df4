"""`panmun dedupe FILE.csv --out CLUSTERS.csv [--threshold T] [--model M] [--save-model M]
[--labels LABELS.csv]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from panmun.linkage import commandline as cli
from panmun.linkage.engine import dedupe, train
from panmun.linkage.profiles import KOREAN


class Command(BaseCommand):
    help = "Deduplicate a list of people: write each record's cluster (the same person)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The list (CSV).")
        parser.add_argument("--out", required=True, help="CLUSTERS.csv to write.")
        cli.add_model_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        cli.check_threshold(self, options["threshold"])
        (records,) = cli.read_or_exit(self, options["file"])
        model = cli.load_model(self, options["model"]) if options["model"] else None
        ids = {r.record_id for r in records}
        labels = cli.read_labels(self, options["labels"], ids, ids) if options["labels"] else []
        table = cli.comparison_table(self, model.profile if model else KOREAN, records, "")
        if model is None and len(records) > 1:
            cli.note("training the model (EM" + (", labelled pairs" if labels else "") + ") …")
            model = train(table, labels=labels)
            if options["save_model"]:
                cli.note(cli.save_model(self, model, options["save_model"]))
        cli.note("scoring candidate pairs and clustering …")
        clusters = dedupe(table, model=model, threshold=options["threshold"])
        cli.write_atomically(
            options["out"],
            ("cluster_id", "record_id"),
            ((c.cluster_id, c.record_id) for c in clusters),
        )
        n = len({c.cluster_id for c in clusters})
        cli.note(f"{n} cluster(s) of {len(clusters)} record(s) written to {options['out']}.")
