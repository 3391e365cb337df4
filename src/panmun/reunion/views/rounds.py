"""A reunion round's pages: the list of rounds, the round with its stages, the criteria editor
and its live pool counts, and each step (freeze, draw, reserves, inquiry, final list, step
back), the irreversible ones confirmed first and the final list approved by a second person."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet
from django.forms import BaseForm
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panmun.accounts import signoffs
from panmun.accounts.access import require
from panmun.accounts.requests import AuthedRequest
from panmun.accounts.signoffs import signoff_context
from panmun.common.bilingual import tr
from panmun.common.errors import DomainError
from panmun.common.language import request_language
from panmun.common.pages import (
    attachment,
    confirm_page,
    confirmed,
    post_action,
    problems_of,
    refusal_as_messages,
    refusal_on_form,
)

from ..access import (
    can_edit_reunions,
    can_read_reunions,
    can_run_selection,
    candidates_for_user,
    get_reunion_round_for_edit,
    get_reunion_round_for_selection,
    get_reunion_round_for_user,
    reunion_rounds_for_user,
)
from ..criteria import EXCLUSIONS, RELATIONS, default_criteria
from ..forms import (
    CandidateFilterForm,
    ChecksImportForm,
    CriteriaForm,
    FreezeForm,
    InquiryForm,
    ReservesForm,
    RevertForm,
    RoundForm,
)
from ..models import (
    Candidate,
    Draw,
    Health,
    Outcome,
    ReunionRound,
    RoundKind,
    SeedSource,
    Stage,
    Willingness,
)
from ..selectors import stage_steps
from ..services import selection
from ..words import EXCLUSION_WORDS, HASH_WORDS, LEFT_OUT_WORDS, RELATION_WORDS, rule_in_words
from .sheet import CheckRow, check_rows, choices_context

PAGE_SIZE = 50  # candidates per page of the check sheet


@login_required
def rounds_page(request: AuthedRequest) -> HttpResponse:
    # The pool's size is the draw's (not its candidates counted: tens of thousands a round);
    # the final list is its participants.
    rounds = reunion_rounds_for_user(request.user).annotate(
        pool=F("draw__pool_size"), finals=Count("participants", distinct=True)
    )
    form = RoundForm(request.POST or None)
    if request.method == "POST":
        require(can_run_selection(request.user))
        if form.is_valid():
            data = form.cleaned_data
            done = post_action(
                request,
                lambda: selection.round_create(
                    actor=request.user,
                    kind=data["kind"],
                    number=data["number"],
                    name=data["name"],
                    starts_on=data["starts_on"],
                    days=data["days"],
                    venue=data["venue"],
                    criteria=default_criteria(timezone.localdate(), data["places"]),
                ),
                success=_("The round has been created with the usual criteria."),
                then=lambda created: redirect("reunion:round", pk=created.pk),
                form=form,
            )
            if done:
                return done
    return render(
        request,
        "reunion/rounds.html",
        {"rounds": rounds, "form": form, "can_create": can_run_selection(request.user)},
    )


# --- the round's page --------------------------------------------------------------------------


def criteria_in_words(document: Any) -> dict[str, Any]:
    """The criteria document as the page shows it to those who do not edit it."""
    document = document if isinstance(document, dict) else {}
    relations = document.get("relation_weights") or {}
    return {
        "reference_date": document.get("reference_date", ""),
        "bands": [b for b in document.get("age_weights", []) if isinstance(b, dict)],
        "unknown_age_weight": document.get("unknown_age_weight", 1),
        "relations": [(RELATION_WORDS[r], relations.get(r, 1)) for r in RELATIONS],
        "strata": [
            {
                "name": s.get("name", ""),
                "places": s.get("places", 0),
                "rule": rule_in_words(s.get("rule") or {"kind": "rest"}),
            }
            for s in document.get("strata", [])
            if isinstance(s, dict)
        ],
        "candidates_per_place": document.get("candidates_per_place", 5),
        "exclusions": [
            EXCLUSION_WORDS[code] for code in document.get("exclusions", []) if code in EXCLUSIONS
        ],
    }


def page_query(query: QueryDict | dict[str, str]) -> dict[str, str]:
    """The check sheet's place (stratum, not yet checked, page) from a query, nothing else."""
    return {k: str(query.get(k, "")) for k in ("stratum", "unchecked", "page") if query.get(k)}


