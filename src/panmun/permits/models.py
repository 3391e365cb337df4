"""An application for exchange approvals, and the approvals it fans out into (one per kind), each
moving through its states by the transitions of a declared state machine (django-fsm-2; every
transition is logged by django-fsm-log's StateLog, with who made it)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by

from panmun.accounts.models import Organisation, User


class ApprovalKind(models.TextChoices):
    """The approvals of the Act (Art. 9, 9-2, 13, 17) and of the complex's crossings."""

    VISIT = "visit", _("Visit (Art. 9)")
    CONTACT = "contact", _("Contact report (Art. 9-2)")
    GOODS = "goods", _("Goods carried in or out (Art. 13)")
    PROJECT = "project", _("Cooperation project (Art. 17)")
    VEHICLE = "vehicle", _("Vehicle operation")
    CROSSING = "crossing", _("Crossing plan")


class ApprovalState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("approval state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("approval state", "Submitted")
    UNDER_REVIEW = "under_review", pgettext_lazy("approval state", "Under review")
    INFO_REQUESTED = "info_requested", pgettext_lazy("approval state", "More information requested")
    APPROVED = "approved", pgettext_lazy("approval state", "Approved")
    APPROVED_WITH_CONDITIONS = (
        "approved_with_conditions",
        pgettext_lazy("approval state", "Approved with conditions"),
    )
    REFUSED = "refused", pgettext_lazy("approval state", "Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("approval state", "Withdrawn")
    REVOKED = "revoked", pgettext_lazy("approval state", "Revoked")
    EXPIRED = "expired", pgettext_lazy("approval state", "Expired")


S = ApprovalState
#: The states in which an approval is in force.
IN_FORCE = (S.APPROVED, S.APPROVED_WITH_CONDITIONS)
#: The states an applicant may still withdraw from.
OPEN = (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.INFO_REQUESTED)
#: The states no move leaves: the approval no longer reads its application.
CLOSED = (S.REFUSED, S.WITHDRAWN, S.REVOKED, S.EXPIRED)


class Direction(models.TextChoices):
    TO_NORTH = "to_north", _("South to North")
    TO_SOUTH = "to_south", _("North to South")


class Destination(models.TextChoices):
    """Where the exchange takes place: the policy measures name these places."""

    GAESEONG = "gaeseong", _("Gaeseong Industrial Complex")
    GEUMGANGSAN = "geumgangsan", _("Geumgangsan (Mount Kumgang)")
    PYONGYANG = "pyongyang", _("Pyongyang")
    OTHER_NORTH = "other_north", _("Elsewhere in the North")
    SOUTH = "south", _("In the South")
    ABROAD = "abroad", _("A third country")


class EntryPoint(models.TextChoices):
    """The entry and exit points of the Decree (Art. 2)."""

    PANMUNJOM = "panmunjom", _("Panmunjom")
    GYEONGUI = "gyeongui", _("Gyeongui line office (Dorasan, Paju)")
    DONGHAE = "donghae", _("Donghae line office (Goseong)")
    NONE = "none", _("No crossing (abroad or by letter)")


class Sex(models.TextChoices):
    MALE = "M", pgettext_lazy("sex", "Male")
    FEMALE = "F", pgettext_lazy("sex", "Female")


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    RESIDENT_ID = "resident_id", _("Resident registration number")
    TRAVEL_CERTIFICATE = "travel_certificate", _("Travel certificate (overseas Koreans)")
    ALIEN_REGISTRATION = "alien_registration", _("Alien registration number")


class ProfileKind(models.TextChoices):
    """Who keeps an applicant profile (Tongtong's information store, 2014)."""

    FIRM = "firm", _("Firm")
    NGO = "ngo", _("Non-governmental organisation")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    INDIVIDUAL = "individual", _("Individual")
    OVERSEAS_KOREAN = "overseas_korean", _("Overseas Korean")
    FOREIGNER = "foreigner", _("Foreign national")


class VehicleKind(models.TextChoices):
    CAR = "car", _("Passenger car")
    VAN = "van", _("Van")
    BUS = "bus", _("Bus")
    TRUCK = "truck", _("Truck")
    SPECIAL = "special", _("Special vehicle")


class ContactMethod(models.TextChoices):
    MEETING = "meeting", _("Meeting in person")
    PHONE = "phone", _("Telephone")
    FAX = "fax", _("Fax")
    EMAIL = "email", pgettext_lazy("contact method", "E-mail")
    LETTER = "letter", _("Letter")
    OTHER = "other", pgettext_lazy("contact method", "Other")


class ContactTiming(models.TextChoices):
    BEFORE = "before", _("Reported before the contact")
    AFTER = "after", _("Reported after the contact")


class AfterReason(models.TextChoices):
    """The contacts that may be reported afterwards (Art. 9-2)."""

    FAMILY = "family", _("Family meeting, letters or checking on relatives")
    TRADE_URGENT = "trade_urgent", _("Urgent trade contact")
    EMAIL_UNPLANNED = "email_unplanned", _("Unplanned e-mail contact")
    LETTER_RECEIVED = "letter_received", _("A letter received")


class GoodsDirection(models.TextChoices):
    CARRY_OUT = "carry_out", _("Carried out to the North")
    CARRY_IN = "carry_in", _("Carried in from the North")


class Profile(models.Model):
    """An applicant's saved information: an organisation's (firms, NGOs, local governments) or
    an individual's, with the people, vehicles and usual goods they file again and again."""

    kind = models.CharField(max_length=20, choices=ProfileKind.choices)
    organisation = models.OneToOneField(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="permit_profile"
    )
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="permit_profile"
    )
    name_ko = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    registration_number = models.CharField(max_length=40, blank=True)  # business no., etc.
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        verbose_name = _("applicant profile")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) ^ Q(user__isnull=False),
                name="permits_profile_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ProfileKind.values), name="permits_profile_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.name_ko


