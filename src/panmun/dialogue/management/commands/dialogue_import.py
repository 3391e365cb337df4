from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from panmun.accounts.models import User
from panmun.common.errors import DomainError
from panmun.dialogue.services import record_import
from panmun.jobs.progress import BarProgress


class Command(BaseCommand):
    help = (
        "Import a dialogue record document (JSON, the export format): all of it or nothing. "
        "Every problem is listed with its file, item and field."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Validate only; write nothing.")
        parser.add_argument(
            "--user",
            help="Username the audit log records for this import (default: the system).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read ({exc.strerror}).") from exc
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user named {options['user']!r}.")
        progress = BarProgress.for_command(self.stderr)
        try:
            counts = record_import(
                actor=actor,
                raw=raw,
                filename=path.name,
                progress=progress,
                dry_run=options["dry_run"],
            )
        except DomainError as err:
            progress.close()
            lines = [err.message_en]
            for e in (err.details or {}).get("errors", []):
                lines.append(
                    f"  {e.get('file')} {e.get('row')} {e.get('field')}: "
                    f"{e.get('reason_en')} / {e.get('reason_ko')}"
                )
            raise CommandError("\n".join(lines)) from err
        progress.close()
        if options["dry_run"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{path.name}: valid, {counts['checked']} item(s); nothing written (--dry-run)."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{path.name}: {counts['created']} created, {counts['updated']} updated."
                )
            )
