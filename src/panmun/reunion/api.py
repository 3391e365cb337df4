"""/api/v1/reunion: reunion rounds, their commitment and verification bundle, the draw, the
final list, the video schedule and video letters. Same services and access helpers as the pages."""

from __future__ import annotations

from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpResponse
from ninja import Router, Status

from panmun.accounts.api_auth import permitted
from panmun.accounts.requests import ApiRequest
from panmun.common.api_schemas import OneOf, RecordId, responds
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
from .models import Candidate, LetterStatus, Participant, ReunionRound, VideoLetter
from .schemas import (
    CandidateOut,
    FreezeIn,
    LetterIn,
    LetterOut,
    ParticipantOut,
    ReunionRoundOut,
    RoundIn,
)
from .services import selection, video

router = Router(tags=["reunion"])


@router.get("/rounds", response=responds(list[ReunionRoundOut]), summary="Reunion rounds")
def list_rounds(request: ApiRequest) -> QuerySet[ReunionRound]:
    return reunion_rounds_for_user(request.auth).select_related("draw")


@router.post(
    "/rounds",
    response=responds(ReunionRoundOut, 201),
    summary="Create a reunion round",
    auth=permitted(can_run_selection),
)
def create_round(request: ApiRequest, payload: RoundIn) -> Status[ReunionRound]:
    return Status(201, selection.round_create(actor=request.auth, **payload.dict()))


@router.get("/rounds/{round_id}", response=responds(ReunionRoundOut), summary="A reunion round")
def get_round(request: ApiRequest, round_id: RecordId) -> ReunionRound:
    return get_reunion_round_for_user(request.auth, round_id)


@router.post(
    "/rounds/{round_id}/freeze",
    response=responds(ReunionRoundOut),
    summary="Freeze the pool and publish the commitment (supervisors)",
)
def freeze_pool(request: ApiRequest, round_id: RecordId, payload: FreezeIn) -> ReunionRound:
    reunion_round = get_reunion_round_for_selection(request.auth, round_id)
    selection.pool_freeze(actor=request.auth, reunion_round=reunion_round, **payload.dict())
    return get_reunion_round_for_user(request.auth, round_id)


@router.post(
    "/rounds/{round_id}/draw",
    response=responds(ReunionRoundOut),
    summary="Run the draw (supervisors)",
)
def run_draw(request: ApiRequest, round_id: RecordId) -> ReunionRound:
    reunion_round = get_reunion_round_for_selection(request.auth, round_id)
    selection.draw_run(actor=request.auth, reunion_round=reunion_round)
    return get_reunion_round_for_user(request.auth, round_id)


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
) -> list[Candidate]:
    reunion_round = get_reunion_round_for_user(request.auth, round_id)
    candidates = candidates_for_user(request.auth, reunion_round)
    if drawn_only:
        candidates = candidates.filter(drawn=True)
    return list(candidates.order_by("stratum", "rank")[:20_000])


@router.get(
    "/rounds/{round_id}/participants",
    response=responds(list[ParticipantOut]),
    summary="The final list with tables, rooms or video slots",
)
def list_participants(request: ApiRequest, round_id: RecordId) -> QuerySet[Participant]:
    reunion_round = get_reunion_round_for_user(request.auth, round_id)
    return participants_for_user(request.auth, reunion_round)


@router.get("/letters", response=responds(list[LetterOut]), summary="Video letters")
def list_letters(
    request: ApiRequest, status: Annotated[str, OneOf(LetterStatus.values, blank=True)] = ""
) -> list[VideoLetter]:
    letters = video_letters_for_user(request.auth)
    if status:
        letters = letters.filter(status=status)
    return list(letters[:5000])


@router.post(
    "/letters",
    response=responds(LetterOut, 201),
    summary="Record a video letter",
    auth=permitted(can_edit_reunions),
)
def record_letter(request: ApiRequest, payload: LetterIn) -> Status[VideoLetter]:
    return Status(201, video.letter_record(actor=request.auth, **payload.dict()))
