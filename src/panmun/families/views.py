"""Pages of the separated-families registry and the tracing rounds.

Reads go through `families.access`, writes through the services; a `DomainError` raised here
becomes the right error page (the middleware), or a message on the form it came from.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from panmun.accounts.access import require
from panmun.accounts.models import SignOffState
from panmun.accounts.requests import AuthedRequest
from panmun.accounts.signoffs import signoff_context
from panmun.common.bilingual import tr
from panmun.common.errors import HTTP_STATUS, DomainError, ErrorCode
from panmun.common.language import request_language
from panmun.common.pages import (
    attachment,
    confirm_page,
    confirmed,
    post_action,
    refusal_as_messages,
)
from panmun.families.access import (
    can_edit_registry,
    can_enter_replies,
    can_export_registry,
    can_export_request_list,
    can_read_registry,
    duplicates_for_user,
    get_duplicate_for_user,
    get_merge_for_edit,
    get_person_for_edit,
    get_person_for_user,
    get_reply_for_review,
    get_round_for_edit,
    get_round_for_export,
    get_round_for_replies,
    get_round_for_user,
    is_tracing_counterpart,
    merges_for_user,
    persons_for_user,
    replies_for_user,
    tracing_rounds_for_user,
)
from panmun.jobs.access import jobs_for_user
from panmun.jobs.models import Job
from panmun.jobs.services import job_start

from . import card, documents, uploads
from .forms import DnaSampleForm, PersonForm, RelativeForm, ReplyForm, RoundForm, UploadForm
from .models import (
    DnaSample,
    DuplicateCandidate,
    DuplicateState,
    LinkState,
    Person,
    Relation,
    RoundStatus,
    Seeking,
    TracingRound,
    VitalStatus,
)
from .registry_file import columns as registry_columns
from .selectors import (
    SearchFilters,
    page_number,
    request_lines_for_user,
    round_report,
    search_page,
    story,
)
from .selectors.teaching import model_in_use, skipped_ids, teaching_list
from .services import duplicates, labels, registry, tracing
from .statistics import figures_csv, monthly_figures_cached

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# A refused form comes back with this status, everything typed in it and each problem on its
# field; a refusal never redirects away from the form.
REFUSED = 422


# --- the registry -------------------------------------------------------------------------------


@login_required
def registry_page(request: AuthedRequest) -> HttpResponse:
    """The search box and one page of its results, best matches first (`selectors.search`).
    A filter that cannot be read (a birth year in letters) is said above the results, with
    everything typed kept in the form."""
    persons_for_user(request.user)  # 403 for everyone but the registry's keepers
    typed = {
        name: str(request.GET.get(name, "")).replace("\x00", "").strip()[:200]
        for name in ("q", "born_from", "born_to", "hometown", "status")
    }
    context: dict[str, Any] = {
        "typed": typed,
        "statuses": VitalStatus.choices,
        "can_edit": can_edit_registry(request.user),
        "can_export": can_export_registry(request.user),
    }
    status = 200
    try:
        filters = SearchFilters.from_params(request.GET)
    except DomainError as err:
        context |= {
            "filters": SearchFilters(),
            "refusal_text": err.message(request_language(request)),
        }
        status = 422
    else:
        results = search_page(request.user, filters, page=page_number(request.GET.get("page")))
        context |= {
            "filters": filters,
            "results": results,
            "hits": results.hits,
            "query_string": filters.query_string(),
        }
    template = "families/_search_results.html" if request.htmx else "families/registry.html"
    return render(request, template, context, status=status)


@login_required
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A person's whole story on one page: the record, then everything every app knows of
    them in the order it happened (`families.selectors.story`), then what an officer acts on."""
    person = get_person_for_user(request.user, pk)
    registry.person_viewed(actor=request.user, person=person)
    merges = merges_for_user(request.user).filter(Q(kept=person) | Q(merged=person))
    items = story.story_of(person)
    return render(
        request,
        "families/person_detail.html",
        {
            "person": person,
            "age": story.person_age(person),
            "story": items,
            "seeking": person.seeking.select_related("sought"),
            "sought_by": person.sought_by.select_related("applicant"),
            "samples": person.dna_samples.all(),
            "merges": merges.order_by("-merged_at"),
            "can_edit": can_edit_registry(request.user),
            "dna_form": DnaSampleForm(),
        },
    )


