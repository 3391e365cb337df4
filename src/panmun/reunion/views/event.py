"""The in-person event's page (대면상봉): its programme, the families with their companions,
needs, tables and rooms, the other side's list, attendance afterwards, and its PDFs. A form the
services refuse comes back on the page as typed; removing a session is asked first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panmun.accounts.access import require
from panmun.accounts.requests import AuthedRequest
from panmun.common.pages import attachment, confirm_page, confirmed, post_action

from .. import documents
from ..access import (
    can_edit_reunions,
    can_enter_reunion_replies,
    can_export_reunion_lists,
    can_read_reunions,
    get_event_for_edit,
    get_participant_for_edit,
    get_participant_for_north_list,
    get_reunion_round_for_user,
    participants_for_user,
)
from ..forms import AttendanceForm, EventForm, ParticipantForm, PersonLineForm, SessionForm
from ..models import AbsenceKind, Need, Participant, ReunionRound, RoundKind, Stage
from ..selectors import (
    document_header,
    event_report,
    family_cards,
    participant_lines,
    report_figures,
)
from ..selectors import session_lines as programme_lines
from ..services import event as event_services


def _event_round(request: AuthedRequest, pk: int) -> ReunionRound | None:
    reunion_round = get_reunion_round_for_user(request.user, pk)
    if reunion_round.kind != RoundKind.IN_PERSON:
        return None
    return reunion_round


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


@login_required
def event_page(request: AuthedRequest, pk: int) -> HttpResponse:
    reunion_round = _event_round(request, pk)
    if reunion_round is None:
        return redirect("reunion:round", pk=pk)
    return event_page_of(request, reunion_round)


def _form_post(
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


@login_required
@require_POST
def event_update(request: AuthedRequest, pk: int) -> HttpResponse:
    event = get_event_for_edit(request.user, pk)
    return _form_post(
        request,
        EventForm(request.POST),
        lambda data: event_services.event_update(actor=request.user, event=event, **data),
        _("The event has been changed."),
        reverse("reunion:event", args=[pk]),
        lambda form: event_page_of(request, event.round, status=422, bound={"event": form}),
    )


@login_required
@require_POST
def session_add(request: AuthedRequest, pk: int) -> HttpResponse:
    event = get_event_for_edit(request.user, pk)
    return _form_post(
        request,
        SessionForm(request.POST),
        lambda data: event_services.session_add(actor=request.user, event=event, **data),
        _("The session has been added to the programme."),
        reverse("reunion:event", args=[pk]),
        lambda form: event_page_of(request, event.round, status=422, bound={"session": form}),
    )


@login_required
@require_POST
def session_remove(request: AuthedRequest, pk: int, session_pk: int) -> HttpResponse:
    """Remove a session from the programme: asked first."""
    event = get_event_for_edit(request.user, pk)
    session = event.sessions.filter(pk=session_pk).first()
    if session is None:
        messages.error(request, _("This session is no longer in the programme."))
        return redirect("reunion:event", pk=pk)
    if not confirmed(request):
        families = Participant.objects.filter(round=event.round).count()
        what = "{day} {starts}–{ends} · {kind} · {place}".format(
            day=formats.date_format(session.day, "Y-m-d"),
            starts=session.starts.strftime("%H:%M"),
            ends=session.ends.strftime("%H:%M"),
            kind=session.get_kind_display(),
            place=session.place,
        )
        warnings = []
        if families:
            warnings.append(
                _(
                    "%(n)s families are on the final list: programmes and family cards already "
                    "printed will no longer match."
                )
                % {"n": families}
            )
        return confirm_page(
            request,
            title=_("Remove this session from the programme?"),
            facts=[
                _("The session %(what)s will be removed from the programme.") % {"what": what},
                _("The programme PDF, the family cards and the hours together follow."),
            ],
            warnings=warnings,
            action=reverse("reunion:session-remove", args=[pk, session_pk]),
            back=reverse("reunion:event", args=[pk]),
            button=_("Remove the session"),
        )
    event_services.session_remove(actor=request.user, session=session)
    messages.success(request, _("The session has been removed from the programme."))
    return redirect("reunion:event", pk=pk)


@login_required
@require_POST
def places_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    event = get_event_for_edit(request.user, pk)
    event_services.places_assign(actor=request.user, event=event)
    messages.success(request, _("Tables and rooms have been assigned."))
    return redirect("reunion:event", pk=pk)


def _family_again(
    request: AuthedRequest, participant: Participant, name: str
) -> Callable[[forms.Form], HttpResponse]:
    """The page of a family's round again, with one of its forms as typed."""
    from .video import video_page_of

    def again(form: forms.Form) -> HttpResponse:
        if participant.round.kind == RoundKind.IN_PERSON:
            return event_page_of(
                request, participant.round, status=422, family=(participant.pk, name, form)
            )
        return video_page_of(
            request, participant.round, status=422, family=(participant.pk, name, form)
        )

    return again


