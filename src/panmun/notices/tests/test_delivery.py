"""Delivery: a failed attempt is tried again later, then marked failed; a lapsed claim is taken
again; the worker queues the next attempt for its time where the task backend can wait."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from django_tasks import default_task_backend

from panmun.notices import delivery
from panmun.notices.models import Notice, NoticeState
from panmun.notices.services import SendSummary, notices_send_due
from panmun.notices.sms import DeliveryError, SmsBackend
from panmun.notices.tasks import deliver_notice

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


class DownSmsBackend(SmsBackend):
    def send(self, to: str, text: str) -> str:
        raise DeliveryError("gateway down: " + "x" * 3000)


class BuggySmsBackend(SmsBackend):
    def send(self, to: str, text: str) -> str:
        raise KeyError("oops")


@pytest.fixture
def gateway_down(settings):
    settings.PANMUN_SMS_BACKEND = f"{__name__}.DownSmsBackend"
    return settings


def _queued(queue_sms, capture) -> Notice:
    with time_machine.travel(T0, tick=False), capture(execute=True), transaction.atomic():
        notice = queue_sms()
    return Notice.objects.get(pk=notice.pk)


def test_a_failed_delivery_is_retried_later_then_marked_failed(
    gateway_down, queue_sms, django_capture_on_commit_callbacks, sms_outbox
):
    gateway_down.PANMUN_NOTICE_MAX_ATTEMPTS = 3
    notice = _queued(queue_sms, django_capture_on_commit_callbacks)  # the first attempt
    assert (notice.state, notice.attempts) == (NoticeState.CREATED, 1)
    assert notice.next_attempt_at == T0 + MINUTE
    assert notice.last_error.startswith("gateway down: xxx")
    assert len(notice.last_error) == 1000

    # Not yet due: nothing happens.
    assert notices_send_due(now=T0 + MINUTE / 2).retried == 0
    assert Notice.objects.get().attempts == 1

    summary = notices_send_due(now=T0 + MINUTE)
    assert (summary.retried, summary.failed) == (1, 0)
    notice = Notice.objects.get()
    assert (notice.state, notice.attempts) == (NoticeState.CREATED, 2)
    assert notice.next_attempt_at == T0 + MINUTE + 5 * MINUTE

    summary = notices_send_due(now=T0 + 6 * MINUTE)
    assert (summary.retried, summary.failed) == (0, 1)
    notice = Notice.objects.get()
    assert (notice.state, notice.attempts) == (NoticeState.FAILED, 3)
    assert notice.last_error.startswith("gateway down")
    assert notice.sent_at is None

    # Failed for good: later sweeps leave it alone.
    assert notices_send_due(now=T0 + timedelta(days=2)) == type(summary)()
    assert Notice.objects.get().attempts == 3
    assert sms_outbox == []


def test_a_retried_notice_is_delivered_when_the_gateway_is_back(
    gateway_down, queue_sms, django_capture_on_commit_callbacks, sms_outbox
):
    _queued(queue_sms, django_capture_on_commit_callbacks)
    gateway_down.PANMUN_SMS_BACKEND = "panmun.notices.sms.LocmemSmsBackend"
    assert notices_send_due(now=T0 + MINUTE).delivered == 1
    notice = Notice.objects.get()
    assert (notice.state, notice.attempts, notice.last_error) == (NoticeState.DELIVERED, 2, "")
    assert notice.sent_at == T0 + MINUTE
    assert len(sms_outbox) == 1


def test_a_backends_own_bug_is_a_failed_attempt_not_a_stuck_notice(
    settings, queue_sms, django_capture_on_commit_callbacks
):
    settings.PANMUN_SMS_BACKEND = f"{__name__}.BuggySmsBackend"
    notice = _queued(queue_sms, django_capture_on_commit_callbacks)
    assert (notice.state, notice.last_error) == (NoticeState.CREATED, "KeyError: 'oops'")


def test_a_lapsed_claim_is_taken_again(gateway_down, queue_sms, django_capture_on_commit_callbacks):
    notice = _queued(queue_sms, django_capture_on_commit_callbacks)
    # A worker claims it at its second attempt and is killed while sending.
    notice.claim(until=T0 + MINUTE + delivery.CLAIM)
    notice.save()
    gateway_down.PANMUN_SMS_BACKEND = "panmun.notices.sms.LocmemSmsBackend"
    # (Nothing due while the claim holds; no call at the real clock, which is past the claim.)
    assert notices_send_due(now=T0 + 2 * MINUTE) == SendSummary()
    assert Notice.objects.get().state == NoticeState.SENDING
    assert notices_send_due(now=T0 + MINUTE + delivery.CLAIM).delivered == 1
    assert Notice.objects.get().attempts == 3


def test_a_delivered_notice_is_not_sent_twice(queue_sms, django_capture_on_commit_callbacks):
    notice = _queued(queue_sms, django_capture_on_commit_callbacks)
    assert notice.state == NoticeState.DELIVERED
    assert delivery.notice_deliver(notice.pk, now=T0 + timedelta(days=1)) is None
    assert deliver_notice.call(notice.pk) == "not due"


def test_the_worker_queues_the_next_attempt_for_its_time(
    gateway_down, queue_sms, django_capture_on_commit_callbacks
):
    gateway_down.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    notice = _queued(queue_sms, django_capture_on_commit_callbacks)  # queued, not run
    assert notice.state == NoticeState.CREATED and notice.attempts == 0
    [first] = default_task_backend.results  # type: ignore[attr-defined]
    assert first.args == [notice.pk] and first.task.run_after is None
    default_task_backend.clear()  # type: ignore[attr-defined]
    with time_machine.travel(T0 + MINUTE, tick=False):
        assert deliver_notice.call(notice.pk) == NoticeState.CREATED
    [later] = default_task_backend.results  # type: ignore[attr-defined]
    assert later.args == [notice.pk]
    assert later.task.run_after == T0 + MINUTE + MINUTE


def test_backoff_grows_then_stays():
    waits = [delivery.backoff(n) for n in range(1, 8)]
    assert waits[:5] == [MINUTE, 5 * MINUTE, 30 * MINUTE, 120 * MINUTE, 360 * MINUTE]
    assert waits[5:] == [360 * MINUTE, 360 * MINUTE]
