"""Verification: a draw redone from its bundle alone, and every difference as a finding."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace
from typing import Any

from .bundle import BundleSource, _members, _missing_files
from .commitment import Commitment, _commitment_values
from .criteria import Criteria, _load_json, parse_criteria
from .drawing import _draw_columns, _drawn_bytes, _drawn_rows, _malformed_result_row
from .findings import Finding, LotteryError, _problem
from .pool import _Columns, _decode, _header_problem, _lines, _parse_pool_columns
from .scheme import (
    COMMITMENT_FILE,
    CRITERIA_FILE,
    MAX_ROW_FINDINGS,
    POOL_FILE,
    RESULT_FILE,
    RESULT_HEADER,
    SEED_FILE,
)
from .seeds import seed_from_hex, sha256_hex


@dataclass(frozen=True)
class StratumSummary:
    """A stratum as a verified draw found it."""

    name: str
    places: int
    entries: int
    selected: int


@dataclass(frozen=True)
class VerifyReport:
    """What `verify_bundle` found: nothing (ok), or every difference."""

    findings: tuple[Finding, ...]
    commitment: Commitment | None = None
    pool_size: int | None = None
    strata: tuple[StratumSummary, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def selected(self) -> int:
        return sum(s.selected for s in self.strata)


_FILE_LEVEL = ("_not_utf8", "_bom", "_crlf", "_no_final_newline", "_bad_header")


def _capped(findings: list[Finding], filename: str, code: str) -> list[Finding]:
    """The findings, of which at most MAX_ROW_FINDINGS about rows, then one with their total."""
    rows = [
        f
        for f in findings
        if not f.code.endswith(_FILE_LEVEL)
        and (f.row is not None or f.code == "result_row_missing")
    ]
    if len(rows) <= MAX_ROW_FINDINGS:
        return findings
    unlisted = {id(f) for f in rows[MAX_ROW_FINDINGS:]}
    kept = [f for f in findings if id(f) not in unlisted]
    summary = _problem(
        code,
        f"{len(rows)} rows of {filename} have problems; the first {MAX_ROW_FINDINGS} are listed",
        f"{filename}에서 문제가 있는 행은 모두 {len(rows)}개입니다. 처음 {MAX_ROW_FINDINGS}개만 "
        "적었습니다",
        filename,
    )
    return [*kept, summary]


def _longest_increasing(values: list[int]) -> set[int]:
    """Indexes (into `values`) of one longest strictly increasing subsequence."""
    tails: list[int] = []
    tail_index: list[int] = []
    parent = [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_index.append(i)
        else:
            tails[k] = v
            tail_index[k] = i
        parent[i] = tail_index[k - 1] if k else -1
    keep: set[int] = set()
    i = tail_index[-1] if tail_index else -1
    while i >= 0:
        keep.add(i)
        i = parent[i]
    return keep


def _compare_result(
    expected: list[tuple[str, str, int, bool]], data: bytes, filename: str
) -> list[Finding]:
    """Every difference between result.csv (`data`) and the recomputed rows."""
    text, findings = _decode(data, filename, "result")
    lines = _lines(text)
    header = _header_problem(lines, RESULT_HEADER, filename, "result")
    if header:
        findings.append(header)
    position = {row[0]: i for i, row in enumerate(expected)}
    seen: dict[str, int] = {}
    per_row: dict[int, Finding] = {}
    in_order: list[tuple[int, int]] = []  # (file row, expected position) of the rows present
    for row, line in enumerate(lines[1:], start=2):
        parts = line.split(",")
        if len(parts) != 4:
            per_row[row] = _malformed_result_row(len(parts), filename, row)
            continue
        draw_id = parts[0]
        if draw_id in seen:
            per_row[row] = _problem(
                "result_duplicate_row",
                f"draw_id {draw_id!r} already appears in row {seen[draw_id]}",
                f"draw_id {draw_id!r}가 이미 {seen[draw_id]}행에 있습니다",
                filename,
                row,
                "draw_id",
            )
            continue
        seen[draw_id] = row
        at = position.get(draw_id)
        if at is None:
            per_row[row] = _problem(
                "result_extra_row",
                f"draw_id {draw_id!r} is not in pool.csv",
                f"draw_id {draw_id!r}는 pool.csv에 없습니다",
                filename,
                row,
                "draw_id",
            )
            continue
        want = expected[at]
        wanted = (want[1], str(want[2]), "1" if want[3] else "0")
        differ = [
            (name, got, exp)
            for name, got, exp in zip(
                ("stratum", "rank", "selected"), parts[1:], wanted, strict=True
            )
            if got != exp
        ]
        if differ:
            per_row[row] = _problem(
                "result_row_differs",
                f"draw_id {draw_id!r}: "
                + ", ".join(f"{n} is {g!r}, the recomputed draw gives {e!r}" for n, g, e in differ),
                f"draw_id {draw_id!r}: "
                + ", ".join(
                    f"{n} 값이 {g!r}인데 다시 계산한 추첨 결과는 {e!r}입니다" for n, g, e in differ
                ),
                filename,
                row,
                ",".join(n for n, _, _ in differ),
            )
        in_order.append((row, at))
    keep = _longest_increasing([at for _, at in in_order])
    for index, (row, at) in enumerate(in_order):
        if index in keep:
            continue
        draw_id = expected[at][0]
        if row in per_row:
            old = per_row[row]
            per_row[row] = replace(
                old,
                message_en=old.message_en + f"; and it belongs at row {at + 2}",
                message_ko=old.message_ko + f". 또한 {at + 2}행에 있어야 합니다",
            )
        else:
            per_row[row] = _problem(
                "result_wrong_order",
                f"draw_id {draw_id!r} is out of order: it belongs at row {at + 2}",
                f"draw_id {draw_id!r}의 위치가 틀렸습니다. {at + 2}행에 있어야 합니다",
                filename,
                row,
                "draw_id",
            )
    # Rows in file order; a missing row where it belongs (so the first 50 are the first found).
    placed: list[tuple[int, int, Finding]] = [(r, 0, f) for r, f in per_row.items()]
    for at, want in enumerate(expected):
        if want[0] not in seen:
            missing = _problem(
                "result_row_missing",
                f"draw_id {want[0]!r} (stratum {want[1]!r}, rank {want[2]}) is missing; "
                f"it belongs at row {at + 2}",
                f"draw_id {want[0]!r}(층 {want[1]!r}, 순위 {want[2]})의 행이 없습니다. "
                f"{at + 2}행에 있어야 합니다",
                filename,
                None,
                "draw_id",
            )
            placed.append((at + 2, 1, missing))
    placed.sort(key=lambda item: item[:2])
    rows = [f for _, _, f in placed]
    findings += rows
    if not findings:
        findings.append(
            _problem(
                "result_differs",
                "the file differs from the recomputed draw",
                "파일이 다시 계산한 추첨 결과와 다릅니다",
                filename,
            )
        )
    return findings


def _mismatch(code: str, file: str, fld: str, en: str, ko: str) -> Finding:
    return _problem(code, en, ko, file, None, fld)


def verify_bundle(
    source: BundleSource,
    *,
    expect_pool_sha256: str | None = None,
    expect_seed_sha256: str | None = None,
) -> VerifyReport:
    """Redo a draw from its bundle alone (a folder, a .zip path, zip bytes or a Bundle).

    `expect_*` are the values announced before the draw, as a third party copied them."""
    files, findings = _members(source)
    findings += _missing_files(files, findings)

    committed: dict[str, Any] = {}
    commitment: Commitment | None = None
    if COMMITMENT_FILE in files:
        document, problems = _load_json(files[COMMITMENT_FILE], COMMITMENT_FILE, "commitment")
        findings += problems
        if document is not None:
            committed, problems = _commitment_values(document, COMMITMENT_FILE)
            findings += problems
            if not problems:
                commitment = Commitment(**committed)

    columns: _Columns | None = None
    pool_size: int | None = None
    pool_hash: str | None = None
    criteria: Criteria | None = None
    if CRITERIA_FILE in files:
        data = files[CRITERIA_FILE]
        if "criteria_sha256" in committed and sha256_hex(data) != committed["criteria_sha256"]:
            findings.append(
                _mismatch(
                    "criteria_hash_mismatch",
                    CRITERIA_FILE,
                    "",
                    "SHA-256 of criteria.json differs from criteria_sha256 in commitment.json",
                    "criteria.json의 SHA-256이 commitment.json의 criteria_sha256과 다릅니다",
                )
            )
        try:
            criteria = parse_criteria(data)
        except LotteryError as exc:
            findings += exc.problems
    if POOL_FILE in files:
        data = files[POOL_FILE]
        pool_hash = sha256_hex(data)
        if "pool_sha256" in committed and pool_hash != committed["pool_sha256"]:
            findings.append(
                _mismatch(
                    "pool_hash_mismatch",
                    POOL_FILE,
                    "",
                    "SHA-256 of pool.csv differs from pool_sha256 in commitment.json",
                    "pool.csv의 SHA-256이 commitment.json의 pool_sha256과 다릅니다",
                )
            )
        known = None if criteria is None else {s.name for s in criteria.strata}
        parsed, problems, pool_size = _parse_pool_columns(data, POOL_FILE, known)
        findings += _capped(problems, POOL_FILE, "pool_problems_total")
        if not problems:
            columns = parsed
        if "pool_size" in committed and pool_size != committed["pool_size"]:
            findings.append(
                _mismatch(
                    "pool_size_mismatch",
                    POOL_FILE,
                    "",
                    f"pool.csv has {pool_size} entries; pool_size in commitment.json is "
                    f"{committed['pool_size']}",
                    f"pool.csv의 항목은 {pool_size}개인데 commitment.json의 pool_size는 "
                    f"{committed['pool_size']}입니다",
                )
            )

    seed: bytes | None = None
    seed_hash: str | None = None
    if SEED_FILE in files:
        try:
            seed = seed_from_hex(files[SEED_FILE].decode("utf-8"))
        except (UnicodeDecodeError, LotteryError):
            findings.append(
                _problem(
                    "seed_invalid",
                    "seed.hex must hold 64 hexadecimal characters (32 bytes)",
                    "seed.hex에는 16진수 64자(32바이트)가 있어야 합니다",
                    SEED_FILE,
                )
            )
        else:
            seed_hash = sha256_hex(seed)
            if "seed_sha256" in committed and seed_hash != committed["seed_sha256"]:
                findings.append(
                    _mismatch(
                        "seed_hash_mismatch",
                        SEED_FILE,
                        "",
                        "SHA-256 of the seed differs from seed_sha256 in commitment.json",
                        "시드의 SHA-256이 commitment.json의 seed_sha256과 다릅니다",
                    )
                )

    for key, expected, actual in (
        ("pool_sha256", expect_pool_sha256, committed.get("pool_sha256", pool_hash)),
        ("seed_sha256", expect_seed_sha256, committed.get("seed_sha256", seed_hash)),
    ):
        if expected is not None and expected.strip().lower() != actual:
            findings.append(
                _mismatch(
                    f"published_{key}_mismatch",
                    COMMITMENT_FILE,
                    key,
                    f"{key} in the bundle ({actual}) differs from the published value "
                    f"({expected.strip()})",
                    f"묶음의 {key}({actual})가 공표된 값({expected.strip()})과 다릅니다",
                )
            )

    summary: tuple[StratumSummary, ...] = ()
    if columns is not None and criteria is not None and seed is not None:
        drawn = _draw_columns(*columns, criteria.strata, seed)
        summary = tuple(
            StratumSummary(s.name, s.places, len(ranked), min(s.places, len(ranked)))
            for s, ranked in drawn
        )
        result = files.get(RESULT_FILE)
        if result is not None and result != _drawn_bytes(drawn):
            wanted = _drawn_rows(drawn)
            findings += _capped(
                _compare_result(wanted, result, RESULT_FILE), RESULT_FILE, "result_rows_total"
            )
    elif RESULT_FILE in files:
        findings.append(
            _problem(
                "result_not_checked",
                "result.csv could not be checked: the draw cannot be recomputed until the "
                "problems above are fixed",
                "위 문제 때문에 추첨을 다시 계산할 수 없어 result.csv를 확인하지 못했습니다",
                RESULT_FILE,
            )
        )
    return VerifyReport(
        findings=tuple(findings),
        commitment=commitment,
        pool_size=pool_size,
        strata=summary,
    )