def _family_page(participant: Participant) -> str:
    name = "reunion:event" if participant.round.kind == RoundKind.IN_PERSON else "reunion:video"
    return reverse(name, args=[participant.round_id])


@login_required
@require_POST
def participant_update(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_edit(request.user, pk)
    return _form_post(
        request,
        ParticipantForm(request.POST),
        lambda data: event_services.participant_update(
            actor=request.user, participant=participant, **data
        ),
        _("The family's needs, table and room have been saved."),
        _family_page(participant),
        _family_again(request, participant, "update"),
    )


@login_required
@require_POST
def companion_add(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_edit(request.user, pk)
    return _form_post(
        request,
        PersonLineForm(request.POST),
        lambda data: event_services.companion_add(
            actor=request.user,
            participant=participant,
            name=data["name"],
            relation=data["relation"],
            birth_year=data["number"],
        ),
        _("The companion has been added."),
        _family_page(participant),
        _family_again(request, participant, "companion"),
    )


@login_required
@require_POST
def north_relative_add(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_north_list(request.user, pk)
    return _form_post(
        request,
        PersonLineForm(request.POST),
        lambda data: event_services.north_relative_add(
            actor=request.user,
            participant=participant,
            name=data["name"],
            relation=data["relation"],
            age=data["number"],
            note=data["note"],
        ),
        _("The relative has been added to the other side's list."),
        _family_page(participant),
        _family_again(request, participant, "north"),
    )


@login_required
@require_POST
def attendance_record(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_edit(request.user, pk)
    return _form_post(
        request,
        AttendanceForm(request.POST),
        lambda data: event_services.attendance_record(
            actor=request.user, participant=participant, **data
        ),
        _("The attendance has been recorded."),
        _family_page(participant),
        _family_again(request, participant, "attendance"),
    )


PDF_KINDS = ("participants", "programme", "cards", "report")


@login_required
def event_document(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    reunion_round = _event_round(request, pk)
    if reunion_round is None or kind not in PDF_KINDS:
        return redirect("reunion:round", pk=pk)
    header = document_header(reunion_round, south=can_read_reunions(request.user))
    if kind == "programme":
        data = documents.programme_pdf(header, programme_lines(reunion_round.event))
        return attachment(data, f"reunion-{reunion_round.number}-{kind}.pdf", "application/pdf")
    participants = participants_for_user(request.user, reunion_round)
    if kind in ("participants", "cards"):
        # Lists of people as files: for those who may take one away, audited with their rows.
        require(can_export_reunion_lists(request.user))
    if kind == "participants":
        lines = participant_lines(participants)
        data = documents.participant_list_pdf(header, lines)
        event_services.list_exported(
            actor=request.user, reunion_round=reunion_round, what=kind, rows=len(lines)
        )
    elif kind == "cards":
        require(can_read_reunions(request.user))
        cards = family_cards(reunion_round, participants)
        data = documents.family_cards_pdf(header, cards)
        event_services.list_exported(
            actor=request.user, reunion_round=reunion_round, what=kind, rows=len(cards)
        )
    else:
        figures, attendance = report_figures(reunion_round, participants)
        data = documents.report_pdf(header, figures, attendance)
    return attachment(data, f"reunion-{reunion_round.number}-{kind}.pdf", "application/pdf")
