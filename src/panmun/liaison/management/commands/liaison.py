"""`panmun liaison ...`: the liaison record from the shell.

panmun liaison init                 make this node's keys (once; mode 0600 files)
panmun liaison keys [--out FILE]    print or write this node's published keys (keys.json)
panmun liaison trust FILE           take the other side's keys.json as the first trust
panmun liaison sync                 deliver the local logs to the other side now
panmun liaison run                  deliver, place and close the contact calls, forever
panmun liaison rotate-key SIDE PURPOSE --reason TEXT
panmun liaison export --out BUNDLE [--side SIDE]
panmun liaison verify BUNDLE [--earlier CHECKPOINT]   (runs without Django)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from panmun.common.errors import DomainError
from panmun.liaison import node, runner
from panmun.liaison.ledger import commandline
from panmun.liaison.ledger.keys import keys_json, parse_keys_json
from panmun.liaison.services import delivery, export, keys


class Command(BaseCommand):
    help = "The liaison record: keys, delivery to the other side, contact calls, export, verify."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("init", help="Make this node's keys where missing.")
        p = sub.add_parser("keys", help="This node's published keys (keys.json).")
        p.add_argument("--out", type=Path)
        p = sub.add_parser("trust", help="Take the other side's keys.json as the first trust.")
        p.add_argument("file", type=Path)
        sub.add_parser("sync", help="Deliver the local logs now.")
        p = sub.add_parser("run", help="Deliver and keep the contact calls, until stopped.")
        p.add_argument("--every", type=float, default=30.0, help="Seconds between rounds.")
        p.add_argument("--once", action="store_true", help="One round, then stop.")
        p = sub.add_parser("rotate-key", help="Replace a key of a local side.")
        p.add_argument("side", choices=node.SIDES)
        p.add_argument("purpose", choices=["log", "cosign"])
        p.add_argument("--reason", default="")
        p = sub.add_parser("export", help="Write a log's verification bundle.")
        p.add_argument("--out", type=Path, required=True, help="A folder, or a .zip file.")
        p.add_argument("--side", choices=node.SIDES, help="Whose log (default: this node's).")
        p = sub.add_parser("verify", help="Verify a bundle (no database needed).")
        p.add_argument("bundle")
        p.add_argument("--earlier", metavar="CHECKPOINT_FILE")
        p.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            getattr(self, "do_" + action.replace("-", "_"))(options)
        except DomainError as err:
            raise CommandError(f"{err.message_en} / {err.message_ko}") from err

    def do_init(self, options: dict[str, Any]) -> None:
        for key in keys.ensure_local_keys():
            self.stdout.write(f"{key.side} {key.purpose}: {key.name}  {node.key_path(key.name)}")

    def do_keys(self, options: dict[str, Any]) -> None:
        data = keys_json(keys.keys_published())
        if options["out"]:
            options["out"].write_bytes(data)
            self.stdout.write(f"Written: {options['out']}")
        else:
            self.stdout.write(data.decode("utf-8"))

    def do_trust(self, options: dict[str, Any]) -> None:
        path = options["file"]
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        records, problems = parse_keys_json(raw, file=str(path))
        if problems:
            raise CommandError("\n".join(p.line() for p in problems))
        added = keys.keys_trust(records=records)
        self.stdout.write(f"{added} key(s) of the other side added / 상대측 키 {added}개 등록")

    def do_sync(self, options: dict[str, Any]) -> None:
        for done in delivery.deliver_all():
            state = f"error: {done.error}" if done.error else "ok"
            self.stdout.write(
                f"{done.side}: acknowledged {done.acknowledged}, cosigned {done.cosigned} ({state})"
            )

    def do_run(self, options: dict[str, Any]) -> None:
        # A failed round (a locked or lost database) is logged and tried again: see runner.
        try:
            runner.run(
                every=options["every"],
                write=self.stdout.write,
                rounds=1 if options["once"] else None,
                max_failures=runner.ONCE_TRIES if options["once"] else None,
            )
        except runner.RoundsFailed as exc:
            raise CommandError(str(exc)) from exc

    def do_rotate_key(self, options: dict[str, Any]) -> None:
        entry = keys.key_rotate(
            actor=None, side=options["side"], purpose=options["purpose"], reason=options["reason"]
        )
        self.stdout.write(f"Rotated: {entry.body['new_key']['name']} (entry {entry.index})")

    def do_export(self, options: dict[str, Any]) -> None:
        side = options["side"] or (node.local_sides() or ("south",))[0]
        counts = export.export_bundle(side=side, target=options["out"])
        self.stdout.write(
            f"Bundle of {counts['entries']} entries, checkpoint of {counts['size']}, "
            f"{counts['earlier']} earlier checkpoint(s): {options['out']}"
        )

    def do_verify(self, options: dict[str, Any]) -> None:
        # The `panmun` command runs this before Django starts; here for `call_command`.
        argv = ["verify", str(options["bundle"])]
        if options["earlier"]:
            argv += ["--earlier", options["earlier"]]
        if options["json"]:
            argv.append("--json")
        code = commandline.main(argv)
        if code:
            sys.exit(code)
