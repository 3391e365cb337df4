"""Tracing rounds (생사확인 = tracing: confirming whether a relative is alive and where).

A round goes draft → sent → replied → applied:
1. `round_create` chooses the relatives sought (or takes the ones given) and numbers them with
   stable request ids (`T<round>-<n>`);
2. `round_send` freezes the request list that goes to the other side;
3. `reply_import` (a file) or `reply_enter` (a form, for the other side's officers) records the
   other side's answers; rows without a request id are linked to the requests by the linkage
   engine: links above `CONFIDENT` are proposed, the rest wait in the review queue;
4. `reply_review` confirms or rejects a link; `round_apply` writes the answers to the registry
   (statuses, deaths, a note with what the other side said) in one transaction;
5. `round_report` counts sent, answered, found alive, found deceased, not found.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import (
    can_edit_registry,
    can_enter_replies,
    require,
    require_authenticated,
)
from panmun.accounts.models import User
from panmun.errors import DomainError, ErrorCode
from panmun.korean.calendars import Calendar, parse_partial_date
from panmun.linkage.records import PersonRecord

from .. import documents, registry_file
from ..models import (
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

# A link the engine is at least this sure of is proposed; below it an officer decides.
CONFIDENT = 0.95
# Below this the engine's best candidate is not worth showing.
CANDIDATE = 0.01
MAX_ROUND_SIZE = 5000
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


def _bad(message_ko: str, message_en: str, **details: Any) -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, message_ko, message_en, details)


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
        raise _bad(
            "회차 이름은 1–200자여야 합니다.",
            "The round's name must be 1–200 characters.",
            field="name",
        )
    if not 1 <= target_size <= MAX_ROUND_SIZE:
        raise _bad(
            f"목표 인원은 1–{MAX_ROUND_SIZE}명이어야 합니다.",
            f"The target size must be 1–{MAX_ROUND_SIZE}.",
            field="target_size",
        )
    eligible = eligible_seekings(confirm_alive=confirm_alive)
    if seeking_ids is not None:
        chosen = list(eligible.filter(pk__in=seeking_ids))
        missing = sorted(set(seeking_ids) - {s.pk for s in chosen})
        if missing:
            raise _bad(
                f"요청할 수 없는 대상이 있습니다: {missing}",
                f"These relatives sought cannot be requested (not eligible or unknown): {missing}",
                field="seeking_ids",
                ids=missing,
            )
        if len(chosen) > target_size:
            raise _bad(
                "선택한 대상이 목표 인원보다 많습니다.",
                "More relatives were chosen than the target size.",
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
        raise _bad(
            "요청할 수 있는 대상이 없습니다.",
            "No relative sought is eligible for a request list.",
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
    from panmun.liaison.services.messages import manifest_post

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


def _cells(data: bytes, filename: str) -> list[ReplyRow]:
    """The rows of a reply file (CSV in UTF-8 or CP949, or Excel), by header name."""
    try:
        table = registry_file.read_table(data, filename=filename)
    except registry_file.RegistryFileError as err:
        raise _invalid(filename, [p.as_dict() for p in err.problems]) from err
    while table and not any(c.strip() for c in table[-1]):
        table.pop()
    if not table:
        raise _bad(
            f"{filename}: 빈 파일입니다.",
            f"{filename}: the file is empty.",
            file=filename,
            errors=[_problem(filename, 1, "", "빈 파일", "empty file")],
        )
    header = [h.strip().lower() for h in table[0]]
    problems = []
    for i, h in enumerate(header):
        if h and h not in REPLY_COLUMNS:
            problems.append(_problem(filename, 1, h, "알 수 없는 열입니다", "unknown column"))
        if h and header.index(h) != i:
            problems.append(
                _problem(filename, 1, h, "열 이름이 두 번 나옵니다", "column appears twice")
            )
    if "result" not in header:
        problems.append(
            _problem(filename, 1, "result", "필수 열이 없습니다", "required column missing")
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


def _problem(file: str, row: int, field: str, ko: str, en: str) -> dict[str, Any]:
    return {"file": file, "row": row, "field": field, "reason_ko": ko, "reason_en": en}


def _invalid(filename: str, problems: list[dict[str, Any]]) -> DomainError:
    return _bad(
        f"{filename}: {len(problems)}개의 문제가 있어 아무것도 저장하지 않았습니다.",
        f"{filename}: {len(problems)} problem(s); nothing was written.",
        file=filename,
        errors=problems,
    )


def _clean_reply(
    row: ReplyRow, filename: str, request_ids: set[str], problems: list[dict[str, Any]]
) -> dict[str, Any]:
    v = {k: row.values.get(k, "") for k in REPLY_COLUMNS}

    def bad(field: str, ko: str, en: str) -> None:
        problems.append(_problem(filename, row.row, field, ko, en))

    for name, limit in LIMITS.items():
        if len(v[name]) > limit:
            bad(name, f"{limit}자를 넘습니다", f"longer than {limit} characters")
        if "\x00" in v[name]:
            bad(name, "NUL 문자를 쓸 수 없습니다", "must not contain NUL characters")
    result = RESULTS.get(v["result"].lower())
    if result is None:
        bad("result", "found 또는 not_found여야 합니다", "must be found or not_found")
    vital = VITAL.get(v["vital_status"].lower())
    if vital is None:
        bad(
            "vital_status",
            "alive, deceased, unknown 중 하나여야 합니다",
            "must be alive, deceased or unknown",
        )
    if result == "not_found" and vital not in (None, "unknown"):
        bad(
            "vital_status",
            "찾지 못한 사람의 생사는 적을 수 없습니다",
            "a person not found has no alive/deceased status",
        )
    if v["death_date"] and vital != "deceased":
        bad("death_date", "사망한 경우에만 적습니다", "only for a deceased person")
    sex = SEXES.get(v["sex"].lower())
    if sex is None:
        bad("sex", "M, F, X 중 하나여야 합니다", "must be M, F or X")
    calendar = CALENDARS.get(v["birth_calendar"].lower())
    if calendar is None:
        bad("birth_calendar", "solar 또는 lunar여야 합니다", "must be solar or lunar")
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
                    "날짜가 아닙니다 (YYYY, YYYY-MM, YYYY-MM-DD)",
                    "not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                )
    if v["request_id"] and v["request_id"] not in request_ids:
        bad("request_id", "이 회차의 의뢰번호가 아닙니다", "not a request id of this round")
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


def reply_import(
    *, actor: User, tracing_round: TracingRound, data: bytes, filename: str, dry_run: bool = False
) -> dict[str, int]:
    """The other side's reply list, all of it or nothing; every row linked to its request."""
    rows = _cells(data, filename)
    with transaction.atomic():
        tracing_round = _can_take_replies(actor, tracing_round)
        request_ids = set(tracing_round.requests.values_list("request_id", flat=True))
        problems: list[dict[str, Any]] = []
        cleaned = [(r.row, _clean_reply(r, filename, request_ids, problems)) for r in rows]
        given = [c["given_request_id"] for _, c in cleaned if c["given_request_id"]]
        for rid in {g for g in given if given.count(g) > 1}:
            rows_of = [n for n, c in cleaned if c["given_request_id"] == rid]
            problems.append(
                _problem(
                    filename,
                    rows_of[1],
                    "request_id",
                    f"의뢰번호가 두 번 나옵니다 (행 {rows_of})",
                    f"request id given twice (rows {rows_of})",
                )
            )
        if problems:
            raise _invalid(filename, problems)
        if dry_run:
            return {"rows": len(cleaned)}
        counts = _store_replies(actor, tracing_round, cleaned)
        audit.record(
            actor=actor,
            action="families.round.reply_import",
            obj=tracing_round,
            changes={**counts, "file": filename, "sha256": hashlib.sha256(data).hexdigest()},
        )
    return counts


