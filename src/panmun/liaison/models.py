"""The liaison record (연락 기록): each side's append-only log of what it sent, the checkpoints
that seal it and the other side's cosignatures (the receipts), the public keys, the contact
calls, and the delivery of a local log to the other side's node.

An `Entry` keeps the exact signed leaf (RFC 8785 canonical JSON) it was made or received as;
the other columns are read from that leaf for queries and pages, never the other way round.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from panmun.accounts.models import SideCode


class Kind(models.TextChoices):
    NOTICE = "notice", _("Notice")
    LETTER = "letter", _("Letter")
    PROPOSAL = "proposal", _("Proposal")
    ACCEPTANCE = "acceptance", _("Acceptance")
    COUNTER_PROPOSAL = "counter_proposal", _("Counter-proposal")
    REPLY = "reply", _("Reply")
    LIST = "list", _("List")
    AGREEMENT_TEXT = "agreement_text", _("Agreement text")
    CONTACT_CALL = "contact_call", _("Contact call")
    MEETING_RECORD = "meeting_record", _("Meeting record")
    KEY_ROTATION = "key_rotation", _("Key rotation")


class KeyPurpose(models.TextChoices):
    LOG = "log", _("Signs entries and checkpoints")
    COSIGN = "cosign", _("Cosigns the other side's checkpoints")


class Log(models.Model):
    """One side's log. `local`: this node holds the side's keys and writes the log; otherwise
    it is the copy of the other side's log, filled only with entries that verify."""

    origin = models.CharField(_("origin"), max_length=200, unique=True)
    side = models.CharField(_("side"), max_length=8, choices=SideCode.choices, unique=True)
    local = models.BooleanField(_("written here"), default=False)
    size = models.PositiveBigIntegerField(_("entries"), default=0)
    # The roots of the perfect subtrees (hex, largest first): the tree hash in O(log n).
    frontier = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("liaison log")
        verbose_name_plural = _("liaison logs")
        ordering = ["side"]
        constraints = [
            models.CheckConstraint(condition=Q(side__in=SideCode.values), name="log_side_valid")
        ]

    def __str__(self) -> str:
        return self.origin


