"""The forms of the ministry's review pages. They read what was typed; the rules (which texts a
move needs, who may be assigned, what a list may hold) are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from panmun.accounts.models import OrganisationKind, User

from .access import can_review
from .models import PolicyMeasure
from .services.moves import MAX_TEXT
from .services.review import BULK_LIMIT


def _text(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=True,
    )


class DecisionForm(forms.Form):
    """The texts of a move, named as the service names them (`questions_ko`, `conditions_en`,
    `reasons_ko`, ...) so that its refusal lands on the field: which texts a move needs, and
    that both languages are there, the service checks. A move with no text has no fields."""

    def __init__(self, *args: Any, text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.text = text
        if text:
            self.fields[f"{text}_ko"] = _text(_("In Korean"))
            self.fields[f"{text}_en"] = _text(_("In English"))

    def texts(self) -> tuple[str, str]:
        if not self.text:
            return "", ""
        data = self.cleaned_data
        return data[f"{self.text}_ko"], data[f"{self.text}_en"]


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("Officer"), empty_label=_("Nobody")
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["officer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = officers()


def officers() -> QuerySet[User]:
    """The ministry's officers an approval may be given to (`access.can_review`)."""
    users = User.objects.filter(
        is_active=True, organisation__kind=OrganisationKind.MINISTRY
    ).select_related("organisation__side")
    return User.objects.filter(pk__in=[u.pk for u in users if can_review(u)]).order_by(
        "display_name", "pk"
    )


class ExceptionForm(forms.Form):
    measure = forms.ModelChoiceField(queryset=PolicyMeasure.objects.all(), label=_("Measure"))
    reason_ko = _text(_("Reason in Korean"))
    reason_en = _text(_("Reason in English"))


class BulkForm(forms.Form):
    MOVES = (
        ("start_review", _("Start review")),
        ("approve", _("Approve")),
        ("refuse", _("Refuse")),
    )
    move = forms.ChoiceField(choices=MOVES, label=_("Decision"))
    approvals = forms.TypedMultipleChoiceField(
        coerce=int, choices=(), label=_("Approvals"), required=False
    )
    ko = _text(_("Reasons in Korean (for a refusal)"))
    en = _text(_("Reasons in English (for a refusal)"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["approvals"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.valid_value = lambda value: str(value).isdigit() and len(str(value)) < 19  # type: ignore[method-assign]

    def clean_approvals(self) -> list[int]:
        ids = self.cleaned_data["approvals"]
        if len(ids) > BULK_LIMIT:
            raise forms.ValidationError(_("At most %(n)s approvals at once.") % {"n": BULK_LIMIT})
        return list(ids)
