"""Video reunions (화상상봉): the families' wishes, the schedule of rooms and slots, and video
letters (영상편지) with their backlog."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode, invalid, invalid_fields
from panmun.families.models import Person

from .. import scheduling, selectors
from ..access import can_edit_reunions
from ..models import (
    LetterDirection,
    LetterStatus,
    Participant,
    ReunionRound,
    RoundKind,
    Stage,
    VideoLetter,
)


def _require_editor(actor: User) -> None:
    require_authenticated(actor)
    require(can_edit_reunions(actor))


def round_days(reunion_round: ReunionRound) -> list[dt.date]:
    return [reunion_round.starts_on + dt.timedelta(days=n) for n in range(reunion_round.days)]


def _require_video_final(reunion_round: ReunionRound) -> None:
    if reunion_round.kind != RoundKind.VIDEO:
        raise invalid(
            ko="화상상봉 회차가 아닙니다.", en="This is not a video round.", field="round"
        )
    if reunion_round.stage != Stage.FINAL:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "최종 명단이 확정된 뒤에 일정을 짤 수 있습니다.",
            "The schedule is made once the final list is fixed.",
        )


@transaction.atomic
def wishes_set(
    *,
    actor: User,
    participant: Participant,
    requested_date: dt.date | None,
    room_choice: str,
) -> Participant:
    """A family's wished date, and the officer's choice of room where the nearest will not do."""
    _require_editor(actor)
    _require_video_final(participant.round)
    rooms = {r.code for r in scheduling.load_rooms() if r.side == "south"}
    room_choice = room_choice.strip()
    if room_choice and room_choice not in rooms:
        raise invalid(
            ko="남측 화상상봉장이 아닙니다.", en="Not a South video room.", field="room_choice"
        )
    if requested_date is not None and requested_date not in round_days(participant.round):
        raise invalid(
            ko="희망일은 회차 기간 안이어야 합니다.",
            en="The requested date must be one of the round's days.",
            field="requested_date",
        )
    before = audit.snapshot(participant, ["requested_date", "room_choice"])
    participant.requested_date, participant.room_choice = requested_date, room_choice
    participant.save(update_fields=["requested_date", "room_choice"])
    audit.record(
        actor=actor,
        action="reunion.video.wishes",
        obj=participant,
        changes=audit.diff(before, audit.snapshot(participant, list(before))),
    )
    return participant


@transaction.atomic
def schedule_make(*, actor: User, reunion_round: ReunionRound) -> scheduling.Schedule:
    """Assign every family on the final list a South room (the nearest to their address), a
    North room and a 2-hour slot over the round's days; explain any family it cannot place."""
    _require_editor(actor)
    reunion_round = ReunionRound.objects.select_for_update().get(pk=reunion_round.pk)
    _require_video_final(reunion_round)
    result = scheduling.schedule(
        selectors.families_to_place(reunion_round),
        scheduling.load_rooms(),
        round_days(reunion_round),
    )
    participants = {str(p.pk): p for p in Participant.objects.filter(round=reunion_round)}
    for p in participants.values():
        p.video_day, p.video_slot, p.south_room, p.north_room = None, None, "", ""
        p.unplaced_code = p.unplaced_ko = p.unplaced_en = ""
    for placed in result.placements:
        p = participants[placed.key]
        p.video_day, p.video_slot = placed.day, placed.slot
        p.south_room, p.north_room = placed.south_room, placed.north_room
    for miss in result.unplaced:
        p = participants[miss.key]
        p.unplaced_code = miss.code
        p.unplaced_ko, p.unplaced_en = miss.message_ko[:300], miss.message_en[:300]
    Participant.objects.bulk_update(
        list(participants.values()),
        [
            "video_day",
            "video_slot",
            "south_room",
            "north_room",
            "unplaced_code",
            "unplaced_ko",
            "unplaced_en",
        ],
        batch_size=1000,
    )
    audit.record(
        actor=actor,
        action="reunion.video.schedule",
        obj=reunion_round,
        changes={"placed": len(result.placements), "unplaced": len(result.unplaced)},
    )
    return result


# --- video letters -----------------------------------------------------------------------------

