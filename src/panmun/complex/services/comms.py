"""The firms' telephone lines in the complex (the committee's): a line installed for a firm and
taken out, its calls recorded one by one or read from a month's file of call records (CSV, all or
nothing), and a firm's bill of a month computed in USD (`complex.comms_rules`: installation in
the month installed, the monthly fee of each line in service, the calls by the minute begun)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode

from .. import comms_rules as rules
from ..access import can_keep_lines
from ..models import Firm, PhoneBill, PhoneCall, PhoneLine

FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
#: Bounds of a file of call records: its size and its rows (a month of one complex).
MAX_FILE_BYTES = 2_000_000
MAX_ROWS = 20_000
MAX_ERRORS_SHOWN = 50
COLUMNS = ("line", "dialled", "started_at", "duration_seconds")
MAX_SECONDS = 86_400


def _invalid(field: str, ko: str, en: str, **details: object) -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, ko, en, {"field": field, **details})


def _day(field: str, day: dt.date | None) -> None:
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise _invalid(field, "날짜는 2000–2099년입니다.", "A date in 2000–2099.")


@transaction.atomic
def phone_line_install(
    *, actor: User, firm: Firm, number: str, installed_on: dt.date, note: str = ""
) -> PhoneLine:
    """A line installed for `firm` on `installed_on` (from the first tariff, 28 December 2005)."""
    require(can_keep_lines(actor))
    problem = rules.line_number_problem(number)
    if problem is not None:
        raise _invalid("number", *problem)
    digits = rules.digits(number) or ""
    _day("installed_on", installed_on)
    if rules.tariff(installed_on) is None:
        first = rules.TARIFFS[0].effective_from
        raise _invalid(
            "installed_on",
            f"통신 서비스는 {first}부터입니다.",
            f"The telephone service began on {first}.",
        )
    note = (note or "").strip()
    if len(note) > 300:
        raise _invalid("note", "메모는 300자까지입니다.", "The note is at most 300 characters.")
    if PhoneLine.objects.filter(number=digits).exists():
        raise _invalid("number", "이미 있는 회선 번호입니다.", "That line number exists already.")
    line = PhoneLine.objects.create(
        firm=firm, number=digits, installed_on=installed_on, note=note, created_by=actor
    )
    audit.record(
        actor=actor,
        action="complex.line.install",
        obj=line,
        changes={"firm": firm.pk, "number": digits, "installed_on": installed_on.isoformat()},
    )
    return line


@transaction.atomic
def phone_line_remove(*, actor: User, line: PhoneLine, removed_on: dt.date) -> PhoneLine:
    require(can_keep_lines(actor))
    line = PhoneLine.objects.select_for_update().get(pk=line.pk)
    _day("removed_on", removed_on)
    if line.removed_on is not None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "이미 철거된 회선입니다.",
            "The line is taken out already.",
            {"field": "removed_on"},
        )
    if removed_on < line.installed_on:
        raise _invalid(
            "removed_on", "철거일이 설치일보다 앞섭니다.", "Taken out before it was installed."
        )
    if line.calls.filter(started_at__date__gt=removed_on).exists():
        raise _invalid(
            "removed_on",
            "철거일 뒤에 통화 기록이 있습니다.",
            "The line has calls after that day.",
        )
    line.removed_on = removed_on
    line.save()
    audit.record(
        actor=actor,
        action="complex.line.remove",
        obj=line,
        changes={"removed_on": removed_on.isoformat()},
    )
    return line


# --- calls -------------------------------------------------------------------------------------


@dataclass
class CallInput:
    line: str
    dialled: str
    started_at: str | dt.datetime
    duration_seconds: str | int


@dataclass
class CallProblem:
    row: int
    field: str
    reason_ko: str
    reason_en: str


def _parse_moment(value: str | dt.datetime) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = (value or "").strip().replace("T", " ")
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@dataclass
class _Checked:
    calls: list[PhoneCall] = field(default_factory=list)
    problems: list[CallProblem] = field(default_factory=list)


def _check_calls(actor: User, rows: list[CallInput], source: str, first_row: int) -> _Checked:
    """Each row checked against the lines and the calls already recorded; problems named by
    row and field."""
    out = _Checked()
    numbers = {rules.digits(r.line) for r in rows} - {None}
    lines = {line.number: line for line in PhoneLine.objects.filter(number__in=numbers)}
    seen: set[tuple[int, dt.datetime, str]] = set()
    for index, row in enumerate(rows):
        n = first_row + index
        problems = []
        line = lines.get(rules.digits(row.line) or "")
        if line is None:
            problems.append(CallProblem(n, "line", "없는 회선입니다.", "No such line."))
        dialled_problem = rules.south_number_problem(row.dialled)
        if dialled_problem is not None:
            problems.append(CallProblem(n, "dialled", *dialled_problem))
        started = _parse_moment(row.started_at)
        if started is None or not FIRST_DAY <= timezone.localdate(started) <= LAST_DAY:
            problems.append(
                CallProblem(
                    n,
                    "started_at",
                    "시작 시각은 YYYY-MM-DD HH:MM:SS (2000–2099년)입니다.",
                    "The start is YYYY-MM-DD HH:MM:SS (in 2000–2099).",
                )
            )
        seconds: int | None = None
        if isinstance(row.duration_seconds, int) and not isinstance(row.duration_seconds, bool):
            seconds = row.duration_seconds
        elif isinstance(row.duration_seconds, str) and (
            row.duration_seconds.strip().isascii() and row.duration_seconds.strip().isdigit()
        ):
            seconds = int(row.duration_seconds.strip()[:7])
        if seconds is None or not 0 <= seconds <= MAX_SECONDS:
            problems.append(
                CallProblem(
                    n,
                    "duration_seconds",
                    f"통화 시간은 0–{MAX_SECONDS}초의 정수입니다.",
                    f"The duration is a whole number of seconds, 0 to {MAX_SECONDS}.",
                )
            )
        if line is not None and started is not None and not problems:
            day = timezone.localdate(started)
            if day < line.installed_on or (line.removed_on is not None and day > line.removed_on):
                problems.append(
                    CallProblem(
                        n,
                        "started_at",
                        "그날 회선이 개통되어 있지 않았습니다.",
                        "The line was not in service that day.",
                    )
                )
        if problems:
            out.problems += problems
            continue
        assert line is not None and started is not None and seconds is not None
        dialled = rules.digits(row.dialled) or ""
        if (line.pk, started, dialled) in seen or PhoneCall.objects.filter(
            line=line, started_at=started, dialled=dialled
        ).exists():
            out.problems.append(
                CallProblem(
                    n,
                    "started_at",
                    "같은 통화가 이미 기록되어 있습니다.",
                    "The same call is recorded already.",
                )
            )
            continue
        seen.add((line.pk, started, dialled))
        out.calls.append(
            PhoneCall(
                line=line,
                dialled=dialled,
                started_at=started,
                duration_seconds=seconds,
                source=source,
                recorded_by=actor,
            )
        )
    return out


def _refuse(problems: list[CallProblem], source: str) -> DomainError:
    first = problems[0]
    where_ko = f"{source} {first.row}행 " if source else ""
    where_en = f"{source}, row {first.row}, " if source else ""
    return _invalid(
        first.field,
        f"{where_ko}{first.field}: {first.reason_ko} 아무것도 기록하지 않았습니다.",
        f"{where_en}{first.field}: {first.reason_en} Nothing was recorded.",
        file=source,
        row=first.row,
        count=len(problems),
        errors=[
            {
                "file": source,
                "row": p.row,
                "field": p.field,
                "reason_ko": p.reason_ko,
                "reason_en": p.reason_en,
            }
            for p in problems[:MAX_ERRORS_SHOWN]
        ],
    )


@transaction.atomic
def phone_call_record(*, actor: User, call: CallInput) -> PhoneCall:
    """One call recorded by hand."""
    require(can_keep_lines(actor))
    checked = _check_calls(actor, [call], "", 1)
    if checked.problems:
        raise _refuse(checked.problems, "")
    made = checked.calls[0]
    made.save()
    audit.record(
        actor=actor,
        action="complex.call.record",
        obj=made,
        changes={"line": made.line.number, "seconds": made.duration_seconds},
    )
    return made


def read_calls_file(name: str, data: bytes) -> list[CallInput]:
    """The rows of a CSV of call records (header `line,dialled,started_at,duration_seconds`,
    UTF-8), refused whole when the file itself is wrong."""
    name = (name or "calls.csv")[:200]
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(
            ErrorCode.PAYLOAD_TOO_LARGE,
            f"{name}: 파일은 {MAX_FILE_BYTES:,}바이트까지입니다.",
            f"{name}: a file is at most {MAX_FILE_BYTES:,} bytes.",
            {"field": "file", "file": name},
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _invalid(
            "file", f"{name}: UTF-8 CSV가 아닙니다.", f"{name}: not a UTF-8 CSV.", file=name
        ) from None
    if "\x00" in text:
        raise _invalid("file", f"{name}: CSV가 아닙니다.", f"{name}: not a CSV.", file=name)
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error:
        header = []
    if tuple(header) != COLUMNS:
        raise _invalid(
            "file",
            f"{name} 1행: 머리글은 {','.join(COLUMNS)} 입니다.",
            f"{name}, row 1: the header is {','.join(COLUMNS)}.",
            file=name,
            row=1,
        )
    rows: list[CallInput] = []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise _invalid(
                    "file",
                    f"{name}: 한 파일은 {MAX_ROWS:,}행까지입니다.",
                    f"{name}: a file has at most {MAX_ROWS:,} rows.",
                    file=name,
                    row=number,
                )
            if len(cells) != len(COLUMNS):
                raise _invalid(
                    "file",
                    f"{name} {number}행: 칸이 {len(COLUMNS)}개여야 합니다.",
                    f"{name}, row {number}: {len(COLUMNS)} cells are expected.",
                    file=name,
                    row=number,
                )
            rows.append(CallInput(*(c.strip()[:100] for c in cells)))
    except csv.Error as err:
        raise _invalid(
            "file", f"{name}: CSV를 읽지 못했습니다.", f"{name}: unreadable CSV ({err}).", file=name
        ) from None
    if not rows:
        raise _invalid("file", f"{name}: 통화 기록이 없습니다.", f"{name}: no call in it.")
    return rows


@transaction.atomic
def phone_calls_import(*, actor: User, name: str, data: bytes) -> int:
    """A file of call records read whole: every row recorded, or none (the problems named by
    file, row and field)."""
    require(can_keep_lines(actor))
    name = (name or "calls.csv")[:200]
    rows = read_calls_file(name, data)
    checked = _check_calls(actor, rows, name, 2)
    if checked.problems:
        raise _refuse(checked.problems, name)
    PhoneCall.objects.bulk_create(checked.calls)
    audit.record(
        actor=actor,
        action="complex.call.import",
        object_type="complex.phonecall",
        object_label=name,
        changes={"file": name, "calls": len(checked.calls)},
    )
    return len(checked.calls)


# --- bills -------------------------------------------------------------------------------------


@dataclass
class BillFigures:
    lines: int = 0
    installation_usd: Decimal = Decimal("0.00")
    monthly_usd: Decimal = Decimal("0.00")
    calls: int = 0
    minutes: int = 0
    calls_usd: Decimal = Decimal("0.00")

    @property
    def total_usd(self) -> Decimal:
        return self.installation_usd + self.monthly_usd + self.calls_usd


def bill_figures(firm: Firm, month: dt.date) -> BillFigures:
    """A firm's bill of `month` (its first day), computed from its lines and calls."""
    figures = BillFigures()
    end = rules.month_end(month)
    for line in PhoneLine.objects.filter(firm=firm, installed_on__lte=end):
        if not rules.in_service(line.installed_on, line.removed_on, month):
            continue
        figures.lines += 1
        rule = rules.tariff(max(month, line.installed_on))
        if rule is None:
            continue
        figures.monthly_usd += rule.monthly_usd
        if month <= line.installed_on <= end:
            figures.installation_usd += rule.installation_usd
    start = timezone.make_aware(dt.datetime.combine(month, dt.time()))
    stop = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    calls = PhoneCall.objects.filter(line__firm=firm, started_at__gte=start, started_at__lt=stop)
    for started_at, seconds in calls.values_list("started_at", "duration_seconds").iterator():
        figures.calls += 1
        figures.minutes += rules.billed_minutes(seconds)
        figures.calls_usd += rules.call_charge(seconds, timezone.localdate(started_at))
    figures.installation_usd = figures.installation_usd.quantize(rules.CENT)
    figures.monthly_usd = figures.monthly_usd.quantize(rules.CENT)
    figures.calls_usd = figures.calls_usd.quantize(rules.CENT)
    return figures


@transaction.atomic
def phone_bill_compute(*, actor: User, firm: Firm, month: dt.date) -> PhoneBill:
    """The firm's bill of `month` computed (again: it replaces the last one)."""
    require(can_keep_lines(actor))
    _day("month", month)
    if month.day != 1:
        raise _invalid("month", "달의 첫날을 주십시오.", "Give the month's first day.")
    figures = bill_figures(firm, month)
    values = {
        "lines": figures.lines,
        "installation_usd": figures.installation_usd,
        "monthly_usd": figures.monthly_usd,
        "calls": figures.calls,
        "minutes": figures.minutes,
        "calls_usd": figures.calls_usd,
        "total_usd": figures.total_usd,
        "computed_by": actor,
        "computed_at": timezone.now(),
    }
    bill, _made = PhoneBill.objects.update_or_create(firm=firm, month=month, defaults=values)
    audit.record(
        actor=actor,
        action="complex.bill.compute",
        obj=bill,
        changes={"month": f"{month:%Y-%m}", "total_usd": str(figures.total_usd)},
    )
    return bill
