"""The applicants' pages: their applications, the combined application form (filed once, amended
later), the application's one page with every approval's state, history and the officer's words,
and its steps (submit, withdraw, answer, start a new one from it). Reads through `access`,
writes through `services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_fsm_log.models import StateLog

from panmun.accounts.access import require
from panmun.accounts.requests import AuthedRequest
from panmun.common.errors import DomainError
from panmun.common.language import in_page_words, request_language
from panmun.common.pages import confirm_page, confirmed, post_action, problems_of
from panmun.notices.selectors import notices_for_topic

from ...access import (
    applications_for_user,
    can_apply,
    get_application_for_user,
    get_approval_for_user,
    profile_for_user,
)
from ...forms import (
    ApplicationForm,
    GoodsLineForm,
    PeopleFileForm,
    PersonForm,
    ProfilePeopleForm,
    VehicleForm,
)
from ...models import CLOSED, IN_FORCE, OPEN, Application, Approval, ApprovalKind, ApprovalState
from ...notify import topic_for
from ...services import lines, moves
from ...services.applications import (
    application_copy,
    application_create,
    application_submit,
    application_update,
    reopened_by,
)

PAGE_SIZE = 50


def both_words(label: Any) -> dict[str, str]:
    """A label (a lazy translation) in Korean and in English."""
    words = {}
    for language in ("ko", "en"):
        with translation.override(language):
            words[language] = str(label)
    return words


STATE_WORDS: dict[str, dict[str, str]] = {
    str(state): both_words(state.label) for state in ApprovalState
}


def _application(request: AuthedRequest, pk: int) -> Application:
    """An application of the applicant's own (or their organisation's): whoever may not apply
    is refused (403); an application not theirs is not found (404)."""
    require(can_apply(request.user))
    return get_application_for_user(request.user, pk)


def _approval(request: AuthedRequest, pk: int) -> Approval:
    require(can_apply(request.user))
    return get_approval_for_user(request.user, pk)


# --- the list -----------------------------------------------------------------------------------


@login_required
def applications_page(request: AuthedRequest) -> HttpResponse:
    require(can_apply(request.user))
    applications = (
        applications_for_user(request.user)
        .select_related("applicant")
        .prefetch_related("approvals")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "application": application,
            "approvals": [
                {"approval": a, "words": STATE_WORDS[a.state]} for a in application.approvals.all()
            ],
        }
        for application in page
    ]
    return render(request, "permits/applicant/applications.html", {"page": page, "rows": rows})


# --- the form: file, amend ------------------------------------------------------------------


def _form_page(
    request: AuthedRequest, form: ApplicationForm, application: Application | None = None
) -> HttpResponse:
    return render(
        request,
        "permits/applicant/application_form.html",
        {"form": form, "application": application},
        status=422 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request: AuthedRequest) -> HttpResponse:
    require(can_apply(request.user))
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.application_data()
        done = post_action(
            request,
            lambda: application_create(actor=request.user, data=data),
            success=_(
                "The application has been saved as a draft: name its people, vehicles and goods, "
                "then submit it."
            ),
            then=lambda created: redirect("permits:application", pk=created.pk),
            form=form,
        )
        if done:
            return done
    return _form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if request.method != "POST":
        return _form_page(request, ApplicationForm(application=application), application)
    form = ApplicationForm(request.POST, application=application)
    if form.is_valid():
        data = form.application_data()
        reopened = reopened_by(application, data)
        if reopened and not confirmed(request):
            kinds = ", ".join(str(a.get_kind_display()) for a in reopened)
            return confirm_page(
                request,
                title=_("Amend an application with approvals in force?"),
                facts=[
                    _("The application %(reference)s will be amended as you typed it.")
                    % {"reference": application.reference},
                    _(
                        "The period, the place, the direction or a crossing's or contact's date "
                        "change: these approvals in force go back to the ministry for review: "
                        "%(kinds)s."
                    )
                    % {"kinds": kinds},
                ],
                warnings=[
                    _(
                        "Until the ministry decides again, they are not in force: do not travel "
                        "on them."
                    )
                ],
                action=reverse("permits:application-edit", args=[application.pk]),
                back=reverse("permits:application", args=[application.pk]),
                button=_("Amend and send back for review"),
                hidden={
                    k: str(v)
                    for k, v in request.POST.items()
                    if k not in ("csrfmiddlewaretoken", "confirm")
                },
            )
        done = post_action(
            request,
            lambda: application_update(actor=request.user, application=application, data=data),
            success=_("The application has been amended; the approvals named go back to review.")
            if reopened
            else _("The application has been amended."),
            then=redirect("permits:application", pk=application.pk),
            form=form,
        )
        if done:
            return done
    return _form_page(request, form, application)


# --- the application's page ----------------------------------------------------------------


def _history(approvals: list[Approval]) -> dict[int, list[dict[str, Any]]]:
    """Each approval's changes of state (django-fsm-log), oldest first, in one query."""
    by_approval: dict[int, list[dict[str, Any]]] = {a.pk: [] for a in approvals}
    logs = (
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Approval),
            object_id__in=list(by_approval),
        )
        .select_related("by")
        .order_by("timestamp", "pk")
    )
    for log in logs:
        by_approval[log.object_id].append(
            {
                "at": log.timestamp,
                "by": log.by,
                "source": STATE_WORDS.get(log.source_state or "", {}),
                "target": STATE_WORDS.get(log.state, {}),
                "state": log.state,
            }
        )
    return by_approval


