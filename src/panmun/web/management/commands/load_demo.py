from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from panmun.accounts.demo import DEMO_PASSWORD, PERSONAS, demo_load
from panmun.common.apps import DemoRun, demo_loaders
from panmun.jobs.progress import BarProgress


class Command(BaseCommand):
    help = (
        "Load the demo: organisations and personas, three weeks of the joint liaison office's "
        "calls and messages, a synthetic separated-families registry shaped like today's, a "
        "tracing round sent to the other side and reunion rounds (idempotent). "
        "Not for production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")
        parser.add_argument(
            "--registry-size",
            type=int,
            default=134_500,
            help="Applicants in the synthetic registry (default 134,500; 0: none).",
        )
        parser.add_argument(
            "--living",
            type=int,
            default=None,
            help="How many of them are alive (default: 34,400 of 134,500, in proportion).",
        )

        parser.add_argument(
            "--complex-workers",
            type=int,
            default=55_000,
            help="Workers on the Gaeseong complex's rosters (default 55,000, as in 2015; 0: none).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError("load-demo refuses to run with production settings.")
        counts = demo_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {counts['organisations_created']} new organisation(s), "
                f"{counts['users_created']} new user(s)."
            )
        )
        size = options["registry_size"]
        living = options["living"]
        if options["complex_workers"] < 0:
            raise CommandError("--complex-workers cannot be negative.")
        if size > 0 and living is not None and not 0 <= living <= size:
            raise CommandError("--living must be between 0 and --registry-size.")

        def progress(total: int, label: str) -> BarProgress:
            bar = BarProgress.for_command(self.stderr)
            bar.start(total, label)
            return bar

        def say(line: str) -> None:
            self.stdout.write(self.style.SUCCESS(line))

        # Each app's part, in its `demo_order` (panmun.common.apps): the liaison office's three
        # weeks first, then the registry and its tracing round, then the reunions.
        run = DemoRun(
            size=size,
            living=living,
            progress=progress,
            say=say,
            complex_workers=options["complex_workers"],
        )
        for _label, load in demo_loaders():
            load(run)
        if not options["quiet_logins"]:
            self.stdout.write(logins_text())


def logins_text() -> str:
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    for p in PERSONAS:
        lines.append(f"  {p.username:<12} {p.about_en} / {p.about_ko}")
    return "\n".join(lines)
