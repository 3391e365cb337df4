"""Pages of the liaison record (연락 기록): the messages and their search, a thread with its
receipts and answers, composing, the meeting record, the contact calls' calendar and the state
of both logs with their verification bundles. Reads through `liaison.access`, writes through
the services."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from panmun.accounts.access import require
from panmun.accounts.models import SideCode, User
from panmun.accounts.requests import AuthedRequest
from panmun.common.errors import DomainError, ErrorCode
from panmun.common.pages import attachment, post_action
from panmun.dialogue.access import can_edit_dialogue
from panmun.jobs.selectors import runner_health
from panmun.liaison.access import (
    can_read_liaison,
    can_write_liaison,
    contact_calls_for_user,
    get_call_for_answer,
    get_liaison_entry_for_answer,
    get_liaison_entry_for_user,
    liaison_entries_for_user,
)

from . import selectors
from .api import bundle_response
from .forms import (
    LIST_KIND_LABELS,
    AnswerForm,
    ComposeForm,
    MeetingRecordForm,
    SearchForm,
)
from .ledger import documents
from .ledger.entries import parse_time
from .models import CallName, CallState, ContactCall, Entry, Kind
from .services import calls as call_services
from .services import messages as message_services
from .services.calls import KST
from .services.messages import PROPOSALS

PAGE_SIZE = 50
MAX_INDENT = 6

# --- helpers -----------------------------------------------------------------------------------


def _prefix(entry: Entry) -> str:
    return f"{entry.log.side}-{entry.index}"


def _anchor(entry: Entry) -> str:
    return f"e-{entry.log.side}-{entry.index}"


def _thread_url(entry: Entry) -> str:
    url = reverse("liaison:thread", args=[entry.log.side, entry.index])
    return f"{url}#{_anchor(entry)}"


def _time(value: Any) -> dt.datetime | None:
    try:
        return parse_time(value)
    except (TypeError, ValueError):
        return None


def _item_text(item: Any) -> str:
    if isinstance(item, dict):
        return " · ".join(str(v) for v in item.values() if str(v).strip())
    return str(item)


# --- the messages ------------------------------------------------------------------------------


def _search_form(request: HttpRequest) -> SearchForm:
    kinds = [(k, Kind(k).label) for k in selectors.MESSAGE_KINDS]
    form = SearchForm(request.GET or None, kinds=kinds)
    if form.is_bound:
        form.is_valid()
    return form


@login_required
def threads_page(request: AuthedRequest) -> HttpResponse:
    entries = liaison_entries_for_user(request.user)
    form = _search_form(request)
    filters = selectors.EntryFilters(
        q=form.value("q").strip(),
        kind=form.value("kind"),
        side=form.value("side"),
        date_from=form.value("date_from"),
        date_to=form.value("date_to"),
        threads_only=form.value("threads_only"),
    )
    page = Paginator(selectors.search(entries, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    known = selectors.receipts(list(page))
    rows = [(entry, known[entry.pk]) for entry in page]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "can_write": message_services.signs_here(request.user),
        "health": None if request.htmx else runner_health(),
    }
    template = "liaison/_entries.html" if request.htmx else "liaison/threads.html"
    return render(request, template, context)


def _send(
    request: AuthedRequest, form: ComposeForm | AnswerForm, in_reply_to: Entry | None
) -> HttpResponse | None:
    """Send a composed message or answer: on to its thread, or None with the refusal on the
    form."""
    return post_action(
        request,
        lambda: message_services.message_send(
            actor=request.user,
            kind=form.cleaned_data["kind"],
            body=form.body(),
            in_reply_to=in_reply_to,
        ),
        success=lambda entry: (
            _("Signed and sent as %(side)s/%(index)s.")
            % {"side": entry.log.side, "index": entry.index}
        ),
        then=lambda entry: redirect(_thread_url(entry)),
        form=form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def compose_page(request: AuthedRequest) -> HttpResponse:
    require(can_write_liaison(request.user))
    side = request.user.side_code
    assert side is not None  # can_write_liaison: an officer of one side's liaison office
    form = ComposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = _send(request, form, None)
        if sent is not None:
            return sent
    return render(
        request,
        "liaison/compose.html",
        {"form": form, "side": SideCode(side).label},
    )


# --- a thread ----------------------------------------------------------------------------------


@dataclass
class Card:
    """One entry of a thread as the page shows it."""

    entry: Entry
    depth: int
    receipt: selectors.Receipt
    current: bool
    anchor: str
    indent: int
    meeting_at: dt.datetime | None = None
    held_at: dt.datetime | None = None
    scheduled_at: dt.datetime | None = None
    items: list[str] = field(default_factory=list)
    list_kind: str = ""
    answer_form: AnswerForm | None = None
    can_counter: bool = False


def _card(
    user: User, item: selectors.ThreadItem, current: Entry, forms: dict[int, AnswerForm]
) -> Card:
    entry = item.entry
    body = entry.body if isinstance(entry.body, dict) else {}
    card = Card(
        entry=entry,
        depth=item.depth,
        receipt=item.receipt,
        current=entry.pk == current.pk,
        anchor=_anchor(entry),
        indent=min(item.depth, MAX_INDENT),
    )
    if isinstance(body.get("meeting"), dict):
        card.meeting_at = _time(body["meeting"].get("starts_at"))
    card.held_at = _time(body.get("held_at"))
    card.scheduled_at = _time(body.get("scheduled_at"))
    if entry.kind == Kind.LIST:
        card.items = [_item_text(i) for i in body.get("items") or []]
        card.list_kind = str(LIST_KIND_LABELS.get(body.get("list_kind", ""), ""))
    kinds = message_services.answer_kinds(user, entry)
    card.answer_form = forms.get(entry.pk) or (
        AnswerForm(prefix=_prefix(entry), kinds=kinds) if kinds else None
    )
    if card.answer_form is not None:
        choices = card.answer_form.fields["kind"].choices  # type: ignore[attr-defined]
        card.can_counter = any(k == Kind.COUNTER_PROPOSAL for k, _label in choices)
    return card


def _accepted(found: selectors.Thread) -> Entry | None:
    """The last acceptance of a proposal in the thread: the meeting it arranged can be
    recorded in answer to it."""
    accepted = None
    for item in found.items:
        entry = item.entry
        parent = entry.in_reply_to
        if entry.kind == Kind.ACCEPTANCE and parent is not None and parent.kind in PROPOSALS:
            accepted = entry
    return accepted


def _meeting_initial(acceptance: Entry) -> dict[str, Any]:
    """The meeting form filled in from the proposal the acceptance accepted."""
    proposal = acceptance.in_reply_to
    body = proposal.body if proposal is not None and isinstance(proposal.body, dict) else {}
    proposed = body.get("meeting")
    meeting = proposed if isinstance(proposed, dict) else {}
    starts_at = _time(meeting.get("starts_at"))
    return {
        "title": body.get("subject", ""),
        "held_at": starts_at.astimezone(KST).replace(tzinfo=None) if starts_at else None,
        "place": meeting.get("place", ""),
    }


def _thread_page(
    request: AuthedRequest,
    entry: Entry,
    *,
    answer_forms: dict[int, AnswerForm] | None = None,
    meeting_form: MeetingRecordForm | None = None,
) -> HttpResponse:
    user = request.user
    found = selectors.thread(entry)
    cards = [_card(user, item, entry, answer_forms or {}) for item in found.items]
    acceptance = _accepted(found)
    recorded = (
        acceptance.replies.filter(kind=Kind.MEETING_RECORD).select_related("log").first()
        if acceptance is not None
        else None
    )
    if (
        acceptance is not None
        and message_services.signs_here(user)
        and meeting_form is None
        and not recorded
    ):
        meeting_form = MeetingRecordForm(
            initial=_meeting_initial(acceptance), may_record_talks=can_edit_dialogue(user)
        )
    return render(
        request,
        "liaison/thread.html",
        {
            "entry": entry,
            "root": found.root,
            "cards": cards,
            "acceptance": acceptance if message_services.signs_here(user) else None,
            "recorded": recorded,
            "meeting_form": meeting_form,
            "kinds": Kind,
            "sides": SideCode,
        },
    )


@login_required
def thread_page(request: AuthedRequest, side: str, index: int) -> HttpResponse:
    return _thread_page(request, get_liaison_entry_for_user(request.user, side, index))


@login_required
@require_POST
def answer(request: AuthedRequest, side: str, index: int) -> HttpResponse:
    entry = get_liaison_entry_for_answer(request.user, side, index)
    form = AnswerForm(request.POST, prefix=_prefix(entry))
    if form.is_valid():
        sent = _send(request, form, entry)
        if sent is not None:
            return sent
    return _thread_page(request, entry, answer_forms={entry.pk: form})


@login_required
@require_POST
def meeting_record(request: AuthedRequest, side: str, index: int) -> HttpResponse:
    entry = get_liaison_entry_for_user(request.user, side, index)
    require(can_write_liaison(request.user))
    form = MeetingRecordForm(request.POST, may_record_talks=can_edit_dialogue(request.user))
    if form.is_valid():
        done = post_action(
            request,
            lambda: message_services.meeting_record_send(
                actor=request.user, in_reply_to=entry, **form.arguments()
            ),
            success=lambda sent: (
                _("The meeting has been recorded as %(side)s/%(index)s.")
                % {"side": sent.log.side, "index": sent.index}
            ),
            then=lambda sent: redirect(_thread_url(sent)),
            form=form,
        )
        if done:
            return done
    return _thread_page(request, entry, meeting_form=form)


@login_required
def leaf(request: AuthedRequest, side: str, index: int) -> HttpResponse:
    """The entry exactly as signed: its leaf, canonical JSON."""
    entry = get_liaison_entry_for_user(request.user, side, index)
    return HttpResponse(entry.leaf.encode("utf-8"), content_type="text/plain; charset=utf-8")


def thread_document(found: selectors.Thread, printed_at: dt.datetime) -> documents.ThreadDoc:
    """A thread's plain data for `documents.thread_pdf`."""
    entries = tuple(
        documents.entry_doc(
            side=item.entry.log.side,
            index=item.entry.index,
            depth=item.depth,
            kind=item.entry.kind,
            from_side=item.entry.from_side,
            to_side=item.entry.to_side,
            sent_at=item.entry.sent_at,
            author=str(item.entry.author) if item.entry.author else "",
            body=item.entry.body if isinstance(item.entry.body, dict) else {},
            leaf_hash=item.entry.leaf_hash,
            receipt_state=item.receipt.state,
            cosigned_at=item.receipt.cosigned_at,
        )
        for item in found.items
    )
    root = found.root
    return documents.ThreadDoc(
        subject=root.subject,
        ref=f"{root.log.side}/{root.index}",
        printed_at=printed_at,
        entries=entries,
    )


