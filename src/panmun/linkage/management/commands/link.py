"""`panmun link LEFT.csv RIGHT.csv --out PAIRS.csv [--threshold T] [--many] [--model M]
[--save-model M] [--labels LABELS.csv] [--explain EXPLAIN.jsonl]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from panmun.linkage import commandline as cli
from panmun.linkage.engine import link, train
from panmun.linkage.features import feature_table


class Command(BaseCommand):
    help = "Link two lists of people: write the pairs judged to be the same person."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("left", help="The left list (CSV).")
        parser.add_argument("right", help="The right list (CSV).")
        parser.add_argument("--out", required=True, help="PAIRS.csv to write.")
        parser.add_argument(
            "--many", action="store_true", help="Keep every partner above the threshold."
        )
        parser.add_argument(
            "--explain", help="Also write each pair's match-weight waterfall (JSON lines)."
        )
        cli.add_model_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        cli.check_threshold(self, options["threshold"])
        stages = cli.Stages(["read", "features", "train", "score", "write"])
        stages.next(f"reading {options['left']} and {options['right']}")
        left, right = cli.read_or_exit(self, options["left"], options["right"])
        model = cli.load_model(self, options["model"]) if options["model"] else None
        labels = (
            cli.read_labels(self, options["labels"], cli.ids(left), cli.ids(right))
            if options["labels"]
            else []
        )
        stages.next("computing the comparison columns")
        tables = [feature_table(left), feature_table(right)]
        stages.next("training the model" + (" (with labelled pairs)" if labels else ""))
        if model is None and left.num_rows and right.num_rows:
            model = train(tables[0], tables[1], labels=labels)
            line = cli.cross_validation_line(model)
            if line:
                cli.note(line)
            if options["save_model"]:
                cli.note(cli.save_model(self, model, options["save_model"]))
        stages.next("scoring the candidate pairs")
        pairs = link(
            tables[0],
            tables[1],
            model=model,
            threshold=options["threshold"],
            many=options["many"],
            explain=bool(options["explain"]),
        )
        stages.next(f"writing {options['out']}")
        cli.write_pairs(options, ("left_id", "right_id", "match_probability"), pairs)
        stages.close()
        cli.note(f"{len(pairs)} pair(s) written to {options['out']}.")
