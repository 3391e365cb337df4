"""This node: which sides it writes for, their logs, and their keys.

A node holds the private keys of its local sides (settings `PANMUN_LIAISON_SIDES`) as files in
the key folder, one per key, named after the key (`<name>.key`, mode 0600). The database holds
only public keys. The other side's public keys come in by `panmun liaison trust` (out of band,
once) and afterwards by the key rotations in its log, each signed by the key it replaces.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from panmun.common import keyfiles
from panmun.common.errors import DomainError, ErrorCode

from .ledger.keys import PublicKeyRecord
from .models import KeyPurpose, Log, PublicKey

SIDES = ("south", "north")

#: When a side's first key starts: the joint liaison office opened on 14 September 2018. A first
#: key hands over from no other, so its window may as well cover the office's whole record
#: (and entries written with an earlier date, such as the demo's, still fall inside it).
FIRST_KEY_FROM = datetime(2018, 9, 14, tzinfo=ZoneInfo("Asia/Seoul"))


def other(side: str) -> str:
    return "north" if side == "south" else "south"


def local_sides() -> tuple[str, ...]:
    return tuple(s for s in SIDES if s in settings.PANMUN_LIAISON_SIDES)


def is_local(side: str) -> bool:
    return side in local_sides()


def origin(side: str) -> str:
    return str(settings.PANMUN_LIAISON_ORIGINS[side])


def key_dir() -> Path:
    return Path(settings.PANMUN_LIAISON_KEY_DIR)


def key_path(name: str) -> Path:
    return key_dir() / f"{name}.key"


def ensure_logs() -> dict[str, Log]:
    """Both logs exist: the local sides' marked `local`, the other side's as a copy."""
    logs = {}
    for side in SIDES:
        log, _ = Log.objects.get_or_create(
            side=side, defaults={"origin": origin(side), "local": is_local(side)}
        )
        if log.local != is_local(side):
            log.local = is_local(side)
            log.save(update_fields=["local"])
        logs[side] = log
    return logs


def log_for(side: str) -> Log:
    ensure_logs()
    return Log.objects.get(side=side)


def current_key(side: str, purpose: str) -> PublicKey | None:
    return PublicKey.objects.filter(side=side, purpose=purpose, valid_until__isnull=True).first()


def key_valid_at(
    side: str, purpose: str, at: datetime, name: str | None = None
) -> PublicKey | None:
    """The key of that side and purpose valid at `at` (and of that name, if given)."""
    qs = PublicKey.objects.filter(side=side, purpose=purpose, valid_from__lte=at).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=at)
    )
    if name is not None:
        qs = qs.filter(name=name)
    return qs.order_by("-valid_from").first()


def _key_error(exc: keyfiles.KeyFileError) -> DomainError:
    return DomainError(
        ErrorCode.CONFLICT,
        f"이 노드의 서명 키를 쓸 수 없습니다: {exc.finding.ko}",
        f"This node's signing key cannot be used: {exc.finding.en}",
        {"code": exc.finding.code, "path": str(exc.path)},
    )


def _new_key_name(side: str, purpose: str) -> str:
    """`<side>-<purpose>-<n>`, n one past any number used by a published key or a key file."""
    stem = f"{side}-{purpose}-"
    used = [0]
    names = [*PublicKey.objects.filter(name__startswith=stem).values_list("name", flat=True)]
    if key_dir().exists():
        names += [p.stem for p in key_dir().glob(f"{stem}*.key")]
    for name in names:
        tail = name[len(stem) :]
        if tail.isdigit():
            used.append(int(tail))
    return f"{stem}{max(used) + 1}"


def make_key(side: str, purpose: str, *, valid_from: datetime | None = None) -> PublicKey:
    """A new key file for a local side and its public record (not yet current if another is)."""
    name = _new_key_name(side, purpose)
    try:
        private = keyfiles.generate_key_file(key_path(name))
    except keyfiles.KeyFileError as exc:
        raise _key_error(exc) from exc
    return _published(name, side, purpose, private, valid_from or timezone.now())


def _published(
    name: str, side: str, purpose: str, private: Ed25519PrivateKey, valid_from: datetime
) -> PublicKey:
    """The public record of a local key file (not saved)."""
    return PublicKey(
        name=name,
        side=side,
        purpose=purpose,
        public_key=_b64(keyfiles.public_bytes(private)),
        valid_from=valid_from,
        log_origin=origin(side) if purpose == KeyPurpose.LOG else "",
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _adopt_first_key(side: str, purpose: str) -> PublicKey | None:
    """A side's first key file already in the key folder (made by `panmun liaison init`
    before the database, or kept while the database was rebuilt) becomes its published key:
    the files, not the database, are where the keys live."""
    name = f"{side}-{purpose}-1"
    path = key_path(name)
    if not path.exists():
        return None
    try:
        private = keyfiles.load_private_key(path)
    except keyfiles.KeyFileError as exc:
        raise _key_error(exc) from exc
    key = _published(name, side, purpose, private, FIRST_KEY_FROM)
    key.full_clean()
    key.save()
    return key


@dataclass(frozen=True)
class Signer:
    """A local key ready to sign: its public record and its private half (from the file)."""

    key: PublicKey
    private: Ed25519PrivateKey


@transaction.atomic
def signer(side: str, purpose: str) -> Signer:
    """The current key of a local side, loaded from its file (checked for its permissions).
    Made on first use where settings allow it (development, tests, the demo)."""
    if not is_local(side):
        raise DomainError(
            ErrorCode.PERMISSION_DENIED,
            "이 노드는 그 측의 서명 키를 갖고 있지 않습니다.",
            "This node does not hold that side's signing keys.",
            {"side": side},
        )
    key = current_key(side, purpose)
    if key is None and not PublicKey.objects.filter(side=side, purpose=purpose).exists():
        key = _adopt_first_key(side, purpose)
    if key is None:
        if not settings.PANMUN_LIAISON_CREATE_KEYS:
            raise DomainError(
                ErrorCode.CONFLICT,
                "서명 키가 없습니다. 'panmun liaison init'으로 만드십시오.",
                "No signing key yet: make one with 'panmun liaison init'.",
                {"side": side, "purpose": purpose},
            )
        first = not PublicKey.objects.filter(side=side, purpose=purpose).exists()
        key = make_key(side, purpose, valid_from=FIRST_KEY_FROM if first else None)
        key.full_clean()
        key.save()
    try:
        private = keyfiles.load_private_key(key_path(key.name))
    except keyfiles.KeyFileError as exc:
        raise _key_error(exc) from exc
    return Signer(key=key, private=private)


def key_record(key: PublicKey) -> PublicKeyRecord:
    """The published form of a key (keys.json)."""
    return PublicKeyRecord(
        name=key.name,
        side=key.side,
        purpose=key.purpose,
        public_key=base64.b64decode(key.public_key),
        valid_from=key.valid_from,
        valid_until=key.valid_until,
        log=key.log_origin or None,
    )
