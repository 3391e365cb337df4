"""Who may see and keep the aid ledger.

- The Ministry of Unification's officers keep all of it; its supervisors also grant exceptions
  to a measure in force; its viewers read all of it.
- An aid organisation's officers keep their own organisation's activities and shipments (and
  read the reports, which are the ministry's published figures).
- An organisation of the North sees the shipments addressed to it, and acknowledges them.

Built on the primitives of `accounts.access`; views and the API never filter by hand."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from panmun.accounts.access import get_or_404, org_kind, require, require_authenticated
from panmun.accounts.models import OrganisationKind, Role, User

from .models import Activity, Loan, Shipment


def _ministry(user: User, role: Role) -> bool:
    if user.is_superuser:
        return True
    return (
        user.side_code == "south"
        and org_kind(user) == OrganisationKind.MINISTRY
        and user.has_role(role)
    )


def can_keep_ledger(user: User) -> bool:
    """The ministry's officers keep the whole ledger: activities, money, loans, history."""
    return _ministry(user, Role.OFFICER)


def can_grant_exception(user: User) -> bool:
    """An exception to a measure in force is a supervisor's of the ministry."""
    return _ministry(user, Role.SUPERVISOR)


def is_aid_organisation(user: User) -> bool:
    """An officer of a South aid organisation, which keeps its own activities."""
    return (
        user.side_code == "south"
        and org_kind(user) == OrganisationKind.AID_ORGANISATION
        and user.has_role(Role.OFFICER)
    )


def can_read_ledger(user: User) -> bool:
    """The ministry (viewers included) reads the whole ledger; an aid organisation its own."""
    return _ministry(user, Role.VIEWER) or is_aid_organisation(user)


def can_add_activity(user: User) -> bool:
    return can_keep_ledger(user) or is_aid_organisation(user)


def can_export_in_a_job(user: User) -> bool:
    """A large IATI export runs as a job: jobs are started by officers (`jobs.access`), so the
    ledger's officers — not its viewers, who download the bounded export."""
    return can_read_ledger(user) and user.has_role(Role.OFFICER)


def is_north_recipient(user: User) -> bool:
    """An officer of an organisation of the North, which sees the shipments sent to it."""
    return user.side_code == "north" and user.has_role(Role.OFFICER)


def can_see_aid(user: User) -> bool:
    """Anyone with a page in the aid app: the navigation's predicate."""
    return can_read_ledger(user) or is_north_recipient(user)


def activities_for_user(user: User) -> QuerySet[Activity]:
    """The ministry sees every activity; an aid organisation its own."""
    require_authenticated(user)
    if _ministry(user, Role.VIEWER):
        return Activity.objects.all()
    require(is_aid_organisation(user))
    return Activity.objects.filter(Q(organisation_id=user.organisation_id))


def activities_for_edit(user: User) -> QuerySet[Activity]:
    """The activities `user` may change: all for the ministry's officers, an aid
    organisation's own for its officers. A viewer changes none."""
    require_authenticated(user)
    if can_keep_ledger(user):
        return Activity.objects.all()
    require(is_aid_organisation(user))
    return Activity.objects.filter(Q(organisation_id=user.organisation_id))


def activities_editable(user: User) -> QuerySet[Activity]:
    """What `user` may change, or none for a reader (no refusal: for pages that show an edit
    link only to those who may follow it)."""
    if can_keep_ledger(user) or is_aid_organisation(user):
        return activities_for_edit(user)
    return Activity.objects.none()


def get_activity_for_user(user: User, pk: Any) -> Activity:
    return get_or_404(activities_for_user(user), pk, "지원 사업", "Aid activity")


def get_activity_for_edit(user: User, pk: Any) -> Activity:
    activity = get_activity_for_user(user, pk)
    require(activities_for_edit(user).filter(pk=activity.pk).exists())
    return activity


def shipments_for_user(user: User) -> QuerySet[Shipment]:
    """The ledger's readers see the shipments of the activities they see; an organisation of
    the North sees those addressed to it, once sent."""
    require_authenticated(user)
    if can_read_ledger(user):
        return Shipment.objects.filter(activity__in=activities_for_user(user))
    require(is_north_recipient(user))
    return Shipment.objects.filter(
        recipient_organisation_id=user.organisation_id,
        state__in=("sent", "received", "returning"),
    )


def get_shipment_for_user(user: User, pk: Any) -> Shipment:
    qs = shipments_for_user(user).select_related("activity")
    return get_or_404(qs, pk, "수송", "Shipment")


def get_shipment_for_edit(user: User, pk: Any) -> Shipment:
    shipment = get_shipment_for_user(user, pk)
    require(activities_for_edit(user).filter(pk=shipment.activity_id).exists())
    return shipment


def can_acknowledge(user: User, shipment: Shipment) -> bool:
    """The North's recipient organisation acknowledges the receipt of a shipment sent to it."""
    return (
        is_north_recipient(user)
        and shipment.recipient_organisation_id is not None
        and shipment.recipient_organisation_id == user.organisation_id
    )


def can_read_loans(user: User) -> bool:
    """Loans are the government's: the ministry reads them (its officers keep them)."""
    return _ministry(user, Role.VIEWER)


def loans_for_user(user: User) -> QuerySet[Loan]:
    """Loans are the government's: the ministry reads them (its officers keep them)."""
    require_authenticated(user)
    require(can_read_loans(user))
    return Loan.objects.all()


def get_loan_for_user(user: User, pk: Any) -> Loan:
    return get_or_404(loans_for_user(user), pk, "차관", "Loan")


def can_read_reports(user: User) -> bool:
    """The reports are the ledger's totals: the ministry's and the aid organisations'."""
    return can_read_ledger(user)
