"""The export bundle of one side's liaison log, which anyone can verify with this package
alone: a folder, or a .zip holding the same files at its root. Pure Python, no Django.

    entries.jsonl   one leaf per line (canonical JSON + "\\n"), index order from 0
    checkpoint.txt  the checkpoint of exactly those entries, a signed note: signed by a "log"
                    key of the log's side, cosigned (cosignature/v1) by a "cosign" key of the
                    other side
    keys.json       the public keys (keys.keys_json)
    proofs.json     an inclusion proof per entry, consistency proofs from earlier sizes
    README.txt      how to verify, in Korean and English

`verify_bundle` checks everything against everything else and names the file, row and field
of each failure. It proves the bundle consistent with its own keys.json; that those keys are
the two sides' keys is for the reader to compare (`VerifyReport.vkeys`) with the keys the
sides published.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from panmun.common.bundlefiles import open_bundle, read_files
from panmun.common.findings import Finding

from . import merkle
from .bundle_verify import (
    CHECKPOINT_FILE,
    ENTRIES_FILE,
    KEYS_FILE,
    README_FILE,
    REQUIRED_FILES,
    VerifyReport,
    verify_files,
    verify_source,
)
from .keys import PublicKeyRecord, keys_json
from .notes import parse_checkpoint, parse_note
from .proofs import PROOFS_FILE, proofs_json

__all__ = [
    "BUNDLE_FILES",
    "README",
    "VerifyReport",
    "bundle_files",
    "bundle_zip",
    "read_bundle",
    "verify_bundle",
    "verify_files",
    "write_bundle",
]

BUNDLE_FILES = (*REQUIRED_FILES, README_FILE)
MAX_MEMBER_BYTES = 2**30
ZIP_DATE_TIME = (2000, 1, 1, 0, 0, 0)

README = """\
판문 남북 연락 기록 증빙 묶음 / Panmun inter-Korean liaison log bundle

파일
  entries.jsonl   한쪽이 보낸 연락 기록. 한 줄에 항목 하나(RFC 8785 정규화 JSON), 0번부터 순서대로.
  checkpoint.txt  이 항목 전부의 검증점(C2SP tlog-checkpoint, signed note). 기록한 쪽의 "log" 키가
                  서명하고 상대쪽의 "cosign" 키가 부서(cosignature/v1)합니다.
  keys.json       공개키: 이름, 측, 용도(log/cosign), 유효 기간, vkey.
  proofs.json     항목마다 포함 증명, 그리고 앞선 크기에서의 일관성 증명(RFC 9162).

검증 방법
  1. keys.json의 vkey가 양측이 따로 공표한 키와 같은지 확인합니다. 이 묶음만으로는 키가
     진짜인지 알 수 없습니다.
  2. entries.jsonl의 줄마다: RFC 8785 정규화 형식이어야 하고, index는 줄 번호(0부터), log는
     검증점의 첫 줄과 같아야 합니다. signature는 signature 필드를 뺀 객체의 정규화 JSON에 대한
     Ed25519 서명이며, key가 가리키는 키(용도 log, 보낸 쪽의 키, sent_at에 유효)로 검증됩니다.
  3. 각 줄(줄바꿈 제외)의 잎 해시 SHA-256(0x00 || 줄)로 RFC 9162 머클 트리를 만들면, 그 루트가
     checkpoint.txt 셋째 줄(base64)과 같고 항목 수가 둘째 줄과 같아야 합니다.
  4. checkpoint.txt의 서명 줄 "— 키이름 base64(키 ID 4바이트 || 서명)"을 C2SP signed-note와
     tlog-cosignature에 따라 검증합니다.
  5. proofs.json의 포함 증명과 일관성 증명이 검증점의 루트로 이어져야 합니다.
  또는 한 번에 검증합니다:
     panmun liaison verify 묶음 [--earlier 앞서_받은_checkpoint.txt]
     python -m panmun.liaison verify 묶음

Files
  entries.jsonl   What one side sent: one entry per line (RFC 8785 canonical JSON), from 0.
  checkpoint.txt  The checkpoint of all of them (C2SP tlog-checkpoint, a signed note): signed by
                  the logging side's "log" key, cosigned (cosignature/v1) by the other side's
                  "cosign" key.
  keys.json       The public keys: name, side, purpose (log/cosign), validity, vkey.
  proofs.json     An inclusion proof per entry; consistency proofs from earlier sizes (RFC 9162).

