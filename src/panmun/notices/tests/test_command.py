"""`panmun notices send`: delivers what is due and says what it did."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from panmun.notices.models import Notice, NoticeState

pytestmark = pytest.mark.django_db


def test_send_delivers_the_due_notices(queue_sms, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        queue_sms(topic="permits.approval:1")  # its task never ran (a lost queue)
        later = queue_sms(topic="permits.approval:2")
    Notice.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + timedelta(hours=1))
    out = StringIO()
    call_command("notices", "send", stdout=out)
    assert out.getvalue().strip() == ("delivered 1, to retry 0, failed 0, held by another worker 0")
    assert [m.to for m in sms_outbox] == ["+821012345678"]
    states = dict(Notice.objects.values_list("topic", "state"))
    assert states == {
        "permits.approval:1": NoticeState.DELIVERED,
        "permits.approval:2": NoticeState.CREATED,
    }
