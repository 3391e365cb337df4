"""A visit certificate's PDF, for its applicant and the ministry's officers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from panmun.accounts.models import User
from panmun.accounts.requests import AuthedRequest
from panmun.common.errors import not_found
from panmun.common.pages import attachment

from .access import applications_for_user, can_apply, can_review
from .certificates import certificate_pdf, verify_url
from .models import Certificate


def get_certificate_for_user(user: User, number: str) -> Certificate:
    """A certificate of an application the user may see (its applicant, the ministry), or 404
    — for anyone else alike, so that no one learns which certificate numbers exist."""
    certificate = None
    if can_review(user) or can_apply(user):
        certificate = (
            Certificate.objects.select_related("approval__application", "traveller")
            .filter(approval__application__in=applications_for_user(user), number=number[:40])
            .first()
        )
    if certificate is None:
        raise not_found("방문증명서", "Visit certificate", number[:40])
    return certificate


@login_required
def certificate_download(request: AuthedRequest, number: str) -> HttpResponse:
    certificate = get_certificate_for_user(request.user, number)
    data = certificate_pdf(certificate, verify_url(request))
    return attachment(data, f"{certificate.number}.pdf", "application/pdf")
