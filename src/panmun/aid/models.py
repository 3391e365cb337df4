"""The humanitarian aid ledger (인도적 지원): activities in IATI 2.03's shape, the money that
flows through them (transactions in their original currency, with the rate used to KRW and
USD), the goods shipped (a declared state machine, as Sahana Eden's inventory), the monitoring
of their distribution, the food loans (식량차관) and their repayment, and the ministry's
published table by year (history).

Amounts are exact decimals beside their ISO 4217 currency code: KRW has no minor unit, USD and
EUR two. Totals count money once (OCHA FTS): pledges are shown, never summed; a transaction
that passes on money another one already counted (`passes_on`) is left out of totals."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by

from panmun.accounts.models import Organisation, User

# Amounts: 20 digits, 2 places (KRW's are whole); rates: 24 digits, 10 places; quantities:
# 16 digits, 3 places.


class Channel(models.TextChoices):
    """How the aid reached the North, as the ministry's table splits it."""

    GOVERNMENT = "government", _("Government, directly")
    VIA_NGO = "via_ngo", _("Government, through a South NGO")
    VIA_INTERNATIONAL = "via_international", _("Government, through an international organisation")
    FOOD_LOAN = "food_loan", _("Food loan")
    NGO_OWN = "ngo_own", _("NGO's own funds")


#: The channels of the government's free aid (the ministry's "무상지원").
GOVERNMENT_FREE = (Channel.GOVERNMENT, Channel.VIA_NGO, Channel.VIA_INTERNATIONAL)


class ActivityStatus(models.IntegerChoices):
    """IATI's ActivityStatus codelist (embedded in 2.03)."""

    PIPELINE = 1, _("Pipeline/identification")
    IMPLEMENTATION = 2, _("Implementation")
    FINALISATION = 3, _("Finalisation")
    CLOSED = 4, pgettext_lazy("activity status", "Closed")
    CANCELLED = 5, pgettext_lazy("activity status", "Cancelled")
    SUSPENDED = 6, pgettext_lazy("activity status", "Suspended")


class TargetGroup(models.TextChoices):
    INFANTS_CHILDREN = "infants_children", _("Infants and children")
    PREGNANT_NURSING = "pregnant_nursing", _("Pregnant and nursing women")
    ELDERLY = "elderly", _("Elderly people")
    FLOOD_VICTIMS = "flood_victims", _("Flood and disaster victims")
    GENERAL = "general", _("General population")


#: The vulnerable groups the measures of 24 May 2010 still let aid reach.
VULNERABLE = (
    TargetGroup.INFANTS_CHILDREN,
    TargetGroup.PREGNANT_NURSING,
    TargetGroup.ELDERLY,
    TargetGroup.FLOOD_VICTIMS,
)


class OrganisationRole(models.IntegerChoices):
    """IATI's OrganisationRole codelist."""

    FUNDING = 1, _("Funding")
    ACCOUNTABLE = 2, _("Accountable")
    EXTENDING = 3, _("Extending")
    IMPLEMENTING = 4, _("Implementing")


class TransactionType(models.IntegerChoices):
    """IATI's TransactionType codelist (2.03)."""

    INCOMING_FUNDS = 1, _("Incoming funds")
    OUTGOING_COMMITMENT = 2, _("Outgoing commitment")
    DISBURSEMENT = 3, _("Disbursement")
    EXPENDITURE = 4, _("Expenditure")
    INTEREST_PAYMENT = 5, _("Interest payment")
    LOAN_REPAYMENT = 6, _("Loan repayment")
    REIMBURSEMENT = 7, _("Reimbursement")
    PURCHASE_OF_EQUITY = 8, _("Purchase of equity")
    SALE_OF_EQUITY = 9, _("Sale of equity")
    CREDIT_GUARANTEE = 10, _("Credit guarantee")
    INCOMING_COMMITMENT = 11, _("Incoming commitment")
    OUTGOING_PLEDGE = 12, _("Outgoing pledge")
    INCOMING_PLEDGE = 13, _("Incoming pledge")


