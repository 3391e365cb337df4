"""Crossings between the South and the complex: the timetables of slots in force from a day,
the day's plan per slot (built from the crossing plans approved in the permits app, sent to the
North through the liaison log and consented to there), the gate's events, the flags that stop a
person or a vehicle at the gate, who is inside now, and the orders to leave.

Directions are the South's words: *out* (출경) is leaving the South for the complex, *in* (입경)
is coming back. A person or vehicle is inside the complex when the last event that let it pass
was *out*: `Presence` keeps that answer, one row per subject inside, written in the same
transaction as the event (and recomputed from the events by occurrence time when events arrive
late from an offline gate)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .firms import Firm


class CrossingDirection(models.TextChoices):
    OUT = "out", pgettext_lazy("crossing direction", "Out (to the complex)")
    IN = "in", pgettext_lazy("crossing direction", "In (back to the South)")


class CrossingMode(models.TextChoices):
    SLOTS = "slots", _("Fixed slots")
    RFID = "rfid", _("Any time on the booked day (RFID)")


class Season(models.TextChoices):
    ALL = "all", pgettext_lazy("season", "All year")
    SUMMER = "summer", pgettext_lazy("season", "Summer")
    WINTER = "winter", pgettext_lazy("season", "Winter")


class Timetable(models.Model):
    """The crossing rules in force from `effective_from` until the next timetable's day."""

    effective_from = models.DateField(unique=True)
    name_ko = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    mode = models.CharField(max_length=8, choices=CrossingMode.choices, default=CrossingMode.SLOTS)
    #: The military guarantee of passage (07:00–22:00 from 13 December 2007); null: none known.
    guarantee_from = models.TimeField(null=True, blank=True)
    guarantee_to = models.TimeField(null=True, blank=True)
    #: Limits of the period (1 December 2008: 250 people and 150 vehicles a slot, 880
    #: residents at most); null: no limit.
    people_per_slot = models.PositiveIntegerField(null=True, blank=True)
    vehicles_per_slot = models.PositiveIntegerField(null=True, blank=True)
    residents_max = models.PositiveIntegerField(null=True, blank=True)
    #: Months (1–12) of the winter timetable, comma-separated; empty: no winter timetable.
    winter_months = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from} {self.name_ko}"


