"""A `panmun <app> ...` command made of subcommands, each a module of the app with
`add_arguments(parser)` and `run(options, stdout)`: a new subcommand is a module and a line in
the command's `subcommands`."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class SubcommandsCommand(BaseCommand):
    #: name → dotted path of the module that runs it, in the order `--help` lists them.
    subcommands: dict[str, str] = {}

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, module in self.subcommands.items():
            part = import_module(module)
            part.add_arguments(
                sub.add_parser(name, help=(part.__doc__ or "").strip().splitlines()[0])
            )

    def handle(self, *args: Any, **options: Any) -> None:
        import_module(self.subcommands[options["subcommand"]]).run(options, self.stdout)