#: Money that reached the aid (disbursed or spent): what totals add up.
SPENT = (TransactionType.DISBURSEMENT, TransactionType.EXPENDITURE)
#: Promises: shown, never counted in totals.
PLEDGES = (TransactionType.OUTGOING_PLEDGE, TransactionType.INCOMING_PLEDGE)


class Activity(models.Model):
    """One aid activity (IATI's iati-activity): the ministry's grant, an NGO's project, a
    contribution through WFP or UNICEF, a food loan. A child activity (`parent`) is the part
    another organisation carries out with money passed to it."""

    identifier = models.CharField(_("IATI identifier"), max_length=200, unique=True)
    title_ko = models.CharField(_("title (Korean)"), max_length=400, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=400, blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    #: Narratives in other languages, as read from other publishers' files:
    #: {"title": {"fr": "..."}, "description": {"fr": "..."}}.
    narratives = models.JSONField(default=dict, blank=True)

    #: The Panmun organisation that keeps the activity (its officers edit it); empty for an
    #: activity read from another publisher's file.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aid_activities",
    )
    reporting_org_ref = models.CharField(_("reporting organisation (IATI ref)"), max_length=100)
    reporting_org_type = models.CharField(_("reporting organisation type"), max_length=4)
    reporting_org_name_ko = models.CharField(max_length=300, blank=True)
    reporting_org_name_en = models.CharField(max_length=300, blank=True)

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent activity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.PositiveSmallIntegerField(
        _("status"), choices=ActivityStatus.choices, default=ActivityStatus.PIPELINE
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)

    humanitarian = models.BooleanField(_("humanitarian"), default=True)
    #: IATI humanitarian-scope elements: [{"type": "1", "vocabulary": "1-2", "code": "...",
    #: "narrative": {"en": "..."}}].
    humanitarian_scopes = models.JSONField(default=list, blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    #: ISO 4217; amounts without their own currency are in this one.
    default_currency = models.CharField(_("default currency"), max_length=3, default="KRW")
    recipient_country = models.CharField(max_length=2, default="KP")

    #: The North's organisation that receives the aid (민족화해협의회, 조선적십자회, ...).
    recipient_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("recipient organisation (North)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aid_received",
    )
    recipient_name_ko = models.CharField(max_length=300, blank=True)
    recipient_name_en = models.CharField(max_length=300, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)

    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["identifier"]
        verbose_name = _("aid activity")
        verbose_name_plural = _("aid activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="aid_activity_channel"
            ),
            models.CheckConstraint(
                condition=Q(status__gte=1) & Q(status__lte=6), name="aid_activity_status"
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="aid_activity_planned_dates",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=models.F("actual_start")),
                name="aid_activity_actual_dates",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "identifier"], name="aid_activity_org")]

    def __str__(self) -> str:
        return self.identifier

    @property
    def start(self):  # type: ignore[no-untyped-def]
        return self.actual_start or self.planned_start


