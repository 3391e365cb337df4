"""Notices of an approval's moves (issue 18, acceptance 4): written in the move's transaction,
sent after it commits, none for a move that rolls back; a failed delivery is retried, then
marked failed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from panmun.notices import sms
from panmun.notices.delivery import notice_deliver
from panmun.notices.models import Notice, NoticeState
from panmun.notices.services import notices_send_due

from ..notify import phone_e164, topic_for
from ..services.applications import application_submit
from ..services.moves import approval_transition
from .factories import complete_application


@pytest.fixture(autouse=True)
def sms_outbox():
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def test_korean_numbers_are_written_with_the_country_code():
    assert phone_e164("010-1234-5678") == "+821012345678"
    assert phone_e164("+44 20 7946 0000") == "+442079460000"
    assert phone_e164("") == ""


@pytest.mark.django_db(transaction=True)
def test_a_move_writes_its_notices_and_they_go_after_commit(personas, settings):
    personas["firm"].email = "firm@example.org"
    personas["firm"].save()
    application = complete_application(personas["firm"], people=2)
    with transaction.atomic():
        application_submit(actor=personas["firm"], application=application)
        notices = Notice.objects.filter(topic=topic_for(application.pk))
        # the applicant by e-mail; each traveller by e-mail (one address, written once) and
        # by text message (two numbers)
        assert notices.count() == 4
        assert set(notices.values_list("state", flat=True)) == {NoticeState.CREATED}
        assert mail.outbox == [] and sms.outbox == []  # nothing sent inside the transaction
    # committed: the worker (the immediate backend in tests) has delivered them
    assert set(notices.values_list("state", flat=True)) == {NoticeState.DELIVERED}
    assert len(mail.outbox) == 2 and len(sms.outbox) == 2
    assert {m.to for m in sms.outbox} == {"+821012345678", "+821012345679"}
    assert "제출" in mail.outbox[0].subject and "Submitted" in mail.outbox[0].subject


@pytest.mark.django_db(transaction=True)
def test_a_move_that_rolls_back_leaves_no_notice(personas):
    application = complete_application(personas["firm"])
    approval = application.approvals.get()
    with pytest.raises(RuntimeError), transaction.atomic():
        approval_transition(actor=personas["firm"], approval=approval, move="submit")
        assert Notice.objects.filter(topic=topic_for(application.pk)).exists()
        raise RuntimeError("the rest of the change failed")
    assert not Notice.objects.filter(topic=topic_for(application.pk)).exists()
    assert mail.outbox == [] and sms.outbox == []
    assert application.approvals.get().state == "draft"


@pytest.mark.django_db(transaction=True)
def test_a_failed_delivery_is_retried_then_marked_failed(personas, settings, monkeypatch):
    settings.PANMUN_NOTICE_MAX_ATTEMPTS = 3

    def refuse(self, to, text):
        raise sms.DeliveryError("gateway answered 503")

    monkeypatch.setattr(sms.LocmemSmsBackend, "send", refuse)
    application = complete_application(personas["firm"])
    application_submit(actor=personas["firm"], application=application)
    notice = Notice.objects.get(topic=topic_for(application.pk), channel="sms")
    assert notice.state == NoticeState.CREATED and notice.attempts == 1
    assert "503" in notice.last_error and notice.next_attempt_at > timezone.now()
    later = timezone.now()
    for attempt in (2, 3):
        later += dt.timedelta(hours=7)
        done = notice_deliver(notice.pk, now=later)
        assert done is not None and done.attempts == attempt
    notice = Notice.objects.get(pk=notice.pk)  # (protected state: no refresh_from_db)
    assert notice.state == NoticeState.FAILED and "503" in notice.last_error
    assert notices_send_due(now=later + dt.timedelta(days=1)).delivered == 0
    # the e-mail of the same move went through
    assert Notice.objects.get(topic=topic_for(application.pk), channel="email").state == (
        NoticeState.DELIVERED
    )


def test_a_bad_address_does_not_stop_a_decision(personas):
    application = complete_application(personas["firm"])
    application.travellers.update(phone="12", email="")
    approval = application.approvals.get()
    done = approval_transition(actor=personas["firm"], approval=approval, move="submit")
    assert done.state == "submitted"
    assert not Notice.objects.filter(topic=topic_for(application.pk), channel="sms").exists()
