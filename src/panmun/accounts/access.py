"""Who may see and do what — decided here and nowhere else.

Every read that depends on the asking user goes through a helper in this module; the helpers raise
`DomainError` (404 / 403) themselves, so views, the API and the CLI never filter by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from panmun.common.errors import DomainError, ErrorCode, not_found, permission_denied

from .models import ApiToken, AuditEntry, OrganisationKind, Role, User

if TYPE_CHECKING:
    from panmun.dialogue.models import Agreement, Event, Talks
    from panmun.families.models import (
        DuplicateCandidate,
        Merge,
        Person,
        TracingReply,
        TracingRound,
    )
    from panmun.jobs.models import Job
    from panmun.liaison.models import ContactCall
    from panmun.liaison.models import Entry as LiaisonEntry
    from panmun.reunion.models import (
        Candidate,
        Participant,
        ReunionEvent,
        ReunionRound,
        VideoLetter,
    )

# Organisations whose officers keep the record of talks and agreements (of the South: see
# `can_edit_dialogue`).
DIALOGUE_KEEPERS = {OrganisationKind.MINISTRY, OrganisationKind.LIAISON_OFFICE}
# The side whose record the dialogue record is.
DIALOGUE_RECORD_SIDE = "south"


def require_authenticated(user: Any) -> User:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        raise DomainError(
            ErrorCode.NOT_AUTHENTICATED,
            "로그인이 필요합니다.",
            "You must sign in first.",
        )
    return user  # type: ignore[no-any-return]


def _org_kind(user: User) -> str | None:
    org = user.organisation
    return org.kind if org is not None else None


# --- what a user may do ------------------------------------------------------------------------


def _keeps_dialogue_record(user: User) -> bool:
    return user.side_code == DIALOGUE_RECORD_SIDE and _org_kind(user) in DIALOGUE_KEEPERS


def can_edit_dialogue(user: User) -> bool:
    """Officers (and above) of the South's ministry or of the South's side of the liaison
    office record talks and agreements; nobody of the North, and nobody of the joint office
    itself (it has no side).

    Why the South only: the dialogue record in Panmun is the Ministry of Unification's own
    record of inter-Korean talks (회담) and agreements (합의서) — its titles, dates, delegations
    and the status it gives each agreement (in force, suspended) are the South's account, loaded
    from the ministry's historical record (`dialogue/data/historical_record.json`). Both sides
    read it: it is shared history. What the North says is kept where it signs it, in the joint
    liaison office's two-party log (`liaison`: its notices, letters and proposals, each signed
    by its own side), never by rewriting the South's record — so `liaison_n` may read the record
    of the 1971 talks but not retitle it. The South's liaison officers are the ministry's staff
    at the office and record the talks they arrange there."""
    if user.is_superuser:
        return True
    return user.has_role(Role.OFFICER) and _keeps_dialogue_record(user)


def can_change_agreement_status(user: User) -> bool:
    """A change of an agreement's status (suspended, superseded...) needs a supervisor of the
    record's keepers (the South's, as for every write: see `can_edit_dialogue`)."""
    if user.is_superuser:
        return True
    return user.has_role(Role.SUPERVISOR) and _keeps_dialogue_record(user)


def can_view_audit(user: User) -> bool:
    return user.has_role(Role.SUPERVISOR)


def can_view_all_jobs(user: User) -> bool:
    return user.has_role(Role.SUPERVISOR)


def can_run_jobs(user: User) -> bool:
    return user.has_role(Role.OFFICER)


def require(allowed: bool) -> None:
    if not allowed:
        raise permission_denied()


def _get(qs: QuerySet[Any], pk: Any, what_ko: str, what_en: str) -> Any:
    """One row of an already-permitted queryset, or a 404 naming what was asked for."""
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValidationError, ValueError, TypeError, OverflowError) as exc:
        raise not_found(what_ko, what_en, pk) from exc


# --- reads ---------------------------------------------------------------------------------------


def talks_for_user(user: User) -> QuerySet[Talks]:
    """The record of talks is shared history: every signed-in user of either side may read it."""
    from panmun.dialogue.models import Talks

    require_authenticated(user)
    return Talks.objects.all()


def get_talks_for_user(user: User, pk: Any) -> Talks:
    return _get(talks_for_user(user), pk, "회담", "Talks")  # type: ignore[no-any-return]


def get_talks_for_edit(user: User, pk: Any) -> Talks:
    talks = get_talks_for_user(user, pk)
    require(can_edit_dialogue(user))
    return talks


def agreements_for_user(user: User) -> QuerySet[Agreement]:
    from panmun.dialogue.models import Agreement

    require_authenticated(user)
    return Agreement.objects.all()


def get_agreement_for_user(user: User, pk: Any) -> Agreement:
    return _get(agreements_for_user(user), pk, "합의서", "Agreement")  # type: ignore[no-any-return]


def events_for_user(user: User) -> QuerySet[Event]:
    from panmun.dialogue.models import Event

    require_authenticated(user)
    return Event.objects.all()


def get_event_for_user(user: User, pk: Any) -> Event:
    return _get(events_for_user(user), pk, "사건", "Event")  # type: ignore[no-any-return]


def audit_entries_for_user(user: User) -> QuerySet[AuditEntry]:
    require_authenticated(user)
    require(can_view_audit(user))
    return AuditEntry.objects.select_related("actor")


def jobs_for_user(user: User) -> QuerySet[Job]:
    """A user sees the jobs they started; supervisors see everyone's."""
    from panmun.jobs.models import Job

    require_authenticated(user)
    qs = Job.objects.select_related("created_by")
    return qs if can_view_all_jobs(user) else qs.filter(created_by=user)


