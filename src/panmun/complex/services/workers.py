"""The workers' writes: a firm's roster imported from the labour agency's file, a worker added
by hand, a leaving recorded, and the roster written out as an Excel file in Korean.

**What a roster file means.** The file is the firm's roster as the labour agency sends it, as
of the day it is read: a worker number not yet on the firm's roster adds a worker; a number
already on it updates that worker's record with the file's facts (name, sex, birth year, job,
hiring date, base wage); a leaving date in the file records the leaving. A worker the file
does not list is left as they are (the agency also sends the new hires alone), and an empty
leaving date never undoes one already recorded (a leaving is corrected on the worker's page).
All or nothing: every bad row is named by file, row and column, and nothing is written while
one is bad (`panmun.complex.roster`).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Field, QuerySet
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.bulk import Insert
from panmun.common.errors import DomainError, ErrorCode
from panmun.common.findings import Finding
from panmun.common.spreadsheets.writing import write_csv_to, write_xlsx_to

from .. import roster
from ..access import firms_for_edit
from ..models import Firm, Worker
from ..roster import Problem, RosterRow

#: The problems a refusal lists (the count says how many there were).
SHOWN = 200
BATCH = 1000
FORM = "form"
UPDATED_FIELDS = ("name", "sex", "birth_year", "job", "hired_on", "left_on", "base_wage_usd",
                  "name_key")  # fmt: skip


def _today() -> dt.date:
    return timezone.localdate()


def _editable(actor: User, firm: Firm) -> Firm:
    """The committee keeps every roster, a firm its own; others are refused."""
    require(firms_for_edit(actor).filter(pk=firm.pk).exists())
    return firm


def refused(problems: list[Problem]) -> DomainError:
    """A worker typed in, refused field by field (422, each problem on its field)."""
    return DomainError.from_findings(
        [Finding("complex_worker_invalid", ko=p.ko, en=p.en, field=p.field) for p in problems],
        ko="근로자를 저장하지 않았습니다.",
        en="The worker was not saved.",
    )


# --- one worker ------------------------------------------------------------------------------


def _number_taken(number: str) -> Problem:
    return Problem(
        "number",
        f"이미 이 기업의 명단에 있는 근로자 번호입니다: {number}",
        f"worker number {number} is already on this firm's roster",
    )


@transaction.atomic
def worker_add(
    *,
    actor: User,
    firm: Firm,
    number: str,
    name: str,
    sex: str,
    birth_year: int,
    hired_on: dt.date,
    job: str = "",
    base_wage_usd: Decimal | None = None,
) -> Worker:
    """Put a worker on a firm's roster, checked as a roster file's row is: a number not yet
    on the roster, a name, a sex, a birth year a worker hired that day has, a hiring date
    since the complex took its first workers and not in the future."""
    _editable(actor, firm)
    problems: list[Problem] = []
    number, bad = roster.clean_number(number)
    problems.extend([bad] if bad else [])
    name, bad = roster.clean_name(name)
    problems.extend([bad] if bad else [])
    sex, bad = roster.clean_sex(sex)
    problems.extend([bad] if bad else [])
    job = " ".join(job.split())
    if base_wage_usd is not None:
        wage, bad = roster.parse_wage(str(base_wage_usd))
        problems.extend([bad] if bad else [])
        base_wage_usd = wage
    problems.extend(
        roster.check_worker(
            birth_year=birth_year, hired_on=hired_on, left_on=None, job=job, today=_today()
        )
    )
    if number and Worker.objects.filter(firm=firm, number=number).exists():
        problems.append(_number_taken(number))
    if problems:
        raise refused(problems)
    worker = Worker(
        firm=firm,
        number=number,
        name=name,
        sex=sex,
        birth_year=birth_year,
        job=job,
        hired_on=hired_on,
        base_wage_usd=base_wage_usd,
        name_key=roster.name_key(name),
    )
    try:
        worker.full_clean()
    except ValidationError as error:  # the same number put on the roster meanwhile, or worse
        raise refused(
            [Problem(f, str(m), str(m)) for f, ms in error.message_dict.items() for m in ms]
        ) from error
    try:
        with transaction.atomic():
            worker.save()
    except IntegrityError as race:  # the same number put on the roster meanwhile
        raise refused([_number_taken(number)]) from race
    audit.record(
        actor=actor,
        action="complex.worker.add",
        obj=worker,
        changes={"firm": firm.pk, "number": number, "hired_on": hired_on.isoformat()},
    )
    return worker


@transaction.atomic
def worker_leave(*, actor: User, worker: Worker, left_on: dt.date) -> Worker:
    """Record the day a worker left the firm: not before they were hired, not in the future,
    once (a worker who has left is refused with the day recorded)."""
    _editable(actor, worker.firm)
    locked = Worker.objects.select_for_update().get(pk=worker.pk)
    if locked.left_on is not None:
        raise DomainError(
            ErrorCode.CONFLICT,
            f"이 근로자는 이미 {locked.left_on}에 퇴직했습니다.",
            f"This worker already left on {locked.left_on}.",
            {"field": "left_on", "left_on": locked.left_on.isoformat()},
        )
    problems = roster.check_worker(
        birth_year=None, hired_on=locked.hired_on, left_on=left_on, job="", today=_today()
    )
    if problems:
        raise refused(problems)
    locked.left_on = left_on
    locked.save(update_fields=["left_on"])
    audit.record(
        actor=actor,
        action="complex.worker.leave",
        obj=locked,
        changes={"firm": locked.firm_id, "left_on": left_on.isoformat()},
    )
    return locked


# --- the roster file -------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterImported:
    """What a roster file did: workers added, workers updated (leavings among them), workers
    whose record the file left as it was, and the leavings it recorded."""

    file: str
    rows: int
    added: int
    updated: int
    unchanged: int
    left: int


def _worker_of(firm: Firm, row: RosterRow) -> Worker:
    return Worker(
        firm=firm,
        number=row.number,
        name=row.name,
        sex=row.sex,
        birth_year=row.birth_year,
        job=row.job,
        hired_on=row.hired_on,
        left_on=row.left_on,
        base_wage_usd=row.base_wage_usd,
        name_key=roster.name_key(row.name),
    )


def _facts(worker: Worker) -> tuple[Any, ...]:
    wage = worker.base_wage_usd
    return (
        worker.name,
        worker.sex,
        worker.birth_year,
        worker.job,
        worker.hired_on,
        worker.left_on,
        None if wage is None else Decimal(wage),
        worker.name_key,
    )


INSERTED = ("firm_id", "number", "name", "sex", "birth_year", "job", "hired_on", "left_on",
            "base_wage_usd", "name_key")  # fmt: skip


def _insert(firm: Firm, rows: list[RosterRow]) -> None:
    """The new workers of a roster, a batch at a time with `common.bulk.Insert` (an
    executemany, COPY on PostgreSQL): `bulk_create` spent most of a 5,000-worker import
    preparing each value in Python."""
    ops = connection.ops
    insert = Insert(Worker, INSERTED)

    def day(value: dt.date | None) -> object:
        return None if value is None else ops.adapt_datefield_value(value)

    for start in range(0, len(rows), BATCH):
        insert.write(
            [
                (
                    firm.pk,
                    row.number,
                    row.name,
                    row.sex,
                    row.birth_year,
                    row.job,
                    day(row.hired_on),
                    day(row.left_on),
                    None
                    if row.base_wage_usd is None
                    else ops.adapt_decimalfield_value(row.base_wage_usd, 16, 3),
                    roster.name_key(row.name),
                )
                for row in rows[start : start + BATCH]
            ]
        )


def _update(workers: list[Worker]) -> None:
    """Write `UPDATED_FIELDS` of `workers`: one UPDATE by id, run for every row with
    `executemany` (Django's `bulk_update` builds a CASE expression per field and row, several
    seconds in Python for a thousand rows)."""
    if not workers:
        return
    meta = Worker._meta
    fields = [field for name in UPDATED_FIELDS if isinstance(field := meta.get_field(name), Field)]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    # Names from the model's options, quoted; the values are bound parameters.
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608
        f"WHERE {quote(str(meta.pk.column if meta.pk else 'id'))} = %s"
    )
    params = [
        [f.get_db_prep_save(getattr(w, f.attname), connection) for f in fields] + [w.pk]
        for w in workers
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH):
            cursor.executemany(sql, params[start : start + BATCH])


@transaction.atomic
def roster_import(*, actor: User, firm: Firm, data: bytes, file: str) -> RosterImported:
    """Read a roster file (.xlsx or .csv) into a firm's roster (see the module's docstring):
    all or nothing, every problem named by file, row and column."""
    _editable(actor, firm)
    today = _today()
    found: list[Finding] = []
    rows = roster.read_roster(data, file=file, today=today, found=found)
    on_roster: dict[str, Worker] = {}
    if not found:
        numbers = [row.number for row in rows]
        for start in range(0, len(numbers), BATCH):
            for listed in Worker.objects.select_for_update().filter(
                firm=firm, number__in=numbers[start : start + BATCH]
            ):
                on_roster[listed.number] = listed
        for row in rows:
            kept = on_roster.get(row.number)
            if kept is None or row.left_on is not None or kept.left_on is None:
                continue
            if kept.left_on < row.hired_on:
                found.append(
                    Finding(
                        "complex_roster_invalid",
                        ko=f"근로자 번호 {row.number}: 명단에 {kept.left_on} 퇴직으로 되어 있어 "
                        f"채용일({row.hired_on})이 그보다 늦을 수 없습니다",
                        en=f"worker number {row.number} left on {kept.left_on} as the roster "
                        f"has it: the hiring date ({row.hired_on}) cannot be later",
                        file=file,
                        row=row.row,
                        field="hired_on",
                    )
                )
    if found:
        raise DomainError.from_findings(
            found[:SHOWN],
            ko="근로자 명단을 읽지 않았습니다. 아무것도 저장하지 않았습니다.",
            en="The roster was not read; nothing was saved.",
            file=file,
            problems=len(found),
        )
    new: list[RosterRow] = []
    changed: list[Worker] = []
    left = 0
    for row in rows:
        worker = on_roster.get(row.number)
        if worker is None:
            new.append(row)
            left += row.left_on is not None
            continue
        made = _worker_of(firm, row)
        if row.left_on is None:
            made.left_on = worker.left_on  # an empty leaving date undoes none
        elif worker.left_on != row.left_on:
            left += 1
        if _facts(made) != _facts(worker):
            for name in UPDATED_FIELDS:
                setattr(worker, name, getattr(made, name))
            changed.append(worker)
    try:
        with transaction.atomic():
            _insert(firm, new)
            _update(changed)
    except IntegrityError as race:  # another import put the same numbers on the roster
        raise DomainError(
            ErrorCode.CONFLICT,
            "명단을 읽는 동안 같은 번호의 근로자가 명단에 올랐습니다. 다시 읽으십시오. "
            "아무것도 저장하지 않았습니다.",
            "Workers with the same numbers were put on the roster while it was read: read "
            "it again. Nothing was saved.",
            {"file": file},
        ) from race
    summary = RosterImported(
        file=file,
        rows=len(rows),
        added=len(new),
        updated=len(changed),
        unchanged=len(rows) - len(new) - len(changed),
        left=left,
    )
    audit.record(
        actor=actor,
        action="complex.roster.import",
        obj=firm,
        changes={
            "file": file,
            "rows": summary.rows,
            "added": summary.added,
            "updated": summary.updated,
            "left": summary.left,
        },
    )
    return summary


def roster_export(workers: QuerySet[Worker], *, format: str = "xlsx") -> bytes:
    """`workers` (already chosen through `access`) as an Excel (or CSV) file in Korean, by
    number: the columns `roster.EXPORT_HEADER`, which the import reads back."""
    if format not in ("csv", "xlsx"):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "형식은 xlsx 또는 csv입니다.",
            "The format is xlsx or csv.",
            {"field": "format"},
        )
    facts = workers.order_by("firm_id", "number").values_list(
        "number", "name", "sex", "birth_year", "job", "hired_on", "left_on", "base_wage_usd"
    )
    rows = roster.export_rows(facts.iterator(chunk_size=2000))
    out = io.BytesIO()
    if format == "csv":
        write_csv_to(out, roster.EXPORT_HEADER, rows)
    else:
        write_xlsx_to(out, roster.EXPORT_HEADER, rows, sheet_name="근로자명단")
    return out.getvalue()
