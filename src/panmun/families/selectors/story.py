"""A person's whole story: what every app knows of them, as dated items on one page.

An app that holds something about a person registers a *story source* (a function person → items)
with `register`, as apps register their jobs in `panmun.jobs.registry`. The registry registers
its own here (registration, relatives sought and who seeks them, tracing requests and answers,
where the status came from, notes, DNA samples, merges); the reunions app registers its part
(candidacies and their outcomes, the reunion itself, video letters) from its AppConfig.ready.
So `families` imports no app that depends on it.

Every text is made in the active language (the page's, or Korean for the printed card), and
says where the fact comes from.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy, pgettext, pgettext_lazy
from django.utils.translation import gettext as _

from panmun.common.bilingual import tr
from panmun.korean.calendars import Calendar, age_range, parse_partial_date

from ..models import (
    LINKED,
    DnaSample,
    Merge,
    Person,
    PersonNote,
    ReplyResult,
    Seeking,
    TracingRequest,
    VitalStatus,
)


@dataclass(frozen=True)
class StoryItem:
    section: str  # a key of SECTIONS
    on: dt.date | None  # when it happened, as far as the record says; None sorts last
    title: str
    lines: tuple[str, ...] = ()
    url: str = ""  # the page it comes from
    source: str = ""  # where the fact comes from, in words
    kind: str = ""  # a stable code (e.g. "tracing.answer"), for pages and tests


@dataclass(frozen=True)
class StorySection:
    key: str
    title: Promise | str
    order: int


StorySource = Callable[[Person], list[StoryItem]]
SECTIONS: dict[str, StorySection] = {}
SOURCES: dict[str, StorySource] = {}


def register_section(key: str, title: Promise | str, order: int) -> None:
    SECTIONS[key] = StorySection(key, title, order)


def register(name: str) -> Callable[[StorySource], StorySource]:
    """`@register("reunion")` over a function person → story items."""

    def decorator(source: StorySource) -> StorySource:
        SOURCES[name] = source
        return source

    return decorator


def _day(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return None


def story_of(person: Person) -> list[StoryItem]:
    """Every source's items, oldest first; undated items last, in the sources' order."""
    items: list[StoryItem] = []
    for source in SOURCES.values():
        items.extend(source(person))
    undated = dt.date.max
    return sorted(
        items,
        key=lambda i: (i.on or undated, SECTIONS[i.section].order if i.section in SECTIONS else 99),
    )


def by_section(items: list[StoryItem]) -> list[tuple[StorySection, list[StoryItem]]]:
    """The items grouped under their sections, in the sections' order."""
    groups: dict[str, list[StoryItem]] = {}
    for item in items:
        groups.setdefault(item.section, []).append(item)
    known = [SECTIONS.get(k) or StorySection(k, k, 99) for k in groups]
    return [(s, groups[s.key]) for s in sorted(known, key=lambda s: s.order)]


# --- age -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Age:
    """만 나이 (international age) as far as the record allows: `youngest` = `oldest` when the
    birth date is precise, else a span ("about")."""

    youngest: int
    oldest: int
    at_death: bool = False

    @property
    def exact(self) -> bool:
        return self.youngest == self.oldest

    def __str__(self) -> str:
        if self.exact:
            text = _("%(age)s (international age)") % {"age": self.oldest}
        else:
            text = _("about %(youngest)s–%(oldest)s (international age)") % {
                "youngest": self.youngest,
                "oldest": self.oldest,
            }
        return _("died at %(age)s") % {"age": text} if self.at_death else text


def person_age(person: Person, on: dt.date | None = None) -> Age | None:
    """The person's 만 나이 today (a lunar birthday converted first), or at death for the
    deceased whose date of death is recorded; None when the record cannot tell."""
    if not person.birth_date:
        return None
    try:
        calendar = Calendar(person.birth_calendar or "unknown")
        born = parse_partial_date(person.birth_date)
        if person.status == VitalStatus.DECEASED:
            if not person.death_date:
                return None
            died = parse_partial_date(person.death_date)
            month = died.month or 12
            first = dt.date(died.year, died.month or 1, died.day or 1)
            last = dt.date(died.year, month, died.day or monthrange(died.year, month)[1])
            youngest, _o = age_range(born, calendar, first)
            _y, oldest = age_range(born, calendar, last)
            return Age(youngest, max(oldest, youngest), at_death=True)
        youngest, oldest = age_range(born, calendar, on or timezone.localdate())
    except ValueError:
        return None
    return Age(youngest, oldest)


