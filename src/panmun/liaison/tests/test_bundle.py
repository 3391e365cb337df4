"""Bundles: a realistic log of every kind of entry (a key rotation midway, replies, Korean
text), written and verified, then tampered with in every way the verifier must catch."""

from __future__ import annotations

import base64
import copy
import functools
import json
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from panmun.common.keyfiles import public_bytes

from ..ledger import bundle, entries, merkle, notes
from ..ledger.keys import PublicKeyRecord, keys_json

ORIGIN = "panmun.example/liaison/south"
NORTH_ORIGIN = "panmun.example/liaison/north"
T0 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
ROTATION_AT = 20  # the index of the key rotation entry


def private(n: int) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes([n]) * 32)


PRIVATE = {
    "south-log-1": private(1),
    "south-log-2": private(2),
    "north-cosign-1": private(3),
    "north-log-1": private(4),
    "south-cosign-1": private(5),
}


@dataclass
class Log:
    """A south log as a bundle holds it, and what made it."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    records: list[PublicKeyRecord] = field(default_factory=list)
    checkpoint_note: str = ""
    earlier_note: str = ""  # the checkpoint of the first ROTATION_AT entries
    cosigned_at: int = 0

    @property
    def leaves(self) -> list[bytes]:
        return [entries.leaf_bytes(e) for e in self.entries]

    def files(self, earlier_sizes: tuple[int, ...] = (0, 10, ROTATION_AT)) -> dict[str, bytes]:
        return bundle.bundle_files(
            leaves=self.leaves,
            checkpoint_note=self.checkpoint_note,
            keys=self.records,
            earlier_sizes=[m for m in earlier_sizes if m <= len(self.entries)],
        )


def north_ref(index: int) -> dict[str, Any]:
    """A reference to an entry of the north's log (not in this bundle)."""
    digest = merkle.leaf_hash(f"north {index}".encode()).hex()
    return {"log": NORTH_ORIGIN, "index": index, "leaf_hash": digest}


def checkpoint_of(leaves: list[bytes], signer: str, cosigner: str | None, at: int) -> str:
    hashes = [merkle.leaf_hash(leaf) for leaf in leaves]
    text = notes.Checkpoint(ORIGIN, len(leaves), merkle.root(hashes)).text()
    signed = notes.sign_note(text, name=signer, private_key=PRIVATE[signer])
    if cosigner is None:
        return signed
    line = notes.cosignature_line(text, name=cosigner, private_key=PRIVATE[cosigner], timestamp=at)
    return notes.add_signatures(signed, [line])


