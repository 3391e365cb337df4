"""One error type for refused actions, with its message in Korean and English.

Services raise `DomainError`; the API's single handler turns it into a 4xx with the body
``{"code": ..., "message": ..., "details": ...}`` and pages show the message in the user's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from panmun.common.findings import Finding
from panmun.korean.hangul import decompose, is_syllable


class ErrorCode(StrEnum):
    """Stable error codes: clients match on these, never on the message."""

    INVALID_INPUT = "invalid_input"
    MALFORMED_JSON = "malformed_json"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    RATE_LIMITED = "rate_limited"
    INVALID_TRANSITION = "invalid_transition"
    #: A measure of the policy in force forbids it (permits; other apps ask the same table).
    POLICY_FORBIDS = "policy_forbids"
    INTERNAL_ERROR = "internal_error"


HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.INVALID_INPUT: 422,
    ErrorCode.MALFORMED_JSON: 400,
    ErrorCode.PAYLOAD_TOO_LARGE: 413,
    ErrorCode.NOT_AUTHENTICATED: 401,
    ErrorCode.PERMISSION_DENIED: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.INVALID_TRANSITION: 409,
    ErrorCode.POLICY_FORBIDS: 422,
    ErrorCode.INTERNAL_ERROR: 500,
}


class DomainError(Exception):
    """A refused action: a stable code, a message in both languages, optional details."""

    def __init__(
        self,
        code: ErrorCode,
        message_ko: str,
        message_en: str,
        details: Any = None,
    ) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_ko = message_ko
        self.message_en = message_en
        self.details = details

    @property
    def status(self) -> int:
        return HTTP_STATUS[self.code]

    def message(self, language: str | None) -> str:
        """The message in `language` ('ko' or 'en'); Korean when unknown."""
        if language and language.lower().startswith("en"):
            return self.message_en
        return self.message_ko

    def body(self, language: str | None) -> dict[str, Any]:
        return {"code": str(self.code), "message": self.message(language), "details": self.details}

    @staticmethod
    def from_findings(
        findings: Iterable[Finding],
        *,
        ko: str,
        en: str,
        code: ErrorCode = ErrorCode.INVALID_INPUT,
        **details: Any,
    ) -> DomainError:
        """Refused for `findings` (input refused, unless `code` says otherwise): `details`,
        then the findings under ``details.errors`` (file, row, field, reason_ko, reason_en) as
        pages and clients read them."""
        errors = [finding.as_detail() for finding in findings]
        return DomainError(code, ko, en, {**details, "errors": errors})


def invalid(*, ko: str, en: str, **details: Any) -> DomainError:
    """Input refused: INVALID_INPUT with its message in both languages and `details` for the
    body (None when there are none)."""
    return DomainError(ErrorCode.INVALID_INPUT, ko, en, details or None)


def invalid_fields(
    message_ko: str, message_en: str, problems: Iterable[tuple[str, str, str]]
) -> DomainError:
    """Input refused field by field: `problems` are (field, reason in Korean, in English), and
    go to the body's ``details.errors`` as pages and clients read them."""
    return DomainError.from_findings(
        [Finding("invalid_field", ko=ko, en=en, field=f) for f, ko, en in problems],
        ko=message_ko,
        en=message_en,
    )


def object_particle(word: str) -> str:
    """The object particle after a Korean noun: 을 after a final consonant, 를 after a vowel
    (기록을, 회차를); 을(를) only for a word that does not end in Hangul."""

    last = word.rstrip()[-1:]
    if last and is_syllable(last):
        return "을" if decompose(last).tail else "를"
    return "을(를)"


def not_found(what_ko: str, what_en: str, ident: object) -> DomainError:
    return DomainError(
        ErrorCode.NOT_FOUND,
        f"{what_ko}({ident}){object_particle(what_ko)} 찾을 수 없습니다.",
        f"{what_en} {ident} was not found.",
        {"id": str(ident)},
    )


def permission_denied(details: Any = None) -> DomainError:
    return DomainError(
        ErrorCode.PERMISSION_DENIED,
        "이 작업을 할 권한이 없습니다.",
        "You do not have permission to do this.",
        details,
    )
