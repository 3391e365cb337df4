"""API shapes of the liaison record: entries and threads, calls, logs, and what nodes exchange."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from panmun.common.api_schemas import (
    MAX_ID,
    BodyIn,
    Int,
    IsoDate,
    IsoDateTime,
    OneOf,
    QueryIn,
    offset_field,
)

from .models import CallName, CallState, Entry, Kind
from .selectors import MESSAGE_KINDS, LogStatus, Thread, entry_json
from .services.log import RECEIVE_BATCH
from .services.messages import SENDABLE

SideName = Literal["south", "north"]


class EntryRef(Schema):
    side: SideName
    index: int = Field(..., ge=0)

    @staticmethod
    def resolve_side(entry: Entry) -> str:
        return entry.log.side


class EntryRefIn(BodyIn):
    side: SideName
    index: Int = Field(..., ge=0, le=MAX_ID)


class MessageIn(BodyIn):
    kind: Annotated[str, OneOf(SENDABLE)]
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
    kind: Annotated[str, OneOf(MESSAGE_KINDS, blank=True)] = ""
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

    @staticmethod
    def resolve_root(found: Thread) -> dict[str, Any]:
        return entry_json(found.root)

    @staticmethod
    def resolve_entries(found: Thread) -> list[dict[str, Any]]:
        return [entry_json(item.entry) for item in found.items]


class CallOut(Schema):
    id: int
    calling_side: SideName
    call: Annotated[str, OneOf(CallName.values)]
    scheduled_at: dt.datetime
    state: Annotated[str, OneOf(CallState.values)]
    placed: EntryRef
    answer: EntryRef | None
    unanswered: EntryRef | None


# A log and its receipts (`selectors.LogStatus`).
class LogOut(Schema):
    origin: str = Field(validation_alias="log.origin")
    side: SideName = Field(validation_alias="log.side")
    local: bool = Field(validation_alias="log.local")
    size: int = Field(validation_alias="log.size")
    checkpoint_size: int | None
    cosigned_size: int | None
    cosigned_at: dt.datetime | None
    waiting: int = Field(..., description="Entries the other side's node has not acknowledged")
    last_error: str

    @staticmethod
    def resolve_checkpoint_size(status: LogStatus) -> int | None:
        return status.latest.size if status.latest else None

    @staticmethod
    def resolve_cosigned_size(status: LogStatus) -> int | None:
        return status.receipt.size if status.receipt else None

    @staticmethod
    def resolve_cosigned_at(status: LogStatus) -> dt.datetime | None:
        return status.receipt.cosigned_at if status.receipt else None

    @staticmethod
    def resolve_last_error(status: LogStatus) -> str:
        return status.delivery.last_error if status.delivery else ""


# --- node to node ------------------------------------------------------------------------------


class LeavesIn(BodyIn):
    start: Int = Field(..., ge=0, le=MAX_ID)
    leaves: list[str] = Field(..., max_length=RECEIVE_BATCH)


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
