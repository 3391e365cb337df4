"""Who may see and do what: the primitives every app's `access.py` is built of, and the rules
for this app's own records (the audit log, API tokens).

Every read that depends on the asking user goes through an access helper: these primitives,
or the querysets and getters of the app whose records they are (`families.access`,
`reunion.access`, `liaison.access`, `dialogue.access`, `jobs.access`). The helpers raise
`DomainError` (404 / 403) themselves, so views, the API and the CLI never filter by hand.
This module imports no domain app: they import it. The whole policy, route by route and
persona by persona, is the one table of `tests/test_permissions.py`.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet

from panmun.common.errors import DomainError, ErrorCode, not_found, permission_denied

from .models import CROSSING_AGENCIES, ApiToken, AuditEntry, OrganisationKind, Role, User

M = TypeVar("M", bound=Model)


def require_authenticated(user: Any) -> User:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        raise DomainError(
            ErrorCode.NOT_AUTHENTICATED,
            "로그인이 필요합니다.",
            "You must sign in first.",
        )
    return user  # type: ignore[no-any-return]


def require(allowed: bool) -> None:
    if not allowed:
        raise permission_denied()


def get_or_404(qs: QuerySet[M], pk: Any, what_ko: str, what_en: str) -> M:
    """One row of an already-permitted queryset, or a 404 naming what was asked for (an unknown
    id and a malformed one alike)."""
    try:
        return qs.get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError, OverflowError) as exc:
        raise not_found(what_ko, what_en, pk) from exc


def org_kind(user: User) -> str | None:
    """The kind of the user's organisation (`OrganisationKind`), None for a user without one:
    what the apps' rules look at besides the user's role (`User.has_role`) and side."""
    org = user.organisation
    return org.kind if org is not None else None


def is_south_red_cross_or_ministry(user: User) -> bool:
    """The South's Red Cross and Ministry of Unification (and the superuser): they keep the
    registry of separated families and run its tracing rounds and reunions."""
    if user.is_superuser:
        return True
    return user.side_code == "south" and org_kind(user) in (
        OrganisationKind.RED_CROSS,
        OrganisationKind.MINISTRY,
    )


def is_north_red_cross(user: User) -> bool:
    """The other side's Red Cross: it answers the South's tracing requests and gives its list of
    reunion participants."""
    return (
        not user.is_superuser
        and user.side_code == "north"
        and org_kind(user) == OrganisationKind.RED_CROSS
    )


# --- this app's own records ---------------------------------------------------------------


def supervises_programmes(user: User) -> bool:
    """A supervisor of the programmes (the ministry's, or of an organisation running one): not
    a supervisor of an agency at the crossing, whose powers stop at that agency's work."""
    return user.has_role(Role.SUPERVISOR) and (
        user.is_superuser or org_kind(user) not in CROSSING_AGENCIES
    )


def can_view_audit(user: User) -> bool:
    return supervises_programmes(user)


def audit_entries_for_user(user: User) -> QuerySet[AuditEntry]:
    require_authenticated(user)
    require(can_view_audit(user))
    return AuditEntry.objects.select_related("actor")


def tokens_for_user(user: User) -> QuerySet[ApiToken]:
    """Each user sees and revokes only their own API tokens."""
    require_authenticated(user)
    return ApiToken.objects.filter(user=user)


def get_token_for_user(user: User, pk: Any) -> ApiToken:
    return get_or_404(tokens_for_user(user), pk, "API 토큰", "API token")
