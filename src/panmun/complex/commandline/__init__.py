"""The subcommands of `panmun complex` (see management/commands/complex.py)."""