#: The first entries: kind, body, and what they answer (in this log or the north's).
SCRIPT: list[tuple[str, dict[str, Any], tuple[str, int] | None]] = [
    ("notice", {"subject": "연락사무소 개시", "text": "오늘부터 업무를 시작합니다."}, None),
    (
        "contact_call",
        {"call": "opening", "scheduled_at": "2026-03-02T00:00:00Z", "state": "placed"},
        None,
    ),
    (
        "contact_call",
        {"call": "opening", "scheduled_at": "2026-03-02T00:00:00Z", "state": "answered"},
        ("north", 0),
    ),
    (
        "letter",
        {
            "subject": "서한",
            "text": "귀측의 제의에 감사드립니다.",
            "addressee": "북측 소장",
            "signatory": "남측 소장",
        },
        None,
    ),
    (
        "proposal",
        {
            "subject": "적십자 실무회담 제의",
            "text": "다음과 같이 제의합니다.",
            "meeting": {
                "starts_at": "2026-03-10T01:00:00Z",
                "place": "판문점 평화의 집",
                "agenda": ["이산가족 상봉", "화상 상봉"],
            },
        },
        None,
    ),
    (
        "counter_proposal",
        {"subject": "수정 제의", "text": "날짜를 하루 늦춥니다.", "meeting": None},
        ("north", 2),
    ),
    ("acceptance", {"text": "귀측의 수정 제의를 수락합니다."}, ("north", 3)),
    ("reply", {"text": "위 제의에 대한 설명입니다."}, ("own", 4)),
    (
        "list",
        {
            "list_kind": "tracing",
            "title": "생사 확인 의뢰 명단",
            "items": [
                {"name": "김철수", "born": 1938, "place": "황해도 연백"},
                {"name": "이영희", "born": 1941},
            ],
            "source": {"app": "families", "ref": "batch-7"},
        },
        None,
    ),
    (
        "list",
        {
            "list_kind": "delegation",
            "title": "대표단 명단",
            "items": [{"name": "박 대표", "role": "수석대표"}],
            "source": None,
        },
        None,
    ),
    ("agreement_text", {"title": "공동보도문", "text": "1. 남과 북은 ..."}, None),
    (
        "meeting_record",
        {
            "title": "제1차 실무회담",
            "held_at": "2026-03-10T01:00:00Z",
            "place": "평화의 집",
            "attendees": {"south": ["김 수석대표"], "north": ["리 단장"]},
            "minutes": "회의록 전문",
            "outcomes": [
                {"text": "상봉 일정 합의", "record": {"kind": "agreement", "ref": "A-1"}},
                {"text": "추후 협의", "record": None},
            ],
        },
        ("own", 4),
    ),
    (
        "contact_call",
        {
            "call": "closing",
            "scheduled_at": "2026-03-02T08:00:00Z",
            "state": "unanswered",
            "waited_seconds": 900,
        },
        ("north", 5),
    ),
]


def record(
    name: str, purpose: str, start: datetime, end: datetime | None = None, log: str | None = None
) -> PublicKeyRecord:
    side = name.split("-", 1)[0]
    return PublicKeyRecord(name, side, purpose, public_bytes(PRIVATE[name]), start, end, log)


@functools.cache
def build(size: int = 42) -> Log:
    """`size` entries of the south log; every kind, with the key rotation at ROTATION_AT when
    the log is that long."""
    rotation = T0 + timedelta(hours=ROTATION_AT, minutes=30)
    log = Log()
    log.records = [
        record("south-log-1", "log", T0, rotation, ORIGIN),
        record("south-log-2", "log", rotation, None, ORIGIN),
        record("north-cosign-1", "cosign", T0),
        record("north-log-1", "log", T0, None, NORTH_ORIGIN),
        record("south-cosign-1", "cosign", T0),
    ]

    def add(kind: str, body: dict[str, Any], reply: dict[str, Any] | None = None) -> None:
        i = len(log.entries)
        sent_at = T0 + timedelta(hours=i, microseconds=i * 1001)
        key = "south-log-1" if sent_at < rotation else "south-log-2"
        entry = entries.make_entry(
            log=ORIGIN,
            index=i,
            kind=kind,
            sent_at=sent_at,
            from_side="south",
            to_side="north",
            body=body,
            key=key,
            in_reply_to=reply,
            private_key=PRIVATE[key],
        )
        log.entries.append(entry)

    def own(i: int) -> Callable[[], dict[str, Any]]:
        return lambda: entries.reply_ref(log.entries[i])

    def north(i: int) -> Callable[[], dict[str, Any]]:
        return lambda: north_ref(i)

    while len(log.entries) < size:
        i = len(log.entries)
        if i == ROTATION_AT:
            new_key = {
                "name": "south-log-2",
                "purpose": "log",
                "public_key": base64.b64encode(public_bytes(PRIVATE["south-log-2"])).decode(),
                "valid_from": entries.format_time(rotation),
            }
            add("key_rotation", {"new_key": new_key, "reason": "정기 교체"})
        elif i < len(SCRIPT):
            kind, body, reply = SCRIPT[i]
            target = (own if reply[0] == "own" else north)(reply[1]) if reply else None
            add(kind, body, target() if target else None)
        elif i % 3 == 0:
            add("reply", {"text": f"{i}번 회신입니다."}, own(i - 2)())
        else:
            add("notice", {"subject": f"공지 {i}", "text": "연락 업무 안내 ✉"})
    last = T0 + timedelta(hours=size + 1)
    log.cosigned_at = int(last.timestamp())
    signer = "south-log-2" if size > ROTATION_AT else "south-log-1"
    log.checkpoint_note = checkpoint_of(log.leaves, signer, "north-cosign-1", log.cosigned_at)
    log.earlier_note = checkpoint_of(log.leaves[:ROTATION_AT], "south-log-1", None, 0)
    return log


