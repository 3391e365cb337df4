"""/api/v1/reunion: reunion rounds, their commitment and verification bundle, the draw, the
final list, the video schedule and video letters. Same services and access helpers as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import BodyIn, Int, IsoDate, OneOf, RecordId, responds
from panmun.common.errors import DomainError, ErrorCode

from .access import (
    can_edit_reunions,
    can_run_selection,
    candidates_for_user,
    get_reunion_round_for_selection,
    get_reunion_round_for_user,
    participants_for_user,
    reunion_rounds_for_user,
    video_letters_for_user,
)
from .models import (
    Draw,
    Health,
    LetterDirection,
    LetterStatus,
    Outcome,
    ReunionRound,
    RoundKind,
    Stage,
    VideoLetter,
    Willingness,
)
from .services import selection, video

router = Router(tags=["reunion"])


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


def _round(r: ReunionRound) -> dict[str, Any]:
    draw: Draw | None = getattr(r, "draw", None)
    commitment = None
    if draw is not None:
        commitment = {
            "pool_sha256": draw.pool_sha256,
            "seed_sha256": draw.seed_sha256,
            "criteria_sha256": draw.criteria_sha256,
            "pool_size": draw.pool_size,
            "committed_at": draw.committed_at,
            "drawn_at": draw.drawn_at,
            "seed_hex": draw.seed_hex if draw.drawn_at else None,
        }
    return {
        "id": r.pk,
        "kind": r.kind,
        "number": r.number,
        "name": r.name,
        "stage": r.stage,
        "starts_on": r.starts_on,
        "days": r.days,
        "criteria": r.criteria,
        "tracing_round_id": r.tracing_round_id,
        "commitment": commitment,
    }


@router.get("/rounds", response=responds(list[ReunionRoundOut]), summary="Reunion rounds")
def list_rounds(request: ApiRequest) -> list[dict[str, Any]]:
    return [_round(r) for r in reunion_rounds_for_user(request.auth).select_related("draw")]


@router.post(
    "/rounds",
    response=responds(ReunionRoundOut, 201),
    summary="Create a reunion round",
    auth=permitted(can_run_selection),
)
def create_round(request: ApiRequest, payload: RoundIn) -> Status[dict[str, Any]]:
    created = selection.round_create(actor=request.auth, **payload.dict())
    return Status(201, _round(created))


@router.get("/rounds/{round_id}", response=responds(ReunionRoundOut), summary="A reunion round")
def get_round(request: ApiRequest, round_id: RecordId) -> dict[str, Any]:
    return _round(get_reunion_round_for_user(request.auth, round_id))


@router.post(
    "/rounds/{round_id}/freeze",
    response=responds(ReunionRoundOut),
    summary="Freeze the pool and publish the commitment (supervisors)",
)
def freeze_pool(request: ApiRequest, round_id: RecordId, payload: FreezeIn) -> dict[str, Any]:
    reunion_round = get_reunion_round_for_selection(request.auth, round_id)
    selection.pool_freeze(actor=request.auth, reunion_round=reunion_round, **payload.dict())
    return _round(get_reunion_round_for_user(request.auth, round_id))


@router.post(
    "/rounds/{round_id}/draw",
    response=responds(ReunionRoundOut),
    summary="Run the draw (supervisors)",
)
def run_draw(request: ApiRequest, round_id: RecordId) -> dict[str, Any]:
    reunion_round = get_reunion_round_for_selection(request.auth, round_id)
    selection.draw_run(actor=request.auth, reunion_round=reunion_round)
    return _round(get_reunion_round_for_user(request.auth, round_id))


@router.get(
    "/rounds/{round_id}/bundle",
    response=responds(None, 200),
    summary="The verification bundle (zip): pool, criteria, commitment, seed, result",
)
def get_bundle(request: ApiRequest, round_id: RecordId) -> HttpResponse:
    reunion_round = get_reunion_round_for_user(request.auth, round_id)
    draw = getattr(reunion_round, "draw", None)
    if draw is None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "아직 추첨 대상이 확정되지 않았습니다.",
            "The pool has not been frozen yet.",
        )
    data = selection.bundle_of(draw).to_zip()
    selection.bundle_downloaded(actor=request.auth, reunion_round=reunion_round)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="draw-{reunion_round.pk}.zip"'
    return response


@router.get(
    "/rounds/{round_id}/candidates",
    response=responds(list[CandidateOut]),
    summary="The pool with ranks and checks (South registry keepers)",
)
def list_candidates(
    request: ApiRequest, round_id: RecordId, drawn_only: bool = True
) -> list[dict[str, Any]]:
    reunion_round = get_reunion_round_for_user(request.auth, round_id)
    candidates = candidates_for_user(request.auth, reunion_round)
    if drawn_only:
        candidates = candidates.filter(drawn=True)
    return [
        {
            "draw_id": c.draw_id,
            "applicant_id": c.applicant_id,
            "name": c.applicant.display_name,
            "stratum": c.stratum,
            "weight": c.weight,
            "age": c.age,
            "rank": c.rank,
            "drawn": c.drawn,
            "willingness": c.willingness,
            "health": c.health,
            "outcome": c.outcome,
            "outcome_reason": c.outcome_reason,
        }
        for c in candidates.order_by("stratum", "rank")[:20_000]
    ]


@router.get(
    "/rounds/{round_id}/participants",
    response=responds(list[ParticipantOut]),
    summary="The final list with tables, rooms or video slots",
)
def list_participants(request: ApiRequest, round_id: RecordId) -> list[dict[str, Any]]:
    reunion_round = get_reunion_round_for_user(request.auth, round_id)
    lang = getattr(request, "LANGUAGE_CODE", "ko")
    return [
        {
            "id": p.pk,
            "draw_id": p.candidate.draw_id,
            "stratum": p.candidate.stratum,
            "rank": p.candidate.rank,
            "table": p.table,
            "room": p.room,
            "video_day": p.video_day,
            "video_slot": p.video_slot,
            "south_room": p.south_room,
            "north_room": p.north_room,
            "unplaced_code": p.unplaced_code,
            "unplaced_reason": p.unplaced_en if lang == "en" else p.unplaced_ko,
            "attended": p.attended,
        }
        for p in participants_for_user(request.auth, reunion_round)
    ]


def _letter(letter: VideoLetter) -> dict[str, Any]:
    return {
        name: getattr(letter, name)
        for name in (
            "id",
            "applicant_id",
            "direction",
            "addressee",
            "file_ref",
            "sha256",
            "duration_seconds",
            "language",
            "status",
            "recorded_on",
            "sent_on",
            "delivered_on",
        )
    }


@router.get("/letters", response=responds(list[LetterOut]), summary="Video letters")
def list_letters(
    request: ApiRequest, status: Annotated[str, OneOf(LetterStatus.values, blank=True)] = ""
) -> list[dict[str, Any]]:
    letters = video_letters_for_user(request.auth)
    if status:
        letters = letters.filter(status=status)
    return [_letter(x) for x in letters[:5000]]


@router.post(
    "/letters",
    response=responds(LetterOut, 201),
    summary="Record a video letter",
    auth=permitted(can_edit_reunions),
)
def record_letter(request: ApiRequest, payload: LetterIn) -> Status[dict[str, Any]]:
    letter = video.letter_record(actor=request.auth, **payload.dict())
    return Status(201, _letter(letter))
