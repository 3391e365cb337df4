"""Who may see and run reunion rounds, their lists, events and video letters.

The South's registry keepers run the rounds; a supervisor sets the criteria, runs the draw,
fixes the final list and may step a round back. The other side's Red Cross sees the rounds
from the moment the pool is frozen — the commitment and, after the draw, the bundle, which
hold no personal data — and the final list, to give theirs. Built on the primitives of
`accounts.access`: the same people as keep the registry (`families.access`), said here so that
the reunions' rules are read in one place.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from panmun.accounts.access import (
    get_or_404,
    is_north_red_cross,
    is_south_red_cross_or_ministry,
    require,
    require_authenticated,
)
from panmun.accounts.models import Role, User
from panmun.common.errors import not_found

from .models import Candidate, Participant, ReunionEvent, ReunionRound, Stage, VideoLetter


def can_read_reunions(user: User) -> bool:
    """The South's Red Cross and ministry, who keep the registry, run its reunions."""
    return is_south_red_cross_or_ministry(user)


def can_edit_reunions(user: User) -> bool:
    return can_read_reunions(user) and user.has_role(Role.OFFICER)


def is_reunion_counterpart(user: User) -> bool:
    """The other side's Red Cross: sees a round from the frozen pool on and gives its list."""
    return is_north_red_cross(user)


def can_see_reunion_rounds(user: User) -> bool:
    """Who reaches the reunion rounds at all (`reunion_rounds_for_user`)."""
    return can_read_reunions(user) or is_reunion_counterpart(user)


def is_officer_of_either_side(user: User) -> bool:
    """The South's reunion officers, or the officers of the other side's Red Cross — never a
    viewer: who enters the other side's answers and takes a round's lists away as files."""
    return can_edit_reunions(user) or (is_reunion_counterpart(user) and user.has_role(Role.OFFICER))


def can_enter_reunion_replies(user: User) -> bool:
    """The other side's answers (its participants, a video letter's receipt)."""
    return is_officer_of_either_side(user)


def can_run_selection(user: User) -> bool:
    return can_read_reunions(user) and user.has_role(Role.SUPERVISOR)


def reunion_rounds_for_user(user: User) -> QuerySet[ReunionRound]:
    require_authenticated(user)
    if can_read_reunions(user):
        return ReunionRound.objects.all()
    require(is_reunion_counterpart(user))
    return ReunionRound.objects.exclude(stage=Stage.DRAFT)


def get_reunion_round_for_user(user: User, pk: Any) -> ReunionRound:
    return get_or_404(reunion_rounds_for_user(user), pk, "상봉 회차", "Reunion round")


def get_reunion_round_for_edit(user: User, pk: Any) -> ReunionRound:
    reunion_round = get_reunion_round_for_user(user, pk)
    require(can_edit_reunions(user))
    return reunion_round


def get_reunion_round_for_selection(user: User, pk: Any) -> ReunionRound:
    reunion_round = get_reunion_round_for_user(user, pk)
    require(can_run_selection(user))
    return reunion_round


def get_event_for_edit(user: User, pk: Any) -> ReunionEvent:
    """The in-person event of round `pk`; a video round has none (404)."""
    reunion_round = get_reunion_round_for_edit(user, pk)
    event = ReunionEvent.objects.select_related("round").filter(round=reunion_round).first()
    if event is None:
        raise not_found("상봉 행사", "Reunion event", pk)
    return event


def can_export_reunion_lists(user: User) -> bool:
    """A reunion round's lists of people as files (the participant list, the family cards, the
    check sheet to fill in): as for the request lists, the South's exporters, and (for the final
    participant list, which `participants_for_user` gives them) the officers of the other side's
    Red Cross — never a viewer."""
    return is_officer_of_either_side(user)


def candidates_for_user(user: User, reunion_round: ReunionRound) -> QuerySet[Candidate]:
    """The pool with names: South keepers only (the other side sees draw ids in the bundle)."""
    require_authenticated(user)
    require(can_read_reunions(user))
    return Candidate.objects.filter(round=reunion_round).select_related("applicant")


def participants_for_user(user: User, reunion_round: ReunionRound) -> QuerySet[Participant]:
    """The final list: South keepers, and the other side's Red Cross once the list is fixed."""
    get_reunion_round_for_user(user, reunion_round.pk)
    if not can_read_reunions(user):
        require(reunion_round.stage == Stage.FINAL)
    return Participant.objects.filter(round=reunion_round).select_related("candidate__applicant")


def get_participant_for_edit(user: User, pk: Any) -> Participant:
    require_authenticated(user)
    require(can_edit_reunions(user))
    return get_or_404(
        Participant.objects.select_related("round", "candidate__applicant"),
        pk,
        "상봉 가족",
        "Participating family",
    )


def get_participant_for_north_list(user: User, pk: Any) -> Participant:
    """Either side's Red Cross officers enter the relatives the family will meet."""
    require_authenticated(user)
    require(can_enter_reunion_replies(user))
    participant: Participant = get_or_404(
        Participant.objects.select_related("round", "candidate__applicant"),
        pk,
        "상봉 가족",
        "Participating family",
    )
    if not can_read_reunions(user):
        require(participant.round.stage == Stage.FINAL)
    return participant


def video_letters_for_user(user: User) -> QuerySet[VideoLetter]:
    require_authenticated(user)
    require(can_read_reunions(user))
    return VideoLetter.objects.select_related("applicant")


def get_video_letter_for_edit(user: User, pk: Any) -> VideoLetter:
    letter = get_or_404(video_letters_for_user(user), pk, "영상편지", "Video letter")
    require(can_edit_reunions(user))
    return letter
