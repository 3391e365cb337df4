"""The notices outbox: a message to one person by e-mail or text message (SMS), written in the
same transaction as the change it tells of and delivered after commit by the task worker.

A notice moves through its states by the transitions below (django-fsm-2; the field is
protected): created → sending (claimed by one worker) → delivered, or back to created with a
later `next_attempt_at` when the attempt failed, or failed once the attempts are spent."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

MAX_ERROR = 1000  # characters of the last delivery error kept on the row


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message (SMS)")


class NoticeState(models.TextChoices):
    CREATED = "created", pgettext_lazy("notice state", "Waiting to be sent")
    SENDING = "sending", pgettext_lazy("notice state", "Being sent")
    DELIVERED = "delivered", pgettext_lazy("notice state", "Delivered")
    FAILED = "failed", pgettext_lazy("notice state", "Failed")


S = NoticeState


class Notice(models.Model):
    """One message to one recipient about one thing (`topic`, e.g. "permits.approval:12"), in
    Korean and English: both are delivered, Korean first."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    # An e-mail address, or a telephone number in international form (+821012345678).
    recipient = models.CharField(max_length=254)
    recipient_name = models.CharField(max_length=200, blank=True)
    subject_ko = models.CharField(max_length=200)
    subject_en = models.CharField(max_length=200)
    body_ko = models.TextField()
    body_en = models.TextField()
    topic = models.CharField(max_length=100, db_index=True)
    state = FSMField(max_length=20, choices=NoticeState.choices, default=S.CREATED, protected=True)
    # Attempts started (a claim counts one, so a worker killed while sending counts too).
    attempts = models.PositiveSmallIntegerField(default=0)
    # When it is next due: for a waiting notice, its next attempt; for one being sent, when
    # the claim lapses (its worker presumed dead) and another may try it again.
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_ref = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="notices_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="notices_notice_channel"
            ),
            models.CheckConstraint(
                condition=Q(state__in=NoticeState.values), name="notices_notice_state"
            ),
            models.CheckConstraint(
                condition=~Q(recipient="") & ~Q(topic=""), name="notices_has_recipient_and_topic"
            ),
            models.CheckConstraint(
                condition=~Q(subject_ko="") & ~Q(subject_en="") & ~Q(body_ko="") & ~Q(body_en=""),
                name="notices_text_in_both_languages",
            ),
            # Delivered exactly when it has been sent.
            models.CheckConstraint(
                condition=Q(state=S.DELIVERED, sent_at__isnull=False)
                | (~Q(state=S.DELIVERED) & Q(sent_at__isnull=True)),
                name="notices_delivered_when_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.recipient} {self.topic}"

    # --- the state machine: called by `delivery` only --------------------------------------

    @transition(field=state, source=[S.CREATED, S.SENDING], target=S.SENDING)
    def claim(self, until: datetime) -> None:
        """A worker takes it (a notice being sent only once its claim has lapsed)."""
        self.attempts += 1
        self.next_attempt_at = until

    @transition(field=state, source=S.SENDING, target=S.DELIVERED)
    def delivered(self, at: datetime, provider_ref: str) -> None:
        """The channel took it."""
        self.sent_at = at
        self.provider_ref = provider_ref[:200]
        self.last_error = ""

    @transition(field=state, source=S.SENDING, target=S.CREATED)
    def retry(self, error: str, at: datetime) -> None:
        """The attempt failed; try again at `at`."""
        self.last_error = error[:MAX_ERROR]
        self.next_attempt_at = at

    @transition(field=state, source=S.SENDING, target=S.FAILED)
    def fail(self, error: str) -> None:
        """The last attempt failed: no more tries."""
        self.last_error = error[:MAX_ERROR]
