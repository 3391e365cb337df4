"""Records kept in both languages: `title_ko` / `title_en` pairs, read in the user's language."""

from __future__ import annotations

from django.utils import translation


def current_language() -> str:
    lang = translation.get_language() or "ko"
    return "en" if lang.startswith("en") else "ko"


class BilingualMixin:
    """Adds `tr(field)`: the field in the active language, else in the other one."""

    def tr(self, field: str, language: str | None = None) -> str:
        lang = language or current_language()
        other = "ko" if lang == "en" else "en"
        value = getattr(self, f"{field}_{lang}", "") or getattr(self, f"{field}_{other}", "")
        return str(value or "")
