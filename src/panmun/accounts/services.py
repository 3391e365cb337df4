"""Writes for accounts: API tokens and the user's language. Each one writes its audit entry."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.utils import timezone, translation

from panmun.common import hotsql
from panmun.common.errors import DomainError, ErrorCode
from panmun.common.findings import Finding
from panmun.common.locks import brief_lock_wait

from . import audit
from .access import get_token_for_user, require_authenticated
from .models import ApiToken, Organisation, Side, TokenScope, User

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "pmn_"


def token_digest(raw: str) -> str:
    """Tokens are 256-bit random strings, so a plain SHA-256 is the right one-way store."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


#: How long a new token lives: the choices offered, the default, and the longest allowed.
TOKEN_DAYS_CHOICES = (30, 90, 180, 365)
TOKEN_DAYS_DEFAULT = 90
TOKEN_DAYS_MAX = 365
#: What a read-only token may do.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _token_problem(field: str, *, ko: str, en: str) -> DomainError:
    problem = Finding("token_invalid", ko=ko, en=en, field=field)
    return DomainError.from_findings([problem], ko=ko, en=en, field=field)


@transaction.atomic
def api_token_create(
    *,
    actor: User,
    name: str,
    days: int = TOKEN_DAYS_DEFAULT,
    scope: str = TokenScope.READ_WRITE,
) -> tuple[ApiToken, str]:
    """Create a token for `actor`, valid for `days` days (1 to 365) with `scope` (read-only or
    read-write). Returns the row and the token text, which is never stored."""
    require_authenticated(actor)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "토큰 이름은 1자 이상 100자 이하여야 합니다.",
            "The token name must be 1 to 100 characters long.",
            {"field": "name"},
        )
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= TOKEN_DAYS_MAX:
        raise _token_problem(
            "days",
            ko=f"유효 기간은 1일 이상 {TOKEN_DAYS_MAX}일 이하여야 합니다.",
            en=f"A token is valid for 1 to {TOKEN_DAYS_MAX} days.",
        )
    if scope not in TokenScope.values:
        raise _token_problem(
            "scope",
            ko="권한 범위는 읽기 전용(read) 또는 읽기·쓰기(read_write)입니다.",
            en="The scope is read (read only) or read_write (read and write).",
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=actor,
        name=name,
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(raw),
        expires_at=timezone.now() + dt.timedelta(days=days),
        scope=scope,
    )
    token.full_clean()
    token.save()
    audit.record(
        actor=actor,
        action="accounts.token.create",
        obj=token,
        changes={"name": name, "scope": scope, "expires_at": token.expires_at},
    )
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


def _token_of(raw: str) -> ApiToken | None:
    """The unrevoked token of an active user that `raw` is, expired or not, with its user, the
    user's organisation and side: every permission check reads them, and each would otherwise
    be a query of its own on every API request."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    return _TOKEN_LOOKUP.get(token_digest(raw))


class _JoinedLookup:
    """A token, its user, organisation and side read with one SQL statement made once per
    process, the rows turned into model instances with each field's own conversions from the
    database (`from_db`): what `ApiToken.objects.select_related(...).filter(...).first()`
    returns, without compiling that query on every API request. Django's compiling of the
    four-table query was half of the CPU of a cached API answer (docs/benchmarks.md §8)."""

    def __init__(self) -> None:
        self._made: dict[str, tuple[str, list[tuple[type[Model], list[Any]]]]] = {}

    def _make(self) -> tuple[str, list[tuple[type[Model], list[Any]]]]:
        made = self._made.get(connection.vendor)
        if made is not None:
            return made
        quote = connection.ops.quote_name

        def column(model: type[Model], name: str) -> str:
            return quote(str(model._meta.get_field(name).column))  # type: ignore[union-attr]

        chain: list[tuple[type[Model], str]] = [
            (ApiToken, "t"),
            (User, "u"),
            (Organisation, "o"),
            (Side, "s"),
        ]
        columns, converting = [], []
        for model, alias in chain:
            fields = list(model._meta.concrete_fields)
            columns += [f"{alias}.{quote(str(field.column))}" for field in fields]
            converting.append((model, [(field, _converters(field, alias)) for field in fields]))
        tables = {alias: quote(model._meta.db_table) for model, alias in chain}
        # Identifiers from the models' metadata only, quoted; the values are parameters.
        parts = [
            "SELECT",
            ", ".join(columns),
            f"FROM {tables['t']} t",
            f"INNER JOIN {tables['u']} u ON u.{column(User, 'id')} = t.{column(ApiToken, 'user')}",
            f"LEFT OUTER JOIN {tables['o']} o",
            f"ON o.{column(Organisation, 'id')} = u.{column(User, 'organisation')}",
            f"LEFT OUTER JOIN {tables['s']} s",
            f"ON s.{column(Side, 'id')} = o.{column(Organisation, 'side')}",
            f"WHERE t.{column(ApiToken, 'digest')} = %s",
            f"AND t.{column(ApiToken, 'revoked_at')} IS NULL",
            f"AND u.{column(User, 'is_active')} = %s",
        ]
        made = (" ".join(parts), converting)
        self._made[connection.vendor] = made
        return made

    def get(self, digest: str) -> ApiToken | None:
        sql, converting = self._make()
        found = hotsql.rows(sql, [digest, True])  # prepared once per connection (PostgreSQL)
        if not found:
            return None
        row = found[0]
        instances: list[Model | None] = []
        at = 0
        for model, fields in converting:
            values = []
            for _field, converters in fields:
                value = row[at]
                at += 1
                for convert, expression in converters:
                    value = convert(value, expression, connection)
                values.append(value)
            if values[0] is None:  # no organisation, or an organisation of no side
                instances.append(None)
                continue
            names = [field.attname for field, _c in fields]
            instances.append(model.from_db(connection.alias, names, values))
        token, user, organisation, side = instances
        assert isinstance(token, ApiToken) and isinstance(user, User)
        if organisation is not None:
            organisation.side = side  # type: ignore[attr-defined]
        user.organisation = organisation  # type: ignore[assignment]
        token.user = user
        return token


def _converters(field: Any, alias: str) -> list[tuple[Any, Any]]:
    """What the compiler would apply to the column of `field` (e.g. SQLite's datetimes made
    aware), as `SQLCompiler.get_converters` finds them."""
    column = field.get_col(alias)
    found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
    return [(convert, column) for convert in found]


_TOKEN_LOOKUP = _JoinedLookup()


#: A token's `last_used_at` is written at most this often, so that a program's requests do not
#: each write (on SQLite a write waits for any long write elsewhere: a GET would too).
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def _mark_used(token: ApiToken) -> None:
    """Record the token's use, at most once a minute, waiting at most a moment for the
    database: a request never waits on (or fails for) this bookkeeping."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    try:
        with brief_lock_wait():
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    except DatabaseError as exc:
        logger.info("API token %s: its use was not recorded this time (%s)", token.pk, exc)


