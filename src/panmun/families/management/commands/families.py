"""`panmun families import|export|search|duplicates`: the registry from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from panmun.accounts.models import User
from panmun.common.errors import DomainError
from panmun.jobs.progress import BarProgress

from ...schemas import HitOut
from ...selectors import SearchFilters, search
from ...services import duplicates, export, registry


def _problems(err: DomainError) -> str:
    lines = [err.message_en]
    for e in (err.details or {}).get("errors", []):
        lines.append(
            f"  {e.get('file')} row {e.get('row')} {e.get('field')}: "
            f"{e.get('reason_en')} / {e.get('reason_ko')}"
        )
    return "\n".join(lines)


class Command(BaseCommand):
    help = "The separated-families registry: import, export, search, find duplicates."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--user", help="Username the audit log records (default: the system).")
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import a registry file: .csv, .xlsx or PFIF .xml.")
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true", help="Validate only; write nothing.")
        exp = sub.add_parser("export", help="Export the registry.")
        exp.add_argument("--format", choices=["csv", "xlsx", "pfif"], required=True)
        exp.add_argument("--out", required=True)
        find = sub.add_parser("search", help="Find persons by name in any script or spelling.")
        find.add_argument("query")
        find.add_argument("--json", action="store_true", help="Print JSON lines.")
        find.add_argument("--born-from", type=int)
        find.add_argument("--born-to", type=int)
        find.add_argument("--hometown", default="")
        find.add_argument("--status", default="")
        find.add_argument("--limit", type=int, default=50)
        sub.add_parser("duplicates", help="Find duplicate persons with the linkage engine.")

    def _actor(self, name: str | None) -> User | None:
        if not name:
            return None
        actor = User.objects.filter(username=name, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user named {name!r}.")
        return actor

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options["user"])
        action = options["action"]
        try:
            getattr(self, f"do_{action}")(actor, options)
        except DomainError as err:
            raise CommandError(_problems(err)) from err

    def do_import(self, actor: User | None, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            source = path.open("rb")
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read ({exc.strerror}).") from exc
        progress = BarProgress.for_command(self.stderr)
        try:
            # Read row by row, whatever the file's size (the pages take at most 50 MB).
            counts = registry.registry_import(
                actor=actor,
                data=source,
                filename=path.name,
                dry_run=options["dry_run"],
                progress=progress,
                any_size=True,
            )
        finally:
            source.close()
            progress.close()
        summary = ", ".join(f"{k} {v}" for k, v in counts.items())
        suffix = "; nothing written (--dry-run)" if options["dry_run"] else ""
        self.stdout.write(self.style.SUCCESS(f"{path.name}: valid: {summary}{suffix}."))

    def do_export(self, actor: User | None, options: dict[str, Any]) -> None:
        out = Path(options["out"])
        progress = BarProgress.for_command(self.stderr)
        try:
            done = export.registry_export_file(
                actor=actor, fmt=options["format"], path=out, progress=progress
            )
        except OSError as exc:
            raise CommandError(f"{out}: cannot be written ({exc.strerror}).") from exc
        finally:
            progress.close()
        unit = "persons" if options["format"] == "pfif" else "rows"
        self.stdout.write(
            self.style.SUCCESS(
                f"{out}: {done.rows:,} {unit}, {done.size:,} bytes, sha256 {done.sha256}."
            )
        )

    def do_search(self, actor: User | None, options: dict[str, Any]) -> None:
        filters = SearchFilters.from_values(
            query=options["query"],
            born_from=options["born_from"],
            born_to=options["born_to"],
            hometown=options["hometown"],
            status=options["status"],
        )
        results = search(actor, filters, limit=options["limit"])
        for hit in results:
            if options["json"]:
                shown = HitOut.from_orm(hit).model_dump(exclude={"match_ko", "match_en"})
                self.stdout.write(json.dumps(shown, ensure_ascii=False))
            else:
                self.stdout.write(hit.line())
        if not results and not options["json"]:
            self.stdout.write("No match. / 찾는 사람이 없습니다.")

    def do_duplicates(self, actor: User | None, options: dict[str, Any]) -> None:
        progress = BarProgress.for_command(self.stderr)
        try:
            counts = duplicates.duplicates_find(actor=actor, progress=progress)
        finally:
            progress.close()
        self.stdout.write(self.style.SUCCESS(", ".join(f"{k} {v}" for k, v in counts.items())))
