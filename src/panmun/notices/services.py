"""Writes of the outbox. An app that changes something people must hear of calls
`notice_queue` inside the transaction of that change: the notice is written with it and
delivered after it commits (a rolled-back change leaves no notice, and nothing is sent for it).
`notices_send_due` delivers whatever is due — the worker's safety net and `panmun notices send`.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from panmun.common.errors import invalid_fields

from .delivery import due, notice_deliver
from .models import Channel, Notice, NoticeState
from .tasks import deliver_notice

logger = logging.getLogger(__name__)

MAX_SUBJECT = 200  # characters, in each language
MAX_BODY = 5000
#: A telephone number in international form: +, the country code, the number (E.164).
PHONE = re.compile(r"\+[1-9][0-9]{6,14}")
#: What a topic may hold: "<app>.<thing>:<id>" and the like.
TOPIC = re.compile(r"[A-Za-z0-9_.:/-]{1,100}")
# A line break (or other control character) in a header would be refused by the mail framework
# at every attempt: refused here instead.
_LINE_BREAK = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


class NoticeOutsideTransaction(RuntimeError):
    """`notice_queue` was called outside a transaction: a programming error, since the notice
    must be written with the change it tells of."""


Problem = tuple[str, str, str]


def _recipient(channel: str, to: str) -> tuple[str, list[Problem]]:
    """The address in its stored form, and what is wrong with it."""
    to = to.strip()
    if channel == Channel.EMAIL:
        try:
            validate_email(to)
        except ValidationError:
            return to, [("to", "전자우편 주소가 올바르지 않습니다.", "Not a valid e-mail address.")]
        return to, []
    number = re.sub(r"[\s().-]", "", to)
    if not PHONE.fullmatch(number):
        return to, [
            (
                "to",
                "전화번호는 국가번호를 붙여 적어 주십시오 (예: +82 10 1234 5678).",
                "Write the telephone number with its country code (e.g. +82 10 1234 5678).",
            )
        ]
    return number, []


def _text_problems(texts: dict[str, str]) -> list[Problem]:
    problems = []
    for field, value in texts.items():
        limit = MAX_SUBJECT if field.startswith("subject") else MAX_BODY
        if not value.strip():
            problems.append((field, "내용을 적어 주십시오.", "This cannot be empty."))
        elif field.startswith("subject") and _LINE_BREAK.search(value):
            problems.append((field, "제목은 한 줄로 적어 주십시오.", "A subject is one line."))
        elif len(value) > limit:
            problems.append(
                (field, f"{limit:,}자 이내로 적어 주십시오.", f"At most {limit:,} characters.")
            )
    return problems


def notice_queue(
    *,
    channel: str,
    to: str,
    name: str = "",
    subject_ko: str,
    subject_en: str,
    body_ko: str,
    body_en: str,
    topic: str,
) -> Notice:
    """Write a notice to `to` (an e-mail address for `Channel.EMAIL`, a telephone number with
    its country code for `Channel.SMS`) about `topic`, in Korean and English, and have it
    delivered once the surrounding transaction commits. Must be called inside that transaction
    (`NoticeOutsideTransaction` otherwise); a bad address or text is refused (DomainError,
    invalid input, naming the field) and nothing is written."""
    if not transaction.get_connection().in_atomic_block:
        raise NoticeOutsideTransaction(
            "notice_queue must be called inside the transaction of the change it tells of"
        )
    problems: list[Problem] = []
    if channel not in Channel.values:
        problems.append(
            (
                "channel",
                "보낼 방법은 " + ", ".join(Channel.values) + " 가운데 하나입니다.",
                "The channel is one of " + ", ".join(Channel.values) + ".",
            )
        )
        address = to.strip()
    else:
        address, wrong = _recipient(channel, to)
        problems += wrong
    if not TOPIC.fullmatch(topic):
        problems.append(
            (
                "topic",
                "주제는 100자 이내의 영문자, 숫자와 _ . : / - 로 적습니다.",
                "A topic is up to 100 letters, digits and _ . : / -.",
            )
        )
    if len(name) > 200:
        problems.append(("name", "200자 이내로 적어 주십시오.", "At most 200 characters."))
    elif _LINE_BREAK.search(name):
        problems.append(("name", "이름은 한 줄로 적어 주십시오.", "A name is one line."))
    texts = {
        "subject_ko": subject_ko,
        "subject_en": subject_en,
        "body_ko": body_ko,
        "body_en": body_en,
    }
    problems += _text_problems(texts)
    if problems:
        raise invalid_fields("알림을 보내지 않았습니다.", "The notice was not sent.", problems)
    notice = Notice.objects.create(
        channel=channel,
        recipient=address,
        recipient_name=name.strip(),
        topic=topic,
        next_attempt_at=timezone.now(),
        **{field: value.strip() for field, value in texts.items()},
    )
    # robust: a queue that cannot be reached must not undo the change; the sweep sends it.
    transaction.on_commit(partial(_enqueue, notice.pk), robust=True)
    return notice


def _enqueue(notice_id: int) -> None:
    deliver_notice.enqueue(notice_id)


@dataclass(frozen=True)
class SendSummary:
    """What a sweep did: notices delivered, to be tried again, failed for good, and those
    another worker held."""

    delivered: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0


def notices_send_due(*, now: datetime | None = None, limit: int = 500) -> SendSummary:
    """Deliver up to `limit` notices due at `now` (default: now), oldest due first, each in
    transactions of its own (call it outside a transaction: the worker, the command line)."""
    now = now or timezone.now()
    ids = list(
        Notice.objects.filter(due(now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    counts: Counter[str] = Counter()
    for notice_id in ids:
        notice = notice_deliver(notice_id, now=now)
        counts[notice.state if notice is not None else "skipped"] += 1
    return SendSummary(
        delivered=counts[NoticeState.DELIVERED],
        retried=counts[NoticeState.CREATED],
        failed=counts[NoticeState.FAILED],
        skipped=counts["skipped"],
    )
