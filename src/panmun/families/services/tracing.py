"""Tracing rounds (생사확인 = tracing: confirming whether a relative is alive and where).

A round goes draft → sent → replied → applied:
1. `round_create` chooses the relatives sought (or takes the ones given) and numbers them with
   stable request ids (`T<round>-<n>`);
2. `round_send` freezes the request list that goes to the other side;
3. `reply_import` (a file) or `reply_enter` (a form, for the other side's officers) records the
   other side's answers; rows without a request id are linked to the requests by the linkage
   engine: links above `CONFIDENT` are proposed, the rest wait in the review queue;
   A reply is not taken on trust: one whose name, birth date or sex differ from the request it
   names, or that says "alive" of someone older than `MAX_PLAUSIBLE_AGE`, waits for review
   with the reason (`reply_doubts`);
4. `reply_review` confirms or rejects a link; `round_apply` writes the answers to the registry
   (statuses, deaths, a note with what the other side said) in one transaction, once an officer
   has asked for approval (`round_apply_request`) and a supervisor of the side has given it
   (결재, `accounts.signoffs`) on the figures `apply_preview` shows;
5. `selectors.round_report` counts sent, answered, found alive, found deceased, not found.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from panmun.accounts import audit, signoffs
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import SignOff, SignOffState, User
from panmun.common.errors import DomainError, ErrorCode, invalid
from panmun.common.findings import Finding
from panmun.common.spreadsheets.reading import SpreadsheetError, read_table
from panmun.families.access import can_edit_registry, can_enter_replies, get_round_for_replies
from panmun.korean.calendars import (
    Calendar,
    PartialDate,
    age_on,
    leap_month_of,
    lunar_to_solar,
    parse_partial_date,
)
from panmun.korean.hangul import is_syllable, nfc
from panmun.korean.orthography import south_form
from panmun.korean.surnames import split_full_name
from panmun.liaison.services.messages import manifest_post
from panmun.linkage.records import PersonRecord

from .. import documents
from ..keys import person_keys
from ..models import (
    LINKED,
    LinkState,
    Person,
    PersonNote,
    ReplyResult,
    RoundStatus,
    Seeking,
    TracingReply,
    TracingRequest,
    TracingRound,
    VitalStatus,
)
from ..registry_file import columns
from ..selectors import round_report
from ..uploads import check_upload_name, upload_job
from . import labels

# A link the engine is at least this sure of is proposed; below it an officer decides.
CONFIDENT = 0.95
# Below this the engine's best candidate is not worth showing.
CANDIDATE = 0.01
MAX_ROUND_SIZE = 5000
# The step that needs a second person's approval (결재), as `accounts.signoffs` names it.
APPLY_STEP = "families.round.apply"
# "Alive" is doubted past this age at the round's date. The oldest South Koreans at the in-person
# reunions were about 100: 백성규, 101, at the 21st round (Geumgangsan, August 2018), the oldest
# of that round's South party. Applicants of 100 and more are alive in the registry, and the
# oldest Koreans on record lived some years past 110, so this is a doubt for a reviewer, not a
# refusal: above it an answer "alive" is far more often a wrong row, a wrong birth year or a
# status not updated than a living person.
MAX_PLAUSIBLE_AGE = 105
# The reply list's columns, as the blank reply form (documents.reply_template_xlsx) has them.
REPLY_COLUMNS = documents.REPLY_COLUMNS
RESULTS = {"found": "found", "not_found": "not_found", "확인": "found", "미확인": "not_found"}
VITAL = {
    "": "unknown",
    "unknown": "unknown",
    "alive": "alive",
    "deceased": "deceased",
    "미상": "unknown",
    "생존": "alive",
    "사망": "deceased",
}
SEXES = {"": "", "m": "M", "f": "F", "x": "X", "남": "M", "여": "F"}
CALENDARS = {"": "", "solar": "solar", "lunar": "lunar", "양력": "solar", "음력": "lunar"}
LIMITS = {
    "request_id": 20,
    "death_date": 10,
    "family_name": 100,
    "given_name": 100,
    "name_latin": 200,
    "birth_date": 10,
    "birthplace": 200,
    "father_name": 100,
    "address": 300,
    "relatives": 5000,
}


def _transition(tracing_round: TracingRound, allowed: Iterable[str], to: str) -> None:
    if tracing_round.status not in allowed:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"'{tracing_round.get_status_display()}' 상태의 회차는 '{to}'(으)로 바꿀 수 없습니다.",
            f"A round that is '{tracing_round.status}' cannot become '{to}'.",
            {"status": tracing_round.status},
        )


# --- the round and its request list ------------------------------------------------------------


def eligible_seekings(*, confirm_alive: bool = False) -> Any:
    """Relatives sought who can go on a request list: the applicant is alive and has consented
    to sharing, the relative's fate is unknown, and no open round already asks for them.
    Oldest applicants first (most of them are over 80), then the earliest registered.

    With ``confirm_alive`` (a reunion's inquiry, which asks again whether relatives already
    found are still alive) relatives known to be alive may be asked for as well."""
    statuses = [VitalStatus.UNKNOWN, VitalStatus.ALIVE] if confirm_alive else [VitalStatus.UNKNOWN]
    open_rounds = Q(
        requests__round__status__in=[RoundStatus.DRAFT, RoundStatus.SENT, RoundStatus.REPLIED]
    )
    return (
        Seeking.objects.filter(
            applicant__status=VitalStatus.ALIVE,
            applicant__consent_share=True,
            applicant__merged_into__isnull=True,
            sought__status__in=statuses,
            sought__merged_into__isnull=True,
        )
        .exclude(open_rounds)
        .order_by("applicant__birth_year", "applicant__registered_on", "pk")
    )


@transaction.atomic
def round_create(
    *,
    actor: User,
    name: str,
    target_size: int,
    reply_due: dt.date | None = None,
    seeking_ids: list[int] | None = None,
    confirm_alive: bool = False,
) -> TracingRound:
    """A new round with its request list: the relatives given, or up to `target_size` chosen
    by `eligible_seekings` (one request per person sought, however many applicants seek them).
    ``confirm_alive`` lets relatives already known to be alive be asked for again."""
    require_authenticated(actor)
    require(can_edit_registry(actor))
    name = name.strip()
    if not name or len(name) > 200:
        raise invalid(
            ko="회차 이름은 1–200자여야 합니다.",
            en="The round's name must be 1–200 characters.",
            field="name",
        )
    if not 1 <= target_size <= MAX_ROUND_SIZE:
        raise invalid(
            ko=f"목표 인원은 1–{MAX_ROUND_SIZE}명이어야 합니다.",
            en=f"The target size must be 1–{MAX_ROUND_SIZE}.",
            field="target_size",
        )
    eligible = eligible_seekings(confirm_alive=confirm_alive)
    if seeking_ids is not None:
        chosen = list(eligible.filter(pk__in=seeking_ids))
        missing = sorted(set(seeking_ids) - {s.pk for s in chosen})
        if missing:
            raise invalid(
                ko=f"요청할 수 없는 대상이 있습니다: {missing}",
                en=(
                    "These relatives sought cannot be requested (not eligible or unknown): "
                    f"{missing}"
                ),
                field="seeking_ids",
                ids=missing,
            )
        if len(chosen) > target_size:
            raise invalid(
                ko="선택한 대상이 목표 인원보다 많습니다.",
                en="More relatives were chosen than the target size.",
                field="seeking_ids",
            )
    else:
        chosen, seen = [], set()
        for s in eligible.iterator(chunk_size=2000):
            if s.sought_id in seen:
                continue
            seen.add(s.sought_id)
            chosen.append(s)
            if len(chosen) == target_size:
                break
    if not chosen:
        raise invalid(
            ko="요청할 수 있는 대상이 없습니다.",
            en="No relative sought is eligible for a request list.",
            field="seeking_ids",
        )
    tracing_round = TracingRound(
        name=name, target_size=target_size, reply_due=reply_due, created_by=actor
    )
    tracing_round.full_clean()
    tracing_round.save()
    TracingRequest.objects.bulk_create(
        TracingRequest(
            round=tracing_round,
            seeking=s,
            seq=n,
            request_id=f"T{tracing_round.pk:03d}-{n:04d}",
        )
        for n, s in enumerate(chosen, 1)
    )
    audit.record(
        actor=actor,
        action="families.round.create",
        obj=tracing_round,
        changes={"target_size": target_size, "requests": len(chosen)},
    )
    return tracing_round


@transaction.atomic
def round_send(*, actor: User, tracing_round: TracingRound) -> TracingRound:
    """The request list goes to the other side: from now on it is fixed and they can see it."""
    require_authenticated(actor)
    require(can_edit_registry(actor))
    tracing_round = TracingRound.objects.select_for_update().get(pk=tracing_round.pk)
    _transition(tracing_round, [RoundStatus.DRAFT], RoundStatus.SENT)
    tracing_round.status = RoundStatus.SENT
    tracing_round.sent_on = timezone.localdate()
    tracing_round.save(update_fields=["status", "sent_on"])
    audit.record(actor=actor, action="families.round.send", obj=tracing_round)

    manifest_post(
        actor=actor,
        list_kind="tracing",
        title=f"생사확인 의뢰 명단: {tracing_round.name}",
        items=[
            {"request_id": request_id}
            for request_id in tracing_round.requests.order_by("seq").values_list(
                "request_id", flat=True
            )
        ],
        source={"app": "families", "ref": f"tracing-round/{tracing_round.pk}"},
    )
    return tracing_round


def round_viewed(*, actor: User, tracing_round: TracingRound, what: str = "page") -> None:
    """A request list shows the persons sought: every look at it is in the audit log."""
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="families.round.view",
            obj=tracing_round,
            changes={"as": what, "requests": tracing_round.requests.count()},
        )


def requests_of(tracing_round: TracingRound) -> Any:
    return tracing_round.requests.select_related("seeking__sought", "seeking__applicant")


# --- the reply list ----------------------------------------------------------------------------


@dataclass
class ReplyRow:
    row: int
    values: dict[str, str]


def _cells(data: bytes | IO[bytes], filename: str) -> list[ReplyRow]:
    """The rows of a reply file (CSV in UTF-8 or CP949, or Excel), by header name; at most
    `registry_file.columns.MAX_ROWS` of them."""
    try:
        table = read_table(data, filename=filename, max_rows=columns.MAX_ROWS)
    except SpreadsheetError as err:
        raise _invalid(filename, err.problems) from err
    while table and not any(c.strip() for c in table[-1]):
        table.pop()
    if not table:
        raise DomainError.from_findings(
            [Finding("reply_file_empty", ko="빈 파일", en="empty file", file=filename, row=1)],
            ko=f"{filename}: 빈 파일입니다.",
            en=f"{filename}: the file is empty.",
            file=filename,
        )
    header = [h.strip().lower() for h in table[0]]
    problems: list[Finding] = []
    seen: set[str] = set()
    for h in header:
        if h and h not in REPLY_COLUMNS:
            problems.append(
                Finding(
                    "reply_column_unknown",
                    ko="알 수 없는 열입니다",
                    en="unknown column",
                    file=filename,
                    row=1,
                    field=h,
                )
            )
        if h and h in seen:
            problems.append(
                Finding(
                    "reply_column_twice",
                    ko="열 이름이 두 번 나옵니다",
                    en="column appears twice",
                    file=filename,
                    row=1,
                    field=h,
                )
            )
        seen.add(h)
    if "result" not in header:
        problems.append(
            Finding(
                "reply_column_missing",
                ko="필수 열이 없습니다",
                en="required column missing",
                file=filename,
                row=1,
                field="result",
            )
        )
    if problems:
        raise _invalid(filename, problems)
    rows = []
    for number, cells in enumerate(table[1:], 2):
        values = {
            h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h
        }
        if not any(v for h, v in values.items() if h != "request_id"):
            continue  # blank, or a request id of the reply form left unanswered
        rows.append(ReplyRow(number, values))
    return rows


def _invalid(filename: str, problems: list[Finding]) -> DomainError:
    return DomainError.from_findings(
        problems,
        ko=f"{filename}: {len(problems)}개의 문제가 있어 아무것도 저장하지 않았습니다.",
        en=f"{filename}: {len(problems)} problem(s); nothing was written.",
        file=filename,
    )


def _clean_reply(
    row: ReplyRow, filename: str, request_ids: set[str], problems: list[Finding]
) -> dict[str, Any]:
    v = {k: row.values.get(k, "") for k in REPLY_COLUMNS}

    def bad(field: str, *, ko: str, en: str) -> None:
        problems.append(
            Finding("reply_value_invalid", ko=ko, en=en, file=filename, row=row.row, field=field)
        )

    for name, limit in LIMITS.items():
        if len(v[name]) > limit:
            bad(name, ko=f"{limit}자를 넘습니다", en=f"longer than {limit} characters")
        if "\x00" in v[name]:
            bad(name, ko="NUL 문자를 쓸 수 없습니다", en="must not contain NUL characters")
    result = RESULTS.get(v["result"].lower())
    if result is None:
        bad("result", ko="found 또는 not_found여야 합니다", en="must be found or not_found")
    vital = VITAL.get(v["vital_status"].lower())
    if vital is None:
        bad(
            "vital_status",
            ko="alive, deceased, unknown 중 하나여야 합니다",
            en="must be alive, deceased or unknown",
        )
    if result == "not_found" and vital not in (None, "unknown"):
        bad(
            "vital_status",
            ko="찾지 못한 사람의 생사는 적을 수 없습니다",
            en="a person not found has no alive/deceased status",
        )
    if v["death_date"] and vital != "deceased":
        bad("death_date", ko="사망한 경우에만 적습니다", en="only for a deceased person")
    sex = SEXES.get(v["sex"].lower())
    if sex is None:
        bad("sex", ko="M, F, X 중 하나여야 합니다", en="must be M, F or X")
    calendar = CALENDARS.get(v["birth_calendar"].lower())
    if calendar is None:
        bad("birth_calendar", ko="solar 또는 lunar여야 합니다", en="must be solar or lunar")
    for name in ("birth_date", "death_date"):
        if v[name]:
            try:
                v[name] = str(
                    parse_partial_date(
                        v[name],
                        _calendar(calendar or "") if name == "birth_date" else Calendar.UNKNOWN,
                    )
                )
            except ValueError:
                bad(
                    name,
                    ko="날짜가 아닙니다 (YYYY, YYYY-MM, YYYY-MM-DD)",
                    en="not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                )
    if v["request_id"] and v["request_id"] not in request_ids:
        bad("request_id", ko="이 회차의 의뢰번호가 아닙니다", en="not a request id of this round")
    return {
        **{
            k: v[k]
            for k in REPLY_COLUMNS
            if k not in ("request_id", "result", "vital_status", "sex", "birth_calendar")
        },
        "given_request_id": v["request_id"],
        "result": result or "",
        "vital_status": vital or "unknown",
        "sex": sex or "",
        "birth_calendar": calendar or "",
    }


def _can_take_replies(actor: User, tracing_round: TracingRound) -> TracingRound:
    require_authenticated(actor)
    require(can_enter_replies(actor))
    tracing_round = TracingRound.objects.select_for_update().get(pk=tracing_round.pk)
    _transition(tracing_round, [RoundStatus.SENT, RoundStatus.REPLIED], RoundStatus.REPLIED)
    return tracing_round


# A reply file of more than this many bytes is read by a job (`families.reply_import`, started
# by the round's page), with its progress; a smaller one at once.
REPLY_JOB_BYTES = 256 * 1024
# Rows named in a problem of a request id given more than once.
SHOWN_ROWS = 10


def _given_twice(cleaned: list[tuple[int, dict[str, Any]]], filename: str) -> list[Finding]:
    """A problem for each request id that more than one row gives (one pass over the rows)."""
    rows_of: dict[str, list[int]] = {}
    for number, c in cleaned:
        if c["given_request_id"]:
            rows_of.setdefault(c["given_request_id"], []).append(number)
    problems = []
    for rows in rows_of.values():
        if len(rows) > 1:
            shown = rows[:SHOWN_ROWS]
            more = f", … +{len(rows) - SHOWN_ROWS}" if len(rows) > SHOWN_ROWS else ""
            problems.append(
                Finding(
                    "reply_request_id_twice",
                    ko=f"의뢰번호가 두 번 나옵니다 (행 {shown}{more})",
                    en=f"request id given twice (rows {shown}{more})",
                    file=filename,
                    row=rows[1],
                    field="request_id",
                )
            )
    return problems


def _checked_replies(
    rows: list[ReplyRow], filename: str, request_ids: set[str], progress: Any = None
) -> list[tuple[int, dict[str, Any]]]:
    """Every row checked (each in its own right, then a request id given twice), in one pass;
    DomainError with every problem."""
    problems: list[Finding] = []
    if progress is not None:
        progress.start(len(rows), "검사 / checking")
    cleaned = []
    for done, r in enumerate(rows, 1):
        cleaned.append((r.row, _clean_reply(r, filename, request_ids, problems)))
        if progress is not None and done % 1000 == 0:
            progress.advance(1000)
    problems += _given_twice(cleaned, filename)
    if problems:
        raise _invalid(filename, problems)
    return cleaned


def _request_ids(tracing_round: TracingRound) -> set[str]:
    return set(tracing_round.requests.values_list("request_id", flat=True))


def reply_import(
    *,
    actor: User,
    tracing_round: TracingRound,
    data: bytes | IO[bytes],
    filename: str,
    dry_run: bool = False,
    progress: Any = None,
) -> dict[str, int]:
    """The other side's reply list, all of it or nothing; every row linked to its request.

    `data` is the file's bytes or a binary file that can seek. A file larger than the registry
    import takes (`registry_file.columns.MAX_FILE_BYTES`) or with more than `MAX_ROWS` rows is
    refused by its name. The file is read and every row checked before the round is
    locked (a round that is sent keeps its requests: they cannot change meanwhile); the lock is
    held for the writing alone."""
    require_authenticated(actor)
    require(can_enter_replies(actor))
    source = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    size = source.seek(0, io.SEEK_END)
    if size > columns.MAX_FILE_BYTES:
        problem = columns.file_too_large(filename, size)
        raise _invalid(filename, [problem])
    rows = _cells(source, filename)
    tracing_round = TracingRound.objects.get(pk=tracing_round.pk)  # as it is now
    _transition(tracing_round, [RoundStatus.SENT, RoundStatus.REPLIED], RoundStatus.REPLIED)
    cleaned = _checked_replies(rows, filename, _request_ids(tracing_round), progress)
    if dry_run:
        return {"rows": len(cleaned)}
    digest = hashlib.sha256()
    source.seek(0)
    while chunk := source.read(1 << 20):
        digest.update(chunk)
    if progress is not None:
        progress.start(1, "저장 / writing")
    with transaction.atomic():
        tracing_round = _can_take_replies(actor, tracing_round)
        counts = _store_replies(actor, tracing_round, cleaned)
        audit.record(
            actor=actor,
            action="families.round.reply_import",
            obj=tracing_round,
            changes={**counts, "file": filename, "sha256": digest.hexdigest()},
        )
    return counts


def reply_import_job(*, job: Any, progress: Any) -> dict[str, Any]:
    """The job `families.reply_import` (registered `atomic=False`): the stored upload read and
    checked outside any transaction, then written in one; the upload removed once read."""

    def read(source: IO[bytes]) -> dict[str, Any]:
        # Who started the job may still take this round's replies (404 or 403 otherwise).
        tracing_round = get_round_for_replies(job.created_by, job.params["round"])
        return reply_import(
            actor=job.created_by,
            tracing_round=tracing_round,
            data=source,
            filename=job.params["filename"],
            dry_run=job.params["dry_run"],
            progress=progress,
        )

    return upload_job(job, read)


def reply_import_params(params: dict[str, Any]) -> dict[str, Any]:
    """The parameters of the job `families.reply_import`: the round, the stored upload
    (`uploads`), the file's name and whether only to check it."""

    unknown = sorted(set(params) - {"round", "upload", "filename", "dry_run"})
    if unknown:
        names = ", ".join(map(str, unknown))
        raise invalid(
            ko=f"알 수 없는 매개변수입니다: {names}",
            en=f"Unknown parameters: {names}",
            field="params",
        )
    number = params.get("round")
    if not isinstance(number, int) or isinstance(number, bool):
        raise invalid(
            ko="회차 번호가 없습니다.", en="The round's number is missing.", field="round"
        )
    filename = params.get("filename")
    if not isinstance(filename, str) or not filename.strip():
        raise invalid(
            ko="파일 이름이 없습니다.", en="The file's name is missing.", field="filename"
        )
    return {
        "round": number,
        "upload": check_upload_name(params.get("upload")),
        "filename": filename.strip()[:200],
        "dry_run": params.get("dry_run") is True,
    }


