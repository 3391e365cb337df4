"""`panmun dedupe FILE.csv --out CLUSTERS.csv [--threshold T] [--model M] [--save-model M]
[--labels LABELS.csv]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from panmun.linkage import commandline as cli
from panmun.linkage.engine import dedupe, train
from panmun.linkage.features import feature_table


class Command(BaseCommand):
    help = "Deduplicate a list of people: write each record's cluster (the same person)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The list (CSV).")
        parser.add_argument("--out", required=True, help="CLUSTERS.csv to write.")
        cli.add_model_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        cli.check_threshold(self, options["threshold"])
        stages = cli.Stages(["read", "features", "train", "score", "write"])
        stages.next(f"reading {options['file']}")
        (raw,) = cli.read_or_exit(self, options["file"])
        model = cli.load_model(self, options["model"]) if options["model"] else None
        ids = cli.ids(raw)
        labels = cli.read_labels(self, options["labels"], ids, ids) if options["labels"] else []
        stages.next("computing the comparison columns")
        table = feature_table(raw)
        stages.next("training the model" + (" (with labelled pairs)" if labels else ""))
        if model is None and raw.num_rows > 1:
            model = train(table, labels=labels)
            line = cli.cross_validation_line(model)
            if line:
                cli.note(line)
            if options["save_model"]:
                cli.note(cli.save_model(self, model, options["save_model"]))
        stages.next("scoring the candidate pairs and clustering")
        clusters = dedupe(table, model=model, threshold=options["threshold"])
        stages.next(f"writing {options['out']}")
        cli.write_atomically(
            options["out"],
            ("cluster_id", "record_id"),
            ((c.cluster_id, c.record_id) for c in clusters),
        )
        stages.close()
        n = len({c.cluster_id for c in clusters})
        cli.note(f"{n} cluster(s) of {len(clusters)} record(s) written to {options['out']}.")
