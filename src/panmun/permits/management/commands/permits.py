"""`panmun permits ...`: exchange approvals from the shell.

panmun permits import REFERENCE FILE --user USERNAME [--append]
    read a people list (.xlsx or .csv: UTF-8 or CP949) into an application, all or nothing;
    every problem is printed on a line of its own (file row field: English / Korean), exit 1
panmun permits export [--state STATE ...] [--kind KIND ...] [--format csv|xlsx] OUTPUT
    the approvals, one a row: application, kind, state, applicant, organisation, period,
    destination, travellers, submitted and decided dates
panmun permits expire
    approvals in force whose period has passed become expired (run it daily from a timer)
panmun permits keys [--out FILE]        print or write the certificates' public keys (keys.json)
panmun permits keys --create            make the certificate signing key where there is none
panmun permits keys --rotate            replace it (the old key still verifies what it signed)
panmun permits verify CERTIFICATE       check a certificate (a PDF, a token or its QR address)
                                        against this node's keys and record (also: revoked?)
panmun permits verify CERTIFICATE --keys keys.json   the same offline (runs without Django)

`verify` exits 0 if the certificate is genuine, valid today and not revoked, 1 if it is not,
2 for a usage error.

Each subcommand is a parser made in `add_arguments` and a method `do_<name>` (dashes as
underscores): a new one adds both.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from panmun.accounts.models import User
from panmun.common.errors import DomainError
from panmun.common.spreadsheets.writing import write_csv_to, write_xlsx_to

from ... import signing
from ...certificate import commandline
from ...certificates import today, with_revocation
from ...models import Application, Approval, ApprovalKind, ApprovalState
from ...services import lines
from ...services.review import approvals_expire

EXPORT_HEADER = (
    "application",
    "kind",
    "state",
    "applicant",
    "organisation",
    "start_date",
    "end_date",
    "destination",
    "travellers",
    "submitted_at",
    "decided_at",
)


def problem_lines(err: DomainError) -> list[str]:
    """A refusal as lines for a terminal: its message, then each problem where it is."""
    out = [f"{err.message_en} / {err.message_ko}"]
    for e in (err.details or {}).get("errors", []):
        where = " ".join(
            part
            for part in (
                str(e.get("file") or ""),
                f"row {e['row']}" if e.get("row") else "",
                str(e.get("field") or ""),
            )
            if part
        )
        out.append(f"{where}: {e.get('reason_en')} / {e.get('reason_ko')}")
    return out


def _day(moment: datetime | None) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


class Command(BaseCommand):
    help = (
        "Exchange approvals: import a people list into an application, export the approvals, "
        "the certificates' keys, and checking a certificate."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser(
            "import", help="Read a people list into an application (all or nothing)."
        )
        p.add_argument("reference", help="The application's reference (EX-…).")
        p.add_argument("file", type=Path, help="A .xlsx or .csv file (UTF-8 or CP949).")
        p.add_argument("--user", required=True, help="The applicant who files it.")
        p.add_argument(
            "--append", action="store_true", help="Add to the list instead of replacing it."
        )
        p = sub.add_parser("export", help="Write the approvals as CSV or xlsx.")
        p.add_argument("output", type=Path)
        p.add_argument("--state", action="append", choices=ApprovalState.values, default=[])
        p.add_argument("--kind", action="append", choices=ApprovalKind.values, default=[])
        p.add_argument(
            "--format",
            choices=["csv", "xlsx"],
            help="Default: by the output's extension, else csv.",
        )
        sub.add_parser("expire", help="Expire the approvals whose period has passed (daily).")
        p = sub.add_parser("keys", help="The certificates' published keys (keys.json).")
        p.add_argument("--out", type=Path)
        group = p.add_mutually_exclusive_group()
        group.add_argument("--create", action="store_true", help="Make the key if missing.")
        group.add_argument("--rotate", action="store_true", help="Replace the current key.")
        commandline.add_verify_arguments(
            sub.add_parser("verify", help="Check a visit certificate.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            getattr(self, "do_" + action.replace("-", "_"))(options)
        except DomainError as err:
            problems = problem_lines(err)
            for line in problems[1:]:
                self.stderr.write(line)
            raise CommandError(problems[0]) from err

    def _user(self, name: str) -> User:
        user = (
            User.objects.select_related("organisation")
            .filter(username=name, is_active=True)
            .first()
        )
        if user is None:
            raise CommandError(f"No active user named {name!r}. / 사용자 {name!r}이(가) 없습니다.")
        return user

    def do_import(self, options: dict[str, Any]) -> None:
        actor = self._user(options["user"])
        reference = options["reference"]
        application = Application.objects.filter(reference=reference).first()
        if application is None:
            raise CommandError(
                f"No application {reference!r}. / 신청 {reference!r}을(를) 찾을 수 없습니다."
            )
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read ({exc.strerror}).") from exc
        count = lines.travellers_import(
            actor=actor,
            application=application,
            file_name=path.name,
            data=data,
            replace=not options["append"],
        )
        self.stdout.write(
            f"{count} people read into {application.reference}. / "
            f"{application.reference}에 {count}명을 넣었습니다."
        )

    def do_export(self, options: dict[str, Any]) -> None:
        out: Path = options["output"]
        kind = options["format"] or ("xlsx" if out.suffix.casefold() == ".xlsx" else "csv")
        approvals = Approval.objects.select_related(
            "application__applicant", "application__organisation"
        ).annotate(travellers=Count("application__travellers"))
        if options["state"]:
            approvals = approvals.filter(state__in=options["state"])
        if options["kind"]:
            approvals = approvals.filter(kind__in=options["kind"])
        approvals = approvals.order_by("application__reference", "kind")

        def rows() -> Iterator[list[str]]:
            for approval in approvals.iterator(chunk_size=2000):
                application = approval.application
                organisation = application.organisation
                yield [
                    application.reference,
                    approval.kind,
                    approval.state,
                    application.applicant.get_username(),
                    organisation.name_ko if organisation else "",
                    application.start_date.isoformat() if application.start_date else "",
                    application.end_date.isoformat() if application.end_date else "",
                    application.destination,
                    str(approval.travellers),
                    _day(approval.submitted_at),
                    _day(approval.decided_at),
                ]

        counted = 0

        def counting() -> Iterator[list[str]]:
            nonlocal counted
            for row in rows():
                counted += 1
                yield row

        try:
            with out.open("wb") as target:
                if kind == "xlsx":
                    write_xlsx_to(target, EXPORT_HEADER, counting(), sheet_name="approvals")
                else:
                    write_csv_to(target, EXPORT_HEADER, counting())
        except OSError as exc:
            raise CommandError(f"{out}: cannot be written ({exc.strerror}).") from exc
        self.stdout.write(f"{counted} approvals written to {out}. / 승인 {counted}건을 썼습니다.")

    def do_expire(self, options: dict[str, Any]) -> None:
        expired = approvals_expire(today=today())
        self.stdout.write(
            f"{len(expired)} approvals expired. / 승인 {len(expired)}건이 만료되었습니다."
        )

    def do_keys(self, options: dict[str, Any]) -> None:
        if options["create"] or options["rotate"]:
            key = signing.create_key(rotate=options["rotate"])
            self.stderr.write(f"key {key.key_id}: {signing.key_dir() / (key.key_id + '.key')}")
        data = signing.published_keys_json()
        if options["out"]:
            options["out"].write_bytes(data)
            self.stdout.write(f"Written: {options['out']}")
        else:
            self.stdout.write(data.decode("utf-8"))

    def do_verify(self, options: dict[str, Any]) -> None:
        try:
            keys = (
                commandline.read_keys(options["keys"])
                if options["keys"]
                else signing.published_keys()
            )
            on = commandline.parse_day(options["today"]) if options["today"] else today()
            verdict = commandline.check(options["certificate"], keys, on)
        except commandline.UsageError as exc:
            self.stderr.write(str(exc))
            sys.exit(commandline.USAGE_ERROR)
        sys.exit(commandline.report(with_revocation(verdict), options["json"], self.stdout))
