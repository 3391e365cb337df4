"""Who may read and write the registry of separated families and its tracing rounds.

The registry is the South's Red Cross's and ministry's; the other side's Red Cross sees the
tracing rounds sent to it and answers them. Built on the primitives of `accounts.access`;
`reunion.access` builds on the predicates here.
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

from .models import (
    DuplicateCandidate,
    Merge,
    Person,
    RoundStatus,
    TracingReply,
    TracingRound,
)


def can_read_registry(user: User) -> bool:
    """The registry is kept by the South's Red Cross and ministry; the other side's Red Cross
    sees only the request lists sent to it."""
    return is_south_red_cross_or_ministry(user)


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
    return is_north_red_cross(user)


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
    require_authenticated(user)
    require(can_read_registry(user))
    return Person.objects.filter(merged_into__isnull=True)


def get_person_for_user(user: User, pk: Any) -> Person:
    require_authenticated(user)
    require(can_read_registry(user))
    # A merged person stays reachable by its id (the merge can be undone from its page).
    return get_or_404(Person.objects.all(), pk, "인물", "Person")


def get_person_for_edit(user: User, pk: Any) -> Person:
    person = get_person_for_user(user, pk)
    require(can_edit_registry(user))
    return person


def duplicates_for_user(user: User) -> QuerySet[DuplicateCandidate]:
    require_authenticated(user)
    require(can_read_registry(user))
    return DuplicateCandidate.objects.select_related("first", "second")


def get_duplicate_for_user(user: User, pk: Any) -> DuplicateCandidate:
    return get_or_404(duplicates_for_user(user), pk, "중복 후보", "Duplicate candidate")


def tracing_rounds_for_user(user: User) -> QuerySet[TracingRound]:
    """South keepers see every round; the other side's Red Cross only the rounds sent to it."""
    require_authenticated(user)
    if can_read_registry(user):
        return TracingRound.objects.all()
    require(is_tracing_counterpart(user))
    return TracingRound.objects.exclude(status=RoundStatus.DRAFT)


def get_round_for_user(user: User, pk: Any) -> TracingRound:
    return get_or_404(tracing_rounds_for_user(user), pk, "생사확인 회차", "Tracing round")


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
    get_round_for_user(user, tracing_round.pk)
    return TracingReply.objects.filter(round=tracing_round).select_related(
        "request__seeking__sought", "request__seeking__applicant"
    )


def get_reply_for_review(user: User, pk: Any) -> TracingReply:
    require_authenticated(user)
    require(can_edit_registry(user))
    return get_or_404(TracingReply.objects.select_related("round"), pk, "회신", "Reply")


def merges_for_user(user: User) -> QuerySet[Merge]:
    require_authenticated(user)
    require(can_read_registry(user))
    return Merge.objects.select_related("kept", "merged")


def get_merge_for_edit(user: User, pk: Any) -> Merge:
    merge = get_or_404(merges_for_user(user), pk, "병합", "Merge")
    require(can_edit_registry(user))
    return merge
