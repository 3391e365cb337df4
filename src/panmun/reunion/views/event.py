"""The in-person event's page (대면상봉): its programme, the families with their companions,
needs, tables and rooms, the other side's list, attendance afterwards, and its PDFs. A form the
services refuse comes back on the page as typed; removing a session is asked first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panmun.accounts.access import require
from panmun.accounts.requests import AuthedRequest
from panmun.common.pages import attachment, confirm_page, confirmed

from .. import documents
from ..access import (
    can_export_reunion_lists,
    can_read_reunions,
    get_event_for_edit,
    get_participant_for_edit,
    get_participant_for_north_list,
    get_reunion_round_for_user,
    participants_for_user,
)
from ..forms import AttendanceForm, EventForm, ParticipantForm, PersonLineForm, SessionForm
from ..models import Participant, ReunionRound, RoundKind
from ..selectors import (
    document_header,
    family_cards,
    participant_lines,
    report_figures,
)
from ..selectors import session_lines as programme_lines
from ..services import event as event_services
from .round_pages import event_page_of, family_again, family_page, form_post


def _event_round(request: AuthedRequest, pk: int) -> ReunionRound | None:
    reunion_round = get_reunion_round_for_user(request.user, pk)
    if reunion_round.kind != RoundKind.IN_PERSON:
        return None
    return reunion_round


@login_required
def event_page(request: AuthedRequest, pk: int) -> HttpResponse:
    reunion_round = _event_round(request, pk)
    if reunion_round is None:
        return redirect("reunion:round", pk=pk)
    return event_page_of(request, reunion_round)


@login_required
@require_POST
def event_update(request: AuthedRequest, pk: int) -> HttpResponse:
    event = get_event_for_edit(request.user, pk)
    return form_post(
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
    return form_post(
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


@login_required
@require_POST
def participant_update(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_edit(request.user, pk)
    return form_post(
        request,
        ParticipantForm(request.POST),
        lambda data: event_services.participant_update(
            actor=request.user, participant=participant, **data
        ),
        _("The family's needs, table and room have been saved."),
        family_page(participant),
        family_again(request, participant, "update"),
    )


@login_required
@require_POST
def companion_add(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_edit(request.user, pk)
    return form_post(
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
        family_page(participant),
        family_again(request, participant, "companion"),
    )


@login_required
@require_POST
def north_relative_add(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_north_list(request.user, pk)
    return form_post(
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
        family_page(participant),
        family_again(request, participant, "north"),
    )


@login_required
@require_POST
def attendance_record(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_edit(request.user, pk)
    return form_post(
        request,
        AttendanceForm(request.POST),
        lambda data: event_services.attendance_record(
            actor=request.user, participant=participant, **data
        ),
        _("The attendance has been recorded."),
        family_page(participant),
        family_again(request, participant, "attendance"),
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