def _notices(application: Application) -> Any:
    """The notices sent about the application and its approvals, newest first."""
    return notices_for_topic(topic_for(application.pk))[:100]


def _profile_people(user: Any) -> list[tuple[str, str]]:
    """The people the applicant's profile keeps, as choices."""
    profile = profile_for_user(user)
    if profile is None:
        return []
    return [
        (str(p.pk), f"{p.name_ko} · {p.birth_date:%Y-%m-%d} · {p.get_document_kind_display()}")
        for p in profile.people.all()
    ]


def application_context(
    request: AuthedRequest, application: Application, **bound: Any
) -> dict[str, Any]:
    """What the application's page shows. `bound` holds forms as the applicant typed them (a
    refused form comes back with its values and errors): `traveller_form`, `vehicle_form`,
    `people_file_form`, `profile_people_form`, `goods_forms` (by approval id)."""
    approvals = list(application.approvals.prefetch_related("goods_lines", "certificates"))
    history = _history(approvals)
    travellers = list(application.travellers.all())
    editable = lines.lists_editable(a.state for a in approvals)
    # A form refused because the lists are fixed is still shown, with the reason on it.
    editable = editable or any(bound.values())
    goods_forms = bound.get("goods_forms") or {}
    rows = []
    for approval in approvals:
        rows.append(
            {
                "approval": approval,
                "words": STATE_WORDS[approval.state],
                "history": history[approval.pk],
                "open": approval.state in OPEN,
                "answer": approval.state == ApprovalState.INFO_REQUESTED,
                "certificates": list(approval.certificates.all())
                if approval.kind == ApprovalKind.VISIT and approval.state in IN_FORCE
                else [],
                "goods_lines": list(approval.goods_lines.all()),
                "goods_form": (
                    goods_forms.get(approval.pk) or GoodsLineForm(prefix=f"goods-{approval.pk}")
                )
                if editable and approval.kind in lines.GOODS_KINDS
                else None,
            }
        )
    drivers = [(str(t.pk), t.name_ko) for t in travellers]
    profile_people = _profile_people(request.user) if editable else []
    return {
        "application": application,
        "rows": rows,
        "travellers": travellers,
        "vehicles": application.vehicles.select_related("driver"),
        "notices": _notices(application),
        "can_submit": any(a.state == ApprovalState.DRAFT for a in approvals),
        "can_edit": any(a.state not in CLOSED for a in approvals),
        "lists_editable": editable,
        "traveller_form": bound.get("traveller_form") or PersonForm(prefix="traveller"),
        "vehicle_form": bound.get("vehicle_form") or VehicleForm(prefix="vehicle", drivers=drivers),
        "people_file_form": bound.get("people_file_form") or PeopleFileForm(),
        "profile_people_form": bound.get("profile_people_form")
        or (ProfilePeopleForm(people=profile_people) if profile_people else None),
    }


