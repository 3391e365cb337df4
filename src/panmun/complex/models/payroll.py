"""노임 — the monthly payroll of a firm, computed from the wage rules in force that month, and
the remittance of its sum in USD to the North's Central Special Zone Development Guidance Bureau
(중앙특구개발지도총국), which pays the workers; the bureau confirms what it received."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from panmun.accounts.models import User

from .firms import Firm
from .wages import WageDispute, WageRule
from .workers import Worker


class PayrollState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("payroll state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("payroll state", "Submitted")
    APPROVED = "approved", pgettext_lazy("payroll state", "Approved")
    REMITTED = "remitted", pgettext_lazy("payroll state", "Remitted")
    CONFIRMED = "confirmed", pgettext_lazy("payroll state", "Receipt confirmed")


P = PayrollState


class PayrollMonth(models.Model):
    """A firm's payroll for one month. The firm computes and submits it, the management
    committee approves it (or sends it back), the firm remits it, the bureau confirms receipt.
    Its state changes only through the transitions below, called by the services."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="payrolls")
    #: The first day of the month.
    month = models.DateField(_("month"))
    rule = models.ForeignKey(
        WageRule, verbose_name=_("wage rule"), on_delete=models.PROTECT, related_name="payrolls"
    )
    state = FSMField(max_length=12, choices=PayrollState.choices, default=P.DRAFT, protected=True)
    workers = models.PositiveIntegerField(_("workers"), default=0)
    base_usd = models.DecimalField(_("base wages"), max_digits=16, decimal_places=3, default=0)
    overtime_usd = models.DecimalField(
        _("overtime and night work"), max_digits=16, decimal_places=3, default=0
    )
    allowances_usd = models.DecimalField(
        _("allowances"), max_digits=16, decimal_places=3, default=0
    )
    wages_usd = models.DecimalField(_("wages"), max_digits=16, decimal_places=3, default=0)
    insurance_usd = models.DecimalField(
        _("social insurance"), max_digits=16, decimal_places=3, default=0
    )
    #: Wages and social insurance: what is remitted.
    total_usd = models.DecimalField(_("total"), max_digits=16, decimal_places=3, default=0)
    #: The open dispute over this month, and the total at the demanded wage (both shown).
    dispute = models.ForeignKey(
        WageDispute,
        verbose_name=_("wage dispute"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payrolls",
    )
    disputed_total_usd = models.DecimalField(
        _("total at the demanded wage"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    remittance = models.ForeignKey(
        "Remittance", null=True, blank=True, on_delete=models.PROTECT, related_name="payrolls"
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(_("reason sent back"), blank=True)

    class Meta:
        ordering = ["-month", "firm"]
        verbose_name = _("payroll")
        constraints = [
            models.UniqueConstraint(fields=["firm", "month"], name="complex_payroll_once_a_month"),
            models.CheckConstraint(
                condition=Q(state__in=PayrollState.values), name="complex_payroll_state"
            ),
        ]
        indexes = [models.Index(fields=["month", "state"], name="complex_payroll_month")]

    def __str__(self) -> str:
        return f"{self.firm_id} {self.month:%Y-%m}"

    @transition(field=state, source=P.DRAFT, target=P.SUBMITTED)
    def submit(self) -> None:
        pass

    @transition(field=state, source=P.SUBMITTED, target=P.DRAFT)
    def send_back(self) -> None:
        pass

    @transition(field=state, source=P.SUBMITTED, target=P.APPROVED)
    def approve(self) -> None:
        pass

    @transition(field=state, source=P.APPROVED, target=P.REMITTED)
    def remit(self) -> None:
        pass

    @transition(field=state, source=P.REMITTED, target=P.CONFIRMED)
    def confirm(self) -> None:
        pass


class PayrollLine(models.Model):
    """One worker's month on a payroll: the hours and allowances entered, the amounts computed."""

    payroll = models.ForeignKey(PayrollMonth, on_delete=models.CASCADE, related_name="lines")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="payroll_lines")
    days_worked = models.DecimalField(_("days worked"), max_digits=4, decimal_places=1)
    overtime_hours = models.DecimalField(
        _("overtime hours"), max_digits=6, decimal_places=1, default=0
    )
    night_hours = models.DecimalField(_("night hours"), max_digits=6, decimal_places=1, default=0)
    allowances_usd = models.DecimalField(
        _("allowances"), max_digits=16, decimal_places=3, default=0
    )
    base_usd = models.DecimalField(_("base wage"), max_digits=16, decimal_places=3)
    overtime_usd = models.DecimalField(_("overtime and night pay"), max_digits=16, decimal_places=3)
    insurance_usd = models.DecimalField(_("social insurance"), max_digits=16, decimal_places=3)
    total_usd = models.DecimalField(_("total"), max_digits=16, decimal_places=3)

    class Meta:
        ordering = ["payroll", "worker"]
        verbose_name = _("payroll line")
        constraints = [
            models.UniqueConstraint(fields=["payroll", "worker"], name="complex_line_once"),
            models.CheckConstraint(
                condition=Q(days_worked__gte=0)
                & Q(overtime_hours__gte=0)
                & Q(night_hours__gte=0)
                & Q(allowances_usd__gte=0),
                name="complex_line_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payroll_id} {self.worker_id}"


class RemittanceState(models.TextChoices):
    SENT = "sent", pgettext_lazy("remittance state", "Sent")
    CONFIRMED = "confirmed", pgettext_lazy("remittance state", "Receipt confirmed")


class Remittance(models.Model):
    """A remittance in USD to the bureau of a firm's approved payrolls (usually one month's):
    its amount is the sum of their totals, with the bank and its reference. The bureau confirms
    receipt, or says what it received instead."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="remittances")
    amount_usd = models.DecimalField(_("amount (USD)"), max_digits=16, decimal_places=3)
    bank = models.CharField(_("bank"), max_length=200)
    bank_reference = models.CharField(_("bank reference"), max_length=100)
    remitted_on = models.DateField(_("remitted on"))
    state = models.CharField(
        max_length=10, choices=RemittanceState.choices, default=RemittanceState.SENT
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    received_usd = models.DecimalField(
        _("amount received (USD)"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    bureau_note = models.TextField(_("the bureau's note"), blank=True)

    class Meta:
        ordering = ["-remitted_on", "firm"]
        verbose_name = _("remittance")
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "bank_reference"], name="complex_remittance_reference_once"
            ),
            models.CheckConstraint(
                condition=Q(amount_usd__gt=0), name="complex_remittance_positive"
            ),
            models.CheckConstraint(
                condition=Q(state="sent") | Q(confirmed_at__isnull=False),
                name="complex_remittance_confirmed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank} {self.bank_reference}"
