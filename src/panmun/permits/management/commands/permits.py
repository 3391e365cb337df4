"""`panmun permits ...`: exchange approvals from the shell.

panmun permits keys [--out FILE]        print or write the certificates' public keys (keys.json)
panmun permits keys --create            make the certificate signing key where there is none
panmun permits keys --rotate            replace it (the old key still verifies what it signed)
panmun permits verify CERTIFICATE       check a certificate (a PDF, a token or its QR address)
                                        against this node's keys and record (also: revoked?)
panmun permits verify CERTIFICATE --keys keys.json   the same offline (runs without Django)

`verify` exits 0 if the certificate is genuine, valid today and not revoked, 1 if it is not,
2 for a usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from panmun.common.errors import DomainError
from panmun.permits import signing
from panmun.permits.certificate import commandline
from panmun.permits.certificates import today, with_revocation


class Command(BaseCommand):
    help = "Exchange approvals: the certificates' keys, and checking a certificate."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
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
            getattr(self, "do_" + action)(options)
        except DomainError as err:
            raise CommandError(f"{err.message_en} / {err.message_ko}") from err

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
