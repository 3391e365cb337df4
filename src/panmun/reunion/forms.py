"""Forms of the reunion pages: shapes only; the rules live in the services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from panmun.common.bilingual import tr

from .criteria import EXCLUSIONS, RELATIONS, RULE_KINDS
from .models import AbsenceKind, Health, LetterDirection, Need, RoundKind, SessionKind, Willingness
from .words import EXCLUSION_WORDS, RELATION_WORDS, RULE_WORDS


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
    """The selection criteria as a form (인선 기준): age bands and their weights, the weights of
    the relations sought, the strata with their places, the candidates drawn per place and the
    exclusions. The form only gives them their shape: `criteria_document()` builds the criteria
    document, which `criteria.parse_criteria` (through the services) checks; its problems come
    back on the fields with `add_criteria_problems`.

    Rows: the bands and strata the document has, and blank ones to add (a blank row is left
    out). Field names: `band-<n>-min`, `band-<n>-weight`, `stratum-<n>-name`, `-places`,
    `-kind`, `-age`, `-registry_nos`, `relation-<code>`."""

    MAX_ROWS = 20
    BLANK_BANDS = 2
    BLANK_STRATA = 1

    reference_date = forms.DateField(
        label=_("Reference date (ages are counted in its year)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    unknown_age_weight = forms.FloatField(
        label=_("Weight when the age is not known"),
        widget=forms.NumberInput(attrs={"step": "any", "min": "0"}),
    )
    candidates_per_place = forms.IntegerField(
        label=_("Candidates drawn per place"),
        help_text=_(
            "About five candidates are drawn for each place, as many decline or cannot travel."
        ),
        widget=forms.NumberInput(attrs={"min": "1", "max": "20"}),
    )
    exclusions = forms.MultipleChoiceField(
        label=_("Exclusions"),
        required=False,
        choices=[(code, EXCLUSION_WORDS[code]) for code in EXCLUSIONS],
        widget=forms.CheckboxSelectMultiple,
    )
    bands = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_ROWS)
    strata = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_ROWS)

    def __init__(self, data: Any = None, *, document: dict[str, Any] | None = None) -> None:
        document = document or {}
        initial: dict[str, Any] = {
            "reference_date": document.get("reference_date"),
            "unknown_age_weight": document.get("unknown_age_weight", 1),
            "candidates_per_place": document.get("candidates_per_place", 5),
            "exclusions": list(document.get("exclusions", EXCLUSIONS)),
        }
        raw_bands = [b for b in document.get("age_weights", []) if isinstance(b, dict)]
        raw_strata = [x for x in document.get("strata", []) if isinstance(x, dict)]
        if data is not None:
            n_bands = self._count(data, "bands", len(raw_bands) + self.BLANK_BANDS)
            n_strata = self._count(data, "strata", len(raw_strata) + self.BLANK_STRATA)
        else:
            n_bands = len(raw_bands) + self.BLANK_BANDS
            n_strata = len(raw_strata) + self.BLANK_STRATA
        initial["bands"], initial["strata"] = n_bands, n_strata
        for n, band in enumerate(raw_bands):
            initial[f"band-{n}-min"] = band.get("min")
            initial[f"band-{n}-weight"] = band.get("weight")
        relations = document.get("relation_weights") or {}
        for code in RELATIONS:
            initial[f"relation-{code}"] = relations.get(code, 1) if relations else 1
        for n in range(len(raw_strata), n_strata):
            initial[f"stratum-{n}-kind"] = "age_at_least"  # a new stratum: most often by age
        for n, raw in enumerate(raw_strata):
            rule = raw.get("rule") or {"kind": "rest"}
            initial[f"stratum-{n}-name"] = raw.get("name")
            initial[f"stratum-{n}-places"] = raw.get("places")
            initial[f"stratum-{n}-kind"] = rule.get("kind", "rest")
            initial[f"stratum-{n}-age"] = rule.get("age")
            initial[f"stratum-{n}-registry_nos"] = "\n".join(rule.get("registry_nos") or [])
        super().__init__(data, initial=initial)
        number = {"step": "any", "min": "0"}
        for n in range(n_bands):
            self.fields[f"band-{n}-min"] = forms.IntegerField(
                label=_("From age"), required=False, widget=forms.NumberInput(attrs={"min": "0"})
            )
            self.fields[f"band-{n}-weight"] = forms.FloatField(
                label=_("Weight"), required=False, widget=forms.NumberInput(attrs=number)
            )
        for code in RELATIONS:
            self.fields[f"relation-{code}"] = forms.FloatField(
                label=RELATION_WORDS[code], widget=forms.NumberInput(attrs=number)
            )
        for n in range(n_strata):
            self.fields[f"stratum-{n}-name"] = forms.CharField(
                label=_("Name"), required=False, max_length=100
            )
            self.fields[f"stratum-{n}-places"] = forms.IntegerField(
                label=_("Places"), required=False, widget=forms.NumberInput(attrs={"min": "0"})
            )
            self.fields[f"stratum-{n}-kind"] = forms.ChoiceField(
                label=_("Who falls in it"),
                choices=[(kind, RULE_WORDS[kind]) for kind in RULE_KINDS],
                required=False,
            )
            self.fields[f"stratum-{n}-age"] = forms.IntegerField(
                label=_("Age at least"),
                required=False,
                widget=forms.NumberInput(attrs={"min": "0", "max": "150"}),
            )
            self.fields[f"stratum-{n}-registry_nos"] = forms.CharField(
                label=_("Registration numbers (one a line)"),
                required=False,
                max_length=200_000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.n_bands, self.n_strata = n_bands, n_strata
        self._band_rows: list[int] = []
        self._stratum_rows: list[int] = []

    @classmethod
    def _count(cls, data: Any, name: str, default: int) -> int:
        try:
            return max(0, min(int(data.get(name, default)), cls.MAX_ROWS))
        except (TypeError, ValueError):
            return default

    # The rows, for the template: each row's bound fields.
    def band_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"band-{n}-min"], self[f"band-{n}-weight"]) for n in range(self.n_bands)]

    def relation_fields(self) -> list[forms.BoundField]:
        return [self[f"relation-{code}"] for code in RELATIONS]

    def stratum_rows(self) -> list[dict[str, forms.BoundField]]:
        return [
            {
                part: self[f"stratum-{n}-{part}"]
                for part in ("name", "places", "kind", "age", "registry_nos")
            }
            for n in range(self.n_strata)
        ]

    def criteria_document(self) -> dict[str, Any]:
        """The criteria document the form holds (after `is_valid()`); blank rows left out."""
        data = self.cleaned_data
        bands = []
        self._band_rows = []
        for n in range(self.n_bands):
            low, weight = data.get(f"band-{n}-min"), data.get(f"band-{n}-weight")
            if low is None and weight is None:
                continue
            self._band_rows.append(n)
            bands.append({"min": low, "weight": _number(weight)})
        strata = []
        self._stratum_rows = []
        for n in range(self.n_strata):
            name = (data.get(f"stratum-{n}-name") or "").strip()
            places = data.get(f"stratum-{n}-places")
            kind = data.get(f"stratum-{n}-kind") or "rest"
            age = data.get(f"stratum-{n}-age")
            listed = [
                line.strip()
                for line in (data.get(f"stratum-{n}-registry_nos") or "").splitlines()
                if line.strip()
            ]
            if not name and places is None and age is None and not listed:
                continue
            rule: dict[str, Any] = {"kind": kind}
            if kind == "age_at_least":
                rule["age"] = age
            elif kind == "listed":
                rule["registry_nos"] = listed
            self._stratum_rows.append(n)
            strata.append({"name": name, "places": places, "rule": rule})
        reference = data.get("reference_date")
        return {
            "reference_date": reference.isoformat() if reference else "",
            "age_weights": bands,
            "unknown_age_weight": _number(data.get("unknown_age_weight")),
            "relation_weights": {code: _number(data.get(f"relation-{code}")) for code in RELATIONS},
            "strata": strata,
            "candidates_per_place": data.get("candidates_per_place"),
            "exclusions": [code for code in EXCLUSIONS if code in data.get("exclusions", [])],
        }

    def field_of(self, path: str) -> str | None:
        """The form field of a problem's place in the criteria document ("strata[1].places"
        → "stratum-<row>-places"), or None for the form as a whole."""
        found = _PATH.fullmatch(path)
        if not found:
            return None
        head, index, rest = found.group("head"), found.group("index"), found.group("rest") or ""
        if head == "age_weights" and index is not None:
            if int(index) >= len(self._band_rows):
                return None
            row = self._band_rows[int(index)]
            part = rest.lstrip(".") or "min"
            return f"band-{row}-{part}" if part in ("min", "weight") else None
        if head == "strata" and index is not None:
            if int(index) >= len(self._stratum_rows):
                return None
            row = self._stratum_rows[int(index)]
            part = rest.removeprefix(".").removeprefix("rule.") or "name"
            return f"stratum-{row}-{part}" if f"stratum-{row}-{part}" in self.fields else None
        if head == "relation_weights" and rest.startswith("."):
            name = f"relation-{rest[1:]}"
            return name if name in self.fields else None
        if head in ("reference_date", "unknown_age_weight", "candidates_per_place", "exclusions"):
            return head
        return None

    def add_criteria_problems(self, problems: list[dict[str, Any]], language: str) -> None:
        """The criteria's problems (a DomainError's details["errors"]) on their fields."""
        for problem in problems:
            reason = tr(problem.get("reason_ko", ""), problem.get("reason_en", ""), language)
            field = self.field_of(str(problem.get("field", "")))
            if field is None and problem.get("field"):
                reason = f"{self._group_label(str(problem['field']))}: {reason}"
            self.add_error(field, str(reason))

    def problem_lines(self) -> list[str]:
        """Every problem of the form as "field (row): problem", for the pool counts beside it."""
        lines = []
        for name, errors in self.errors.items():
            if name == "__all__":
                lines += [str(e) for e in errors]
                continue
            label = str(self.fields[name].label or name)
            found = re.match(r"(band|stratum)-(\d+)-", name)
            if found:
                label = f"{label} ({int(found.group(2)) + 1})"
            lines += [f"{label}: {e}" for e in errors]
        return lines

    @staticmethod
    def _group_label(path: str) -> str:
        head = path.split("[")[0].split(".")[0]
        labels = {
            "age_weights": _("Age bands"),
            "strata": _("Strata"),
            "relation_weights": _("Relation weights"),
        }
        return str(labels.get(head, head))


_PATH = re.compile(r"(?P<head>[a-z_]+)(?:\[(?P<index>\d+)\])?(?P<rest>\..*)?")


def _number(value: Any) -> Any:
    """A weight as the criteria document writes it: 19 rather than 19.0."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


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
    """After the reunion. Nothing is chosen until the officer chooses: "not recorded" is no
    answer, and taking part cannot be recorded before the first day (the service's rule)."""

    attended = forms.TypedChoiceField(
        label=_("Took part"),
        choices=[("", _("— not recorded —")), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        error_messages={"required": _("Say whether the family took part.")},
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


class CandidateCheckForm(forms.Form):
    """One drawn candidate's willingness, health and note (a row of the check sheet)."""

    willingness = forms.ChoiceField(label=_("Willingness"), choices=Willingness.choices)
    health = forms.ChoiceField(label=_("Health"), choices=Health.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CandidateFilterForm(forms.Form):
    """Which drawn candidates the check sheet shows: a stratum, those not yet checked."""

    stratum = forms.CharField(label=_("Stratum"), required=False, max_length=100)
    unchecked = forms.BooleanField(label=_("Not yet checked only"), required=False)
    page = forms.IntegerField(required=False, min_value=1)


class ChecksImportForm(forms.Form):
    file = forms.FileField(
        label=_("Check sheet (.xlsx or .csv)"),
        help_text=_(
            "The template below, filled in: draw id or registration number, willingness, "
            "health, note. Korean or English headers and values (있음/없음, 양호/불가) are read."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