@login_required
def thread_pdf(request: AuthedRequest, side: str, index: int) -> HttpResponse:
    entry = get_liaison_entry_for_user(request.user, side, index)
    data = documents.thread_pdf(thread_document(selectors.thread(entry), timezone.now()))
    return attachment(data, f"liaison-{entry.log.side}-{entry.index}.pdf", "application/pdf")


# --- contact calls -----------------------------------------------------------------------------

MONTH = re.compile(r"(\d{4})-(\d{2})")


def _month(text: str | None) -> tuple[int, int]:
    """`YYYY-MM` as (year, month); this month (Korea time) when not given."""
    if not text:
        today = timezone.now().astimezone(KST).date()
        return today.year, today.month
    match = MONTH.fullmatch(text.strip())
    if match is None or not (1 <= int(match.group(2)) <= 12) or int(match.group(1)) < 1900:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"달은 YYYY-MM 형식으로 주십시오: {text}",
            f"Give the month as YYYY-MM: {text}",
            {"field": "month"},
        )
    return int(match.group(1)), int(match.group(2))


def _shift(year: int, month: int, by: int) -> str:
    n = year * 12 + month - 1 + by
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


@dataclass
class CallCell:
    """A scheduled call of a day as the calendar shows it."""

    name: str
    label: str
    call: ContactCall | None
    state: str  # placed, answered, unanswered, or "" (none)
    by_side: str = ""
    at: dt.datetime | None = None
    waited_minutes: int | None = None
    can_answer: bool = False


