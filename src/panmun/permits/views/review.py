"""The ministry's pages: the queues of each kind (with decisions on a list), the review page of
one approval (its decisions, assignment and the supervisor's policy exception), the statistics;
and the other side's page of the visits its organisation invited. Reads through the selectors
(which ask `access`), writes through `services.review` and `services.applications`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panmun.accounts.access import require
from panmun.accounts.requests import AuthedRequest
from panmun.common.errors import DomainError, ErrorCode
from panmun.common.pages import confirm_page, confirmed, post_action

from .. import statistics
from ..access import can_except, can_revoke
from ..forms_review import AssignForm, BulkForm, DecisionForm, ExceptionForm
from ..models import ApprovalKind, ApprovalState
from ..selectors import (
    QUEUE_STATES,
    check_filters,
    get_approval_for_review,
    invitations,
    queue,
    queue_counts,
    require_reviewer,
    review_of,
)
from ..services.applications import policy_exception_grant
from ..services.moves import MOVES
from ..services.review import (
    REVIEW_MOVES,
    approval_assign,
    approval_decide,
    approvals_decide_bulk,
)


def move_labels() -> dict[str, str]:
    return {
        "start_review": _("Start review"),
        "request_info": _("Request information"),
        "approve": _("Approve"),
        "approve_with_conditions": _("Approve with conditions"),
        "refuse": _("Refuse"),
        "revoke": _("Revoke"),
    }


def step_labels() -> dict[str, str]:
    """Every transition's name, as the history of states shows it."""
    return {
        **move_labels(),
        "submit": _("Submitted"),
        "resubmit": _("Answered and resubmitted"),
        "withdraw": _("Withdrawn"),
        "reopen": _("Amended: back to review"),
        "expire": _("Expired"),
    }


def text_labels() -> dict[str, str]:
    return {
        "questions": _("Questions"),
        "conditions": _("Conditions"),
        "reasons": _("Reasons"),
    }


# --- queues --------------------------------------------------------------------------------------


@login_required
def queues_page(request: AuthedRequest) -> HttpResponse:
    counts = queue_counts(request.user)
    kinds = [(k, label, counts[k]) for k, label in ApprovalKind.choices]
    return render(request, "permits/review/queues.html", {"kinds": kinds})


def _queue_page(
    request: AuthedRequest, kind: str, form: BulkForm, *, status: int = 200
) -> HttpResponse:
    params = request.GET
    try:
        filters = check_filters(kind, params.get("state", ""), params.get("assigned", ""))
        page = queue(
            request.user,
            filters.kind,
            state=filters.state,
            assigned=filters.assigned,
            after=params.get("after", ""),
        )
    except DomainError as err:
        if err.code == ErrorCode.PERMISSION_DENIED:
            raise
        raise Http404(err.message_en) from err
    states = [(s, ApprovalState(s).label) for s in QUEUE_STATES]
    return render(
        request,
        "permits/review/queue.html",
        {
            "kind": kind,
            "kind_label": ApprovalKind(kind).label,
            "page": page,
            "states": states,
            "form": form,
            "selected": {str(v) for v in request.POST.getlist("approvals")},
        },
        status=status,
    )


@login_required
def queue_page(request: AuthedRequest, kind: str) -> HttpResponse:
    """One kind's open approvals, oldest first; a POST decides the ticked ones (all or none)."""
    require_reviewer(request.user)
    if kind not in ApprovalKind.values:
        raise Http404
    form = BulkForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            done = post_action(
                request,
                lambda: approvals_decide_bulk(
                    actor=request.user,
                    approval_ids=data["approvals"],
                    move=data["move"],
                    ko=data["ko"],
                    en=data["en"],
                ),
                success=lambda moved: _("%(n)s approvals moved on.") % {"n": len(moved)},
                then=redirect(request.get_full_path()),
                form=form,
            )
            if done:
                return done
        return _queue_page(request, kind, form, status=422)
    return _queue_page(request, kind, form)


# --- one approval --------------------------------------------------------------------------------


def _review_page(
    request: AuthedRequest,
    pk: int,
    *,
    status: int = 200,
    failed: str = "",
    form: Any = None,
) -> HttpResponse:
    approval = get_approval_for_review(request.user, pk)
    review = review_of(request.user, approval)
    labels, texts, steps = move_labels(), text_labels(), step_labels()
    decisions = []
    for name in review.moves:
        spec = MOVES[name]
        bound = form if failed == name else DecisionForm(prefix=name, text=spec.text)
        decisions.append(
            {
                "move": name,
                "label": labels[name],
                "text": spec.text,
                "text_label": texts.get(spec.text, ""),
                "form": bound,
                "failed": failed == name,
            }
        )
    return render(
        request,
        "permits/review/approval.html",
        {
            "review": review,
            "approval": approval,
            "application": review.application,
            "decisions": decisions,
            "assign_form": form
            if failed == "assign"
            else AssignForm(initial={"officer": approval.assigned_to_id}),
            "exception_form": form if failed == "exception" else ExceptionForm(),
            "failed": failed,
            "assignable": approval.state in QUEUE_STATES,
            "states": ApprovalState,
            "log": [(log, steps.get(log.transition, log.transition)) for log in review.log],
        },
        status=status,
    )


