"""Reads for accounts that depend on the asking user."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from panmun.common.errors import DomainError, ErrorCode

from .access import audit_entries_for_user
from .models import AuditEntry, User

# The audit log's date filters as its page names them (시작일 = from, 종료일 = until): a Korean
# officer reads the words of the form, not the parameters' names.
DATE_WORDS = {
    "since": ("시작일", "The start date (since)"),
    "until": ("종료일", "The end date (until)"),
}


def parse_date(name: str, value: str | dt.date | None) -> dt.date | None:
    ko, en = DATE_WORDS.get(name, (name, name))
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"{ko}은 YYYY-MM-DD 형식의 날짜로 적으십시오: {value}",
            f"{en} must be a date written YYYY-MM-DD: {value}",
            {"field": name},
        ) from exc


def audit_search(
    user: User,
    *,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """The audit log filtered as a supervisor asks; newest first."""
    entries = audit_entries_for_user(user)
    since_d, until_d = parse_date("since", since), parse_date("until", until)
    if since_d and until_d and since_d > until_d:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "시작일이 종료일보다 늦습니다.",
            "The start date (since) is after the end date (until).",
            {"field": "since"},
        )
    if actor:
        entries = entries.filter(actor_label__icontains=actor)
    if action:
        entries = entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if since_d:
        entries = entries.filter(at__date__gte=since_d)
    if until_d:
        entries = entries.filter(at__date__lte=until_d)
    return entries