@transaction.atomic
def reply_enter(
    *, actor: User, tracing_round: TracingRound, values: dict[str, str]
) -> TracingReply:
    """One reply typed in by an officer (the other side's, in Panmun)."""
    tracing_round = _can_take_replies(actor, tracing_round)
    request_ids = set(tracing_round.requests.values_list("request_id", flat=True))
    problems: list[Finding] = []
    row = (tracing_round.replies.order_by("-row").values_list("row", flat=True).first() or 1) + 1
    cleaned = _clean_reply(ReplyRow(row, values), "form", request_ids, problems)
    if problems:
        raise DomainError.from_findings(
            problems, ko="입력에 문제가 있습니다.", en="The reply has problems."
        )
    _store_replies(actor, tracing_round, [(row, cleaned)])
    reply = tracing_round.replies.get(row=row)
    audit.record(
        actor=actor, action="families.round.reply_enter", obj=tracing_round, changes={"row": row}
    )
    return reply


def _store_replies(
    actor: User, tracing_round: TracingRound, cleaned: list[tuple[int, dict[str, Any]]]
) -> dict[str, int]:
    """Save the rows (a row number again replaces the earlier row) and link the new ones."""
    tracing_round.replies.filter(row__in=[n for n, _ in cleaned]).delete()
    by_id = {r.request_id: r for r in tracing_round.requests.all()}
    replies = []
    for number, c in cleaned:
        reply = TracingReply(round=tracing_round, row=number, entered_by=actor, **c)
        if reply.given_request_id:
            reply.request = by_id[reply.given_request_id]
            reply.link_state = LinkState.GIVEN
        else:
            reply.link_state = LinkState.UNMATCHED
        replies.append(reply)
    TracingReply.objects.bulk_create(replies)
    link_replies(tracing_round)
    doubt_links(tracing_round, [n for n, _ in cleaned])
    if tracing_round.status == RoundStatus.SENT:
        tracing_round.status = RoundStatus.REPLIED
        tracing_round.replied_on = timezone.localdate()
        tracing_round.save(update_fields=["status", "replied_on"])
    states = {
        row["link_state"]: row["n"]
        for row in tracing_round.replies.values("link_state").annotate(n=Count("pk"))
    }
    return {"rows": len(cleaned), **states}


