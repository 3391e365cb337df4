from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from panmun.accounts.demo import DEMO_PASSWORD, PERSONAS, demo_load


class Command(BaseCommand):
    help = "Load the demo organisations and personas (idempotent). Not for production."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    def handle(self, *args, **options):
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError("load-demo refuses to run with production settings.")
        counts = demo_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {counts['organisations_created']} new organisation(s), "
                f"{counts['users_created']} new user(s)."
            )
        )
        if not options["quiet_logins"]:
            self.stdout.write(logins_text())


def logins_text() -> str:
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    for p in PERSONAS:
        lines.append(f"  {p.username:<12} {p.about_en} / {p.about_ko}")
    return "\n".join(lines)
