"""Delivering one notice: claim it in a short transaction of its own (created → sending), call
the channel outside any transaction, then record what happened in another short transaction —
delivered, or back to waiting with a later attempt (1 minute, 5, 30, 2 hours, 6 hours after
the failed one), or failed once PANMUN_NOTICE_MAX_ATTEMPTS attempts have failed.

A worker killed while sending leaves its notice claimed; the claim lapses after `CLAIM` and
the next sweep tries it again, so a notice is delivered at least once, never lost."""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Channel, Notice, NoticeState
from .sms import DeliveryError, sms_backend

logger = logging.getLogger(__name__)

#: The wait after the 1st, 2nd, … failed attempt (the last repeats).
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
#: How long a claim holds before another worker may take the notice again.
CLAIM = timedelta(minutes=10)


def backoff(attempts: int) -> timedelta:
    """The wait before the next attempt after `attempts` failed ones."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def max_attempts() -> int:
    return max(1, int(settings.PANMUN_NOTICE_MAX_ATTEMPTS))


def due(now: datetime) -> Q:
    """Notices to send at `now`: waiting ones whose time has come, and claims that lapsed."""
    return Q(state__in=[NoticeState.CREATED, NoticeState.SENDING], next_attempt_at__lte=now)


def email_text(notice: Notice) -> tuple[str, str]:
    """The subject and body of the e-mail: Korean first, then English."""
    subject = f"{notice.subject_ko} / {notice.subject_en}"
    body = f"{notice.body_ko}\n\n{'-' * 40}\n\n{notice.body_en}\n"
    return subject, body


def sms_text(notice: Notice) -> str:
    """The text message: Korean first, then English."""
    return f"[{notice.subject_ko}] {notice.body_ko}\n\n[{notice.subject_en}] {notice.body_en}"


def _send_email(notice: Notice) -> str:
    subject, body = email_text(notice)
    sender = settings.DEFAULT_FROM_EMAIL
    domain = sender.rpartition("@")[2].strip(" >") or "panmun.invalid"
    message_id = make_msgid(domain=domain)
    to = str(Address(display_name=notice.recipient_name, addr_spec=notice.recipient))
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=sender,
        to=[to],
        headers={"Message-ID": message_id},
        connection=get_connection(fail_silently=False),
    )
    if message.send() != 1:
        raise DeliveryError("the mail backend sent nothing")
    return message_id


def _send(notice: Notice) -> str:
    if notice.channel == Channel.EMAIL:
        return _send_email(notice)
    return sms_backend().send(notice.recipient, sms_text(notice))


def _claim(notice_id: int, now: datetime) -> Notice | None:
    skip_locked = connection.features.has_select_for_update_skip_locked
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(skip_locked=skip_locked)
            .filter(due(now), pk=notice_id)
            .first()
        )
        if notice is None:
            return None
        notice.claim(until=now + CLAIM)
        notice.save(update_fields=["state", "attempts", "next_attempt_at"])
    return notice


def _attempt(notice: Notice) -> tuple[str, str]:
    """Send it: (the provider's reference, "") or ("", why it failed)."""
    try:
        return _send(notice), ""
    except DeliveryError as exc:
        return "", str(exc) or type(exc).__name__
    except (smtplib.SMTPException, OSError) as exc:
        return "", f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # a backend's own bug must not leave the notice claimed
        logger.exception("Notice %s: the %s backend failed", notice.pk, notice.channel)
        return "", f"{type(exc).__name__}: {exc}"


def notice_deliver(notice_id: int, *, now: datetime | None = None) -> Notice | None:
    """Try to deliver the notice `notice_id` if it is due at `now` (default: now) and no other
    worker holds it; returns it as recorded, or None when there was nothing to do. Call it
    outside a transaction (the task worker, the sweep): the channel is called between two
    short transactions of its own."""
    now = now or timezone.now()
    claimed = _claim(notice_id, now)
    if claimed is None:
        return None
    ref, error = _attempt(claimed)
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        if notice.state != NoticeState.SENDING:  # its claim lapsed and another worker finished
            logger.warning("Notice %s was finished by another worker", notice_id)
            return notice
        if not error:
            notice.delivered(at=now, provider_ref=ref)
        elif notice.attempts >= max_attempts():
            notice.fail(error)
            logger.warning("Notice %s failed after %s attempts", notice_id, notice.attempts)
        else:
            notice.retry(error, at=now + backoff(notice.attempts))
        notice.save()
    return notice
