"""Bundles from a hostile other side (issue 16): a few kilobytes that would expand to
gigabytes, members that lie about their size, too many members, a very long line, and a
million bad lines. Each is refused, naming the file, the line and why in both languages, or
judged with a bounded list of findings."""

from __future__ import annotations

import base64
import io
import random
import struct
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from panmun.common.bundlefiles import MAX_COUNTED, MAX_LISTED, MAX_MEMBERS

from ..ledger import bundle, commandline, notes
from .test_bundle import ORIGIN, PRIVATE, T0, build, checkpoint_of


def zipped(files: dict[str, bytes], *, stored: bool = False) -> bytes:
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def verify_zip(tmp_path: Path, data: bytes) -> bundle.VerifyReport:
    path = tmp_path / "hostile.zip"
    path.write_bytes(data)
    return bundle.verify_bundle(path)


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with the uncompressed size of `name` in its headers changed to `size`."""
    raw = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    struct.pack_into("<I", raw, info.header_offset + 22, size)  # local file header
    central = raw.rfind(b"PK\x01\x02", 0, raw.rfind(name.encode()) + 1)
    struct.pack_into("<I", raw, central + 24, size)  # central directory entry
    return bytes(raw)


def signed_checkpoint(size: int) -> str:
    """A checkpoint of `size` entries (of any root), signed and cosigned with the bundle's keys."""
    text = notes.Checkpoint(ORIGIN, size, bytes(32)).text()
    signed = notes.sign_note(text, name="south-log-2", private_key=PRIVATE["south-log-2"])
    stamp = int((T0 + timedelta(days=2)).timestamp())
    cosigner = PRIVATE["north-cosign-1"]
    line = notes.cosignature_line(
        text, name="north-cosign-1", private_key=cosigner, timestamp=stamp
    )
    return notes.add_signatures(signed, [line])


def test_a_zip_of_16_mib_of_empty_lines_is_refused_unread(tmp_path: Path) -> None:
    files = build(5).files()
    data = zipped({**files, "entries.jsonl": b"\n" * 2**24})
    assert len(data) < 40_000
    report = verify_zip(tmp_path, data)
    (refusal,) = report.findings
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("entries.jsonl")
    ratio = f"{2**24 / info.compress_size:,.0f}"
    assert (refusal.code, refusal.file, refusal.row) == (
        "bundle_member_ratio",
        "entries.jsonl",
        None,
    )
    assert refusal.en == (
        f"the file is refused: it would expand {ratio} times, from {info.compress_size:,} to "
        "16,777,216 bytes (at most 20 times)"
    )
    assert refusal.ko == (
        f"파일을 받지 않습니다: 압축을 풀면 {info.compress_size:,}바이트에서 16,777,216바이트로 "
        f"{ratio}배가 됩니다(최대 20배)"
    )
    assert report.entries == 0


def test_a_bomb_in_the_proofs_is_refused(tmp_path: Path) -> None:
    files = build(5).files()
    report = verify_zip(tmp_path, zipped({**files, "proofs.json": bytes(50 * 2**20)}))
    assert [(f.code, f.file) for f in report.findings] == [("bundle_member_ratio", "proofs.json")]


def test_empty_lines_past_the_checkpoints_size_are_refused(tmp_path: Path) -> None:
    log = build(5)
    files = log.files()
    entries = files["entries.jsonl"] + b"\n" * 200_000
    report = verify_zip(tmp_path, zipped({**files, "entries.jsonl": entries}, stored=True))
    assert report.entries == 55  # the 5 entries, then 50 more named before the refusal
    refused = [f for f in report.findings if f.code == "bundle_too_many_lines"]
    assert [(f.file, f.row, f.field) for f in refused] == [("entries.jsonl", 56, "")]
    assert refused[0].en == (
        "the file is refused: it has more than 55 lines, 50 past the 5 that the checkpoint's "
        "size allows"
    )
    assert refused[0].ko == (
        "파일을 받지 않습니다: 검증점의 크기가 허용하는 5줄보다 50줄 넘게 많습니다"
    )
    rows = [f.row for f in report.findings if f.code == "entry_not_json"]
    assert rows == list(range(6, 56))


