"""API shapes of reunions: rounds and their commitment, candidates, participants, letters."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from panmun.common.api_schemas import BodyIn, Int, IsoDate, OneOf

from .models import (
    Candidate,
    Draw,
    Health,
    LetterDirection,
    LetterStatus,
    Outcome,
    Participant,
    ReunionRound,
    RoundKind,
    Stage,
    Willingness,
)


class RoundIn(BodyIn):
    kind: Annotated[str, OneOf(RoundKind.values)]
    number: Int = Field(..., ge=1, le=10_000)
    name: str = Field(..., min_length=1, max_length=200, pattern=r"\S")
    starts_on: IsoDate
    days: Int = Field(3, ge=1, le=14)
    venue: str = ""
    criteria: dict[str, Any] = Field(..., description="The selection criteria document")


class CommitmentOut(Schema):
    pool_sha256: str
    seed_sha256: str
    criteria_sha256: str
    pool_size: int
    committed_at: dt.datetime
    drawn_at: dt.datetime | None
    seed_hex: str | None = Field(None, description="Revealed once the draw has run")

    @staticmethod
    def resolve_seed_hex(draw: Draw) -> str | None:
        return draw.seed_hex if draw.drawn_at else None


class ReunionRoundOut(Schema):
    id: int
    kind: Annotated[str, OneOf(RoundKind.values)]
    number: int
    name: str
    stage: Annotated[str, OneOf(Stage.values)]
    starts_on: dt.date
    days: int
    criteria: dict[str, Any]
    tracing_round_id: int | None
    commitment: CommitmentOut | None

    @staticmethod
    def resolve_commitment(reunion_round: ReunionRound) -> Draw | None:
        return getattr(reunion_round, "draw", None)


class FreezeIn(BodyIn):
    seed_hex: str = Field(
        "",
        pattern=r"^([0-9a-fA-F]{64})?$",
        description="A seed typed in: 64 hexadecimal characters (32 bytes)",
    )
    seed_text: str = Field(
        "",
        max_length=10_000,
        description="Or the text of a public drawing; neither: a secret random seed",
    )


class CandidateOut(Schema):
    draw_id: str
    applicant_id: int
    name: str
    stratum: str
    weight: float
    age: int | None
    rank: int | None
    drawn: bool
    willingness: Annotated[str, OneOf(Willingness.values)]
    health: Annotated[str, OneOf(Health.values)]
    outcome: Annotated[str, OneOf(Outcome.values)]
    outcome_reason: str

    @staticmethod
    def resolve_name(candidate: Candidate) -> str:
        return candidate.applicant.display_name


class ParticipantOut(Schema):
    id: int
    draw_id: str
    stratum: str
    rank: int | None
    table: str
    room: str
    video_day: dt.date | None
    video_slot: int | None
    south_room: str
    north_room: str
    unplaced_code: str
    unplaced_reason: str
    attended: bool | None

    # Resolvers rather than `Field(validation_alias="candidate.rank")`: a final list is long,
    # and Ninja reads a dotted name through Django's template `Variable`, several times slower.
    @staticmethod
    def resolve_draw_id(participant: Participant) -> str:
        return participant.candidate.draw_id

    @staticmethod
    def resolve_stratum(participant: Participant) -> str:
        return participant.candidate.stratum

    @staticmethod
    def resolve_rank(participant: Participant) -> int | None:
        return participant.candidate.rank

    @staticmethod
    def resolve_unplaced_reason(participant: Participant, context: dict[str, Any]) -> str:
        lang = getattr(context["request"], "LANGUAGE_CODE", "ko")
        return participant.unplaced_en if lang == "en" else participant.unplaced_ko


class LetterIn(BodyIn):
    registry_no: str = Field(..., min_length=1, max_length=20)
    direction: Annotated[str, OneOf(LetterDirection.values)]
    addressee: str = Field(..., min_length=1, max_length=200, pattern=r"\S")
    file_ref: str = Field(..., min_length=1, max_length=300, pattern=r"\S")
    sha256: str = Field(..., pattern=r"^ *[0-9a-fA-F]{64} *$")
    duration_seconds: Int = Field(..., ge=1, le=4 * 3600)
    language: str = Field("ko", min_length=1, max_length=20, pattern=r"\S")
    recorded_on: IsoDate = Field(..., description="Not after today")


class LetterOut(Schema):
    id: int
    applicant_id: int
    direction: Annotated[str, OneOf(LetterDirection.values)]
    addressee: str
    file_ref: str
    sha256: str
    duration_seconds: int
    language: str
    status: Annotated[str, OneOf(LetterStatus.values)]
    recorded_on: dt.date
    sent_on: dt.date | None
    delivered_on: dt.date | None
