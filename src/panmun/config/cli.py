"""The `panmun` command: Django's manage.py plus Panmun's own commands."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command (`panmun migrate`, `panmun load-demo`, ...)."""
    args = list(sys.argv if argv is None else ["panmun", *argv])
    if args[1:3] in (["reunion", "draw"], ["reunion", "verify-draw"]):
        # The lottery works on files alone: run it without starting Django, so that a third
        # party can check a draw without settings or a database (and a second sooner).
        from panmun.reunion.lottery.commandline import main as lottery_main  # noqa: PLC0415

        sys.exit(lottery_main(args[2:]))
    if args[1:3] == ["liaison", "verify"]:
        # Checking a liaison bundle needs the bundle alone: no settings, no database.
        from panmun.liaison.ledger.commandline import main as liaison_main  # noqa: PLC0415

        sys.exit(liaison_main(args[2:]))
    if args[1:3] == ["permits", "verify"] and any(
        a == "--keys" or a.startswith("--keys=") for a in args[3:]
    ):
        # A certificate checked against a published keys.json needs nothing else; without
        # --keys the management command checks it against this node's keys and database.
        from panmun.permits.certificate.commandline import main as permits_main  # noqa: PLC0415

        sys.exit(permits_main(args[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panmun.config.settings.base")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 (settings first)

    if args[1:3] == ["linkage", "label"]:
        # A command of two words: `panmun linkage label` is the command `linkage_label`.
        args[1:3] = ["linkage_label"]
    # Panmun's own commands are spelt with dashes on the command line (load-demo);
    # Django's module names use underscores.
    if len(args) > 1 and "-" in args[1] and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