def get_job_for_user(user: User, pk: Any) -> Job:
    return _get(jobs_for_user(user), pk, "작업", "Job")  # type: ignore[no-any-return]


def tokens_for_user(user: User) -> QuerySet[ApiToken]:
    """Each user sees and revokes only their own API tokens."""
    require_authenticated(user)
    return ApiToken.objects.filter(user=user)


def get_token_for_user(user: User, pk: Any) -> ApiToken:
    return _get(tokens_for_user(user), pk, "API 토큰", "API token")  # type: ignore[no-any-return]


# --- separated families ------------------------------------------------------------------------

# The registry is kept by the South's Red Cross and ministry; the other side's Red Cross sees
# only the request lists sent to it.
REGISTRY_KEEPERS = {OrganisationKind.RED_CROSS, OrganisationKind.MINISTRY}


def can_read_registry(user: User) -> bool:
    if user.is_superuser:
        return True
    return user.side_code == "south" and _org_kind(user) in REGISTRY_KEEPERS


def can_edit_registry(user: User) -> bool:
    return can_read_registry(user) and user.has_role(Role.OFFICER)


def can_export_registry(user: User) -> bool:
    """Files of personal data taken out of Panmun (the registry as CSV, Excel or PFIF, with
    addresses and phone numbers): officers and above of the South's Red Cross and ministry.
    A viewer reads the registry on its pages but never takes a copy away; every export is
    audited with its row count."""
    return can_read_registry(user) and user.has_role(Role.OFFICER)


def is_tracing_counterpart(user: User) -> bool:
    """The other side's Red Cross: answers the tracing requests sent to it."""
    return (
        not user.is_superuser
        and user.side_code == "north"
        and _org_kind(user) == OrganisationKind.RED_CROSS
    )


def may_see_seeker(user: User, applicant: Person) -> bool:
    """Whether `user` may be told who seeks a relative on a tracing request: the applicant's
    name and their relation to the person sought. The one rule the round's page, the API and
    the request list documents (PDF, Excel) all follow.

    The South's registry readers see it always (it is their registry). The other side's Red
    Cross sees it only where the applicant agreed that the other side be told their name
    (`Person.consent_name`, recorded with who took it and when): as in the programme's
    practice, a request tells the other side who is looking so that a relative found can be
    told, with the applicant's consent. Without it the other side reads a neutral wording,
    "a relative in the South" (남측의 가족). Everyone else sees no request at all."""
    if can_read_registry(user):
        return True
    return is_tracing_counterpart(user) and bool(applicant.consent_name)


def can_enter_replies(user: User) -> bool:
    return can_edit_registry(user) or (is_tracing_counterpart(user) and user.has_role(Role.OFFICER))


def persons_for_user(user: User) -> QuerySet[Person]:
    """The registry (persons not merged into another): South keepers only."""
    from panmun.families.models import Person

    require_authenticated(user)
    require(can_read_registry(user))
    return Person.objects.filter(merged_into__isnull=True)


def get_person_for_user(user: User, pk: Any) -> Person:
    from panmun.families.models import Person

    require_authenticated(user)
    require(can_read_registry(user))
    # A merged person stays reachable by its id (the merge can be undone from its page).
    return _get(Person.objects.all(), pk, "인물", "Person")  # type: ignore[no-any-return]


def get_person_for_edit(user: User, pk: Any) -> Person:
    person = get_person_for_user(user, pk)
    require(can_edit_registry(user))
    return person


