"""Background work on the complex, run as jobs (see panmun.jobs): the whole complex's payroll
of a month (every firm's, about 55,000 workers), the stays' daily reminders, and an offline gate
terminal's file merged, each with its progress."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from panmun.common.errors import DomainError, ErrorCode
from panmun.jobs.registry import register

from .access import is_committee, is_gate_officer
from .services import gate_merge
from .services import stay as stay_service
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


def _validate_days(params: dict[str, Any]) -> dict[str, Any]:
    days = params.get("days", 7)
    unknown = sorted(set(params) - {"days"})
    if unknown or not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 60:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "매개변수는 days(0–60일, 기본 7) 하나뿐입니다.",
            "The one parameter is days (0 to 60, 7 by default).",
            {"field": "days", "allowed": ["days"]},
        )
    return {"days": days}


@register(
    "complex.stay_reminders",
    title_ko="체류 기한 알림 (매일)",
    title_en="Stay deadlines to remind (daily)",
    allowed=is_committee,
    validate=_validate_days,
)
def stay_reminders(job: Any, progress: Any) -> dict[str, Any]:
    """Run once a day: every open stay's deadline within `days` days (or missed) put on the
    work queue of the committee and the stay's firm; the gate flags of overdue stays raised, and
    those of stays put right lifted."""
    run = stay_service.stay_reminders_list(days=job.params["days"])
    return {
        "days": job.params["days"],
        "listed": run.listed,
        "overdue": run.overdue,
        "flags_raised": run.flags.raised,
        "flags_lifted": run.flags.lifted,
    }


#: An offline terminal's file: at most this many bytes (the events are at most
#: `services.gate.MAX_BATCH`).
MAX_MERGE_BYTES = 4_000_000
#: The events to review a merge job keeps in its result (the count is kept whole).
REVIEW_KEPT = 500


def _validate_merge(params: dict[str, Any]) -> dict[str, Any]:
    """The terminal's file (`document`, its JSON text, and `filename`) checked as the merge
    checks it before the job is queued: a bad file is refused at once, each bad row named."""
    unknown = sorted(set(params) - {"document", "filename"})
    document, filename = params.get("document"), params.get("filename") or ""
    if unknown or not isinstance(document, str) or not isinstance(filename, str):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "매개변수는 document(단말기 파일의 JSON 문서)와 filename입니다.",
            "The parameters are document (the terminal's JSON file) and filename.",
            {"field": "document", "allowed": ["document", "filename"]},
        )
    filename = filename.strip()[:200]
    if len(document.encode("utf-8")) > MAX_MERGE_BYTES:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"{filename}: 파일은 {MAX_MERGE_BYTES // 1_000_000}MB까지입니다.",
            f"{filename}: the file is at most {MAX_MERGE_BYTES // 1_000_000} MB.",
            {"field": "file", "file": filename, "max_bytes": MAX_MERGE_BYTES},
        )
    gate_merge.events_check(
        gate_merge.offline_document(document, filename=filename), file=filename or "file"
    )
    return {"document": document, "filename": filename}


@register(
    "complex.gate_merge",
    title_ko="오프라인 출입 기록 병합",
    title_en="Merge an offline gate terminal's events",
    allowed=is_gate_officer,
    validate=_validate_merge,
)
def gate_merge_file(job: Any, progress: Any) -> dict[str, Any]:
    """The terminal's events merged in one transaction (all or nothing): each uid once, in
    occurrence order; those the rules would have refused kept for review."""
    filename = job.params.get("filename", "")
    report = gate_merge.gate_events_merge(
        actor=job.created_by,
        events=gate_merge.offline_document(job.params["document"], filename=filename),
        progress=progress,
        file=filename or "file",
    )
    return {
        "filename": filename,
        "stored": len(report.stored),
        "known": len(report.known),
        "keys": report.keys,
        "review_count": len(report.review),
        "review": report.review[:REVIEW_KEPT],
    }
