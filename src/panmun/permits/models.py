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


class Application(models.Model):
    """What an applicant files once (Tongtong's combined application, 2019): it fans out into one
    approval per kind."""

    reference = models.CharField(max_length=40, unique=True)
    applicant = models.ForeignKey(User, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    purpose = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")

    def __str__(self) -> str:
        return self.reference


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

    class Meta:
        ordering = ["application", "kind"]
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
    @transition(field=state, source=list(IN_FORCE), target=S.REVOKED)
    def revoke(self, by: User | None = None) -> None:
        """A supervisor ends an approval in force, for the reasons set before."""

    @fsm_log_by
    @transition(field=state, source=list(IN_FORCE), target=S.EXPIRED)
    def expire(self, by: User | None = None) -> None:
        """Its validity has passed."""
