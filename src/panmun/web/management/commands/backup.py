"""`panmun backup DIR|FILE`: the database, the liaison key files, MEDIA_ROOT and the saved
linkage models as one archive with a manifest of checksums (panmun.web.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from panmun.web.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database, the liaison key files and the stored files into one archive "
        "(a folder: a new panmun-backup-<time>.tar.gz inside it). The archive holds the "
        "private keys: it is written with mode 0600; keep it as safe as the key folder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", help="a folder, or the archive's file name (.tar.gz)")
        parser.add_argument(
            "--database-format",
            choices=["native", "json"],
            default="native",
            help="native: SQLite's backup API or pg_dump (default); json: Django's dumpdata, "
            "which also restores into another database vendor",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path, manifest = backup(Path(options["target"]), prefer=options["database_format"])
        except BackupError as exc:
            raise CommandError(f"{exc.message_en} / {exc.message_ko}") from exc
        members = manifest["members"]
        size = path.stat().st_size
        self.stdout.write(
            f"{path}: {len(members)} files ({manifest['database']['method']} database), "
            f"{size:,} bytes / 백업을 만들었습니다."
        )
