"""The rosters, read: a firm's workers searched by name in either orthography or by number,
on the roster or gone. What the user may see is decided by `access` first."""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Q, QuerySet

from .models import Worker
from .roster import name_query

#: The roster's filters: on the roster (no leaving date), left, or everyone.
STATUSES = ("", "on_roster", "left")
_NUMBER_LIKE = re.compile(r"[0-9][0-9A-Za-z\-/]*")


def search_workers(workers: QuerySet[Worker], text: str = "", status: str = "") -> QuerySet[Worker]:
    """`workers` (already chosen through `access`) whose name matches `text` in either
    orthography (리영철 finds 이영철 and the reverse; a surname or a given name alone finds
    them too) or whose number begins with it; `status` keeps those on the roster or those
    who left."""
    if status == "on_roster":
        workers = workers.filter(left_on__isnull=True)
    elif status == "left":
        workers = workers.filter(left_on__isnull=False)
    text = unicodedata.normalize("NFKC", text).strip()[:100]
    if not text:
        return workers
    if _NUMBER_LIKE.fullmatch(text):
        return workers.filter(number__startswith=text)
    query = name_query(text)
    match = Q(name__contains=text)
    for key in query.whole:
        match |= Q(name_key=key)
    for key in query.surname:
        match |= Q(name_key__startswith=f"{key} ")
    for key in query.given:
        match |= Q(name_key__endswith=f" {key}")
    return workers.filter(match)


def roster_counts(workers: QuerySet[Worker]) -> dict[str, int]:
    """How many workers are on the roster and how many have left."""
    total = workers.count()
    left = workers.filter(left_on__isnull=False).count()
    return {"total": total, "on_roster": total - left, "left": left}