class PublicKey(models.Model):
    """A published key: name, side, purpose and validity window. The private half of a local
    key is a file named after it in the key folder (settings), never in the database."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    side = models.CharField(_("side"), max_length=8, choices=SideCode.choices)
    purpose = models.CharField(_("purpose"), max_length=8, choices=KeyPurpose.choices)
    public_key = models.CharField(_("public key (base64)"), max_length=64)
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    log_origin = models.CharField(_("log"), max_length=200, blank=True)
    introduced_by = models.ForeignKey(
        "Entry",
        verbose_name=_("introduced by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("public key")
        verbose_name_plural = _("public keys")
        ordering = ["side", "purpose", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=KeyPurpose.values), name="publickey_purpose_valid"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="publickey_window_ordered",
            ),
            models.UniqueConstraint(
                fields=["side", "purpose"],
                condition=Q(valid_until__isnull=True),
                name="publickey_one_current_per_purpose",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Entry(models.Model):
    """One entry of a log, as signed. `leaf` is the canonical JSON; the rest is read from it."""

    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="entries")
    index = models.PositiveBigIntegerField(_("index"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"))
    from_side = models.CharField(_("from"), max_length=8, choices=SideCode.choices)
    to_side = models.CharField(_("to"), max_length=8, choices=SideCode.choices)
    reply_log = models.CharField(_("in reply to (log)"), max_length=200, blank=True)
    reply_index = models.PositiveBigIntegerField(_("in reply to (index)"), null=True, blank=True)
    reply_leaf_hash = models.CharField(_("in reply to (leaf hash)"), max_length=64, blank=True)
    in_reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
    )
    body = models.JSONField(_("body"))
    key_name = models.CharField(_("key"), max_length=100)
    signature = models.CharField(_("signature"), max_length=100)
    leaf = models.TextField(_("leaf (canonical JSON)"))
    leaf_hash = models.CharField(_("leaf hash"), max_length=64, db_index=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    search_text = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("liaison entry")
        verbose_name_plural = _("liaison entries")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["log", "index"], name="entry_unique_index"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="entry_kind_valid"),
            models.CheckConstraint(
                condition=~Q(from_side=models.F("to_side")), name="entry_sides_differ"
            ),
        ]
        indexes = [models.Index(fields=["kind", "sent_at"], name="entry_kind_sent")]

    def __str__(self) -> str:
        return f"{self.log.origin}#{self.index}"


class Checkpoint(models.Model):
    """A checkpoint of a log (C2SP tlog-checkpoint), signed by its side; `note` holds the
    signed note with every signature line held, the other side's cosignature included once
    it is back: that cosigned checkpoint is the receipt for entries 0..size-1."""

    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="checkpoints")
    size = models.PositiveBigIntegerField(_("size"))
    root_hash = models.CharField(_("root hash (hex)"), max_length=64)
    note = models.TextField(_("signed note"))
    signed_at = models.DateTimeField(_("signed at"))
    cosigner = models.CharField(_("cosigned by (key)"), max_length=100, blank=True)
    cosigned_at = models.DateTimeField(_("cosigned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["log", "-size"]
        constraints = [
            models.UniqueConstraint(fields=["log", "size"], name="checkpoint_unique_size"),
        ]

    def __str__(self) -> str:
        return f"{self.log.origin} @ {self.size}"


class Delivery(models.Model):
    """How far the other side's node holds a local log: entries acknowledged, the largest
    checkpoint cosigned, and the last attempt (delivery retries until acknowledged)."""

    log = models.OneToOneField(Log, on_delete=models.PROTECT, related_name="delivery")
    acknowledged_size = models.PositiveBigIntegerField(_("entries acknowledged"), default=0)
    cosigned_size = models.PositiveBigIntegerField(_("entries cosigned"), default=0)
    attempts = models.PositiveIntegerField(_("failed attempts in a row"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.log.origin}: {self.acknowledged_size}"


class CallName(models.TextChoices):
    OPENING = "opening", _("Opening call (09:00)")
    CLOSING = "closing", _("Closing call (17:00)")


class CallState(models.TextChoices):
    PLACED = "placed", pgettext_lazy("contact call", "Placed, waiting for an answer")
    ANSWERED = "answered", pgettext_lazy("contact call", "Answered")
    UNANSWERED = "unanswered", pgettext_lazy("contact call", "Unanswered")


class ContactCall(models.Model):
    """A scheduled contact call (개시·마감 통화): the caller's `placed` entry, then either the
    other side's `answered` entry or the caller's `unanswered` entry once the wait is over."""

    calling_side = models.CharField(_("calling side"), max_length=8, choices=SideCode.choices)
    call = models.CharField(_("call"), max_length=8, choices=CallName.choices)
    scheduled_at = models.DateTimeField(_("scheduled at"))
    state = models.CharField(
        _("state"), max_length=12, choices=CallState.choices, default=CallState.PLACED
    )
    placed = models.OneToOneField(
        Entry, on_delete=models.PROTECT, related_name="call_placed", verbose_name=_("placed")
    )
    answer = models.OneToOneField(
        Entry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_answer",
        verbose_name=_("answer"),
    )
    unanswered = models.OneToOneField(
        Entry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_unanswered",
        verbose_name=_("recorded unanswered"),
    )

    class Meta:
        verbose_name = _("contact call")
        verbose_name_plural = _("contact calls")
        ordering = ["-scheduled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["calling_side", "scheduled_at"], name="contactcall_unique_slot"
            ),
            models.CheckConstraint(
                condition=Q(answer__isnull=True) | Q(unanswered__isnull=True),
                name="contactcall_answered_or_not",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.calling_side} {self.call} {self.scheduled_at:%Y-%m-%d %H:%M}"
