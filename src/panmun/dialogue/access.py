"""Who may read and write the record of talks, agreements and events.

The record is shared history: every signed-in user of either side reads it; only the South's
keepers write it (`can_edit_dialogue`). Built on the primitives of `accounts.access`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from panmun.accounts.access import get_or_404, org_kind, require, require_authenticated
from panmun.accounts.models import OrganisationKind, Role, User

from .models import Agreement, Event, Talks

# Organisations whose officers keep the record of talks and agreements (of the South: see
# `can_edit_dialogue`).
DIALOGUE_KEEPERS = {OrganisationKind.MINISTRY, OrganisationKind.LIAISON_OFFICE}


# The side whose record the dialogue record is.
DIALOGUE_RECORD_SIDE = "south"


def _keeps_dialogue_record(user: User) -> bool:
    return user.side_code == DIALOGUE_RECORD_SIDE and org_kind(user) in DIALOGUE_KEEPERS


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


def talks_for_user(user: User) -> QuerySet[Talks]:
    """The record of talks is shared history: every signed-in user of either side may read it."""
    require_authenticated(user)
    return Talks.objects.all()


def get_talks_for_user(user: User, pk: Any) -> Talks:
    return get_or_404(talks_for_user(user), pk, "회담", "Talks")


def get_talks_for_edit(user: User, pk: Any) -> Talks:
    talks = get_talks_for_user(user, pk)
    require(can_edit_dialogue(user))
    return talks


def agreements_for_user(user: User) -> QuerySet[Agreement]:
    require_authenticated(user)
    return Agreement.objects.all()


def get_agreement_for_user(user: User, pk: Any) -> Agreement:
    return get_or_404(agreements_for_user(user), pk, "합의서", "Agreement")


def events_for_user(user: User) -> QuerySet[Event]:
    require_authenticated(user)
    return Event.objects.all()


def get_event_for_user(user: User, pk: Any) -> Event:
    return get_or_404(events_for_user(user), pk, "사건", "Event")