class ParticipatingOrg(models.Model):
    """An organisation taking part in an activity, in one of IATI's four roles."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    seq = models.PositiveIntegerField(default=0)
    role = models.PositiveSmallIntegerField(choices=OrganisationRole.choices)
    #: IATI's OrganisationType code (10 government, 21 international NGO, 22 national NGO, 40
    #: multilateral, ...).
    org_type = models.CharField(max_length=4, blank=True)
    ref = models.CharField(max_length=100, blank=True)
    name_ko = models.CharField(max_length=300, blank=True)
    name_en = models.CharField(max_length=300, blank=True)
    #: Narratives in other languages: {"fr": "..."}.
    names_other = models.JSONField(default=dict, blank=True)
    activity_id_ref = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["activity", "seq", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__gte=1) & Q(role__lte=4), name="aid_participant_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.role} {self.ref or self.name_en}"


class ActivitySector(models.Model):
    """A sector of an activity with its share; shares add up to 100 per vocabulary (checked by
    the services and the IATI reader, as IATI's rules ask)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sectors")
    seq = models.PositiveIntegerField(default=0)
    #: IATI's SectorVocabulary: "1" is the OECD DAC's 5-digit purpose codes.
    vocabulary = models.CharField(max_length=10, default="1")
    code = models.CharField(max_length=40)
    percentage = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    narrative = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["activity", "seq", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "vocabulary", "code"], name="aid_sector_once"
            ),
            models.CheckConstraint(
                condition=Q(percentage__isnull=True)
                | (Q(percentage__gte=0) & Q(percentage__lte=100)),
                name="aid_sector_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vocabulary}:{self.code} {self.percentage}"


class YearOf(models.Func):
    """The year of a date as an integer, in SQL an index may hold (deterministic on SQLite,
    immutable on PostgreSQL). `selectors.YEAR_SQL` writes the same."""

    output_field = models.IntegerField()
    template = "CAST(EXTRACT(YEAR FROM %(expressions)s) AS integer)"

    def as_sqlite(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        # SQLite keeps a date as its ISO text: YYYY-MM-DD.
        return self.as_sql(
            compiler, connection, template="CAST(substr(%(expressions)s, 1, 4) AS integer)", **extra
        )


class Transaction(models.Model):
    """Money moved in an activity (IATI's transaction): the amount in its original currency on
    its value date, and the rates used to KRW and USD with their source (OCHA FTS keeps both)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="transactions")
    ref = models.CharField(max_length=100, blank=True)
    type = models.PositiveSmallIntegerField(_("type"), choices=TransactionType.choices)
    date = models.DateField(_("transaction date"))
    value = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    value_date = models.DateField(_("value date"))
    #: KRW per unit of `currency` on the value date (1 for KRW); USD likewise.
    rate_krw = models.DecimalField(max_digits=24, decimal_places=10, null=True, blank=True)
    rate_usd = models.DecimalField(max_digits=24, decimal_places=10, null=True, blank=True)
    rate_source = models.CharField(max_length=200, blank=True)
    value_krw = models.DecimalField(max_digits=20, decimal_places=0, null=True, blank=True)
    value_usd = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)

    description_ko = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    description_other = models.JSONField(default=dict, blank=True)
    provider_org_ref = models.CharField(max_length=100, blank=True)
    provider_org_type = models.CharField(max_length=4, blank=True)
    provider_org_name = models.JSONField(default=dict, blank=True)
    provider_activity_id = models.CharField(max_length=200, blank=True)
    receiver_org_ref = models.CharField(max_length=100, blank=True)
    receiver_org_type = models.CharField(max_length=4, blank=True)
    receiver_org_name = models.JSONField(default=dict, blank=True)
    receiver_activity_id = models.CharField(max_length=200, blank=True)
    humanitarian = models.BooleanField(null=True, blank=True)
    #: IATI codes of the transaction where they differ from the activity's defaults.
    codes = models.JSONField(default=dict, blank=True)

    #: The counted flow this one passes on (the NGO's spending of the ministry's grant): left
    #: out of totals, so the money is counted once.
    passes_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="passed_on_by"
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "date", "id"]
        indexes = [
            models.Index(fields=["date", "type"], name="aid_transaction_date"),
            models.Index(fields=["activity", "type", "date"], name="aid_transaction_activity"),
            # The yearly report by channel reads only this index (`selectors.yearly_by_channel`),
            # in the order it groups by: the counted money, by activity and year.
            models.Index(
                F("activity"),
                YearOf("date"),
                F("value_krw"),
                F("value_usd"),
                F("type"),
                F("passes_on"),
                F("date"),
                condition=Q(type__in=(3, 4), passes_on__isnull=True),
                name="aid_transaction_counted",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__gte=1) & Q(type__lte=13), name="aid_transaction_type"
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="aid_transaction_currency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.type} {self.value} {self.currency}"


class ExchangeRate(models.Model):
    """A rate the officer imported (`aid.rates`): won and dollars for one unit of a currency,
    in force from `day` until the next one."""

    currency = models.CharField(max_length=3)
    day = models.DateField()
    krw = models.DecimalField(max_digits=24, decimal_places=10)
    usd = models.DecimalField(max_digits=24, decimal_places=10)
    source = models.CharField(max_length=200)
    imported_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["currency", "day"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "day"], name="aid_rate_once"),
            models.CheckConstraint(condition=Q(krw__gt=0) & Q(usd__gt=0), name="aid_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.day} {self.krw}"


class Commodity(models.TextChoices):
    RICE = "rice", _("Rice")
    CORN = "corn", _("Corn")
    FLOUR = "flour", _("Flour")
    FERTILISER = "fertiliser", _("Fertiliser")
    MEDICINE = "medicine", _("Medicine and medical supplies")
    MILK_POWDER = "milk_powder", _("Milk powder and infant formula")
    FOOD_OTHER = "food_other", _("Other food")
    OTHER = "other", pgettext_lazy("commodity", "Other")


#: What purely humanitarian aid to vulnerable groups may carry under the 2010 measures.
HUMANITARIAN_COMMODITIES = (
    Commodity.RICE,
    Commodity.CORN,
    Commodity.FLOUR,
    Commodity.MEDICINE,
    Commodity.MILK_POWDER,
    Commodity.FOOD_OTHER,
)


class Unit(models.TextChoices):
    TONNES = "t", _("tonnes")
    KILOGRAMS = "kg", _("kilograms")
    BAGS = "bags", _("bags")
    BOXES = "boxes", _("boxes")
    PIECES = "pieces", _("pieces")


class Route(models.TextChoices):
    SEA = "sea", _("By sea")
    GYEONGUI = "gyeongui", _("Overland, Gyeongui line")
    DONGHAE = "donghae", _("Overland, Donghae line")
    AIR = "air", _("By air")


class ShipmentState(models.TextChoices):
    IN_PROCESS = "in_process", pgettext_lazy("shipment state", "In process")
    SENT = "sent", pgettext_lazy("shipment state", "Sent")
    RECEIVED = "received", pgettext_lazy("shipment state", "Received")
    CANCELLED = "cancelled", pgettext_lazy("shipment state", "Cancelled")
    RETURNING = "returning", pgettext_lazy("shipment state", "Returning")
    SUSPENDED = "suspended", pgettext_lazy("shipment state", "Suspended")


SS = ShipmentState


def _held_before_sending(shipment: models.Model) -> bool:
    return getattr(shipment, "suspended_from", "") == SS.IN_PROCESS


def _held_after_sending(shipment: models.Model) -> bool:
    return getattr(shipment, "suspended_from", "") == SS.SENT


class Shipment(models.Model):
    """Goods sent under an activity: from the port of loading (Gunsan, Donghae, ...) to the port
    of discharge (Nampo, Chongjin, ...) or overland. Its state changes only through the
    transitions below (django-fsm-2, logged by django-fsm-log with who made each)."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="shipments")
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    commodity = models.CharField(_("commodity"), max_length=20, choices=Commodity.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    packaging = models.CharField(_("packaging"), max_length=200, blank=True)
    markings = models.CharField(_("markings"), max_length=300, blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    route = models.CharField(_("route"), max_length=10, choices=Route.choices)
    port_of_loading = models.CharField(_("port of loading"), max_length=100, blank=True)
    port_of_discharge = models.CharField(_("port of discharge"), max_length=100, blank=True)
    vessel = models.CharField(_("vessel or vehicles"), max_length=200, blank=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="KRW")
    planned_on = models.DateField(_("planned date"))
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    state = FSMField(
        max_length=20, choices=ShipmentState.choices, default=SS.IN_PROCESS, protected=True
    )
    #: The state a suspended shipment resumes to.
    suspended_from = models.CharField(max_length=20, choices=ShipmentState.choices, blank=True)
    received_quantity = models.DecimalField(
        _("received quantity"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    difference_reason = models.TextField(_("reason for the difference"), blank=True)
    recipient_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("recipient organisation (North)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aid_shipments_received",
    )
    #: The goods carry-out approval (Art. 13) an NGO's shipment goes through.
    approval = models.ForeignKey(
        "permits.Approval", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: The North's acknowledgement of receipt: a signed list entry in the liaison log.
    receipt_entry = models.ForeignKey(
        "liaison.Entry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-planned_on", "reference"]
        verbose_name = _("shipment")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="aid_shipment_quantity"),
            models.CheckConstraint(
                condition=Q(state__in=ShipmentState.values), name="aid_shipment_state"
            ),
            models.CheckConstraint(
                condition=Q(received_quantity__isnull=True) | Q(received_quantity__gte=0),
                name="aid_shipment_received_quantity",
            ),
            # A shipment received is received with its quantity.
            models.CheckConstraint(
                condition=~Q(state=SS.RECEIVED) | Q(received_quantity__isnull=False),
                name="aid_shipment_received_counted",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    # --- the state machine: who calls which is decided in services and access ------------------

    @fsm_log_by
    @transition(field=state, source=SS.IN_PROCESS, target=SS.SENT)
    def send(self, by: User | None = None) -> None:
        pass

    @fsm_log_by
    @transition(field=state, source=SS.SENT, target=SS.RECEIVED)
    def receive(self, by: User | None = None) -> None:
        pass

    @fsm_log_by
    @transition(field=state, source=[SS.IN_PROCESS, SS.SUSPENDED], target=SS.CANCELLED)
    def cancel(self, by: User | None = None) -> None:
        pass

    @fsm_log_by
    @transition(field=state, source=SS.SENT, target=SS.RETURNING)
    def send_back(self, by: User | None = None) -> None:
        pass

    @fsm_log_by
    @transition(field=state, source=[SS.IN_PROCESS, SS.SENT], target=SS.SUSPENDED)
    def suspend(self, by: User | None = None) -> None:
        self.suspended_from = self.state

    @fsm_log_by
    @transition(
        field=state, source=SS.SUSPENDED, target=SS.IN_PROCESS, conditions=[_held_before_sending]
    )
    def resume(self, by: User | None = None) -> None:
        self.suspended_from = ""

    @fsm_log_by
    @transition(field=state, source=SS.SUSPENDED, target=SS.SENT, conditions=[_held_after_sending])
    def resume_sent(self, by: User | None = None) -> None:
        self.suspended_from = ""


class MonitoringOutcome(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("monitoring", "Planned")
    DONE = "done", pgettext_lazy("monitoring", "Done")
    REFUSED = "refused", pgettext_lazy("monitoring", "Refused by the other side")


class MonitoringVisit(models.Model):
    """A distribution monitoring visit (분배 모니터링): where, when, what was seen."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="monitoring")
    shipment = models.ForeignKey(
        Shipment, null=True, blank=True, on_delete=models.SET_NULL, related_name="monitoring"
    )
    place = models.CharField(_("place"), max_length=200)
    planned_on = models.DateField(_("planned date"))
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=MonitoringOutcome.choices, default="planned"
    )
    seen_ko = models.TextField(_("what was seen (Korean)"), blank=True)
    seen_en = models.TextField(_("what was seen (English)"), blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "planned_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="done") | Q(visited_on__isnull=False),
                name="aid_monitoring_done_dated",
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.place} {self.planned_on}"


class MonitoringPhoto(models.Model):
    """A photo taken on a visit, kept as a reference to its file and the file's SHA-256."""

    visit = models.ForeignKey(MonitoringVisit, on_delete=models.CASCADE, related_name="photos")
    file_ref = models.CharField(_("file"), max_length=500)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    caption = models.CharField(_("caption"), max_length=300, blank=True)

    class Meta:
        ordering = ["visit", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="aid_photo_sha256"
            )
        ]

    def __str__(self) -> str:
        return self.file_ref


class Loan(models.Model):
    """A food loan (식량차관) and its terms; the schedule is computed from them
    (`aid.loans`). The 2000–2007 loans: 1% a year, 10 years' grace, 20 years of equal
    repayments, 2% a year on overdue sums (Korea Eximbank ↔ the North's Chosun Trade Bank)."""

    activity = models.OneToOneField(
        Activity, null=True, blank=True, on_delete=models.PROTECT, related_name="loan"
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    name_ko = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    lender = models.CharField(_("lender"), max_length=200)
    borrower = models.CharField(_("borrower"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    #: Interest and the grace period run from this day.
    disbursed_on = models.DateField(_("disbursed on"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    principal = models.DecimalField(_("principal"), max_digits=20, decimal_places=2)
    annual_rate = models.DecimalField(_("interest a year"), max_digits=7, decimal_places=5)
    grace_years = models.PositiveSmallIntegerField(_("years of grace"))
    repayment_years = models.PositiveSmallIntegerField(_("years of repayment"))
    overdue_rate = models.DecimalField(_("overdue interest a year"), max_digits=7, decimal_places=5)
    goods = models.CharField(_("goods"), max_length=300, blank=True)

    class Meta:
        ordering = ["signed_on", "reference"]
        constraints = [
            models.CheckConstraint(condition=Q(principal__gt=0), name="aid_loan_principal"),
            models.CheckConstraint(
                condition=Q(repayment_years__gt=0), name="aid_loan_repayment_years"
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class InstalmentState(models.TextChoices):
    DUE = "due", pgettext_lazy("instalment", "Not yet due")
    PAID = "paid", pgettext_lazy("instalment", "Paid")
    MISSED = "missed", pgettext_lazy("instalment", "Missed")


class LoanInstalment(models.Model):
    """One instalment of a loan's schedule, as computed from its terms; a payment or a miss is
    recorded on it, and the notices sent about it beside."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="instalments")
    seq = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    principal = models.DecimalField(max_digits=20, decimal_places=2)
    interest = models.DecimalField(max_digits=20, decimal_places=2)
    #: What a published source gives for this instalment, where it differs from the computed one.
    published_amount = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    published_source = models.CharField(max_length=300, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    paid_amount = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["loan", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "seq"], name="aid_instalment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} #{self.seq} {self.due_on}"

    @property
    def amount(self):  # type: ignore[no-untyped-def]
        return self.principal + self.interest


class LoanNotice(models.Model):
    """A notice sent about an instalment (a reminder before it falls due, a demand after)."""

    instalment = models.ForeignKey(LoanInstalment, on_delete=models.CASCADE, related_name="notices")
    sent_on = models.DateField()
    text_ko = models.TextField()
    text_en = models.TextField()
    #: The notice as sent through the liaison office, signed in the log.
    entry = models.ForeignKey(
        "liaison.Entry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["instalment", "sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.instalment_id} {self.sent_on}"


class PolicyException(models.Model):
    """A supervisor's exception to a measure in force, for one activity, shipment or
    disbursement, with the reason (audited)."""

    measure = models.ForeignKey("permits.PolicyMeasure", on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="policy_exceptions"
    )
    #: What the exception covers: "activity", "shipment" or "transaction" (and its id).
    what = models.CharField(max_length=20)
    what_id = models.PositiveBigIntegerField(null=True, blank=True)
    reason_ko = models.TextField()
    reason_en = models.TextField()
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason_ko="") & ~Q(reason_en=""), name="aid_exception_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.measure_id}"


class HistoryYear(models.Model):
    """One year of the ministry's published table (KRW 100 million, 억원), loaded as history;
    `source` names the table or the summary it comes from."""

    year = models.PositiveSmallIntegerField(unique=True)
    gov_by_government = models.IntegerField(null=True, blank=True)
    gov_via_ngos = models.IntegerField(null=True, blank=True)
    gov_via_intl_orgs = models.IntegerField(null=True, blank=True)
    gov_free_total = models.IntegerField(null=True, blank=True)
    gov_food_loans = models.IntegerField(null=True, blank=True)
    gov_total = models.IntegerField(null=True, blank=True)
    ngo_total = models.IntegerField(null=True, blank=True)
    grand_total = models.IntegerField()
    note = models.TextField(blank=True)
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class HistoryFigure(models.Model):
    """A figure the sources give differently (the 2004 total without loans: 2,984 in the
    press, 2,872 in the ministry's table), or one cited beside the table (the seed's 2.55 Mt of
    fertiliser 1999–2007): every source's figure is kept, and the pages say they differ."""

    key = models.SlugField(max_length=60)
    label_ko = models.CharField(max_length=300)
    label_en = models.CharField(max_length=300)
    value = models.DecimalField(max_digits=20, decimal_places=3)
    unit = models.CharField(max_length=30)
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["key", "source"], name="aid_history_figure_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.value} {self.unit} ({self.source})"
