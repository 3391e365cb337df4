from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from panmun.notices import sms


@pytest.fixture(autouse=True)
def sms_outbox() -> Iterator[list[sms.SmsMessage]]:
    """The text messages sent by the locmem backend during the test, emptied before and after."""
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


TEXTS = {
    "subject_ko": "교류협력 승인",
    "subject_en": "Exchange approval",
    "body_ko": "신청하신 방문이 승인되었습니다.",
    "body_en": "Your visit has been approved.",
}


@pytest.fixture
def texts() -> dict[str, str]:
    return dict(TEXTS)


@pytest.fixture
def queue_sms() -> Callable[..., Any]:
    """notice_queue for a text message with the usual texts (any argument overridden)."""
    from panmun.notices.services import notice_queue

    def make(**overrides: Any) -> Any:
        kwargs: dict[str, Any] = {
            "channel": "sms",
            "to": "+821012345678",
            "name": "김철수",
            "topic": "permits.approval:12",
            **TEXTS,
            **overrides,
        }
        return notice_queue(**kwargs)

    return make