def _birth(text: str, calendar: str) -> Any:
    if not text:
        return None
    try:
        return parse_partial_date(text, _calendar(calendar))
    except ValueError:
        return None


def _calendar(text: str) -> Calendar:
    return Calendar(text) if text in ("solar", "lunar") else Calendar.UNKNOWN


def linkage_record(
    record_id: str, source: Any, *, birthplace: str, latin: str = ""
) -> PersonRecord:
    """What the linkage engine compares of a person or a reply row (`source` has the name,
    sex, birth and father's name fields of `Person`)."""
    return PersonRecord(
        record_id=record_id,
        family_name=source.family_name,
        given_name=source.given_name,
        name_latin=source.name_latin or latin,
        sex=source.sex if source.sex in ("M", "F") else "",
        birth=_birth(source.birth_date, source.birth_calendar),
        birth_calendar=_calendar(source.birth_calendar),
        birthplace=birthplace,
        father_name=source.father_name,
    )


def request_record(request: TracingRequest) -> PersonRecord:
    sought: Person = request.seeking.sought
    return linkage_record(request.request_id, sought, birthplace=sought.hometown)


def reply_record(reply: TracingReply) -> PersonRecord:
    return linkage_record(f"row-{reply.row}", reply, birthplace=reply.birthplace)


