"""Writes to the dialogue record. Pages, the API, the CLI and jobs all call these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.db import transaction

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import Side, User
from panmun.common.errors import DomainError, ErrorCode
from panmun.dialogue.access import can_change_agreement_status, can_edit_dialogue

from . import record
from .models import Agreement, AgreementStatus, AgreementStatusChange, Talks

TALKS_FIELDS = record.TALKS_FIELDS
AGREEMENT_FIELDS = record.AGREEMENT_FIELDS


def _clean_one(cleaner: Any, data: dict[str, Any], source: str) -> dict[str, Any]:
    checker = record.Checker(source)
    item = cleaner(checker, data, "")
    if checker.problems:
        raise record.invalid(checker)
    return item  # type: ignore[no-any-return]


def _set_delegates(talks: Talks, delegates: list[dict[str, Any]]) -> None:
    record.replace_delegates(talks, delegates, apps.get_model)


def _set_agreements(talks: Talks, keys: list[str]) -> None:
    talks.agreements.set(Agreement.objects.filter(key__in=keys))


def _talks_snapshot(talks: Talks) -> dict[str, Any]:
    """What the audit log compares: the fields, the delegation and the linked agreements."""
    return {
        **audit.snapshot(talks, list(TALKS_FIELDS)),
        "delegates": [record.delegate_as_dict(d) for d in talks.delegates.select_related("side")],
        "agreements": sorted(talks.agreements.values_list("key", flat=True)),
    }


def _give_key(obj: Any, prefix: str) -> None:
    """A record entered without a key gets one, so that it can be linked, exported and
    imported again like the historical record."""
    if not obj.key:
        obj.key = f"{prefix}-{obj.pk}"
        while type(obj).objects.filter(key=obj.key).exclude(pk=obj.pk).exists():
            obj.key += "-x"
        obj.save(update_fields=["key"])


def _check_agreement_keys(item: dict[str, Any], source: str) -> None:
    known = set(Agreement.objects.filter(key__in=item["agreements"]).values_list("key", flat=True))
    missing = [k for k in item["agreements"] if k not in known]
    if missing:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"없는 합의서 키입니다: {', '.join(missing)}",
            f"Unknown agreement key(s): {', '.join(missing)}",
            {"file": source, "errors": [{"row": "", "field": "agreements", "missing": missing}]},
        )


def _check_key_free(model: Any, key: str, exclude_pk: int | None = None) -> None:
    if key and model.objects.filter(key=key).exclude(pk=exclude_pk).exists():
        raise DomainError(
            ErrorCode.CONFLICT,
            f"같은 키가 이미 있습니다: {key}",
            f"The key {key} is already in use.",
            {"field": "key"},
        )


@transaction.atomic
def talks_create(*, actor: User, data: dict[str, Any], source: str = "request") -> Talks:
    require_authenticated(actor)
    require(can_edit_dialogue(actor))
    item = _clean_one(record.clean_talks, data, source)
    _check_agreement_keys(item, source)
    _check_key_free(Talks, item["key"])
    talks = Talks(**{f: item[f] for f in TALKS_FIELDS})
    talks.full_clean()
    talks.save()
    _give_key(talks, "talks")
    _set_delegates(talks, item["delegates"])
    _set_agreements(talks, item["agreements"])
    audit.record(
        actor=actor, action="dialogue.talks.create", obj=talks, changes=_talks_snapshot(talks)
    )
    return talks


@transaction.atomic
def talks_update(
    *, actor: User, talks: Talks, data: dict[str, Any], source: str = "request"
) -> Talks:
    """Replace a record of talks with `data` (the whole record, as in talks_create)."""
    require_authenticated(actor)
    require(can_edit_dialogue(actor))
    talks = Talks.objects.select_for_update().get(pk=talks.pk)
    item = _clean_one(record.clean_talks, data, source)
    _check_agreement_keys(item, source)
    _check_key_free(Talks, item["key"], exclude_pk=talks.pk)
    before = _talks_snapshot(talks)
    for f in TALKS_FIELDS:
        setattr(talks, f, item[f])
    talks.full_clean()
    talks.save()
    _give_key(talks, "talks")
    _set_delegates(talks, item["delegates"])
    _set_agreements(talks, item["agreements"])
    audit.record(
        actor=actor,
        action="dialogue.talks.update",
        obj=talks,
        changes=audit.diff(before, _talks_snapshot(talks)),
    )
    return talks


@transaction.atomic
def agreement_create(*, actor: User, data: dict[str, Any], source: str = "request") -> Agreement:
    require_authenticated(actor)
    require(can_edit_dialogue(actor))
    data = {**data, "status": AgreementStatus.IN_FORCE.value}
    item = _clean_one(record.clean_agreement, data, source)
    _check_key_free(Agreement, item["key"])
    agreement = Agreement(**{f: item[f] for f in AGREEMENT_FIELDS}, status=AgreementStatus.IN_FORCE)
    agreement.full_clean()
    agreement.save()
    _give_key(agreement, "agreement")
    agreement.parties.set(Side.objects.filter(code__in=item["parties"]))
    for p in item["provisions"]:
        agreement.provisions.create(**p)
    AgreementStatusChange.objects.create(
        agreement=agreement,
        status=AgreementStatus.IN_FORCE,
        effective_on=item["signed_on"],
        recorded_by=actor,
        source=item["source"],
    )
    audit.record(
        actor=actor,
        action="dialogue.agreement.create",
        obj=agreement,
        changes={
            **audit.snapshot(agreement, list(AGREEMENT_FIELDS)),
            "parties": item["parties"],
            "provisions": len(item["provisions"]),
        },
    )
    return agreement


def agreement_status_validate(
    agreement: Agreement, status: str, effective_on: dt.date | None
) -> None:
    if status not in AgreementStatus.values:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"알 수 없는 효력 상태입니다: {status}",
            f"Unknown status: {status}",
            {"field": "status", "allowed": list(AgreementStatus.values)},
        )
    if status == agreement.status:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "합의서가 이미 그 상태입니다.",
            "The agreement already has that status.",
            {"field": "status", "current": agreement.status},
        )
    if (
        agreement.status in (AgreementStatus.SUPERSEDED, AgreementStatus.LAPSED)
        and status == AgreementStatus.SUSPENDED
    ):
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "대체되었거나 실효된 합의서는 효력을 정지할 수 없습니다.",
            "A superseded or lapsed agreement cannot be suspended.",
            {"field": "status", "current": agreement.status},
        )
    if effective_on and agreement.signed_on and effective_on < agreement.signed_on:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "효력 변경일이 서명일보다 앞섭니다.",
            "The change cannot take effect before the agreement was signed.",
            {"field": "effective_on"},
        )


@transaction.atomic
def agreement_change_status(
    *,
    actor: User,
    agreement: Agreement,
    status: str,
    effective_on: dt.date | None,
    note_ko: str = "",
    note_en: str = "",
    source: str = "",
) -> AgreementStatusChange:
    """Record a dated change of status; the agreement's current status follows it."""
    require_authenticated(actor)
    require(can_change_agreement_status(actor))
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    agreement_status_validate(agreement, status, effective_on)
    old = agreement.status
    change = AgreementStatusChange(
        agreement=agreement,
        status=status,
        effective_on=effective_on,
        note_ko=note_ko.strip(),
        note_en=note_en.strip(),
        source=source.strip(),
        recorded_by=actor,
    )
    change.full_clean()
    change.save()
    agreement.status = status
    agreement.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="dialogue.agreement.status",
        obj=agreement,
        changes={"status": [old, status], "effective_on": effective_on},
    )
    return change


