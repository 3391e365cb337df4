"""Who may read the joint liaison office's record and sign for a side.

Both sides' liaison offices and ministries read the whole exchange; officers of a side's
liaison office sign for that side. Built on the primitives of `accounts.access`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from panmun.accounts.access import get_or_404, org_kind, require
from panmun.accounts.models import OrganisationKind, Role, User
from panmun.common.errors import not_found

from .models import ContactCall, Entry

# Organisations whose staff read the liaison record (both sides see the whole exchange).
LIAISON_READERS = {OrganisationKind.LIAISON_OFFICE, OrganisationKind.MINISTRY}


def can_read_liaison(user: User) -> bool:
    return user.is_superuser or org_kind(user) in LIAISON_READERS


def can_write_liaison(user: User) -> bool:
    """Officers of a side's liaison office sign for that side; the joint office has no side
    and signs for neither."""
    return (
        user.has_role(Role.OFFICER)
        and org_kind(user) == OrganisationKind.LIAISON_OFFICE
        and user.side_code is not None
    )


def can_rotate_liaison_keys(user: User) -> bool:
    return user.has_role(Role.SUPERVISOR) and can_write_liaison(user)


def can_exchange_liaison(user: User, side: str) -> bool:
    """The other side's node delivers its own side's log, with a token of one of its officers."""
    return can_write_liaison(user) and user.side_code == side


def liaison_entries_for_user(user: User) -> QuerySet[Entry]:
    require(can_read_liaison(user))
    return Entry.objects.select_related("log", "author")


def get_liaison_entry_for_user(user: User, side: Any, index: Any) -> Entry:
    qs = liaison_entries_for_user(user)
    try:
        return qs.get(log__side=side, index=int(index))
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise not_found("연락 기록", "Liaison entry", f"{side}/{index}") from exc


def get_liaison_entry_for_answer(user: User, side: Any, index: Any) -> Entry:
    """An entry the user's side may answer: one the other side sent."""
    entry = get_liaison_entry_for_user(user, side, index)
    require(can_write_liaison(user) and entry.from_side != user.side_code)
    return entry


def contact_calls_for_user(user: User) -> QuerySet[ContactCall]:
    require(can_read_liaison(user))
    return ContactCall.objects.select_related("placed", "answer", "unanswered")


def get_call_for_answer(user: User, pk: Any) -> ContactCall:
    """A call the user's side may answer: one placed by the other side."""
    call: ContactCall = get_or_404(contact_calls_for_user(user), pk, "연락 통화", "Contact call")
    require(can_write_liaison(user) and call.calling_side != user.side_code)
    return call
