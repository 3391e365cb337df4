"""notice_queue: written with the change, delivered after its commit, never for a rollback."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from panmun.common.errors import DomainError, ErrorCode
from panmun.notices.models import Notice, NoticeState
from panmun.notices.selectors import notices_for_topic
from panmun.notices.services import NoticeOutsideTransaction, notice_queue

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_a_rolled_back_change_leaves_no_notice_and_sends_nothing(
    queue_sms, sms_outbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        queue_sms()
        assert Notice.objects.count() == 1
        raise Boom
    assert callbacks == []
    assert Notice.objects.count() == 0
    assert sms_outbox == []


def test_a_committed_notice_is_sent_after_the_commit_not_before(
    queue_sms, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notice = queue_sms(to="+82 10-1234-5678")
        assert sms_outbox == []  # nothing leaves inside the transaction
        assert Notice.objects.get().state == NoticeState.CREATED
    assert len(callbacks) == 1
    notice = Notice.objects.get(pk=notice.pk)
    assert notice.state == NoticeState.DELIVERED
    assert notice.attempts == 1
    assert notice.sent_at is not None
    assert notice.last_error == ""
    [sent] = sms_outbox
    assert sent.to == "+821012345678"
    assert notice.recipient == "+821012345678"
    assert notice.provider_ref == sent.ref
    # Korean first, then English.
    assert sent.text == (
        "[교류협력 승인] 신청하신 방문이 승인되었습니다.\n\n"
        "[Exchange approval] Your visit has been approved."
    )


def test_an_email_goes_through_djangos_mail_framework(texts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notice = notice_queue(
            channel="email",
            to="kim@example.org",
            name="김철수",
            topic="permits.approval:3",
            **texts,
        )
    notice = Notice.objects.get(pk=notice.pk)
    assert notice.state == NoticeState.DELIVERED
    [message] = mail.outbox
    assert message.subject == "교류협력 승인 / Exchange approval"
    assert message.to == ["김철수 <kim@example.org>"]
    assert message.body.index("승인되었습니다") < message.body.index("has been approved")
    assert message.extra_headers["Message-ID"] == notice.provider_ref
    assert notice.provider_ref.startswith("<") and notice.provider_ref.endswith("@panmun.invalid>")


@pytest.mark.parametrize(
    ("channel", "to"),
    [
        ("email", "kim@"),
        ("email", "+821012345678"),
        ("sms", "010-1234-5678"),  # no country code
        ("sms", "+82 10 12"),  # too short
        ("sms", "kim@example.org"),
    ],
)
def test_a_bad_address_is_refused_and_nothing_is_written(channel, to, texts, sms_outbox):
    with transaction.atomic(), pytest.raises(DomainError) as refused:
        notice_queue(channel=channel, to=to, topic="permits.approval:1", **texts)
    assert refused.value.code == ErrorCode.INVALID_INPUT
    assert [e["field"] for e in refused.value.details["errors"]] == ["to"]
    assert Notice.objects.count() == 0
    assert sms_outbox == []


def test_every_problem_is_named_by_its_field(texts):
    texts["body_en"] = "  "
    texts["subject_ko"] = "가" * 201
    texts["subject_en"] = "Approved\nBcc: everyone@example.org"
    with transaction.atomic(), pytest.raises(DomainError) as refused:
        notice_queue(channel="fax", to="123", name="Kim\r\nX: y", topic="no spaces please", **texts)
    fields = [e["field"] for e in refused.value.details["errors"]]
    assert fields == ["channel", "topic", "name", "subject_ko", "subject_en", "body_en"]
    assert Notice.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_is_refused(queue_sms, sms_outbox):
    with pytest.raises(NoticeOutsideTransaction):
        queue_sms()
    assert Notice.objects.count() == 0
    assert sms_outbox == []


@pytest.mark.django_db(transaction=True)
def test_real_commit_and_rollback(queue_sms, sms_outbox):
    """With real transactions (no test transaction around them): the task runs on commit."""
    with pytest.raises(Boom), transaction.atomic():
        queue_sms(topic="permits.approval:1")
        raise Boom
    with transaction.atomic():
        queue_sms(topic="permits.approval:2")
    assert [n.topic for n in Notice.objects.all()] == ["permits.approval:2"]
    assert Notice.objects.get().state == NoticeState.DELIVERED
    assert len(sms_outbox) == 1


def test_notices_for_topic_lists_only_that_topic_newest_first(queue_sms):
    with transaction.atomic():
        first = queue_sms(topic="permits.approval:12")
        queue_sms(topic="permits.approval:13")
        second = queue_sms(topic="permits.approval:12", channel="email", to="a@example.org")
    assert list(notices_for_topic("permits.approval:12")) == [second, first]
    assert list(notices_for_topic("permits.approval:1")) == []