class Slot(models.Model):
    """One crossing window of a timetable: a direction, the season it applies in, its opening
    and closing times (local time, Asia/Seoul)."""

    timetable = models.ForeignKey(Timetable, on_delete=models.CASCADE, related_name="slots")
    direction = models.CharField(max_length=3, choices=CrossingDirection.choices)
    season = models.CharField(max_length=6, choices=Season.choices, default=Season.ALL)
    opens_at = models.TimeField()
    closes_at = models.TimeField()
    people_limit = models.PositiveIntegerField(null=True, blank=True)
    vehicles_limit = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["timetable", "direction", "season", "opens_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["timetable", "direction", "season", "opens_at"],
                name="complex_slot_once",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="complex_slot_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.opens_at:%H:%M}"


class PlanState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("crossing plan state", "Draft")
    SENT = "sent", pgettext_lazy("crossing plan state", "Sent to the North")
    CONSENTED = "consented", pgettext_lazy("crossing plan state", "Consented")
    REFUSED = "refused", pgettext_lazy("crossing plan state", "Refused by the North")


class DayPlan(models.Model):
    """The list of one day's slot (or, in the RFID mode, of the whole day: `slot` empty), built
    from the approved crossing plans; sent to the North as a signed list in the liaison log,
    and consented to (or refused) by the North's signed answer. No consent, no crossing."""

    day = models.DateField()
    slot = models.ForeignKey(
        Slot, null=True, blank=True, on_delete=models.PROTECT, related_name="day_plans"
    )
    direction = models.CharField(max_length=3, choices=CrossingDirection.choices)
    state = models.CharField(max_length=10, choices=PlanState.choices, default=PlanState.DRAFT)
    sent_entry = models.ForeignKey(
        "liaison.Entry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    answer_entry = models.ForeignKey(
        "liaison.Entry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "direction", "slot__opens_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "slot"],
                condition=Q(slot__isnull=False),
                name="complex_dayplan_slot_once",
            ),
            models.UniqueConstraint(
                fields=["day", "direction"],
                condition=Q(slot__isnull=True),
                name="complex_dayplan_rfid_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.slot or self.get_direction_display()}"


class Subject(models.TextChoices):
    PERSON = "person", pgettext_lazy("crossing subject", "Person")
    VEHICLE = "vehicle", pgettext_lazy("crossing subject", "Vehicle")


class LineState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("plan line state", "Planned")
    #: Added or changed after the plan was sent: waits for the North's consent again.
    CHANGED = "changed", pgettext_lazy("plan line state", "Changed, awaiting consent")
    WITHDRAWN = "withdrawn", pgettext_lazy("plan line state", "Withdrawn")


class PlanLine(models.Model):
    """A person or a vehicle on a day's plan, from one approved crossing plan (a permits
    `Approval` of kind `crossing`). `key` is what the gate scans or types: the person's
    document number or the vehicle's plate, normalised (`crossings.subject_key`)."""

    plan = models.ForeignKey(DayPlan, on_delete=models.CASCADE, related_name="lines")
    approval = models.ForeignKey(
        "permits.Approval", on_delete=models.PROTECT, related_name="crossing_lines"
    )
    subject = models.CharField(max_length=8, choices=Subject.choices)
    traveller = models.ForeignKey(
        "permits.Traveller", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    vehicle = models.ForeignKey(
        "permits.Vehicle", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    firm = models.ForeignKey(
        Firm, null=True, blank=True, on_delete=models.PROTECT, related_name="plan_lines"
    )
    key = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=LineState.choices, default=LineState.PLANNED)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "subject", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "subject", "key"], name="complex_planline_once"
            ),
            models.CheckConstraint(
                condition=(Q(subject="person", vehicle__isnull=True))
                | (Q(subject="vehicle", traveller__isnull=True)),
                name="complex_planline_subject",
            ),
        ]
        indexes = [models.Index(fields=["subject", "key"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"


class FlagSource(models.TextChoices):
    MANUAL = "manual", pgettext_lazy("flag source", "Raised by an officer")
    STAY = "stay", pgettext_lazy("flag source", "Stay overdue")
    QUARANTINE = "quarantine", pgettext_lazy("flag source", "Quarantine")


class GateFlag(models.Model):
    """A flag that stops a person or a vehicle at the gate, with instructions for the gate's
    staff, until it is lifted."""

    subject = models.CharField(max_length=8, choices=Subject.choices)
    key = models.CharField(max_length=40)
    name = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=12, choices=FlagSource.choices, default=FlagSource.MANUAL)
    reason = models.CharField(max_length=500)
    instructions = models.TextField(blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["subject", "key"])]

    def __str__(self) -> str:
        return f"{self.key}: {self.reason}"


class EventOutcome(models.TextChoices):
    PASSED = "passed", pgettext_lazy("gate outcome", "Let through")
    REFUSED = "refused", pgettext_lazy("gate outcome", "Refused")


class EventSource(models.TextChoices):
    SCAN = "scan", pgettext_lazy("gate event source", "Scanned")
    TYPED = "typed", pgettext_lazy("gate event source", "Typed")
    PAPER = "paper", pgettext_lazy("gate event source", "From the paper list")
    OFFLINE = "offline", pgettext_lazy("gate event source", "Recorded offline")


class GateEvent(models.Model):
    """One check-out or check-in of a person or a vehicle at the gate, let through or refused,
    with the officer and the real time. `uid` is made where the event was recorded (the gate's
    terminal, online or not), so an event merged twice is stored once."""

    uid = models.UUIDField(unique=True, default=uuid.uuid4)
    subject = models.CharField(max_length=8, choices=Subject.choices)
    key = models.CharField(max_length=40)
    name = models.CharField(max_length=200, blank=True)
    direction = models.CharField(max_length=3, choices=CrossingDirection.choices)
    outcome = models.CharField(max_length=8, choices=EventOutcome.choices)
    #: Why a refusal: a stable code (`no_approval`, `not_on_plan`, `flagged`, …) and the text.
    refusal_code = models.CharField(max_length=40, blank=True)
    refusal_detail = models.CharField(max_length=500, blank=True)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    day = models.DateField()
    plan = models.ForeignKey(
        DayPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    line = models.ForeignKey(
        PlanLine, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    firm = models.ForeignKey(
        Firm, null=True, blank=True, on_delete=models.PROTECT, related_name="gate_events"
    )
    #: The plate of the vehicle a person crossed in, if any.
    vehicle_key = models.CharField(max_length=40, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gate_events"
    )
    source = models.CharField(max_length=8, choices=EventSource.choices, default=EventSource.TYPED)
    terminal = models.CharField(max_length=60, blank=True)
    #: The gate officer saw the crosser's quarantine inspection (required while the epidemic
    #: mode is on: every crosser is inspected).
    inspected = models.BooleanField(default=False)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["subject", "key", "occurred_at"]),
            models.Index(fields=["day", "direction"]),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at} {self.direction} {self.key} {self.outcome}"


class Presence(models.Model):
    """A person or vehicle inside the complex now: the last event that let it pass was *out*.
    `resident` marks a person staying (a crossing plan over more than the day) apart from a
    day's visit."""

    subject = models.CharField(max_length=8, choices=Subject.choices)
    key = models.CharField(max_length=40)
    name = models.CharField(max_length=200, blank=True)
    firm = models.ForeignKey(
        Firm, null=True, blank=True, on_delete=models.PROTECT, related_name="presences"
    )
    since = models.DateTimeField()
    event = models.ForeignKey(GateEvent, on_delete=models.PROTECT, related_name="+")
    resident = models.BooleanField(default=False)
    vehicle_key = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["subject", "key"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "key"], name="complex_presence_once"),
        ]
        indexes = [models.Index(fields=["firm", "subject"])]

    def __str__(self) -> str:
        return f"{self.subject} {self.key}"


class EvacuationState(models.TextChoices):
    IN_FORCE = "in_force", pgettext_lazy("evacuation state", "In force")
    CLOSED = "closed", pgettext_lazy("evacuation state", "Closed")


class EvacuationOrder(models.Model):
    """An order to leave the complex: from `issued_at` the complex is in evacuation mode (no
    one crosses *out*; everyone inside is to cross *in* by `deadline`, except those allowed to
    stay) until the order is closed."""

    issued_at = models.DateTimeField()
    deadline = models.DateTimeField()
    issued_by_ko = models.CharField(max_length=300)
    issued_by_en = models.CharField(max_length=300, blank=True)
    terms = models.TextField(blank=True)
    may_take = models.TextField(blank=True)
    state = models.CharField(
        max_length=10, choices=EvacuationState.choices, default=EvacuationState.IN_FORCE
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    manifest_entry = models.ForeignKey(
        "liaison.Entry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("issued_at")), name="complex_evacuation_order"
            ),
            # At most one order in force at a time (the evacuation part's rule).
            models.UniqueConstraint(
                fields=["state"],
                condition=Q(state="in_force"),
                name="complex_evacuation_one_in_force",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issued_at:%Y-%m-%d %H:%M} → {self.deadline:%H:%M}"
