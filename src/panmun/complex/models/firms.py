"""입주기업 — the complex's firms (tenants, their subcontractors, the developers) and what they
make: monthly output by firm, and the complex's figures by year since 2005."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from panmun.accounts.models import Organisation
from panmun.permits.models import Approval

#: Money is in US dollars with three decimals (the wage rules are written to a tenth of a cent).


class FirmKind(models.TextChoices):
    TENANT = "tenant", _("Tenant firm")
    SUBCONTRACTOR = "subcontractor", _("Subcontractor")
    DEVELOPER = "developer", _("Developer")


class Sector(models.TextChoices):
    TEXTILES = "textiles", _("Textiles and clothing")
    MACHINERY_METAL = "machinery_metal", _("Machinery and metal")
    ELECTRIC_ELECTRONIC = "electric_electronic", _("Electric and electronic")
    CHEMICAL = "chemical", _("Chemical")
    FOOD = "food", _("Food")
    PAPER_WOOD = "paper_wood", _("Paper and wood")
    NON_METALLIC = "non_metallic", _("Non-metallic minerals")
    SERVICES = "services", _("Services")
    OTHER = "other", pgettext_lazy("sector", "Other")


class Firm(models.Model):
    """A firm of the complex. A tenant leases its site and operates under a cooperation-project
    approval (Art. 17); a subcontractor works for a tenant; the developers (LH, Hyundai Asan)
    hold the land lease."""

    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=FirmKind.choices)
    sector = models.CharField(_("sector"), max_length=24, choices=Sector.choices, blank=True)
    #: The tenant a subcontractor works for.
    tenant = models.ForeignKey(
        "self",
        verbose_name=_("works for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subcontractors",
    )
    #: The organisation whose officers sign in as this firm.
    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation in Panmun"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complex_firm",
    )
    #: The cooperation-project approval (협력사업 승인, Art. 17) the firm needs before it operates.
    project_approval = models.ForeignKey(
        Approval,
        verbose_name=_("cooperation project approval"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complex_firms",
    )
    business_number = models.CharField(_("business registration number"), max_length=20, blank=True)
    representative = models.CharField(_("representative"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    #: When production began, and when the firm stopped operating in the complex.
    started_on = models.DateField(_("production began"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_ko"]
        verbose_name = _("firm")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FirmKind.values), name="complex_firm_kind"),
            # Only a subcontractor works for a tenant, and it always names one.
            models.CheckConstraint(
                condition=Q(kind="subcontractor", tenant__isnull=False)
                | (~Q(kind="subcontractor") & Q(tenant__isnull=True)),
                name="complex_subcontractor_has_tenant",
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(closed_on__isnull=True)
                | Q(closed_on__gte=F("started_on")),
                name="complex_firm_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name_ko


class OutputMonth(models.Model):
    """One firm's month: what it produced and what it shipped to the South, in USD."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="output")
    #: The first day of the month (the services write no other day).
    month = models.DateField(_("month"))
    production_usd = models.DecimalField(_("production (USD)"), max_digits=16, decimal_places=3)
    shipped_south_usd = models.DecimalField(
        _("shipped to the South (USD)"), max_digits=16, decimal_places=3, default=0
    )
    #: Exports beyond the South (through the South's ports), when the firm reports them.
    exported_usd = models.DecimalField(
        _("exported abroad (USD)"), max_digits=16, decimal_places=3, default=0
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "firm"]
        verbose_name = _("monthly output")
        constraints = [
            models.UniqueConstraint(fields=["firm", "month"], name="complex_output_once_a_month"),
            models.CheckConstraint(
                condition=Q(production_usd__gte=0)
                & Q(shipped_south_usd__gte=0)
                & Q(exported_usd__gte=0),
                name="complex_output_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["month"], name="complex_output_month")]

    def __str__(self) -> str:
        return f"{self.firm_id} {self.month:%Y-%m}"


class YearFigures(models.Model):
    """The complex's figures for one year, as published (domain.md): firms, workers, output. A
    figure the sources do not give stays empty; `as_of` says when a count was taken."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    firms = models.PositiveIntegerField(_("firms"), null=True, blank=True)
    workers = models.PositiveIntegerField(_("workers"), null=True, blank=True)
    output_usd = models.DecimalField(
        _("output (USD)"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    as_of = models.CharField(_("counted at"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("figures of a year")

    def __str__(self) -> str:
        return str(self.year)
