"""Stay and communications in the complex.

Stay (체류): a South Korean's time in the complex, from arrival (the check-out, 출경, at the
South's gate) to departure, registered with the North's side by the management committee
(체류등록), extended, or registered as residence (거주등록) beyond a year, each with its fee
(the rules: `complex.stay_rules`). A stay whose deadline has passed flags the person at the gate
(`GateFlag`, source `stay`) until it is put right.

Communications (통신): the firms' telephone lines (KT, from 28 December 2005), their calls and
the monthly bills (the tariff: `complex.comms_rules`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from .firms import Firm


class StayClass(models.TextChoices):
    SHORT = "short", pgettext_lazy("stay class", "Short stay (up to 90 days)")
    LONG = "long", pgettext_lazy("stay class", "Long stay (from 91 days)")
    RESIDENCE = "residence", pgettext_lazy("stay class", "Residence (over a year)")


class Stay(models.Model):
    """One person's stay: open while `departed_at` is empty. `key` is the person's document
    number normalised as the gate's (`services.stay.stay_key`); one open stay per key."""

    key = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    firm = models.ForeignKey(
        Firm, null=True, blank=True, on_delete=models.PROTECT, related_name="stays"
    )
    traveller = models.ForeignKey(
        "permits.Traveller", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approval = models.ForeignKey(
        "permits.Approval", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    arrived_at = models.DateTimeField()
    planned_departure = models.DateField(null=True, blank=True)
    departed_at = models.DateTimeField(null=True, blank=True)
    #: The class and last day of the stay as last registered (empty: not registered).
    stay_class = models.CharField(max_length=10, choices=StayClass.choices, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    residence_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-arrived_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(departed_at__isnull=True), name="complex_stay_open_once"
            ),
            models.CheckConstraint(
                condition=Q(departed_at__isnull=True) | Q(departed_at__gte=models.F("arrived_at")),
                name="complex_stay_order",
            ),
        ]
        indexes = [models.Index(fields=["key"]), models.Index(fields=["firm", "departed_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"


class StayStep(models.TextChoices):
    REGISTRATION = "registration", pgettext_lazy("stay step", "Registration")
    EXTENSION = "extension", pgettext_lazy("stay step", "Extension")
    RESIDENCE = "residence", pgettext_lazy("stay step", "Residence registration")


class StayRegistration(models.Model):
    """One registration, extension or residence registration of a stay, with its fee (USD,
    from the rules in force on the day requested; empty where none is known) and its payment."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="registrations")
    step = models.CharField(max_length=12, choices=StayStep.choices)
    stay_class = models.CharField(max_length=10, choices=StayClass.choices)
    requested_on = models.DateField()
    valid_until = models.DateField()
    fee_usd = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    fee_paid_on = models.DateField(null=True, blank=True)
    fee_receipt = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stay", "valid_until", "pk"]

    def __str__(self) -> str:
        return f"{self.stay} {self.step} → {self.valid_until}"


class StayReminder(models.Model):
    """A deadline of a stay put on the work queue by the daily reminders job; done once the
    deadline is met (registered, extended, left)."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=14)
    due_on = models.DateField()
    overdue = models.BooleanField(default=False)
    listed_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stay", "kind", "due_on"], name="complex_stayreminder_once"
            ),
        ]
        indexes = [models.Index(fields=["done_at", "due_on"])]

    def __str__(self) -> str:
        return f"{self.stay} {self.kind} {self.due_on}"


class PhoneLine(models.Model):
    """A firm's telephone line in the complex: `number` its digits; the dial strings are made
    from it (`comms_rules.dial_from_south`)."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="phone_lines")
    number = models.CharField(max_length=8, unique=True)
    installed_on = models.DateField()
    removed_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["firm", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=models.F("installed_on")),
                name="complex_phoneline_order",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class PhoneCall(models.Model):
    """A call from a line to a number in the South: billed by the minute begun."""

    line = models.ForeignKey(PhoneLine, on_delete=models.PROTECT, related_name="calls")
    dialled = models.CharField(max_length=11)  # the South's number's digits (089 + it)
    started_at = models.DateTimeField()
    duration_seconds = models.PositiveIntegerField()
    source = models.CharField(max_length=200, blank=True)  # the imported file's name
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "started_at", "dialled"], name="complex_phonecall_once"
            ),
            models.CheckConstraint(
                condition=Q(duration_seconds__lte=86400), name="complex_phonecall_duration"
            ),
        ]
        indexes = [models.Index(fields=["started_at"])]

    def __str__(self) -> str:
        return f"{self.line} → {self.dialled} {self.started_at}"


class PhoneBill(models.Model):
    """A firm's bill of a month (`month`: its first day), computed by the committee: the
    installation of lines installed that month, the monthly fee of each line in service, the
    calls. Computed again, it is replaced."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="phone_bills")
    month = models.DateField()
    lines = models.PositiveIntegerField()
    installation_usd = models.DecimalField(max_digits=11, decimal_places=2)
    monthly_usd = models.DecimalField(max_digits=11, decimal_places=2)
    calls = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    calls_usd = models.DecimalField(max_digits=11, decimal_places=2)
    total_usd = models.DecimalField(max_digits=12, decimal_places=2)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-month", "firm"]
        constraints = [
            models.UniqueConstraint(fields=["firm", "month"], name="complex_phonebill_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="complex_phonebill_month"),
        ]

    def __str__(self) -> str:
        return f"{self.firm} {self.month:%Y-%m}"