def _call_cell(user: User, name: str, call: ContactCall | None) -> CallCell:
    cell = CallCell(name=name, label=str(CallName(name).label), call=call, state="")
    if call is None:
        return cell
    cell.state = call.state
    if call.state == CallState.ANSWERED and call.answer is not None:
        cell.by_side = str(SideCode(call.answer.from_side).label)
        cell.at = call.answer.sent_at
    elif call.state == CallState.UNANSWERED and call.unanswered is not None:
        waited = call.unanswered.body.get("waited_seconds")
        cell.waited_minutes = waited // 60 if isinstance(waited, int) else None
        cell.at = call.unanswered.sent_at
    elif call.state == CallState.PLACED:
        cell.at = call.placed.sent_at
        cell.can_answer = message_services.signs_here(user) and call.calling_side != user.side_code
    return cell


@login_required
def calls_page(request: AuthedRequest) -> HttpResponse:
    qs = contact_calls_for_user(request.user).select_related("placed", "answer", "unanswered")
    year, month = _month(request.GET.get("month"))
    weeks = [
        [
            {
                "day": day.day,
                "weekday": day.weekday,
                "in_month": day.day.month == month,
                "weekend": day.day.weekday() >= 5,
                "cells": [_call_cell(request.user, n, day.calls.get(n)) for n in CallName.values],
            }
            for day in week
        ]
        for week in selectors.call_calendar(qs, year, month)
    ]
    counts = selectors.call_counts(qs, year, month)
    return render(
        request,
        "liaison/calls.html",
        {
            "weeks": weeks,
            "counts": counts,
            "total": sum(counts.values()),
            "month": f"{year:04d}-{month:02d}",
            "first": dt.date(year, month, 1),
            "previous": _shift(year, month, -1),
            "next": _shift(year, month, 1),
            "weekday_names": [WEEKDAYS_ABBR[i] for i in range(7)],
            "calling_side": SideCode(settings.PANMUN_LIAISON_CALLING_SIDE).label,
            "health": runner_health(),
        },
    )


@login_required
@require_POST
def call_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    call = get_call_for_answer(request.user, pk)
    month = call.scheduled_at.astimezone(KST).strftime("%Y-%m")
    return post_action(
        request,
        lambda: call_services.call_answer(actor=request.user, call=call),
        success=_("The call has been answered."),
        then=redirect(f"{reverse('liaison:calls')}?month={month}"),
    )


# --- the logs ----------------------------------------------------------------------------------


@login_required
def logs_page(request: AuthedRequest) -> HttpResponse:
    require(can_read_liaison(request.user))
    return render(
        request,
        "liaison/logs.html",
        {
            "statuses": selectors.log_statuses(),
            "can_write": message_services.signs_here(request.user),
        },
    )


@login_required
def log_bundle(request: AuthedRequest, side: str) -> HttpResponse:
    """The verification bundle (zip) of a log, up to its last cosigned checkpoint."""
    require(can_read_liaison(request.user))
    return post_action(
        request,
        lambda: bundle_response(side),
        then=lambda bundle: bundle,
        refused=redirect("liaison:logs"),
        passes=[ErrorCode.NOT_FOUND],
    )
