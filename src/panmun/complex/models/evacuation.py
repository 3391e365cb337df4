"""철수 — the evacuation of the complex: who an order to leave lets stay (`EvacuationStay`), and
what the firms left behind (`AssetLeft`), registered per firm for the insurance claims that
followed (in 2013, KRW 176.1 billion to 59 firms). The order itself is `EvacuationOrder`
(models/crossings.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .crossings import EvacuationOrder, Subject
from .firms import Firm


class EvacuationStay(models.Model):
    """A person (or vehicle) an order to leave allows to remain inside: keyed as the gate keys
    them (document number or plate, as in `Presence.key`)."""

    order = models.ForeignKey(EvacuationOrder, on_delete=models.CASCADE, related_name="stays")
    subject = models.CharField(max_length=8, choices=Subject.choices, default=Subject.PERSON)
    key = models.CharField(max_length=40)
    name = models.CharField(max_length=200, blank=True)
    firm = models.ForeignKey(
        Firm, null=True, blank=True, on_delete=models.PROTECT, related_name="evacuation_stays"
    )

    class Meta:
        ordering = ["order", "subject", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "subject", "key"], name="complex_evacuation_stay_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.name}"


class AssetCategory(models.TextChoices):
    FINISHED_GOODS = "finished_goods", pgettext_lazy("asset category", "Finished goods")
    RAW_MATERIALS = "raw_materials", pgettext_lazy("asset category", "Raw materials")
    EQUIPMENT = "equipment", pgettext_lazy("asset category", "Equipment")
    BUILDINGS = "buildings", pgettext_lazy("asset category", "Buildings")
    VEHICLES = "vehicles", pgettext_lazy("asset category", "Vehicles")
    OTHER = "other", pgettext_lazy("asset category", "Other")


class AssetLeft(models.Model):
    """Something a firm left behind in the complex when it had to leave: its category, what it
    is, how much, and its value in KRW (whole won), as the firm (or the committee) declares it.
    `order` names the order to leave it was left under, when known."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="assets_left")
    order = models.ForeignKey(
        EvacuationOrder,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets_left",
    )
    category = models.CharField(_("category"), max_length=16, choices=AssetCategory.choices)
    description = models.CharField(_("description"), max_length=500)
    quantity = models.DecimalField(_("quantity"), max_digits=15, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    value_krw = models.DecimalField(_("value (KRW)"), max_digits=16, decimal_places=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["firm", "category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(value_krw__gte=0),
                name="complex_asset_left_amounts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.firm_id} {self.category} {self.description}"
