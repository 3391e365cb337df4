"""통관 / 검역 — customs declarations of goods carried to and from the complex, their lines by HS
code, every event on them (ASYCUDA-like: stored → registered (numbered) → assessed → released,
or stopped), the customs officer's risk rules and the periods of the random draw that routes
declarations to lanes (committed before, revealed after), the firms' good record, quarantine
inspections of a declaration's consignment and the epidemic mode. The rules themselves (the
banned list, the quarantine chapters, the draw) are in `panmun.complex.customs`."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from panmun.accounts.models import User
from panmun.permits.models import Approval, GoodsDirection

from .firms import Firm


class Lane(models.TextChoices):
    RED = "red", pgettext_lazy("customs lane", "Red (inspection)")
    YELLOW = "yellow", pgettext_lazy("customs lane", "Yellow (documents)")
    BLUE = "blue", pgettext_lazy("customs lane", "Blue (audit later)")
    GREEN = "green", pgettext_lazy("customs lane", "Green")


class DeclarationState(models.TextChoices):
    STORED = "stored", pgettext_lazy("declaration state", "Stored")
    REGISTERED = "registered", pgettext_lazy("declaration state", "Registered")
    ASSESSED = "assessed", pgettext_lazy("declaration state", "Assessed")
    RELEASED = "released", pgettext_lazy("declaration state", "Released")
    STOPPED = "stopped", pgettext_lazy("declaration state", "Stopped")


D = DeclarationState


class Declaration(models.Model):
    """A firm's declaration of goods carried out to the complex (반출) or back (반입), under a
    goods approval where the policy in force asks for one item by item, otherwise under the
    firm's cooperation-project approval (the complex's comprehensive approval). No duties are
    assessed in the zone: assessment is the check of the goods (red), the documents (yellow), or
    neither (blue, green)."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="declarations")
    direction = models.CharField(_("direction"), max_length=10, choices=GoodsDirection.choices)
    declared_on = models.DateField(_("crossing day"))
    approval = models.ForeignKey(
        Approval,
        verbose_name=_("approval"),
        on_delete=models.PROTECT,
        related_name="complex_declarations",
    )
    state = FSMField(
        max_length=12, choices=DeclarationState.choices, default=D.STORED, protected=True
    )
    #: "GIC-2015-000123": given at registration, kept through amendments.
    number = models.CharField(_("number"), max_length=20, blank=True)
    value_usd = models.DecimalField(_("value (USD)"), max_digits=16, decimal_places=2, default=0)
    lane = models.CharField(_("lane"), max_length=8, choices=Lane.choices, blank=True)
    drawn_lane = models.CharField(max_length=8, choices=Lane.choices, blank=True)
    rule_lane = models.CharField(max_length=8, choices=Lane.choices, blank=True)
    risk_rule = models.ForeignKey(
        "RiskRule", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    draw = models.ForeignKey(
        "LaneDraw", null=True, blank=True, on_delete=models.PROTECT, related_name="declarations"
    )
    good_record = models.BooleanField(default=False)
    rerouted = models.BooleanField(default=False)
    quarantine_required = models.BooleanField(default=False)
    stop_rule = models.CharField(max_length=40, blank=True)
    stop_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    registered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("customs declaration")
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="complex_declaration_number"
            ),
            models.CheckConstraint(
                condition=Q(state__in=DeclarationState.values), name="complex_declaration_state"
            ),
            models.CheckConstraint(
                condition=Q(state="stored") | ~Q(number=""),
                name="complex_declaration_numbered",
            ),
            models.CheckConstraint(condition=Q(value_usd__gte=0), name="complex_declaration_value"),
        ]
        indexes = [
            models.Index(fields=["state", "lane"], name="complex_declaration_queue"),
            models.Index(fields=["firm", "state"], name="complex_declaration_firm"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @transition(field=state, source=D.STORED, target=D.REGISTERED)
    def register(self) -> None:
        pass

    @transition(field=state, source=D.REGISTERED, target=D.ASSESSED)
    def assess(self) -> None:
        pass

    @transition(field=state, source=D.ASSESSED, target=D.RELEASED)
    def release(self) -> None:
        pass

    @transition(field=state, source=[D.STORED, D.REGISTERED, D.ASSESSED], target=D.STOPPED)
    def stop(self) -> None:
        pass


class DeclarationLine(models.Model):
    """An item of a declaration: its HS 2022 subheading, what it is, how much, its value; the
    figures the banned list reads for some codes; the officer's mark on a harmful publication."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="lines")
    row = models.PositiveIntegerField(default=1)
    hs_code = models.CharField(_("HS code"), max_length=6)
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=20)
    value_usd = models.DecimalField(_("value (USD)"), max_digits=16, decimal_places=2)
    magnification = models.DecimalField(
        _("magnification"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    focal_length_mm = models.DecimalField(
        _("focal length (mm)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    harmful = models.BooleanField(_("harmful content"), default=False)

    class Meta:
        ordering = ["declaration", "row", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "row"], name="complex_decl_line_row"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(value_usd__gte=0), name="complex_decl_line_amounts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hs_code} {self.description}"


class DeclarationEventKind(models.TextChoices):
    STORED = "stored", pgettext_lazy("declaration event", "Stored")
    AMENDED = "amended", pgettext_lazy("declaration event", "Amended")
    REGISTERED = "registered", pgettext_lazy("declaration event", "Registered")
    ROUTED = "routed", pgettext_lazy("declaration event", "Routed to a lane")
    REROUTED = "rerouted", pgettext_lazy("declaration event", "Re-routed")
    ASSESSED = "assessed", pgettext_lazy("declaration event", "Assessed")
    RELEASED = "released", pgettext_lazy("declaration event", "Released")
    STOPPED = "stopped", pgettext_lazy("declaration event", "Stopped")
    INSPECTED = "inspected", pgettext_lazy("declaration event", "Quarantine inspection")


class DeclarationEvent(models.Model):
    """Everything that happened to a declaration, with the officer and the time: never changed,
    never deleted."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=DeclarationEventKind.choices)
    officer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    state_from = models.CharField(max_length=12, blank=True)
    state_to = models.CharField(max_length=12, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["declaration", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.declaration_id} {self.kind}"


class DeclarationSequence(models.Model):
    """The last number given in a year (numbers run 1, 2, 3 … each year)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class RiskRule(models.Model):
    """A risk rule the customs officer keeps: a declaration matching every criterion given goes
    at least to `lane`."""

    name = models.CharField(_("name"), max_length=200)
    lane = models.CharField(_("lane"), max_length=8, choices=Lane.choices)
    hs_prefix = models.CharField(_("HS chapter, heading or subheading"), max_length=6, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=GoodsDirection.choices, blank=True
    )
    firm = models.ForeignKey(
        Firm, verbose_name=_("firm"), null=True, blank=True, on_delete=models.PROTECT
    )
    min_value_usd = models.DecimalField(
        _("value from (USD)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-active", "name", "pk"]
        verbose_name = _("risk rule")
        constraints = [
            models.CheckConstraint(condition=Q(lane__in=Lane.values), name="complex_risk_lane"),
        ]

    def __str__(self) -> str:
        return self.name


class LaneDraw(models.Model):
    """A period of the random draw: the rates (basis points) and the seed committed before it
    (its SHA-256 and the commitment's), the seed revealed after it."""

    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    red_bp = models.PositiveIntegerField(_("red (1/10,000)"))
    yellow_bp = models.PositiveIntegerField(_("yellow (1/10,000)"))
    blue_bp = models.PositiveIntegerField(_("blue (1/10,000)"))
    #: Secret until revealed: pages and the API show it only once `revealed_at` is set.
    seed_hex = models.CharField(max_length=64)
    seed_sha256 = models.CharField(max_length=64)
    commitment_sha256 = models.CharField(max_length=64, unique=True)
    committed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    committed_at = models.DateTimeField()
    revealed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("lane draw")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="complex_draw_dates"
            ),
            models.CheckConstraint(
                condition=Q(red_bp__lte=2000)
                & Q(red_bp__gte=0)
                & Q(yellow_bp__gte=0)
                & Q(blue_bp__gte=0),
                name="complex_draw_rates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on}"


class CustomsStanding(models.Model):
    """A firm's good record with customs: from `since`, its consignments are sampled rather
    than all inspected (2003)."""

    firm = models.OneToOneField(Firm, on_delete=models.PROTECT, related_name="customs_standing")
    good_record = models.BooleanField(default=False)
    since = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.firm_id}: {self.good_record}"


class InspectionKind(models.TextChoices):
    PLANT = "plant", pgettext_lazy("quarantine", "Plant")
    ANIMAL = "animal", pgettext_lazy("quarantine", "Animal")
    FOOD = "food", pgettext_lazy("quarantine", "Food")
    GENERAL = "general", pgettext_lazy("quarantine", "General (epidemic mode)")


class InspectionResult(models.TextChoices):
    PASSED = "passed", pgettext_lazy("quarantine", "Passed")
    TREATED = "treated", pgettext_lazy("quarantine", "Passed after treatment")
    REFUSED = "refused", pgettext_lazy("quarantine", "Refused")


class QuarantineInspection(models.Model):
    """A quarantine officer's inspection of a declaration's consignment, with its result."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=InspectionKind.choices)
    result = models.CharField(_("result"), max_length=8, choices=InspectionResult.choices)
    note = models.TextField(_("note"), blank=True)
    officer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["declaration", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result__in=InspectionResult.values), name="complex_inspection_result"
            ),
            models.CheckConstraint(
                condition=~Q(result="refused") | ~Q(note=""), name="complex_inspection_refusal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.declaration_id} {self.kind} {self.result}"


class EpidemicPeriod(models.Model):
    """The epidemic mode (방역 강화): from `starts_at` until `ends_at` (open while None) every
    crosser and every consignment is inspected."""

    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500)
    started_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="complex_epidemic_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"
