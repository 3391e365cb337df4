"""Verification of a liaison bundle's files (see `bundle`): every entry, the checkpoint and its
signatures, the proofs, and an earlier checkpoint. Pure Python, no Django.

The log's side is that of the "log" key whose signature on the checkpoint verifies. A log key
may sign the checkpoint if keys.json lists it for that log (or for no log in particular) and
it was not retired before the last entry was sent. Signature lines of keys not in keys.json
are ignored (signed-note); a line of a listed key that fails to verify is a finding.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from panmun.common.bundlefiles import Bundle, FindingList, ValueBudget, open_bundle
from panmun.common.findings import Finding

from . import merkle
from .bundle_checkpoint import (
    CHECKPOINT_FILE,
    VerifyReport,
    _check_retired,
    _check_root,
    _checkpoint_signers,
    _cosigners,
    _earlier,
    _read_checkpoint,
)
from .entries import check_entry, parse_leaf, parse_time, verify_signature
from .keys import PublicKeyRecord, parse_keys_json
from .notes import Checkpoint
from .proofs import PROOFS_FILE, check_proofs_stream, proofs_limit

__all__ = [
    "CHECKPOINT_FILE",
    "ENTRIES_FILE",
    "KEYS_FILE",
    "README_FILE",
    "REQUIRED_FILES",
    "VerifyReport",
    "verify_files",
    "verify_source",
]

ENTRIES_FILE = "entries.jsonl"
KEYS_FILE = "keys.json"
README_FILE = "README.txt"
REQUIRED_FILES = (ENTRIES_FILE, CHECKPOINT_FILE, KEYS_FILE, PROOFS_FILE)

#: Bounds of a bundle from the other side (issue 16). An entry is at most what the node's API
#: accepts in one request; a log of two million entries is centuries of calls and messages.
MAX_ENTRY_BYTES = 1_000_000
MAX_ENTRIES = 2_000_000
MAX_CHECKPOINT_BYTES = 64 * 1024
MAX_KEYS_BYTES = 2**20

Add = Callable[[Finding], None]


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
    with open_bundle(files, REQUIRED_FILES) as source:
        return verify_source(
            source, earlier_checkpoint=earlier_checkpoint, earlier_file=earlier_file
        )


def _limit_words(checkpoint: Checkpoint | None) -> tuple[str, str]:
    if checkpoint is None:
        return "the verifier", "검증기가"
    return "the checkpoint's size", "검증점의 크기가"


def verify_source(
    source: Bundle,
    *,
    earlier_checkpoint: str | None = None,
    earlier_file: str = "earlier checkpoint",
) -> VerifyReport:
    """Verify an opened bundle: the small files first, then entries.jsonl as a stream of
    lines, no more than the checkpoint's size, then proofs.json as a stream of proofs."""
    report = VerifyReport()
    if not source.opened:
        report.findings = list(source.problems)
        return report
    found = FindingList()
    add = found.append
    records: list[PublicKeyRecord] = []
    keys = source.read(KEYS_FILE, MAX_KEYS_BYTES, "bytes a keys.json may hold", "keys.json에")
    if keys is not None:
        records, problems = parse_keys_json(keys, KEYS_FILE)
        found += problems
    data = source.read(
        CHECKPOINT_FILE, MAX_CHECKPOINT_BYTES, "bytes a checkpoint may hold", "검증점에"
    )
    note, checkpoint = _read_checkpoint(data, add)
    if checkpoint is not None and checkpoint.size > MAX_ENTRIES:
        add(
            Finding(
                "checkpoint_size_too_large",
                ko=f"검증점은 항목 {checkpoint.size:,}개를 다루는데, 묶음에는 최대 "
                f"{MAX_ENTRIES:,}개까지만 담을 수 있습니다",
                en=f"the checkpoint covers {checkpoint.size:,} entries; a bundle may hold at most "
                f"{MAX_ENTRIES:,}",
                file=CHECKPOINT_FILE,
                row=2,
            )
        )
        checkpoint = None
    if checkpoint is not None:
        report.origin, report.size = checkpoint.origin, checkpoint.size
        report.root_hash = checkpoint.root_hash
    signers: list[PublicKeyRecord] = []
    if note is not None and checkpoint is not None:
        report.side, signers = _checkpoint_signers(note, checkpoint, records, report, add)
        if report.side is not None:
            _cosigners(note, records, report.side, report, add)
    origin = checkpoint.origin if checkpoint else None
    if report.side is None and origin is not None:
        report.side = _side_of_keys(records, origin)
    by_name = {r.name: r for r in records}
    hashes: list[bytes] = []
    kinds: Counter[str] = Counter()
    used: set[str] = set()
    last_sent: datetime | None = None
    limit_en, limit_ko = _limit_words(checkpoint)
    lines = source.lines(
        ENTRIES_FILE,
        max_line=MAX_ENTRY_BYTES,
        allowed=checkpoint.size if checkpoint is not None else MAX_ENTRIES,
        what_en=limit_en,
        what_ko=limit_ko,
    )
    entries_read = source.has(ENTRIES_FILE)
    budget = ValueBudget(source, ENTRIES_FILE)
    for i, leaf in enumerate(lines):
        if found.full or not budget.spend(leaf, i + 1):
            break
        hashes.append(merkle.leaf_hash(leaf))
        entry = _entry(leaf, i + 1, add)
        if entry is None:
            continue
        if origin is None and isinstance(entry.get("log"), str):
            origin = str(entry["log"])
            if report.side is None:
                report.side = _side_of_keys(records, origin)
        sent = _time(entry.get("sent_at"))
        if sent is not None and (last_sent is None or sent > last_sent):
            last_sent = sent
        if isinstance(entry.get("kind"), str):
            kinds[entry["kind"]] += 1
        if isinstance(entry.get("key"), str):
            used.add(entry["key"])
        _check_one(entry, i, origin, report.side, by_name, hashes, add)
    complete = entries_read and ENTRIES_FILE not in source.refused and not found.full
    if complete and not source.final_newline(ENTRIES_FILE):
        add(
            Finding(
                "entries_final_newline_missing",
                ko="마지막 줄이 줄바꿈으로 끝나지 않습니다",
                en="the last line does not end in a newline",
                file=ENTRIES_FILE,
                row=len(hashes),
            )
        )
    report.entries = len(hashes)
    report.kinds = dict(kinds)
    _check_retired(signers, last_sent, add)
    if checkpoint is not None and complete:
        _check_root(checkpoint, hashes, add)
    consistency: list[dict[str, Any]] = []
    if complete and not found.full:
        consistency = _proofs(source, hashes, checkpoint, add, found)
    if earlier_checkpoint is not None and ENTRIES_FILE not in source.refused and not found.full:
        _earlier(earlier_checkpoint, earlier_file, records, report, hashes, consistency, add)
    for name in REQUIRED_FILES:
        if not source.has(name) and name not in source.refused:
            add(
                Finding(
                    "bundle_file_missing", ko="파일이 없습니다", en="the file is missing", file=name
                )
            )
    used |= set(report.log_signers) | {name for name, _ in report.cosigners}
    report.vkeys = [r.vkey() for r in records if r.name in used]
    report.findings = [*source.problems, *found.findings()]
    report.unlisted, report.stopped = found.unlisted, found.full
    return report


