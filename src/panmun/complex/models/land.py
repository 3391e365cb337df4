"""토지 — the land: the developers' 50-year lease from the North (signed 13 April 2004, sites
usable to 12 April 2054), the parcels, each firm's sublease of its site, the buildings on it, and
the land-use fee rules (토지사용료: from the 11th year, agreed December 2015 at 1.56% of the sale
price, revisable every 4 years by at most 20%, due 20 December)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .firms import Firm

#: One pyeong (평) is 400/121 m² (3.3058 m²).
M2_PER_PYEONG = Decimal(400) / Decimal(121)


class LandLease(models.Model):
    """The lease of the complex's land from the North to the developers."""

    title = models.CharField(_("title"), max_length=200)
    developer = models.ForeignKey(
        Firm, verbose_name=_("developer"), on_delete=models.PROTECT, related_name="land_leases"
    )
    lessor = models.CharField(_("lessor (North)"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("sites usable to"))
    area_pyeong = models.DecimalField(_("area (pyeong)"), max_digits=14, decimal_places=2)
    price_usd = models.DecimalField(_("price (USD)"), max_digits=16, decimal_places=3)

    class Meta:
        ordering = ["signed_on"]
        verbose_name = _("land lease")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="complex_lease_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Parcel(models.Model):
    """필지 — a parcel of the leased land, with its number on the complex's plan."""

    lease = models.ForeignKey(LandLease, on_delete=models.PROTECT, related_name="parcels")
    number = models.CharField(_("parcel number"), max_length=40, unique=True)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=14, decimal_places=2)
    use = models.CharField(_("use"), max_length=100, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("parcel")
        constraints = [
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="complex_parcel_area_positive")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def area_pyeong(self) -> Decimal:
        return (self.area_m2 / M2_PER_PYEONG).quantize(Decimal("0.01"))


class Sublease(models.Model):
    """A firm's sublease of a parcel from the developer (분양): the sale price is what the
    land-use fee is reckoned on."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="subleases")
    parcel = models.ForeignKey(Parcel, on_delete=models.PROTECT, related_name="subleases")
    signed_on = models.DateField(_("signed on"))
    #: The first day the firm may use the site: the land-use fee years count from it.
    use_from = models.DateField(_("site used from"))
    ends_on = models.DateField(_("ends on"))
    sale_price_usd = models.DecimalField(_("sale price (USD)"), max_digits=16, decimal_places=3)
    ended_on = models.DateField(_("given up on"), null=True, blank=True)

    class Meta:
        ordering = ["parcel", "signed_on"]
        verbose_name = _("sublease")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("use_from")), name="complex_sublease_period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(sale_price_usd__gte=0), name="complex_sublease_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parcel_id} → {self.firm_id}"


class BuildingKind(models.TextChoices):
    FACTORY = "factory", _("Factory")
    WAREHOUSE = "warehouse", _("Warehouse")
    OFFICE = "office", _("Office")
    DORMITORY = "dormitory", _("Dormitory")
    OTHER = "other", _("Other building")


class Building(models.Model):
    """A building on a firm's site."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="buildings")
    parcel = models.ForeignKey(Parcel, on_delete=models.PROTECT, related_name="buildings")
    kind = models.CharField(_("kind"), max_length=12, choices=BuildingKind.choices)
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=14, decimal_places=2)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ["parcel", "kind"]
        verbose_name = _("building")

    def __str__(self) -> str:
        return f"{self.parcel_id} {self.kind}"


class FeeRule(models.Model):
    """A land-use fee rule in force from a year: the share of the sale price a firm pays each
    year, due on the day of the month given. A revision comes at the earliest 4 years after the
    rule it revises and moves the rate by at most 20% (the services refuse any other)."""

    from_year = models.PositiveSmallIntegerField(_("in force from the year"), unique=True)
    rate = models.DecimalField(_("rate (share of the sale price)"), max_digits=8, decimal_places=6)
    due_month = models.PositiveSmallIntegerField(_("due month"), default=12)
    due_day = models.PositiveSmallIntegerField(_("due day"), default=20)
    #: The lease year from which the fee is charged (the 11th).
    charged_from_lease_year = models.PositiveSmallIntegerField(
        _("charged from the lease year"), default=11
    )
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["from_year"]
        verbose_name = _("land-use fee rule")
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gt=0) & Q(rate__lt=1), name="complex_fee_rate_a_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_year}: {self.rate}"
