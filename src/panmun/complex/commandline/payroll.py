"""Compute the payrolls of a month: every firm's, or one firm's, with the progress.

panmun complex payroll --month YYYY-MM [--firm ID] --user USERNAME

Each firm's payroll is computed in a transaction of its own (drafts again with the inputs they
hold; a payroll already submitted or further is left as it is). USERNAME is the committee's
officer (every firm) or the firm's officer (their own) the audit log records."""

from __future__ import annotations

import argparse
import time
from typing import Any

from django.core.management.base import CommandError, OutputWrapper

from panmun.accounts.models import User
from panmun.common.errors import DomainError
from panmun.jobs.progress import BarProgress

from ..models import Firm
from ..services.payroll import complex_month_compute
from ..wages import parse_month


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--month", required=True, help="The month, YYYY-MM.")
    parser.add_argument("--firm", type=int, help="One firm's id (default: every firm).")
    parser.add_argument("--user", required=True, help="Who computes it (the audit log's actor).")


def run(options: dict[str, Any], stdout: OutputWrapper) -> None:
    user = User.objects.filter(username=options["user"], is_active=True).first()
    if user is None:
        raise CommandError(f"No active user named {options['user']!r}. / 사용자가 없습니다.")
    month = parse_month(options["month"] or "")
    if month is None:
        raise CommandError("Write the month as YYYY-MM. / 달은 YYYY-MM으로 적으십시오.")
    firms = None
    if options.get("firm") is not None:
        firms = Firm.objects.filter(pk=options["firm"])
        if not firms.exists():
            raise CommandError(f"No firm {options['firm']}. / 기업이 없습니다.")
    started = time.perf_counter()
    progress = BarProgress.for_command(stdout)
    try:
        summary = complex_month_compute(actor=user, month=month, firms=firms, progress=progress)
    except DomainError as err:
        lines = [f"{err.message_en} / {err.message_ko}"]
        details = err.details if isinstance(err.details, dict) else {}
        for e in details.get("errors", [])[:50]:
            where = ", ".join(str(p) for p in (e.get("file"), e.get("row"), e.get("field")) if p)
            lines.append(f"{where}: {e.get('reason_en')} / {e.get('reason_ko')}")
        raise CommandError("\n".join(lines)) from err
    finally:
        progress.close()
    stdout.write(
        f"{month:%Y-%m}: {summary.computed} payrolls computed, {summary.skipped} left as they "
        f"were; {summary.workers:,} workers, {summary.total_usd:,} USD "
        f"({time.perf_counter() - started:.1f} s). / 노임 {summary.computed}건 계산, "
        f"{summary.skipped}건 그대로; 근로자 {summary.workers:,}명, {summary.total_usd:,}달러."
    )
    if summary.refused:
        lines = [f"{len(summary.refused)} firm(s) refused, nothing written for them: / 거부됨:"]
        lines += [f"  {pk} {name}: {en} / {ko}" for pk, name, ko, en in summary.refused]
        raise CommandError("\n".join(lines))
