"""Forms of the liaison pages: shapes only, and the body each form sends; the rules (who may
send what, what may answer what, what a body must hold) live in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from panmun.accounts.models import SideCode

from .ledger.entries import LIST_KINDS, format_time
from .models import Kind
from .services.calls import KST
from .services.messages import ANSWERS

#: What the compose page sends (answers are sent from the thread page).
COMPOSE_KINDS = (Kind.NOTICE, Kind.LETTER, Kind.PROPOSAL, Kind.LIST, Kind.AGREEMENT_TEXT)
LIST_KIND_LABELS = {
    "delegation": _("Delegation"),
    "tracing": _("Tracing"),
    "video_letters": _("Video letters"),
    "aid_receipt": _("Receipt of aid shipments"),
    "other": _("Other"),
}
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _lines(text: str) -> list[str]:
    """The non-blank lines of a text box, trimmed."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _korea_time(value: dt.datetime | None) -> dt.datetime | None:
    """A date and time typed in Korea time (a `datetime-local` field), as an aware time."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=KST)
    return value.astimezone(KST)


def _datetime_local(label: Any, required: bool) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("Korea time"),
    )


def _lines_box(label: Any, help_text: Any, rows: int = 3) -> forms.CharField:
    """A text box read one entry a line (see `_lines`)."""
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    side = forms.ChoiceField(
        label=_("Sent by"), required=False, choices=[("", _("Either side")), *SideCode.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    threads_only = forms.BooleanField(label=_("First messages of threads only"), required=False)

    def __init__(self, *args: Any, kinds: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *kinds]  # type: ignore[attr-defined]

    def value(self, name: str) -> Any:
        """The field's cleaned value, or its empty value where it did not clean."""
        data = getattr(self, "cleaned_data", {})
        empty = {"threads_only": False, "date_from": None, "date_to": None}
        return data.get(name) or empty.get(name, "")


class MeetingFields(forms.Form):
    """The meeting a proposal or a counter-proposal offers: all three blank for none."""

    meeting_starts_at = _datetime_local(_("Meeting starts"), required=False)
    meeting_place = forms.CharField(label=_("Meeting place"), required=False, max_length=300)
    meeting_agenda = _lines_box(_("Agenda"), _("One item a line."))

    def wants_meeting(self, data: dict[str, Any]) -> bool:
        """Whether the kind chosen carries a meeting (the other fields are let be)."""
        return True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = data.get("meeting_place") or data.get("meeting_agenda")
        if (
            self.wants_meeting(data)
            and given
            and not data.get("meeting_starts_at")
            and "meeting_starts_at" not in self.errors
        ):
            self.add_error("meeting_starts_at", _("Give the meeting's date and time."))
        return data

    def meeting(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        starts_at = _korea_time(data.get("meeting_starts_at"))
        if starts_at is None:
            return None
        return {
            "starts_at": format_time(starts_at),
            "place": data.get("meeting_place", "").strip(),
            "agenda": _lines(data.get("meeting_agenda", "")),
        }


class ComposeForm(MeetingFields):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(k.value, k.label) for k in COMPOSE_KINDS], initial=Kind.NOTICE
    )
    subject = forms.CharField(
        label=_("Subject or title"),
        required=False,
        max_length=300,
        help_text=_("The title of a list or an agreement text."),
    )
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    addressee = forms.CharField(label=_("Addressee (letters)"), required=False, max_length=200)
    signatory = forms.CharField(label=_("Signatory (letters)"), required=False, max_length=200)
    list_kind = forms.ChoiceField(
        label=_("List kind"),
        required=False,
        choices=[(k, LIST_KIND_LABELS[k]) for k in LIST_KINDS],
        initial="other",
    )
    items = _lines_box(_("List items"), _("One item a line."), rows=6)

    field_order = [
        "kind",
        "subject",
        "text",
        "addressee",
        "signatory",
        "meeting_starts_at",
        "meeting_place",
        "meeting_agenda",
        "list_kind",
        "items",
    ]

    def wants_meeting(self, data: dict[str, Any]) -> bool:
        return data.get("kind") == Kind.PROPOSAL

    def body(self) -> dict[str, Any]:
        """The body of the chosen kind, from the fields that kind uses."""
        data = self.cleaned_data
        kind = data["kind"]
        subject, text = data.get("subject", "").strip(), data.get("text", "")
        if kind == Kind.LIST:
            return {
                "list_kind": data.get("list_kind") or "other",
                "title": subject,
                "items": [{"text": line} for line in _lines(data.get("items", ""))],
                "source": None,
            }
        if kind == Kind.AGREEMENT_TEXT:
            return {"title": subject, "text": text}
        body: dict[str, Any] = {"subject": subject, "text": text}
        if kind == Kind.LETTER:
            if data.get("addressee", "").strip():
                body["addressee"] = data["addressee"].strip()
            body["signatory"] = data.get("signatory", "").strip()
        elif kind == Kind.PROPOSAL:
            body["meeting"] = self.meeting()
        return body