class PersonFields(models.Model):
    """A person as an approval names them: what a visit certificate prints."""

    name_ko = models.CharField(max_length=100)
    name_latin = models.CharField(max_length=100, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices)
    birth_date = models.DateField()
    document_kind = models.CharField(max_length=24, choices=DocumentKind.choices)
    document_number = models.CharField(max_length=40)
    nationality = models.CharField(max_length=2, default="KR")  # ISO 3166-1 alpha-2
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name_ko


#: The fields of a person, as a profile keeps them and an application copies them.
PERSON_FIELDS = (
    "name_ko",
    "name_latin",
    "sex",
    "birth_date",
    "document_kind",
    "document_number",
    "nationality",
    "phone",
    "email",
)


class ProfilePerson(PersonFields):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="people")

    class Meta:
        ordering = ["name_ko", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "document_kind", "document_number"],
                name="permits_profile_person_once",
            )
        ]


class VehicleFields(models.Model):
    plate_number = models.CharField(max_length=20)
    vehicle_kind = models.CharField(max_length=10, choices=VehicleKind.choices)
    make_model = models.CharField(max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.plate_number


class ProfileVehicle(VehicleFields):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="vehicles")

    class Meta:
        ordering = ["plate_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "plate_number"], name="permits_profile_vehicle_once"
            )
        ]


