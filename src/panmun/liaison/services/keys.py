"""Keys: rotation (an entry signed by the old key that names the new one), the first trust
in the other side's keys (its keys.json, brought over out of band), and the published list."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode
from panmun.liaison.access import can_rotate_liaison_keys

from .. import node
from ..ledger import entries
from ..ledger.keys import PublicKeyRecord
from ..models import Entry, KeyPurpose, Kind, PublicKey
from . import sending

#: How long after the rotation entry the new key starts (the old one signs the entry itself).
HANDOVER = dt.timedelta(seconds=1)


@transaction.atomic
def key_rotate(*, actor: User | None, side: str, purpose: str, reason: str) -> Entry:
    """Make a new key for a local side and announce it in the log, signed by the present log
    key. The old key stays published, for verifying what it signed."""
    if actor is not None:
        require(can_rotate_liaison_keys(actor) and actor.side_code == side)
    if purpose not in KeyPurpose.values:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"알 수 없는 키 용도입니다: {purpose}",
            f"Unknown key purpose: {purpose}",
            {"field": "purpose", "allowed": list(KeyPurpose.values)},
        )
    node.signer(side, KeyPurpose.LOG)  # the key that signs the rotation exists
    now = timezone.now()
    new = node.make_key(side, purpose, valid_from=now + HANDOVER)
    body = {
        "new_key": {
            "name": new.name,
            "purpose": purpose,
            "public_key": new.public_key,
            "valid_from": entries.format_time(new.valid_from),
        },
        "reason": reason,
    }
    return sending.entry_send(side=side, kind=Kind.KEY_ROTATION, body=body, author=actor, at=now)


@transaction.atomic
def keys_trust(*, records: Sequence[PublicKeyRecord]) -> int:
    """Take the other side's published keys as the starting trust (keys this node already
    knows must be the same). Keys of local sides are ignored. Returns how many are new."""
    node.ensure_logs()
    added = 0
    for record in records:
        if node.is_local(record.side):
            continue
        encoded = base64.b64encode(record.public_key).decode()
        held = PublicKey.objects.filter(name=record.name).first()
        if held is not None:
            if held.public_key != encoded or held.side != record.side:
                raise DomainError(
                    ErrorCode.CONFLICT,
                    f"이미 다른 값으로 등록된 키입니다: {record.name}",
                    f"A different key of that name is already held: {record.name}",
                    {"name": record.name},
                )
            continue
        key = PublicKey(
            name=record.name,
            side=record.side,
            purpose=record.purpose,
            public_key=encoded,
            valid_from=record.valid_from,
            valid_until=record.valid_until,
            log_origin=record.log or "",
        )
        key.full_clean()
        key.save()
        added += 1
    if added:
        audit.record(
            actor=None,
            action="liaison.keys.trust",
            object_type="liaison.publickey",
            changes={"added": added},
        )
    return added


def keys_published() -> list[PublicKeyRecord]:
    return [node.key_record(k) for k in PublicKey.objects.order_by("side", "purpose", "valid_from")]


def ensure_local_keys() -> list[PublicKey]:
    """The current log and cosigning keys of every local side (made where allowed)."""
    return [
        node.signer(side, purpose).key
        for side in node.local_sides()
        for purpose in KeyPurpose.values
    ]