def round_context(
    request: AuthedRequest,
    reunion_round: ReunionRound,
    *,
    query: QueryDict | dict[str, str] | None = None,
    row: Any = None,
    **bound: Any,
) -> dict[str, Any]:
    """What the round's page shows. `bound` holds forms as the officer typed them (a refused
    form comes back with its values and errors); `row` a check-sheet row as typed; `query`
    the check sheet's place (by default the request's own)."""
    user = request.user
    # The draw's files (the pool alone is a megabyte on the demo) stay in the database.
    draw = (
        Draw.objects.defer("pool_csv", "criteria_json", "result_csv")
        .filter(round=reunion_round)
        .first()
    )
    south = can_read_reunions(user)
    can_select = can_run_selection(user)
    stage = reunion_round.stage
    context: dict[str, Any] = {
        "round": reunion_round,
        "draw": draw,
        "steps": stage_steps(reunion_round),
        "stages": Stage,
        "kinds": RoundKind,
        "can_select": can_select,
        "can_edit": can_edit_reunions(user),
        "south": south,
        "hash_words": HASH_WORDS,
        "secret_seed": SeedSource.SECRET,
        "criteria_words": criteria_in_words(reunion_round.criteria),
        "freeze_form": bound.get("freeze_form") or FreezeForm(),
        "revert_form": bound.get("revert_form") or RevertForm(),
        "reserves_form": bound.get("reserves_form") or ReservesForm(),
        "inquiry_form": bound.get("inquiry_form") or InquiryForm(),
        "import_form": bound.get("import_form") or ChecksImportForm(),
        "preview": preview_view(bound.get("preview")),
        "preview_problems": bound.get("preview_problems"),
        "changes": reunion_round.stage_changes.select_related("changed_by"),
    }
    if not south:
        return context
    candidates = candidates_for_user(user, reunion_round)
    pending = Q(willingness=Willingness.PENDING) | Q(health=Health.PENDING)
    strata = strata_figures(candidates, draw)
    context["strata"] = strata
    if stage == Stage.DRAFT and can_select:
        context["criteria_form"] = bound.get("criteria_form") or CriteriaForm(
            document=reunion_round.criteria
        )
    if stage not in (Stage.DRAFT, Stage.FROZEN):
        where = page_query(query if query is not None else request.GET)
        filters = CandidateFilterForm(where)
        chosen = filters.cleaned_data if filters.is_valid() else {}
        drawn = candidates.filter(drawn=True)
        if chosen.get("stratum"):
            drawn = drawn.filter(stratum=chosen["stratum"])
        if chosen.get("unchecked"):
            drawn = drawn.filter(pending)
        page = Paginator(drawn.order_by("stratum", "rank", "pk"), PAGE_SIZE).get_page(
            chosen.get("page") or 1
        )
        rows = check_rows(list(page.object_list), row if isinstance(row, CheckRow) else None)
        can_check = can_edit_reunions(user) and stage in (Stage.DRAWN, Stage.CHECKING)
        context.update(
            {
                "show_candidates": True,
                "page": page,
                "rows": rows,
                "filters": filters,
                "filter_query": {k: v for k, v in where.items() if k != "page"},
                "back": "&".join(f"{k}={v}" for k, v in where.items()),
                "can_check": can_check,
                **choices_context(),
                "stratum_names": [s["stratum"] for s in strata if s["n_drawn"]],
                "unchecked_total": sum(s["n_unchecked"] for s in strata),
            }
        )
    if stage == Stage.TRACING:
        context.update(signoff_context(user, selection.FINAL_FIX, reunion_round))
        context["signoff_title"] = _("fixing the final list")
        tracing_round = reunion_round.tracing_round
        if can_select and tracing_round is not None and tracing_round.applied_at is not None:
            context["signoff_request_url"] = reverse(
                "reunion:round-final-signoff", args=[reunion_round.pk]
            )
        signoff = context.get("signoff")
        context["can_fix"] = bool(
            can_select and signoff is not None and signoff.state == "approved"
        )
    return context


