"""What an application lists, from its page: its people (one by one, from a people list, from
the applicant's profile), its vehicles and each goods approval's items. A refused form comes
back on the application's page with what was typed and every problem on its field; a refused
people list names every bad row by file, row and field, and nothing is written."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panmun.accounts.access import get_or_404
from panmun.accounts.requests import AuthedRequest
from panmun.common.pages import post_action

from ...forms import GoodsLineForm, PeopleFileForm, PersonForm, ProfilePeopleForm, VehicleForm
from ...people_file import MAX_FILE_BYTES
from ...services import lines
from .application import _application, _approval, _profile_people, application_page_of


def _back(pk: int) -> HttpResponse:
    return redirect("permits:application", pk=pk)


def _values(form: Any) -> dict[str, str]:
    return {name: value or "" for name, value in form.cleaned_data.items()}


@login_required
@require_POST
def traveller_add(request: AuthedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = PersonForm(request.POST, prefix="traveller")
    if form.is_valid():
        values = _values(form)
        done = post_action(
            request,
            lambda: lines.traveller_add(actor=request.user, application=application, values=values),
            success=lambda t: _("%(name)s has been added to the list.") % {"name": t.name_ko},
            then=lambda _t: _back(application.pk),
            form=form,
        )
        if done:
            return done
    return application_page_of(request, application, status=422, traveller_form=form)


@login_required
@require_POST
def traveller_remove(request: AuthedRequest, pk: int, traveller_pk: int) -> HttpResponse:
    application = _application(request, pk)
    traveller = get_or_404(application.travellers.all(), traveller_pk, "사람", "Person")
    return post_action(
        request,
        lambda: lines.traveller_remove(actor=request.user, traveller=traveller),
        success=_("%(name)s has been taken off the list.") % {"name": traveller.name_ko},
        then=_back(application.pk),
    )


@login_required
@require_POST
def travellers_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = PeopleFileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        replace = form.cleaned_data["replace"]
        data = upload.read(MAX_FILE_BYTES + 1)
        done = post_action(
            request,
            lambda: lines.travellers_import(
                actor=request.user,
                application=application,
                file_name=upload.name or "people",
                data=data,
                replace=replace,
            ),
            success=lambda n: _("%(count)s people read from the list.") % {"count": n},
            then=lambda _n: _back(application.pk),
            form=form,
        )
        if done:
            return done
    return application_page_of(request, application, status=422, people_file_form=form)


@login_required
@require_POST
def travellers_from_profile(request: AuthedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = ProfilePeopleForm(request.POST, people=_profile_people(request.user))
    if form.is_valid():
        chosen = form.cleaned_data["people_ids"]
        done = post_action(
            request,
            lambda: lines.travellers_from_profile(
                actor=request.user, application=application, people_ids=chosen
            ),
            success=lambda added: (
                _("%(count)s people added from your profile.") % {"count": len(added)}
            ),
            then=lambda _added: _back(application.pk),
            form=form,
        )
        if done:
            return done
    return application_page_of(request, application, status=422, profile_people_form=form)


@login_required
@require_POST
def vehicle_add(request: AuthedRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    travellers = {str(t.pk): t for t in application.travellers.all()}
    drivers = [(key, t.name_ko) for key, t in travellers.items()]
    form = VehicleForm(request.POST, prefix="vehicle", drivers=drivers)
    if form.is_valid():
        values = _values(form)
        driver = travellers.get(values.pop("driver", ""))
        done = post_action(
            request,
            lambda: lines.vehicle_add(
                actor=request.user, application=application, values=values, driver=driver
            ),
            success=lambda v: (
                _("The vehicle %(plate)s has been added.") % {"plate": v.plate_number}
            ),
            then=lambda _v: _back(application.pk),
            form=form,
        )
        if done:
            return done
    return application_page_of(request, application, status=422, vehicle_form=form)


@login_required
@require_POST
def vehicle_remove(request: AuthedRequest, pk: int, vehicle_pk: int) -> HttpResponse:
    application = _application(request, pk)
    vehicle = get_or_404(application.vehicles.all(), vehicle_pk, "차량", "Vehicle")
    return post_action(
        request,
        lambda: lines.vehicle_remove(actor=request.user, vehicle=vehicle),
        success=_("The vehicle %(plate)s has been taken off.") % {"plate": vehicle.plate_number},
        then=_back(application.pk),
    )


@login_required
@require_POST
def goods_line_add(request: AuthedRequest, pk: int) -> HttpResponse:
    approval = _approval(request, pk)
    form = GoodsLineForm(request.POST, prefix=f"goods-{approval.pk}")
    if form.is_valid():
        values = _values(form)
        done = post_action(
            request,
            lambda: lines.goods_line_add(actor=request.user, approval=approval, values=values),
            success=lambda line: _("The item %(hs)s has been added.") % {"hs": line.hs_code},
            then=lambda _line: _back(approval.application_id),
            form=form,
        )
        if done:
            return done
    return application_page_of(
        request, approval.application, status=422, goods_forms={approval.pk: form}
    )


@login_required
@require_POST
def goods_line_remove(request: AuthedRequest, pk: int, line_pk: int) -> HttpResponse:
    approval = _approval(request, pk)
    line = get_or_404(approval.goods_lines.all(), line_pk, "물품", "Goods item")
    return post_action(
        request,
        lambda: lines.goods_line_remove(actor=request.user, line=line),
        success=_("The item %(hs)s has been taken off.") % {"hs": line.hs_code},
        then=_back(approval.application_id),
    )
