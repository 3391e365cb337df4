"""The checkpoint of a liaison bundle: its signatures and cosignatures, its root and size,
and an earlier checkpoint the bundle must extend; and the report of a verification. Pure
Python, no Django (see `bundle_verify`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from panmun.common.findings import Finding

from . import merkle
from .keys import PublicKeyRecord
from .notes import (
    SIG_COSIGNATURE_V1,
    SIG_ED25519,
    Checkpoint,
    Note,
    NoteError,
    b64decode_strict,
    cosignature_time,
    ed25519_signature_ok,
    matching_signatures,
    parse_checkpoint,
    parse_note,
)

__all__ = ["CHECKPOINT_FILE", "VerifyReport"]

CHECKPOINT_FILE = "checkpoint.txt"

Add = Callable[[Finding], None]


@dataclass
class VerifyReport:
    """What verification found, and what the bundle says once it verifies."""

    findings: list[Finding] = field(default_factory=list)
    origin: str | None = None
    size: int | None = None
    root_hash: bytes | None = None
    side: str | None = None
    entries: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    log_signers: list[str] = field(default_factory=list)
    cosigners: list[tuple[str, int]] = field(default_factory=list)
    earlier_size: int | None = None
    vkeys: list[str] = field(default_factory=list)
    #: Problems found but not listed (the last finding says how many), and whether checking
    #: stopped because there were too many (then there may be more).
    unlisted: int = 0
    stopped: bool = False

    @property
    def problems(self) -> int:
        """How many problems were found: those listed and those only counted."""
        return len(self.findings) - (1 if self.unlisted else 0) + self.unlisted

    @property
    def ok(self) -> bool:
        return not self.findings


def _read_checkpoint(data: bytes | None, add: Add) -> tuple[Note | None, Checkpoint | None]:
    if data is None:
        return None, None
    try:
        note = parse_note(data)
        return note, parse_checkpoint(note.text)
    except NoteError as exc:
        add(
            Finding(
                "checkpoint_malformed",
                ko=f"서명된 검증점 형식이 아닙니다: {exc.finding.ko}",
                en=f"not a signed checkpoint: {exc.finding.en}",
                file=CHECKPOINT_FILE,
            )
        )
        return None, None


def _checkpoint_signers(
    note: Note,
    checkpoint: Checkpoint,
    records: Sequence[PublicKeyRecord],
    report: VerifyReport,
    add: Add,
) -> tuple[str | None, list[PublicKeyRecord]]:
    """The side whose log key signed the checkpoint, and those keys; findings if none did.
    (`_check_retired` checks the keys once the last entry's time is known.)"""
    verified: list[PublicKeyRecord] = []
    for r in records:
        if r.purpose != "log" or r.log not in (None, checkpoint.origin):
            continue
        for sig in matching_signatures(
            note, name=r.name, sig_type=SIG_ED25519, public_key=r.public_key
        ):
            if ed25519_signature_ok(note, sig, r.public_key):
                verified.append(r)
            else:
                add(
                    Finding(
                        "checkpoint_signature_invalid",
                        ko=f"{r.name}의 서명이 맞지 않습니다",
                        en=f"the signature of {r.name} does not verify",
                        file=CHECKPOINT_FILE,
                        field=r.name,
                    )
                )
    if not verified:
        add(
            Finding(
                "checkpoint_signature_missing",
                ko="keys.json의 log 키 가운데 검증점에 맞는 서명을 한 키가 없습니다",
                en="no log key in keys.json has a verifying signature on the checkpoint",
                file=CHECKPOINT_FILE,
            )
        )
        return None, []
    report.log_signers = list(dict.fromkeys(r.name for r in verified))
    sides = {r.side for r in verified}
    if len(sides) > 1:
        add(
            Finding(
                "checkpoint_side_ambiguous",
                ko="양측의 log 키가 모두 검증점에 서명했습니다",
                en="log keys of both sides signed the checkpoint",
                file=CHECKPOINT_FILE,
            )
        )
        return None, []
    return sides.pop(), verified


def _check_retired(
    verified: Sequence[PublicKeyRecord], last_sent: datetime | None, add: Add
) -> None:
    """A finding if every key that signed the checkpoint was retired before the last entry."""
    if verified and not any(
        r.valid_until is None or last_sent is None or r.valid_until > last_sent for r in verified
    ):
        add(
            Finding(
                "checkpoint_key_retired",
                ko="검증점에 서명한 키는 마지막 항목을 보내기 전에 폐기된 키입니다",
                en="the checkpoint's key was retired before the last entry was sent",
                file=CHECKPOINT_FILE,
            )
        )


def _cosigners(
    note: Note, records: Sequence[PublicKeyRecord], side: str, report: VerifyReport, add: Add
) -> None:
    own_side: list[str] = []
    for r in records:
        if r.purpose != "cosign":
            continue
        for sig in matching_signatures(
            note, name=r.name, sig_type=SIG_COSIGNATURE_V1, public_key=r.public_key
        ):
            stamp = cosignature_time(note, sig, r.public_key)
            if stamp is None:
                add(
                    Finding(
                        "checkpoint_cosignature_invalid",
                        ko=f"{r.name}의 부서가 맞지 않습니다",
                        en=f"the cosignature of {r.name} does not verify",
                        file=CHECKPOINT_FILE,
                        field=r.name,
                    )
                )
            elif r.side == side:
                own_side.append(r.name)
            elif not _valid_at_stamp(r, stamp):
                add(
                    Finding(
                        "checkpoint_cosigner_not_valid",
                        ko=f"{r.name}은(는) 부서한 시각에 유효한 키가 아니었습니다",
                        en=f"{r.name} was not a valid key when it cosigned",
                        file=CHECKPOINT_FILE,
                        field=r.name,
                    )
                )
            else:
                report.cosigners.append((r.name, stamp))
    if report.cosigners:
        return
    if own_side:
        add(
            Finding(
                "checkpoint_cosignature_wrong_side",
                ko=f"기록한 쪽({', '.join(own_side)})만 부서했고 상대쪽의 부서가 없습니다",
                en=f"cosigned only by the log's own side ({', '.join(own_side)}), not by the other",
                file=CHECKPOINT_FILE,
            )
        )
    else:
        add(
            Finding(
                "checkpoint_cosignature_missing",
                ko="상대쪽 cosign 키의 유효한 부서가 없습니다",
                en="no valid cosignature by a cosign key of the other side",
                file=CHECKPOINT_FILE,
            )
        )


def _valid_at_stamp(record: PublicKeyRecord, stamp: int) -> bool:
    try:
        return record.valid_at(datetime.fromtimestamp(stamp, UTC))
    except (OverflowError, OSError, ValueError):
        return False


def _check_root(checkpoint: Checkpoint, hashes: Sequence[bytes], add: Add) -> None:
    if checkpoint.size != len(hashes):
        add(
            Finding(
                "checkpoint_size_mismatch",
                ko=f"검증점은 항목 {checkpoint.size}개를 다루는데 "
                f"entries.jsonl에는 {len(hashes)}개가 있습니다",
                en=(
                    f"the checkpoint covers {checkpoint.size} entries, "
                    f"entries.jsonl has {len(hashes)}"
                ),
                file=CHECKPOINT_FILE,
            )
        )
    if merkle.root(hashes) != checkpoint.root_hash:
        add(
            Finding(
                "checkpoint_root_mismatch",
                ko="entries.jsonl의 루트 해시가 검증점의 루트 해시와 다릅니다",
                en="the root hash of entries.jsonl is not the checkpoint's",
                file=CHECKPOINT_FILE,
            )
        )


def _earlier(
    text: str,
    file: str,
    records: Sequence[PublicKeyRecord],
    report: VerifyReport,
    hashes: Sequence[bytes],
    consistency: Sequence[dict[str, Any]],
    add: Add,
) -> None:
    def bad(code: str, *, ko: str, en: str) -> None:
        add(Finding(code, ko=ko, en=en, file=file))

    try:
        note = parse_note(text)
        earlier = parse_checkpoint(note.text)
    except NoteError as exc:
        bad(
            "earlier_malformed",
            ko=f"서명된 검증점 형식이 아닙니다: {exc.finding.ko}",
            en=f"not a signed checkpoint: {exc.finding.en}",
        )
        return
    report.earlier_size = earlier.size
    signed = any(
        ed25519_signature_ok(note, sig, r.public_key)
        for r in records
        if r.purpose == "log"
        and r.log in (None, earlier.origin)
        and (report.side is None or r.side == report.side)
        for sig in matching_signatures(
            note, name=r.name, sig_type=SIG_ED25519, public_key=r.public_key
        )
    )
    if not signed:
        bad(
            "earlier_signature_missing",
            ko="keys.json에 있는 기록한 쪽 log 키의 서명이 없습니다",
            en="not signed by a log key of the log's side in keys.json",
        )
    if report.origin is not None and earlier.origin != report.origin:
        bad(
            "earlier_origin_mismatch",
            ko="다른 기록의 검증점입니다",
            en="the checkpoint of another log",
        )
    if earlier.size > len(hashes):
        bad(
            "earlier_size_larger",
            ko=f"항목 {earlier.size}개를 다루어 묶음의 {len(hashes)}개보다 많습니다",
            en=f"covers {earlier.size} entries, more than the bundle's {len(hashes)}",
        )
        return
    if merkle.root(hashes[: earlier.size]) != earlier.root_hash:
        bad(
            "earlier_root_mismatch",
            ko=f"루트 해시가 묶음의 처음 {earlier.size}개 항목의 루트 해시와 다릅니다: "
            "기록이 바뀌었습니다",
            en=f"its root is not that of the bundle's first {earlier.size} entries: the log was "
            "rewritten",
        )
    root = report.root_hash
    for item in consistency:
        if item.get("first") != earlier.size or root is None or report.size is None:
            continue
        path = item.get("path")
        ok = isinstance(path, list) and merkle.verify_consistency(
            earlier.size, report.size, earlier.root_hash, root, [_raw(p) for p in path]
        )
        if not ok:
            bad(
                "earlier_inconsistent",
                ko="proofs.json의 일관성 증명이 이 검증점에서 맞지 않습니다",
                en="the consistency proof from it in proofs.json does not verify",
            )


def _raw(item: Any) -> bytes:
    raw = b64decode_strict(item) if isinstance(item, str) else None
    return raw if raw is not None else b""