# The pool of a frozen round never changes (stepping back deletes it): its size per stratum is
# counted once per draw, not on every page (some 30,000 candidates on the demo).
POOL_CACHE_SECONDS = 24 * 3600


def strata_figures(candidates: QuerySet[Candidate], draw: Draw | None) -> list[dict[str, Any]]:
    """Per stratum: the pool, the drawn, those not yet checked, the willing and fit, the final
    list and the reserves. Only the drawn are counted on each page."""
    if draw is None:
        return []
    key = f"reunion:pool-strata:{draw.pk}:{draw.committed_at.isoformat()}"
    pool: dict[str, int] | None = cache.get(key)
    if pool is None:
        pool = dict(
            candidates.order_by()
            .values("stratum")
            .annotate(n=Count("pk"))
            .values_list("stratum", "n")
        )
        cache.set(key, pool, POOL_CACHE_SECONDS)
    pending = Q(willingness=Willingness.PENDING) | Q(health=Health.PENDING)
    drawn = {
        row["stratum"]: row
        for row in candidates.filter(drawn=True)
        .order_by()
        .values("stratum")
        .annotate(
            n_drawn=Count("pk"),
            n_unchecked=Count("pk", filter=pending),
            n_willing=Count("pk", filter=Q(willingness=Willingness.WILLING, health=Health.FIT)),
            n_final=Count("pk", filter=Q(outcome=Outcome.FINAL)),
            n_reserve=Count("pk", filter=Q(outcome=Outcome.RESERVE)),
        )
    }
    empty = {"n_drawn": 0, "n_unchecked": 0, "n_willing": 0, "n_final": 0, "n_reserve": 0}
    return [
        {**empty, **drawn.get(name, {}), "stratum": name, "n_pool": n}
        for name, n in sorted(pool.items())
    ]


def round_page(
    request: AuthedRequest, reunion_round: ReunionRound, *, status: int = 200, **bound: Any
) -> HttpResponse:
    return render(
        request,
        "reunion/round_detail.html",
        round_context(request, reunion_round, **bound),
        status=status,
    )


@login_required
def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return round_page(request, get_reunion_round_for_user(request.user, pk))


def _back(pk: int) -> HttpResponse:
    return redirect("reunion:round", pk=pk)


def _refused(request: AuthedRequest, pk: int, err: DomainError) -> HttpResponse:
    refusal_as_messages(request, err)
    return _back(pk)


# --- the criteria ------------------------------------------------------------------------------


def preview_view(preview: selection.PoolPreview | None) -> dict[str, Any] | None:
    """The pool preview as the page shows it: every code in words."""
    if preview is None:
        return None
    return {
        "eligible": preview.eligible,
        "pool": preview.pool,
        "strata": [
            {
                "name": s.name,
                "rule": rule_in_words(s.rule),
                "applicants": s.applicants,
                "places": s.places,
                "to_draw": s.to_draw,
                "short": s.applicants < s.to_draw,
            }
            for s in preview.strata
        ],
        "exclusions": [
            {
                "code": e.code,
                "words": LEFT_OUT_WORDS[e.code],
                "chosen": e.chosen,
                "applicants": e.applicants,
            }
            for e in preview.exclusions
        ],
        "no_stratum": preview.no_stratum,
        "no_stratum_words": LEFT_OUT_WORDS["no_stratum"],
    }


def _preview_of(
    reunion_round: ReunionRound, form: CriteriaForm, request: AuthedRequest
) -> tuple[selection.PoolPreview | None, list[str]]:
    """The pool the form's criteria would make, or why it cannot be counted (the problems are
    also put on the form's fields)."""
    if not form.is_valid():
        return None, form.problem_lines()
    try:
        return selection.pool_preview(reunion_round, form.criteria_document()), []
    except DomainError as err:
        form.add_criteria_problems(problems_of(err), request_language(request))
        return None, [err.message(request_language(request)), *form.problem_lines()]