def duplicates_for_user(user: User) -> QuerySet[DuplicateCandidate]:
    from panmun.families.models import DuplicateCandidate

    require_authenticated(user)
    require(can_read_registry(user))
    return DuplicateCandidate.objects.select_related("first", "second")


def get_duplicate_for_user(user: User, pk: Any) -> DuplicateCandidate:
    return _get(duplicates_for_user(user), pk, "중복 후보", "Duplicate candidate")  # type: ignore[no-any-return]


def tracing_rounds_for_user(user: User) -> QuerySet[TracingRound]:
    """South keepers see every round; the other side's Red Cross only the rounds sent to it."""
    from panmun.families.models import RoundStatus, TracingRound

    require_authenticated(user)
    if can_read_registry(user):
        return TracingRound.objects.all()
    require(is_tracing_counterpart(user))
    return TracingRound.objects.exclude(status=RoundStatus.DRAFT)


def get_round_for_user(user: User, pk: Any) -> TracingRound:
    return _get(tracing_rounds_for_user(user), pk, "생사확인 회차", "Tracing round")  # type: ignore[no-any-return]


def can_export_request_list(user: User) -> bool:
    """A round's request list as a file (PDF, Excel): the South's exporters, and the officers of
    the other side's Red Cross it was sent to (they need the file to trace the people on it).
    A viewer reads the list on the round's page only."""
    return can_export_registry(user) or (
        is_tracing_counterpart(user) and user.has_role(Role.OFFICER)
    )


def get_round_for_export(user: User, pk: Any) -> TracingRound:
    tracing_round = get_round_for_user(user, pk)
    require(can_export_request_list(user))
    return tracing_round


def get_round_for_edit(user: User, pk: Any) -> TracingRound:
    tracing_round = get_round_for_user(user, pk)
    require(can_edit_registry(user))
    return tracing_round


def get_round_for_replies(user: User, pk: Any) -> TracingRound:
    tracing_round = get_round_for_user(user, pk)
    require(can_enter_replies(user))
    return tracing_round


def replies_for_user(user: User, tracing_round: TracingRound) -> QuerySet[TracingReply]:
    from panmun.families.models import TracingReply

    get_round_for_user(user, tracing_round.pk)
    return TracingReply.objects.filter(round=tracing_round).select_related(
        "request__seeking__sought", "request__seeking__applicant"
    )


def get_reply_for_review(user: User, pk: Any) -> TracingReply:
    from panmun.families.models import TracingReply

    require_authenticated(user)
    require(can_edit_registry(user))
    return _get(TracingReply.objects.select_related("round"), pk, "회신", "Reply")  # type: ignore[no-any-return]


def merges_for_user(user: User) -> QuerySet[Merge]:
    from panmun.families.models import Merge

    require_authenticated(user)
    require(can_read_registry(user))
    return Merge.objects.select_related("kept", "merged")


def get_merge_for_edit(user: User, pk: Any) -> Merge:
    merge = _get(merges_for_user(user), pk, "병합", "Merge")
    require(can_edit_registry(user))
    return merge  # type: ignore[no-any-return]


# --- reunion rounds ----------------------------------------------------------------------------

# The South's registry keepers run the rounds; a supervisor sets the criteria, runs the draw,
# fixes the final list and may step a round back. The other side's Red Cross sees the rounds
# from the moment the pool is frozen — the commitment and, after the draw, the bundle, which
# hold no personal data — and the final list, to give theirs.


def can_run_selection(user: User) -> bool:
    return can_read_registry(user) and user.has_role(Role.SUPERVISOR)


def reunion_rounds_for_user(user: User) -> QuerySet[ReunionRound]:
    from panmun.reunion.models import ReunionRound, Stage

    require_authenticated(user)
    if can_read_registry(user):
        return ReunionRound.objects.all()
    require(is_tracing_counterpart(user))
    return ReunionRound.objects.exclude(stage=Stage.DRAFT)


def get_reunion_round_for_user(user: User, pk: Any) -> ReunionRound:
    return _get(reunion_rounds_for_user(user), pk, "상봉 회차", "Reunion round")  # type: ignore[no-any-return]


def get_reunion_round_for_edit(user: User, pk: Any) -> ReunionRound:
    reunion_round = get_reunion_round_for_user(user, pk)
    require(can_edit_registry(user))
    return reunion_round


def get_reunion_round_for_selection(user: User, pk: Any) -> ReunionRound:
    reunion_round = get_reunion_round_for_user(user, pk)
    require(can_run_selection(user))
    return reunion_round


def get_event_for_edit(user: User, pk: Any) -> ReunionEvent:
    """The in-person event of round `pk`; a video round has none (404)."""
    from panmun.reunion.models import ReunionEvent

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
    return can_export_request_list(user)


