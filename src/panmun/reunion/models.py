"""Reunion rounds (이산가족 상봉 = family reunion): the selection by a verifiable lottery, the
in-person event at Geumgangsan, video reunions (화상상봉) and video letters (영상편지).

A `ReunionRound` goes through stages, each recorded in a `StageChange` and in the audit log:
draft (criteria set by a supervisor) → frozen (the pool and the commitment published) → drawn
(the lottery ran, the seed is revealed) → checking (willingness and health of the candidates) →
tracing (the other side is asked whether the relatives are alive) → final (the final list and
reserves). A supervisor may step a round back, with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from panmun.families.models import Person, TracingRound


class RoundKind(models.TextChoices):
    IN_PERSON = "in_person", _("In-person reunion")
    VIDEO = "video", _("Video reunion")


class Stage(models.TextChoices):
    DRAFT = "draft", _("Criteria being set")
    FROZEN = "frozen", _("Pool frozen")
    DRAWN = "drawn", _("Candidates drawn")
    CHECKING = "checking", _("Willingness and health being checked")
    TRACING = "tracing", _("Tracing inquiry")
    FINAL = "final", _("Final list fixed")


STAGE_ORDER = [s.value for s in Stage]


class ReunionRound(models.Model):
    """One reunion round (상봉 회차) of either kind, with its selection criteria as data."""

    kind = models.CharField(_("kind"), max_length=10, choices=RoundKind.choices)
    number = models.PositiveIntegerField(_("round number"))
    name = models.CharField(_("name"), max_length=200)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.DRAFT)
    starts_on = models.DateField(_("first day"))
    days = models.PositiveSmallIntegerField(_("days"), default=3)
    criteria = models.JSONField(_("selection criteria"), default=dict)
    tracing_round = models.ForeignKey(
        TracingRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reunion_rounds",
        verbose_name=_("tracing round"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="reunion_round_number_unique"),
            models.CheckConstraint(
                condition=Q(stage__in=[s.value for s in Stage]), name="reunion_round_stage_valid"
            ),
            models.CheckConstraint(
                condition=Q(days__gte=1) & Q(days__lte=14), name="reunion_round_days_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StageChange(models.Model):
    """A round moved from one stage to another: who, when, and (for a step back) why."""

    round = models.ForeignKey(ReunionRound, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=10, choices=Stage.choices)
    to_stage = models.CharField(max_length=10, choices=Stage.choices)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.round}: {self.from_stage} → {self.to_stage}"


class SeedSource(models.TextChoices):
    SECRET = "secret", _("Secret random seed")
    HEX = "hex", _("Seed typed in")
    PUBLIC = "public", _("Seed from a public drawing")


class Draw(models.Model):
    """The frozen pool, its commitment, and once drawn the result (추첨). The seed stays hidden
    until the draw; afterwards the whole bundle can be downloaded and checked by anyone."""

    round = models.OneToOneField(ReunionRound, on_delete=models.CASCADE, related_name="draw")
    pool_csv = models.TextField()
    criteria_json = models.TextField()
    pool_sha256 = models.CharField(max_length=64)
    criteria_sha256 = models.CharField(max_length=64)
    seed_sha256 = models.CharField(max_length=64)
    seed_hex = models.CharField(max_length=64)
    seed_source = models.CharField(max_length=8, choices=SeedSource.choices)
    seed_text = models.TextField(blank=True)
    pool_size = models.PositiveIntegerField()
    committed_at = models.DateTimeField()
    drawn_at = models.DateTimeField(null=True, blank=True)
    result_csv = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.round} · {self.pool_sha256[:12]}"


class Willingness(models.TextChoices):
    PENDING = "pending", _("Not yet asked")
    WILLING = "willing", _("Willing")
    DECLINED = "declined", _("Declined")


class Health(models.TextChoices):
    PENDING = "pending", _("Not yet checked")
    FIT = "fit", _("Fit to travel")
    UNFIT = "unfit", _("Not fit to travel")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    FINAL = "final", _("On the final list")
    RESERVE = "reserve", _("Reserve")
    OUT = "out", _("Not selected")


class OutcomeReason(models.TextChoices):
    """Why a candidate is not on the final list."""

    NOT_DRAWN = "not_drawn", _("not drawn")
    DECLINED = "declined", _("declined")
    UNFIT = "unfit", _("not fit to travel")
    UNCHECKED = "unchecked", _("not checked")
    RELATIVES_DECEASED = "relatives_deceased", _("relatives deceased")
    RELATIVES_NOT_FOUND = "relatives_not_found", _("relatives not found alive")
    APPLICANT_DECEASED = "applicant_deceased", _("applicant deceased")


class Candidate(models.Model):
    """An applicant in a round's frozen pool: an opaque draw id, a stratum and a weight; after the
    draw a rank; then the checks and the outcome."""

    # The unique constraints below start with the round: they serve its lookups, so the round
    # needs no index of its own (fewer indexes to keep while tens of thousands are written).
    round = models.ForeignKey(
        ReunionRound, on_delete=models.CASCADE, related_name="candidates", db_index=False
    )
    applicant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="candidacies")
    draw_id = models.CharField(max_length=32)
    stratum = models.CharField(max_length=100)
    weight = models.FloatField()
    age = models.SmallIntegerField(null=True, blank=True)
    relation = models.CharField(max_length=8, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    drawn = models.BooleanField(default=False)
    willingness = models.CharField(
        _("willingness"), max_length=8, choices=Willingness.choices, default=Willingness.PENDING
    )
    health = models.CharField(
        _("health"), max_length=8, choices=Health.choices, default=Health.PENDING
    )
    check_note = models.CharField(_("note"), max_length=300, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_reason = models.CharField(
        _("reason"), max_length=20, choices=OutcomeReason.choices, blank=True
    )

    class Meta:
        ordering = ["stratum", "rank", "draw_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "draw_id"], name="candidate_draw_id_unique"),
            models.UniqueConstraint(fields=["round", "applicant"], name="candidate_once_per_round"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="candidate_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.draw_id


class Need(models.TextChoices):
    WHEELCHAIR = "wheelchair", _("Wheelchair")
    MEDICAL = "medical", _("Medical escort")
    DIALECT = "dialect", _("Dialect interpreter")


class AbsenceKind(models.TextChoices):
    HEALTH = "health", _("Health")
    DIED = "died", _("Died before the reunion")
    DECLINED = "declined", _("Withdrew")
    OTHER = "other", _("Other")


class ReunionEvent(models.Model):
    """An in-person reunion (대면상봉): two nights and three days, by default at the Geumgangsan
    reunion centre (금강산 이산가족면회소)."""

    round = models.OneToOneField(ReunionRound, on_delete=models.CASCADE, related_name="event")
    venue = models.CharField(_("venue"), max_length=200)
    companions_limit = models.PositiveSmallIntegerField(_("companions per family"), default=3)
    families_per_table = models.PositiveSmallIntegerField(_("families per table"), default=4)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(companions_limit__lte=10), name="event_companions_limit_range"
            ),
            models.CheckConstraint(
                condition=Q(families_per_table__gte=1), name="event_families_per_table_min"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.venue}"


class SessionKind(models.TextChoices):
    GROUP = "group", _("Group reunion")
    WELCOME_DINNER = "welcome_dinner", _("Welcome dinner")
    PRIVATE = "private", _("Private family reunion")
    LUNCH = "lunch", _("Lunch in the rooms")
    FAREWELL = "farewell", _("Farewell reunion and lunch")
    OTHER = "other", _("Other")


class ReunionSession(models.Model):
    event = models.ForeignKey(ReunionEvent, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField(_("day"))
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    kind = models.CharField(_("session"), max_length=16, choices=SessionKind.choices)
    place = models.CharField(_("place"), max_length=200)

    class Meta:
        ordering = ["day", "starts", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=models.F("starts")), name="session_order")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.starts:%H:%M} {self.kind}"


class Participant(models.Model):
    """A family on a round's final list: for an in-person event their table and room, for a
    video round their room and slot; afterwards whether they took part."""

    candidate = models.OneToOneField(
        Candidate, on_delete=models.CASCADE, related_name="participant"
    )
    round = models.ForeignKey(ReunionRound, on_delete=models.CASCADE, related_name="participants")
    needs = models.JSONField(_("needs"), default=list, blank=True)
    table = models.CharField(_("table"), max_length=10, blank=True)
    room = models.CharField(_("room"), max_length=20, blank=True)
    # Video rounds: the officer's choice of room and the family's date, then the schedule.
    requested_date = models.DateField(_("requested date"), null=True, blank=True)
    room_choice = models.CharField(_("room chosen"), max_length=20, blank=True)
    video_day = models.DateField(null=True, blank=True)
    video_slot = models.PositiveSmallIntegerField(null=True, blank=True)
    south_room = models.CharField(max_length=20, blank=True)
    north_room = models.CharField(max_length=20, blank=True)
    unplaced_code = models.CharField(max_length=20, blank=True)
    unplaced_ko = models.CharField(max_length=300, blank=True)
    unplaced_en = models.CharField(max_length=300, blank=True)
    # After the reunion.
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    absence = models.CharField(
        _("reason for absence"), max_length=10, choices=AbsenceKind.choices, blank=True
    )
    absence_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["candidate__stratum", "candidate__rank"]

    def __str__(self) -> str:
        return str(self.candidate.applicant)


class Companion(models.Model):
    """A South relative accompanying the applicant (동반 가족)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="companions"
    )
    name = models.CharField(_("name"), max_length=100)
    relation = models.CharField(_("relation"), max_length=50)
    birth_year = models.SmallIntegerField(_("birth year"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relation})"