@login_required
def person_card(request: AuthedRequest, pk: int) -> HttpResponse:
    """The printable family card (이산가족 카드): the record and its story, in Korean, as a PDF."""
    person = get_person_for_user(request.user, pk)
    registry.person_viewed(actor=request.user, person=person)
    with translation.override("ko"):
        data = card.family_card_pdf(card.card_of(person))
    name = person.registry_no or f"person-{person.pk}"
    return attachment(data, f"family-card-{name}.pdf", "application/pdf")


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
    title = person.display_name if person else ""  # before the form writes what was typed
    form = PersonForm(request.POST if request.method == "POST" else None, instance=person)
    if request.method == "POST":
        if form.is_valid():
            done = post_action(
                request,
                lambda: registry.person_save(actor=request.user, person=form.save(commit=False)),
                success=_("The record has been saved."),
                then=lambda saved: redirect("families:person", pk=saved.pk),
                form=form,
            )
            if done:
                return done
        return render(
            request,
            "families/person_form.html",
            {"form": form, "person": person, "title": title},
            status=REFUSED,
        )
    return render(
        request, "families/person_form.html", {"form": form, "person": person, "title": title}
    )


@login_required
@require_http_methods(["GET", "POST"])
def relative_new(request: AuthedRequest, pk: int) -> HttpResponse:
    applicant = get_person_for_edit(request.user, pk)
    form = RelativeForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "applicant": applicant}
    if request.method != "POST":
        return render(request, "families/relative_form.html", context)
    if form.is_valid():
        data = form.cleaned_data
        seeking = Seeking(
            relation=data["relation"],
            last_known_place=data["last_known_place"],
            separated_on=data["separated_on"],
        )
        done = post_action(
            request,
            lambda: registry.seeking_add(
                actor=request.user,
                applicant=applicant,
                sought=form.save(commit=False),
                seeking=seeking,
            ),
            success=_("The relative sought has been recorded."),
            then=redirect("families:person", pk=applicant.pk),
            form=form,
        )
        if done:
            return done
    return render(request, "families/relative_form.html", context, status=REFUSED)


