"""Verification of a liaison bundle's files (see `bundle`): every entry, the checkpoint and its
signatures, the proofs, and an earlier checkpoint. Pure Python, no Django.

The log's side is that of the "log" key whose signature on the checkpoint verifies. A log key
may sign the checkpoint if keys.json lists it for that log (or for no log in particular) and
it was not retired before the last entry was sent. Signature lines of keys not in keys.json
are ignored (signed-note); a line of a listed key that fails to verify is a finding.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from panmun.findings import Finding

from . import merkle
from .bundle_checkpoint import (
    CHECKPOINT_FILE,
    VerifyReport,
    _check_root,
    _checkpoint_signers,
    _cosigners,
    _earlier,
    _read_checkpoint,
)
from .entries import check_entry, parse_leaf, parse_time, verify_signature
from .keys import PublicKeyRecord, parse_keys_json
from .proofs import PROOFS_FILE, check_proofs, consistency_entries

__all__ = [
    "CHECKPOINT_FILE",
    "ENTRIES_FILE",
    "KEYS_FILE",
    "README_FILE",
    "REQUIRED_FILES",
    "VerifyReport",
    "verify_files",
]

ENTRIES_FILE = "entries.jsonl"
KEYS_FILE = "keys.json"
README_FILE = "README.txt"
REQUIRED_FILES = (ENTRIES_FILE, CHECKPOINT_FILE, KEYS_FILE, PROOFS_FILE)

Add = Callable[[Finding], None]


def _f(code: str, en: str, ko: str, file: str, row: int | None = None, fld: str = "") -> Finding:
    return Finding(code=code, message_en=en, message_ko=ko, file=file, row=row, field=fld)


def _time(value: Any) -> datetime | None:
    try:
        return parse_time(value)
    except ValueError:
        return None


def verify_files(
    files: Mapping[str, bytes],
    *,
    earlier_checkpoint: str | None = None,
    earlier_file: str = "earlier checkpoint",
) -> VerifyReport:
    """Verify a bundle given as its files' bytes (see `bundle.verify_bundle`)."""
    report = VerifyReport()
    add = report.findings.append
    for name in REQUIRED_FILES:
        if name not in files:
            add(_f("bundle_file_missing", "the file is missing", "파일이 없습니다", name))
    records: list[PublicKeyRecord] = []
    if KEYS_FILE in files:
        records, problems = parse_keys_json(files[KEYS_FILE], KEYS_FILE)
        report.findings += problems
    note, checkpoint = _read_checkpoint(files.get(CHECKPOINT_FILE), add)
    leaves = _lines(files.get(ENTRIES_FILE), add)
    hashes = [merkle.leaf_hash(leaf) for leaf in leaves]
    entries = [_entry(leaf, i + 1, add) for i, leaf in enumerate(leaves)]
    report.entries = len(leaves)
    if checkpoint is not None:
        report.origin, report.size = checkpoint.origin, checkpoint.size
        report.root_hash = checkpoint.root_hash
    origin = checkpoint.origin if checkpoint else _first_log(entries)
    last_sent = max(filter(None, (_time(e.get("sent_at")) for e in entries if e)), default=None)
    if note is not None and checkpoint is not None:
        report.side = _checkpoint_signers(note, checkpoint, records, last_sent, report, add)
        if report.side is not None:
            _cosigners(note, records, report.side, report, add)
    if report.side is None:
        report.side = _side_of_keys(records, origin)
    by_name = {r.name: r for r in records}
    for i, entry in enumerate(entries):
        if entry is not None:
            _check_one(entry, i, origin, report.side, by_name, hashes, add)
    report.kinds = dict(Counter(e["kind"] for e in entries if e and isinstance(e.get("kind"), str)))
    if checkpoint is not None and ENTRIES_FILE in files:
        _check_root(checkpoint, hashes, add)
    if PROOFS_FILE in files:
        check_proofs(files[PROOFS_FILE], hashes, checkpoint, add)
    if earlier_checkpoint is not None:
        consistency = consistency_entries(files.get(PROOFS_FILE, b""))
        _earlier(earlier_checkpoint, earlier_file, records, report, hashes, consistency, add)
    used = set(report.log_signers) | {name for name, _ in report.cosigners}
    used |= {e["key"] for e in entries if e and isinstance(e.get("key"), str)}
    report.vkeys = [r.vkey() for r in records if r.name in used]
    return report


def _lines(data: bytes | None, add: Add) -> list[bytes]:
    if not data:
        return []
    if not data.endswith(b"\n"):
        add(
            _f(
                "entries_final_newline_missing",
                "the last line does not end in a newline",
                "마지막 줄이 줄바꿈으로 끝나지 않습니다",
                ENTRIES_FILE,
                data.count(b"\n") + 1,
            )
        )
        data += b"\n"
    return data[:-1].split(b"\n")


def _entry(leaf: bytes, row: int, add: Add) -> dict[str, Any] | None:
    entry, problems = parse_leaf(leaf, file=ENTRIES_FILE, row=row)
    for p in problems:
        add(p)
    if entry is not None:
        for p in check_entry(entry, file=ENTRIES_FILE, row=row):
            add(p)
    return entry


