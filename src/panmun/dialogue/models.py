"""The record of inter-Korean dialogue: talks (회담) with their delegations, agreements (합의서)
with their provisions and dated status changes, and other dated events for the timeline."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from panmun.accounts.models import Side, User
from panmun.common.bilingual import BilingualMixin


class TalksLevel(models.TextChoices):
    SUMMIT = "summit", _("Summit")
    HIGH_LEVEL = "high_level", _("High-level")
    WORKING_LEVEL = "working_level", _("Working-level")
    RED_CROSS = "red_cross", _("Red Cross")
    MILITARY = "military", _("Military")
    LIAISON = "liaison", _("Liaison")


class Topic(models.TextChoices):
    DIALOGUE = "dialogue", _("Dialogue")
    AID = "aid", _("Aid")
    FAMILIES = "families", _("Separated families")
    COMPLEX = "complex", _("Industrial complex")
    LIAISON = "liaison", _("Liaison")


class DatePrecision(models.TextChoices):
    DAY = "day", pgettext_lazy("date precision", "Day")
    MONTH = "month", pgettext_lazy("date precision", "Month")
    YEAR = "year", pgettext_lazy("date precision", "Year")
    UNKNOWN = "unknown", _("Unknown")


class AgreementStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    SUSPENDED = "suspended", _("Suspended")
    SUPERSEDED = "superseded", _("Superseded")
    LAPSED = "lapsed", _("Lapsed")


class EventKind(models.TextChoices):
    REUNION = "reunion", _("Family reunion")
    VIDEO_REUNION = "video_reunion", _("Video reunion")
    VISIT = "visit", _("Visit")
    AID = "aid", _("Aid")
    COMPLEX = "complex", _("Industrial complex")
    LIAISON = "liaison", _("Liaison office")
    SUMMIT = "summit", _("Summit")
    OTHER = "other", _("Other")


class Sourced(models.Model):
    """Where a historical record comes from: the document and the words that support it."""

    key = models.SlugField(pgettext_lazy("record identifier", "key"), max_length=80, blank=True)
    note_ko = models.TextField(_("note (Korean)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    source_quote = models.TextField(_("quotation from the source"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Agreement(BilingualMixin, Sourced):
    """합의서 — an agreement between the sides."""

    title_ko = models.CharField(_("title (Korean)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    parties = models.ManyToManyField(Side, verbose_name=_("parties"), related_name="agreements")
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AgreementStatus.choices,
        default=AgreementStatus.IN_FORCE,
    )

    class Meta:
        ordering = ["signed_on", "id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~Q(key=""), name="agreement_unique_key"
            ),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=False) | Q(date_precision="unknown"),
                name="agreement_date_or_unknown",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in AgreementStatus]),
                name="agreement_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title_ko


class Provision(BilingualMixin, models.Model):
    """A numbered provision of an agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="provisions")
    number = models.PositiveIntegerField(_("number"))
    text_ko = models.TextField(_("text (Korean)"))
    text_en = models.TextField(_("text (English)"))

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="provision_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} §{self.number}"


class AgreementStatusChange(BilingualMixin, models.Model):
    """A dated change of an agreement's status; the agreement's `status` is the latest one."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=16, choices=AgreementStatus.choices)
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    note_ko = models.TextField(_("note (Korean)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.agreement_id} → {self.status}"


class Talks(BilingualMixin, Sourced):
    """회담 — a meeting between the sides: summit, high-level, working-level, Red Cross..."""

    title_ko = models.CharField(_("title (Korean)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    level = models.CharField(_("level"), max_length=16, choices=TalksLevel.choices)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    place_ko = models.CharField(_("place (Korean)"), max_length=200, blank=True)
    place_en = models.CharField(_("place (English)"), max_length=200, blank=True)
    agenda_ko = models.TextField(_("agenda (Korean)"), blank=True)
    agenda_en = models.TextField(_("agenda (English)"), blank=True)
    outcome_ko = models.TextField(_("outcome (Korean)"), blank=True)
    outcome_en = models.TextField(_("outcome (English)"), blank=True)
    agreements = models.ManyToManyField(
        Agreement, verbose_name=_("agreements"), related_name="talks", blank=True
    )

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("talks")
        verbose_name_plural = _("talks")
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="talks_unique_key"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="talks_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(level__in=[v.value for v in TalksLevel]), name="talks_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title_ko


class Delegate(BilingualMixin, models.Model):
    """대표단 — a member of one side's delegation to a round of talks."""

    talks = models.ForeignKey(Talks, on_delete=models.CASCADE, related_name="delegates")
    side = models.ForeignKey(Side, verbose_name=_("side"), on_delete=models.PROTECT)
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    title_ko = models.CharField(_("position (Korean)"), max_length=200, blank=True)
    title_en = models.CharField(_("position (English)"), max_length=200, blank=True)
    is_head = models.BooleanField(_("head of delegation"), default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["talks", "order", "id"]

    def __str__(self) -> str:
        return self.name_ko


class Event(BilingualMixin, Sourced):
    """A dated event in the record that is neither talks nor an agreement (reunions, aid, ...)."""

    title_ko = models.CharField(_("title (Korean)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="event_unique_key"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="event_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title_ko