def application_page_of(
    request: AuthedRequest, application: Application, *, status: int = 200, **bound: Any
) -> HttpResponse:
    return render(
        request,
        "permits/applicant/application.html",
        application_context(request, application, **bound),
        status=status,
    )


@login_required
def application_page(request: AuthedRequest, pk: int) -> HttpResponse:
    return application_page_of(request, _application(request, pk))


# --- its steps ----------------------------------------------------------------------------------

#: Names of what a submission's findings are about, beyond the form's own fields.
_FINDING_WORDS = {
    "policy": gettext_lazy("Policy in force"),
    "travellers": gettext_lazy("People"),
    "vehicles": gettext_lazy("Vehicles"),
    "goods_lines": gettext_lazy("Goods"),
}


def _finding_place(field: str) -> str:
    """`visit.policy` → "Visit (Art. 9) · Policy in force", in the page's language."""
    kind, _dot, name = field.rpartition(".")
    parts = []
    if kind in ApprovalKind.values:
        parts.append(str(ApprovalKind(kind).label))
    if name in ApplicationForm.base_fields:
        parts.append(str(ApplicationForm.base_fields[name].label))
    elif name in _FINDING_WORDS:
        parts.append(str(_FINDING_WORDS[name]))
    elif name:
        parts.append(name)
    return " · ".join(parts)


def submission_refused(request: AuthedRequest, err: DomainError) -> None:
    """A refused submission as messages: the sentence (naming the measures of a policy
    refusal), then every finding with the approval and the field it is about."""
    language = request_language(request)
    messages.error(request, in_page_words(request, err.message(language)))
    for problem in problems_of(err):
        reason = problem.get(f"reason_{language}") or problem.get("reason_ko", "")
        place = _finding_place(str(problem.get("field") or ""))
        text = f"{place}: {reason}" if place else str(reason)
        messages.error(request, in_page_words(request, text))


@login_required
@require_POST
def application_submit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    back = redirect("permits:application", pk=application.pk)
    try:
        submitted = application_submit(actor=request.user, application=application)
    except DomainError as err:
        submission_refused(request, err)
        return back
    kinds = ", ".join(str(a.get_kind_display()) for a in submitted)
    messages.success(request, _("Submitted to the ministry: %(kinds)s.") % {"kinds": kinds})
    return back


@login_required
@require_POST
def application_copy_view(request: AuthedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    return post_action(
        request,
        lambda: application_copy(actor=request.user, source=application),
        success=_(
            "A new draft has been started from %(reference)s, with its people, vehicles and "
            "goods: give its dates."
        )
        % {"reference": application.reference},
        then=lambda copy: redirect("permits:application-edit", pk=copy.pk),
        refused=redirect("permits:application", pk=application.pk),
    )


@login_required
@require_POST
def approval_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    approval = _approval(request, pk)
    application = approval.application
    back = reverse("permits:application", args=[application.pk])
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Withdraw this approval?"),
            facts=[
                _(
                    "The %(kind)s approval of %(reference)s will be withdrawn: the ministry stops "
                    "reviewing it."
                )
                % {"kind": approval.get_kind_display(), "reference": application.reference},
                _("The application's other approvals stay as they are."),
            ],
            warnings=[_("To ask for it again, start a new application.")],
            action=reverse("permits:approval-withdraw", args=[approval.pk]),
            back=back,
            button=_("Withdraw the approval"),
        )
    return post_action(
        request,
        lambda: moves.approval_transition(actor=request.user, approval=approval, move="withdraw"),
        success=_("The approval has been withdrawn."),
        then=redirect(back),
    )


@login_required
@require_POST
def approval_resubmit(request: AuthedRequest, pk: int) -> HttpResponse:
    approval = _approval(request, pk)
    return post_action(
        request,
        lambda: moves.approval_transition(actor=request.user, approval=approval, move="resubmit"),
        success=_("Your answer has gone back to the officer."),
        then=redirect("permits:application", pk=approval.application_id),
    )
