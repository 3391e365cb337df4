"""Checkpoints of the logs: signing a local log's checkpoint, cosigning the other side's
(the receipt, C2SP tlog-cosignature) once it verifies against the entries held, keeping the
other side's cosignature of a local one, and the consistency proofs between them.

Every write locks the log's row first (`log.lock_log`), as the log's own writes do.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode
from panmun.liaison.access import can_exchange_liaison

from .. import node
from ..ledger import merkle, notes
from ..models import Checkpoint, KeyPurpose, Log, PublicKey
from .log import leaf_hashes, lock_log, node_not_writer, tree_root


def latest_checkpoint(log: Log, *, cosigned: bool = False) -> Checkpoint | None:
    qs = log.checkpoints.all()
    if cosigned:
        qs = qs.filter(cosigned_at__isnull=False)
    return qs.order_by("-size").first()


@transaction.atomic
def checkpoint_sign(*, side: str) -> Checkpoint | None:
    """A checkpoint of a local log at its present size, signed by the side's log key (the
    existing one if the log has not grown). None for an empty log."""
    log = lock_log(side)
    if not log.local:
        raise node_not_writer(side)
    if log.size == 0:
        return None
    last = latest_checkpoint(log)
    if last is not None and last.size == log.size:
        return last
    signer = node.signer(side, KeyPurpose.LOG)
    root = tree_root(log)
    text = notes.Checkpoint(origin=log.origin, size=log.size, root_hash=root).text()
    checkpoint = Checkpoint.objects.create(
        log=log,
        size=log.size,
        root_hash=root.hex(),
        note=notes.sign_note(text, name=signer.key.name, private_key=signer.private),
        signed_at=timezone.now(),
    )
    return checkpoint


def _checkpoint_refused(ko: str, en: str, **details: Any) -> DomainError:
    return DomainError(ErrorCode.CONFLICT, ko, en, details or None)


def _log_key_of(note: notes.Note, side: str) -> PublicKey | None:
    for key in PublicKey.objects.filter(side=side, purpose=KeyPurpose.LOG).order_by("-valid_from"):
        if notes.verify_ed25519(note, name=key.name, public_key=base64.b64decode(key.public_key)):
            return key
    return None


@transaction.atomic
def checkpoint_cosign(
    *, actor: User | None, side: str, note_text: str, proof: Sequence[bytes] | None
) -> str:
    """The receiving side's answer to a checkpoint of `side`'s log: verify its signature, that
    it is the root of the entries held, and that it extends the last checkpoint held (by the
    consistency proof given); then cosign it (C2SP tlog-cosignature) with the receiving side's
    cosigning key. Returns the cosignature line; the cosigned note is kept as the receipt.

    The root is checked against the entries held, and so was the last checkpoint cosigned:
    both are trees of the same verified entries, so the one extends the other. The proof the
    sender gives is checked as well; `proof=None` (no proof) is for the other side on the same
    node only, whose entries are these very rows."""
    if actor is not None:
        require(can_exchange_liaison(actor, side))
    log = lock_log(side)
    try:
        note = notes.parse_note(note_text)
        checkpoint = notes.parse_checkpoint(note.text)
    except notes.NoteError as exc:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"검증점의 형식이 올바르지 않습니다: {exc.finding.ko}",
            f"The checkpoint is not well formed: {exc.finding.en}",
            {"field": "note"},
        ) from exc
    if checkpoint.origin != log.origin:
        raise _checkpoint_refused(
            "다른 기록의 검증점입니다.", "The checkpoint is of another log.", field="note"
        )
    if _log_key_of(note, side) is None:
        raise _checkpoint_refused(
            "검증점의 서명이 그 측의 키로 확인되지 않습니다.",
            "The checkpoint is not signed by a key of that side.",
            field="note",
        )
    if checkpoint.size > log.size:
        raise _checkpoint_refused(
            "아직 받지 않은 기록이 포함된 검증점입니다.",
            "The checkpoint covers entries not received yet.",
            held=log.size,
        )
    if tree_root(log, checkpoint.size) != checkpoint.root_hash:
        raise _checkpoint_refused(
            "검증점의 루트 해시가 받은 기록과 맞지 않습니다.",
            "The checkpoint's root hash does not match the entries held.",
            size=checkpoint.size,
        )
    held = latest_checkpoint(log, cosigned=True)
    if held is not None and held.size > checkpoint.size:
        raise _checkpoint_refused(
            "이미 더 큰 검증점에 부서했습니다.",
            "A larger checkpoint has already been cosigned.",
            held_checkpoint_size=held.size,
        )
    if (
        held is not None
        and proof is not None
        and not merkle.verify_consistency(
            held.size, checkpoint.size, bytes.fromhex(held.root_hash), checkpoint.root_hash, proof
        )
    ):
        raise _checkpoint_refused(
            "앞서 부서한 검증점과의 일관성 증명이 맞지 않습니다.",
            "The consistency proof from the checkpoint last cosigned does not verify.",
            held_checkpoint_size=held.size,
        )
    cosigner = node.signer(node.other(side), KeyPurpose.COSIGN)
    now = timezone.now()
    line = notes.cosignature_line(
        note.text,
        name=cosigner.key.name,
        private_key=cosigner.private,
        timestamp=int(now.timestamp()),
    )
    row, _ = Checkpoint.objects.get_or_create(
        log=log,
        size=checkpoint.size,
        defaults={
            "root_hash": checkpoint.root_hash.hex(),
            "note": note_text,
            "signed_at": now,
        },
    )
    row.note = notes.add_signatures(row.note, [line])
    row.cosigner = cosigner.key.name
    row.cosigned_at = now
    row.save(update_fields=["note", "cosigner", "cosigned_at"])
    return line


@transaction.atomic
def cosignature_accept(*, side: str, size: int, line: str) -> Checkpoint:
    """Keep the other side's cosignature of a local checkpoint, once it verifies."""
    log = lock_log(side)
    checkpoint = Checkpoint.objects.get(log=log, size=size)
    cosigned = notes.add_signatures(checkpoint.note, [line])
    note = notes.parse_note(cosigned)
    for key in PublicKey.objects.filter(side=node.other(side), purpose=KeyPurpose.COSIGN):
        stamp = notes.verify_cosignature(
            note, name=key.name, public_key=base64.b64decode(key.public_key)
        )
        if stamp is not None:
            checkpoint.note = cosigned
            checkpoint.cosigner = key.name
            checkpoint.cosigned_at = datetime.fromtimestamp(
                stamp, tz=timezone.get_current_timezone()
            )
            checkpoint.save(update_fields=["note", "cosigner", "cosigned_at"])
            return checkpoint
    raise DomainError(
        ErrorCode.CONFLICT,
        "상대측의 부서명이 확인되지 않습니다.",
        "The other side's cosignature does not verify.",
        {"size": size},
    )


def consistency_from(log: Log, first: int, second: int) -> list[bytes]:
    if first == 0 or first >= second:
        return []
    return merkle.consistency_proof(leaf_hashes(log, second), first)


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()