def record_validate(raw: bytes | str, *, filename: str) -> record.RecordDocument:
    data = record.parse(raw, filename=filename)
    known = Agreement.objects.exclude(key="").values_list("key", flat=True)
    return record.validate(data, filename=filename, known_agreement_keys=known)


@transaction.atomic
def record_import(
    *,
    actor: User | None,
    raw: bytes | str,
    filename: str,
    progress: Any = None,
    dry_run: bool = False,
) -> dict[str, int]:
    """Import a dialogue record document: all of it, or — on any problem — nothing."""
    if actor is not None:
        require_authenticated(actor)
        require(can_edit_dialogue(actor))
    doc = record_validate(raw, filename=filename)
    _check_status_changes(actor, doc, filename)
    if progress is not None:
        progress.start(doc.size, stage=filename)
    if dry_run:
        return {"created": 0, "updated": 0, "checked": doc.size}
    changed: list[str] = []
    counts = record.apply(doc, apps.get_model, progress, changed)
    audit.record(
        actor=actor,
        action="dialogue.record.import",
        object_type="dialogue.record",
        object_label=filename,
        changes={**counts, "items": changed},
    )
    return counts


def _check_status_changes(actor: User | None, doc: record.RecordDocument, filename: str) -> None:
    """An import may change an agreement's status only as `agreement_change_status` would:
    by a supervisor, and along an allowed transition."""
    keys = [a["key"] for a in doc.agreements]
    existing = {a.key: a for a in Agreement.objects.filter(key__in=keys)}
    checker = record.Checker(filename)
    denied = False
    for i, item in enumerate(doc.agreements):
        current = existing.get(item["key"])
        if current is None or current.status == item["status"]:
            continue
        row = f"agreements[{i}]"
        if actor is not None and not can_change_agreement_status(actor):
            denied = True
            checker.add(
                row,
                "status",
                ko="합의서 효력 상태는 감독관만 바꿀 수 있습니다",
                en="only a supervisor may change an agreement's status",
            )
            continue
        try:
            agreement_status_validate(current, item["status"], None)
        except DomainError as err:
            checker.add(
                row,
                "status",
                ko=err.message_ko,
                en=err.message_en,
            )
    if denied:
        raise DomainError.from_findings(
            checker.problems,
            code=ErrorCode.PERMISSION_DENIED,
            ko=f"{filename}: 합의서 효력 상태를 바꾸는 항목이 있어 아무것도 저장하지 않았습니다.",
            en=f"{filename}: it changes agreements' status, which needs a supervisor; "
            "nothing was saved.",
            file=filename,
        )
    if checker.problems:
        raise record.invalid(checker)