@login_required
@require_POST
def dna_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """Register a DNA sample from the form on the person's page; a refused sample comes back on
    a page of its own with what was typed."""
    person = get_person_for_edit(request.user, pk)
    form = DnaSampleForm(request.POST, instance=DnaSample(person=person))
    if form.is_valid():
        done = post_action(
            request,
            lambda: registry.dna_sample_add(actor=request.user, sample=form.save(commit=False)),
            success=_("The DNA sample has been registered."),
            then=redirect("families:person", pk=person.pk),
            form=form,
        )
        if done:
            return done
    return render(
        request, "families/dna_form.html", {"form": form, "person": person}, status=REFUSED
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: AuthedRequest) -> HttpResponse:
    """GET: the form; POST: the file is kept and read by the job `families.import`, whose page
    shows its progress and then what was imported, or every problem (nothing written). A file
    refused before it is kept (too large) comes back on the form."""
    require(can_edit_registry(request.user))
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name or "registry"
        done = post_action(
            request,
            lambda: uploads.upload_store(upload, name),
            then=lambda stored: _upload_job(request, form, "families.import", stored, name),
            form=form,
        )
        if done:
            return done
    return render(
        request,
        "families/import.html",
        {"form": form, "counts": None, "max_rows": registry_columns.MAX_ROWS},
        status=REFUSED if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def export_file(request: AuthedRequest) -> HttpResponse:
    """GET: the three exports; POST (format=csv|xlsx|pfif): start the export job and follow it
    on its page, which offers the file when it is ready. Refusals are their error page (403;
    422 naming the field `format`)."""
    if request.method == "POST":
        job = job_start(
            actor=request.user,
            kind="families.export",
            params={"format": request.POST.get("format", "")},
        )
        messages.success(
            request, _("The export has started; the file will be here when it is ready.")
        )
        return redirect("jobs:detail", pk=job.pk)
    persons_for_user(request.user)  # who may read the registry (403 for others)
    require(can_export_registry(request.user))  # ... and take a copy away (not a viewer)
    return render(request, "families/export.html")


@login_required
def statistics_page(request: AuthedRequest) -> HttpResponse:
    """The monthly figures as of a reference date; a date that cannot be read is said on the
    date field, with what was typed kept, over today's figures."""
    persons_for_user(request.user)
    typed = request.GET.get("on", "")
    try:
        on = _on(request)
    except DomainError as err:
        on = timezone.localdate()
        context = {
            "figures": monthly_figures_cached(on=on),
            "on": on,
            "on_typed": typed,
            "on_error": err.message(request_language(request)),
        }
        return render(request, "families/statistics.html", context, status=REFUSED)
    return render(
        request, "families/statistics.html", {"figures": monthly_figures_cached(on=on), "on": on}
    )


@login_required
def statistics_csv(request: AuthedRequest) -> HttpResponse:
    persons_for_user(request.user)
    on = _on(request)
    data = figures_csv(monthly_figures_cached(on=on), request_language(request))
    return attachment(data, f"registry-figures-{on.isoformat()}.csv", "text/csv; charset=utf-8")


def _on(request: HttpRequest) -> Any:

    text = request.GET.get("on", "")
    try:
        return dt.date.fromisoformat(text) if text else timezone.localdate()
    except ValueError:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"날짜 형식이 아닙니다: {text}",
            f"Not a date (YYYY-MM-DD): {text}",
            {"field": "on"},
        ) from None


# --- duplicates -------------------------------------------------------------------------------


RETRAIN_KIND = "families.linkage_retrain"


def _retrain_job(request: AuthedRequest) -> Job | None:
    """The retraining job named by `?retrain=` that the user sees, or None for anything else."""
    wanted = request.GET.get("retrain", "")
    try:
        return jobs_for_user(request.user).filter(kind=RETRAIN_KIND, pk=wanted).first()
    except (ValueError, ValidationError):
        return None


@login_required
def duplicates_page(request: AuthedRequest) -> HttpResponse:
    candidates = duplicates_for_user(request.user)
    can_edit = can_edit_registry(request.user)
    job = _retrain_job(request) if can_edit else None
    if job is not None and request.htmx:
        response = render(request, "families/_retrain_job.html", {"job": job})
        if job.is_finished:  # the page once more, with the model now in use
            response["HX-Refresh"] = "true"
        return response
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
            "can_edit": can_edit,
            "teach": teaching_list(
                request.user, skipped=skipped_ids(request.GET.get("skipped", ""))
            )
            if can_edit
            else None,
            "model": model_in_use(),
            "job": job,
        },
    )


def _teach_section(
    request: AuthedRequest, skipped: list[int], *, error: DomainError | None = None
) -> HttpResponse:
    context: dict[str, Any] = {"teach": teaching_list(request.user, skipped=skipped)}
    if error is not None:
        context["refusal"] = tr(error.message_ko, error.message_en, request_language(request))
    return render(
        request,
        "families/_teach.html",
        context,
        status=HTTP_STATUS.get(error.code, 422) if error is not None else 200,
    )


