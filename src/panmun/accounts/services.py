"""Writes for accounts: API tokens and the user's language. Each one writes its audit entry."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from panmun.errors import DomainError, ErrorCode

from . import audit
from .access import get_token_for_user, require_authenticated
from .models import ApiToken, User

TOKEN_PREFIX = "pmn_"


def token_digest(raw: str) -> str:
    """Tokens are 256-bit random strings, so a plain SHA-256 is the right one-way store."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for `actor`. Returns the row and the token text, which is never stored."""
    require_authenticated(actor)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "토큰 이름은 1자 이상 100자 이하여야 합니다.",
            "The token name must be 1 to 100 characters long.",
            {"field": "name"},
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=actor, name=name, prefix=raw[: len(TOKEN_PREFIX) + 6], digest=token_digest(raw)
    )
    token.full_clean()
    token.save()
    audit.record(actor=actor, action="accounts.token.create", obj=token, changes={"name": name})
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token_id: int) -> ApiToken:
    token = get_token_for_user(actor, token_id)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise DomainError(
            ErrorCode.CONFLICT,
            "이미 폐기된 토큰입니다.",
            "This token has already been revoked.",
            {"id": token.pk},
        )
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="accounts.token.revoke", obj=token)
    return token


def user_for_token(raw: str) -> User | None:
    """The active user a token belongs to, or None. Marks the token as used."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def language_validate(language: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"지원하지 않는 언어입니다: {language}",
            f"Unsupported language: {language}",
            {"field": "language", "allowed": codes},
        )
    return language


@transaction.atomic
def user_set_language(*, actor: User, language: str) -> User:
    language_validate(language)
    if actor.language != language:
        old = actor.language
        actor.language = language
        actor.save(update_fields=["language"])
        audit.record(
            actor=actor,
            action="accounts.user.language",
            obj=actor,
            changes={"language": [old, language]},
        )
    return actor