def link_replies(tracing_round: TracingRound) -> int:
    """Link the reply rows without a request to the requests nobody has answered yet.

    The engine trains on the round's two lists, taking the rows that came with a request id
    as labelled pairs; each row keeps at most its most probable request. At `CONFIDENT` or
    above the link is proposed, between `CANDIDATE` and it the row goes to review with its
    best candidate; below, the row stays unmatched (an officer may still link it by hand)."""
    # Splink brings DuckDB and pandas: loaded when replies are linked, not with every page.
    from panmun.linkage import engine  # noqa: PLC0415

    named = ~Q(family_name="", given_name="", name_latin="")
    replies = list(tracing_round.replies.filter(named, link_state=LinkState.UNMATCHED))
    if not replies:
        return 0
    answered = set(
        tracing_round.replies.exclude(request=None)
        .exclude(link_state=LinkState.REJECTED)
        .values_list("request_id", flat=True)
    )
    requests = [r for r in requests_of(tracing_round) if r.pk not in answered]
    if not requests:
        return 0
    labels = [
        (r.request.request_id, f"row-{r.row}")
        for r in tracing_round.replies.filter(
            link_state__in=[LinkState.GIVEN, LinkState.CONFIRMED]
        ).select_related("request")
        if r.request is not None  # always: a given or confirmed link names its request
    ]
    train_left = [request_record(r) for r in requests_of(tracing_round)]
    train_right = [reply_record(r) for r in tracing_round.replies.filter(named)]
    model = engine.train(train_left, train_right, labels=labels)
    pairs = engine.link(
        [request_record(r) for r in requests],
        [reply_record(r) for r in replies],
        model=model,
        threshold=CANDIDATE,
        explain=True,
    )
    by_row = {f"row-{r.row}": r for r in replies}
    by_request = {r.request_id: r for r in requests}
    for pair in pairs:
        reply = by_row[pair.right_id]
        reply.request = by_request[pair.left_id]
        reply.match_probability = pair.match_probability
        reply.explanation = pair.explanation.to_dict() if pair.explanation else {}
        reply.link_state = (
            LinkState.PROPOSED if pair.match_probability >= CONFIDENT else LinkState.REVIEW
        )
    TracingReply.objects.bulk_update(
        replies, ["request", "match_probability", "explanation", "link_state"]
    )
    return len(pairs)


