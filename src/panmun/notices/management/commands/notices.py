"""`panmun notices send [--limit N]`: deliver the notices that are due now (those waiting for
their next attempt, and claims that lapsed), and say what happened."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from panmun.notices.services import notices_send_due


class Command(BaseCommand):
    help = "The notices outbox: deliver what is due."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("send", help="Deliver the notices that are due now.")
        p.add_argument("--limit", type=int, default=500, help="At most this many (500).")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = notices_send_due(limit=max(1, options["limit"]))
        self.stdout.write(
            f"delivered {summary.delivered}, to retry {summary.retried}, "
            f"failed {summary.failed}, held by another worker {summary.skipped}"
        )
