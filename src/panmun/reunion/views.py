"""Pages of the reunion rounds: the selection, the in-person event, the video schedule, the
video letters and the history. Reads through `accounts.access`, writes through the services."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panmun.accounts.access import (
    can_edit_registry,
    can_enter_replies,
    can_read_registry,
    can_run_selection,
    candidates_for_user,
    get_event_for_edit,
    get_participant_for_edit,
    get_participant_for_north_list,
    get_reunion_round_for_edit,
    get_reunion_round_for_selection,
    get_reunion_round_for_user,
    get_video_letter_for_edit,
    participants_for_user,
    require,
    reunion_rounds_for_user,
    video_letters_for_user,
)
from panmun.errors import DomainError
from panmun.web.pages import attachment, refusal_as_messages, refusal_on_form
from panmun.web.requests import AuthedRequest

from . import documents, history, scheduling
from .criteria import default_criteria
from .forms import (
    AttendanceForm,
    CriteriaForm,
    EventForm,
    FreezeForm,
    InquiryForm,
    LetterAdvanceForm,
    LetterForm,
    ParticipantForm,
    PersonLineForm,
    ReservesForm,
    RevertForm,
    RoundForm,
    SessionForm,
    WishesForm,
)
from .models import (
    Draw,
    Health,
    Need,
    Outcome,
    Participant,
    RoundKind,
    Stage,
    Willingness,
)
from .selectors import (
    document_header,
    family_cards,
    participant_lines,
    report_figures,
    session_lines,
    stage_steps,
    years_chart,
)
from .services import event as event_services
from .services import selection, video

# --- rounds ------------------------------------------------------------------------------------


@login_required
def rounds_page(request: AuthedRequest) -> HttpResponse:
    rounds = reunion_rounds_for_user(request.user).annotate(
        pool=Count("candidates", distinct=True),
        finals=Count("candidates", filter=Q(candidates__outcome=Outcome.FINAL), distinct=True),
    )
    form = RoundForm(request.POST or None)
    if request.method == "POST":
        require(can_run_selection(request.user))
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = selection.round_create(
                    actor=request.user,
                    kind=data["kind"],
                    number=data["number"],
                    name=data["name"],
                    starts_on=data["starts_on"],
                    days=data["days"],
                    venue=data["venue"],
                    criteria=default_criteria(timezone.localdate(), data["places"]),
                )
            except DomainError as err:
                refusal_on_form(form, err, request)
            else:
                messages.success(request, _("The round has been created with the usual criteria."))
                return redirect("reunion:round", pk=created.pk)
    return render(
        request,
        "reunion/rounds.html",
        {"rounds": rounds, "form": form, "can_create": can_run_selection(request.user)},
    )


@login_required
def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    reunion_round = get_reunion_round_for_user(request.user, pk)
    draw = getattr(reunion_round, "draw", None)
    south = can_read_registry(request.user)
    context: dict[str, Any] = {
        "round": reunion_round,
        "draw": draw,
        "steps": stage_steps(reunion_round),
        "stages": Stage,
        "kinds": RoundKind,
        "can_select": can_run_selection(request.user),
        "can_edit": can_edit_registry(request.user),
        "south": south,
        "criteria_text": json.dumps(reunion_round.criteria, ensure_ascii=False, indent=2),
        "criteria_form": CriteriaForm(
            initial={"criteria": json.dumps(reunion_round.criteria, ensure_ascii=False, indent=2)}
        ),
        "freeze_form": FreezeForm(),
        "revert_form": RevertForm(),
        "reserves_form": ReservesForm(),
        "inquiry_form": InquiryForm(),
        "changes": reunion_round.stage_changes.select_related("changed_by"),
    }
    if south:
        candidates = candidates_for_user(request.user, reunion_round)
        context["strata"] = list(
            candidates.values("stratum")
            .annotate(
                n_pool=Count("pk"),
                n_drawn=Count("pk", filter=Q(drawn=True)),
                n_willing=Count("pk", filter=Q(drawn=True, willingness="willing", health="fit")),
                n_final=Count("pk", filter=Q(outcome=Outcome.FINAL)),
                n_reserve=Count("pk", filter=Q(outcome=Outcome.RESERVE)),
            )
            .order_by("stratum")
        )
        context["drawn"] = candidates.filter(drawn=True).order_by("stratum", "rank")
        context["willingness"] = Willingness
        context["health"] = Health
        context["outcomes"] = Outcome
        if reunion_round.stage == Stage.DRAFT:
            context["pool_preview"] = selection.pool_members(reunion_round)[1]
    return render(request, "reunion/round_detail.html", context)


def _post_action(
    request: AuthedRequest, pk: int, action: Any, success: str, *, supervisor: bool = True
) -> HttpResponse:
    getter = get_reunion_round_for_selection if supervisor else get_reunion_round_for_edit
    reunion_round = getter(request.user, pk)
    try:
        action(reunion_round)
    except DomainError as err:
        refusal_as_messages(request, err)
    else:
        messages.success(request, success)
    return redirect("reunion:round", pk=pk)


@require_POST
@login_required
def round_criteria(request: AuthedRequest, pk: int) -> HttpResponse:
    form = CriteriaForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return redirect("reunion:round", pk=pk)
    return _post_action(
        request,
        pk,
        lambda r: selection.criteria_set(
            actor=request.user, reunion_round=r, criteria=form.cleaned_data["criteria"]
        ),
        _("The criteria have been saved."),
    )


@require_POST
@login_required
def round_freeze(request: AuthedRequest, pk: int) -> HttpResponse:
    form = FreezeForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {"seed_hex": "", "seed_text": ""}
    return _post_action(
        request,
        pk,
        lambda r: selection.pool_freeze(
            actor=request.user,
            reunion_round=r,
            seed_hex=data["seed_hex"],
            seed_text=data["seed_text"],
        ),
        _("The pool is frozen; its hash and the seed's hash are published."),
    )


@require_POST
@login_required
def round_draw(request: AuthedRequest, pk: int) -> HttpResponse:
    return _post_action(
        request,
        pk,
        lambda r: selection.draw_run(actor=request.user, reunion_round=r),
        _("The draw has run; the seed is revealed and the bundle can be downloaded."),
    )


@require_POST
@login_required
def round_checks(request: AuthedRequest, pk: int) -> HttpResponse:
    checks: dict[int, selection.Check] = {}
    for key in request.POST:
        if key.startswith("willingness-"):
            try:
                cid = int(key.removeprefix("willingness-"))
            except ValueError:
                continue
            checks[cid] = selection.Check(
                willingness=request.POST[key],
                health=request.POST.get(f"health-{cid}", ""),
                note=request.POST.get(f"note-{cid}", ""),
            )
    return _post_action(
        request,
        pk,
        lambda r: selection.candidates_check(actor=request.user, reunion_round=r, checks=checks),
        _("The checks have been recorded."),
        supervisor=False,
    )


@require_POST
@login_required
def round_reserves(request: AuthedRequest, pk: int) -> HttpResponse:
    form = ReservesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a stratum and how many reserves to call."))
        return redirect("reunion:round", pk=pk)
    return _post_action(
        request,
        pk,
        lambda r: selection.reserves_call(actor=request.user, reunion_round=r, **form.cleaned_data),
        _("Reserves have been called."),
    )


@require_POST
@login_required
def round_inquiry(request: AuthedRequest, pk: int) -> HttpResponse:
    form = InquiryForm(request.POST)
    due = form.cleaned_data.get("reply_due") if form.is_valid() else None
    return _post_action(
        request,
        pk,
        lambda r: selection.inquiry_start(actor=request.user, reunion_round=r, reply_due=due),
        _("The tracing round has been created; send it from the tracing pages."),
        supervisor=False,
    )


@require_POST
@login_required
def round_final(request: AuthedRequest, pk: int) -> HttpResponse:
    return _post_action(
        request,
        pk,
        lambda r: selection.final_fix(actor=request.user, reunion_round=r),
        _("The final list and the reserves are fixed."),
    )


@require_POST
@login_required
def round_revert(request: AuthedRequest, pk: int) -> HttpResponse:
    form = RevertForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _post_action(
        request,
        pk,
        lambda r: selection.stage_revert(actor=request.user, reunion_round=r, reason=reason),
        _("The round has been stepped back."),
    )


@login_required
def round_bundle(request: AuthedRequest, pk: int) -> HttpResponse:
    """The verification bundle (zip), for anyone who can see the round, the other side too."""
    reunion_round = get_reunion_round_for_user(request.user, pk)
    draw = getattr(reunion_round, "draw", None)
    if draw is None:
        return redirect("reunion:round", pk=pk)
    data = selection.bundle_of(draw).to_zip()
    selection.bundle_downloaded(actor=request.user, reunion_round=reunion_round)
    return attachment(
        data, f"draw-{reunion_round.kind}-{reunion_round.number}.zip", "application/zip"
    )


@login_required
def round_commitment(request: AuthedRequest, pk: int, name: str) -> HttpResponse:
    """What is published before the draw: the pool, the criteria and the commitment."""
    reunion_round = get_reunion_round_for_user(request.user, pk)
    draw = getattr(reunion_round, "draw", None)
    files: dict[str, tuple[Callable[[Draw], bytes], str]] = {
        "pool.csv": (lambda d: d.pool_csv.encode("utf-8"), "text/csv; charset=utf-8"),
        "criteria.json": (lambda d: d.criteria_json.encode("utf-8"), "application/json"),
        "commitment.json": (selection.commitment_json, "application/json"),
    }
    if draw is None or name not in files:
        return redirect("reunion:round", pk=pk)
    make, content_type = files[name]
    return attachment(make(draw), name, content_type)


# --- the in-person event -----------------------------------------------------------------------


def _event_round(request: AuthedRequest, pk: int) -> Any:
    reunion_round = get_reunion_round_for_user(request.user, pk)
    if reunion_round.kind != RoundKind.IN_PERSON:
        return None
    return reunion_round


@login_required
def event_page(request: AuthedRequest, pk: int) -> HttpResponse:
    reunion_round = _event_round(request, pk)
    if reunion_round is None:
        return redirect("reunion:round", pk=pk)
    event = reunion_round.event
    is_final = reunion_round.stage == Stage.FINAL
    participants = (
        participants_for_user(request.user, reunion_round).prefetch_related(
            "companions", "north_relatives"
        )
        if is_final or can_read_registry(request.user)
        else Participant.objects.none()  # the other side sees the families once fixed
    )
    return render(
        request,
        "reunion/event.html",
        {
            "round": reunion_round,
            "event": event,
            "sessions": event.sessions.all(),
            "participants": participants,
            "report": event_services.event_report(event),
            "can_edit": can_edit_registry(request.user),
            "can_enter_north": can_enter_replies(request.user),
            "south": can_read_registry(request.user),
            "event_form": EventForm(
                initial={
                    "venue": event.venue,
                    "companions_limit": event.companions_limit,
                    "families_per_table": event.families_per_table,
                }
            ),
            "session_form": SessionForm(initial={"day": reunion_round.starts_on}),
            "needs": Need,
            "is_final": is_final,
        },
    )


def _form_post(
    request: HttpRequest,
    form_class: type[forms.Form],
    action: Callable[[dict[str, Any]], object],
    invalid: str,
    back: HttpResponse,
) -> HttpResponse:
    """A small form posted from a page: its shape checked, the service called, a refusal shown
    as messages; then back to the page."""
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, invalid)
        return back
    try:
        action(form.cleaned_data)
    except DomainError as err:
        refusal_as_messages(request, err)
    return back


@require_POST
@login_required
def event_update(request: AuthedRequest, pk: int) -> HttpResponse:
    event = get_event_for_edit(request.user, pk)
    return _form_post(
        request,
        EventForm,
        lambda data: event_services.event_update(actor=request.user, event=event, **data),
        _("Check the event's fields."),
        redirect("reunion:event", pk=pk),
    )


@require_POST
@login_required
def session_add(request: AuthedRequest, pk: int) -> HttpResponse:
    event = get_event_for_edit(request.user, pk)
    return _form_post(
        request,
        SessionForm,
        lambda data: event_services.session_add(actor=request.user, event=event, **data),
        _("Check the session's fields."),
        redirect("reunion:event", pk=pk),
    )


@require_POST
@login_required
def session_remove(request: AuthedRequest, pk: int, session_pk: int) -> HttpResponse:
    session = get_event_for_edit(request.user, pk).sessions.filter(pk=session_pk).first()
    if session is not None:
        event_services.session_remove(actor=request.user, session=session)
    return redirect("reunion:event", pk=pk)


@require_POST
@login_required
def places_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    event = get_event_for_edit(request.user, pk)
    event_services.places_assign(actor=request.user, event=event)
    messages.success(request, _("Tables and rooms have been assigned."))
    return redirect("reunion:event", pk=pk)


@require_POST
@login_required
def participant_update(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_edit(request.user, pk)
    return _form_post(
        request,
        ParticipantForm,
        lambda data: event_services.participant_update(
            actor=request.user, participant=participant, **data
        ),
        _("Check the family's fields."),
        redirect("reunion:event", pk=participant.round_id),
    )


@require_POST
@login_required
def companion_add(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_edit(request.user, pk)
    return _form_post(
        request,
        PersonLineForm,
        lambda data: event_services.companion_add(
            actor=request.user,
            participant=participant,
            name=data["name"],
            relation=data["relation"],
            birth_year=data["number"],
        ),
        _("Give the companion's name and relation."),
        redirect("reunion:event", pk=participant.round_id),
    )


@require_POST
@login_required
def north_relative_add(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_north_list(request.user, pk)
    return _form_post(
        request,
        PersonLineForm,
        lambda data: event_services.north_relative_add(
            actor=request.user,
            participant=participant,
            name=data["name"],
            relation=data["relation"],
            age=data["number"],
            note=data["note"],
        ),
        _("Give the relative's name and relation."),
        redirect("reunion:event", pk=participant.round_id),
    )


@require_POST
@login_required
def attendance_record(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_edit(request.user, pk)
    return _form_post(
        request,
        AttendanceForm,
        lambda data: event_services.attendance_record(
            actor=request.user, participant=participant, **data
        ),
        _("Say whether the family took part."),
        redirect(
            "reunion:event" if participant.round.kind == RoundKind.IN_PERSON else "reunion:video",
            pk=participant.round_id,
        ),
    )


PDF_KINDS = ("participants", "programme", "cards", "report")


@login_required
def event_document(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    reunion_round = _event_round(request, pk)
    if reunion_round is None or kind not in PDF_KINDS:
        return redirect("reunion:round", pk=pk)
    header = document_header(reunion_round, south=can_read_registry(request.user))
    if kind == "programme":
        data = documents.programme_pdf(header, session_lines(reunion_round.event))
        return attachment(data, f"reunion-{reunion_round.number}-{kind}.pdf", "application/pdf")
    participants = participants_for_user(request.user, reunion_round)
    if kind == "participants":
        data = documents.participant_list_pdf(header, participant_lines(participants))
    elif kind == "cards":
        require(can_read_registry(request.user))
        data = documents.family_cards_pdf(header, family_cards(reunion_round, participants))
    else:
        figures, attendance = report_figures(reunion_round, participants)
        data = documents.report_pdf(header, figures, attendance)
    return attachment(data, f"reunion-{reunion_round.number}-{kind}.pdf", "application/pdf")


# --- video reunions ----------------------------------------------------------------------------


@login_required
def video_page(request: AuthedRequest, pk: int) -> HttpResponse:
    reunion_round = get_reunion_round_for_user(request.user, pk)
    if reunion_round.kind != RoundKind.VIDEO:
        return redirect("reunion:round", pk=pk)
    require(can_read_registry(request.user))
    participants = participants_for_user(request.user, reunion_round).order_by(
        "video_day", "video_slot", "south_room", "pk"
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
            "can_edit": can_edit_registry(request.user) and reunion_round.stage == Stage.FINAL,
        },
    )


@require_POST
@login_required
def video_schedule(request: AuthedRequest, pk: int) -> HttpResponse:
    reunion_round = get_reunion_round_for_edit(request.user, pk)
    try:
        result = video.schedule_make(actor=request.user, reunion_round=reunion_round)
    except DomainError as err:
        refusal_as_messages(request, err)
    else:
        messages.success(
            request,
            _("%(placed)s families placed, %(unplaced)s could not be placed.")
            % {"placed": len(result.placements), "unplaced": len(result.unplaced)},
        )
    return redirect("reunion:video", pk=pk)


@require_POST
@login_required
def video_wishes(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_edit(request.user, pk)
    return _form_post(
        request,
        WishesForm,
        lambda data: video.wishes_set(actor=request.user, participant=participant, **data),
        _("Check the date."),
        redirect("reunion:video", pk=participant.round_id),
    )


# --- video letters -----------------------------------------------------------------------------


@login_required
def letters_page(request: AuthedRequest) -> HttpResponse:
    letters = video_letters_for_user(request.user)
    form = LetterForm(request.POST or None)
    if request.method == "POST":
        require(can_edit_registry(request.user))
        if form.is_valid():
            try:
                video.letter_record(actor=request.user, **form.cleaned_data)
            except DomainError as err:
                refusal_on_form(form, err, request)
            else:
                messages.success(request, _("The video letter has been recorded."))
                return redirect("reunion:letters")
    status = request.GET.get("status", "")
    shown = letters.filter(status=status) if status else letters
    return render(
        request,
        "reunion/letters.html",
        {
            "letters": shown[:200],
            "total": shown.count(),
            "backlog": video.letter_backlog(),
            "form": form,
            "advance_form": LetterAdvanceForm(initial={"on": timezone.localdate()}),
            "can_edit": can_edit_registry(request.user),
            "status": status,
        },
    )


@require_POST
@login_required
def letter_advance(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = get_video_letter_for_edit(request.user, pk)
    return _form_post(
        request,
        LetterAdvanceForm,
        lambda data: video.letter_advance(actor=request.user, letter=letter, on=data["on"]),
        _("Give the date."),
        redirect("reunion:letters"),
    )


# --- history -----------------------------------------------------------------------------------


@login_required
def history_page(request: AuthedRequest) -> HttpResponse:
    rounds = history.load_history()
    return render(
        request,
        "reunion/history.html",
        {
            "in_person": [r for r in rounds if r.kind == "in_person"],
            "video_rounds": [r for r in rounds if r.kind == "video"],
            "chart": years_chart(
                show_registry=can_read_registry(request.user), today=dt.date.today()
            ),
            "totals": history.totals(),
        },
    )
