"""Bundles: a draw's files with their README, as a folder or a zip, written and read back."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TypeAlias

from panmun.common.bundlefiles import read_files

from .commitment import _committed
from .criteria import Criteria
from .drawing import _draw_columns, _drawn_bytes
from .findings import Finding, LotteryError
from .pool import PoolEntry
from .scheme import (
    ALGORITHM,
    BUNDLE_FILES,
    COMMITMENT_FILE,
    CRITERIA_FILE,
    MAX_MEMBER_BYTES,
    POOL_FILE,
    README_FILE,
    RESULT_FILE,
    SEED_FILE,
    ZIP_COMPRESSLEVEL,
    ZIP_DATE_TIME,
)
from .seeds import _utc_seconds

README = f"""\
판문 상봉 대상자 추첨 증빙 묶음 / Panmun reunion selection draw bundle
알고리즘 / algorithm: {ALGORITHM}

파일 / Files
  pool.csv         추첨 명단. 신청자마다 한 줄(draw_id,stratum,weight), draw_id 순 정렬.
                   개인정보는 없고 draw_id는 의미 없는 번호입니다.
                   The frozen pool: one line per eligible applicant (draw_id,stratum,weight),
                   sorted by draw_id. No personal data: a draw_id is an opaque number.
  criteria.json    추첨 기준: 층(strata)마다 이름과 선정 인원(places).
                   The criteria: each stratum's name and number of places.
  commitment.json  추첨 전에 공표한 값: pool.csv, criteria.json, 시드의 SHA-256, 명단 크기, 시각.
                   What was announced before the draw: SHA-256 of pool.csv, of criteria.json
                   and of the seed, the pool size, the times.
  seed.hex         추첨 시드 32바이트(16진수 64자). 추첨 뒤에 공개합니다.
                   The 32-byte seed as 64 hex characters, revealed after the draw.
  result.csv       추첨 결과: 층마다 순위(rank)와 선정 여부(selected 1/0). 선정되지 않은 사람은
                   순위대로 예비 순위입니다.
                   The result: each entry's rank in its stratum and whether it is selected
                   (1/0); those not selected are reserves in rank order.

검증 방법
  1. SHA-256(pool.csv), SHA-256(criteria.json), SHA-256(시드 32바이트)가 commitment.json의
     pool_sha256, criteria_sha256, seed_sha256과 같은지, 그리고 pool_sha256과 seed_sha256이
     추첨 전에 공표된 값과 같은지 확인합니다.
  2. 명단의 각 줄마다 h = HMAC-SHA256(키 = 시드, 메시지 = draw_id의 UTF-8 바이트),
     u = (h를 빅엔디언 부호 없는 정수로 읽은 값 + 1) / 2^256, key = ln(u) / weight 를 계산합니다.
  3. 층마다 key가 큰 순서로(같으면 draw_id가 작은 것 먼저) 1위부터 순위를 매기고,
     앞의 places명을 선정합니다.
  4. 층은 criteria.json의 순서대로, 층 안에서는 순위대로 적은 결과가 result.csv와 같아야 합니다.
  또는 다음 명령으로 한 번에 검증합니다:
     panmun reunion verify-draw 묶음 [--pool-sha256 공표값] [--seed-sha256 공표값]

How to verify
  1. Check that SHA-256 of pool.csv, of criteria.json and of the 32 seed bytes equal
     pool_sha256, criteria_sha256 and seed_sha256 in commitment.json, and that pool_sha256 and
     seed_sha256 equal the values announced before the draw.
  2. For each pool line: h = HMAC-SHA256(key = seed, message = UTF-8 bytes of draw_id),
     u = (h read as a big-endian unsigned integer + 1) / 2^256, key = ln(u) / weight.
  3. Within each stratum rank by key, highest first (equal keys: smaller draw_id first), from
     rank 1; the first `places` are selected.
  4. Strata in criteria.json's order, each by rank, must give exactly result.csv.
  Or verify all of it at once:
     panmun reunion verify-draw BUNDLE [--pool-sha256 ANNOUNCED] [--seed-sha256 ANNOUNCED]
