"""근로자 — the workers the North's labour agency supplies to each firm, as its roster lists them
(the North's spelling, as written), with the keys that find a name in either orthography."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .firms import Firm


class WorkerSex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Worker(models.Model):
    """A worker on a firm's roster. The worker number is the labour agency's, unique within
    the firm; a worker who has left keeps their row with the leaving date."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="workers")
    number = models.CharField(_("worker number"), max_length=20)
    #: The name as the roster writes it (the North's spelling).
    name = models.CharField(_("name"), max_length=60)
    sex = models.CharField(_("sex"), max_length=1, choices=WorkerSex.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"))
    job = models.CharField(_("job"), max_length=100, blank=True)
    hired_on = models.DateField(_("hired on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    #: A wage above the minimum agreed for this worker (skill, seniority); empty: the minimum.
    base_wage_usd = models.DecimalField(
        _("base wage (USD)"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    # Search keys from panmun.korean (romanization.text_key): the same for 리영철 and 이영철.
    name_key = models.CharField(max_length=101, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["firm", "number"]
        verbose_name = _("worker")
        constraints = [
            models.UniqueConstraint(fields=["firm", "number"], name="complex_worker_number_once"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("hired_on")),
                name="complex_worker_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(sex__in=WorkerSex.values), name="complex_worker_sex"
            ),
        ]
        indexes = [models.Index(fields=["firm", "left_on"], name="complex_worker_on_roster")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"
