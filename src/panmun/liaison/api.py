"""/api/v1/liaison: the liaison record for officers (messages, threads, calls, logs, export)
and, under /node, what the other side's node calls to deliver its log and get receipts."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any

from django.http import HttpResponse
from ninja import Path as InPath
from ninja import Query, Router, Status

from panmun.accounts.access import require
from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import MAX_ID, IsoDate, RecordId, responds
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
from .models import CallName, ContactCall, Entry
from .schemas import (
    CallOut,
    CheckpointIn,
    CosignatureOut,
    EntriesQuery,
    EntryOut,
    EntryRefIn,
    HeldOut,
    LeavesIn,
    LeavesOut,
    LeavesQuery,
    LogOut,
    MeetingIn,
    MessageIn,
    SideName,
    ThreadOut,
)
from .services import calls, checkpoints, delivery, export, keys, messages
from .services import log as logs

router = Router(tags=["liaison"])

# A side named in a path: its log.
SidePath = Annotated[SideName, InPath(...)]
# An entry's index in its log, from 0.
EntryIndex = Annotated[int, InPath(..., ge=0, le=MAX_ID)]


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
def get_thread(request: ApiRequest, side: SidePath, index: EntryIndex) -> selectors.Thread:
    entry = get_liaison_entry_for_user(request.auth, side, index)
    found = selectors.thread(entry)
    return found


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


@router.get("/calls", response=responds(list[CallOut]), summary="The contact calls")
def list_calls(
    request: ApiRequest, since: IsoDate | None = None, until: IsoDate | None = None
) -> list[ContactCall]:
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
    return list(qs.order_by("-scheduled_at")[:1000])


@router.post("/calls/{call_id}/answer", response=responds(CallOut), summary="Answer a call")
def answer_call(request: ApiRequest, call_id: RecordId) -> ContactCall:
    return calls.call_answer(actor=request.auth, call=get_call_for_answer(request.auth, call_id))


@router.get("/logs", response=responds(list[LogOut]), summary="Both logs and their receipts")
def list_logs(request: ApiRequest) -> list[selectors.LogStatus]:
    require(can_read_liaison(request.auth))
    return selectors.log_statuses()


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
def node_sync(request: ApiRequest) -> list[selectors.LogStatus]:
    require(can_write_liaison(request.auth))
    delivery.deliver_all()
    return list_logs(request)
