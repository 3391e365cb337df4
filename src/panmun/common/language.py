"""Which language a request is answered in. Korean is the default; English is complete."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from .i18n_north import north_wording

CODES = tuple(code for code, _name in settings.LANGUAGES)


def _from_accept_language(header: str) -> str | None:
    best: tuple[float, str] | None = None
    for part in header.split(","):
        piece = part.strip()
        if not piece:
            continue
        tag, _sep, params = piece.partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        base = tag.strip().lower().split("-")[0]
        if base in CODES and (best is None or q > best[0]):
            best = (q, base)
    return best[1] if best else None


def request_language(request: HttpRequest) -> str:
    """Pages: the remembered choice (cookie), else the user's saved language, else Korean.
    The API: an explicit Accept-Language first, as API clients expect."""
    if request.path.startswith("/api/"):
        header = _from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        if header:
            return header
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in CODES:
        return str(cookie)
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        lang = getattr(user, "language", "")
        if lang in CODES:
            return str(lang)
    return str(settings.LANGUAGE_CODE)


#: The North's wording of Korean (panmun.common.i18n_north): a variant catalogue, not a language of
#: its own — the switch still offers only 한국어 and English.
NORTH_KOREAN = "ko-kp"


def is_north_user(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return getattr(user, "side_code", None) == "north"


def page_language(request: HttpRequest) -> str:
    """The catalogue a page is translated with: the request's language, and for an officer of
    the North reading Korean, the North's wording (흩어진 가족, 련락, 북남…)."""
    language = request_language(request)
    if language == "ko" and not request.path.startswith("/api/") and is_north_user(request):
        return NORTH_KOREAN
    return language


def in_page_words(request: HttpRequest, text: str) -> str:
    """A Korean message written in code (a refusal's `message_ko`) in the page's wording: the
    North's for an officer of the North."""
    if text and page_language(request) == NORTH_KOREAN:
        return north_wording(text)
    return text
