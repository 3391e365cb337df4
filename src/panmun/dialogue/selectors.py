"""Reads of the dialogue record: the timeline with its filters and its per-year chart."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from panmun.accounts.access import require_authenticated
from panmun.accounts.models import AuditEntry, User
from panmun.common.bilingual import tr
from panmun.common.errors import DomainError, ErrorCode
from panmun.dialogue.access import agreements_for_user, events_for_user, talks_for_user

from .models import Agreement, Event, Talks, TalksLevel, Topic

MIN_YEAR, MAX_YEAR = 1945, 2100


@dataclass(frozen=True)
class TimelineFilters:
    year_from: int | None = None
    year_to: int | None = None
    level: str = ""
    topic: str = ""

    @classmethod
    def from_params(cls, params: Any) -> TimelineFilters:
        """Read filters from a query dict; a bad value is a DomainError naming the field."""

        def year(name: str) -> int | None:
            raw = (params.get(name) or "").strip()
            if not raw:
                return None
            try:
                value = int(raw)
            except ValueError:
                value = -1
            if not MIN_YEAR <= value <= MAX_YEAR:
                raise DomainError(
                    ErrorCode.INVALID_INPUT,
                    f"{name}: {MIN_YEAR}에서 {MAX_YEAR} 사이의 연도여야 합니다.",
                    f"{name}: must be a year from {MIN_YEAR} to {MAX_YEAR}.",
                    {"field": name},
                )
            return value

        level = (params.get("level") or "").strip()
        topic = (params.get("topic") or "").strip()
        for name, value, allowed in (
            ("level", level, TalksLevel.values),
            ("topic", topic, Topic.values),
        ):
            if value and value not in allowed:
                raise DomainError(
                    ErrorCode.INVALID_INPUT,
                    f"{name}: 다음 중 하나여야 합니다: {', '.join(allowed)}",
                    f"{name}: must be one of {', '.join(allowed)}",
                    {"field": name, "allowed": list(allowed)},
                )
        filters = cls(year("year_from"), year("year_to"), level, topic)
        if filters.year_from and filters.year_to and filters.year_from > filters.year_to:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "시작 연도가 끝 연도보다 늦습니다.",
                "The first year is after the last year.",
                {"field": "year_from"},
            )
        return filters


@dataclass(frozen=True)
class TimelineItem:
    kind: str  # talks | agreement | event
    pk: int
    date: dt.date | None
    end_date: dt.date | None
    precision: str
    title_ko: str
    title_en: str
    topic: str
    level: str
    subtype: str

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None

    @property
    def url(self) -> str:
        return reverse(f"dialogue:{self.kind}", args=[self.pk])

    def title(self, language: str) -> str:
        return str(tr(self.title_ko, self.title_en, language))


def _in_years(d: dt.date | None, f: TimelineFilters) -> bool:
    if d is None:
        return f.year_from is None and f.year_to is None
    return (f.year_from is None or d.year >= f.year_from) and (
        f.year_to is None or d.year <= f.year_to
    )


def timeline(user: User, filters: TimelineFilters) -> list[TimelineItem]:
    """Talks, agreements and events in date order (undated agreements last)."""
    items: list[TimelineItem] = []
    talks = talks_for_user(user)
    if filters.topic:
        talks = talks.filter(topic=filters.topic)
    if filters.level:
        talks = talks.filter(level=filters.level)
    for t in talks:
        if _in_years(t.start_date, filters):
            items.append(
                TimelineItem(
                    "talks",
                    t.pk,
                    t.start_date,
                    t.end_date,
                    t.date_precision,
                    t.title_ko,
                    t.title_en,
                    t.topic,
                    t.level,
                    t.level,
                )
            )
    if not filters.level:  # a level filter asks for talks only
        agreements = agreements_for_user(user)
        if filters.topic:
            agreements = agreements.filter(topic=filters.topic)
        for a in agreements:
            if _in_years(a.signed_on, filters):
                items.append(
                    TimelineItem(
                        "agreement",
                        a.pk,
                        a.signed_on,
                        None,
                        a.date_precision,
                        a.title_ko,
                        a.title_en,
                        a.topic,
                        "",
                        a.status,
                    )
                )
        events = events_for_user(user)
        if filters.topic:
            events = events.filter(topic=filters.topic)
        for e in events:
            if _in_years(e.start_date, filters):
                items.append(
                    TimelineItem(
                        "event",
                        e.pk,
                        e.start_date,
                        e.end_date,
                        e.date_precision,
                        e.title_ko,
                        e.title_en,
                        e.topic,
                        "",
                        e.kind,
                    )
                )
    items.sort(key=lambda i: (i.date is None, i.date or dt.date.max, i.kind, i.pk))
    return items


#: How long a timeline stays cached at most; its key changes with every write anyway.
TIMELINE_CACHE_SECONDS = 600


def timeline_version() -> str:
    """A fingerprint of everything the timeline reads, in one query: the number and the
    highest id of the talks, agreements and events (an addition or a removal, whoever makes
    it) and the highest id of the dialogue's audit entries (every change through the services
    writes one in the same transaction: `dialogue.talks.update`, `dialogue.agreement.status`,
    an import). The key of the cached timeline."""

    # Raw SQL: the ORM takes longer to compile these four queries than the database to answer.
    # Only the models' own table names go into the text, quoted; the values are parameters.
    quote = connection.ops.quote_name
    parts = [
        f"SELECT COUNT(*), MAX({quote('id')}) FROM {quote(model._meta.db_table)}"  # noqa: S608
        for model in (Talks, Agreement, Event)
    ]
    # A range rather than LIKE: an index lookup on every database (LIKE ignores SQLite's).
    audit = (
        f"SELECT MAX({quote('id')}), NULL FROM {quote(AuditEntry._meta.db_table)} "  # noqa: S608
        f"WHERE {quote('action')} >= %s AND {quote('action')} < %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([*parts, audit]), ["dialogue.", "dialogue/"])
        return "-".join(f"{a}.{b}" for a, b in cursor.fetchall())


def timeline_payload(user: User, filters: TimelineFilters) -> dict[str, Any]:
    """The API's timeline (items and per-year counts), cached per version of the record
    (`timeline_version`), filters, language and script prefix (the items' URLs). The record is
    shared history that every signed-in user reads whole (`dialogue.access.talks_for_user`),
    so the access check is made on every call and the cached answer serves everyone."""
    require_authenticated(user)
    key = "dialogue.timeline:" + "|".join(
        str(part)
        for part in (
            timeline_version(),
            get_language() or "",
            get_script_prefix(),
            filters.year_from,
            filters.year_to,
            filters.level,
            filters.topic,
        )
    )
    payload: dict[str, Any] | None = cache.get(key)
    if payload is None:
        items = timeline(user, filters)
        payload = {
            "items": [
                {
                    "kind": i.kind,
                    "id": i.pk,
                    "date": i.date,
                    "end_date": i.end_date,
                    "precision": i.precision,
                    "title_ko": i.title_ko,
                    "title_en": i.title_en,
                    "topic": i.topic,
                    "level": i.level,
                    "subtype": i.subtype,
                    "url": i.url,
                }
                for i in items
            ],
            "per_year": [{"year": b.year, "count": b.count} for b in chart(items, filters)["bars"]],
        }
        cache.set(key, payload, TIMELINE_CACHE_SECONDS)
    return payload


@dataclass(frozen=True)
class YearBar:
    year: int
    count: int
    x: int
    y: int
    height: int


def chart(
    items: list[TimelineItem], filters: TimelineFilters, width: int = 760, height: int = 160
) -> dict[str, Any]:
    """Events per year, as bars with SVG coordinates (drawn server-side; no script needed)."""
    counts = Counter(i.year for i in items if i.year is not None)
    if not counts:
        return {"bars": [], "max": 0, "width": width, "height": height, "ticks": []}
    first = filters.year_from or min(counts)
    last = filters.year_to or max(counts)
    years = list(range(first, last + 1))
    top = max(counts.values())
    step = max(1, width // len(years))
    plot = height - 20
    bars = []
    for n, year in enumerate(years):
        c = counts.get(year, 0)
        h = round(plot * c / top) if top else 0
        bars.append(YearBar(year, c, n * step, plot - h, h))
    every = max(1, len(years) // 10)
    ticks = [b for i, b in enumerate(bars) if i % every == 0 and len(bars) - 1 - i >= every // 2]
    if bars[-1] not in ticks:
        ticks.append(bars[-1])
    return {
        "bars": bars,
        "max": top,
        "width": max(width, step * len(years)),
        "height": height,
        "bar_width": max(1, step - 2),
        "ticks": ticks,
        "label_y": height - 4,
        "summary": _("%(n)d dated items from %(first)d to %(last)d")
        % {"n": sum(counts.values()), "first": first, "last": last},
    }