def verify(files: dict[str, bytes], **kwargs: Any) -> bundle.VerifyReport:
    return bundle.verify_files(files, **kwargs)


def codes(report: bundle.VerifyReport) -> set[str]:
    return {f.code for f in report.findings}


def where(report: bundle.VerifyReport) -> set[tuple[str, str, int | None, str]]:
    return {(f.code, f.file, f.row, f.field) for f in report.findings}


# The bundle verifies ---------------------------------------------------------------------------


def test_the_realistic_bundle_verifies(tmp_path: Path) -> None:
    log = build()
    report = verify(log.files(), earlier_checkpoint=log.earlier_note)
    assert report.findings == []
    assert report.ok
    assert (report.origin, report.size, report.side, report.entries) == (ORIGIN, 42, "south", 42)
    assert set(report.kinds) == set(entries.KINDS)
    assert report.cosigners == [("north-cosign-1", log.cosigned_at)]
    assert report.log_signers == ["south-log-2"]
    assert report.earlier_size == ROTATION_AT
    vkeys = {r.name: r.vkey() for r in log.records}
    used = ("south-log-1", "south-log-2", "north-cosign-1")
    assert sorted(report.vkeys) == sorted(vkeys[n] for n in used)
    for target in (tmp_path / "out", tmp_path / "out.zip"):
        bundle.write_bundle(
            target,
            leaves=log.leaves,
            checkpoint_note=log.checkpoint_note,
            keys=log.records,
            earlier_sizes=[10, ROTATION_AT],
        )
        assert bundle.verify_bundle(target, earlier_checkpoint=log.earlier_note).findings == []
    readme = (tmp_path / "out" / "README.txt").read_text()
    assert "검증 방법" in readme and "How to verify" in readme


def test_bundle_files_content() -> None:
    log = build(5)
    files = log.files()
    assert set(files) == set(bundle.BUNDLE_FILES)
    lines = files["entries.jsonl"].split(b"\n")
    assert lines[-1] == b"" and lines[:-1] == log.leaves
    proofs = json.loads(files["proofs.json"])
    hashes = [merkle.leaf_hash(leaf) for leaf in log.leaves]
    assert proofs["inclusion"][3] == {
        "index": 3,
        "leaf_hash": hashes[3].hex(),
        "path": [base64.b64encode(p).decode() for p in merkle.inclusion_proof(hashes, 3)],
    }
    assert [c["first"] for c in proofs["consistency"]] == [0]
    assert rfc8785.dumps(proofs) == files["proofs.json"]


def test_empty_log_bundle_verifies() -> None:
    log = Log(records=build().records)
    log.checkpoint_note = checkpoint_of([], "south-log-1", "north-cosign-1", int(T0.timestamp()))
    report = verify(log.files())
    assert report.findings == [] and report.size == 0


def test_write_bundle_refuses(tmp_path: Path) -> None:
    log = build(5)
    args: dict[str, Any] = {"leaves": log.leaves, "checkpoint_note": log.checkpoint_note}
    args["keys"] = log.records
    (tmp_path / "taken.zip").write_bytes(b"x")
    with pytest.raises(FileExistsError):
        bundle.write_bundle(tmp_path / "taken.zip", **args)
    assert (tmp_path / "taken.zip").read_bytes() == b"x"
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "a").write_bytes(b"")
    with pytest.raises(FileExistsError):
        bundle.write_bundle(tmp_path / "full", **args)
    (tmp_path / "empty").mkdir()
    bundle.write_bundle(tmp_path / "empty", **args)
    with pytest.raises(ValueError):
        bundle.write_bundle(tmp_path / "short", **{**args, "leaves": log.leaves[:-1]})
    with pytest.raises(ValueError):
        bundle.write_bundle(tmp_path / "late", **args, earlier_sizes=[6])