# --- replies not taken on trust -----------------------------------------------------------------


def _squash(text: str) -> str:
    return "".join(nfc(text or "").split())


def _is_hangul(text: str) -> bool:
    return any(is_syllable(c) for c in text)


def _name_parts(family: str, given: str, full: str = "") -> tuple[str, str]:
    family, given = _squash(family), _squash(given)
    if not family and not given and _is_hangul(full):
        try:
            return split_full_name(_squash(full))
        except ValueError:
            return "", _squash(full)
    return family, given


def _names_differ(answered: tuple[str, str], asked: tuple[str, str]) -> bool:
    """Whether two names are two people's, part by part where both sides give it. In Hangul
    both are read in the South's spelling, so the North's 리선권, 류영희, 로동수 are the same as
    이선권, 유영희, 노동수; any other syllable counts (송덕선 is not 송덕순). A name in Latin
    letters is compared by its romanization-neutral key."""
    pairs = [(a, b) for a, b in zip(answered, asked, strict=True) if a and b]
    if all(_is_hangul(a) and _is_hangul(b) for a, b in pairs):
        return any(south_form(a) != south_form(b) for a, b in pairs)
    keys_a, keys_b = person_keys(*answered), person_keys(*asked)
    return any(
        x and y and x != y
        for x, y, (a, b) in zip(
            (keys_a.family_key, keys_a.given_key),
            (keys_b.family_key, keys_b.given_key),
            ((answered[0], asked[0]), (answered[1], asked[1])),
            strict=True,
        )
        if a and b
    )


def _doubt(code: str, ko: str, en: str) -> dict[str, str]:
    return {"code": code, "ko": ko, "en": en}


def _name_doubt(reply: TracingReply, sought: Person) -> dict[str, str] | None:
    answered = _name_parts(reply.family_name, reply.given_name)
    asked = _name_parts(sought.family_name, sought.given_name, sought.full_name)
    if any(answered) and any(asked):
        differs = _names_differ(answered, asked)
    elif reply.name_latin and (any(asked) or sought.name_latin):
        mine = person_keys("", "", reply.name_latin).name_key
        theirs = person_keys(*asked, sought.name_latin).name_key
        differs = bool(mine and theirs and mine != theirs)
    else:
        return None  # the reply names nobody: nothing to compare
    if not differs:
        return None
    a, b = sought.display_name, reply.display_name
    return _doubt(
        "name",
        f"이름이 다릅니다: 의뢰한 사람은 {a}, 회신의 이름은 {b}입니다.",
        f"The name differs: the request asks for {a}, the reply names {b}.",
    )


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return following - dt.timedelta(days=1)


