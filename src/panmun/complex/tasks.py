"""Background work on the complex, run as jobs (see panmun.jobs): the whole complex's payroll
of a month (every firm's, about 55,000 workers), with its progress."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from panmun.common.errors import DomainError, ErrorCode
from panmun.jobs.registry import register

from .access import is_committee
from .services.payroll import complex_month_compute

MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")


def _validate_month(params: dict[str, Any]) -> dict[str, Any]:
    month = params.get("month")
    unknown = sorted(set(params) - {"month"})
    if (
        unknown
        or not isinstance(month, str)
        or not MONTH.fullmatch(month)
        or not 2000 <= int(month[:4]) <= 2099
    ):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "매개변수는 month(YYYY-MM, 2000–2099년) 하나뿐입니다.",
            "The one parameter is month (YYYY-MM, in 2000–2099).",
            {"field": "month", "allowed": ["month"]},
        )
    return {"month": month}


@register(
    "complex.payroll_month",
    title_ko="개성공단 한 달 노임 계산",
    title_en="Compute the complex's payrolls of a month",
    allowed=is_committee,
    validate=_validate_month,
)
def payroll_month(job: Any, progress: Any) -> dict[str, Any]:
    """Every firm's payroll of the month (drafts computed again with their inputs; a payroll
    past draft left as it is), firm by firm with the progress."""
    year, month = (int(part) for part in job.params["month"].split("-"))
    summary = complex_month_compute(
        actor=job.created_by, month=dt.date(year, month, 1), progress=progress
    )
    result: dict[str, Any] = {
        "month": job.params["month"],
        "computed": summary.computed,
        "skipped": summary.skipped,
        "workers": summary.workers,
        "total_usd": str(summary.total_usd),
    }
    if summary.refused:
        # Read on the jobs page as it is: each firm refused, why, in both languages.
        result["refused"] = [f"{name} ({pk}): {ko} / {en}" for pk, name, ko, en in summary.refused]
    return result
