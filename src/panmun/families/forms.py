"""Forms of the registry pages. They check the shape of the input; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from panmun.korean.calendars import Calendar, parse_partial_date

from .models import DnaSample, Person, Relation, ReplyResult, VitalStatus

PERSON_FIELDS = [
    "registry_no",
    "family_name",
    "given_name",
    "name_latin",
    "sex",
    "birth_date",
    "birth_calendar",
    "hometown",
    "father_name",
    "status",
    "death_date",
    "address",
    "phone",
    "email",
    "abroad",
    "country",
    "registered_on",
    "consent_share",
    "consent_on",
    "consent_name",
    "notes",
]
RELATIVE_FIELDS = [
    "family_name",
    "given_name",
    "name_latin",
    "sex",
    "birth_date",
    "birth_calendar",
    "hometown",
    "father_name",
    "status",
    "death_date",
]
DATE_HELP = _("YYYY, YYYY-MM or YYYY-MM-DD")


def clean_partial_date(value: str, calendar: str = "") -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        cal = Calendar(calendar) if calendar in ("solar", "lunar") else Calendar.UNKNOWN
        return str(parse_partial_date(value, cal))
    except ValueError as exc:
        raise forms.ValidationError(
            _("Not a date: write YYYY, YYYY-MM or YYYY-MM-DD."), code="date"
        ) from exc


class _PersonChecks(forms.ModelForm):  # type: ignore[type-arg]
    """What the person forms share. A model form itself (with no model of its own), so that
    `add_error` and `cleaned_data` are Django's: a mixin that declared them would shadow them."""

    def check_person(self) -> None:
        """Dates in their written shape; the rules of a person's record are the service's
        (`services.registry.check_person`)."""
        data = self.cleaned_data
        for name in ("birth_date", "death_date"):
            if name in data:
                try:
                    data[name] = clean_partial_date(
                        data[name], data.get("birth_calendar", "") if name == "birth_date" else ""
                    )
                except forms.ValidationError as err:
                    self.add_error(name, err)
        # Said on the field here: the database's own check would only name its constraint.
        if data.get("death_date") and data.get("status") != VitalStatus.DECEASED:
            self.add_error("death_date", _("Only a deceased person has a date of death."))


class PersonForm(_PersonChecks):
    class Meta:
        model = Person
        fields = PERSON_FIELDS
        error_messages = {
            "registry_no": {
                "unique": _("This registration number is already in use by another record.")
            }
        }
        widgets = {
            "birth_date": forms.TextInput(attrs={"placeholder": "1935-03-02"}),
            "death_date": forms.TextInput(attrs={"placeholder": "2019-11-30"}),
            "registered_on": forms.DateInput(attrs={"type": "date"}),
            "consent_on": forms.DateInput(attrs={"type": "date"}),
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registry_no"].required = True
        self.fields["status"].initial = VitalStatus.ALIVE

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.check_person()
        return self.cleaned_data


class RelativeForm(_PersonChecks):
    """A relative sought: the person, and how the applicant is related to them."""

    relation = forms.ChoiceField(label=_("relation"), choices=Relation.choices)
    last_known_place = forms.CharField(label=_("last known place"), max_length=200, required=False)
    separated_on = forms.CharField(
        label=_("date of separation"), max_length=10, required=False, help_text=DATE_HELP
    )

    class Meta:
        model = Person
        fields = RELATIVE_FIELDS

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.check_person()
        try:
            self.cleaned_data["separated_on"] = clean_partial_date(
                self.cleaned_data.get("separated_on", "")
            )
        except forms.ValidationError as err:
            self.add_error("separated_on", err)
        return self.cleaned_data


class DnaSampleForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = DnaSample
        fields = ["sample_id", "taken_on", "kind"]
        widgets = {"taken_on": forms.DateInput(attrs={"type": "date"})}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    dry_run = forms.BooleanField(label=_("Check only; write nothing"), required=False)


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    target_size = forms.IntegerField(
        label=_("Target size"), min_value=1, max_value=5000, initial=250
    )
    reply_due = forms.DateField(
        label=_("Reply due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReplyForm(forms.Form):
    """One answer of the other side, typed in."""

    request_id = forms.CharField(label=_("Request id"), max_length=20, required=False)
    result = forms.ChoiceField(label=_("Result"), choices=ReplyResult.choices)
    vital_status = forms.ChoiceField(
        label=_("Alive or deceased"), choices=VitalStatus.choices, initial=VitalStatus.UNKNOWN
    )
    death_date = forms.CharField(label=_("date of death"), max_length=10, required=False)
    family_name = forms.CharField(label=_("family name"), max_length=100, required=False)
    given_name = forms.CharField(label=_("given name"), max_length=100, required=False)
    sex = forms.ChoiceField(
        label=_("sex"), choices=[("", "—"), ("M", _("Male")), ("F", _("Female"))], required=False
    )
    birth_date = forms.CharField(label=_("birth date"), max_length=10, required=False)
    birthplace = forms.CharField(label=_("birthplace"), max_length=200, required=False)
    father_name = forms.CharField(label=_("father's name"), max_length=100, required=False)
    address = forms.CharField(label=_("address"), max_length=300, required=False)
    relatives = forms.CharField(
        label=_("relatives listed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