# --- the registry's own sources --------------------------------------------------------------

register_section("registry", pgettext_lazy("story", "Registration"), 10)
register_section("relatives", pgettext_lazy("story", "Relatives"), 20)
register_section("tracing", pgettext_lazy("story", "Tracing"), 30)
register_section("notes", gettext_lazy("Notes and answers"), 60)
register_section("dna", gettext_lazy("DNA samples"), 70)
register_section("merges", gettext_lazy("Merges"), 80)


def _person_url(pk: int) -> str:
    return reverse("families:person", args=[pk])


def _round_url(pk: int) -> str:
    return reverse("families:round", args=[pk])


@register("families.registry")
def _registration(person: Person) -> list[StoryItem]:
    items = []
    if person.registry_no:
        consent = (
            _("Consents to sharing with the other side since %(day)s")
            % {"day": person.consent_on or "—"}
            if person.consent_share
            else _("Does not consent to sharing with the other side")
        )
        items.append(
            StoryItem(
                "registry",
                person.registered_on or _day(person.created_at),
                _("Registered as an applicant, registration number %(number)s")
                % {"number": person.registry_no},
                (consent,),
                source=_("the registry"),
                kind="registry.applicant",
            )
        )
    else:
        items.append(
            StoryItem(
                "registry",
                _day(person.created_at),
                _("Recorded as a relative sought"),
                source=_("the registry"),
                kind="registry.relative",
            )
        )
    if person.status_round_id is not None and person.status_round is not None:
        items.append(
            StoryItem(
                "tracing",
                person.status_changed_on,
                _("Status set to “%(status)s” by the answer in %(round)s")
                % {"status": person.get_status_display(), "round": person.status_round.name},
                url=_round_url(person.status_round_id),
                source=person.status_round.name,
                kind="status.round",
            )
        )
    elif person.status_changed_on is not None:
        items.append(
            StoryItem(
                "registry",
                person.status_changed_on,
                _("Status changed by an officer to “%(status)s”")
                % {"status": person.get_status_display()},
                source=_("the registry"),
                kind="status.officer",
            )
        )
    return items


def _separation(s: Seeking) -> tuple[str, ...]:
    lines = []
    if s.separated_on or s.last_known_place:
        lines.append(
            _("Separated %(when)s, last known at %(where)s")
            % {"when": s.separated_on or "—", "where": s.last_known_place or "—"}
        )
    return tuple(lines)


@register("families.relatives")
def _relatives(person: Person) -> list[StoryItem]:
    items = []
    for s in Seeking.objects.filter(applicant=person).select_related("sought"):
        items.append(
            StoryItem(
                "relatives",
                _day(s.created_at),
                _("Seeks %(name)s (%(relation)s)")
                % {"name": s.sought.display_name, "relation": s.get_relation_display()},
                (
                    *_separation(s),
                    _("Their status: %(status)s") % {"status": s.sought.get_status_display()},
                ),
                url=_person_url(s.sought_id),
                source=_("the application"),
                kind="relatives.seeks",
            )
        )
    for s in Seeking.objects.filter(sought=person).select_related("applicant"):
        items.append(
            StoryItem(
                "relatives",
                _day(s.created_at),
                _("Sought by %(name)s (%(relation)s)")
                % {"name": s.applicant.display_name, "relation": s.get_relation_display()},
                _separation(s),
                url=_person_url(s.applicant_id),
                source=_("the application of %(name)s") % {"name": s.applicant.display_name},
                kind="relatives.sought_by",
            )
        )
    return items


def _answer_lines(reply: Any, language: str) -> tuple[str, ...]:
    if reply.result == ReplyResult.NOT_FOUND:
        found = _("not found")
    elif reply.vital_status == VitalStatus.DECEASED:
        found = _("found: deceased") + (f" ({reply.death_date})" if reply.death_date else "")
    elif reply.vital_status == VitalStatus.ALIVE:
        found = _("found: alive")
    else:
        found = _("found: alive or not unknown")
    lines = [found]
    if reply.address:
        lines.append(_("Address given: %(address)s") % {"address": reply.address})
    if reply.relatives:
        lines.append(_("Relatives listed: %(relatives)s") % {"relatives": reply.relatives})
    lines.append(
        _("Reply row %(row)s, %(state)s")
        % {"row": reply.row, "state": reply.get_link_state_display()}
    )
    for doubt in reply.doubts or []:
        if isinstance(doubt, dict):
            lines.append(str(tr(doubt.get("ko", ""), doubt.get("en", ""), language)))
    return tuple(line for line in lines if line)


