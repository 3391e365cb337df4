"""Draw bundles from a hostile hand (issue 16): a zip bomb, more rows than commitment.json's
pool_size allows, an absurd pool_size, a member that lies about its size and a pool of
150,000 bad rows. Each is refused, naming the file, the line or field and why in both
languages, or judged with a bounded list of findings."""

from __future__ import annotations

import base64
import io
import json
import random
import struct
import zipfile

import pytest

from panmun.common.bundlefiles import MAX_COUNTED
from panmun.reunion import lottery
from panmun.reunion.lottery.commandline import main

from .test_lottery import files_of, make


def zipped(files: dict[str, bytes], *, stored: bool = False) -> bytes:
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def where(report: lottery.VerifyReport) -> list[tuple[str, str, int | None, str]]:
    return [(f.code, f.file, f.row, f.field) for f in report.findings]


def test_a_bomb_of_empty_lines_in_the_pool_is_refused_unread() -> None:
    files = files_of(make())
    data = zipped({**files, "pool.csv": b"\n" * 2**24})
    assert len(data) < 40_000
    report = lottery.verify_bundle(data)
    assert where(report) == [
        ("bundle_member_ratio", "pool.csv", None, ""),
        ("result_not_checked", "result.csv", None, ""),
    ]
    assert report.findings[0].en.startswith("the file is refused: it would expand ")
    assert report.findings[0].ko.startswith("파일을 받지 않습니다: 압축을 풀면 ")


def test_rows_past_the_pool_size_are_refused() -> None:
    files = files_of(make())
    pool = files["pool.csv"] + b"\n" * 100_000
    report = lottery.verify_bundle(zipped({**files, "pool.csv": pool}, stored=True))
    refused = [f for f in report.findings if f.code == "bundle_too_many_lines"]
    assert [(f.file, f.row) for f in refused] == [("pool.csv", 352)]
    assert refused[0].en == (
        "the file is refused: it has more than 351 lines, 50 past the 301 that pool_size in "
        "commitment.json, with the header line, allows"
    )
    assert refused[0].ko == (
        "파일을 받지 않습니다: commitment.json의 pool_size와 머리글 줄이 허용하는 301줄보다 "
        "50줄 넘게 많습니다"
    )


def test_an_absurd_pool_size_is_refused() -> None:
    files = files_of(make())
    commitment = json.loads(files["commitment.json"])
    commitment["pool_size"] = 10**9
    files["commitment.json"] = json.dumps(commitment).encode()
    report = lottery.verify_bundle(zipped(files))
    (refusal,) = [f for f in report.findings if f.code == "pool_size_too_large"]
    assert (refusal.file, refusal.row, refusal.field) == ("commitment.json", None, "pool_size")
    assert refusal.en == ("pool_size is 1,000,000,000; a bundle may hold at most 200,000 entries")
    assert refusal.ko == (
        "pool_size가 1,000,000,000인데, 묶음에는 최대 200,000명까지만 담을 수 있습니다"
    )


def test_a_result_larger_than_the_zip_declares_is_refused() -> None:
    files = files_of(make())
    rng = random.Random(16)
    big = base64.b64encode(rng.randbytes(2**20))
    data = zipped({**files, "result.csv": big})
    raw = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("result.csv")
    struct.pack_into("<I", raw, info.header_offset + 22, 100)  # local file header
    central = raw.rfind(b"PK\x01\x02", 0, raw.rfind(b"result.csv") + 1)
    struct.pack_into("<I", raw, central + 24, 100)  # central directory entry
    report = lottery.verify_bundle(bytes(raw))
    assert [f for f in where(report) if f[1] == "result.csv"] == [
        ("bundle_member_not_as_declared", "result.csv", None, "")
    ]
    assert report.findings[0].en == (
        "the file is refused: its content is not the 100 bytes and the checksum the zip "
        "declares for it"
    )


def many_bad_rows() -> bytes:
    files = files_of(make())
    commitment = json.loads(files["commitment.json"])
    commitment["pool_size"] = 150_000
    files["commitment.json"] = json.dumps(commitment).encode()
    files["pool.csv"] = b"draw_id,stratum,weight\n" + b"x\n" * 150_000
    return zipped(files, stored=True)


def test_150000_bad_rows_are_judged_with_a_bounded_list() -> None:
    report = lottery.verify_bundle(many_bad_rows())
    rows = [f for f in report.findings if f.code == "pool_bad_row"]
    assert [f.row for f in rows] == list(range(2, 52))
    (total,) = [f for f in report.findings if f.code == "pool_problems_total"]
    assert total.en == (
        f"at least {MAX_COUNTED:,} rows of pool.csv have problems; checking stopped there and "
        "the first 50 are listed"
    )
    assert total.ko == (
        f"pool.csv에서 문제가 있는 행이 {MAX_COUNTED:,}개 이상이어서 검증을 멈췄습니다. "
        "처음 50개만 적었습니다"
    )
    assert len(report.findings) == 53  # and pool.csv's hash, and result.csv not checked


def test_the_command_prints_a_bounded_report(
    tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.zip"  # type: ignore[operator]
    path.write_bytes(many_bad_rows())
    assert main(["verify-draw", str(path)]) == 1
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 53
    assert "CommandError: bundle does not verify: 53 findings listed / " in captured.err


def test_a_draw_over_the_verifiers_bound_is_refused_before_commitment(monkeypatch) -> None:
    """A verifier refuses a pool over `MAX_POOL_ENTRIES`; a draw over it could never be checked
    by the other side, so the draw refuses it, by name, in both languages."""
    from .test_lottery import sample_entries

    monkeypatch.setattr("panmun.reunion.lottery.commitment.MAX_POOL_ENTRIES", 100)
    with pytest.raises(lottery.LotteryError) as refused:
        make(sample_entries(150))
    [finding] = refused.value.problems
    assert finding.code == "pool_too_large"
    assert finding.file == "pool.csv"
    assert "150" in finding.en and "150" in finding.ko
    make(sample_entries(90))  # at or under the bound: drawn as before