SHA256 = re.compile(r"[0-9a-f]{64}")


@transaction.atomic
def letter_record(
    *,
    actor: User,
    registry_no: str,
    direction: str,
    addressee: str,
    file_ref: str,
    sha256: str,
    duration_seconds: int,
    language: str,
    recorded_on: dt.date,
) -> VideoLetter:
    """A letter recorded by a family (outgoing) or received from the other side (incoming);
    the family is the applicant with this registration number."""
    _require_editor(actor)
    sha256 = sha256.strip().lower()
    problems = []
    applicant = Person.objects.filter(
        merged_into__isnull=True, registry_no=registry_no.strip()
    ).first()
    if not registry_no.strip() or applicant is None:
        problems.append(
            (
                "registry_no",
                "이 등록번호의 신청자가 없습니다.",
                "no applicant has this registration number.",
            )
        )
    if direction not in LetterDirection.values:
        problems.append(("direction", "방향이 잘못되었습니다.", "unknown direction."))
    if not addressee.strip() or len(addressee) > 200:
        problems.append(("addressee", "받는 사람은 1–200자입니다.", "must be 1–200 characters."))
    if not file_ref.strip() or len(file_ref) > 300:
        problems.append(("file_ref", "파일 위치는 1–300자입니다.", "must be 1–300 characters."))
    if not SHA256.fullmatch(sha256):
        problems.append(
            ("sha256", "SHA-256은 16진수 64자입니다.", "must be 64 hexadecimal characters.")
        )
    elif VideoLetter.objects.filter(sha256=sha256).exists():
        problems.append(
            ("sha256", "같은 파일이 이미 등록되어 있습니다.", "this file is already registered.")
        )
    if not 1 <= duration_seconds <= 4 * 3600:
        problems.append(
            ("duration_seconds", "길이는 1초–4시간입니다.", "must be 1 second to 4 hours.")
        )
    if not language.strip() or len(language) > 20:
        problems.append(("language", "언어를 적어 주십시오.", "give the language."))
    if recorded_on > timezone.localdate():
        problems.append(("recorded_on", "미래의 날짜입니다.", "is in the future."))
    if problems or applicant is None:  # no applicant is one of the problems
        raise invalid_fields(
            "영상편지 정보에 잘못된 항목이 있습니다.", "The video letter has problems.", problems
        )
    letter = VideoLetter.objects.create(
        direction=direction,
        applicant=applicant,
        addressee=addressee.strip(),
        file_ref=file_ref.strip(),
        sha256=sha256,
        duration_seconds=duration_seconds,
        language=language.strip(),
        recorded_on=recorded_on,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="reunion.letter.record",
        obj=letter,
        changes={"direction": direction, "sha256": sha256},
    )
    return letter


@transaction.atomic
def letter_advance(*, actor: User, letter: VideoLetter, on: dt.date) -> VideoLetter:
    """The next step of a letter: an outgoing letter is sent to the other side, then delivered;
    an incoming one is delivered to the family."""
    _require_editor(actor)
    letter = VideoLetter.objects.select_for_update().get(pk=letter.pk)
    if on < letter.recorded_on or on > timezone.localdate():
        raise invalid(
            ko="날짜는 녹화일 이후, 오늘 이전이어야 합니다.",
            en="The date must be between the recording and today.",
            field="on",
        )
    frm = letter.status
    if letter.status == LetterStatus.RECORDED and letter.direction == LetterDirection.OUTGOING:
        letter.status, letter.sent_on = LetterStatus.SENT, on
    elif letter.status in (LetterStatus.SENT, LetterStatus.RECORDED):
        if letter.sent_on and on < letter.sent_on:
            raise invalid(
                ko="전달일은 발송일 이후여야 합니다.",
                en="Delivery must follow sending.",
                field="on",
            )
        letter.status, letter.delivered_on = LetterStatus.DELIVERED, on
    else:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "이미 전달된 영상편지입니다.",
            "This letter has already been delivered.",
        )
    letter.save(update_fields=["status", "sent_on", "delivered_on"])
    audit.record(
        actor=actor,
        action="reunion.letter.advance",
        obj=letter,
        changes={"status": [frm, letter.status], "on": on},
    )
    return letter
