"""The stay deadlines of the day, for a daily timer (cron, systemd) as the jobs page's
`complex.stay_reminders` does it:

panmun complex stay-reminders [--days N]

Every open stay's deadline within N days (7 by default) or missed is put on the work queue of the
committee and of the stay's firm; the gate flags of overdue stays are raised, and those of stays
put right lifted."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import CommandError, OutputWrapper

from ..services.stay import stay_reminders_list


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--days", type=int, default=7, help="How far ahead, 0 to 60 days.")


def run(options: dict[str, Any], stdout: OutputWrapper) -> None:
    days = options["days"]
    if not 0 <= days <= 60:
        raise CommandError("--days is 0 to 60. / --days는 0–60입니다.")
    done = stay_reminders_list(days=days)
    stdout.write(
        f"{done.listed} deadlines listed ({done.overdue} overdue); flags raised "
        f"{done.flags.raised}, lifted {done.flags.lifted}. / 기한 {done.listed}건 알림 "
        f"(지난 것 {done.overdue}건), 정지 표시 {done.flags.raised}건, 해제 {done.flags.lifted}건."
    )
