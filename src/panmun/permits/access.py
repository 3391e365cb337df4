"""Who may file, see and decide exchange approvals.

An applicant — a person of a South organisation (a firm, an aid organisation, ...) — files and
follows the applications of their organisation (or their own, without one). The Ministry of
Unification's officers review and decide; its supervisors also revoke an approval in force.
Built on the primitives of `accounts.access`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from panmun.accounts.access import get_or_404, org_kind, require, require_authenticated
from panmun.accounts.models import CROSSING_AGENCIES, OrganisationKind, Role, User

from .models import Application, Approval, Profile


def can_apply(user: User) -> bool:
    """A person of the South files applications: not of the ministry, which decides, nor of
    the agencies at the crossing, which check what was approved."""
    return (
        user.side_code == "south"
        and org_kind(user) != OrganisationKind.MINISTRY
        and org_kind(user) not in CROSSING_AGENCIES
        and user.has_role(Role.OFFICER)
    )


def can_review(user: User) -> bool:
    """The ministry's officers review and decide."""
    if user.is_superuser:
        return True
    return (
        user.side_code == "south"
        and org_kind(user) == OrganisationKind.MINISTRY
        and user.has_role(Role.OFFICER)
    )


def can_revoke(user: User) -> bool:
    """Ending an approval in force is a supervisor's of the ministry."""
    return can_review(user) and user.has_role(Role.SUPERVISOR)


def can_except(user: User) -> bool:
    """An exception to a measure of the policy in force is a ministry supervisor's."""
    return can_revoke(user)


def shares_applications(user: User) -> bool:
    """The people of a firm or an NGO file and follow their organisation's applications
    together; individual applicants each their own."""
    return user.organisation_id is not None and org_kind(user) != OrganisationKind.INDIVIDUALS


def is_applicant_of(user: User, application: Application) -> bool:
    if application.applicant_id == user.pk:
        return True
    return (
        shares_applications(user)
        and application.organisation_id is not None
        and application.organisation_id == user.organisation_id
    )


def is_north_partner(user: User) -> bool:
    """An officer of an organisation of the North, which sees the visits it invited."""
    return user.side_code == "north" and user.has_role(Role.OFFICER)


def applications_for_user(user: User) -> QuerySet[Application]:
    """The ministry sees every application; an applicant their own and, but for individual
    applicants, their organisation's."""
    require_authenticated(user)
    if can_review(user):
        return Application.objects.all()
    require(can_apply(user))
    mine = Q(applicant=user)
    if shares_applications(user):
        mine |= Q(organisation_id=user.organisation_id)
    return Application.objects.filter(mine)


def invitations_for_user(user: User) -> QuerySet[Approval]:
    """The visit approvals a North organisation invited, once filed (names, dates and purpose
    are what its pages show of them; nothing else of the South's applicants)."""
    require_authenticated(user)
    require(is_north_partner(user))
    return (
        Approval.objects.filter(
            kind="visit",
            application__north_organisation_id=user.organisation_id,
        )
        .exclude(state__in=["draft", "withdrawn"])
        .select_related("application")
    )


def get_application_for_user(user: User, pk: Any) -> Application:
    return get_or_404(applications_for_user(user), pk, "신청", "Application")


def get_approval_for_user(user: User, pk: Any) -> Approval:
    qs = Approval.objects.select_related("application").filter(
        application__in=applications_for_user(user)
    )
    return get_or_404(qs, pk, "승인", "Approval")


def profile_for_user(user: User) -> Profile | None:
    """The applicant profile `user` files with, if it has been made: their organisation's, or
    for a person applying in their own name their own (`services.lines.profile_get_or_create`
    makes it)."""
    require_authenticated(user)
    require(can_apply(user))
    if shares_applications(user):
        return Profile.objects.filter(organisation=user.organisation).first()
    return Profile.objects.filter(user=user).first()