def user_for_token(raw: str) -> User | None:
    """The active user a valid (unrevoked, unexpired) token belongs to, or None. Marks the
    token as used."""
    token = _token_of(raw)
    if token is None or token.is_expired:
        return None
    _mark_used(token)
    return token.user


def token_authenticate(raw: str, *, method: str) -> User | None:
    """The API's check of a bearer token for a request with `method`: the user, or None for a
    token that is not one of ours (or revoked). An expired token is refused as such (401), and a
    read-only token on a write (403), so the program's author knows what to fix."""
    token = _token_of(raw)
    if token is None:
        return None
    if token.is_expired:
        raise DomainError(
            ErrorCode.NOT_AUTHENTICATED,
            f"API 토큰(“{token.name}”, {token.prefix}…)은 "
            f"{timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}에 만료되었습니다. "
            "새 토큰을 만드십시오.",
            f"The API token “{token.name}” ({token.prefix}…) expired on "
            f"{timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}. Create a new one.",
            {"reason": "token_expired", "expired_at": token.expires_at.isoformat()},
        )
    if token.read_only and method.upper() not in SAFE_METHODS:
        raise DomainError(
            ErrorCode.PERMISSION_DENIED,
            f"API 토큰(“{token.name}”)은 읽기 전용입니다. 쓰려면 읽기·쓰기 토큰을 쓰십시오.",
            f"The API token “{token.name}” is read-only. Use a read-write token to write.",
            {"reason": "token_read_only", "scope": token.scope},
        )
    _mark_used(token)
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


@transaction.atomic
def user_change_password(*, actor: User, old_password: str, new_password: str) -> User:
    """The signed-in user changes their own password: the current one must be right and the
    new one pass the validators of AUTH_PASSWORD_VALIDATORS. The audit log says that it
    changed, never what to."""

    require_authenticated(actor)
    if not actor.check_password(old_password):
        wrong = Finding(
            "password_wrong", ko="현재 비밀번호가 틀렸습니다", en="is wrong", field="old_password"
        )
        raise DomainError.from_findings(
            [wrong], ko="현재 비밀번호가 틀렸습니다.", en="The current password is wrong."
        )
    try:
        password_validation.validate_password(new_password, actor)
    except ValidationError as exc:
        with translation.override("ko"):
            ko = list(exc.messages)
        with translation.override("en"):
            en = list(exc.messages)
        raise DomainError.from_findings(
            [
                Finding("password_refused", ko=k, en=e, field="new_password1")
                for k, e in zip(ko, en, strict=True)
            ],
            ko="새 비밀번호를 쓸 수 없습니다: " + " ".join(ko),
            en="The new password cannot be used: " + " ".join(en),
        ) from exc
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    audit.record(actor=actor, action="accounts.user.password", obj=actor)
    return actor