def _solar_reading(p: PartialDate) -> tuple[dt.date, dt.date] | None:
    try:
        if p.month is None:
            return dt.date(p.year, 1, 1), dt.date(p.year, 12, 31)
        if p.day is None:
            return dt.date(p.year, p.month, 1), _month_end(p.year, p.month)
        day = dt.date(p.year, p.month, p.day)
    except ValueError:
        return None
    return day, day


def _lunar_reading(p: PartialDate) -> tuple[dt.date, dt.date] | None:

    try:
        if p.month is None:
            start = lunar_to_solar(p.year, 1, 1)
            return start, lunar_to_solar(p.year + 1, 1, 1) - dt.timedelta(days=1)
        leap = leap_month_of(p.year) == p.month
        if p.day is None:
            start = lunar_to_solar(p.year, p.month, 1)
            end = lunar_to_solar(p.year, p.month, 1, leap_month=leap) + dt.timedelta(days=29)
            return start, end
        day = lunar_to_solar(p.year, p.month, p.day)
        later = lunar_to_solar(p.year, p.month, p.day, leap_month=True) if leap else day
    except ValueError:
        return None
    return day, later


def solar_span(text: str, calendar: str) -> tuple[dt.date, dt.date] | None:
    """The earliest and the latest solar day a recorded birth date may mean: a year or a month
    is a span, a lunar date is converted, and a date of unknown calendar may be either."""
    if not text:
        return None
    try:
        partial = parse_partial_date(text)
    except ValueError:
        return None
    cal = _calendar(calendar)
    readings = []
    if cal in (Calendar.SOLAR, Calendar.UNKNOWN):
        readings.append(_solar_reading(partial))
    if cal in (Calendar.LUNAR, Calendar.UNKNOWN):
        readings.append(_lunar_reading(partial))
    spans = [r for r in readings if r is not None]
    if not spans:
        return None
    return min(a for a, _ in spans), max(b for _, b in spans)


def _shown_date(text: str, calendar: str, language: str) -> str:
    if calendar == "lunar":
        return f"{text} (음력)" if language == "ko" else f"{text} (lunar)"
    return text


def _birth_doubt(reply: TracingReply, sought: Person) -> dict[str, str] | None:
    answered = solar_span(reply.birth_date, reply.birth_calendar)
    asked = solar_span(sought.birth_date, sought.birth_calendar)
    if answered is None or asked is None:
        return None
    if answered[1] >= asked[0] and asked[1] >= answered[0]:
        return None  # the two may be the same day
    a_ko, b_ko = (
        _shown_date(sought.birth_date, sought.birth_calendar, "ko"),
        _shown_date(reply.birth_date, reply.birth_calendar, "ko"),
    )
    a_en, b_en = (
        _shown_date(sought.birth_date, sought.birth_calendar, "en"),
        _shown_date(reply.birth_date, reply.birth_calendar, "en"),
    )
    return _doubt(
        "birth_date",
        f"생년월일이 다릅니다: 의뢰 {a_ko}, 회신 {b_ko}.",
        f"The birth date differs: asked {a_en}, answered {b_en}.",
    )


SEX_WORDS = {"M": ("남", "male"), "F": ("여", "female")}


def _sex_doubt(reply: TracingReply, sought: Person) -> dict[str, str] | None:
    if reply.sex not in SEX_WORDS or sought.sex not in SEX_WORDS or reply.sex == sought.sex:
        return None
    (asked_ko, asked_en), (answered_ko, answered_en) = SEX_WORDS[sought.sex], SEX_WORDS[reply.sex]
    return _doubt(
        "sex",
        f"성별이 다릅니다: 의뢰 {asked_ko}, 회신 {answered_ko}.",
        f"The sex differs: asked {asked_en}, answered {answered_en}.",
    )


def _age_doubt(reply: TracingReply, sought: Person, on: dt.date) -> dict[str, str] | None:
    if reply.result != ReplyResult.FOUND or reply.vital_status != VitalStatus.ALIVE:
        return None
    if reply.birth_date:
        span = solar_span(reply.birth_date, reply.birth_calendar)
    else:
        span = solar_span(sought.birth_date, sought.birth_calendar)
    if span is None or span[1] > on:
        return None
    youngest = age_on(span[1], on)  # born as late as the record allows
    if youngest <= MAX_PLAUSIBLE_AGE:
        return None
    return _doubt(
        "age",
        f"생존으로 회신되었으나 {on.isoformat()} 기준 만 {youngest}세 이상입니다 "
        f"({MAX_PLAUSIBLE_AGE}세를 넘는 생존은 매우 드뭅니다).",
        f"Answered alive, but would be at least {youngest} on {on.isoformat()} "
        f"(alive past {MAX_PLAUSIBLE_AGE} is very rare).",
    )


def reply_doubts(
    reply: TracingReply, sought: Person, *, on: dt.date, engine_linked: bool = False
) -> list[dict[str, str]]:
    """Why a reply linked to the request for `sought` should not be taken as it is, each reason
    as {"code", "ko", "en"}: its name is someone else's (in either side's spelling), its birth
    date or sex differ, or it says "alive" of someone older than `MAX_PLAUSIBLE_AGE` on `on`.
    A link the engine made (`engine_linked`) has already weighed the birth date and sex; its
    name is still compared, as the engine's keys do not tell 덕순 from 덕선."""
    checks = [_name_doubt(reply, sought)]
    if not engine_linked:
        checks += [_birth_doubt(reply, sought), _sex_doubt(reply, sought)]
    checks.append(_age_doubt(reply, sought, on))
    return [d for d in checks if d is not None]