@login_required
@require_POST
def round_criteria(request: AuthedRequest, pk: int) -> HttpResponse:
    """Save the criteria (or, with `preview`, count the pool they would make: the page without
    JavaScript asks this way). A refusal comes back on the form's fields, as typed."""
    reunion_round = get_reunion_round_for_selection(request.user, pk)
    form = CriteriaForm(request.POST, document=reunion_round.criteria)
    if reunion_round.stage != Stage.DRAFT:
        return _refused(request, pk, selection.stage_error(reunion_round, Stage.DRAFT))
    more = request.POST.get("more")
    if more in ("bands", "strata"):  # another blank row, nothing saved
        data = request.POST.copy()
        data[more] = str(form.n_bands + 1 if more == "bands" else form.n_strata + 1)
        return round_page(
            request,
            reunion_round,
            criteria_form=CriteriaForm(data, document=reunion_round.criteria),
        )
    if request.POST.get("preview"):
        preview, problems = _preview_of(reunion_round, form, request)
        return round_page(
            request, reunion_round, criteria_form=form, preview=preview, preview_problems=problems
        )
    if form.is_valid():
        try:
            selection.criteria_set(
                actor=request.user, reunion_round=reunion_round, criteria=form.criteria_document()
            )
        except DomainError as err:
            form.add_error(None, err.message(request_language(request)))
            form.add_criteria_problems(problems_of(err), request_language(request))
        else:
            messages.success(request, _("The criteria have been saved."))
            return _back(pk)
    return round_page(request, reunion_round, status=422, criteria_form=form)


@login_required
def round_criteria_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    """The live pool counts beside the criteria editor (htmx): of the form as it stands
    (POST), or of the round's saved criteria (GET)."""
    reunion_round = get_reunion_round_for_selection(request.user, pk)
    problems: list[str] = []
    preview = None
    if request.method == "POST":
        form = CriteriaForm(request.POST, document=reunion_round.criteria)
        preview, problems = _preview_of(reunion_round, form, request)
    else:
        try:
            preview = selection.pool_preview(reunion_round, reunion_round.criteria)
        except DomainError as err:
            problems = [err.message(request_language(request))]
    return render(
        request,
        "reunion/_pool_preview.html",
        {"round": reunion_round, "preview": preview_view(preview), "preview_problems": problems},
    )


# --- the steps ---------------------------------------------------------------------------------


def _number(n: int) -> str:
    return f"{n:,}"


@login_required
@require_POST
def round_freeze(request: AuthedRequest, pk: int) -> HttpResponse:
    """Freeze the pool and publish the commitment: asked first (what will be frozen, which
    strata hold fewer applicants than they draw), with the seed typed carried through."""
    reunion_round = get_reunion_round_for_selection(request.user, pk)
    form = FreezeForm(request.POST)
    if reunion_round.stage != Stage.DRAFT:
        return _refused(request, pk, selection.stage_error(reunion_round, Stage.FROZEN))
    if not form.is_valid():
        return round_page(request, reunion_round, status=422, freeze_form=form)
    seed_hex, seed_text = form.cleaned_data["seed_hex"], form.cleaned_data["seed_text"]
    try:
        source = selection.seed_check(seed_hex, seed_text)
        preview = selection.pool_preview(reunion_round, reunion_round.criteria)
    except DomainError as err:
        refusal_on_form(form, err, request)
        return round_page(request, reunion_round, status=422, freeze_form=form)
    if not confirmed(request):
        seed_words = {
            SeedSource.SECRET: _("a secret random seed, revealed after the draw"),
            SeedSource.HEX: _("the seed typed in"),
            SeedSource.PUBLIC: _("the numbers of the public drawing given"),
        }[SeedSource(source)]
        facts = [
            _("About %(n)s applicants will be frozen in the pool, each with an opaque draw id.")
            % {"n": _number(preview.pool)},
            *(
                _("Stratum %(name)s: %(n)s applicants, %(draw)s candidates to draw.")
                % {"name": s.name, "n": _number(s.applicants), "draw": _number(s.to_draw)}
                for s in preview.strata
            ),
            _("The seed: %(seed)s.") % {"seed": seed_words},
            _(
                "The SHA-256 of the pool list and of the seed are published; the criteria "
                "cannot be changed afterwards."
            ),
        ]
        warnings = [
            _(
                "Stratum %(name)s has fewer applicants (%(n)s) than candidates to draw "
                "(%(draw)s): all of them will be drawn."
            )
            % {"name": s.name, "n": _number(s.applicants), "draw": _number(s.to_draw)}
            for s in preview.strata
            if s.applicants < s.to_draw
        ]
        if preview.pool == 0:
            warnings.append(_("No applicant is in the pool: the freeze will be refused."))
        return confirm_page(
            request,
            title=_("Freeze the pool of %(round)s?") % {"round": reunion_round.name},
            facts=facts,
            warnings=warnings,
            action=reverse("reunion:round-freeze", args=[pk]),
            back=reverse("reunion:round", args=[pk]),
            button=_("Freeze the pool and publish the commitment"),
            hidden={"seed_hex": seed_hex, "seed_text": seed_text},
        )
    done = post_action(
        request,
        lambda: selection.pool_freeze(
            actor=request.user, reunion_round=reunion_round, seed_hex=seed_hex, seed_text=seed_text
        ),
        success=_("The pool is frozen; its hash and the seed's hash are published."),
        then=_back(pk),
        form=form,
    )
    return done or round_page(request, reunion_round, status=422, freeze_form=form)