class ProfileGoods(models.Model):
    """Goods an applicant carries often, with their HS code."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="goods")
    hs_code = models.CharField(max_length=6)
    description = models.CharField(max_length=200)
    unit = models.CharField(max_length=20)
    currency = models.CharField(max_length=3, default="USD")

    class Meta:
        ordering = ["hs_code", "pk"]

    def __str__(self) -> str:
        return f"{self.hs_code} {self.description}"


class Application(models.Model):
    """What an applicant files once (Tongtong's combined application, 2019): it fans out into one
    approval per kind. The period, the place and the people are the application's, shared by
    its approvals."""

    reference = models.CharField(max_length=40, unique=True)
    applicant = models.ForeignKey(User, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    profile = models.ForeignKey(
        Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    purpose = models.TextField()
    direction = models.CharField(max_length=10, choices=Direction.choices, default="to_north")
    destination = models.CharField(max_length=20, choices=Destination.choices, default="gaeseong")
    destination_detail = models.CharField(max_length=200, blank=True)
    entry_point = models.CharField(max_length=12, choices=EntryPoint.choices, default="gyeongui")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    #: The inviting or partner organisation on the other side, as written in the invitation.
    north_partner = models.CharField(max_length=200, blank=True)
    #: The same organisation as Panmun knows it, so that it sees the visits it invited.
    north_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="permits_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class Traveller(PersonFields):
    """A person named in an application: a visitor, a driver, a person on a crossing plan."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="travellers"
    )
    profile_person = models.ForeignKey(
        ProfilePerson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    row = models.PositiveIntegerField(default=0)  # the order of the list, or its file's row

    class Meta:
        ordering = ["application", "row", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "document_kind", "document_number"],
                name="permits_traveller_once",
            )
        ]
        indexes = [models.Index(fields=["document_number"], name="permits_traveller_doc")]


