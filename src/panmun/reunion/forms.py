"""Forms of the reunion pages: shapes only; the rules live in the services."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AbsenceKind, LetterDirection, Need, RoundKind, SessionKind


class RoundForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RoundKind.choices)
    number = forms.IntegerField(label=_("Round number"), min_value=1, max_value=10_000)
    name = forms.CharField(label=_("Name"), max_length=200)
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=14, initial=3)
    places = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=10_000,
        initial=100,
        help_text=_(
            "Half go to applicants aged 90 and over; the criteria can be changed afterwards."
        ),
    )
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)


class CriteriaForm(forms.Form):
    criteria = forms.CharField(
        label=_("Selection criteria (JSON)"),
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "code"}),
    )

    def clean_criteria(self) -> Any:
        try:
            return json.loads(self.cleaned_data["criteria"])
        except json.JSONDecodeError as err:
            raise forms.ValidationError(
                _("Not valid JSON (line %(line)s, column %(col)s)."),
                params={"line": err.lineno, "col": err.colno},
            ) from err


class FreezeForm(forms.Form):
    seed_hex = forms.CharField(
        label=_("Seed (64 hexadecimal characters)"),
        required=False,
        max_length=64,
        help_text=_("Leave both blank for a secret random seed."),
    )
    seed_text = forms.CharField(
        label=_("Or the numbers of a public drawing"), required=False, max_length=500
    )


class RevertForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReservesForm(forms.Form):
    stratum = forms.CharField(label=_("Stratum"), max_length=100)
    count = forms.IntegerField(label=_("How many"), min_value=1, max_value=1000)


class InquiryForm(forms.Form):
    reply_due = forms.DateField(
        label=_("Reply due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class EventForm(forms.Form):
    venue = forms.CharField(label=_("Venue"), max_length=200)
    companions_limit = forms.IntegerField(
        label=_("Companions per family"), min_value=0, max_value=10
    )
    families_per_table = forms.IntegerField(
        label=_("Families per table"), min_value=1, max_value=20
    )


class SessionForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    kind = forms.ChoiceField(label=_("Session"), choices=SessionKind.choices)
    place = forms.CharField(label=_("Place"), max_length=200)


class ParticipantForm(forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("Needs"), choices=Need.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    table = forms.CharField(label=_("Table"), max_length=10, required=False)
    room = forms.CharField(label=_("Room"), max_length=20, required=False)


class PersonLineForm(forms.Form):
    """A companion (South) or a relative to meet (North)."""

    name = forms.CharField(label=_("Name"), max_length=100)
    relation = forms.CharField(label=_("Relation"), max_length=50)
    number = forms.IntegerField(
        label=_("Birth year or age"), required=False, min_value=0, max_value=3000
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        label=_("Took part"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
    )
    absence = forms.ChoiceField(
        label=_("Reason for absence"), choices=[("", "—"), *AbsenceKind.choices], required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    died_on = forms.CharField(label=_("Date of death"), max_length=10, required=False)


class WishesForm(forms.Form):
    requested_date = forms.DateField(
        label=_("Requested date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    room_choice = forms.CharField(label=_("Room chosen"), max_length=20, required=False)


class LetterForm(forms.Form):
    registry_no = forms.CharField(label=_("Applicant's registration number"), max_length=20)
    direction = forms.ChoiceField(label=_("Direction"), choices=LetterDirection.choices)
    addressee = forms.CharField(label=_("Addressee"), max_length=200)
    file_ref = forms.CharField(label=_("File reference"), max_length=300)
    sha256 = forms.CharField(label=_("SHA-256"), max_length=64, min_length=64)
    duration_seconds = forms.IntegerField(label=_("Length (seconds)"), min_value=1, max_value=14400)
    language = forms.CharField(label=_("Language"), max_length=20, initial="ko")
    recorded_on = forms.DateField(
        label=_("Recorded on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class LetterAdvanceForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
