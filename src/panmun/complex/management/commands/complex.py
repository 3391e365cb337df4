"""`panmun complex ...`: the Gaeseong complex from the shell.

panmun complex import FIRM ROSTER.xlsx --user USERNAME   a firm's roster, all or nothing
panmun complex export FIRM OUTPUT.xlsx                   a firm's roster as an Excel file
panmun complex payroll --month YYYY-MM [--firm ID]       compute a month's payrolls

Each subcommand lives in a module of `panmun.complex.commandline` with `add_arguments(parser)`
and `run(options, stdout)`: a new one is a module and a line in SUBCOMMANDS.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

SUBCOMMANDS: dict[str, str] = {
    "import": "panmun.complex.commandline.roster_import",
    "export": "panmun.complex.commandline.roster_export",
    "payroll": "panmun.complex.commandline.payroll",
}


class Command(BaseCommand):
    help = "The Gaeseong Industrial Complex: rosters, payrolls."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, module in SUBCOMMANDS.items():
            part = import_module(module)
            part.add_arguments(
                sub.add_parser(name, help=(part.__doc__ or "").strip().splitlines()[0])
            )

    def handle(self, *args: Any, **options: Any) -> None:
        import_module(SUBCOMMANDS[options["subcommand"]]).run(options, self.stdout)
