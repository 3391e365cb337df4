"""The ledger's activities: the list (filtered by channel, status and year) and each
activity's page. Reads through `access`, writes through `services.activities`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from panmun.accounts.access import require
from panmun.accounts.requests import AuthedRequest

from ..access import activities_for_user, can_add_activity, can_read_ledger

PAGE_SIZE = 50


@login_required
@require_GET
def activities_page(request: AuthedRequest) -> HttpResponse:
    require(can_read_ledger(request.user))
    activities = (
        activities_for_user(request.user)
        .select_related("parent")
        .order_by("-planned_start", "identifier")
    )
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "aid/activities.html",
        {"page": page, "can_add": can_add_activity(request.user)},
    )