@login_required
def approval_page(request: AuthedRequest, pk: int) -> HttpResponse:
    return _review_page(request, pk)


@login_required
@require_POST
def approval_move(request: AuthedRequest, pk: int, move: str) -> HttpResponse:
    """A decision from the review page. A revocation is confirmed first; a refused decision
    (no reasons, a state that moved meanwhile) comes back as its form with the problem on it."""
    approval = get_approval_for_review(request.user, pk)
    if move not in REVIEW_MOVES:
        raise Http404
    form = DecisionForm(request.POST, prefix=move, text=MOVES[move].text)
    if form.is_valid():
        ko, en = form.texts()
        if move == "revoke" and ko and en and not confirmed(request):
            require(can_revoke(request.user))  # refused before being asked to confirm
            return confirm_page(
                request,
                title=_("Revoke the approval %(ref)s?") % {"ref": approval.application.reference},
                facts=[
                    _("The approval in force ends now; the applicant is told why."),
                    f"{ko} / {en}",
                ],
                action=request.path,
                back=reverse("permits:review-approval", args=[pk]),
                button=_("Revoke"),
                hidden={f"{move}-reasons_ko": ko, f"{move}-reasons_en": en},
            )
        done = post_action(
            request,
            lambda: approval_decide(actor=request.user, approval=approval, move=move, ko=ko, en=en),
            success=lambda moved: (
                _("The approval is now: %(state)s.") % {"state": moved.get_state_display()}
            ),
            then=redirect("permits:review-approval", pk=pk),
            form=form,
        )
        if done:
            return done
    return _review_page(request, pk, status=422, failed=move, form=form)


@login_required
@require_POST
def approval_assign_page(request: AuthedRequest, pk: int) -> HttpResponse:
    approval = get_approval_for_review(request.user, pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        done = post_action(
            request,
            lambda: approval_assign(
                actor=request.user, approval=approval, officer=form.cleaned_data["officer"]
            ),
            success=_("The approval's officer has been set."),
            then=redirect("permits:review-approval", pk=pk),
            form=form,
        )
        if done:
            return done
    return _review_page(request, pk, status=422, failed="assign", form=form)


@login_required
@require_POST
def exception_grant(request: AuthedRequest, pk: int) -> HttpResponse:
    """A supervisor's exception to a measure in force for the approval's application."""
    approval = get_approval_for_review(request.user, pk)
    require(can_except(request.user))  # before what was typed is looked at
    form = ExceptionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = post_action(
            request,
            lambda: policy_exception_grant(
                actor=request.user,
                application=approval.application,
                measure=data["measure"],
                reason_ko=data["reason_ko"],
                reason_en=data["reason_en"],
            ),
            success=_("The exception has been recorded."),
            then=redirect("permits:review-approval", pk=pk),
            form=form,
        )
        if done:
            return done
    return _review_page(request, pk, status=422, failed="exception", form=form)


# --- statistics and the other side ---------------------------------------------------------------


@login_required
def statistics_page(request: AuthedRequest) -> HttpResponse:
    require_reviewer(request.user)
    this_year = timezone.localdate().year
    text = request.GET.get("year", "")
    year = int(text) if text.isdigit() and statistics.FIRST_YEAR <= int(text) <= 2200 else this_year
    rows = statistics.per_month(request.user, year)
    totals = statistics.month_totals(rows, year)
    visitors = statistics.visitors_per_year(request.user)
    month_chart = statistics.bar_chart(
        [(f"{t['month']:%m}", t) for t in totals], statistics.FIGURES
    )
    years = range(min(visitors), max(visitors) + 1) if visitors else range(0)
    visitor_chart = statistics.bar_chart(
        [(str(y), {"visitors": visitors.get(y, 0)}) for y in years], ("visitors",)
    )
    return render(
        request,
        "permits/review/statistics.html",
        {
            "year": year,
            "years": [year - 1, year + 1] if year < this_year else [year - 1],
            "rows": rows,
            "totals": totals,
            "month_chart": month_chart,
            "visitors": sorted(visitors.items()),
            "visitor_total": sum(visitors.values()),
            "visitor_chart": visitor_chart,
            "kinds": ApprovalKind,
        },
    )


@login_required
def invitations_page(request: AuthedRequest) -> HttpResponse:
    """For an officer of a North organisation: the visits it invited (names, dates, purpose)."""
    return render(
        request, "permits/review/invitations.html", {"invitations": invitations(request.user)}
    )
