"""The complex's pages on firms, land and output, and the dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from panmun.accounts.access import require
from panmun.accounts.requests import AuthedRequest

from ..access import can_read_complex


@login_required
@require_GET
def dashboard(request: AuthedRequest) -> HttpResponse:
    require(can_read_complex(request.user))
    return render(request, "complex/dashboard.html", {})
