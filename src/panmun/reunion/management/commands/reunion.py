"""`panmun reunion draw|verify-draw` as a management command (for `call_command` and `panmun
help`). The work is `panmun.reunion.lottery.commandline`, which the `panmun` command also runs
directly, before Django starts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from panmun.reunion.lottery import commandline


class Command(BaseCommand):
    help = "Reunions: draw those selected by verifiable lottery, and verify a draw's bundle."
    # Files in, files out: no database, no pages, so no system checks to run.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        commandline.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            commandline.run(options, self.stdout.write)
        except commandline.CommandFailed as err:
            raise CommandError(str(err)) from err