class Vehicle(VehicleFields):
    """A vehicle of an application's vehicle approval and crossing plan."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="vehicles")
    driver = models.ForeignKey(
        Traveller, null=True, blank=True, on_delete=models.SET_NULL, related_name="vehicles"
    )

    class Meta:
        ordering = ["application", "plate_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "plate_number"], name="permits_vehicle_once"
            )
        ]


class Approval(models.Model):
    """One approval of an application. Its state changes only through the transitions below,
    called by `services.approval_transition` (the field is protected)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(max_length=20, choices=ApprovalKind.choices)
    state = FSMField(max_length=30, choices=ApprovalState.choices, default=S.DRAFT, protected=True)
    # A refusal's and a revocation's reasons, an approval's conditions, an officer's questions:
    # each in Korean and English, as the applicant and the other side read them.
    reasons_ko = models.TextField(blank=True)
    reasons_en = models.TextField(blank=True)
    conditions_ko = models.TextField(blank=True)
    conditions_en = models.TextField(blank=True)
    questions_ko = models.TextField(blank=True)
    questions_en = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="approvals_decided"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="approvals_assigned"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    # --- each kind's own fields (the others stay empty) ---------------------------------------
    # Visit (Art. 9): one visit, or several within the period.
    multiple = models.BooleanField(default=False)
    # Contact report (Art. 9-2).
    contact_date = models.DateField(null=True, blank=True)
    contact_method = models.CharField(max_length=10, choices=ContactMethod.choices, blank=True)
    contact_counterpart = models.CharField(max_length=200, blank=True)
    contact_timing = models.CharField(max_length=6, choices=ContactTiming.choices, blank=True)
    after_reason = models.CharField(max_length=20, choices=AfterReason.choices, blank=True)
    # Goods (Art. 13).
    goods_direction = models.CharField(max_length=10, choices=GoodsDirection.choices, blank=True)
    #: A standing approval for the Gaeseong and Geumgangsan operations, not item by item.
    comprehensive = models.BooleanField(default=False)
    #: Humanitarian aid to vulnerable groups (what the 2010 measures still allowed).
    humanitarian = models.BooleanField(default=False)
    # Cooperation project (Art. 17).
    project_title = models.CharField(max_length=200, blank=True)
    project_partner = models.CharField(max_length=200, blank=True)
    land_lease = models.BooleanField(default=False)
    lease_signed_on = models.DateField(null=True, blank=True)
    # Crossing plan: the date and slot (filed 3 days ahead), the direction of the crossing.
    crossing_date = models.DateField(null=True, blank=True)
    crossing_slot = models.TimeField(null=True, blank=True)
    crossing_direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)

    class Meta:
        ordering = ["application", "kind"]
        indexes = [
            # An officer's queue: open approvals of one kind, oldest first.
            models.Index(fields=["kind", "state", "submitted_at", "id"], name="permits_queue"),
            # The same, of one officer's: "assigned to me".
            models.Index(
                fields=["assigned_to", "kind", "state", "submitted_at", "id"],
                name="permits_queue_mine",
            ),
        ]
        verbose_name = _("approval")
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="permits_one_kind_each"),
            models.CheckConstraint(
                condition=Q(kind__in=ApprovalKind.values), name="permits_approval_kind"
            ),
            models.CheckConstraint(
                condition=Q(state__in=ApprovalState.values), name="permits_approval_state"
            ),
            # A refusal or a revocation without its reasons, in both languages, cannot be stored.
            models.CheckConstraint(
                condition=~Q(state__in=[S.REFUSED, S.REVOKED])
                | (~Q(reasons_ko="") & ~Q(reasons_en="")),
                name="permits_refusal_has_reasons",
            ),
            models.CheckConstraint(
                condition=~Q(state=S.APPROVED_WITH_CONDITIONS)
                | (~Q(conditions_ko="") & ~Q(conditions_en="")),
                name="permits_conditions_stated",
            ),
            models.CheckConstraint(
                condition=~Q(state=S.INFO_REQUESTED) | (~Q(questions_ko="") & ~Q(questions_en="")),
                name="permits_questions_stated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} {self.kind}"

    # --- the state machine: who calls which is decided in services and access ------------------

    @fsm_log_by
    @transition(field=state, source=S.DRAFT, target=S.SUBMITTED)
    def submit(self, by: User | None = None) -> None:
        """The applicant files it."""

    @fsm_log_by
    @transition(field=state, source=S.SUBMITTED, target=S.UNDER_REVIEW)
    def start_review(self, by: User | None = None) -> None:
        """An officer takes it up."""

    @fsm_log_by
    @transition(field=state, source=S.UNDER_REVIEW, target=S.INFO_REQUESTED)
    def request_info(self, by: User | None = None) -> None:
        """The officer asks the applicant for more (the questions are set before)."""

    @fsm_log_by
    @transition(field=state, source=S.INFO_REQUESTED, target=S.UNDER_REVIEW)
    def resubmit(self, by: User | None = None) -> None:
        """The applicant answers; the approval goes back to its officer."""

    @fsm_log_by
    @transition(field=state, source=S.UNDER_REVIEW, target=S.APPROVED)
    def approve(self, by: User | None = None) -> None:
        """Approved as asked."""

    @fsm_log_by
    @transition(field=state, source=S.UNDER_REVIEW, target=S.APPROVED_WITH_CONDITIONS)
    def approve_with_conditions(self, by: User | None = None) -> None:
        """Approved with the conditions set before."""

    @fsm_log_by
    @transition(field=state, source=S.UNDER_REVIEW, target=S.REFUSED)
    def refuse(self, by: User | None = None) -> None:
        """Refused, for the reasons set before."""

    @fsm_log_by
    @transition(field=state, source=list(OPEN), target=S.WITHDRAWN)
    def withdraw(self, by: User | None = None) -> None:
        """The applicant takes it back before a decision."""

    @fsm_log_by
    @transition(field=state, source=list(IN_FORCE), target=S.SUBMITTED)
    def reopen(self, by: User | None = None) -> None:
        """A major amendment (the period, the place, the people) sends it back to review."""

    @fsm_log_by
    @transition(field=state, source=list(IN_FORCE), target=S.REVOKED)
    def revoke(self, by: User | None = None) -> None:
        """A supervisor ends an approval in force, for the reasons set before."""

    @fsm_log_by
    @transition(field=state, source=list(IN_FORCE), target=S.EXPIRED)
    def expire(self, by: User | None = None) -> None:
        """Its validity has passed."""


class GoodsLine(models.Model):
    """An item of a goods approval, or the cargo of a crossing plan: HS 2022 code, quantity,
    value and currency (Art. 13; every item approved before, from the notice of 11 June 2010)."""

    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="goods_lines")
    row = models.PositiveIntegerField(default=0)
    hs_code = models.CharField(max_length=6)
    description = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    unit = models.CharField(max_length=20)
    value = models.DecimalField(max_digits=16, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD")  # ISO 4217

    class Meta:
        ordering = ["approval", "row", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="permits_goods_quantity"),
            models.CheckConstraint(condition=Q(value__gte=0), name="permits_goods_value"),
        ]

    def __str__(self) -> str:
        return f"{self.hs_code} {self.description}"