@login_required
@require_POST
def round_draw(request: AuthedRequest, pk: int) -> HttpResponse:
    reunion_round = get_reunion_round_for_selection(request.user, pk)
    if reunion_round.stage != Stage.FROZEN:
        return _refused(request, pk, selection.stage_error(reunion_round, Stage.DRAWN))
    if not confirmed(request):
        draw = Draw.objects.get(round=reunion_round)
        per_stratum = selection.lottery_criteria(reunion_round)
        facts = [
            _("The lottery runs on the frozen pool of %(n)s applicants with the committed seed.")
            % {"n": _number(draw.pool_size)},
            *(
                _("Stratum %(name)s: the first %(n)s in the order of the draw are drawn.")
                % {"name": s.name, "n": _number(s.places)}
                for s in per_stratum.strata
            ),
            _("The seed is revealed, and anyone can check the draw with the bundle."),
        ]
        return confirm_page(
            request,
            title=_("Run the draw of %(round)s?") % {"round": reunion_round.name},
            facts=facts,
            warnings=[
                _(
                    "The result cannot be drawn again: stepping back clears it, but the seed "
                    "is already public."
                )
            ],
            action=reverse("reunion:round-draw", args=[pk]),
            back=reverse("reunion:round", args=[pk]),
            button=_("Run the draw"),
        )
    return post_action(
        request,
        lambda: selection.draw_run(actor=request.user, reunion_round=reunion_round),
        success=_("The draw has run; the seed is revealed and the bundle can be downloaded."),
        then=_back(pk),
    )


def _small_form(
    request: AuthedRequest,
    pk: int,
    form: BaseForm,
    name: str,
    action: Callable[[Any, dict[str, Any]], object],
    success: str,
    *,
    getter: Callable[[Any, int], ReunionRound] = get_reunion_round_for_selection,
) -> HttpResponse:
    """A form of the round's page: refused, it comes back on the page as typed."""
    reunion_round = getter(request.user, pk)
    if form.is_valid():
        done = post_action(
            request,
            lambda: action(reunion_round, form.cleaned_data),
            success=success,
            then=_back(pk),
            form=form,
        )
        if done:
            return done
    return round_page(request, reunion_round, status=422, **{name: form})


@login_required
@require_POST
def round_reserves(request: AuthedRequest, pk: int) -> HttpResponse:
    return _small_form(
        request,
        pk,
        ReservesForm(request.POST),
        "reserves_form",
        lambda r, data: selection.reserves_call(actor=request.user, reunion_round=r, **data),
        _("Reserves have been called."),
    )