def test_reading_bundles(tmp_path: Path) -> None:
    files = build(5).files()
    nested = tmp_path / "nested.zip"
    with zipfile.ZipFile(nested, "w") as archive:
        for name, data in files.items():
            archive.writestr(f"bundle/{name}", data)
    assert bundle.verify_bundle(nested).findings == []
    doubled = tmp_path / "doubled.zip"
    with zipfile.ZipFile(doubled, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("keys.json", files["keys.json"])
    assert "bundle_duplicate_member" in codes(bundle.verify_bundle(doubled))
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    assert codes(bundle.verify_bundle(tmp_path / "junk.zip")) == {"bundle_unreadable"}
    assert codes(bundle.verify_bundle(tmp_path / "nothing")) == {"bundle_not_found"}


@pytest.mark.parametrize("name", ["entries.jsonl", "checkpoint.txt", "keys.json", "proofs.json"])
def test_missing_file(name: str) -> None:
    files = build(5).files()
    del files[name]
    report = verify(files)
    assert ("bundle_file_missing", name, None, "") in where(report)


# Tampered entries ------------------------------------------------------------------------------


def retamper(log: Log, index: int, change: Callable[[dict[str, Any]], None]) -> dict[str, bytes]:
    """The bundle with entry `index` changed and re-serialised canonically, not re-signed."""
    files = log.files()
    lines = files["entries.jsonl"].split(b"\n")
    entry = json.loads(lines[index])
    change(entry)
    lines[index] = rfc8785.dumps(entry)
    files["entries.jsonl"] = b"\n".join(lines)
    return files


def first_of(log: Log, kind: str, replying_in_log: bool = False) -> int:
    for i, e in enumerate(log.entries):
        ref = e["in_reply_to"]
        if e["kind"] == kind and (not replying_in_log or (ref and ref["log"] == ORIGIN)):
            return i
    raise LookupError(kind)


def setter(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(entry: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = entry
        for p in parents:
            target = target[p]
        target[last] = value(target[last]) if callable(value) else value

    return change


@pytest.mark.parametrize(
    ("path", "value", "code", "fld"),
    [
        ("log", NORTH_ORIGIN, "entry_log_mismatch", "log"),
        ("index", lambda i: i + 1, "entry_index_mismatch", "index"),
        ("kind", "notice", "entry_signature_invalid", "signature"),
        ("sent_at", "2026-03-02T07:00:00Z", "entry_signature_invalid", "signature"),
        ("from_side", "north", "entry_side_mismatch", "from_side"),
        ("to_side", "south", "entry_sides_same", "to_side"),
        ("in_reply_to.leaf_hash", "00" * 32, "entry_reply_hash_mismatch", "in_reply_to.leaf_hash"),
        ("in_reply_to.index", lambda i: i + 10, "entry_reply_not_backwards", "in_reply_to.index"),
        ("in_reply_to", None, "entry_signature_invalid", "signature"),
        ("body", {"text": "바꾼 내용"}, "entry_signature_invalid", "signature"),
        ("key", "south-log-2", "entry_key_not_valid", "key"),
        ("key", "north-log-1", "entry_key_wrong_side", "key"),
        ("key", "north-cosign-1", "entry_key_wrong_purpose", "key"),
        ("key", "nobody", "entry_key_unknown", "key"),
        (
            "signature",
            lambda s: build().entries[0]["signature"],
            "entry_signature_invalid",
            "signature",
        ),
    ],
)
def test_tampered_top_level_field(path: str, value: Any, code: str, fld: str) -> None:
    log = build()
    index = first_of(log, "reply", replying_in_log=True)
    assert index < ROTATION_AT
    report = verify(retamper(log, index, setter(path, value)))
    assert (code, "entries.jsonl", index + 1, fld) in where(report)
    assert {"checkpoint_root_mismatch", "proof_leaf_hash_mismatch"} <= codes(report)
    if code != "entry_key_unknown":  # a signature by a key not listed cannot be checked
        assert ("entry_signature_invalid", "entries.jsonl", index + 1, "signature") in where(report)


def changed(value: Any) -> Any:
    """A different value of the same shape."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "."
    if isinstance(value, list):
        return [*value, value[0]] if value else ["추가"]
    if isinstance(value, dict):
        return {**value, "추가": 1}
    return {}


def test_tampered_body_fields_of_every_entry() -> None:
    log = build()
    checked = 0
    for index, entry in enumerate(log.entries):
        for name, value in entry["body"].items():
            report = verify(retamper(log, index, setter(f"body.{name}", changed(value))))
            assert ("entry_signature_invalid", "entries.jsonl", index + 1, "signature") in where(
                report
            ), (index, name)
            assert {"checkpoint_root_mismatch", "proof_leaf_hash_mismatch"} <= codes(report)
            checked += 1
    assert checked > 80


def test_tampered_rotation_new_key() -> None:
    log = build()
    report = verify(
        retamper(log, ROTATION_AT, setter("body.new_key.valid_from", "2026-01-01T00:00:00Z"))
    )
    assert ("entry_new_key_mismatch", "entries.jsonl", ROTATION_AT + 1, "body.new_key") in where(
        report
    )
    report = verify(retamper(log, ROTATION_AT, setter("body.new_key.name", "south-log-9")))
    assert "entry_new_key_unpublished" in codes(report)


def test_sampled_byte_flips_of_entries() -> None:
    log = build()
    data = log.files()["entries.jsonl"]
    rng = random.Random(9162)
    for position in rng.sample(range(len(data)), 60):
        files = log.files()
        files["entries.jsonl"] = (
            data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]
        )
        report = verify(files)
        assert not report.ok, position
        assert "checkpoint_root_mismatch" in codes(report) or "checkpoint_size_mismatch" in codes(
            report
        )


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda ls: ls[:10] + ls[11:], {"entry_index_mismatch", "checkpoint_size_mismatch"}),
        (lambda ls: ls[:-1], {"checkpoint_size_mismatch", "proofs_count_mismatch"}),
        (
            lambda ls: [*ls[:10], ls[10], *ls[10:]],
            {"entry_index_mismatch", "checkpoint_size_mismatch"},
        ),
        (
            lambda ls: [*ls[:10], ls[11], ls[10], *ls[12:]],
            {"entry_index_mismatch", "proof_leaf_hash_mismatch"},
        ),
        (lambda ls: [*ls, ls[0]], {"entry_index_mismatch", "proofs_count_mismatch"}),
    ],
)
def test_dropped_duplicated_reordered_lines(
    edit: Callable[[list[bytes]], list[bytes]], expected: set[str]
) -> None:
    log = build()
    files = log.files()
    lines = edit(files["entries.jsonl"].split(b"\n")[:-1])
    files["entries.jsonl"] = b"".join(line + b"\n" for line in lines)
    report = verify(files)
    assert expected | {"checkpoint_root_mismatch"} <= codes(report)


def test_entries_without_final_newline() -> None:
    files = build(5).files()
    files["entries.jsonl"] = files["entries.jsonl"][:-1]
    assert codes(verify(files)) == {"entries_final_newline_missing"}


def test_key_not_valid_when_sent() -> None:
    log = build()
    early = T0 + timedelta(hours=5)
    records = [replace(r, valid_until=early) if r.name == "south-log-1" else r for r in log.records]
    files = log.files()
    files["keys.json"] = keys_json(records)
    report = verify(files)
    rows = {f.row for f in report.findings if f.code == "entry_key_not_valid"}
    assert rows == {i + 1 for i in range(5, ROTATION_AT + 1)}  # sent from 05:00 on
    assert "entry_new_key_mismatch" not in codes(report)


def test_rotated_key_missing_from_keys_json() -> None:
    log = build()
    files = log.files()
    files["keys.json"] = keys_json([r for r in log.records if r.name != "south-log-2"])
    found = codes(verify(files))
    assert {
        "entry_new_key_unpublished",
        "entry_key_unknown",
        "checkpoint_signature_missing",
    } <= found


# Tampered checkpoints ------------------------------------------------------------------------


def flips(data: bytes, masks: tuple[int, ...] = (0x01,)) -> list[bytes]:
    return [
        data[:i] + bytes([data[i] ^ m]) + data[i + 1 :] for i in range(len(data)) for m in masks
    ]


def test_every_byte_of_the_checkpoint() -> None:
    log = build(5)
    files = log.files()
    original = files["checkpoint.txt"]
    assert verify(files).ok
    for flipped in flips(original):
        report = verify({**files, "checkpoint.txt": flipped})
        assert not report.ok, flipped
        assert any(f.file == "checkpoint.txt" for f in report.findings), flipped


def test_every_byte_of_the_proofs() -> None:
    log = build(4)
    files = log.files((1, 3))
    for flipped in flips(files["proofs.json"]):
        report = verify({**files, "proofs.json": flipped})
        assert not report.ok, flipped
        assert {f.file for f in report.findings} == {"proofs.json"}, flipped


def test_sampled_bytes_of_the_realistic_checkpoint() -> None:
    log = build()
    files = log.files()
    data = files["checkpoint.txt"]
    for i in random.Random(6962).sample(range(len(data)), 30):
        flipped = data[:i] + bytes([data[i] ^ 0x20]) + data[i + 1 :]
        assert not verify({**files, "checkpoint.txt": flipped}).ok, i


def with_checkpoint(log: Log, note: str) -> dict[str, bytes]:
    return {**log.files(), "checkpoint.txt": note.encode()}


def test_checkpoint_without_cosignature() -> None:
    log = build()
    note = checkpoint_of(log.leaves, "south-log-2", None, 0)
    report = verify(with_checkpoint(log, note))
    assert where(report) == {("checkpoint_cosignature_missing", "checkpoint.txt", None, "")}


def test_cosignature_by_the_wrong_side() -> None:
    log = build()
    note = checkpoint_of(log.leaves, "south-log-2", "south-cosign-1", log.cosigned_at)
    assert codes(verify(with_checkpoint(log, note))) == {"checkpoint_cosignature_wrong_side"}


def test_cosignature_before_the_cosigner_was_valid() -> None:
    log = build()
    note = checkpoint_of(log.leaves, "south-log-2", "north-cosign-1", int(T0.timestamp()) - 1)
    found = codes(verify(with_checkpoint(log, note)))
    assert found == {"checkpoint_cosigner_not_valid", "checkpoint_cosignature_missing"}


def test_cosignature_that_does_not_verify() -> None:
    log = build()
    text = notes.parse_note(log.checkpoint_note).text
    other = text.replace(ORIGIN, NORTH_ORIGIN)
    line = notes.cosignature_line(
        other, name="north-cosign-1", private_key=PRIVATE["north-cosign-1"], timestamp=7
    )
    note = notes.sign_note(text, name="south-log-2", private_key=PRIVATE["south-log-2"]) + line
    found = codes(verify(with_checkpoint(log, note)))
    assert found == {"checkpoint_cosignature_invalid", "checkpoint_cosignature_missing"}


def test_checkpoint_signed_by_the_retired_key() -> None:
    log = build()
    note = checkpoint_of(log.leaves, "south-log-1", "north-cosign-1", log.cosigned_at)
    assert codes(verify(with_checkpoint(log, note))) == {"checkpoint_key_retired"}


def test_checkpoint_signed_by_the_other_sides_log_key() -> None:
    log = build()
    note = checkpoint_of(log.leaves, "north-log-1", "north-cosign-1", log.cosigned_at)
    assert "checkpoint_signature_missing" in codes(verify(with_checkpoint(log, note)))


def test_checkpoint_signature_by_a_known_key_that_fails() -> None:
    log = build()
    note = notes.parse_note(log.checkpoint_note)
    first = note.signatures[0]
    bad = notes.NoteSignature(first.name, first.key_id, bytes(64))
    forged = notes.Note(note.text, (bad, *note.signatures))
    report = verify(with_checkpoint(log, notes.format_note(forged)))
    assert where(report) == {
        ("checkpoint_signature_invalid", "checkpoint.txt", None, "south-log-2")
    }


def test_checkpoint_of_other_entries() -> None:
    log = build()
    note = checkpoint_of(log.leaves[:-1], "south-log-2", "north-cosign-1", log.cosigned_at)
    found = codes(verify(with_checkpoint(log, note)))
    assert {
        "checkpoint_size_mismatch",
        "checkpoint_root_mismatch",
        "proof_inclusion_invalid",
    } <= found
    assert "proof_second_mismatch" in found


def test_unknown_signatures_are_ignored() -> None:
    log = build()
    text = notes.parse_note(log.checkpoint_note).text
    stranger = Ed25519PrivateKey.from_private_bytes(b"\x09" * 32)
    extra = notes.signature_line_ed25519(text, name="stranger", private_key=stranger)
    note = notes.add_signatures(log.checkpoint_note, [extra])
    assert verify(with_checkpoint(log, note)).ok


# Earlier checkpoints -------------------------------------------------------------------------


def test_earlier_checkpoint_that_is_a_prefix() -> None:
    log = build()
    for size in (0, 1, 7, ROTATION_AT, 42):
        note = checkpoint_of(log.leaves[:size], "south-log-1", None, 0)
        report = verify(log.files(), earlier_checkpoint=note)
        assert report.ok and report.earlier_size == size


def test_earlier_checkpoint_of_a_rewritten_log() -> None:
    log = build()
    forked = copy.deepcopy(log.entries[:ROTATION_AT])
    forked[5] = entries.make_entry(
        log=ORIGIN,
        index=5,
        kind="notice",
        sent_at=T0 + timedelta(hours=5),
        from_side="south",
        to_side="north",
        body={"subject": "다른 내용", "text": ""},
        key="south-log-1",
        in_reply_to=None,
        private_key=PRIVATE["south-log-1"],
    )
    note = checkpoint_of([entries.leaf_bytes(e) for e in forked], "south-log-1", None, 0)
    report = verify(log.files(), earlier_checkpoint=note, earlier_file="old.txt")
    assert where(report) == {
        ("earlier_root_mismatch", "old.txt", None, ""),
        ("earlier_inconsistent", "old.txt", None, ""),
    }


@pytest.mark.parametrize(
    ("make_note", "code"),
    [
        (lambda log: "not a note", "earlier_malformed"),
        (
            lambda log: checkpoint_of(log.leaves[:5], "north-log-1", None, 0),
            "earlier_signature_missing",
        ),
        (
            lambda log: log.earlier_note.replace(ORIGIN, NORTH_ORIGIN),
            "earlier_origin_mismatch",
        ),
        (
            lambda log: notes.sign_note(
                notes.Checkpoint(ORIGIN, 43, b"\x00" * 32).text(),
                name="south-log-2",
                private_key=PRIVATE["south-log-2"],
            ),
            "earlier_size_larger",
        ),
    ],
)
def test_earlier_checkpoint_refused(make_note: Callable[[Log], str], code: str) -> None:
    log = build()
    report = verify(log.files(), earlier_checkpoint=make_note(log))
    assert code in codes(report)
    assert {f.file for f in report.findings} == {"earlier checkpoint"}
