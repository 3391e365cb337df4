"""Who uses Panmun: sides, organisations, users with one role, API tokens, and the audit log."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from panmun.common.bilingual import tr


class SideCode(models.TextChoices):
    SOUTH = "south", _("South")
    NORTH = "north", _("North")


class Side(models.Model):
    """남측 / 북측 — one of the two sides."""

    code = models.CharField(_("code"), max_length=8, choices=SideCode.choices, unique=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=40)

    class Meta:
        ordering = ["-code"]  # south, then north
        verbose_name = _("side")
        verbose_name_plural = _("sides")

    def __str__(self) -> str:
        return self.get_code_display()

    def name(self, language: str) -> str:
        return str(tr(self.name_ko, self.name_en, language))


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    RED_CROSS = "red_cross", _("Red Cross")
    LIAISON_OFFICE = "liaison_office", _("Liaison office")
    COMPLEX_MANAGEMENT = "complex_management", _("Complex management")
    FIRM = "firm", _("Firm")
    AID_ORGANISATION = "aid_organisation", _("Aid organisation")
    #: The North's authority over the special zones (the Central Special Zone Development
    #: Guidance Bureau, 중앙특구개발지도총국), which receives the Gaeseong complex's wages.
    ZONE_AUTHORITY = "zone_authority", _("Special zone authority")
    #: The South's Inter-Korean Transit Office (남북출입사무소): the gate where people and
    #: vehicles cross to and from the Gaeseong complex.
    TRANSIT_OFFICE = "transit_office", _("Transit office")
    #: Customs at the crossing (관세청): declarations, lanes, release of goods.
    CUSTOMS = "customs", _("Customs")
    #: Plant, animal and food quarantine at the crossing (검역).
    QUARANTINE = "quarantine", _("Quarantine")
    #: Residents who apply in their own name: each keeps their own applications.
    INDIVIDUALS = "individuals", _("Individual applicants")


class Organisation(models.Model):
    """An organisation of one side, or of the joint liaison office (no side)."""

    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    side = models.ForeignKey(
        Side,
        verbose_name=_("side"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )

    class Meta:
        ordering = ["-side__code", "name_ko"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["name_ko", "side"], name="organisation_unique_name"),
            # Only the joint liaison office stands outside both sides.
            models.CheckConstraint(
                condition=Q(side__isnull=False) | Q(kind="liaison_office"),
                name="organisation_side_required_unless_joint_office",
            ),
        ]

    def __str__(self) -> str:
        return self.name_ko

    def name(self, language: str) -> str:
        return str(tr(self.name_ko, self.name_en, language))


class Role(models.TextChoices):
    """One role per user; each includes what the roles before it may do."""

    VIEWER = "viewer", _("Viewer")
    OFFICER = "officer", _("Officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMINISTRATOR = "administrator", _("Administrator")


#: The South's agencies at the crossing to the Gaeseong complex: they check what others
#: filed (they file no applications) and their supervisors supervise their own agency's work
#: (re-routing a customs declaration), not the programmes' (the audit log, everyone's jobs,
#: the 결재 of other organisations).
CROSSING_AGENCIES = frozenset(
    {OrganisationKind.TRANSIT_OFFICE, OrganisationKind.CUSTOMS, OrganisationKind.QUARANTINE}
)

ROLE_RANK = {Role.VIEWER: 0, Role.OFFICER: 1, Role.SUPERVISOR: 2, Role.ADMINISTRATOR: 3}


class User(AbstractUser):
    """A person who signs in. Belongs to one organisation and has one role."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="user_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def side_code(self) -> str | None:
        org = self.organisation
        side = org.side if org else None
        return side.code if side else None

    def has_role(self, role: Role) -> bool:
        """True if the user's role is `role` or above it."""
        if self.is_superuser:
            return True
        return ROLE_RANK.get(Role(self.role), -1) >= ROLE_RANK[role]


class TokenScope(models.TextChoices):
    """What a program may do with a token: only read (GET, HEAD, OPTIONS), or read and write."""

    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once. It expires
    (at most a year after it was made) and is read-only or read-write."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    scope = models.CharField(
        _("scope"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ_WRITE
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=[s.value for s in TokenScope]), name="apitoken_scope_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:

        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        """Not revoked and not expired: it still lets a program in."""
        return self.revoked_at is None and not self.is_expired

    @property
    def read_only(self) -> bool:
        return self.scope == TokenScope.READ


class AuditEntry(models.Model):
    """감사 기록 — who changed what, when, written in the same transaction as the change."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    actor_label = models.CharField(_("actor name"), max_length=150)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class SignOffState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    USED = "used", _("Carried out")


class SignOff(models.Model):
    """결재 — a second person's approval of one irreversible step on one record.

    An officer asks (with what the step will do, as they saw it); a supervisor of the same side,
    not the one who asked, approves or refuses; the step is then carried out once. If the record
    changed after the request (its `basis` differs), the approval no longer holds.
    """

    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    link = models.CharField(_("page"), max_length=300, blank=True)
    summary = models.JSONField(_("what the step will do"), default=dict, blank=True)
    basis = models.CharField(max_length=64, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=SignOffState.choices, default=SignOffState.REQUESTED
    )
    requested_by = models.ForeignKey(
        User, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="signoffs_asked"
    )
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signoffs_decided",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=500, blank=True)
    used_at = models.DateTimeField(_("carried out at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        indexes = [models.Index(fields=["object_type", "object_id", "action"])]
        constraints = [
            # At most one open request (asked or approved, not yet carried out) per step.
            models.UniqueConstraint(
                fields=["action", "object_type", "object_id"],
                condition=Q(state__in=["requested", "approved"]),
                name="signoff_one_open_per_step",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="signoff_decided_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_label or self.object_id}"

    @property
    def is_open(self) -> bool:
        return self.state in (SignOffState.REQUESTED, SignOffState.APPROVED)