def _proofs(
    source: Bundle,
    hashes: Sequence[bytes],
    checkpoint: Checkpoint | None,
    add: Add,
    found: FindingList,
) -> list[dict[str, Any]]:
    """Check proofs.json as a stream; its consistency items, for an earlier checkpoint."""
    limit = proofs_limit(len(hashes))
    stream = source.stream(
        PROOFS_FILE,
        limit,
        f"bytes that proofs for {len(hashes):,} entries can take",
        f"항목 {len(hashes):,}개의 증명이 차지할 수 있는",
    )
    if stream is None:
        return []
    try:
        with stream:
            budget = ValueBudget(source, PROOFS_FILE)
            return check_proofs_stream(
                stream, hashes, checkpoint, add, lambda: found.full, budget.spend
            )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        source.broken(PROOFS_FILE, exc)
        return []


def _entry(leaf: bytes, row: int, add: Add) -> dict[str, Any] | None:
    entry, problems = parse_leaf(leaf, file=ENTRIES_FILE, row=row)
    for p in problems:
        add(p)
    if entry is not None:
        for p in check_entry(entry, file=ENTRIES_FILE, row=row):
            add(p)
    return entry


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

    def bad(code: str, fld: str, *, ko: str, en: str) -> None:
        add(Finding(code, ko=ko, en=en, file=ENTRIES_FILE, row=row, field=fld))

    if origin is not None and entry.get("log") != origin:
        bad(
            "entry_log_mismatch",
            "log",
            ko="검증점의 기록과 다른 기록입니다",
            en="not the checkpoint's log",
        )
    if entry.get("index") != i:
        bad(
            "entry_index_mismatch",
            "index",
            ko=f"index가 줄의 순번({i})과 다릅니다",
            en=f"index is not the line's place ({i})",
        )
    if side is not None and entry.get("from_side") != side:
        bad(
            "entry_side_mismatch",
            "from_side",
            ko=f"기록한 쪽({side})이 보낸 항목이 아닙니다",
            en=f"not sent by the log's side ({side})",
        )
    _check_key(entry, by_name, bad)
    _check_reply(entry, i, origin, hashes, bad)
    if entry.get("kind") == "key_rotation":
        _check_rotation(entry, by_name, bad)


