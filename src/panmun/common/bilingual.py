"""Records kept in both languages: `title_ko` / `title_en` pairs, read in the user's language.
`tr` chooses from any such pair; templates use the filter `|tr` (`web.templatetags.panmun`)."""

from __future__ import annotations

from typing import Any

from django.utils import translation


def current_language() -> str:
    lang = translation.get_language() or "ko"
    return "en" if lang.startswith("en") else "ko"


def tr(ko: Any, en: Any, language: str | None = None) -> Any:
    """The one of a Korean/English pair in `language` (default: the active one), else the
    other when that one is empty."""
    lang = language or current_language()
    first, other = (en, ko) if lang.startswith("en") else (ko, en)
    return first if first not in (None, "") else other


class BilingualMixin:
    """Adds `tr(field)`: the field in the active language, else in the other one."""

    def tr(self, field: str, language: str | None = None) -> str:
        value = tr(getattr(self, f"{field}_ko", ""), getattr(self, f"{field}_en", ""), language)
        return str(value or "")
