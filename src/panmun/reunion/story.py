"""The reunions' part of a person's story (`panmun.families.selectors.story`): each candidacy
and its outcome, the reunion itself (place, attendance, a death before it), and the video letters.
Registered from `ReunionConfig.ready`, so the registry needs no import of this app."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _

from panmun.common.bilingual import tr
from panmun.families.models import Person
from panmun.families.selectors.story import StoryItem, register, register_section

from .models import (
    AbsenceKind,
    Candidate,
    LetterDirection,
    Outcome,
    Participant,
    RoundKind,
    VideoLetter,
)

register_section("reunion", pgettext_lazy("story", "Reunions"), 40)
register_section("letters", pgettext_lazy("story", "Video letters"), 50)


def _day(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value is not None else None


def _candidacy_lines(c: Candidate, drawn_at: dt.datetime | None) -> list[str]:
    lines = [_("Stratum: %(stratum)s") % {"stratum": c.stratum}]
    if c.rank is not None:
        lines.append(
            _("Drawn, rank %(rank)s in the stratum") % {"rank": c.rank}
            if c.drawn
            else _("Not drawn (rank %(rank)s in the stratum)") % {"rank": c.rank}
        )
    elif drawn_at is None:
        lines.append(_("The lottery has not been drawn yet"))
    lines.append(
        _("Willingness: %(willingness)s · Health: %(health)s")
        % {"willingness": c.get_willingness_display(), "health": c.get_health_display()}
    )
    if c.check_note:
        lines.append(c.check_note)
    if c.outcome == Outcome.OUT and c.outcome_reason:
        lines.append(
            _("Outcome: %(outcome)s (%(reason)s)")
            % {"outcome": c.get_outcome_display(), "reason": c.get_outcome_reason_display()}
        )
    else:
        lines.append(_("Outcome: %(outcome)s") % {"outcome": c.get_outcome_display()})
    return lines


def _participation_lines(p: Participant, kind: str, starts_on: dt.date) -> list[str]:
    lines = []
    if kind == RoundKind.VIDEO:
        if p.video_day is not None:
            lines.append(
                _("Video reunion on %(day)s, slot %(slot)s, room %(room)s")
                % {"day": p.video_day, "slot": p.video_slot, "room": p.south_room or "—"}
            )
        elif p.unplaced_ko or p.unplaced_en:
            why = tr(p.unplaced_ko, p.unplaced_en, get_language() or "ko")
            lines.append(_("Not yet scheduled: %(why)s") % {"why": why})
    elif p.table or p.room:
        lines.append(
            _("Table %(table)s, room %(room)s") % {"table": p.table or "—", "room": p.room or "—"}
        )
    relatives = [f"{r.name} ({r.relation})" for r in p.north_relatives.all()]
    if relatives:
        lines.append(_("Relatives to meet: %(names)s") % {"names": ", ".join(relatives)})
    if p.attended is True:
        lines.append(_("Attended"))
    elif p.attended is False:
        if p.absence == AbsenceKind.DIED:
            lines.append(_("Died before the reunion"))
        else:
            lines.append(
                _("Did not attend: %(reason)s")
                % {"reason": p.get_absence_display() or _("no reason recorded")}
            )
        if p.absence_note:
            lines.append(p.absence_note)
    elif starts_on < timezone.localdate():
        lines.append(_("Attendance not recorded"))
    return lines


@register("reunion.candidacies")
def candidacies(person: Person) -> list[StoryItem]:
    items = []
    candidates = (
        Candidate.objects.filter(applicant=person)
        .select_related("round", "round__draw")
        .order_by("round__starts_on", "pk")
    )
    for c in candidates:
        reunion_round = c.round
        draw = getattr(reunion_round, "draw", None)
        url = reverse("reunion:round", args=[reunion_round.pk])
        items.append(
            StoryItem(
                "reunion",
                _day(draw.committed_at) if draw is not None else _day(reunion_round.created_at),
                _("Candidate in %(round)s (%(kind)s)")
                % {"round": reunion_round.name, "kind": reunion_round.get_kind_display()},
                tuple(_candidacy_lines(c, draw.drawn_at if draw is not None else None)),
                url=url,
                source=_("the lottery of %(round)s, draw id %(id)s")
                % {"round": reunion_round.name, "id": c.draw_id},
                kind="reunion.candidate",
            )
        )
        participant = Participant.objects.filter(candidate=c).first()
        if participant is not None:
            items.append(
                StoryItem(
                    "reunion",
                    reunion_round.starts_on,
                    _("On the final list of %(round)s") % {"round": reunion_round.name},
                    tuple(
                        _participation_lines(
                            participant, reunion_round.kind, reunion_round.starts_on
                        )
                    ),
                    url=url,
                    source=_("the final list of %(round)s") % {"round": reunion_round.name},
                    kind="reunion.participant",
                )
            )
    return items


@register("reunion.letters")
def letters(person: Person) -> list[StoryItem]:
    items = []
    for letter in VideoLetter.objects.filter(applicant=person).order_by("recorded_on", "pk"):
        if letter.direction == LetterDirection.OUTGOING:
            title = _("Video letter to %(name)s in the North") % {"name": letter.addressee}
        else:
            title = _("Video letter from the North (%(name)s)") % {"name": letter.addressee}
        minutes, seconds = divmod(letter.duration_seconds, 60)
        lines = [
            _("%(status)s · %(minutes)s min %(seconds)s s · language %(language)s")
            % {
                "status": letter.get_status_display(),
                "minutes": minutes,
                "seconds": seconds,
                "language": letter.language,
            }
        ]
        if letter.sent_on:
            lines.append(_("Sent on %(day)s") % {"day": letter.sent_on})
        if letter.delivered_on:
            lines.append(_("Delivered on %(day)s") % {"day": letter.delivered_on})
        items.append(
            StoryItem(
                "letters",
                letter.recorded_on,
                title,
                tuple(lines),
                url=reverse("reunion:letters"),
                source=_("video letter file %(ref)s") % {"ref": letter.file_ref},
                kind="letters.letter",
            )
        )
    return items