@transaction.atomic
def reply_enter(
    *, actor: User, tracing_round: TracingRound, values: dict[str, str]
) -> TracingReply:
    """One reply typed in by an officer (the other side's, in Panmun)."""
    tracing_round = _can_take_replies(actor, tracing_round)
    request_ids = set(tracing_round.requests.values_list("request_id", flat=True))
    problems: list[dict[str, Any]] = []
    row = (tracing_round.replies.order_by("-row").values_list("row", flat=True).first() or 1) + 1
    cleaned = _clean_reply(ReplyRow(row, values), "form", request_ids, problems)
    if problems:
        raise _bad(
            "입력에 문제가 있습니다.",
            "The reply has problems.",
            errors=problems,
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
    from panmun.linkage import engine

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
            raise _bad(
                "연결할 의뢰를 고르십시오.",
                "Choose the request this reply answers.",
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


LINKED = [LinkState.GIVEN, LinkState.PROPOSED, LinkState.CONFIRMED]


@transaction.atomic
def round_apply(*, actor: User, tracing_round: TracingRound) -> dict[str, int]:
    """Write the reviewed answers to the registry, all in one transaction: a relative found
    alive becomes alive, one found deceased becomes deceased with the date of death, and every
    answer is kept as a note on the person (what the other side said, and their relatives)."""
    require_authenticated(actor)
    require(can_edit_registry(actor))
    tracing_round = TracingRound.objects.select_for_update().get(pk=tracing_round.pk)
    _transition(tracing_round, [RoundStatus.REPLIED], RoundStatus.APPLIED)
    waiting = tracing_round.replies.filter(link_state=LinkState.REVIEW).count()
    if waiting:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"검토하지 않은 연결이 {waiting}건 있습니다.",
            f"{waiting} link(s) still wait for review.",
            {"review": waiting},
        )
    counts = {"alive": 0, "deceased": 0, "not_found": 0}
    replies = tracing_round.replies.filter(link_state__in=LINKED).select_related(
        "request__seeking__sought"
    )
    for reply in replies:
        person = reply.request.seeking.sought  # type: ignore[union-attr]
        if reply.result == ReplyResult.FOUND and reply.vital_status in (
            VitalStatus.ALIVE,
            VitalStatus.DECEASED,
        ):
            person.status = reply.vital_status
            person.death_date = (
                reply.death_date if reply.vital_status == VitalStatus.DECEASED else ""
            )
            person.save(update_fields=["status", "death_date", "updated_at"])
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


@dataclass(frozen=True)
class RoundReport:
    sent: int
    answered: int
    found_alive: int
    found_deceased: int
    found_unknown: int
    not_found: int
    unanswered: int
    to_review: int
    unmatched_rows: int
    rejected_rows: int


def round_report(tracing_round: TracingRound) -> RoundReport:
    sent = tracing_round.requests.count()
    linked = tracing_round.replies.filter(link_state__in=LINKED)
    counts = {
        (row["result"], row["vital_status"]): row["n"]
        for row in linked.values("result", "vital_status").annotate(n=Count("pk"))
    }
    answered = linked.values("request").distinct().count()
    return RoundReport(
        sent=sent,
        answered=answered,
        found_alive=counts.get(("found", "alive"), 0),
        found_deceased=counts.get(("found", "deceased"), 0),
        found_unknown=counts.get(("found", "unknown"), 0),
        not_found=sum(n for (r, _), n in counts.items() if r == "not_found"),
        unanswered=sent - answered,
        to_review=tracing_round.replies.filter(link_state=LinkState.REVIEW).count(),
        unmatched_rows=tracing_round.replies.filter(link_state=LinkState.UNMATCHED).count(),
        rejected_rows=tracing_round.replies.filter(link_state=LinkState.REJECTED).count(),
    )