class AnswerForm(MeetingFields):
    """An answer to one entry of the other side: a reply, or to a proposal an acceptance or a
    counter-proposal (which offers a meeting of its own)."""

    kind = forms.ChoiceField(label=_("Answer with"), choices=[])
    subject = forms.CharField(
        label=_("Subject (counter-proposals)"), required=False, max_length=300
    )
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    field_order = ["kind", "subject", "text", "meeting_starts_at", "meeting_place"]

    def __init__(self, *args: Any, kinds: tuple[str, ...] = ANSWERS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, Kind(k).label) for k in kinds]  # type: ignore[attr-defined]

    def wants_meeting(self, data: dict[str, Any]) -> bool:
        return data.get("kind") == Kind.COUNTER_PROPOSAL

    def body(self) -> dict[str, Any]:
        data = self.cleaned_data
        if data["kind"] == Kind.COUNTER_PROPOSAL:
            return {
                "subject": data.get("subject", "").strip(),
                "text": data.get("text", ""),
                "meeting": self.meeting(),
            }
        return {"text": data.get("text", "")}


class MeetingRecordForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    held_at = _datetime_local(_("Held at"), required=True)
    place = forms.CharField(label=_("Place"), required=False, max_length=300)
    attendees_south = _lines_box(_("South's attendees"), _("One person a line."))
    attendees_north = _lines_box(_("North's attendees"), _("One person a line."))
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    outcomes = _lines_box(_("Outcomes"), _("One outcome a line."))
    record_talks = forms.BooleanField(
        label=_("Record as talks in the dialogue record"),
        required=False,
        help_text=_("The first outcome becomes the talks' outcome."),
    )

    def __init__(self, *args: Any, may_record_talks: bool = True, **kwargs: Any) -> None:
        """`may_record_talks`: whether the officer may write the dialogue record
        (`dialogue.access.can_edit_dialogue`: the South's keepers only); if not, the form does
        not offer to record the meeting as talks."""
        super().__init__(*args, **kwargs)
        if not may_record_talks:
            del self.fields["record_talks"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("record_talks") and not _lines(data.get("outcomes", "")):
            self.add_error("outcomes", _("Give at least one outcome to record the talks."))
        return data

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments of `meeting_record_send` (but the actor and the entry)."""
        data = self.cleaned_data
        outcomes: list[dict[str, Any]] = [
            {"text": line, "action": ""} for line in _lines(data.get("outcomes", ""))
        ]
        if data.get("record_talks") and outcomes:
            outcomes[0]["action"] = "talks"
        return {
            "title": data["title"].strip(),
            "held_at": _korea_time(data["held_at"]),
            "place": data.get("place", "").strip(),
            "attendees_south": _lines(data.get("attendees_south", "")),
            "attendees_north": _lines(data.get("attendees_north", "")),
            "minutes": data.get("minutes", ""),
            "outcomes": outcomes,
        }
