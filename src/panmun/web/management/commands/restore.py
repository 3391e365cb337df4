"""`panmun restore ARCHIVE [--replace]`: check the archive against its manifest, then restore
the database, the liaison key files (mode 0600) and the stored files (panmun.web.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from panmun.web.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `panmun backup`. Every member is checked against the "
        "manifest's SHA-256 first; a damaged archive changes nothing. Stop `panmun serve` "
        "first. A JSON backup needs `panmun migrate` on a new database first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace a database that holds users, keys and files already there",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(Path(options["archive"]), replace=options["replace"])
        except BackupError as exc:
            raise CommandError(f"{exc.message_en} / {exc.message_ko}") from exc
        self.stdout.write(
            f"Restored {len(manifest['members'])} files of the backup made "
            f"{manifest['created_at']} / 복원했습니다."
        )
