"""임금 — the wage rules: the minimum wage as a dated rule with its history ($50 under the 2003
rules, then at most +5% a year from 2007 until the North struck the cap on 20 November 2014),
social insurance (15% of wages; allowances in the base from August 2015), the premiums for
overtime and night work, and the disputes: a change one side demands and the other has not
agreed, kept open with the months it affects until it is settled."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from panmun.accounts.models import Side, User


class WageRule(models.Model):
    """The wage rules in force from a day until the next rule: each row restates them all, so
    that the rules of any month are one row (the latest that started on or before it)."""

    effective_from = models.DateField(_("in force from"), unique=True)
    minimum_wage_usd = models.DecimalField(
        _("minimum wage (USD a month)"), max_digits=16, decimal_places=3
    )
    #: Social insurance the firm pays, as a share of the wage base.
    insurance_rate = models.DecimalField(_("social insurance rate"), max_digits=7, decimal_places=4)
    #: Whether allowances count in the base for social insurance (from August 2015).
    allowances_insured = models.BooleanField(_("allowances count for insurance"), default=False)
    #: Premiums on the hourly wage: overtime and night work (the labour rules: +50%).
    overtime_premium = models.DecimalField(_("overtime premium"), max_digits=7, decimal_places=4)
    night_premium = models.DecimalField(_("night-work premium"), max_digits=7, decimal_places=4)
    #: The hours of a month's work that the base wage pays for (the hourly wage's divisor).
    monthly_hours = models.PositiveSmallIntegerField(_("hours in a month's work"))
    #: The largest yearly raise of the minimum wage the rules allow (None: no cap).
    raise_cap = models.DecimalField(
        _("largest yearly raise"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    basis = models.CharField(_("basis"), max_length=300, blank=True)

    class Meta:
        ordering = ["effective_from"]
        verbose_name = _("wage rule")
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_wage_usd__gt=0)
                & Q(insurance_rate__gte=0)
                & Q(insurance_rate__lt=1)
                & Q(overtime_premium__gte=0)
                & Q(night_premium__gte=0)
                & Q(monthly_hours__gt=0),
                name="complex_wage_rule_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.minimum_wage_usd}"


class DisputeState(models.TextChoices):
    OPEN = "open", _("Open")
    SETTLED = "settled", _("Settled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class WageDispute(models.Model):
    """A minimum wage one side demands and the other has not agreed (the 2015 wage dispute: the
    North demanded $74 from March 2015). While open, the payrolls of the months it affects show
    both figures; settling it records the agreed rule."""

    demanded_by = models.ForeignKey(
        Side, verbose_name=_("demanded by"), on_delete=models.PROTECT, related_name="+"
    )
    demanded_on = models.DateField(_("demanded on"))
    effective_from = models.DateField(_("demanded from"))
    #: The last month it affects, when the demand names one; empty: until settled.
    effective_to = models.DateField(_("demanded until"), null=True, blank=True)
    demanded_wage_usd = models.DecimalField(
        _("demanded minimum wage (USD)"), max_digits=16, decimal_places=3
    )
    state = models.CharField(
        _("state"), max_length=10, choices=DisputeState.choices, default=DisputeState.OPEN
    )
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    #: The rule the settlement agreed (none when the demand was withdrawn).
    settled_rule = models.ForeignKey(
        WageRule,
        verbose_name=_("agreed rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="settled_disputes",
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-demanded_on"]
        verbose_name = _("wage dispute")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=DisputeState.values), name="complex_dispute_state"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="complex_dispute_months_in_order",
            ),
            models.CheckConstraint(
                condition=Q(state="open") | Q(settled_on__isnull=False),
                name="complex_dispute_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.demanded_wage_usd} ({self.state})"