@login_required
@require_POST
def duplicate_label(request: AuthedRequest, pk: int) -> HttpResponse:
    """An answer on the teaching list: "same" or "different" labels the pair (it stays open
    to decide), "skip" leaves it for now. htmx gets the list back with the next pair; a page
    without JavaScript goes back to the duplicates page. A refusal (a pair that is not there,
    an answer that is not one of the three) changes nothing and says why, with its 4xx."""
    require(can_edit_registry(request.user))
    skipped = skipped_ids(request.POST.get("skipped", ""))
    answer = request.POST.get("answer", "")
    try:
        candidate = get_duplicate_for_user(request.user, pk)
        if answer == "skip":
            skipped.append(candidate.pk)
        else:
            labels.duplicate_label(actor=request.user, candidate=candidate, answer=answer)
    except DomainError as err:
        if not request.htmx:
            raise
        return _teach_section(request, skipped, error=err)
    if request.htmx:
        return _teach_section(request, skipped)
    if answer == "skip":  # the skips go along in the address, as the form carries them
        query = urlencode({"skipped": ",".join(str(pk) for pk in skipped)})
        return redirect(f"{reverse('families:duplicates')}?{query}#teach")
    messages.success(request, _("The answer has been recorded."))
    return redirect(f"{reverse('families:duplicates')}#teach")


@login_required
@require_POST
def duplicates_retrain(request: AuthedRequest) -> HttpResponse:
    """Start retraining the duplicates model from the labels; its progress shows on the page."""
    require(can_edit_registry(request.user))
    return post_action(
        request,
        lambda: job_start(actor=request.user, kind=RETRAIN_KIND, params={}),
        then=lambda job: redirect(f"{reverse('families:duplicates')}?retrain={job.pk}#model"),
        refused=redirect(f"{reverse('families:duplicates')}#model"),
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
            "can_edit": can_edit_registry(request.user),
        },
    )


@login_required
@require_POST
def duplicate_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """Keep the pair apart (at once: it changes nothing and can be decided again), or merge
    it into the record kept, after a page that says what will move (`confirm=yes`)."""
    candidate = get_duplicate_for_user(request.user, pk)
    require(can_edit_registry(request.user))
    decision = request.POST.get("decision")
    try:
        if decision == "keep_apart":
            duplicates.duplicate_keep_apart(actor=request.user, candidate=candidate)
            messages.success(request, _("The two records are kept apart."))
        else:
            keep = get_person_for_user(request.user, request.POST.get("keep"))
            duplicates.candidate_check_open(candidate)
            if not confirmed(request):
                return _merge_confirmation(request, candidate, keep)
            duplicates.duplicate_merge(actor=request.user, candidate=candidate, keep=keep)
            messages.success(request, _("The two records have been merged."))
    except DomainError as err:
        refusal_as_messages(request, err)
    return redirect("families:duplicate", pk=candidate.pk)


def _field_names(names: list[str]) -> str:
    """The labels of Person's fields, in the page's language."""
    labels = []
    for name in names:
        field = Person._meta.get_field(name)
        labels.append(str(getattr(field, "verbose_name", name)))
    return ", ".join(labels)


def _merge_confirmation(
    request: AuthedRequest, candidate: DuplicateCandidate, keep: Person
) -> HttpResponse:
    plan = duplicates.merge_plan(candidate=candidate, keep=keep)
    kept, merged = plan.kept, plan.merged
    facts = [
        _(
            "Kept: %(name)s (registration number %(number)s, record #%(id)s). The merge can "
            "be undone later from this record's page."
        )
        % {"name": kept.display_name, "number": kept.registry_no or "—", "id": kept.pk},
        _(
            "Merged into it: %(name)s (registration number %(number)s, record #%(id)s). It "
            "stays in the database, pointing at the kept record, and leaves the search."
        )
        % {"name": merged.display_name, "number": merged.registry_no or "—", "id": merged.pk},
        _(
            "Moving to the kept record: %(seeking)s relatives sought, %(sought_by)s "
            "applicants seeking this person, %(notes)s notes, %(dna)s DNA samples and "
            "%(replies)s tracing replies."
        )
        % {
            "seeking": len(plan.seeking),
            "sought_by": len(plan.sought_by),
            "notes": len(plan.notes),
            "dna": len(plan.dna),
            "replies": plan.replies,
        },
    ]
    if plan.filled:
        facts.append(
            _("Filled in on the kept record, which has nothing there: %(fields)s.")
            % {"fields": _field_names(list(plan.filled))}
        )
    warnings = []
    if plan.conflicts:
        warnings.append(
            _(
                "The two records differ in: %(fields)s. The kept record's values stay; the "
                "other values remain on the merged record."
            )
            % {"fields": _field_names(plan.conflicts)}
        )
    if merged.registry_no:
        warnings.append(
            _(
                "The merged record's registration number %(number)s stays with it: the search "
                "will no longer find it."
            )
            % {"number": merged.registry_no}
        )
    return confirm_page(
        request,
        title=_("Merge two records?"),
        facts=facts,
        warnings=warnings,
        action=reverse("families:duplicate-decide", args=[candidate.pk]),
        back=reverse("families:duplicate", args=[candidate.pk]),
        button=_("Merge, keeping %(name)s") % {"name": kept.display_name},
        hidden={"decision": "merge", "keep": str(kept.pk)},
    )


