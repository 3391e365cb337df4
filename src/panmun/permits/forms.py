"""Forms of the applicants' pages: shapes only (a date is a date, a choice is on its list); the
rules live in the services (`services.applications`), whose refusals come back on these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from panmun.accounts.models import Organisation
from panmun.common.bilingual import tr

from .models import (
    AfterReason,
    Application,
    ApprovalKind,
    ContactMethod,
    ContactTiming,
    Destination,
    Direction,
    DocumentKind,
    EntryPoint,
    GoodsDirection,
    Sex,
    VehicleKind,
)
from .services.applications import KIND_FIELDS, ApplicationData, ContactExemption

DATE = {"type": "date"}


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


def _north_organisations() -> list[tuple[str, str]]:
    """The organisations of the North, named in the page's language."""
    return [
        ("", "—"),
        *[
            (str(o.pk), str(tr(o.name_ko, o.name_en)))
            for o in Organisation.objects.filter(side__code="north")
        ],
    ]


def _exemption_choices() -> list[tuple[str, str]]:
    return [
        ("", str(_("None of these: the contact is reported"))),
        *[(code, str(tr(ko, en))) for code, (ko, en) in ContactExemption.WORDS.items()],
    ]


class ApplicationForm(forms.Form):
    """The combined application (Tongtong, 2019): what is asked once, then each kind's own
    terms (`KIND_FIELDS`), shown for the kinds ticked. The kinds cannot change once filed: an
    application being amended shows them, not for editing."""

    purpose = forms.CharField(
        label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), strip=False
    )
    kinds = forms.MultipleChoiceField(
        label=_("Approvals asked for"),
        choices=ApprovalKind.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"data-kinds": ""}),
        help_text=_("One application; each kind ticked becomes an approval of its own."),
    )
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    destination = forms.ChoiceField(label=_("Destination"), choices=Destination.choices)
    destination_detail = forms.CharField(
        label=_("Destination in detail"), required=False, strip=False
    )
    entry_point = forms.ChoiceField(label=_("Entry and exit point"), choices=EntryPoint.choices)
    start_date = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    end_date = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs=DATE))
    north_partner = forms.CharField(
        label=_("Partner or inviter in the North, as the invitation names it"),
        required=False,
        strip=False,
    )
    north_organisation_id = forms.TypedChoiceField(
        label=_("The same organisation as Panmun knows it"),
        choices=_north_organisations,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("It then sees the visits it invited (names, dates and purpose)."),
    )
    # --- each kind's own terms -------------------------------------------------------------
    multiple = forms.BooleanField(label=_("Several visits within the period"), required=False)
    contact_exemption = forms.ChoiceField(
        label=_("Is the contact one the Act needs no report for?"),
        choices=_exemption_choices,
        required=False,
    )
    contact_date = forms.DateField(
        label=_("Date of the contact"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    contact_method = forms.ChoiceField(
        label=_("How the contact is made"), choices=_blank(ContactMethod.choices), required=False
    )
    contact_counterpart = forms.CharField(
        label=_("The other side's person or body"), required=False, strip=False
    )
    contact_timing = forms.ChoiceField(
        label=_("When it is reported"), choices=_blank(ContactTiming.choices), required=False
    )
    after_reason = forms.ChoiceField(
        label=_("Why it is reported afterwards"),
        choices=_blank(AfterReason.choices),
        required=False,
    )
    goods_direction = forms.ChoiceField(
        label=_("Carried out or in"), choices=_blank(GoodsDirection.choices), required=False
    )
    comprehensive = forms.BooleanField(
        label=_("Comprehensive (standing) approval: Gaeseong and Geumgangsan operations"),
        required=False,
    )
    humanitarian = forms.BooleanField(
        label=_("Humanitarian aid to vulnerable groups"), required=False
    )
    project_title = forms.CharField(label=_("Project name"), required=False, strip=False)
    project_partner = forms.CharField(label=_("Partner in the North"), required=False, strip=False)
    land_lease = forms.BooleanField(label=_("With a land lease"), required=False)
    lease_signed_on = forms.DateField(
        label=_("Lease signed on"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    crossing_date = forms.DateField(
        label=_("Date of the crossing"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    crossing_slot = forms.TimeField(
        label=_("Crossing slot"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    crossing_direction = forms.ChoiceField(
        label=_("Direction of the crossing"), choices=_blank(Direction.choices), required=False
    )

    COMMON = (
        "purpose",
        "kinds",
        "direction",
        "destination",
        "destination_detail",
        "entry_point",
        "start_date",
        "end_date",
        "north_partner",
        "north_organisation_id",
    )
    #: The fields of each kind's section of the form, in order.
    SECTIONS: dict[str, tuple[str, ...]] = {
        kind: (("contact_exemption",) if kind == ApprovalKind.CONTACT else ()) + names
        for kind, names in KIND_FIELDS.items()
    }

    def __init__(self, *args: Any, application: Application | None = None, **kwargs: Any) -> None:
        if application is not None and "initial" not in kwargs and not args:
            kwargs["initial"] = initial_of(application)
        super().__init__(*args, **kwargs)
        self.application = application
        if application is not None:
            kinds = self.fields["kinds"]
            kinds.disabled = True
            kinds.required = False
            kinds.help_text = _("The kinds of an application stay as filed: file a new one.")
            self.initial["kinds"] = list(application.approvals.values_list("kind", flat=True))

    def common_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.COMMON]

    def sections(self) -> list[dict[str, Any]]:
        """Each kind's section: its label, whether it is ticked, and its fields."""
        ticked = set(self._ticked())
        return [
            {
                "kind": kind,
                "label": ApprovalKind(kind).label,
                "ticked": kind in ticked,
                "fields": [self[name] for name in names],
            }
            for kind, names in self.SECTIONS.items()
        ]

    def _ticked(self) -> list[str]:
        if self.application is not None:
            return list(self.initial.get("kinds", []))
        if self.is_bound:
            return self.data.getlist("kinds") if hasattr(self.data, "getlist") else []
        return list(self.initial.get("kinds", []))

    def application_data(self) -> ApplicationData:
        """What the service takes; each kind's terms only for the kinds asked for."""
        data = self.cleaned_data
        kinds = self._ticked() if self.application is not None else list(data["kinds"])
        terms: dict[str, dict[str, Any]] = {}
        for kind in kinds:
            if kind not in KIND_FIELDS:
                continue
            terms[kind] = {name: data.get(name) for name in KIND_FIELDS[kind]}
        return ApplicationData(
            purpose=data["purpose"],
            kinds=kinds,
            direction=data["direction"],
            destination=data["destination"],
            destination_detail=data["destination_detail"],
            entry_point=data["entry_point"],
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
            north_partner=data["north_partner"],
            north_organisation_id=data.get("north_organisation_id"),
            terms=terms,
            contact_exemption=(
                (data.get("contact_exemption") or "") if ApprovalKind.CONTACT in kinds else ""
            ),
        )


def initial_of(application: Application) -> dict[str, Any]:
    """The form's values from an application as filed."""
    initial: dict[str, Any] = {
        name: getattr(application, name) for name in ApplicationForm.COMMON if name != "kinds"
    }
    for approval in application.approvals.all():
        for name in KIND_FIELDS.get(approval.kind, ()):
            initial[name] = getattr(approval, name)
    return initial


# --- what an application lists, and the applicant's profile -----------------------------------
# Every value is typed as text and checked by the services (`people`): a refusal names every
# field at once, on the form, with what was typed.


def _text(label: Any, **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, strip=False, widget=forms.TextInput(attrs=attrs)
    )


def _pick(label: Any, choices: list[tuple[str, Any]]) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Select(choices=_blank(choices))
    )


class PersonForm(forms.Form):
    """A person as an approval names them: a traveller, or one the profile keeps."""

    name_ko = _text(_("Name (Korean)"))
    name_latin = _text(_("Name in Latin letters (as in the passport)"))
    sex = _pick(_("Sex"), Sex.choices)
    birth_date = _text(_("Birth date"), type="date")
    document_kind = _pick(_("Identity document"), DocumentKind.choices)
    document_number = _text(_("Document number"))
    nationality = _text(_("Nationality (e.g. KR)"))
    phone = _text(_("Telephone"))
    email = _text(pgettext_lazy("contact method", "E-mail"))


class VehicleForm(forms.Form):
    plate_number = _text(_("Plate number"))
    vehicle_kind = _pick(_("Kind of vehicle"), VehicleKind.choices)
    make_model = _text(_("Make and model"))

    def __init__(self, *args: Any, drivers: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if drivers is not None:
            self.fields["driver"] = forms.ChoiceField(
                label=_("Driver"), required=False, choices=[("", "—"), *drivers]
            )


class GoodsForm(forms.Form):
    """Goods as the profile keeps them."""

    hs_code = _text(_("HS code (6 digits)"))
    description = _text(_("Item"))
    unit = _text(_("Unit (e.g. kg)"))
    currency = _text(_("Currency (e.g. USD)"))


class GoodsLineForm(GoodsForm):
    """An item of a goods approval or of a crossing plan's cargo."""

    quantity = _text(_("Quantity"), inputmode="decimal")
    value = _text(_("Value"), inputmode="decimal")

    field_order = ["hs_code", "description", "quantity", "unit", "value", "currency"]


class PeopleFileForm(forms.Form):
    file = forms.FileField(
        label=_("People list (.xlsx or .csv)"),
        help_text=_(
            "One person a row; Korean or English headers (이름 / name_ko, 성별 / sex, 생년월일 / "
            "birth_date, 신분증 종류 / document_kind, 신분증 번호 / document_number, ...). CSV in "
            "UTF-8 or CP949. All of it is saved, or nothing and every bad row is named."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    replace = forms.BooleanField(
        label=_("Replace the people already listed"), required=False, initial=True
    )


class ProfilePeopleForm(forms.Form):
    people_ids = forms.MultipleChoiceField(
        label=_("People kept in your profile"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people_ids = self.fields["people_ids"]
        assert isinstance(people_ids, forms.MultipleChoiceField)
        people_ids.choices = people