@register("families.tracing")
def _tracing(person: Person) -> list[StoryItem]:

    language = (get_language() or "ko")[:2]
    items = []
    requests = (
        TracingRequest.objects.filter(Q(seeking__sought=person) | Q(seeking__applicant=person))
        .select_related("round", "seeking__sought", "seeking__applicant")
        .prefetch_related("replies")
        .order_by("round__created_at", "seq")
    )
    for r in requests:
        tracing_round, seeking = r.round, r.seeking
        about_this_person = seeking.sought_id == person.pk
        if about_this_person:
            title = _("Asked of the other side in %(round)s (request %(id)s), for %(name)s") % {
                "round": tracing_round.name,
                "id": r.request_id,
                "name": seeking.applicant.display_name,
            }
        else:
            title = _("Asked of the other side about %(name)s in %(round)s (request %(id)s)") % {
                "name": seeking.sought.display_name,
                "round": tracing_round.name,
                "id": r.request_id,
            }
        replies = [reply for reply in r.replies.all() if reply.link_state in LINKED]
        items.append(
            StoryItem(
                "tracing",
                tracing_round.sent_on or _day(tracing_round.created_at),
                title,
                () if replies or tracing_round.sent_on is None else (_("No answer yet"),),
                url=_round_url(tracing_round.pk),
                source=tracing_round.name,
                kind="tracing.request",
            )
        )
        for reply in replies:
            whom = "" if about_this_person else f" ({seeking.sought.display_name})"
            items.append(
                StoryItem(
                    "tracing",
                    tracing_round.replied_on or _day(reply.created_at),
                    _("The other side answered in %(round)s") % {"round": tracing_round.name}
                    + whom,
                    _answer_lines(reply, language),
                    url=_round_url(tracing_round.pk),
                    source=_("reply row %(row)s of %(round)s")
                    % {"row": reply.row, "round": tracing_round.name},
                    kind="tracing.answer",
                )
            )
    return items


@register("families.notes")
def _notes(person: Person) -> list[StoryItem]:
    items = []
    for n in PersonNote.objects.filter(person=person):
        title = (
            _("Note: %(status)s") % {"status": n.get_status_display()}
            if n.status
            else pgettext("PFIF", "Note")
        )
        lines = [line for line in (n.text, n.last_known_location) if line]
        items.append(
            StoryItem(
                "notes",
                _day(n.source_date or n.entry_date),
                title,
                tuple(lines),
                source=(
                    _("PFIF note by %(author)s") % {"author": n.author_name}
                    if n.author_name
                    else _("PFIF note")
                ),
                kind="notes.note",
            )
        )
    return items


@register("families.dna")
def _dna(person: Person) -> list[StoryItem]:
    return [
        StoryItem(
            "dna",
            d.taken_on if isinstance(d.taken_on, dt.date) else None,
            _("DNA sample %(id)s taken (%(kind)s)")
            % {"id": d.sample_id, "kind": d.get_kind_display()},
            source=_("the DNA sample register"),
            kind="dna.sample",
        )
        for d in DnaSample.objects.filter(person=person)
    ]


@register("families.merges")
def _merges(person: Person) -> list[StoryItem]:
    items = []
    for m in Merge.objects.filter(Q(kept=person) | Q(merged=person)).select_related(
        "kept", "merged"
    ):
        if m.kept_id == person.pk:
            title = _("Record #%(id)s (%(name)s) merged into this one") % {
                "id": m.merged_id,
                "name": m.merged.display_name,
            }
            url = _person_url(m.merged_id)
        else:
            title = _("Merged into record #%(id)s (%(name)s)") % {
                "id": m.kept_id,
                "name": m.kept.display_name,
            }
            url = _person_url(m.kept_id)
        lines = []
        if m.undone_at:
            lines.append(_("Undone on %(day)s") % {"day": _day(m.undone_at)})
        items.append(
            StoryItem(
                "merges",
                _day(m.merged_at),
                title,
                tuple(lines),
                url=url,
                source=_("a duplicate decided by an officer"),
                kind="merges.merge",
            )
        )
    return items