@login_required
@require_POST
def merge_undo(request: AuthedRequest, pk: int) -> HttpResponse:
    merge = get_merge_for_edit(request.user, pk)
    return post_action(
        request,
        lambda: duplicates.merge_undo(actor=request.user, merge=merge),
        success=_("The merge has been undone."),
        then=redirect("families:person", pk=merge.kept_id),
    )


@login_required
@require_POST
def duplicates_find(request: AuthedRequest) -> HttpResponse:

    job = job_start(actor=request.user, kind="families.duplicates", params={})
    return redirect("jobs:detail", pk=job.pk)


# --- tracing rounds ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rounds_page(request: AuthedRequest) -> HttpResponse:
    rounds = tracing_rounds_for_user(request.user).annotate(size=Count("requests"))
    posted = request.method == "POST"
    form = RoundForm(request.POST if posted else None)
    if posted:
        require(can_edit_registry(request.user))
        if form.is_valid():
            done = post_action(
                request,
                lambda: tracing.round_create(actor=request.user, **form.cleaned_data),
                success=_("The round and its request list have been created."),
                then=lambda created: redirect("families:round", pk=created.pk),
                form=form,
            )
            if done:
                return done
    return render(
        request,
        "families/rounds.html",
        {"rounds": rounds, "form": form, "can_edit": can_edit_registry(request.user)},
        status=REFUSED if posted else 200,
    )


@login_required
def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    tracing_round = get_round_for_user(request.user, pk)
    tracing.round_viewed(actor=request.user, tracing_round=tracing_round)
    return _round_page(request, tracing_round)


def _request_rows(user: Any, tracing_round: TracingRound) -> list[dict[str, Any]]:
    """The request list as the page shows it (`selectors.request_lines_for_user`: who seeks each
    person only where the applicant agreed to be named to the other side); to the other side's
    Red Cross in the North's spelling (리선권 for 이선권, today's North place names in brackets),
    as the PDF for the North has it (`documents.north_line`)."""
    north = is_tracing_counterpart(user)
    relations = dict(Relation.choices)
    rows = []
    for line in request_lines_for_user(user, tracing_round):
        shown = documents.north_line(line) if north else line
        rows.append(
            {
                "request_id": line.request_id,
                "name": f"{shown.family_name}{shown.given_name}".strip() or line.sought_name,
                "birth_date": shown.birth_date,
                "hometown": shown.hometown,
                "relation": relations.get(line.relation, line.relation),
                "applicant_id": line.applicant_id if can_read_registry(user) else None,
                "applicant": shown.applicant_name,
                "named": line.seeker_named,
            }
        )
    return rows