class Bad(Protocol):
    """Notes a finding of an entry: its code and field, its message in Korean and English."""

    def __call__(self, code: str, fld: str, /, *, ko: str, en: str) -> None: ...


def _check_key(entry: dict[str, Any], by_name: Mapping[str, PublicKeyRecord], bad: Bad) -> None:
    name = entry.get("key")
    record = by_name.get(name) if isinstance(name, str) else None
    if record is None:
        bad(
            "entry_key_unknown",
            "key",
            ko="keys.json에 없는 키입니다",
            en="no such key in keys.json",
        )
        return
    if record.purpose != "log":
        bad(
            "entry_key_wrong_purpose",
            "key",
            ko="log 용도의 키가 아닙니다",
            en="not a log key",
        )
    if record.side != entry.get("from_side"):
        bad(
            "entry_key_wrong_side",
            "key",
            ko="상대쪽의 키입니다",
            en="a key of the other side",
        )
    if record.log is not None and record.log != entry.get("log"):
        bad(
            "entry_key_wrong_log",
            "key",
            ko="다른 기록의 키입니다",
            en="a key of another log",
        )
    sent_at = _time(entry.get("sent_at"))
    if sent_at is not None and not record.valid_at(sent_at):
        bad(
            "entry_key_not_valid",
            "key",
            ko="보낸 시각에 유효한 키가 아니었습니다",
            en="the key was not valid when the entry was sent",
        )
    if not verify_signature(entry, record.public_key):
        bad(
            "entry_signature_invalid",
            "signature",
            ko="서명이 맞지 않습니다",
            en="the signature does not verify",
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
            ko="기록에서 앞선 항목이 아닌 항목에 답합니다",
            en="answers an entry that is not earlier in the log",
        )
    elif ref.get("leaf_hash") != hashes[index].hex():
        bad(
            "entry_reply_hash_mismatch",
            "in_reply_to.leaf_hash",
            ko=f"{index}번 항목의 잎 해시와 다릅니다",
            en=f"not the leaf hash of entry {index}",
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
            ko="새 키가 keys.json에 없습니다",
            en="the new key is not in keys.json",
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
            ko=f"keys.json에 적힌 새 키와 {listed}이(가) 다릅니다",
            en=f"keys.json lists the new key with another {listed}",
        )