class NorthRelative(models.Model):
    """The other side's list: a relative the family will meet (북측 가족)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="north_relatives"
    )
    name = models.CharField(_("name"), max_length=100)
    relation = models.CharField(_("relation"), max_length=50)
    age = models.SmallIntegerField(_("age"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relation})"


class LetterDirection(models.TextChoices):
    OUTGOING = "outgoing", _("To the other side")
    INCOMING = "incoming", _("From the other side")


class LetterStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")


class VideoLetter(models.Model):
    """A video letter (영상편지): the file stays where it was recorded; Panmun keeps its reference,
    checksum, length and language, and where it is on its way."""

    direction = models.CharField(_("direction"), max_length=8, choices=LetterDirection.choices)
    applicant = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="video_letters", verbose_name=_("family")
    )
    addressee = models.CharField(_("addressee"), max_length=200)
    file_ref = models.CharField(_("file reference"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    duration_seconds = models.PositiveIntegerField(_("length (seconds)"))
    language = models.CharField(_("language"), max_length=20, default="ko")
    status = models.CharField(
        _("status"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.RECORDED
    )
    recorded_on = models.DateField(_("recorded on"))
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["sha256"], name="video_letter_sha256_unique"),
            models.CheckConstraint(
                condition=Q(duration_seconds__gte=1) & Q(duration_seconds__lte=4 * 3600),
                name="video_letter_duration_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_on__isnull=False),
                name="video_letter_delivered_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_on__isnull=False),
                name="video_letter_sent_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "direction"])]

    def __str__(self) -> str:
        return f"{self.addressee} · {self.file_ref}"
