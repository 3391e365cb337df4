"""`panmun complex ...`: the Gaeseong complex from the shell.

panmun complex import FIRM ROSTER.xlsx --user USERNAME   a firm's roster, all or nothing
panmun complex export FIRM OUTPUT.xlsx                   a firm's roster as an Excel file
panmun complex payroll --month YYYY-MM [--firm ID]       compute a month's payrolls
panmun complex stay-reminders [--days N]                 the stay deadlines of the day (daily)

Each subcommand lives in a module of `panmun.complex.commandline` with `add_arguments(parser)`
and `run(options, stdout)`: a new one is a module and a line in SUBCOMMANDS.
"""

from __future__ import annotations

from panmun.common.subcommands import SubcommandsCommand

SUBCOMMANDS: dict[str, str] = {
    "import": "panmun.complex.commandline.roster_import",
    "export": "panmun.complex.commandline.roster_export",
    "payroll": "panmun.complex.commandline.payroll",
    "stay-reminders": "panmun.complex.commandline.stay_reminders",
}


class Command(SubcommandsCommand):
    help = "The Gaeseong Industrial Complex: rosters, payrolls."
    subcommands = SUBCOMMANDS
