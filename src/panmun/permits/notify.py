"""Notices of an approval's moves (Tongtong's SMS notices of 2014, done as an outbox): the
applicant and every person the application names hear of each change of state, by e-mail
and by text message where they gave an address. Written in the transaction of the move
(`notices.services.notice_queue`), so a move that rolls back leaves no notice, and sent by the
task worker after it commits. An address the outbox cannot use is skipped and logged: a
traveller's mistyped number never stops an officer's decision."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from django.utils import translation

from panmun.common.errors import DomainError
from panmun.notices.models import Channel
from panmun.notices.services import notice_queue

from .models import Approval, ApprovalKind, ApprovalState

logger = logging.getLogger(__name__)


def topic_for(application_id: int) -> str:
    """The outbox's topic of an application's notices (its page lists them)."""
    return f"permits.application:{application_id}"


def phone_e164(phone: str, nationality: str = "KR") -> str:
    """A telephone number in international form: a Korean number written the Korean way
    (010-1234-5678) gets +82 for its leading 0."""
    digits = re.sub(r"[\s().-]", "", phone)
    if digits.startswith("+") or not digits:
        return digits
    if digits.startswith("0") and nationality in ("KR", ""):
        return "+82" + digits[1:]
    return "+" + digits


def _recipients(approval: Approval) -> Iterator[tuple[str, str, str]]:
    """(channel, address, name) for the applicant and the people named, once each."""
    application = approval.application
    seen: set[tuple[str, str]] = set()
    applicant = application.applicant
    people: list[tuple[str, str, str, str]] = [
        (applicant.email, "", "KR", applicant.display_name or applicant.username)
    ]
    profile = application.profile
    if profile is not None:
        people.append((profile.email, profile.phone, "KR", profile.name_ko))
    people.extend(
        (t.email, t.phone, t.nationality, t.name_ko) for t in application.travellers.all()
    )
    for email, phone, nationality, name in people:
        for channel, address in (
            (Channel.EMAIL, email.strip()),
            (Channel.SMS, phone_e164(phone, nationality)),
        ):
            if address and (channel, address) not in seen:
                seen.add((channel, address))
                yield channel, address, name


def _state_words(state: str, language: str) -> str:
    with translation.override(language):
        return str(ApprovalState(state).label)


def _kind_words(kind: str, language: str) -> str:
    with translation.override(language):
        return str(ApprovalKind(kind).label)


def _bodies(approval: Approval) -> tuple[str, str]:
    ref = approval.application.reference
    ko = f"{ref} {_kind_words(approval.kind, 'ko')}: {_state_words(approval.state, 'ko')}."
    en = f"{ref} {_kind_words(approval.kind, 'en')}: {_state_words(approval.state, 'en')}."
    for label_ko, label_en, ko_text, en_text in (
        ("사유", "Reasons", approval.reasons_ko, approval.reasons_en),
        ("조건", "Conditions", approval.conditions_ko, approval.conditions_en),
        ("보완 요청", "Questions", approval.questions_ko, approval.questions_en),
    ):
        if approval.state in _TEXT_STATES.get(label_en, ()) and ko_text:
            ko += f"\n{label_ko}: {ko_text}"
            en += f"\n{label_en}: {en_text}"
    return ko, en


_TEXT_STATES = {
    "Reasons": (ApprovalState.REFUSED, ApprovalState.REVOKED),
    "Conditions": (ApprovalState.APPROVED_WITH_CONDITIONS,),
    "Questions": (ApprovalState.INFO_REQUESTED,),
}


def notify_move(approval: Approval) -> int:
    """Queue the notices of `approval`'s new state; how many were queued. Call inside the
    move's transaction."""
    body_ko, body_en = _bodies(approval)
    ref = approval.application.reference
    subject_ko = f"[판문] 교류협력 승인 {ref}: {_state_words(approval.state, 'ko')}"
    subject_en = f"[Panmun] Exchange approval {ref}: {_state_words(approval.state, 'en')}"
    queued = 0
    for channel, address, name in _recipients(approval):
        try:
            notice_queue(
                channel=channel,
                to=address,
                name=name[:100],
                subject_ko=subject_ko,
                subject_en=subject_en,
                body_ko=body_ko,
                body_en=body_en,
                topic=topic_for(approval.application_id),
            )
        except DomainError as exc:  # checked before anything is written: the move goes on
            logger.warning("No %s notice to %r for %s: %s", channel, address, ref, exc.details)
            continue
        queued += 1
    return queued
