"""Flags that stop a person or a vehicle at the gate (Sahana Eden's "flags with instructions
for gate staff"): raised with the reason and what the staff must do, shown on every refusal
they cause, until lifted. Raised and lifted by the gate's officers and by the management
committee; a quarantine officer raises and lifts the quarantine's own."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode, invalid_fields

from ..access import can_keep_flags, is_quarantine_officer
from ..models.crossings import FlagSource, GateFlag
from .gate import subject_key


def _may(actor: User, source: str) -> bool:
    return can_keep_flags(actor) or (
        source == FlagSource.QUARANTINE and is_quarantine_officer(actor)
    )


@transaction.atomic
def gate_flag_raise(
    *,
    actor: User,
    subject: str,
    key: str,
    reason: str,
    instructions: str = "",
    name: str = "",
    source: str = FlagSource.MANUAL,
) -> GateFlag:
    """A flag on `key`: the gate refuses it (showing `instructions`) until the flag is lifted."""
    require(_may(actor, source))
    key = subject_key(subject, key)
    reason, instructions, name = reason.strip(), instructions.strip(), name.strip()
    problems = []
    if not reason:
        problems.append(("reason", "사유를 적어 주십시오.", "Give the reason."))
    if len(reason) > 500:
        problems.append(("reason", "사유는 500자까지입니다.", "At most 500 characters."))
    if len(instructions) > 4000:
        problems.append(("instructions", "지시 사항은 4,000자까지입니다.", "At most 4,000."))
    if len(name) > 200:
        problems.append(("name", "이름은 200자까지입니다.", "At most 200 characters."))
    if source not in FlagSource.values:
        problems.append(("source", "목록에서 고르십시오.", "Choose from the list."))
    for text, field in ((reason, "reason"), (instructions, "instructions"), (name, "name")):
        if "\x00" in text:
            problems.append((field, "쓸 수 없는 글자가 있습니다.", "A character not allowed."))
    if problems:
        raise invalid_fields("깃발을 올리지 않았습니다.", "The flag was not raised.", problems)
    flag = GateFlag.objects.create(
        subject=subject,
        key=key,
        name=name,
        source=source,
        reason=reason,
        instructions=instructions,
        raised_by=actor,
        raised_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="complex.gate.flag_raise",
        obj=flag,
        changes={"key": key, "subject": subject, "reason": reason, "source": source},
    )
    return flag


@transaction.atomic
def gate_flag_lift(*, actor: User, flag: GateFlag, note: str = "") -> GateFlag:
    """The flag lifted, with a note: the gate no longer stops its key for it."""
    flag = GateFlag.objects.select_for_update().get(pk=flag.pk)
    require(_may(actor, flag.source))
    note = note.strip()
    if len(note) > 500 or "\x00" in note:
        raise invalid_fields(
            "깃발을 내리지 않았습니다.",
            "The flag was not lifted.",
            [("note", "메모는 500자까지입니다.", "The note is at most 500 characters.")],
        )
    if flag.lifted_at is not None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "이미 내린 깃발입니다.",
            "The flag is already lifted.",
            {"lifted_at": flag.lifted_at.isoformat()},
        )
    flag.lifted_by = actor
    flag.lifted_at = timezone.now()
    flag.lifted_note = note
    flag.save()
    audit.record(actor=actor, action="complex.gate.flag_lift", obj=flag, changes={"note": note})
    return flag
