"""The subcommands of `panmun aid` (see management/commands/aid.py)."""
