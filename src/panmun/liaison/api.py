"""/api/v1/liaison: the liaison record for officers (messages, threads, calls, logs, export)
and, under /node, what the other side's node calls to deliver its log and get receipts."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja import Path as InPath

from panmun.accounts.access import require
from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import (
    MAX_ID,
    BodyIn,
    Int,
    IsoDate,
    IsoDateTime,
    OneOf,
    QueryIn,
    RecordId,
    offset_field,
    responds,
)
from panmun.common.errors import DomainError, ErrorCode
from panmun.common.pages import attachment
from panmun.liaison.access import (
    can_read_liaison,
    can_write_liaison,
    contact_calls_for_user,
    get_call_for_answer,
    get_liaison_entry_for_user,
    liaison_entries_for_user,
)

from . import node, selectors
from .ledger.keys import keys_json
from .models import CallName, CallState, Entry, Kind
from .services import calls, checkpoints, delivery, export, keys, messages
from .services import log as logs

router = Router(tags=["liaison"])

SideName = Literal["south", "north"]
# A side named in a path: its log.
SidePath = Annotated[SideName, InPath(...)]
# An entry's index in its log, from 0.
EntryIndex = Annotated[int, InPath(..., ge=0, le=MAX_ID)]


class EntryRef(Schema):
    side: SideName
    index: int = Field(..., ge=0)


class EntryRefIn(BodyIn):
    side: SideName
    index: Int = Field(..., ge=0, le=MAX_ID)


class MessageIn(BodyIn):
    kind: Annotated[str, OneOf(messages.SENDABLE)]
    body: dict[str, Any] = Field(..., description="The kind's fields (docs/architecture.md)")
    in_reply_to: EntryRefIn | None = None


class OutcomeIn(BodyIn):
    text: str
    action: Literal["", "talks", "agreement_status"] = Field(
        "", description="'' (none), 'talks' or 'agreement_status'"
    )
    agreement: Int | None = Field(None, ge=1, le=MAX_ID)
    status: str = ""
    title_en: str = ""


class MeetingIn(BodyIn):
    title: str
    held_at: IsoDateTime
    place: str = ""
    attendees_south: list[str] = []
    attendees_north: list[str] = []
    minutes: str = ""
    outcomes: list[OutcomeIn] = []
    in_reply_to: EntryRefIn | None = None


class EntriesQuery(QueryIn):
    q: str = Field("", max_length=200, description="Words that must all occur")
    kind: Annotated[str, OneOf(selectors.MESSAGE_KINDS, blank=True)] = ""
    side: Annotated[str, OneOf(["south", "north"], blank=True)] = Field(
        "", description="The sending side"
    )
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    threads_only: bool = False
    limit: int = Field(50, ge=1, le=500)
    offset: int = offset_field()


class LeavesQuery(QueryIn):
    start: int = Field(0, ge=0, le=MAX_ID, description="The first index")
    limit: int = Field(200, ge=1, le=500)


class ReceiptOut(Schema):
    state: Literal["sent", "cosigned", "answered"]
    cosigned_at: dt.datetime | None
    cosigned_size: int | None
    answered: bool


class EntryOut(Schema):
    log: str
    side: SideName
    index: int
    kind: Annotated[str, OneOf(Kind.values)]
    sent_at: dt.datetime
    from_side: SideName
    to_side: SideName
    subject: str
    body: dict[str, Any]
    in_reply_to: dict[str, Any] | None
    key: str
    leaf: str = Field(..., description="The signed entry as RFC 8785 canonical JSON")
    leaf_hash: str
    receipt: ReceiptOut


class ThreadOut(Schema):
    root: EntryOut
    entries: list[EntryOut]


class CallOut(Schema):
    id: int
    calling_side: SideName
    call: Annotated[str, OneOf(CallName.values)]
    scheduled_at: dt.datetime
    state: Annotated[str, OneOf(CallState.values)]
    placed: EntryRef
    answer: EntryRef | None
    unanswered: EntryRef | None


class LogOut(Schema):
    origin: str
    side: SideName
    local: bool
    size: int
    checkpoint_size: int | None
    cosigned_size: int | None
    cosigned_at: dt.datetime | None
    waiting: int = Field(..., description="Entries the other side's node has not acknowledged")
    last_error: str


def _ref(entry: Entry | None) -> dict[str, Any] | None:
    return None if entry is None else {"side": entry.log.side, "index": entry.index}


def _parent(request: ApiRequest, ref: EntryRefIn | None) -> Entry | None:
    if ref is None:
        return None
    return get_liaison_entry_for_user(request.auth, ref.side, ref.index)


@router.get("/entries", response=responds(list[EntryOut]), summary="Search the messages")
def list_entries(request: ApiRequest, q: Query[EntriesQuery]) -> list[dict[str, Any]]:
    filters = selectors.EntryFilters(
        q=q.q,
        kind=q.kind,
        side=q.side,
        date_from=q.date_from,
        date_to=q.date_to,
        threads_only=q.threads_only,
    )
    page = selectors.search_page(
        liaison_entries_for_user(request.auth),
        filters,
        offset=q.offset,
        limit=q.limit,
        reader=request.auth.side_code,
    )
    return [row.fields | {"receipt": row.receipt} for row in page]


@router.get("/entries/{side}/{index}", response=responds(ThreadOut), summary="A thread")
def get_thread(request: ApiRequest, side: SidePath, index: EntryIndex) -> dict[str, Any]:
    entry = get_liaison_entry_for_user(request.auth, side, index)
    found = selectors.thread(entry)
    return {
        "root": selectors.entry_json(found.root),
        "entries": [selectors.entry_json(i.entry) for i in found.items],
    }


@router.post(
    "/messages",
    response=responds(EntryOut, 201),
    summary="Send a message",
    auth=permitted(can_write_liaison),
)
def send_message(request: ApiRequest, payload: MessageIn) -> Status[dict[str, Any]]:
    entry = messages.message_send(
        actor=request.auth,
        kind=payload.kind,
        body=payload.body,
        in_reply_to=_parent(request, payload.in_reply_to),
    )
    return Status(201, selectors.entry_json(entry))


@router.post(
    "/meetings",
    response=responds(EntryOut, 201),
    summary="Record a meeting",
    auth=permitted(can_write_liaison),
)
def record_meeting(request: ApiRequest, payload: MeetingIn) -> Status[dict[str, Any]]:
    entry = messages.meeting_record_send(
        actor=request.auth,
        title=payload.title,
        held_at=payload.held_at,
        place=payload.place,
        attendees_south=payload.attendees_south,
        attendees_north=payload.attendees_north,
        minutes=payload.minutes,
        outcomes=[o.dict() for o in payload.outcomes],
        in_reply_to=_parent(request, payload.in_reply_to),
    )
    return Status(201, selectors.entry_json(entry))


def _call(call: Any) -> dict[str, Any]:
    return {
        "id": call.pk,
        "calling_side": call.calling_side,
        "call": call.call,
        "scheduled_at": call.scheduled_at,
        "state": call.state,
        "placed": _ref(call.placed),
        "answer": _ref(call.answer),
        "unanswered": _ref(call.unanswered),
    }


@router.get("/calls", response=responds(list[CallOut]), summary="The contact calls")
def list_calls(
    request: ApiRequest, since: IsoDate | None = None, until: IsoDate | None = None
) -> list[dict[str, Any]]:
    qs = contact_calls_for_user(request.auth).select_related(
        "placed__log", "answer__log", "unanswered__log"
    )
    if since:
        qs = qs.filter(scheduled_at__gte=calls.scheduled(since, CallName.OPENING).replace(hour=0))
    if until:
        qs = qs.filter(
            scheduled_at__lt=calls.scheduled(until, CallName.OPENING).replace(hour=0)
            + dt.timedelta(days=1)
        )
    return [_call(c) for c in qs.order_by("-scheduled_at")[:1000]]


@router.post("/calls/{call_id}/answer", response=responds(CallOut), summary="Answer a call")
def answer_call(request: ApiRequest, call_id: RecordId) -> dict[str, Any]:
    call = calls.call_answer(actor=request.auth, call=get_call_for_answer(request.auth, call_id))
    return _call(call)


@router.get("/logs", response=responds(list[LogOut]), summary="Both logs and their receipts")
def list_logs(request: ApiRequest) -> list[dict[str, Any]]:
    require(can_read_liaison(request.auth))
    out = []
    for status in selectors.log_statuses():
        out.append(
            {
                "origin": status.log.origin,
                "side": status.log.side,
                "local": status.log.local,
                "size": status.log.size,
                "checkpoint_size": status.latest.size if status.latest else None,
                "cosigned_size": status.receipt.size if status.receipt else None,
                "cosigned_at": status.receipt.cosigned_at if status.receipt else None,
                "waiting": status.waiting,
                "last_error": status.delivery.last_error if status.delivery else "",
            }
        )
    return out


@router.get(
    "/logs/{side}/bundle",
    response=responds(None, 200),
    summary="The verification bundle (zip) of a log, up to its last cosigned checkpoint",
)
def get_bundle(request: ApiRequest, side: SidePath) -> HttpResponse:
    require(can_read_liaison(request.auth))
    return bundle_response(side)


def bundle_response(side: str) -> HttpResponse:
    if side not in node.SIDES:
        raise DomainError(
            ErrorCode.NOT_FOUND, "그런 기록은 없습니다.", "No such log.", {"side": side}
        )
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"liaison-{side}.zip"
        export.export_bundle(side=side, target=target)
        return attachment(target.read_bytes(), target.name, "application/zip")


@router.get("/keys", response=responds(None, 200), summary="The published public keys (keys.json)")
def published_keys(request: ApiRequest) -> HttpResponse:
    require(can_read_liaison(request.auth))
    return HttpResponse(keys_json(keys.keys_published()), content_type="application/json")


# --- node to node ------------------------------------------------------------------------------


class LeavesIn(BodyIn):
    start: Int = Field(..., ge=0, le=MAX_ID)
    leaves: list[str] = Field(..., max_length=logs.RECEIVE_BATCH)


class HeldOut(Schema):
    origin: str
    size: int
    checkpoint: str | None = Field(None, description="The last checkpoint held, as a note")
    receipt: str | None = Field(None, description="The last cosigned checkpoint held")


class CheckpointIn(BodyIn):
    note: str = Field(..., max_length=10_000)
    proof: list[str] = Field([], max_length=64)


class CosignatureOut(Schema):
    cosignature: str


class LeavesOut(Schema):
    start: int
    leaves: list[str]


def _log(side: str) -> Any:
    if side not in node.SIDES:
        raise DomainError(
            ErrorCode.NOT_FOUND, "그런 기록은 없습니다.", "No such log.", {"side": side}
        )
    return node.log_for(side)


@router.get("/node/logs/{side}", response=responds(HeldOut), summary="What this node holds")
def node_held(request: ApiRequest, side: SidePath) -> dict[str, Any]:
    require(can_read_liaison(request.auth))
    log = _log(side)
    checkpoint = checkpoints.latest_checkpoint(log)
    receipt = checkpoints.latest_checkpoint(log, cosigned=True)
    return {
        "origin": log.origin,
        "size": log.size,
        "checkpoint": checkpoint.note if checkpoint else None,
        "receipt": receipt.note if receipt else None,
    }


@router.get("/node/logs/{side}/entries", response=responds(LeavesOut), summary="Entries, as signed")
def node_entries(request: ApiRequest, side: SidePath, q: Query[LeavesQuery]) -> dict[str, Any]:
    require(can_read_liaison(request.auth))
    log = _log(side)
    leaves = list(
        Entry.objects.filter(log=log, index__gte=q.start)
        .order_by("index")
        .values_list("leaf", flat=True)[: q.limit]
    )
    return {"start": q.start, "leaves": leaves}


@router.post(
    "/node/logs/{side}/entries",
    response=responds(HeldOut),
    summary="Deliver entries of your side's log (each is verified before it is kept)",
)
def node_receive(request: ApiRequest, side: SidePath, payload: LeavesIn) -> dict[str, Any]:
    _log(side)
    size = logs.entries_receive(
        actor=request.auth, side=side, start=payload.start, leaves=payload.leaves
    )
    return {"origin": node.origin(side), "size": size}


@router.post(
    "/node/logs/{side}/checkpoint",
    response=responds(CosignatureOut),
    summary="Deliver a checkpoint of your side's log; the answer is this side's cosignature",
)
def node_cosign(request: ApiRequest, side: SidePath, payload: CheckpointIn) -> dict[str, Any]:
    _log(side)
    try:
        proof = [base64.b64decode(p, validate=True) for p in payload.proof]
    except (binascii.Error, ValueError) as exc:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "증명이 base64가 아닙니다.",
            "The proof is not base64.",
            {"field": "proof"},
        ) from exc
    line = checkpoints.checkpoint_cosign(
        actor=request.auth, side=side, note_text=payload.note, proof=proof
    )
    return {"cosignature": line}


@router.post("/node/sync", response=responds(list[LogOut]), summary="Deliver the local logs now")
def node_sync(request: ApiRequest) -> list[dict[str, Any]]:
    require(can_write_liaison(request.auth))
    delivery.deliver_all()
    return list_logs(request)