def test_a_member_larger_than_the_zip_declares_is_refused(tmp_path: Path) -> None:
    files = build(5).files()
    rng = random.Random(16)
    big = base64.b64encode(rng.randbytes(6 * 2**20))  # ratio about 1.3
    data = declare_size(zipped({**files, "proofs.json": big}), "proofs.json", 1_000)
    report = verify_zip(tmp_path, data)
    assert [(f.code, f.file, f.row) for f in report.findings] == [
        ("bundle_member_not_as_declared", "proofs.json", None)
    ]
    assert report.findings[0].en == (
        "the file is refused: its content is not the 1,000 bytes and the checksum the zip "
        "declares for it"
    )
    assert report.findings[0].ko == (
        "파일을 받지 않습니다: 내용이 zip에 적힌 크기(1,000바이트)와 체크섬과 다릅니다"
    )


def test_entries_larger_than_the_checkpoint_allows_are_refused_unread(tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    folder.mkdir()
    for name, data in build(5).files().items():
        (folder / name).write_bytes(data)
    with (folder / "entries.jsonl").open("r+b") as handle:
        handle.truncate(60_000_000)  # sparse: nothing is written, nothing need be read
    report = bundle.verify_bundle(folder)
    (refusal,) = [f for f in report.findings if f.file == "entries.jsonl"]
    assert refusal.code == "bundle_member_too_large"
    assert refusal.en == (
        "the file is refused: 60,000,000 bytes, more than the 56,000,056 bytes that 5 lines "
        "(the checkpoint's size) can take"
    )
    assert refusal.ko == (
        "파일을 받지 않습니다: 60,000,000바이트로, 검증점의 크기가 허용하는 5줄이 차지할 수 "
        "있는 56,000,056바이트보다 큽니다"
    )
    assert report.entries == 0


def test_a_zip_of_too_many_members_is_refused(tmp_path: Path) -> None:
    files = build(5).files()
    extra = {f"junk/{i}.txt": b"" for i in range(MAX_MEMBERS)}
    path = tmp_path / "many.zip"
    path.write_bytes(zipped({**files, **extra}))
    report = bundle.verify_bundle(path)
    assert [(f.code, f.file) for f in report.findings] == [("bundle_too_many_members", str(path))]
    assert report.findings[0].en == ("the bundle is refused: the zip holds 69 files, more than 64")
    assert report.findings[0].ko == ("묶음을 받지 않습니다: zip에 파일이 69개로, 64개보다 많습니다")


def test_a_very_long_line_is_refused(tmp_path: Path) -> None:
    log = build(5)
    files = log.files()
    lines = files["entries.jsonl"].split(b"\n")
    rng = random.Random(18)
    lines[2] = base64.b64encode(rng.randbytes(800_000))  # 1,066,668 bytes
    report = verify_zip(tmp_path, zipped({**files, "entries.jsonl": b"\n".join(lines)}))
    refused = [f for f in report.findings if f.file == "entries.jsonl"]
    assert [(f.code, f.row) for f in refused] == [("bundle_line_too_long", 3)]
    assert refused[0].en == "the file is refused: line 3 is longer than 1,000,000 bytes"
    assert refused[0].ko == "파일을 받지 않습니다: 3번째 줄이 1,000,000바이트보다 깁니다"
    assert report.entries == 2


def bad_lines_bundle(count: int) -> dict[str, bytes]:
    """A bundle whose checkpoint, keys and proofs are right for `count` lines that are not
    JSON: each line is one problem."""
    log = build(0)
    leaves = [b"x%d" % i for i in range(count)]
    note = checkpoint_of(leaves, "south-log-1", "north-cosign-1", log.cosigned_at or 1)
    return bundle.bundle_files(leaves=leaves, checkpoint_note=note, keys=log.records)


def test_findings_past_the_listed_are_counted_and_said(tmp_path: Path) -> None:
    report = verify_zip(tmp_path, zipped(bad_lines_bundle(500)))
    assert len(report.findings) == MAX_LISTED + 1
    assert {f.code for f in report.findings[:-1]} == {"entry_not_json"}
    assert [f.row for f in report.findings[:-1]] == list(range(1, MAX_LISTED + 1))
    last = report.findings[-1]
    assert (last.code, last.en, last.ko) == (
        "findings_not_listed",
        "400 more problems not listed",
        "그 밖의 문제 400건은 적지 않았습니다",
    )
    assert (report.problems, report.unlisted, report.stopped) == (500, 400, False)


def test_checking_stops_after_a_bounded_number_of_problems(tmp_path: Path) -> None:
    size = 1_000_000
    files = build(0).files()
    files["checkpoint.txt"] = signed_checkpoint(size).encode()
    files["entries.jsonl"] = b"x\n" * size
    data = zipped(files, stored=True)
    report = verify_zip(tmp_path, data)
    assert report.stopped
    assert report.entries == MAX_COUNTED
    assert len(report.findings) == MAX_LISTED + 1
    unlisted = MAX_COUNTED - MAX_LISTED
    assert report.findings[-1].en == (
        f"at least {unlisted:,} more problems not listed: checking stopped after "
        f"{MAX_COUNTED:,} problems"
    )
    assert report.findings[-1].ko == (
        f"그 밖의 문제 {unlisted:,}건 이상은 적지 않았습니다. 문제가 {MAX_COUNTED:,}건에 "
        "이르러 검증을 멈췄습니다"
    )


def test_the_command_prints_a_bounded_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.zip"
    path.write_bytes(zipped(bad_lines_bundle(5_000)))
    assert commandline.main(["verify", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("entry_not_json  entries.jsonl row ") for line in out) == 100
    assert (
        "findings_not_listed  4,900 more problems not listed / 그 밖의 문제 4,900건은 적지 "
        "않았습니다"
    ) in out
    assert (
        "FAILED: 5,000 finding(s); the bundle does not verify / "
        "검증 실패: 문제 5,000건, 묶음을 믿을 수 없습니다"
    ) in out


def test_lines_of_dense_json_that_compress_well_are_refused(tmp_path: Path) -> None:
    files = build(5).files()
    dense = b'{"a":[' + b",".join([b"0"] * 150_000) + b"]}\n"  # 300 KB, 150,000 values
    files["checkpoint.txt"] = signed_checkpoint(3).encode()
    data = zipped({**files, "entries.jsonl": dense * 3})
    stored = zipfile.ZipFile(io.BytesIO(data)).getinfo("entries.jsonl").compress_size
    report = verify_zip(tmp_path, data)
    refused = [f for f in report.findings if f.file == "entries.jsonl" and f.row == 2]
    assert [(f.code, f.field) for f in refused] == [("bundle_too_many_values", "")]
    assert refused[0].en == (
        "the file is refused: up to line 2 it holds more than 200,000 JSON values, what its "
        f"{stored:,} stored bytes allow"
    )
    assert refused[0].ko == (
        "파일을 받지 않습니다: 2번째 줄까지 JSON 값이 200,000개를 넘어, 저장된 "
        f"{stored:,}바이트가 허용하는 만큼보다 많습니다"
    )
    assert report.entries == 1


def test_proofs_of_dense_json_are_refused(tmp_path: Path) -> None:
    files = bad_lines_bundle(300)
    junk = b'{"index":0,"leaf_hash":"","path":[' + b",".join([b'""'] * 1_000) + b"]}"
    per_item = junk.count(b",") + junk.count(b":")  # 1,005 values, and the comma after it
    proofs = b'{"consistency":[],"inclusion":[' + b",".join([junk] * 300) + b"]}"
    report = verify_zip(tmp_path, zipped({**files, "proofs.json": proofs}))
    refused = [f for f in report.findings if f.code == "bundle_too_many_values"]
    at = 200_000 // per_item  # the first item past 200,000 values
    assert [(f.file, f.row, f.field) for f in refused] == [
        ("proofs.json", None, f"inclusion[{at}]")
    ]
