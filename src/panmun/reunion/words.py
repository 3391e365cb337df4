"""The words the pages use for the codes of the selection criteria (the criteria document keeps
the codes; officers read these): the exclusions, the kinds of stratum rule, the relations sought
and the hashes of the commitment."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from panmun.families.models import Relation

from .criteria import EXCLUSIONS, RELATIONS, RULE_KINDS

EXCLUSION_WORDS: dict[str, Promise] = {
    "declined_before": _("Leave out applicants who declined the reunion in an earlier round"),
    "unfit_before": _(
        "Leave out applicants found not fit to travel in an earlier round (health check)"
    ),
    "reunited_before": _("Leave out applicants who already met their family at a reunion"),
}
# What the pool preview calls those left out by each exclusion, and those in no stratum.
LEFT_OUT_WORDS: dict[str, Promise] = {
    "declined_before": _("declined in an earlier round"),
    "unfit_before": _("not fit to travel in an earlier round"),
    "reunited_before": _("already took part in a reunion"),
    "no_stratum": _("in no stratum (no rule takes them)"),
}
RULE_WORDS: dict[str, Promise] = {
    "age_at_least": _("Applicants of at least a given age"),
    "listed": _("Applicants listed by registration number"),
    "rest": _("Everyone not taken by a stratum above"),
}
RELATION_WORDS: dict[str, Any] = {code: Relation(code).label for code in RELATIONS}
HASH_WORDS: dict[str, Promise] = {
    "pool": pgettext_lazy("hash", "SHA-256 of the pool list"),
    "seed": pgettext_lazy("hash", "SHA-256 of the seed"),
    "criteria": pgettext_lazy("hash", "SHA-256 of the criteria"),
}

assert set(EXCLUSION_WORDS) == set(EXCLUSIONS)
assert set(RULE_WORDS) == set(RULE_KINDS)


def rule_in_words(rule: dict[str, Any]) -> str:
    """A stratum's rule as a sentence, e.g. "aged 90 and over" (the age counts as the criteria
    do: the reference year minus the year of birth)."""
    kind = rule.get("kind")
    if kind == "age_at_least":
        return str(_("aged %(age)s and over") % {"age": rule.get("age")})
    if kind == "listed":
        count = len(rule.get("registry_nos") or [])
        return str(_("%(count)s registration numbers listed") % {"count": count})
    return str(_("everyone not taken by a stratum above"))
