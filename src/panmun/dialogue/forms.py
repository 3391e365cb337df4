"""Page forms for the dialogue record. They only collect input; the services validate and write."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from panmun.accounts.models import SideCode

from .models import AgreementStatus, DatePrecision, TalksLevel, Topic

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})


class TalksForm(forms.Form):
    title_ko = forms.CharField(label=_("Title (Korean)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300)
    level = forms.ChoiceField(label=_("Level"), choices=TalksLevel.choices)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), widget=DATE, required=False)
    date_precision = forms.ChoiceField(label=_("Date precision"), choices=DatePrecision.choices[:3])
    place_ko = forms.CharField(label=_("Place (Korean)"), max_length=200, required=False)
    place_en = forms.CharField(label=_("Place (English)"), max_length=200, required=False)
    agenda_ko = forms.CharField(label=_("Agenda (Korean)"), widget=TEXT, required=False)
    agenda_en = forms.CharField(label=_("Agenda (English)"), widget=TEXT, required=False)
    outcome_ko = forms.CharField(label=_("Outcome (Korean)"), widget=TEXT, required=False)
    outcome_en = forms.CharField(label=_("Outcome (English)"), widget=TEXT, required=False)
    agreements = forms.MultipleChoiceField(
        label=_("Agreements concluded"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    note_ko = forms.CharField(label=_("Note (Korean)"), widget=TEXT, required=False)
    note_en = forms.CharField(label=_("Note (English)"), widget=TEXT, required=False)

    def __init__(
        self, *args: Any, agreement_choices: Sequence[tuple[str, str]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        agreements = self.fields["agreements"]
        assert isinstance(agreements, forms.MultipleChoiceField)
        agreements.choices = agreement_choices


class DelegateForm(forms.Form):
    side = forms.ChoiceField(label=_("Side"), choices=SideCode.choices)
    # Blank rows are skipped, so a row needs a name only to count.
    name_ko = forms.CharField(label=_("Name (Korean)"), max_length=100, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    title_ko = forms.CharField(label=_("Position (Korean)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Position (English)"), max_length=200, required=False)
    is_head = forms.BooleanField(label=_("Head of delegation"), required=False)


DelegateFormSet = forms.formset_factory(DelegateForm, extra=2, can_delete=True, max_num=60)


class AgreementForm(forms.Form):
    title_ko = forms.CharField(label=_("Title (Korean)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300)
    signed_on = forms.DateField(label=_("Date signed"), widget=DATE, required=False)
    date_precision = forms.ChoiceField(label=_("Date precision"), choices=DatePrecision.choices)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    parties = forms.MultipleChoiceField(
        label=_("Parties"),
        choices=SideCode.choices,
        initial=[SideCode.SOUTH, SideCode.NORTH],
        widget=forms.CheckboxSelectMultiple,
    )
    provisions_ko = forms.CharField(
        label=_("Provisions (Korean), one per line"), widget=forms.Textarea(attrs={"rows": 6})
    )
    provisions_en = forms.CharField(
        label=_("Provisions (English), one per line, in the same order"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    note_ko = forms.CharField(label=_("Note (Korean)"), widget=TEXT, required=False)
    note_en = forms.CharField(label=_("Note (English)"), widget=TEXT, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        ko = [line.strip() for line in data.get("provisions_ko", "").splitlines() if line.strip()]
        en = [line.strip() for line in data.get("provisions_en", "").splitlines() if line.strip()]
        if len(ko) != len(en):
            raise forms.ValidationError(
                _(
                    "The Korean and English provisions must have the same number of lines "
                    "(%(ko)d and %(en)d)."
                )
                % {"ko": len(ko), "en": len(en)}
            )
        data["provisions"] = [
            {"number": i + 1, "text_ko": k, "text_en": e}
            for i, (k, e) in enumerate(zip(ko, en, strict=True))
        ]
        return data


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=AgreementStatus.choices)
    effective_on = forms.DateField(label=_("Effective from"), widget=DATE, required=False)
    note_ko = forms.CharField(label=_("Reason (Korean)"), widget=TEXT, required=False)
    note_en = forms.CharField(label=_("Reason (English)"), widget=TEXT, required=False)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