def _first_log(entries: Sequence[dict[str, Any] | None]) -> str | None:
    for e in entries:
        if e and isinstance(e.get("log"), str):
            return str(e["log"])
    return None


def _side_of_keys(records: Sequence[PublicKeyRecord], origin: str | None) -> str | None:
    sides = {r.side for r in records if r.purpose == "log" and origin and r.log == origin}
    return sides.pop() if len(sides) == 1 else None


def _check_one(
    entry: dict[str, Any],
    i: int,
    origin: str | None,
    side: str | None,
    by_name: Mapping[str, PublicKeyRecord],
    hashes: Sequence[bytes],
    add: Add,
) -> None:
    row = i + 1

    def bad(code: str, fld: str, en: str, ko: str) -> None:
        add(_f(code, en, ko, ENTRIES_FILE, row, fld))

    if origin is not None and entry.get("log") != origin:
        bad(
            "entry_log_mismatch",
            "log",
            "not the checkpoint's log",
            "검증점의 기록과 다른 기록입니다",
        )
    if entry.get("index") != i:
        bad(
            "entry_index_mismatch",
            "index",
            f"index is not the line's place ({i})",
            f"index가 줄의 순번({i})과 다릅니다",
        )
    if side is not None and entry.get("from_side") != side:
        bad(
            "entry_side_mismatch",
            "from_side",
            f"not sent by the log's side ({side})",
            f"기록한 쪽({side})이 보낸 항목이 아닙니다",
        )
    _check_key(entry, by_name, bad)
    _check_reply(entry, i, origin, hashes, bad)
    if entry.get("kind") == "key_rotation":
        _check_rotation(entry, by_name, bad)


Bad = Callable[[str, str, str, str], None]


def _check_key(entry: dict[str, Any], by_name: Mapping[str, PublicKeyRecord], bad: Bad) -> None:
    name = entry.get("key")
    record = by_name.get(name) if isinstance(name, str) else None
    if record is None:
        bad("entry_key_unknown", "key", "no such key in keys.json", "keys.json에 없는 키입니다")
        return
    if record.purpose != "log":
        bad("entry_key_wrong_purpose", "key", "not a log key", "log 용도의 키가 아닙니다")
    if record.side != entry.get("from_side"):
        bad("entry_key_wrong_side", "key", "a key of the other side", "상대쪽의 키입니다")
    if record.log is not None and record.log != entry.get("log"):
        bad("entry_key_wrong_log", "key", "a key of another log", "다른 기록의 키입니다")
    sent_at = _time(entry.get("sent_at"))
    if sent_at is not None and not record.valid_at(sent_at):
        bad(
            "entry_key_not_valid",
            "key",
            "the key was not valid when the entry was sent",
            "보낸 시각에 유효한 키가 아니었습니다",
        )
    if not verify_signature(entry, record.public_key):
        bad(
            "entry_signature_invalid",
            "signature",
            "the signature does not verify",
            "서명이 맞지 않습니다",
        )


def _check_reply(
    entry: dict[str, Any], i: int, origin: str | None, hashes: Sequence[bytes], bad: Bad
) -> None:
    ref = entry.get("in_reply_to")
    if not isinstance(ref, dict) or origin is None or ref.get("log") != origin:
        return
    index = ref.get("index")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        return
    if index >= i:
        bad(
            "entry_reply_not_backwards",
            "in_reply_to.index",
            "answers an entry that is not earlier in the log",
            "기록에서 앞선 항목이 아닌 항목에 답합니다",
        )
    elif ref.get("leaf_hash") != hashes[index].hex():
        bad(
            "entry_reply_hash_mismatch",
            "in_reply_to.leaf_hash",
            f"not the leaf hash of entry {index}",
            f"{index}번 항목의 잎 해시와 다릅니다",
        )


def _check_rotation(
    entry: dict[str, Any], by_name: Mapping[str, PublicKeyRecord], bad: Bad
) -> None:
    body = entry.get("body")
    new = body.get("new_key") if isinstance(body, dict) else None
    if not isinstance(new, dict):
        return
    name = new.get("name")
    record = by_name.get(name) if isinstance(name, str) else None
    if record is None:
        bad(
            "entry_new_key_unpublished",
            "body.new_key.name",
            "the new key is not in keys.json",
            "새 키가 keys.json에 없습니다",
        )
        return
    to_json = record.to_json()
    differ = [
        name
        for name, same in (
            ("public_key", new.get("public_key") == to_json["public_key"]),
            ("valid_from", _time(new.get("valid_from")) == record.valid_from),
            ("purpose", new.get("purpose") == record.purpose),
            ("side", record.side == entry.get("from_side")),
        )
        if not same
    ]
    if differ:
        listed = ", ".join(differ)
        bad(
            "entry_new_key_mismatch",
            "body.new_key",
            f"keys.json lists the new key with another {listed}",
            f"keys.json에 적힌 새 키와 {listed}이(가) 다릅니다",
        )
