"""Writing the audit log. Called by every service, inside the service's transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.utils import translation

from panmun.common.apps import audit_action_words
from panmun.common.bilingual import tr

from .models import AuditEntry, User

# What each action code means, for people reading the log.
ACTIONS: dict[str, tuple[str, str]] = {
    "accounts.token.create": ("API 토큰 발급", "API token created"),
    "accounts.token.revoke": ("API 토큰 폐기", "API token revoked"),
    "accounts.user.language": ("사용 언어 변경", "Language changed"),
    "accounts.user.password": ("비밀번호 변경", "Password changed"),
    "accounts.demo.load": ("시연 자료 적재", "Demo data loaded"),
    "accounts.signoff.request": ("결재 요청", "Approval asked for"),
    "accounts.signoff.approve": ("결재 승인", "Approved"),
    "accounts.signoff.refuse": ("결재 반려", "Approval refused"),
    "accounts.signoff.withdraw": ("결재 요청 철회", "Approval request withdrawn"),
    "accounts.signoff.use": ("결재된 단계 실행", "Approved step carried out"),
    "jobs.job.start": ("작업 시작", "Job started"),
    "dialogue.talks.create": ("회담 기록", "Talks recorded"),
    "dialogue.talks.update": ("회담 기록 수정", "Talks record changed"),
    "dialogue.agreement.create": ("합의서 기록", "Agreement recorded"),
    "dialogue.agreement.status": ("합의서 효력 변경", "Agreement status changed"),
    "dialogue.record.import": ("대화 기록 가져오기", "Dialogue record imported"),
    "families.person.create": ("이산가족 등록", "Person registered"),
    "families.person.update": ("이산가족 기록 수정", "Person record changed"),
    "families.person.view": ("이산가족 기록 열람", "Person record viewed"),
    "families.person.name_consent": (
        "북측에 신청자 이름 알림 동의 기록",
        "Consent to tell the other side the applicant's name recorded",
    ),
    "families.seeking.create": ("찾는 가족 등록", "Relative sought recorded"),
    "families.dna.create": ("유전자 시료 등록", "DNA sample registered"),
    "families.registry.import": ("등록부 가져오기", "Registry file imported"),
    "families.registry.export": ("등록부 내보내기", "Registry exported"),
    "families.pfif.import": ("PFIF 가져오기", "PFIF file imported"),
    "families.duplicates.find": ("중복 찾기", "Duplicates searched"),
    "families.duplicates.merge": ("중복 병합", "Duplicates merged"),
    "families.duplicates.keep_apart": ("별개 인물로 유지", "Kept apart"),
    "families.duplicates.undo": ("병합 되돌리기", "Merge undone"),
    "families.label.give": ("동일인 여부 판정", "Pair labelled (same person or not)"),
    "families.duplicates.retrain": ("중복 찾기 모형 재학습", "Duplicates model retrained"),
    "families.round.create": ("생사확인 회차 생성", "Tracing round created"),
    "families.round.view": ("생사확인 의뢰 명단 열람", "Request list viewed"),
    "families.round.send": ("생사확인 의뢰 명단 발송", "Request list sent"),
    "families.round.reply_import": ("생사확인 회보 가져오기", "Reply list imported"),
    "families.round.reply_enter": ("생사확인 회보 입력", "Reply entered"),
    "families.reply.review": ("회보 연결 검토", "Reply link reviewed"),
    "families.round.apply": ("생사확인 결과 반영", "Tracing answers applied"),
    "reunion.round.create": ("상봉 회차 생성", "Reunion round created"),
    "reunion.round.criteria": ("인선 기준 변경", "Selection criteria changed"),
    "reunion.pool.freeze": ("추첨 대상 확정·공약", "Pool frozen and committed"),
    "reunion.draw.run": ("후보 추첨", "Candidates drawn"),
    "reunion.candidates.check": ("의사·건강 확인", "Willingness and health checked"),
    "reunion.reserves.call": ("예비 후보 호출", "Reserves called"),
    "reunion.inquiry.start": ("상봉 생사확인 의뢰", "Tracing inquiry started"),
    "reunion.final.fix": ("최종 명단 확정", "Final list fixed"),
    "reunion.stage.revert": ("상봉 단계 되돌리기", "Round stepped back"),
    "reunion.bundle.download": ("추첨 검증 자료 내려받기", "Draw bundle downloaded"),
    "reunion.list.export": ("상봉 명단 내려받기", "Reunion list downloaded"),
    "reunion.event.update": ("상봉 행사 정보 변경", "Reunion event changed"),
    "reunion.session.add": ("상봉 일정 추가", "Session added"),
    "reunion.session.remove": ("상봉 일정 삭제", "Session removed"),
    "reunion.participant.update": ("상봉 가족 정보 변경", "Participating family changed"),
    "reunion.companion.add": ("동반 가족 추가", "Companion added"),
    "reunion.companion.remove": ("동반 가족 삭제", "Companion removed"),
    "reunion.north_relative.add": ("북측 가족 명단 입력", "North relative entered"),
    "reunion.places.assign": ("테이블·객실 배정", "Tables and rooms assigned"),
    "reunion.attendance.record": ("상봉 참석 기록", "Attendance recorded"),
    "reunion.video.wishes": ("화상상봉 희망 입력", "Video reunion wishes set"),
    "reunion.video.schedule": ("화상상봉 일정 배정", "Video reunions scheduled"),
    "reunion.letter.record": ("영상편지 등록", "Video letter recorded"),
    "reunion.letter.advance": ("영상편지 발송·전달", "Video letter sent or delivered"),
    # The liaison record: one code per kind of entry sent (liaison.<kind>.send).
    "liaison.notice.send": ("통지문 발송", "Notice sent"),
    "liaison.letter.send": ("서한 발송", "Letter sent"),
    "liaison.proposal.send": ("제의 발송", "Proposal sent"),
    "liaison.acceptance.send": ("수락 발송", "Acceptance sent"),
    "liaison.counter_proposal.send": ("수정 제의 발송", "Counter-proposal sent"),
    "liaison.reply.send": ("답신 발송", "Reply sent"),
    "liaison.list.send": ("명단 발송", "List sent"),
    "liaison.agreement_text.send": ("합의문 발송", "Agreement text sent"),
    "liaison.contact_call.send": ("연락 통화 기록", "Contact call recorded"),
    "liaison.meeting_record.send": ("회의 기록 발송", "Meeting record sent"),
    "liaison.key_rotation.send": ("서명 키 교체 기록", "Key rotation recorded"),
    "liaison.batch.send": ("연락 기록 일괄 발송", "Liaison entries sent in a batch"),
    "liaison.keys.trust": ("상대측 공개 키 등록", "Other side's public keys trusted"),
}
# Object types that are not a model (the others are named by the model's verbose name).
OBJECT_TYPES: dict[str, tuple[str, str]] = {
    "accounts.demo": ("시연 자료", "demo data"),
}
ADMIN_VERBS = {
    "create": ("관리 화면에서 생성", "created in the admin site"),
    "change": ("관리 화면에서 변경", "changed in the admin site"),
    "relations": ("관리 화면에서 연결 변경", "links changed in the admin site"),
    "delete": ("관리 화면에서 삭제", "deleted in the admin site"),
}


def action_label(action: str, language: str) -> str:
    """An action code in words, e.g. 'dialogue.talks.create' → '회담 기록'."""
    pair = ACTIONS.get(action) or audit_action_words().get(action)
    if pair is None and action.startswith("admin."):
        pair = ADMIN_VERBS.get(action.rsplit(".", 1)[-1])
    if pair is None:
        return action
    return str(tr(pair[0], pair[1], language))


def object_type_label(object_type: str, language: str) -> str:
    """An audit entry's object type in words: the model's name ('families.person' → '인물'),
    else the code."""

    pair = OBJECT_TYPES.get(object_type)
    if pair is not None:
        return str(tr(pair[0], pair[1], language))
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    with translation.override(language):
        return str(model._meta.verbose_name)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `instance`, JSON-ready, for a change summary."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _plain(getattr(instance, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that changed."""
    return {
        k: [before.get(k), after.get(k)]
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry. Must run inside the transaction of the change it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must be called inside the service's transaction")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)[:300]
    label = "system"
    if actor is not None:
        label = actor.get_username()
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label[:300],
        changes=_plain(changes or {}),
    )
