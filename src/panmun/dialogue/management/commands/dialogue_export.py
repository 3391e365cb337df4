import json
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser

from panmun.dialogue.record import dump
from panmun.jobs.progress import BarProgress


class Command(BaseCommand):
    help = "Export the dialogue record as a JSON document that dialogue-import reads back."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="File to write ('-' for standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        progress = BarProgress.for_command(self.stderr)
        data = dump(apps.get_model, progress)
        progress.close()
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if options["out"] == "-":
            self.stdout.write(text)
        else:
            Path(options["out"]).write_text(text + "\n", encoding="utf-8")
            n = sum(len(v) for v in data.values())
            self.stdout.write(self.style.SUCCESS(f"{n} item(s) written to {options['out']}."))
