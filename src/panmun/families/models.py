"""The separated-families registry (이산가족 등록) and the tracing exchange (생사확인 = tracing:
confirming whether a relative is alive and where).

Everyone the registry knows is a `Person`: the applicants who registered (신청자) and the
relatives they seek (찾는 가족). A `Seeking` links an applicant to a person sought, so one
applicant may seek several relatives and several applicants may seek the same person. Persons
are never deleted by a merge: the merged one points at the one kept (`merged_into`) and the
`Merge` row remembers what moved, so the merge can be undone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    OTHER = "X", _("Other")


class BirthCalendar(models.TextChoices):
    SOLAR = "solar", _("Solar")
    LUNAR = "lunar", _("Lunar")


class VitalStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    ALIVE = "alive", _("Alive")
    DECEASED = "deceased", _("Deceased")


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    PARENT = "parent", _("Parent")
    CHILD = "child", _("Child")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relative")


class NoteStatus(models.TextChoices):
    """The note statuses of PFIF 1.4."""

    INFORMATION_SOUGHT = "information_sought", _("Information sought")
    IS_NOTE_AUTHOR = "is_note_author", _("I am this person")
    BELIEVED_ALIVE = "believed_alive", _("Believed alive")
    BELIEVED_MISSING = "believed_missing", _("Believed missing")
    BELIEVED_DEAD = "believed_dead", _("Believed dead")


class DnaKind(models.TextChoices):
    BUCCAL = "buccal", _("Buccal swab")
    BLOOD = "blood", _("Blood")
    HAIR = "hair", _("Hair")
    OTHER = "other", _("Other")


class Person(models.Model):
    """인물 — an applicant or a relative sought (or both), with the keys search uses."""

    registry_no = models.CharField(
        _("registration number"), max_length=20, unique=True, null=True, blank=True
    )
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    full_name = models.CharField(_("full name"), max_length=300, blank=True)
    name_latin = models.CharField(_("name in Latin letters"), max_length=200, blank=True)
    alternate_names = models.TextField(_("other names"), blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.CharField(
        _("birth date"), max_length=10, blank=True, help_text=_("YYYY, YYYY-MM or YYYY-MM-DD")
    )
    birth_year = models.SmallIntegerField(_("birth year"), null=True, blank=True, db_index=True)
    birth_calendar = models.CharField(
        _("birth calendar"), max_length=5, choices=BirthCalendar.choices, blank=True
    )
    age = models.CharField(_("age"), max_length=10, blank=True)
    hometown = models.CharField(_("hometown"), max_length=200, blank=True)
    hometown_key = models.CharField(max_length=200, blank=True, db_index=True)
    father_name = models.CharField(_("father's name"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=VitalStatus.choices, default=VitalStatus.UNKNOWN
    )
    death_date = models.CharField(_("date of death"), max_length=10, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.CharField(_("e-mail"), max_length=200, blank=True)
    abroad = models.BooleanField(_("lives abroad"), default=False)
    country = models.CharField(_("country"), max_length=100, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    consent_share = models.BooleanField(_("consents to sharing with the other side"), default=False)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    # Whether the other side may be told who is looking (the applicant's name and relation) on
    # a tracing request, so that a relative found can be told who seeks them. Without it the
    # other side reads "a relative in the South" (`families.access.may_see_seeker`). Who
    # recorded the answer and when: set by `services.registry` at every change (audited).
    consent_name = models.BooleanField(
        _("agrees that the other side is told their name"), default=False
    )
    consent_name_at = models.DateTimeField(
        _("name consent recorded at"), null=True, blank=True, editable=False
    )
    consent_name_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("name consent recorded by"),
    )
    notes = models.TextField(_("notes"), blank=True)
    # Exchange with other tracing systems: the PFIF record id this person came with, and the
    # PFIF fields Panmun has no column for, kept so that nothing is lost on the way back out.
    pfif_id = models.CharField(
        _("PFIF record id"), max_length=500, unique=True, null=True, blank=True
    )
    pfif_extra = models.JSONField(default=dict, blank=True)
    # Search keys from panmun.korean: the same for 리선권, 이선권, Ri Son Gwon, Lee Sun-kwon.
    family_key = models.CharField(max_length=40, blank=True, db_index=True)
    given_key = models.CharField(max_length=60, blank=True, db_index=True)
    name_key = models.CharField(max_length=101, blank=True, db_index=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    # Where the vital status came from: the tracing round whose applied answer last changed it
    # (none when it was registered so, or changed by hand), and the day it changed.
    status_round = models.ForeignKey(
        "TracingRound",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statuses_set",
        verbose_name=_("status set by the tracing round"),
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in VitalStatus]), name="person_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(sex__in=["", *[s.value for s in Sex]]), name="person_sex_valid"
            ),
            models.CheckConstraint(
                condition=Q(death_date="") | Q(status=VitalStatus.DECEASED),
                name="person_death_date_only_if_deceased",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=F("id")),
                name="person_not_merged_into_itself",
            ),
            models.CheckConstraint(
                condition=Q(consent_name=False) | Q(consent_name_at__isnull=False),
                name="person_name_consent_recorded",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = f"{self.family_name}{self.given_name}".strip()
        return name or self.full_name or self.name_latin or f"#{self.pk}"

    @property
    def is_applicant(self) -> bool:
        return bool(self.registry_no)


class Seeking(models.Model):
    """An applicant seeks a relative: the relation and what is known of the separation."""

    applicant = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="seeking")
    sought = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sought_by")
    relation = models.CharField(_("relation"), max_length=8, choices=Relation.choices)
    last_known_place = models.CharField(_("last known place"), max_length=200, blank=True)
    separated_on = models.CharField(_("date of separation"), max_length=10, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The PFIF note ("information sought") that carries this link to other tracing systems.
    pfif_note_id = models.CharField(max_length=500, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("relative sought")
        verbose_name_plural = _("relatives sought")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "sought"], name="seeking_unique_pair"),
            models.CheckConstraint(condition=~Q(applicant=F("sought")), name="seeking_not_oneself"),
            models.CheckConstraint(
                condition=Q(relation__in=[r.value for r in Relation]),
                name="seeking_relation_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.sought} ({self.relation})"


class PersonNote(models.Model):
    """A note about a person (a PFIF note): who wrote it, what they believe, what they saw."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="person_notes")
    note_record_id = models.CharField(max_length=500, unique=True, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=NoteStatus.choices, blank=True)
    author_name = models.CharField(_("author"), max_length=300, blank=True)
    author_email = models.CharField(max_length=200, blank=True)
    author_phone = models.CharField(max_length=50, blank=True)
    author_made_contact = models.BooleanField(null=True, blank=True)
    linked_person_record_id = models.CharField(max_length=500, blank=True)
    email_of_found_person = models.CharField(max_length=200, blank=True)
    phone_of_found_person = models.CharField(max_length=50, blank=True)
    last_known_location = models.TextField(blank=True)
    text = models.TextField(_("text"), blank=True)
    photo_url = models.CharField(max_length=500, blank=True)
    entry_date = models.DateTimeField(null=True, blank=True)
    source_date = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.note_record_id or f"note {self.pk}"


