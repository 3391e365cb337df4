"""The video schedule (화상상봉), the video letters (영상편지) and the history of the reunions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panmun.accounts.access import require
from panmun.accounts.requests import AuthedRequest
from panmun.common.pages import post_action

from .. import history
from ..access import (
    can_edit_reunions,
    can_read_reunions,
    get_participant_for_edit,
    get_reunion_round_for_edit,
    get_reunion_round_for_user,
    get_video_letter_for_edit,
    video_letters_for_user,
)
from ..forms import LetterAdvanceForm, LetterForm, WishesForm
from ..models import LetterStatus, RoundKind
from ..selectors import history_tables, letter_backlog, years_chart
from ..services import video
from .round_pages import family_again, family_page, form_post, video_page_of


@login_required
def video_page(request: AuthedRequest, pk: int) -> HttpResponse:
    reunion_round = get_reunion_round_for_user(request.user, pk)
    if reunion_round.kind != RoundKind.VIDEO:
        return redirect("reunion:round", pk=pk)
    return video_page_of(request, reunion_round)


@login_required
@require_POST
def video_schedule(request: AuthedRequest, pk: int) -> HttpResponse:
    reunion_round = get_reunion_round_for_edit(request.user, pk)
    return post_action(
        request,
        lambda: video.schedule_make(actor=request.user, reunion_round=reunion_round),
        success=lambda result: (
            _("%(placed)s families placed, %(unplaced)s could not be placed.")
            % {"placed": len(result.placements), "unplaced": len(result.unplaced)}
        ),
        then=redirect("reunion:video", pk=pk),
    )


@login_required
@require_POST
def video_wishes(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_edit(request.user, pk)
    return form_post(
        request,
        WishesForm(request.POST),
        lambda data: video.wishes_set(actor=request.user, participant=participant, **data),
        _("The family's wishes have been saved."),
        family_page(participant),
        family_again(request, participant, "wishes"),
    )


# --- video letters -----------------------------------------------------------------------------


def _letters_page(
    request: AuthedRequest,
    form: LetterForm,
    *,
    status: int = 200,
    advance: tuple[int, forms.Form] | None = None,
) -> HttpResponse:
    letters = video_letters_for_user(request.user)
    state = request.GET.get("status", "")
    shown = letters.filter(status=state) if state else letters
    if advance and not shown.filter(pk=advance[0]).exclude(status=LetterStatus.DELIVERED).exists():
        # The letter's row has no form to show the refusal on (delivered meanwhile, by another
        # officer, or not in this list): its problems come as messages instead.
        for problem in advance[1].errors.values():
            for text in problem:
                messages.error(request, str(text))
    return render(
        request,
        "reunion/letters.html",
        {
            "letters": shown.select_related("applicant")[:200],
            "total": shown.count(),
            "backlog": letter_backlog(),
            "form": form,
            "advance_form": LetterAdvanceForm(initial={"on": timezone.localdate()}),
            "advance_pk": advance[0] if advance else None,
            "advance_typed": advance[1] if advance else None,
            "can_edit": can_edit_reunions(request.user),
            "status": state,
        },
        status=status,
    )


@login_required
def letters_page(request: AuthedRequest) -> HttpResponse:
    video_letters_for_user(request.user)  # who may see the letters at all
    form = LetterForm(request.POST or None)
    if request.method == "POST":
        require(can_edit_reunions(request.user))
        if form.is_valid():
            done = post_action(
                request,
                lambda: video.letter_record(actor=request.user, **form.cleaned_data),
                success=_("The video letter has been recorded."),
                then=redirect("reunion:letters"),
                form=form,
            )
            if done:
                return done
        return _letters_page(request, form, status=422)
    return _letters_page(request, form)


@login_required
@require_POST
def letter_advance(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = get_video_letter_for_edit(request.user, pk)
    form = LetterAdvanceForm(request.POST)
    if form.is_valid():
        done = post_action(
            request,
            lambda: video.letter_advance(
                actor=request.user, letter=letter, on=form.cleaned_data["on"]
            ),
            success=_("The video letter has moved on."),
            then=redirect(reverse("reunion:letters")),
            form=form,
        )
        if done:
            return done
    return _letters_page(request, LetterForm(), status=422, advance=(letter.pk, form))


# --- history -----------------------------------------------------------------------------------


@login_required
def history_page(request: AuthedRequest) -> HttpResponse:
    tables = history_tables()
    return render(
        request,
        "reunion/history.html",
        {
            "in_person": tables.in_person,
            "video_rounds": tables.video,
            "sources": tables.sources,
            "chart": years_chart(
                show_registry=can_read_reunions(request.user), today=timezone.localdate()
            ),
            "totals": history.totals(),
        },
    )
