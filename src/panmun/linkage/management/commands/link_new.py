"""`panmun link-new NEW.csv EXISTING.csv --model M --out PAIRS.csv [--threshold T]
[--one-to-one] [--explain EXPLAIN.jsonl]`: incremental linkage of a new batch."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from panmun.linkage import commandline as cli
from panmun.linkage.engine import link_new
from panmun.linkage.features import feature_table


class Command(BaseCommand):
    help = (
        "Link a new batch against an existing list with a saved model: no retraining, and the "
        "existing records are not compared among themselves."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("new", help="The new records (CSV).")
        parser.add_argument("existing", help="The existing list (CSV).")
        parser.add_argument("--out", required=True, help="PAIRS.csv to write (new_id first).")
        parser.add_argument(
            "--one-to-one", action="store_true", help="At most one partner per record."
        )
        parser.add_argument(
            "--explain", help="Also write each pair's match-weight waterfall (JSON lines)."
        )
        cli.add_model_arguments(parser, train=False)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["model"]:
            cli.fail(self, ["--model is required: link-new scores with a saved model"])
        cli.check_threshold(self, options["threshold"])
        stages = cli.Stages(["read", "features", "score", "write"])
        stages.next(f"reading {options['new']} and {options['existing']}")
        new, existing = cli.read_or_exit(self, options["new"], options["existing"])
        model = cli.load_model(self, options["model"])
        if model.link_type == "dedupe_only":
            clash = sorted(cli.ids(new) & cli.ids(existing))
            if clash:
                cli.fail(
                    self,
                    [
                        f"{options['new']}: record_id {i!r} is also in {options['existing']} "
                        "(one list: ids must be unique)"
                        for i in clash[:20]
                    ],
                )
        stages.next("computing the comparison columns")
        tables = [
            feature_table(new),
            feature_table(existing),
        ]
        stages.next("scoring the candidate pairs")
        pairs = link_new(
            tables[0],
            tables[1],
            model=model,
            threshold=options["threshold"],
            many=not options["one_to_one"],
            explain=bool(options["explain"]),
        )
        stages.next(f"writing {options['out']}")
        cli.write_pairs(options, ("new_id", "other_id", "match_probability"), pairs)
        stages.close()
        cli.note(f"{len(pairs)} pair(s) written to {options['out']}.")
