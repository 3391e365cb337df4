"""Template helpers: a bilingual record's field in the page's language, and dates shown at the
precision the record knows them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import gettext as _

from panmun.accounts import audit
from panmun.common.bilingual import current_language
from panmun.common.bilingual import tr as bilingual_tr
from panmun.jobs.registry import KINDS

register = template.Library()


@register.filter
def tr(obj: Any, field: str = "") -> str:
    """`{{ talks|tr:"title" }}`: title_ko or title_en, whichever the page's language is (else
    the other one); `{{ pair|tr }}` for a dict `{"ko": …, "en": …}` (`bilingual.tr`)."""
    if obj is None:
        return ""
    if hasattr(obj, "tr"):
        return str(obj.tr(field))
    getter = obj.get if isinstance(obj, dict) else lambda k, d="": getattr(obj, k, d)
    prefix = f"{field}_" if field else ""
    return str(bilingual_tr(getter(f"{prefix}ko", ""), getter(f"{prefix}en", "")) or "")


@register.simple_tag
def fuzzy_date(value: dt.date | None, precision: str = "day") -> str:
    """A date written at its known precision: 1971년 8월 / August 1971 / 2000."""
    if value is None or precision == "unknown":
        return _("date unknown")
    if current_language() == "ko":
        if precision == "year":
            return f"{value.year}년"
        if precision == "month":
            return f"{value.year}년 {value.month}월"
        return f"{value.year}년 {value.month}월 {value.day}일"
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


@register.simple_tag
def date_span(start: dt.date | None, end: dt.date | None, precision: str = "day") -> str:
    first = fuzzy_date(start, precision)
    if end is None or end == start:
        return first
    return f"{first} – {fuzzy_date(end, precision)}"


@register.filter
def label_of(value: str, choices: Any) -> str:
    """The translated label of a TextChoices value: `{{ t.level|label_of:levels }}`."""
    try:
        return str(choices(value).label)
    except (ValueError, TypeError):
        return value


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with some parameters replaced (for filter links)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def action_label(action: str) -> str:
    """An audit action code in words, in the page's language."""
    return audit.action_label(action, current_language())


@register.filter
def object_type_label(object_type: str) -> str:
    """An audit entry's object type (a model label) in words, in the page's language."""
    return audit.object_type_label(object_type, current_language())


@register.filter
def job_title(kind: str) -> str:
    """A job kind's title in the page's language."""
    job_kind = KINDS.get(kind)
    return job_kind.title(current_language()) if job_kind else kind