@login_required
@require_POST
def round_inquiry(request: AuthedRequest, pk: int) -> HttpResponse:
    return _small_form(
        request,
        pk,
        InquiryForm(request.POST),
        "inquiry_form",
        lambda r, data: selection.inquiry_start(
            actor=request.user, reunion_round=r, reply_due=data.get("reply_due")
        ),
        _("The tracing round has been created; send it from the tracing pages."),
        getter=get_reunion_round_for_edit,
    )


@login_required
@require_POST
def round_revert(request: AuthedRequest, pk: int) -> HttpResponse:
    return _small_form(
        request,
        pk,
        RevertForm(request.POST),
        "revert_form",
        lambda r, data: selection.stage_revert(
            actor=request.user, reunion_round=r, reason=data["reason"]
        ),
        _("The round has been stepped back."),
    )


@login_required
@require_POST
def round_final_signoff(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask another supervisor of the South to approve fixing the final list (결재)."""
    reunion_round = get_reunion_round_for_selection(request.user, pk)
    return post_action(
        request,
        lambda: selection.final_signoff_request(
            actor=request.user,
            reunion_round=reunion_round,
            note=request.POST.get("note", "")[:500],
            link=reverse("reunion:round", args=[pk]),
        ),
        success=_(
            "Approval has been asked for; another supervisor decides it on this page or "
            "under Approvals."
        ),
        then=_back(pk),
    )


@login_required
@require_POST
def round_final(request: AuthedRequest, pk: int) -> HttpResponse:
    """Fix the final list: only with a second supervisor's approval that still holds, and
    asked first (what will be fixed; candidates not yet checked, an approval given on facts
    that have changed since)."""
    reunion_round = get_reunion_round_for_selection(request.user, pk)
    try:
        selection.final_fix_check(actor=request.user, reunion_round=reunion_round)
    except DomainError as err:
        return _refused(request, pk, err)
    signoff = signoffs.signoff_open(selection.FINAL_FIX, reunion_round)
    if signoff is None or signoff.state != "approved":
        messages.error(
            request,
            _(
                "Fixing the final list needs the approval of another supervisor first (결재): "
                "ask for it on this page."
            ),
        )
        return _back(pk)
    if not confirmed(request):
        summary = selection.final_summary(reunion_round)
        language = request_language(request)
        facts = [tr(line["ko"], line["en"], language) for line in summary["lines"]]
        facts.append(
            _(
                "In each stratum, in the order of the draw, the willing and fit candidates with "
                "a relative confirmed alive take the places; the next ones become reserves."
            )
        )
        warnings = []
        if summary["unchecked"]:
            warnings.append(
                _(
                    "%(n)s drawn candidates have no willingness or health recorded: they will "
                    "be left off the list as not checked."
                )
                % {"n": summary["unchecked"]}
            )
        if signoff.basis != signoffs.basis_of(summary):
            warnings.append(
                _(
                    "The checks or the tracing answers changed after the approval was given: "
                    "the step will be refused. Withdraw the request and ask again."
                )
            )
        return confirm_page(
            request,
            title=_("Fix the final list of %(round)s?") % {"round": reunion_round.name},
            facts=facts,
            warnings=warnings,
            action=reverse("reunion:round-final", args=[pk]),
            back=reverse("reunion:round", args=[pk]),
            button=_("Fix the final list and reserves"),
        )
    return post_action(
        request,
        lambda: selection.final_fix(actor=request.user, reunion_round=reunion_round),
        success=_("The final list and the reserves are fixed."),
        then=_back(pk),
    )


# --- what is published -------------------------------------------------------------------------


@login_required
def round_bundle(request: AuthedRequest, pk: int) -> HttpResponse:
    """The verification bundle (zip), for anyone who can see the round, the other side too."""
    reunion_round = get_reunion_round_for_user(request.user, pk)
    draw = getattr(reunion_round, "draw", None)
    if draw is None:
        return _back(pk)
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
        return _back(pk)
    make, content_type = files[name]
    return attachment(make(draw), name, content_type)