def candidates_for_user(user: User, reunion_round: ReunionRound) -> QuerySet[Candidate]:
    """The pool with names: South keepers only (the other side sees draw ids in the bundle)."""
    from panmun.reunion.models import Candidate

    require_authenticated(user)
    require(can_read_registry(user))
    return Candidate.objects.filter(round=reunion_round).select_related("applicant")


def participants_for_user(user: User, reunion_round: ReunionRound) -> QuerySet[Participant]:
    """The final list: South keepers, and the other side's Red Cross once the list is fixed."""
    from panmun.reunion.models import Participant, Stage

    get_reunion_round_for_user(user, reunion_round.pk)
    if not can_read_registry(user):
        require(reunion_round.stage == Stage.FINAL)
    return Participant.objects.filter(round=reunion_round).select_related("candidate__applicant")


def get_participant_for_edit(user: User, pk: Any) -> Participant:
    from panmun.reunion.models import Participant

    require_authenticated(user)
    require(can_edit_registry(user))
    return _get(  # type: ignore[no-any-return]
        Participant.objects.select_related("round", "candidate__applicant"),
        pk,
        "상봉 가족",
        "Participating family",
    )


def get_participant_for_north_list(user: User, pk: Any) -> Participant:
    """Either side's Red Cross officers enter the relatives the family will meet."""
    from panmun.reunion.models import Participant, Stage

    require_authenticated(user)
    require(can_enter_replies(user))
    participant: Participant = _get(
        Participant.objects.select_related("round", "candidate__applicant"),
        pk,
        "상봉 가족",
        "Participating family",
    )
    if not can_read_registry(user):
        require(participant.round.stage == Stage.FINAL)
    return participant


def video_letters_for_user(user: User) -> QuerySet[VideoLetter]:
    from panmun.reunion.models import VideoLetter

    require_authenticated(user)
    require(can_read_registry(user))
    return VideoLetter.objects.select_related("applicant")


def get_video_letter_for_edit(user: User, pk: Any) -> VideoLetter:
    letter = _get(video_letters_for_user(user), pk, "영상편지", "Video letter")
    require(can_edit_registry(user))
    return letter  # type: ignore[no-any-return]


# --- the liaison record ----------------------------------------------------------------------

# Organisations whose staff read the liaison record (both sides see the whole exchange).
LIAISON_READERS = {OrganisationKind.LIAISON_OFFICE, OrganisationKind.MINISTRY}


def can_read_liaison(user: User) -> bool:
    return user.is_superuser or _org_kind(user) in LIAISON_READERS


def can_write_liaison(user: User) -> bool:
    """Officers of a side's liaison office sign for that side; the joint office has no side
    and signs for neither."""
    return (
        user.has_role(Role.OFFICER)
        and _org_kind(user) == OrganisationKind.LIAISON_OFFICE
        and user.side_code is not None
    )


def can_rotate_liaison_keys(user: User) -> bool:
    return user.has_role(Role.SUPERVISOR) and can_write_liaison(user)


def can_exchange_liaison(user: User, side: str) -> bool:
    """The other side's node delivers its own side's log, with a token of one of its officers."""
    return can_write_liaison(user) and user.side_code == side


def liaison_entries_for_user(user: User) -> QuerySet[LiaisonEntry]:
    from panmun.liaison.models import Entry

    require(can_read_liaison(user))
    return Entry.objects.select_related("log", "author")


def get_liaison_entry_for_user(user: User, side: Any, index: Any) -> LiaisonEntry:
    qs = liaison_entries_for_user(user)
    try:
        return qs.get(log__side=side, index=int(index))
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise not_found("연락 기록", "Liaison entry", f"{side}/{index}") from exc


def get_liaison_entry_for_answer(user: User, side: Any, index: Any) -> LiaisonEntry:
    """An entry the user's side may answer: one the other side sent."""
    entry = get_liaison_entry_for_user(user, side, index)
    require(can_write_liaison(user) and entry.from_side != user.side_code)
    return entry


def contact_calls_for_user(user: User) -> QuerySet[ContactCall]:
    from panmun.liaison.models import ContactCall

    require(can_read_liaison(user))
    return ContactCall.objects.select_related("placed", "answer", "unanswered")


def get_call_for_answer(user: User, pk: Any) -> ContactCall:
    """A call the user's side may answer: one placed by the other side."""
    call: ContactCall = _get(contact_calls_for_user(user), pk, "연락 통화", "Contact call")
    require(can_write_liaison(user) and call.calling_side != user.side_code)
    return call
