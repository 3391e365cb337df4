"""The applicant's profile (the 2014 "information store"): the people, vehicles and usual goods
an applicant files again and again, kept once — their organisation's, or their own when they
apply in their own name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panmun.accounts.access import get_or_404, require
from panmun.accounts.requests import AuthedRequest
from panmun.common.errors import not_found
from panmun.common.pages import post_action

from ...access import can_apply, profile_for_user
from ...forms import GoodsForm, PersonForm, VehicleForm
from ...services import lines


def _kept(request: AuthedRequest, related: str, pk: int, what_ko: str, what_en: str) -> Any:
    """One of the people, vehicles or goods the applicant's profile keeps (404 otherwise)."""
    require(can_apply(request.user))
    profile = profile_for_user(request.user)
    if profile is None:
        raise not_found(what_ko, what_en, pk)
    return get_or_404(getattr(profile, related).all(), pk, what_ko, what_en)


def profile_page_of(request: AuthedRequest, *, status: int = 200, **bound: Any) -> HttpResponse:
    profile = profile_for_user(request.user)
    return render(
        request,
        "permits/applicant/profile.html",
        {
            "profile": profile,
            "people": profile.people.all() if profile else [],
            "vehicles": profile.vehicles.all() if profile else [],
            "goods": profile.goods.all() if profile else [],
            "person_form": bound.get("person_form") or PersonForm(prefix="person"),
            "vehicle_form": bound.get("vehicle_form") or VehicleForm(prefix="vehicle"),
            "goods_form": bound.get("goods_form") or GoodsForm(prefix="goods"),
        },
        status=status,
    )


@login_required
def profile_page(request: AuthedRequest) -> HttpResponse:
    require(can_apply(request.user))
    return profile_page_of(request)


def _values(form: Any) -> dict[str, str]:
    return {name: value or "" for name, value in form.cleaned_data.items()}


def _add(
    request: AuthedRequest,
    form: forms.Form,
    key: str,
    act: Callable[..., object],
    success: str,
) -> HttpResponse:
    require(can_apply(request.user))
    if form.is_valid():
        values = _values(form)
        done = post_action(
            request,
            lambda: act(actor=request.user, values=values),
            success=success,
            then=redirect("permits:profile"),
            form=form,
        )
        if done:
            return done
    return profile_page_of(request, status=422, **{key: form})


@login_required
@require_POST
def profile_person_add(request: AuthedRequest) -> HttpResponse:
    form = PersonForm(request.POST, prefix="person")
    return _add(
        request, form, "person_form", lines.profile_person_add, _("The person is now kept.")
    )


@login_required
@require_POST
def profile_vehicle_add(request: AuthedRequest) -> HttpResponse:
    form = VehicleForm(request.POST, prefix="vehicle")
    return _add(
        request, form, "vehicle_form", lines.profile_vehicle_add, _("The vehicle is now kept.")
    )


@login_required
@require_POST
def profile_goods_add(request: AuthedRequest) -> HttpResponse:
    form = GoodsForm(request.POST, prefix="goods")
    return _add(request, form, "goods_form", lines.profile_goods_add, _("The goods are now kept."))


@login_required
@require_POST
def profile_person_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    person = _kept(request, "people", pk, "사람", "Person")
    return post_action(
        request,
        lambda: lines.profile_person_remove(actor=request.user, person=person),
        success=_("%(name)s is no longer kept.") % {"name": person.name_ko},
        then=redirect("permits:profile"),
    )


@login_required
@require_POST
def profile_vehicle_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    vehicle = _kept(request, "vehicles", pk, "차량", "Vehicle")
    return post_action(
        request,
        lambda: lines.profile_vehicle_remove(actor=request.user, vehicle=vehicle),
        success=_("%(plate)s is no longer kept.") % {"plate": vehicle.plate_number},
        then=redirect("permits:profile"),
    )


@login_required
@require_POST
def profile_goods_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    goods = _kept(request, "goods", pk, "물품", "Goods")
    return post_action(
        request,
        lambda: lines.profile_goods_remove(actor=request.user, goods=goods),
        success=_("%(hs)s is no longer kept.") % {"hs": goods.hs_code},
        then=redirect("permits:profile"),
    )
