"""`panmun aid ...`: the aid ledger from the shell.

panmun aid import FILE.xml --user USERNAME      an IATI 2.03 activity file, all or nothing
panmun aid export [--activity ID ...] OUTPUT.xml  activities as an IATI 2.03 file, validated
panmun aid report [--year YEAR] [--format text|csv|pdf] [OUTPUT]   the ledger's reports
panmun aid history FILE.csv --user USERNAME   the ministry's table by year, as history

Each subcommand lives in a module of `panmun.aid.commandline` with `add_arguments(parser)` and
`run(options, stdout)`: a new one is a module and a line in SUBCOMMANDS.
"""

from __future__ import annotations

from panmun.common.subcommands import SubcommandsCommand

SUBCOMMANDS: dict[str, str] = {
    "import": "panmun.aid.commandline.iati_import",
    "export": "panmun.aid.commandline.iati_export",
    "report": "panmun.aid.commandline.report",
    "history": "panmun.aid.commandline.history",
}


class Command(SubcommandsCommand):
    help = "The humanitarian aid ledger: IATI import and export, reports."
    subcommands = SUBCOMMANDS