class DnaSample(models.Model):
    """A DNA sample taken from an applicant (유전자 검사 시료): the register only, no genotypes."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="dna_samples")
    sample_id = models.CharField(_("sample id"), max_length=50, unique=True)
    taken_on = models.DateField(_("date taken"))
    kind = models.CharField(_("kind"), max_length=8, choices=DnaKind.choices)

    class Meta:
        ordering = ["taken_on", "id"]

    def __str__(self) -> str:
        return self.sample_id


class DuplicateState(models.TextChoices):
    OPEN = "open", _("To decide")
    MERGED = "merged", _("Merged")
    KEPT_APART = "kept_apart", _("Kept apart")


class DuplicateCandidate(models.Model):
    """Two persons the linkage engine judges may be one; an officer merges or keeps them apart."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    explanation = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=DuplicateState.choices, default="open")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_unique_pair"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="duplicate_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.probability:.2f})"


class Merge(models.Model):
    """The record of a merge: what moved from `merged` to `kept`, so that it can be undone."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(
        DuplicateCandidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kept_before = models.JSONField(default=dict)
    moved = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.kept_id}"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SENT = "sent", _("Sent to the other side")
    REPLIED = "replied", _("Reply received")
    APPLIED = "applied", _("Applied")


class TracingRound(models.Model):
    """생사확인 회차 — one exchange of tracing lists with the other side."""

    name = models.CharField(_("name"), max_length=200)
    target_size = models.PositiveIntegerField(_("target size"))
    status = models.CharField(
        _("status"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    reply_due = models.DateField(_("reply due"), null=True, blank=True)
    replied_on = models.DateField(_("reply received on"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(target_size__gte=1), name="round_target_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class TracingRequest(models.Model):
    """One person sought in a round's request list, under a stable request id."""

    round = models.ForeignKey(TracingRound, on_delete=models.CASCADE, related_name="requests")
    seeking = models.ForeignKey(Seeking, on_delete=models.PROTECT, related_name="requests")
    request_id = models.CharField(_("request id"), max_length=20, unique=True)
    seq = models.PositiveIntegerField()

    class Meta:
        ordering = ["round", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["round", "seq"], name="request_unique_seq"),
            models.UniqueConstraint(fields=["round", "seeking"], name="request_unique_seeking"),
        ]

    def __str__(self) -> str:
        return self.request_id


class ReplyResult(models.TextChoices):
    FOUND = "found", _("Found")
    NOT_FOUND = "not_found", _("Not found")


class LinkState(models.TextChoices):
    GIVEN = "given", _("Request id given")
    PROPOSED = "proposed", _("Proposed by the engine")
    REVIEW = "review", _("To review")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    UNMATCHED = "unmatched", _("No request found")


