import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from panmun.accounts.demo import DEMO_PASSWORD, PERSONAS, demo_load
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
        # The liaison demo's three weeks come first: the tracing round below writes its request
        # list to the South's log today, and a log's entries never go back in time.
        self._liaison()
        size = options["registry_size"]
        if size > 0:
            self._registry(size, options["living"])
        if not options["quiet_logins"]:
            self.stdout.write(logins_text())

    def _registry(self, size: int, living: int | None) -> None:
        from panmun.accounts.models import User
        from panmun.families.demo import load_registry_demo
        from panmun.families.models import TracingRound
        from panmun.families.services import tracing

        living = round(size * 34_400 / 134_500) if living is None else living
        if not 0 <= living <= size:
            raise CommandError("--living must be between 0 and --registry-size.")
        bar = BarProgress.for_command(self.stderr)
        bar.start(size, "registry / 등록부")

        def tick(done: int, total: int) -> None:
            bar.advance(done - bar.done)

        started = time.monotonic()
        loaded = load_registry_demo(size=size, living=living, progress=tick)
        bar.close()
        if loaded["applicants"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Registry: {loaded['applicants']:,} applicants ({loaded['living']:,} living), "
                    f"{loaded['relatives']:,} relatives sought, "
                    f"in {time.monotonic() - started:.1f} s."
                )
            )
        if not TracingRound.objects.exists():
            officer = User.objects.get(username="redcross_s")
            demo_round = tracing.round_create(
                actor=officer, name="시연 생사확인 회차 (demo)", target_size=100
            )
            tracing.round_send(actor=officer, tracing_round=demo_round)
            self.stdout.write(self.style.SUCCESS("A tracing round of 100 requests was sent."))
        from django.utils import timezone

        from panmun.reunion.demo import load_reunion_demo

        reunions = load_reunion_demo(today=timezone.localdate())
        if reunions["rounds"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Reunions: {reunions['rounds']} rounds "
                    f"(a pool of {reunions['pool']:,} drawn), "
                    f"{reunions['letters']} video letters."
                )
            )

    def _liaison(self) -> None:
        from panmun.liaison.demo import load_liaison_demo

        liaison = load_liaison_demo()
        if liaison["entries"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Liaison record: {liaison['entries']} signed entries over three weeks "
                    "(calls, notices, a meeting arranged, its record), checkpointed and cosigned."
                )
            )


def logins_text() -> str:
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    for p in PERSONAS:
        lines.append(f"  {p.username:<12} {p.about_en} / {p.about_ko}")
    return "\n".join(lines)