def _round_page(
    request: AuthedRequest,
    tracing_round: TracingRound,
    *,
    upload_form: UploadForm | None = None,
    reply_form: ReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The round's page; after a refused reply, with the refused form as it was typed."""
    user = request.user
    replies = replies_for_user(user, tracing_round)
    can_edit = can_edit_registry(user)
    # The reply whose answer would teach the engine most first: the one it is least sure of.
    review = sorted(
        (r for r in replies if r.link_state == LinkState.REVIEW),
        key=lambda r: (
            abs(r.match_probability - 0.5) if r.match_probability is not None else 1.0,
            r.row,
        ),
    )
    context: dict[str, Any] = {
        "round": tracing_round,
        "requests": _request_rows(user, tracing_round),
        "replies": replies,
        "review": review,
        "report": round_report(tracing_round),
        "can_edit": can_edit,
        "can_export": can_export_request_list(user),
        "can_reply": can_enter_replies(user)
        and tracing_round.status in (RoundStatus.SENT, RoundStatus.REPLIED),
        "upload_form": upload_form or UploadForm(),
        "reply_form": reply_form or ReplyForm(),
        "statuses": RoundStatus,
    }
    if can_edit and tracing_round.status == RoundStatus.REPLIED:
        signoff = signoff_context(user, tracing.APPLY_STEP, tracing_round)
        ready = not review and signoff["signoff"] is None
        context |= signoff | {
            "show_signoff": True,
            "signoff_title": _("applying the answers to the registry"),
            "signoff_request_url": reverse("families:round-apply-request", args=[tracing_round.pk])
            if ready
            else "",
            "can_apply": signoff["signoff"] is not None
            and signoff["signoff"].state == SignOffState.APPROVED,
        }
    return render(request, "families/round_detail.html", context, status=status)


@login_required
def round_document(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    """The request list (xlsx or pdf, optionally in the North's spelling: a file of personal
    data, for those who may take one away, `access.can_export_request_list`) or the reply form
    (request ids only, for whoever reads the round)."""
    if kind == "reply-template":
        tracing_round = get_round_for_user(request.user, pk)
    else:
        tracing_round = get_round_for_export(request.user, pk)
    header = documents.RoundHeader(
        name=tracing_round.name,
        target_size=tracing_round.target_size,
        created_on=timezone.localtime(tracing_round.created_at).date(),
        reply_due=tracing_round.reply_due,
    )
    north = request.GET.get("north") == "1"
    tracing.round_viewed(actor=request.user, tracing_round=tracing_round, what=kind)
    with translation.override("ko"):  # the documents are in Korean: 남측의 가족
        lines = request_lines_for_user(request.user, tracing_round)
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
    return post_action(
        request,
        lambda: tracing.round_send(actor=request.user, tracing_round=tracing_round),
        success=_("The request list has been sent to the other side."),
        then=redirect("families:round", pk=pk),
    )


def _reply_job(
    request: AuthedRequest, form: UploadForm, tracing_round: TracingRound, upload: Any, name: str
) -> HttpResponse:
    """A large reply file: kept and read by the job `families.reply_import`, whose page shows
    its progress; one too large for any import comes back on the round's page."""
    return post_action(
        request,
        lambda: uploads.upload_store(upload, name),
        then=lambda stored: _upload_job(
            request, form, "families.reply_import", stored, name, round=tracing_round.pk
        ),
        form=form,
    ) or _round_page(request, tracing_round, upload_form=form, status=REFUSED)


def _upload_job(
    request: AuthedRequest, form: UploadForm, kind: str, stored: str, name: str, **params: Any
) -> HttpResponse:
    """Start the job `kind` that reads a kept upload (the file is discarded if the job cannot
    start), and go to its page, which shows the progress and then what the file held."""
    try:
        job = job_start(
            actor=request.user,
            kind=kind,
            params={
                **params,
                "upload": stored,
                "filename": name,
                "dry_run": bool(form.cleaned_data["dry_run"]),
            },
        )
    except BaseException:
        uploads.upload_discard(stored)
        raise
    messages.success(
        request, _("The file is being read; what it holds will be here when it is done.")
    )
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_POST
def round_replies_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    """The other side's reply list as a file. A refused file comes back on the round's page with
    every problem by file, row and column, and the form as it was."""
    tracing_round = get_round_for_replies(request.user, pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name or "replies"
        if (upload.size or 0) > tracing.REPLY_JOB_BYTES:
            return _reply_job(request, form, tracing_round, upload, name)
        else:
            done = post_action(
                request,
                lambda: tracing.reply_import(
                    actor=request.user,
                    tracing_round=tracing_round,
                    data=upload.read(),
                    filename=name,
                    dry_run=form.cleaned_data["dry_run"],
                ),
                then=lambda counts: _replies_read(
                    request, pk, counts, form.cleaned_data["dry_run"]
                ),
                form=form,
            )
            if done:
                return done
    return _round_page(request, tracing_round, upload_form=form, status=REFUSED)


def _replies_read(
    request: AuthedRequest, pk: int, counts: dict[str, Any], dry_run: bool
) -> HttpResponse:
    """After a reply file read: valid and nothing written (a dry run), or its rows linked."""
    if dry_run:
        messages.info(request, _("The file is valid; nothing was written."))
    else:
        messages.success(
            request, _("%(rows)s reply rows read and linked.") % {"rows": counts["rows"]}
        )
    return redirect("families:round", pk=pk)


@login_required
@require_POST
def round_reply_enter(request: AuthedRequest, pk: int) -> HttpResponse:
    """One reply typed in. A refused reply comes back on the round's page, each problem on its
    field, with everything typed."""
    tracing_round = get_round_for_replies(request.user, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        done = post_action(
            request,
            lambda: tracing.reply_enter(
                actor=request.user, tracing_round=tracing_round, values=form.cleaned_data
            ),
            then=lambda reply: _reply_recorded(request, reply),
            form=form,
        )
        if done:
            return done
    return _round_page(request, tracing_round, reply_form=form, status=REFUSED)


def _reply_recorded(request: AuthedRequest, reply: Any) -> HttpResponse:
    """After a reply typed in: it is recorded, or recorded and waits for review, and why."""
    if reply.link_state == LinkState.REVIEW:
        language = request_language(request)
        messages.warning(
            request,
            " ".join(
                [_("The reply has been recorded and waits for review:")]
                + [tr(d["ko"], d["en"], language) for d in reply.doubts]
            ),
        )
    else:
        messages.success(request, _("The reply has been recorded."))
    return redirect("families:round", pk=reply.round_id)


@login_required
@require_POST
def reply_review(request: AuthedRequest, pk: int) -> HttpResponse:
    reply = get_reply_for_review(request.user, pk)
    accept = request.POST.get("decision") == "accept"
    return post_action(
        request,
        lambda: tracing.reply_review(actor=request.user, reply=reply, accept=accept),
        success=_("The link has been confirmed.") if accept else _("The link was rejected."),
        then=redirect("families:round", pk=reply.round_id),
    )


@login_required
@require_POST
def round_apply(request: AuthedRequest, pk: int) -> HttpResponse:
    """Apply the answers to the registry: with the approval (결재) held, first a page that says
    what will happen; its button posts again with confirm=yes."""
    tracing_round = get_round_for_edit(request.user, pk)
    try:
        preview = tracing.round_apply_check(actor=request.user, tracing_round=tracing_round)
    except DomainError as err:
        refusal_as_messages(request, err)
        return redirect("families:round", pk=pk)
    if not confirmed(request):
        language = request_language(request)
        return confirm_page(
            request,
            title=_("Apply the answers of %(round)s to the registry") % {"round": tracing_round},
            facts=[tr(line["ko"], line["en"], language) for line in preview.lines()],
            warnings=[tr(w["ko"], w["en"], language) for w in preview.warnings()],
            action=reverse("families:round-apply", args=[pk]),
            back=reverse("families:round", args=[pk]),
            button=_("Apply the answers to the registry"),
        )
    return post_action(
        request,
        lambda: tracing.round_apply(actor=request.user, tracing_round=tracing_round),
        success=_("The answers have been written to the registry."),
        then=redirect("families:round", pk=pk),
    )


@login_required
@require_POST
def round_apply_request(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask a supervisor of the side to approve applying the round (결재)."""
    tracing_round = get_round_for_edit(request.user, pk)
    return post_action(
        request,
        lambda: tracing.round_apply_request(
            actor=request.user,
            tracing_round=tracing_round,
            note=request.POST.get("note", ""),
            link=reverse("families:round", args=[pk]),
        ),
        success=_("Approval has been asked for: a supervisor of your side decides."),
        then=redirect("families:round", pk=pk),
    )