def doubt_links(tracing_round: TracingRound, rows: list[int]) -> int:
    """Check the reply rows just stored against the requests they are linked to: a doubtful
    link, given or proposed, goes to review with its reasons. Returns how many were doubted."""
    on = tracing_round.replied_on or timezone.localdate()
    replies = (
        tracing_round.replies.filter(
            row__in=rows,
            link_state__in=[LinkState.GIVEN, LinkState.PROPOSED, LinkState.REVIEW],
        )
        .exclude(request=None)
        .select_related("request__seeking__sought")
    )
    doubted = []
    for reply in replies:
        request = reply.request
        assert request is not None  # excluded above
        doubts = reply_doubts(
            reply, request.seeking.sought, on=on, engine_linked=reply.link_state != LinkState.GIVEN
        )
        if doubts:
            reply.doubts = doubts
            reply.link_state = LinkState.REVIEW
            doubted.append(reply)
    TracingReply.objects.bulk_update(doubted, ["doubts", "link_state"])
    return len(doubted)


@transaction.atomic
def reply_review(
    *, actor: User, reply: TracingReply, accept: bool, request: TracingRequest | None = None
) -> TracingReply:
    """An officer confirms the engine's link (or links the row to `request`), or rejects it."""
    require_authenticated(actor)
    require(can_edit_registry(actor))
    reply = TracingReply.objects.select_for_update().select_related("round").get(pk=reply.pk)
    _transition(reply.round, [RoundStatus.REPLIED], "reviewed")
    before = {"request": reply.request_id, "state": reply.link_state}
    if accept:
        target = request or reply.request
        if target is None or target.round_id != reply.round_id:
            raise invalid(
                ko="연결할 의뢰를 고르십시오.",
                en="Choose the request this reply answers.",
                field="request",
            )
        taken = (
            reply.round.replies.filter(request=target)
            .exclude(pk=reply.pk)
            .exclude(link_state__in=[LinkState.REJECTED, LinkState.UNMATCHED])
        )
        if taken.exists():
            raise DomainError(
                ErrorCode.CONFLICT,
                f"의뢰 {target.request_id}에는 이미 다른 회신이 연결되어 있습니다.",
                f"Request {target.request_id} is already answered by another reply row.",
                {"field": "request"},
            )
        reply.request, reply.link_state = target, LinkState.CONFIRMED
    else:
        reply.link_state = LinkState.REJECTED
    reply.reviewed_by = actor
    reply.save(update_fields=["request", "link_state", "reviewed_by"])
    labels.reply_review_label(actor=actor, reply=reply, same=accept)
    audit.record(
        actor=actor,
        action="families.reply.review",
        obj=reply.round,
        changes={
            "row": reply.row,
            "before": before,
            "request": reply.request_id,
            "state": reply.link_state,
        },
    )
    return reply


@dataclass(frozen=True)
class ApplyPreview:
    """What applying a round will do, as the officer confirms it and the supervisor approves it
    (the approval holds while these figures are unchanged)."""

    requests: int
    answered: int
    found_alive: int
    found_deceased: int
    found_unknown: int
    not_found: int
    unanswered: int
    status_changes: int  # persons whose status (or date of death) the registry changes
    notes: int  # notes added to persons, one per answer
    unmatched_rows: int  # reply rows that answer no request and are not applied

    def lines(self) -> list[dict[str, str]]:
        return [
            {
                "ko": f"의뢰 {self.requests}건 중 {self.answered}건에 회신이 있습니다.",
                "en": f"{self.answered} of {self.requests} requests answered.",
            },
            {
                "ko": f"생존 확인 {self.found_alive}명, 사망 확인 {self.found_deceased}명, "
                f"생사 미기재 {self.found_unknown}명, 찾지 못함 {self.not_found}명.",
                "en": f"Found alive: {self.found_alive}; found deceased: {self.found_deceased}; "
                f"found without alive or deceased: {self.found_unknown}; "
                f"not found: {self.not_found}.",
            },
            {
                "ko": f"회신 없음 {self.unanswered}건.",
                "en": f"Unanswered: {self.unanswered}.",
            },
            {
                "ko": f"등록부에서 생사가 바뀌는 기록 {self.status_changes}건, "
                f"인물에 덧붙는 메모 {self.notes}건.",
                "en": f"Registry records whose status changes: {self.status_changes}; "
                f"notes added to persons: {self.notes}.",
            },
        ]

    def warnings(self) -> list[dict[str, str]]:
        out = []
        if self.unanswered:
            out.append(
                {
                    "ko": f"의뢰 {self.requests}건 중 {self.unanswered}건은 회신이 없습니다. "
                    "이들의 생사는 미상으로 남습니다.",
                    "en": f"{self.unanswered} of {self.requests} requests unanswered: "
                    "their fate stays unknown.",
                }
            )
        if self.found_unknown:
            out.append(
                {
                    "ko": f"찾았으나 생사를 적지 않은 회신 {self.found_unknown}건은 생사를 "
                    "바꾸지 않습니다.",
                    "en": f"{self.found_unknown} answer(s) found the person but say neither "
                    "alive nor deceased: their status is not changed.",
                }
            )
        if self.unmatched_rows:
            out.append(
                {
                    "ko": f"어느 의뢰에도 연결되지 않은 회신 {self.unmatched_rows}건은 "
                    "반영되지 않습니다.",
                    "en": f"{self.unmatched_rows} reply row(s) answer no request and are "
                    "not applied.",
                }
            )
        return out

    def summary(self) -> dict[str, Any]:
        """The facts a 결재 is given on (`accounts.signoffs`)."""
        return {"lines": self.lines(), **dataclasses.asdict(self)}


def _new_status(reply: TracingReply) -> tuple[str, str] | None:
    """The status and date of death an answer writes, if it writes one."""
    if reply.result != ReplyResult.FOUND:
        return None
    if reply.vital_status == VitalStatus.ALIVE:
        return VitalStatus.ALIVE, ""
    if reply.vital_status == VitalStatus.DECEASED:
        return VitalStatus.DECEASED, reply.death_date
    return None