""".encode()


@dataclass(frozen=True)
class Bundle:
    """The files of a draw, as bytes (README.txt is added when written)."""

    pool: bytes
    criteria: bytes
    commitment: bytes
    seed_hex: bytes
    result: bytes

    def files(self) -> dict[str, bytes]:
        return {
            README_FILE: README,
            POOL_FILE: self.pool,
            CRITERIA_FILE: self.criteria,
            COMMITMENT_FILE: self.commitment,
            SEED_FILE: self.seed_hex,
            RESULT_FILE: self.result,
        }

    def to_zip(self) -> bytes:
        """The bundle as zip bytes: members at the root, fixed times, the same bytes each time."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, data in self.files().items():
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o644 << 16
                archive.writestr(info, data, compresslevel=ZIP_COMPRESSLEVEL)
        return buffer.getvalue()

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write a zip (a path ending in .zip) or a folder of the files; the path written."""
        target = Path(path)
        if target.suffix.lower() == ".zip":
            partial = target.with_name(target.name + ".part")
            partial.write_bytes(self.to_zip())
            partial.replace(target)
        else:
            target.mkdir(parents=True, exist_ok=True)
            for name, data in self.files().items():
                (target / name).write_bytes(data)
        return target


def make_bundle(
    entries: Iterable[PoolEntry],
    criteria: Criteria,
    seed: bytes,
    *,
    round_label: str,
    committed_at: datetime,
    drawn_at: datetime,
) -> Bundle:
    """The whole selection: freeze the pool and criteria, draw, and bundle the evidence."""
    columns, pool, criteria_bytes, commitment = _committed(
        entries, criteria, seed, round_label, committed_at
    )
    drawn = _draw_columns(*columns, criteria.strata, seed)
    commitment = replace(commitment, drawn_at=_utc_seconds(drawn_at))
    return Bundle(
        pool=pool,
        criteria=criteria_bytes,
        commitment=commitment.to_json(),
        seed_hex=seed.hex().encode() + b"\n",
        result=_drawn_bytes(drawn),
    )


BundleSource: TypeAlias = str | os.PathLike[str] | bytes | Bundle


def _members(source: BundleSource) -> tuple[dict[str, bytes], list[Finding]]:
    """The bundle's files that could be read, and the findings of those that could not."""
    if isinstance(source, Bundle):
        return source.files(), []
    if not isinstance(source, bytes | bytearray | memoryview):
        source = Path(source)
    return read_files(
        source,
        BUNDLE_FILES,
        max_member_bytes=MAX_MEMBER_BYTES,
        not_found_code="bundle_unreadable",
    )


def read_bundle(source: BundleSource) -> Bundle:
    """A bundle from a folder, a .zip path or zip bytes; LotteryError if files are missing."""
    files, problems = _members(source)
    problems += _missing_files(files, problems)
    if problems:
        raise LotteryError(problems)
    return Bundle(
        pool=files[POOL_FILE],
        criteria=files[CRITERIA_FILE],
        commitment=files[COMMITMENT_FILE],
        seed_hex=files[SEED_FILE],
        result=files[RESULT_FILE],
    )


def _missing_files(files: dict[str, bytes], findings: list[Finding]) -> list[Finding]:
    """A finding for each bundle file neither read nor already found unreadable."""
    if not files and any(f.code == "bundle_unreadable" for f in findings):
        return []  # the bundle itself could not be read
    named = {f.file for f in findings}
    return [_missing(name) for name in BUNDLE_FILES if name not in files and name not in named]


def _missing(name: str) -> Finding:
    return Finding(
        "missing_file",
        ko="묶음에 이 파일이 없습니다",
        en="the file is missing from the bundle",
        file=name,
    )
