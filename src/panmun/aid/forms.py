"""Forms of the aid pages: shapes only (a date is a date, a choice is on its list); the rules
live in the services, whose refusals come back on these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from panmun.accounts.models import Organisation, OrganisationKind
from panmun.common.bilingual import tr

from .models import Activity, ActivityStatus, Channel, OrganisationRole, TargetGroup
from .services.activities import MAX_LINES, ORG_TYPES, ActivityData, ParticipantLine, SectorLine

DATE = {"type": "date"}


def _organisations(**filters: Any) -> list[tuple[str, str]]:
    return [
        ("", "—"),
        *[
            (str(o.pk), str(tr(o.name_ko, o.name_en)))
            for o in Organisation.objects.filter(**filters).order_by("pk")
        ],
    ]


class ActivityForm(forms.Form):
    """An activity's facts; its sectors and participating organisations are the formsets
    below. The identifier is typed once, when the activity is filed."""

    identifier = forms.CharField(
        label=_("IATI identifier"),
        max_length=200,
        help_text=_("The reporting organisation's identifier, '-', then your own: KR-MOU-2026-001"),
    )
    reporting_org_ref = forms.CharField(
        label=_("Reporting organisation's identifier"), max_length=100, initial="KR-MOU"
    )
    reporting_org_type = forms.ChoiceField(
        label=_("Reporting organisation's type"),
        choices=[(code, code) for code in ORG_TYPES],
        initial="10",
    )
    reporting_org_name_ko = forms.CharField(
        label=_("Reporting organisation (Korean)"), max_length=300, required=False
    )
    reporting_org_name_en = forms.CharField(
        label=_("Reporting organisation (English)"), max_length=300, required=False
    )
    title_ko = forms.CharField(label=_("Title (Korean)"), max_length=400)
    title_en = forms.CharField(label=_("Title (English)"), max_length=400)
    description_ko = forms.CharField(
        label=_("Description (Korean)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    status = forms.TypedChoiceField(
        label=pgettext_lazy("aid activity", "Status"),
        choices=ActivityStatus.choices,
        coerce=int,
        initial=ActivityStatus.PIPELINE,
    )
    planned_start = forms.DateField(
        label=_("Planned start"), required=False, widget=forms.DateInput(DATE)
    )
    planned_end = forms.DateField(
        label=_("Planned end"), required=False, widget=forms.DateInput(DATE)
    )
    actual_start = forms.DateField(
        label=_("Actual start"), required=False, widget=forms.DateInput(DATE)
    )
    actual_end = forms.DateField(
        label=_("Actual end"), required=False, widget=forms.DateInput(DATE)
    )
    humanitarian = forms.BooleanField(label=_("Humanitarian aid"), required=False, initial=True)
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    default_currency = forms.CharField(label=_("Default currency"), max_length=3, initial="KRW")
    region = forms.CharField(label=_("Region in the North"), max_length=100, required=False)
    recipient_organisation = forms.TypedChoiceField(
        label=_("Recipient organisation (North)"),
        choices=[],
        required=False,
        coerce=int,
        empty_value=None,
    )
    recipient_name_ko = forms.CharField(
        label=_("Recipient named in the agreement (Korean)"), max_length=300, required=False
    )
    recipient_name_en = forms.CharField(
        label=_("Recipient named in the agreement (English)"), max_length=300, required=False
    )
    parent = forms.TypedChoiceField(
        label=_("Parent activity"), choices=[], required=False, coerce=int, empty_value=None
    )
    organisation = forms.TypedChoiceField(
        label=_("Kept by"), choices=[], required=False, coerce=int, empty_value=None
    )
    exception_reason_ko = forms.CharField(
        label=_("Reason for an exception to the measures in force (Korean)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
        help_text=_("Supervisors only: files an activity a measure in force forbids, recorded."),
    )
    exception_reason_en = forms.CharField(
        label=_("Reason for an exception to the measures in force (English)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )

    def __init__(
        self,
        *args: Any,
        parents: list[Activity],
        ministry: bool,
        supervisor: bool = False,
        activity: Activity | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.activity = activity
        recipient = self.fields["recipient_organisation"]
        assert isinstance(recipient, forms.ChoiceField)
        recipient.choices = _organisations(side__code="north")
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ChoiceField)
        parent.choices = [("", "—"), *[(str(a.pk), a.identifier) for a in parents if a != activity]]
        if ministry:
            keeper = self.fields["organisation"]
            assert isinstance(keeper, forms.ChoiceField)
            keeper.choices = _organisations(
                side__code="south",
                kind__in=(OrganisationKind.MINISTRY, OrganisationKind.AID_ORGANISATION),
            )
        else:
            del self.fields["organisation"]
        if activity is not None:
            del self.fields["identifier"]
        if activity is not None or not supervisor:
            del self.fields["exception_reason_ko"]
            del self.fields["exception_reason_en"]

    def activity_data(
        self, sectors: list[SectorLine], participants: list[ParticipantLine]
    ) -> ActivityData:
        d = self.cleaned_data
        wanted = [pk for pk in (d.get("recipient_organisation"), d.get("organisation")) if pk]
        orgs: dict[int | None, Organisation] = {
            o.pk: o for o in Organisation.objects.filter(pk__in=wanted)
        }
        parent_pk: int | None = d.get("parent")
        parent = Activity.objects.filter(pk=parent_pk).first() if parent_pk else None
        return ActivityData(
            identifier=self.activity.identifier if self.activity else d["identifier"],
            reporting_org_ref=d["reporting_org_ref"],
            reporting_org_type=d["reporting_org_type"],
            reporting_org_name_ko=d["reporting_org_name_ko"],
            reporting_org_name_en=d["reporting_org_name_en"],
            title_ko=d["title_ko"],
            title_en=d["title_en"],
            description_ko=d["description_ko"],
            description_en=d["description_en"],
            channel=d["channel"],
            status=d["status"],
            planned_start=d["planned_start"],
            planned_end=d["planned_end"],
            actual_start=d["actual_start"],
            actual_end=d["actual_end"],
            humanitarian=d["humanitarian"],
            target_groups=d["target_groups"],
            default_currency=d["default_currency"].strip().upper(),
            region=d["region"],
            recipient_organisation=orgs.get(d.get("recipient_organisation")),
            recipient_name_ko=d["recipient_name_ko"],
            recipient_name_en=d["recipient_name_en"],
            parent=parent,
            organisation=orgs.get(d.get("organisation")),
            sectors=sectors,
            participants=participants,
            exception_reason_ko=d.get("exception_reason_ko", ""),
            exception_reason_en=d.get("exception_reason_en", ""),
        )

    @staticmethod
    def initial_of(data: ActivityData) -> dict[str, Any]:
        initial = {
            name: getattr(data, name)
            for name in (
                "identifier",
                "reporting_org_ref",
                "reporting_org_type",
                "reporting_org_name_ko",
                "reporting_org_name_en",
                "title_ko",
                "title_en",
                "description_ko",
                "description_en",
                "channel",
                "status",
                "planned_start",
                "planned_end",
                "actual_start",
                "actual_end",
                "humanitarian",
                "target_groups",
                "default_currency",
                "region",
                "recipient_name_ko",
                "recipient_name_en",
            )
        }
        initial["recipient_organisation"] = (
            data.recipient_organisation.pk if data.recipient_organisation else None
        )
        initial["parent"] = data.parent.pk if data.parent else None
        initial["organisation"] = data.organisation.pk if data.organisation else None
        return initial


class SectorForm(forms.Form):
    code = forms.CharField(label=_("Sector code (DAC 5-digit)"), max_length=40, required=False)
    percentage = forms.DecimalField(
        label=_("Share (%)"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    vocabulary = forms.CharField(label=_("Vocabulary"), max_length=10, initial="1", required=False)


class ParticipantForm(forms.Form):
    role = forms.TypedChoiceField(
        label=_("Role"), choices=[("", "—"), *OrganisationRole.choices], coerce=int, required=False
    )
    name_ko = forms.CharField(label=_("Name (Korean)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    ref = forms.CharField(label=_("Identifier"), max_length=100, required=False)
    org_type = forms.ChoiceField(
        label=_("Type"), choices=[("", "—"), *[(c, c) for c in ORG_TYPES]], required=False
    )


SectorFormSet = forms.formset_factory(
    SectorForm, extra=2, max_num=MAX_LINES, absolute_max=MAX_LINES
)
ParticipantFormSet = forms.formset_factory(
    ParticipantForm, extra=2, max_num=MAX_LINES, absolute_max=MAX_LINES
)


def sector_lines(formset: Any) -> tuple[list[SectorLine], list[int]]:
    """The sectors typed (blank rows left out), and the form each came from."""
    lines, rows = [], []
    for i, form in enumerate(formset.forms):
        d = getattr(form, "cleaned_data", {}) or {}
        if not (d.get("code") or "").strip() and d.get("percentage") is None:
            continue
        percentage = d.get("percentage")
        lines.append(
            SectorLine(
                (d.get("code") or "").strip(),
                (d.get("vocabulary") or "1").strip() or "1",
                "" if percentage is None else str(percentage),
            )
        )
        rows.append(i)
    return lines, rows


def participant_lines(formset: Any) -> tuple[list[ParticipantLine], list[int]]:
    lines, rows = [], []
    for i, form in enumerate(formset.forms):
        d = getattr(form, "cleaned_data", {}) or {}
        if not any((d.get(k) or "") for k in ("role", "name_ko", "name_en", "ref", "org_type")):
            continue
        lines.append(
            ParticipantLine(
                d.get("role") or 0,
                d.get("name_ko") or "",
                d.get("name_en") or "",
                d.get("ref") or "",
                d.get("org_type") or "",
            )
        )
        rows.append(i)
    return lines, rows
