"""The IATI pages: import a file (the ministry's officers) and export a selection (the
ledger's readers). Import: all or nothing, every problem listed by file, line and element, and
the form shown again. Export: up to `MAX_EXPORT_ACTIVITIES` activities are downloaded at once;
a larger selection starts an `aid.iati_export` job, whose file the jobs page hands over."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from panmun.accounts.access import require
from panmun.accounts.requests import AuthedRequest
from panmun.common.pages import post_action
from panmun.jobs.services import job_start

from ..access import activities_for_user, can_keep_ledger, can_read_ledger
from ..services.iati import (
    MAX_EXPORT_ACTIVITIES,
    MAX_UPLOAD_BYTES,
    activities_by_identifier,
    iati_export,
    iati_import,
    upload_data,
)


class IatiImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("IATI 2.03 activity file (XML)"),
        help_text=gettext_lazy("All or nothing: on any problem, nothing is written."),
    )


class IatiExportForm(forms.Form):
    activities = forms.CharField(
        label=gettext_lazy("IATI identifiers"),
        help_text=gettext_lazy("One a line; leave empty for every activity you see."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=200_000,
    )

    def identifiers(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["activities"].splitlines() if line.strip()
        ]


def _page(
    request: AuthedRequest,
    *,
    import_form: IatiImportForm | None = None,
    export_form: IatiExportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_import = can_keep_ledger(request.user)
    return render(
        request,
        "aid/iati.html",
        {
            "import_form": import_form or (IatiImportForm() if can_import else None),
            "export_form": export_form or IatiExportForm(),
            "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
            "max_export": MAX_EXPORT_ACTIVITIES,
        },
        status=status,
    )


@login_required
@require_GET
def iati_page(request: AuthedRequest) -> HttpResponse:
    require(can_read_ledger(request.user))
    return _page(request)


@login_required
@require_POST
def iati_import_view(request: AuthedRequest) -> HttpResponse:
    require(can_keep_ledger(request.user))
    form = IatiImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name or "upload.xml"
        done = post_action(
            request,
            lambda: iati_import(actor=request.user, data=upload_data(upload, name), file=name),
            success=lambda result: (
                _("%(file)s: %(activities)d activities and %(transactions)d transactions imported.")
                % {
                    "file": name,
                    "activities": result.activities,
                    "transactions": result.transactions,
                }
            ),
            then=redirect("aid:activities"),
            form=form,
        )
        if done:
            return done
    return _page(request, import_form=form, status=422)


@login_required
@require_POST
def iati_export_view(request: AuthedRequest) -> HttpResponse:
    require(can_read_ledger(request.user))
    form = IatiExportForm(request.POST)
    if form.is_valid():
        named = form.identifiers()

        def export() -> HttpResponse:
            selection = activities_by_identifier(activities_for_user(request.user), named)
            if selection.count() > MAX_EXPORT_ACTIVITIES:
                job = job_start(
                    actor=request.user, kind="aid.iati_export", params={"activities": named}
                )
                return redirect(reverse("jobs:detail", args=[job.pk]))
            moment = timezone.now().replace(microsecond=0)
            response = HttpResponse(
                iati_export(selection, generated=moment), content_type="application/xml"
            )
            response["Content-Disposition"] = (
                f'attachment; filename="panmun-iati-{moment:%Y%m%d-%H%M%S}.xml"'
            )
            return response

        done = post_action(request, export, then=lambda response: response, form=form)
        if done:
            return done
    return _page(request, export_form=form, status=422)