How to verify
  1. Check that the vkeys in keys.json are the keys the two sides published; the bundle alone
     cannot tell that its keys are genuine.
  2. Each line of entries.jsonl is RFC 8785 canonical; its index is its line number (from 0);
     its log is the checkpoint's first line. Its signature is the Ed25519 signature over the
     canonical JSON of the object without `signature`, by the key named in `key` (purpose log,
     of the sending side, valid at sent_at).
  3. The RFC 9162 Merkle tree of the leaf hashes SHA-256(0x00 || line), each line without its
     newline, has the root in the checkpoint's third line (base64); the number of lines is its
     second line.
  4. Verify the signature lines "— name base64(4-byte key ID || signature)" of checkpoint.txt
     per C2SP signed-note and tlog-cosignature.
  5. Every proof in proofs.json leads to the checkpoint's root.
  Or all at once:
     panmun liaison verify BUNDLE [--earlier EARLIER_CHECKPOINT.txt]
     python -m panmun.liaison verify BUNDLE
"""


def bundle_files(
    *,
    leaves: Sequence[bytes],
    checkpoint_note: str,
    keys: Sequence[PublicKeyRecord],
    earlier_sizes: Sequence[int] = (),
) -> dict[str, bytes]:
    """The bundle's files as bytes; ValueError if the checkpoint is not that of the leaves."""
    if any(b"\n" in leaf for leaf in leaves):
        raise ValueError("a leaf holds a newline: it is not canonical JSON")
    hashes = [merkle.leaf_hash(leaf) for leaf in leaves]
    checkpoint = parse_checkpoint(parse_note(checkpoint_note).text)
    if checkpoint.size != len(leaves) or checkpoint.root_hash != merkle.root(hashes):
        raise ValueError("the checkpoint is not that of the leaves given")
    return {
        ENTRIES_FILE: b"".join(leaf + b"\n" for leaf in leaves),
        CHECKPOINT_FILE: checkpoint_note.encode("utf-8"),
        KEYS_FILE: keys_json(keys),
        PROOFS_FILE: proofs_json(hashes, earlier_sizes),
        README_FILE: README.encode("utf-8"),
    }


def bundle_zip(files: Mapping[str, bytes]) -> bytes:
    """The files as zip bytes: members at the root, fixed times, the same bytes each time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in BUNDLE_FILES:
            if name in files:
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o644 << 16
                archive.writestr(info, files[name])
    return buffer.getvalue()


def write_bundle(
    target: Path,
    *,
    leaves: Sequence[bytes],
    checkpoint_note: str,
    keys: Sequence[PublicKeyRecord],
    earlier_sizes: Sequence[int] = (),
) -> None:
    """Write the bundle: a zip if `target` ends in .zip, else a folder. FileExistsError if
    `target` is a file or a non-empty folder; ValueError if the checkpoint does not fit."""
    target = Path(target)
    files = bundle_files(
        leaves=leaves, checkpoint_note=checkpoint_note, keys=keys, earlier_sizes=earlier_sizes
    )
    if target.suffix.lower() == ".zip":
        with target.open("xb") as handle:  # "x": never overwrite
            handle.write(bundle_zip(files))
        return
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise FileExistsError(f"{target} exists and is not an empty folder")
    target.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        with (target / name).open("xb") as handle:
            handle.write(data)


def read_bundle(path: Path) -> tuple[dict[str, bytes], list[Finding]]:
    """The bundle's files that could be read (folder or zip), and findings for the others."""
    return read_files(Path(path), BUNDLE_FILES, max_member_bytes=MAX_MEMBER_BYTES)


def verify_bundle(
    path: Path,
    *,
    earlier_checkpoint: str | None = None,
    earlier_file: str = "earlier checkpoint",
) -> VerifyReport:
    """Verify a bundle (folder or .zip) and, if given, that an earlier checkpoint of the
    same log (the text of its signed note) is a prefix of it. The bundle is read within the
    bounds of `panmun.common.bundlefiles` and `bundle_verify` (issue 16)."""
    with open_bundle(Path(path), BUNDLE_FILES) as source:
        return verify_source(
            source, earlier_checkpoint=earlier_checkpoint, earlier_file=earlier_file
        )
