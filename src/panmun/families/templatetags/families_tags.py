"""Template helpers of the registry's pages."""

from __future__ import annotations

from typing import Any

from django import template

from ..why import WhyTable, why_table

register = template.Library()


@register.filter
def why_of(explanation: Any, probability: Any = None) -> WhyTable | None:
    """`{% with why=candidate.explanation|why_of:candidate.probability %}`: the engine's
    explanation as rows in the page's language, the prior first (`families.why`)."""
    try:
        shown = float(probability) if probability not in (None, "") else None
    except (TypeError, ValueError):
        shown = None
    if isinstance(explanation, list):  # the steps alone
        explanation = {"steps": explanation}
    return why_table(explanation, shown)
