"""The two pages a reunion family's forms come back to: the in-person event's (`event`) and the
video schedule's (`video`). A form the services refuse is shown again, as typed, on the page of
its family's round, whichever kind it is (`family_again`); both pages' views build on this."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from panmun.accounts.access import require
from panmun.accounts.requests import AuthedRequest
from panmun.common.pages import post_action

from .. import scheduling
from ..access import (
    can_edit_reunions,
    can_enter_reunion_replies,
    can_export_reunion_lists,
    can_read_reunions,
    participants_for_user,
)
from ..forms import EventForm, SessionForm
from ..models import AbsenceKind, Need, Participant, ReunionRound, RoundKind, Stage
from ..selectors import event_report
from ..services import video


def event_page_of(
    request: AuthedRequest,
    reunion_round: ReunionRound,
    *,
    status: int = 200,
    bound: dict[str, forms.Form] | None = None,
    family: tuple[int, str, forms.Form] | None = None,
) -> HttpResponse:
    """The event's page; `bound` holds the event's forms as typed ("event", "session"),
    `family` one family's form as typed (participant id, form name, form)."""
    bound = bound or {}
    event = reunion_round.event
    is_final = reunion_round.stage == Stage.FINAL
    participants = (
        list(
            participants_for_user(request.user, reunion_round).prefetch_related(
                "companions", "north_relatives"
            )
        )
        if is_final or can_read_reunions(request.user)
        else []  # the other side sees the families once fixed
    )
    return render(
        request,
        "reunion/event.html",
        {
            "round": reunion_round,
            "event": event,
            "sessions": event.sessions.all(),
            "participants": participants,
            "report": event_report(event),
            "can_edit": can_edit_reunions(request.user),
            "can_enter_north": can_enter_reunion_replies(request.user),
            "south": can_read_reunions(request.user),
            "can_export": can_export_reunion_lists(request.user),
            "event_form": bound.get("event")
            or EventForm(
                initial={
                    "venue": event.venue,
                    "companions_limit": event.companions_limit,
                    "families_per_table": event.families_per_table,
                }
            ),
            "session_form": bound.get("session")
            or SessionForm(initial={"day": reunion_round.starts_on}),
            "absences": AbsenceKind.choices,
            "event_begun": timezone.localdate() >= reunion_round.starts_on,
            "family_pk": family[0] if family else None,
            "family_form_name": family[1] if family else "",
            "family_form": family[2] if family else None,
            "needs": Need,
            "is_final": is_final,
        },
        status=status,
    )


def video_page_of(
    request: AuthedRequest,
    reunion_round: ReunionRound,
    *,
    status: int = 200,
    family: tuple[int, str, forms.Form] | None = None,
) -> HttpResponse:
    require(can_read_reunions(request.user))
    participants = list(
        participants_for_user(request.user, reunion_round).order_by(
            "video_day", "video_slot", "south_room", "pk"
        )
    )
    rooms = {r.code: r for r in scheduling.load_rooms()}
    return render(
        request,
        "reunion/video.html",
        {
            "round": reunion_round,
            "participants": participants,
            "placed": [p for p in participants if p.video_day],
            "unplaced": [p for p in participants if p.unplaced_code],
            "rooms": rooms,
            "south_rooms": [r for r in rooms.values() if r.side == "south"],
            "slot_times": scheduling.DEFAULT_SLOT_TIMES,
            "days": video.round_days(reunion_round),
            "can_edit": can_edit_reunions(request.user) and reunion_round.stage == Stage.FINAL,
            "absences": AbsenceKind.choices,
            "event_begun": timezone.localdate() >= reunion_round.starts_on,
            "family_pk": family[0] if family else None,
            "family_form_name": family[1] if family else "",
            "family_form": family[2] if family else None,
        },
        status=status,
    )


def form_post(
    request: AuthedRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    success: str,
    back: str,
    again: Callable[[forms.Form], HttpResponse],
) -> HttpResponse:
    """A form of the event's (or the video schedule's) page: its shape checked, the service
    called; done, back to the page; refused, the page again with the form as typed."""
    if form.is_valid():
        done = post_action(
            request,
            lambda: action(form.cleaned_data),
            success=success,
            then=redirect(back),
            form=form,
        )
        if done:
            return done
    return again(form)


def family_again(
    request: AuthedRequest, participant: Participant, name: str
) -> Callable[[forms.Form], HttpResponse]:
    """The page of a family's round again, with one of its forms as typed."""

    def again(form: forms.Form) -> HttpResponse:
        if participant.round.kind == RoundKind.IN_PERSON:
            return event_page_of(
                request, participant.round, status=422, family=(participant.pk, name, form)
            )
        return video_page_of(
            request, participant.round, status=422, family=(participant.pk, name, form)
        )

    return again


def family_page(participant: Participant) -> str:
    name = "reunion:event" if participant.round.kind == RoundKind.IN_PERSON else "reunion:video"
    return reverse(name, args=[participant.round_id])
