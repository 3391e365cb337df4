"""Who may see and do what — decided here and nowhere else.

Every read that depends on the asking user goes through a helper in this module; the helpers raise
`DomainError` (404 / 403) themselves, so views, the API and the CLI never filter by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from panmun.errors import DomainError, ErrorCode, not_found, permission_denied

from .models import ApiToken, AuditEntry, OrganisationKind, Role, User

if TYPE_CHECKING:
    from panmun.dialogue.models import Agreement, Event, Talks
    from panmun.jobs.models import Job

# Organisations whose officers keep the record of talks and agreements.
DIALOGUE_KEEPERS = {OrganisationKind.MINISTRY, OrganisationKind.LIAISON_OFFICE}


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


def can_edit_dialogue(user: User) -> bool:
    """Officers (and above) of a ministry or of the liaison office record talks and agreements."""
    if user.is_superuser:
        return True
    return user.has_role(Role.OFFICER) and _org_kind(user) in DIALOGUE_KEEPERS


def can_change_agreement_status(user: User) -> bool:
    """A change of an agreement's status (suspended, superseded...) needs a supervisor."""
    if user.is_superuser:
        return True
    return user.has_role(Role.SUPERVISOR) and _org_kind(user) in DIALOGUE_KEEPERS


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