def _linked_replies(tracing_round: TracingRound) -> QuerySet[TracingReply]:
    return tracing_round.replies.filter(link_state__in=LINKED).select_related(
        "request__seeking__sought"
    )


def apply_preview(tracing_round: TracingRound) -> ApplyPreview:
    """What `round_apply` would write now."""
    report = round_report(tracing_round)
    changes = notes = 0
    for reply in _linked_replies(tracing_round):
        notes += 1
        new = _new_status(reply)
        person = reply.request.seeking.sought  # type: ignore[union-attr]
        if new is not None and new != (person.status, person.death_date):
            changes += 1
    return ApplyPreview(
        requests=report.sent,
        answered=report.answered,
        found_alive=report.found_alive,
        found_deceased=report.found_deceased,
        found_unknown=report.found_unknown,
        not_found=report.not_found,
        unanswered=report.unanswered,
        status_changes=changes,
        notes=notes,
        unmatched_rows=report.unmatched_rows,
    )


def _ready_to_apply(tracing_round: TracingRound) -> None:
    _transition(tracing_round, [RoundStatus.REPLIED], RoundStatus.APPLIED)
    waiting = tracing_round.replies.filter(link_state=LinkState.REVIEW).count()
    if waiting:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"검토하지 않은 연결이 {waiting}건 있습니다.",
            f"{waiting} link(s) still wait for review.",
            {"review": waiting},
        )


@transaction.atomic
def round_apply_request(
    *, actor: User, tracing_round: TracingRound, note: str = "", link: str = ""
) -> SignOff:
    """Ask a supervisor of the side to approve applying the round (결재), on the figures of
    `apply_preview`: once the replies or the registry change, the approval no longer holds."""
    require_authenticated(actor)
    require(can_edit_registry(actor))
    tracing_round = TracingRound.objects.select_for_update().get(pk=tracing_round.pk)
    _ready_to_apply(tracing_round)
    return signoffs.signoff_request(
        actor=actor,
        action=APPLY_STEP,
        obj=tracing_round,
        summary=apply_preview(tracing_round).summary(),
        link=link,
        note=note,
    )


def round_apply_check(*, actor: User, tracing_round: TracingRound) -> ApplyPreview:
    """Whether the round can be applied now, by this officer, with the approval held: what it
    will do, or the refusal `round_apply` would give. Writes nothing."""
    require_authenticated(actor)
    require(can_edit_registry(actor))
    _ready_to_apply(tracing_round)
    preview = apply_preview(tracing_round)
    current = signoffs.signoff_open(APPLY_STEP, tracing_round)
    if current is None or current.state != SignOffState.APPROVED:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "회보 반영은 결재(다른 감독관의 승인)를 받아야 진행할 수 있습니다.",
            "Applying the answers needs the approval of a supervisor (결재) first.",
            {"signoff": current.state if current else "none", "action": APPLY_STEP},
        )
    if current.basis != signoffs.basis_of(preview.summary()):
        raise DomainError(
            ErrorCode.CONFLICT,
            "결재 뒤에 회보나 등록부가 바뀌었습니다. 요청을 거두고 다시 결재를 받으십시오.",
            "The replies or the registry changed after the approval. Withdraw the request "
            "and ask again.",
            {"approved": current.summary, "now": preview.summary()},
        )
    return preview


@transaction.atomic
def round_apply(*, actor: User, tracing_round: TracingRound) -> dict[str, int]:
    """Write the reviewed answers to the registry, all in one transaction: a relative found
    alive becomes alive, one found deceased becomes deceased with the date of death (and the
    person remembers the round that said so), and every answer is kept as a note on the person
    (what the other side said, and their relatives). Needs the approval (결재) asked for with
    `round_apply_request`, given on the figures that still hold."""
    require_authenticated(actor)
    require(can_edit_registry(actor))
    tracing_round = TracingRound.objects.select_for_update().get(pk=tracing_round.pk)
    _ready_to_apply(tracing_round)
    signoffs.signoff_use(
        actor=actor,
        action=APPLY_STEP,
        obj=tracing_round,
        summary=apply_preview(tracing_round).summary(),
    )
    today = timezone.localdate()
    counts = {"alive": 0, "deceased": 0, "not_found": 0}
    for reply in _linked_replies(tracing_round):
        person = reply.request.seeking.sought  # type: ignore[union-attr]
        new = _new_status(reply)
        if new is not None:
            if new != (person.status, person.death_date):
                person.status, person.death_date = new
                person.status_round, person.status_changed_on = tracing_round, today
                person.save(
                    update_fields=[
                        "status",
                        "death_date",
                        "status_round",
                        "status_changed_on",
                        "updated_at",
                    ]
                )
            counts[reply.vital_status] += 1
        elif reply.result == ReplyResult.NOT_FOUND:
            counts["not_found"] += 1
        PersonNote.objects.create(
            person=person,
            status={"alive": "believed_alive", "deceased": "believed_dead"}.get(
                reply.vital_status, ""
            )
            if reply.result == ReplyResult.FOUND
            else "believed_missing",
            author_name=f"생사확인 회신 / tracing reply: {tracing_round.name}",
            last_known_location=reply.address,
            text="\n".join(
                t
                for t in (
                    f"{reply.request.request_id}: {reply.get_result_display()}",  # type: ignore[union-attr]
                    reply.display_name,
                    reply.birth_date,
                    reply.birthplace,
                    reply.relatives,
                )
                if t
            ),
            entry_date=timezone.now(),
        )
    tracing_round.status = RoundStatus.APPLIED
    tracing_round.applied_at = timezone.now()
    tracing_round.save(update_fields=["status", "applied_at"])
    audit.record(actor=actor, action="families.round.apply", obj=tracing_round, changes=counts)
    return counts
