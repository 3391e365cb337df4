"""The complex's pages on wages, payrolls and remittances."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from panmun.accounts.requests import AuthedRequest

from ..access import remittances_for_user


@login_required
@require_GET
def remittances(request: AuthedRequest) -> HttpResponse:
    rows = remittances_for_user(request.user).select_related("firm")[:200]
    return render(request, "complex/remittances.html", {"remittances": rows})