class PolicyWhere(models.TextChoices):
    ANYWHERE = "anywhere", _("Anywhere")
    EXCEPT_GAESEONG = "except_gaeseong", _("Except the Gaeseong complex")
    EXCEPT_GAESEONG_GEUMGANGSAN = (
        "except_gaeseong_geumgangsan",
        _("Except the Gaeseong and Geumgangsan operations"),
    )
    GAESEONG = "gaeseong", _("The Gaeseong complex only")


class PolicyEffect(models.TextChoices):
    FORBID = "forbid", _("Not approved")
    ITEMISE = "itemise", _("Every item approved before (no comprehensive approval)")


class AidKind(models.TextChoices):
    """What the aid app asks the policy table about (`aid.policy`): the government's free aid
    (directly, through NGOs, through international organisations), an NGO's aid and
    shipments, and the food loans."""

    AID_GOVERNMENT = "aid_government", _("Government's free aid")
    AID_NGO = "aid_ngo", _("NGO aid and shipments")
    AID_LOAN = "aid_loan", _("Food loans")


#: The kinds a rule may be about: the approvals of the Act, and the aid.
POLICY_KINDS = [*ApprovalKind.choices, *AidKind.choices]


class PolicyMeasure(models.Model):
    """A dated measure of the government that restricts approvals (e.g. the measures of 24 May
    2010). In force from `starts_on` to `ends_on` (inclusive; open while empty)."""

    code = models.SlugField(max_length=40, unique=True)
    name_ko = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    summary_ko = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    source = models.CharField(max_length=400, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "code"]
        verbose_name = _("policy measure")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="permits_measure_dates",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name_ko} ({self.starts_on})"


class PolicyRule(models.Model):
    """What a measure does to one kind of approval, where."""

    measure = models.ForeignKey(PolicyMeasure, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=20, choices=POLICY_KINDS)
    effect = models.CharField(max_length=10, choices=PolicyEffect.choices, default="forbid")
    where = models.CharField(max_length=30, choices=PolicyWhere.choices, default="anywhere")
    #: Humanitarian aid to vulnerable groups stays allowed under this rule.
    humanitarian_exempt = models.BooleanField(default=False)
    #: An aid rule's commodities (aid.models.Commodity values): the rule covers only these
    #: (2006: rice and fertiliser); empty, it covers every commodity.
    commodities = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["measure", "kind"]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.kind} {self.effect} {self.where}"


class PolicyException(models.Model):
    """A supervisor's exception to a measure for one application, with the reason (audited)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="policy_exceptions"
    )
    measure = models.ForeignKey(PolicyMeasure, on_delete=models.PROTECT, related_name="+")
    reason_ko = models.TextField()
    reason_en = models.TextField()
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "measure"], name="permits_exception_once"
            ),
            models.CheckConstraint(
                condition=~Q(reason_ko="") & ~Q(reason_en=""), name="permits_exception_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.measure_id}"


class Certificate(models.Model):
    """A visit certificate (방문증명서) of one traveller under a visit approval in force; the
    token is what its QR code carries, signed."""

    number = models.CharField(max_length=40, unique=True)
    approval = models.ForeignKey(Approval, on_delete=models.PROTECT, related_name="certificates")
    traveller = models.ForeignKey(Traveller, on_delete=models.PROTECT, related_name="certificates")
    valid_from = models.DateField()
    valid_to = models.DateField()
    multiple = models.BooleanField(default=False)
    token = models.TextField()
    key_id = models.CharField(max_length=64)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("visit certificate")

    def __str__(self) -> str:
        return self.number
