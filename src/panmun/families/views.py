"""Pages of the separated-families registry and the tracing rounds.

Reads go through `accounts.access`, writes through the services; a `DomainError` raised here
becomes the right error page (the middleware), or a message on the form it came from.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from panmun.accounts.access import (
    can_edit_registry,
    can_enter_replies,
    duplicates_for_user,
    get_duplicate_for_user,
    get_merge_for_edit,
    get_person_for_edit,
    get_person_for_user,
    get_reply_for_review,
    get_round_for_edit,
    get_round_for_replies,
    get_round_for_user,
    merges_for_user,
    persons_for_user,
    replies_for_user,
    require,
    tracing_rounds_for_user,
)
from panmun.errors import DomainError
from panmun.web.language import request_language
from panmun.web.pages import attachment, refusal_as_messages, refusal_on_form
from panmun.web.requests import AuthedRequest

from . import documents
from .forms import DnaSampleForm, PersonForm, RelativeForm, ReplyForm, RoundForm, UploadForm
from .models import (
    DnaSample,
    DuplicateState,
    LinkState,
    Person,
    RoundStatus,
    Seeking,
    VitalStatus,
)
from .selectors import SearchFilters, search
from .services import duplicates, registry, tracing
from .statistics import figures_csv, monthly_figures

MAX_UPLOAD = 50 * 1024 * 1024


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the registry -------------------------------------------------------------------------------


@login_required
def registry_page(request: AuthedRequest) -> HttpResponse:
    persons_for_user(request.user)  # 403 for everyone but the registry's keepers
    filters = SearchFilters.from_params(request.GET)
    hits = search(request.user, filters)
    context = {
        "filters": filters,
        "hits": hits,
        "statuses": VitalStatus.choices,
        "can_edit": can_edit_registry(request.user),
    }
    template = "families/_search_results.html" if request.htmx else "families/registry.html"
    return render(request, template, context)


@login_required
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    registry.person_viewed(actor=request.user, person=person)
    merges = merges_for_user(request.user).filter(Q(kept=person) | Q(merged=person))
    return render(
        request,
        "families/person_detail.html",
        {
            "person": person,
            "seeking": person.seeking.select_related("sought"),
            "sought_by": person.sought_by.select_related("applicant"),
            "notes": person.person_notes.all(),
            "samples": person.dna_samples.all(),
            "merges": merges.order_by("-merged_at"),
            "requests": [
                r
                for s in person.sought_by.prefetch_related("requests__round")
                for r in s.requests.all()
            ],
            "can_edit": can_edit_registry(request.user),
            "dna_form": DnaSampleForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_new(request: AuthedRequest) -> HttpResponse:
    require(can_edit_registry(request.user))
    return _person_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _person_form(request, get_person_for_edit(request.user, pk))


def _person_form(request: AuthedRequest, person: Person | None) -> HttpResponse:
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            saved = registry.person_save(actor=request.user, person=form.save(commit=False))
        except DomainError as err:
            refusal_on_form(form, err, request)
        else:
            messages.success(request, _("The record has been saved."))
            return redirect("families:person", pk=saved.pk)
    return render(request, "families/person_form.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def relative_new(request: AuthedRequest, pk: int) -> HttpResponse:
    applicant = get_person_for_edit(request.user, pk)
    form = RelativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        seeking = Seeking(
            relation=data["relation"],
            last_known_place=data["last_known_place"],
            separated_on=data["separated_on"],
        )
        try:
            registry.seeking_add(
                actor=request.user,
                applicant=applicant,
                sought=form.save(commit=False),
                seeking=seeking,
            )
        except DomainError as err:
            refusal_on_form(form, err, request)
        else:
            messages.success(request, _("The relative sought has been recorded."))
            return redirect("families:person", pk=applicant.pk)
    return render(request, "families/relative_form.html", {"form": form, "applicant": applicant})


@login_required
@require_POST
def dna_new(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_person_for_edit(request.user, pk)
    form = DnaSampleForm(request.POST, instance=DnaSample(person=person))
    if form.is_valid():
        try:
            registry.dna_sample_add(actor=request.user, sample=form.save(commit=False))
        except DomainError as err:
            refusal_as_messages(request, err)
        else:
            messages.success(request, _("The DNA sample has been registered."))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("families:person", pk=person.pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: AuthedRequest) -> HttpResponse:
    require(can_edit_registry(request.user))
    form = UploadForm(request.POST or None, request.FILES or None)
    counts = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", _("The file is larger than 50 MB."))
        else:
            try:
                counts = registry.registry_import(
                    actor=request.user,
                    data=upload.read(),
                    filename=upload.name,
                    dry_run=form.cleaned_data["dry_run"],
                )
            except DomainError as err:
                refusal_on_form(form, err, request)
            else:
                if form.cleaned_data["dry_run"]:
                    messages.info(request, _("The file is valid; nothing was written."))
                else:
                    messages.success(request, _("The file has been imported."))
    return render(request, "families/import.html", {"form": form, "counts": counts})


@login_required
def export_file(request: AuthedRequest, fmt: str) -> HttpResponse:
    data = registry.registry_export(actor=request.user, fmt=fmt)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    kinds = {
        "csv": ("csv", "text/csv; charset=utf-8"),
        "xlsx": ("xlsx", XLSX),
        "pfif": ("xml", "application/xml"),
    }
    ext, content_type = kinds[fmt]
    return attachment(data, f"registry-{stamp}.{ext}", content_type)


@login_required
def statistics_page(request: AuthedRequest) -> HttpResponse:
    persons_for_user(request.user)
    on = _on(request)
    return render(
        request, "families/statistics.html", {"figures": monthly_figures(on=on), "on": on}
    )


@login_required
def statistics_csv(request: AuthedRequest) -> HttpResponse:
    persons_for_user(request.user)
    on = _on(request)
    data = figures_csv(monthly_figures(on=on), request_language(request))
    return attachment(data, f"registry-figures-{on.isoformat()}.csv", "text/csv; charset=utf-8")


def _on(request: HttpRequest) -> Any:
    import datetime as dt

    text = request.GET.get("on", "")
    try:
        return dt.date.fromisoformat(text) if text else timezone.localdate()
    except ValueError:
        from panmun.errors import ErrorCode

        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"날짜 형식이 아닙니다: {text}",
            f"Not a date (YYYY-MM-DD): {text}",
            {"field": "on"},
        ) from None


# --- duplicates -------------------------------------------------------------------------------


@login_required
def duplicates_page(request: AuthedRequest) -> HttpResponse:
    candidates = duplicates_for_user(request.user)
    state = request.GET.get("state", DuplicateState.OPEN)
    if state not in DuplicateState.values:
        state = DuplicateState.OPEN
    page = Paginator(candidates.filter(state=state), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "families/duplicates.html",
        {
            "page": page,
            "state": state,
            "states": DuplicateState.choices,
            "merges": merges_for_user(request.user)[:20],
            "can_edit": can_edit_registry(request.user),
        },
    )


@login_required
def duplicate_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    candidate = get_duplicate_for_user(request.user, pk)
    for person in (candidate.first, candidate.second):
        registry.person_viewed(actor=request.user, person=person)
    return render(
        request,
        "families/duplicate_detail.html",
        {
            "candidate": candidate,
            "pair": [
                (p, p.seeking.select_related("sought"), p.sought_by.select_related("applicant"))
                for p in (candidate.first, candidate.second)
            ],
            "steps": (candidate.explanation or {}).get("steps", []),
            "can_edit": can_edit_registry(request.user),
        },
    )


@login_required
@require_POST
def duplicate_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    candidate = get_duplicate_for_user(request.user, pk)
    require(can_edit_registry(request.user))
    decision = request.POST.get("decision")
    try:
        if decision == "keep_apart":
            duplicates.duplicate_keep_apart(actor=request.user, candidate=candidate)
            messages.success(request, _("The two records are kept apart."))
        else:
            keep = get_person_for_user(request.user, request.POST.get("keep"))
            duplicates.duplicate_merge(actor=request.user, candidate=candidate, keep=keep)
            messages.success(request, _("The two records have been merged."))
    except DomainError as err:
        refusal_as_messages(request, err)
    return redirect("families:duplicate", pk=candidate.pk)


@login_required
@require_POST
def merge_undo(request: AuthedRequest, pk: int) -> HttpResponse:
    merge = get_merge_for_edit(request.user, pk)
    try:
        duplicates.merge_undo(actor=request.user, merge=merge)
    except DomainError as err:
        refusal_as_messages(request, err)
    else:
        messages.success(request, _("The merge has been undone."))
    return redirect("families:person", pk=merge.kept_id)


@login_required
@require_POST
def duplicates_find(request: AuthedRequest) -> HttpResponse:
    from panmun.jobs.services import job_start

    job = job_start(actor=request.user, kind="families.duplicates", params={})
    return redirect("jobs:detail", pk=job.pk)


# --- tracing rounds ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rounds_page(request: AuthedRequest) -> HttpResponse:
    rounds = tracing_rounds_for_user(request.user).annotate(size=Count("requests"))
    form = RoundForm(request.POST or None)
    if request.method == "POST":
        require(can_edit_registry(request.user))
        if form.is_valid():
            try:
                created = tracing.round_create(actor=request.user, **form.cleaned_data)
            except DomainError as err:
                refusal_on_form(form, err, request)
            else:
                messages.success(request, _("The round and its request list have been created."))
                return redirect("families:round", pk=created.pk)
    return render(
        request,
        "families/rounds.html",
        {"rounds": rounds, "form": form, "can_edit": can_edit_registry(request.user)},
    )


@login_required
def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    tracing_round = get_round_for_user(request.user, pk)
    tracing.round_viewed(actor=request.user, tracing_round=tracing_round)
    replies = replies_for_user(request.user, tracing_round)
    return render(
        request,
        "families/round_detail.html",
        {
            "round": tracing_round,
            "requests": tracing.requests_of(tracing_round),
            "replies": replies,
            "review": [r for r in replies if r.link_state == LinkState.REVIEW],
            "report": tracing.round_report(tracing_round),
            "can_edit": can_edit_registry(request.user),
            "can_reply": can_enter_replies(request.user)
            and tracing_round.status in (RoundStatus.SENT, RoundStatus.REPLIED),
            "upload_form": UploadForm(),
            "reply_form": ReplyForm(),
            "statuses": RoundStatus,
        },
    )


def _lines(tracing_round: Any) -> list[documents.RequestLine]:
    lines = []
    for r in tracing.requests_of(tracing_round):
        sought, applicant = r.seeking.sought, r.seeking.applicant
        lines.append(
            documents.RequestLine(
                request_id=r.request_id,
                family_name=sought.family_name,
                given_name=sought.given_name,
                sex=sought.sex,
                birth_date=sought.birth_date,
                birth_calendar=sought.birth_calendar,
                hometown=sought.hometown,
                father_name=sought.father_name,
                relation=r.seeking.relation,
                applicant_name=applicant.display_name,
                separated_on=r.seeking.separated_on,
                last_known_place=r.seeking.last_known_place,
            )
        )
    return lines


@login_required
def round_document(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    """The request list (xlsx or pdf, optionally in the North's spelling) or the reply form."""
    tracing_round = get_round_for_user(request.user, pk)
    header = documents.RoundHeader(
        name=tracing_round.name,
        target_size=tracing_round.target_size,
        created_on=timezone.localtime(tracing_round.created_at).date(),
        reply_due=tracing_round.reply_due,
    )
    north = request.GET.get("north") == "1"
    tracing.round_viewed(actor=request.user, tracing_round=tracing_round, what=kind)
    lines = _lines(tracing_round)
    stem = f"tracing-{tracing_round.pk:03d}"
    if kind == "pdf":
        data = documents.request_list_pdf(header, lines, north=north)
        return attachment(data, f"{stem}-requests.pdf", "application/pdf")
    if kind == "reply-template":
        return attachment(documents.reply_template_xlsx(header, lines), f"{stem}-reply.xlsx", XLSX)
    data = documents.request_list_xlsx(header, lines, north=north)
    return attachment(data, f"{stem}-requests.xlsx", XLSX)


@login_required
@require_POST
def round_send(request: AuthedRequest, pk: int) -> HttpResponse:
    tracing_round = get_round_for_edit(request.user, pk)
    try:
        tracing.round_send(actor=request.user, tracing_round=tracing_round)
    except DomainError as err:
        refusal_as_messages(request, err)
    else:
        messages.success(request, _("The request list has been sent to the other side."))
    return redirect("families:round", pk=pk)


@login_required
@require_POST
def round_replies_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    tracing_round = get_round_for_replies(request.user, pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            counts = tracing.reply_import(
                actor=request.user,
                tracing_round=tracing_round,
                data=upload.read(),
                filename=upload.name,
                dry_run=form.cleaned_data["dry_run"],
            )
        except DomainError as err:
            refusal_on_form(form, err, request)
            for e in form.non_fieldrefusal_on_form():  # type: ignore[attr-defined]  # fixed in the families forms rework
                messages.error(request, e)
        else:
            messages.success(
                request, _("%(rows)s reply rows read and linked.") % {"rows": counts["rows"]}
            )
    else:
        messages.error(request, form.errors.as_text())
    return redirect("families:round", pk=pk)


@login_required
@require_POST
def round_reply_enter(request: AuthedRequest, pk: int) -> HttpResponse:
    tracing_round = get_round_for_replies(request.user, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            tracing.reply_enter(
                actor=request.user, tracing_round=tracing_round, values=form.cleaned_data
            )
        except DomainError as err:
            refusal_on_form(form, err, request)
            for e in form.non_fieldrefusal_on_form():  # type: ignore[attr-defined]  # fixed in the families forms rework
                messages.error(request, e)
        else:
            messages.success(request, _("The reply has been recorded."))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("families:round", pk=pk)


@login_required
@require_POST
def reply_review(request: AuthedRequest, pk: int) -> HttpResponse:
    reply = get_reply_for_review(request.user, pk)
    accept = request.POST.get("decision") == "accept"
    try:
        tracing.reply_review(actor=request.user, reply=reply, accept=accept)
    except DomainError as err:
        refusal_as_messages(request, err)
    else:
        messages.success(
            request, _("The link has been confirmed.") if accept else _("The link was rejected.")
        )
    return redirect("families:round", pk=reply.round_id)


@login_required
@require_POST
def round_apply(request: AuthedRequest, pk: int) -> HttpResponse:
    tracing_round = get_round_for_edit(request.user, pk)
    try:
        tracing.round_apply(actor=request.user, tracing_round=tracing_round)
    except DomainError as err:
        refusal_as_messages(request, err)
    else:
        messages.success(request, _("The answers have been written to the registry."))
    return redirect("families:round", pk=pk)
