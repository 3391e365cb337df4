"""The frame of the site: sign-in, the home page per persona, the language switch, the audit log,
API tokens, and the error pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from panmun.accounts import services as account_services
from panmun.accounts import signoffs
from panmun.accounts.access import audit_entries_for_user, tokens_for_user
from panmun.accounts.models import SignOff
from panmun.accounts.requests import AuthedRequest
from panmun.accounts.selectors import audit_search
from panmun.common.errors import DomainError, ErrorCode, not_found
from panmun.common.language import request_language
from panmun.common.pages import post_action

from .errors import error_response
from .forms import LoginForm, PasswordForm, TokenForm
from .middleware import IDLE_FLAG
from .selectors import home_panels, work_queue


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Set by IdleSignOutMiddleware when it ended the session: say why, once.
        context["signed_out_idle"] = self.request.session.pop(IDLE_FLAG, None)
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # The user's saved language becomes the page language from now on.
        set_language_cookie(response, form.get_user().language)
        return response


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
    )


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """The work waiting for the signed-in person, then the panels of their programme."""
    user = request.user
    return render(
        request,
        "web/home.html",
        {
            "tasks": work_queue(user),
            "panels": home_panels(user),
        },
    )


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Switch the page language and remember it (cookie, and the user's profile if signed in)."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated:
        account_services.user_set_language(actor=request.user, language=language)
    else:
        account_services.language_validate(language)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    set_language_cookie(response, language)
    return response


@login_required
def audit_log(request: AuthedRequest) -> HttpResponse:
    """The audit log, filtered. Filters that cannot be read (a date the wrong way round) are
    said above the rows, with the filters as typed kept in the form."""
    names = ("actor", "action", "object_type", "since", "until")
    filters = {name: request.GET.get(name, "").strip() for name in names}
    context: dict[str, Any] = {"filters": filters}
    status = 200
    try:
        entries = audit_search(request.user, **filters)
    except DomainError as err:
        context["refusal_text"] = err.message(request_language(request))
        status = 422
    else:
        context["page"] = Paginator(entries, 50).get_page(request.GET.get("page"))
    template = "web/_audit_rows.html" if request.htmx else "web/audit.html"
    actions = audit_entries_for_user(request.user).order_by().values_list("action", flat=True)
    context["actions"] = sorted(set(actions))
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = post_action(
            request,
            lambda: account_services.api_token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                scope=form.cleaned_data["scope"],
            ),
            # The new token is shown once, on the page itself, above an empty form.
            then=lambda made: _tokens_page(
                request, TokenForm(), {"token": made[0], "raw": made[1]}
            ),
            form=form,
        )
        if done:
            return done
    return _tokens_page(request, form)


def _tokens_page(
    request: AuthedRequest, form: TokenForm, created: dict[str, Any] | None = None
) -> HttpResponse:
    return render(
        request,
        "web/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": tokens_for_user(request.user),
        },
    )


def _still_signed_in(request: AuthedRequest) -> HttpResponse:
    """After a password change: the session stays signed in, and home."""
    update_session_auth_hash(request, request.user)
    return redirect("web:home")


@login_required
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_change(request: AuthedRequest) -> HttpResponse:
    """The signed-in user changes their password; the session stays signed in."""
    form = PasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = post_action(
            request,
            lambda: account_services.user_change_password(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            ),
            success=_("Your password has been changed."),
            then=lambda _changed: _still_signed_in(request),
            form=form,
        )
        if done:
            return done
    return render(request, "web/password.html", {"form": form})


@login_required
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = account_services.api_token_revoke(actor=request.user, token_id=pk)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("web:tokens")


# --- error pages: JSON under /api/, pages elsewhere ---------------------------------------------


def _error(request: HttpRequest, status: int, err: DomainError) -> HttpResponse:
    return error_response(request, err, status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 400, DomainError(ErrorCode.INVALID_INPUT, "잘못된 요청입니다.", "Bad request.")
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        DomainError(
            ErrorCode.PERMISSION_DENIED,
            "이 페이지를 볼 권한이 없습니다.",
            "You do not have permission to see this page.",
        ),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        DomainError(ErrorCode.NOT_FOUND, "페이지를 찾을 수 없습니다.", "Page not found."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        DomainError(
            ErrorCode.INTERNAL_ERROR,
            "서버 내부 오류입니다. 관리자에게 알려 주십시오.",
            "Internal server error. Please tell the administrator.",
        ),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        DomainError(
            ErrorCode.PERMISSION_DENIED,
            "보안 확인(CSRF)에 실패했습니다. 페이지를 새로 고친 뒤 다시 시도하십시오.",
            "The security check (CSRF) failed. Reload the page and try again.",
        ),
    )


# --- 결재: approvals waiting for me, and the ones I asked for ----------------------------------


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or default
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = default
    return target


@login_required
def signoffs_page(request: AuthedRequest) -> HttpResponse:

    return render(
        request,
        "web/signoffs.html",
        {
            "waiting": signoffs.signoffs_waiting_for(request.user),
            "asked": signoffs.signoffs_asked_by(request.user)[:50],
        },
    )


@login_required
@require_POST
def signoff_decide(request: AuthedRequest, pk: int) -> HttpResponse:

    signoff = SignOff.objects.filter(pk=pk).select_related("requested_by").first()
    if signoff is None or not (
        signoffs.can_decide(request.user, signoff) or signoff.requested_by_id == request.user.pk
    ):
        raise not_found("결재 요청", "Approval request", pk)
    decision = request.POST.get("decision", "")
    if decision not in ("approve", "refuse"):
        messages.error(request, _("Choose Approve or Refuse."))
        return redirect(_back(request, "/signoffs/"))
    return post_action(
        request,
        lambda: signoffs.signoff_decide(
            actor=request.user,
            signoff=signoff,
            approve=decision == "approve",
            note=request.POST.get("note", ""),
        ),
        success=_("Approved: the step can now be carried out.")
        if decision == "approve"
        else _("Refused, with your reason."),
        then=redirect(_back(request, "/signoffs/")),
        # The sentence says what is wrong ("write why you refuse"); the problem list would add
        # the field's code ("note: 필수"), which is not for the page.
        problems=False,
    )


@login_required
@require_POST
def signoff_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:

    signoff = SignOff.objects.filter(pk=pk).select_related("requested_by").first()
    if signoff is None or not (
        signoffs.can_decide(request.user, signoff) or signoff.requested_by_id == request.user.pk
    ):
        raise not_found("결재 요청", "Approval request", pk)
    return post_action(
        request,
        lambda: signoffs.signoff_withdraw(actor=request.user, signoff=signoff),
        success=_("The request has been withdrawn."),
        then=redirect(_back(request, "/signoffs/")),
    )
