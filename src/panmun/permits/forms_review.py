"""The forms of the ministry's review pages. They read what was typed; the rules (which texts a
move needs, who may be assigned, what a list may hold) are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from panmun.accounts.models import User

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
    """The texts of a move: the questions, the conditions or the reasons, in both languages
    (which of them a move needs, and that both are there, the service checks)."""

    ko = _text(_("In Korean"))
    en = _text(_("In English"))


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
    users = User.objects.filter(is_active=True, organisation__kind="ministry").select_related(
        "organisation__side"
    )
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