#: The states of a reply linked to a request (given by the other side, proposed by the engine, or
#: confirmed by an officer): what counts as an answer.
LINKED = (LinkState.GIVEN, LinkState.PROPOSED, LinkState.CONFIRMED)


class TracingReply(models.Model):
    """One row of the other side's reply list, and the request it answers."""

    round = models.ForeignKey(TracingRound, on_delete=models.CASCADE, related_name="replies")
    row = models.PositiveIntegerField()
    given_request_id = models.CharField(_("request id given"), max_length=20, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=ReplyResult.choices)
    vital_status = models.CharField(
        _("alive or deceased"),
        max_length=8,
        choices=VitalStatus.choices,
        default=VitalStatus.UNKNOWN,
    )
    death_date = models.CharField(_("date of death"), max_length=10, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    name_latin = models.CharField(_("name in Latin letters"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    birth_date = models.CharField(_("birth date"), max_length=10, blank=True)
    birth_calendar = models.CharField(_("birth calendar"), max_length=5, blank=True)
    birthplace = models.CharField(_("birthplace"), max_length=200, blank=True)
    father_name = models.CharField(_("father's name"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    relatives = models.TextField(_("relatives listed"), blank=True)
    request = models.ForeignKey(
        TracingRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    match_probability = models.FloatField(null=True, blank=True)
    explanation = models.JSONField(default=list, blank=True)
    # Why the link waits for a reviewer although it was given or proposed: the reply's name,
    # birth date or sex differ from the request's, or "alive" at an implausible age. A list of
    # {"code", "ko", "en"} (`services.tracing.reply_doubts`).
    doubts = models.JSONField(default=list, blank=True)
    link_state = models.CharField(max_length=10, choices=LinkState.choices)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "row"]
        constraints = [
            models.UniqueConstraint(fields=["round", "row"], name="reply_unique_row"),
            models.CheckConstraint(
                condition=Q(death_date="") | Q(vital_status=VitalStatus.DECEASED),
                name="reply_death_date_only_if_deceased",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.row}"

    @property
    def display_name(self) -> str:
        return f"{self.family_name}{self.given_name}".strip() or self.name_latin


class LabelSet(models.TextChoices):
    """Which engine a label teaches: the registry against itself (duplicates), or a round's
    reply list against the persons sought (tracing)."""

    DUPLICATES = "duplicates", _("Duplicates in the registry")
    TRACING = "tracing", _("Tracing replies")


class LabelSource(models.TextChoices):
    DECISION = "decision", _("Merged or kept apart")
    TEACHING = "teaching", _("Teaching list")
    REVIEW = "review", _("Tracing review")


class LinkageLabel(models.Model):
    """A reviewer's answer to "are these two the same person?": what the engine learns from.

    In the duplicates set, two persons (`first` < `second`); in the tracing set, the person a
    request sought (`first`) and the reply row that may answer it (`reply`). One label a pair:
    a later answer replaces the earlier one (both are in the audit log)."""

    label_set = models.CharField(max_length=10, choices=LabelSet.choices)
    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reply = models.ForeignKey(
        TracingReply, null=True, blank=True, on_delete=models.CASCADE, related_name="labels"
    )
    same = models.BooleanField()
    source = models.CharField(max_length=10, choices=LabelSource.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["first", "second"],
                condition=Q(label_set="duplicates"),
                name="linkage_label_unique_pair",
            ),
            models.UniqueConstraint(
                fields=["first", "reply"],
                condition=Q(label_set="tracing"),
                name="linkage_label_unique_reply",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        label_set="duplicates",
                        second__isnull=False,
                        reply__isnull=True,
                        first__lt=F("second"),
                    )
                    | Q(label_set="tracing", second__isnull=True, reply__isnull=False)
                ),
                name="linkage_label_shape",
            ),
        ]

    def __str__(self) -> str:
        other = self.second_id if self.label_set == LabelSet.DUPLICATES else f"r{self.reply_id}"
        return f"{self.first_id} {'=' if self.same else '≠'} {other}"


class LinkageModelVersion(models.Model):
    """A model retrained from the labels, saved as version `number` of `name` in the linkage
    model store (`settings.PANMUN_LINKAGE_MODELS_DIR`), with how well it judged the labelled
    pairs by cross-validation (blank: too few labels to tell)."""

    name = models.CharField(max_length=64)
    number = models.PositiveIntegerField()
    digest = models.CharField(max_length=16)
    label_set = models.CharField(max_length=10, choices=LabelSet.choices)
    records = models.PositiveIntegerField()
    labels_same = models.PositiveIntegerField()
    labels_different = models.PositiveIntegerField()
    folds = models.PositiveIntegerField(null=True, blank=True)
    precision = models.FloatField(null=True, blank=True)
    recall = models.FloatField(null=True, blank=True)
    f1 = models.FloatField(null=True, blank=True)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    trained_at = models.DateTimeField()

    class Meta:
        ordering = ["-trained_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "number"], name="linkage_model_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"
