"""The public page that checks a visit certificate (`/verify/`): no sign-in, for a border
official, a host or anyone holding one. A token comes in the address (the QR code's link), by
pasting, or as the certificate's PDF; the page says whether it is genuine, for whom, whether it
is valid today and whether it has been revoked — or why it is refused. The document number is
shown masked: the page is public. Any input gets an answer, never an error page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .certificate.document import MAX_PDF_BYTES
from .certificate.token import MAX_TOKEN_BYTES, Verdict
from .certificates import verify, verify_certificate_pdf
from .models import ApprovalKind


class VerifyForm(forms.Form):
    token = forms.CharField(
        label=_("Certificate code"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("The code under the QR code, beginning PV1."),
    )
    pdf = forms.FileField(
        label=_("Or the certificate's PDF file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_token(self) -> str:
        token = str(self.cleaned_data["token"]).strip()
        if len(token) > MAX_TOKEN_BYTES:
            raise forms.ValidationError(
                _("The code is too long: at most %(n)s characters.") % {"n": f"{MAX_TOKEN_BYTES:,}"}
            )
        return token

    def clean_pdf(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data.get("pdf")
        if upload is not None and upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(n)s MB.") % {"n": MAX_PDF_BYTES // 2**20}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("token") and not data.get("pdf"):
            raise forms.ValidationError(_("Paste the certificate's code or choose its PDF file."))
        return data


def verify_page(request: HttpRequest) -> HttpResponse:
    verdict: Verdict | None = None
    status = 200
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("pdf")
            if upload is not None:
                verdict = verify_certificate_pdf(upload.read(MAX_PDF_BYTES + 1))
            else:
                verdict = verify(form.cleaned_data["token"])
        else:
            status = 400
    else:
        token = request.GET.get("t", "")
        form = VerifyForm(initial={"token": token[:MAX_TOKEN_BYTES]})
        if token:
            verdict = verify(token)
    english = (get_language() or "ko").startswith("en")
    reasons = [r.en if english else r.ko for r in verdict.reasons] if verdict else []
    facts = verdict.facts if verdict else None
    kinds = dict(ApprovalKind.choices)
    approvals = [(kinds.get(kind, kind), ref) for kind, ref in facts.approvals] if facts else []
    return render(
        request,
        "permits/verify.html",
        {
            "form": form,
            "verdict": verdict,
            "reasons": reasons,
            "facts": facts,
            "approvals": approvals,
        },
        status=status,
    )
