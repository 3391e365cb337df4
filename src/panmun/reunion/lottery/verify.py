"""Verification: a draw redone from its bundle alone, and every difference as a finding."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from panmun.common.bundlefiles import Bundle as FileBundle
from panmun.common.bundlefiles import FindingList, open_bundle

from .bundle import Bundle, BundleSource, _missing
from .commitment import Commitment, _commitment_values
from .criteria import Criteria, _load_json, parse_criteria
from .drawing import _draw_columns, _drawn_bytes, _drawn_rows, _malformed_result_row
from .findings import Finding, LotteryError
from .pool import _Columns, _decode, _header_problem, _lines, _parse_pool_columns
from .scheme import (
    BUNDLE_FILES,
    COMMITMENT_FILE,
    CRITERIA_FILE,
    MAX_POOL_ENTRIES,
    MAX_POOL_LINE,
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


def _capped(
    findings: list[Finding], filename: str, code: str, unlisted: int = 0, stopped: bool = False
) -> list[Finding]:
    """The findings, of which at most MAX_ROW_FINDINGS about rows, then one with their total
    (`unlisted`: row findings counted but not kept; `stopped`: the check stopped there, so
    the total is a floor)."""
    rows = [
        f
        for f in findings
        if not f.code.endswith(_FILE_LEVEL)
        and (f.row is not None or f.code == "result_row_missing")
    ]
    total = len(rows) + unlisted
    if total <= MAX_ROW_FINDINGS:
        return list(findings)
    unlisted_ids = {id(f) for f in rows[MAX_ROW_FINDINGS:]}
    kept = [f for f in findings if id(f) not in unlisted_ids]
    if stopped:
        summary = Finding(
            code,
            ko=f"{filename}에서 문제가 있는 행이 {total:,}개 이상이어서 검증을 멈췄습니다. "
            f"처음 {MAX_ROW_FINDINGS}개만 적었습니다",
            en=f"at least {total:,} rows of {filename} have problems; checking stopped there and "
            f"the first {MAX_ROW_FINDINGS} are listed",
            file=filename,
        )
    else:
        summary = Finding(
            code,
            ko=(
                f"{filename}에서 문제가 있는 행은 모두 {total:,}개입니다. "
                f"처음 {MAX_ROW_FINDINGS}개만 적었습니다"
            ),
            en=(
                f"{total:,} rows of {filename} have problems; "
                f"the first {MAX_ROW_FINDINGS} are listed"
            ),
            file=filename,
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


class _FirstRows:
    """The findings of the rows that come first (by row, then kind), at most `keep` of them,
    and how many there were in all."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.items: dict[tuple[int, int], Finding] = {}
        self.bound: tuple[int, int] | None = None  # keys from here on cannot be among them
        self.count = 0

    def add(self, key: tuple[int, int], make: Callable[..., Finding], *args: Any) -> None:
        """Count a finding, and make it (`make(*args)`) if it may be among the first."""
        self.count += 1
        if self.bound is not None and key >= self.bound:
            return
        self.items[key] = make(*args)
        if len(self.items) >= 2 * self.keep:
            kept = sorted(self.items.items())[: self.keep]
            self.items = dict(kept)
            self.bound = kept[-1][0]

    def findings(self) -> list[Finding]:
        return [f for _, f in sorted(self.items.items())[: self.keep]]


def _compare_result(
    expected: list[tuple[str, str, int, bool]], data: bytes, filename: str
) -> tuple[list[Finding], int]:
    """The differences between result.csv (`data`) and the recomputed rows: the file's own
    problems and the first row findings in row order, and how many row findings there are
    beyond those (only counted, so a result of a million bad rows costs no memory)."""
    text, findings = _decode(data, filename, "result")
    lines = _lines(text)
    del text
    header = _header_problem(lines, RESULT_HEADER, filename, "result")
    if header:
        findings.append(header)
    position = {row[0]: i for i, row in enumerate(expected)}
    seen: dict[str, int] = {}
    first = _FirstRows(MAX_ROW_FINDINGS)
    flagged = bytearray(len(lines) + 2)  # rows with a finding of their own
    in_order: list[tuple[int, int]] = []  # (file row, expected position) of the rows present
    for row, line in enumerate(lines[1:], start=2):
        parts = line.split(",")
        if len(parts) != 4:
            flagged[row] = 1
            first.add((row, 0), _malformed_result_row, len(parts), filename, row)
            continue
        draw_id = parts[0]
        if draw_id in seen:
            flagged[row] = 1
            first.add((row, 0), _duplicate_row, draw_id, seen[draw_id], filename, row)
            continue
        seen[draw_id] = row
        at = position.get(draw_id)
        if at is None:
            flagged[row] = 1
            first.add((row, 0), _extra_row, draw_id, filename, row)
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
            flagged[row] = 1
            first.add((row, 0), _differs, draw_id, differ, filename, row)
        in_order.append((row, at))
    del lines
    keep = _longest_increasing([at for _, at in in_order])
    for index, (row, at) in enumerate(in_order):
        if index in keep:
            continue
        draw_id = expected[at][0]
        if flagged[row]:
            old = first.items.get((row, 0))
            if old is not None:
                first.items[(row, 0)] = replace(
                    old,
                    en=old.en + f"; and it belongs at row {at + 2}",
                    ko=old.ko + f". 또한 {at + 2}행에 있어야 합니다",
                )
            continue
        first.add((row, 0), _wrong_order, draw_id, at, filename, row)
    # A missing row where it belongs (so the first listed are the first found).
    for at, want in enumerate(expected):
        if want[0] not in seen:
            first.add((at + 2, 1), _missing_row, want, at, filename)
    rows = first.findings()
    findings += rows
    if not findings:
        findings.append(
            Finding(
                "result_differs",
                ko="파일이 다시 계산한 추첨 결과와 다릅니다",
                en="the file differs from the recomputed draw",
                file=filename,
            )
        )
    return findings, first.count - len(rows)


def _duplicate_row(draw_id: str, at: int, filename: str, row: int) -> Finding:
    return Finding(
        "result_duplicate_row",
        ko=f"draw_id {draw_id!r}가 이미 {at}행에 있습니다",
        en=f"draw_id {draw_id!r} already appears in row {at}",
        file=filename,
        row=row,
        field="draw_id",
    )


def _extra_row(draw_id: str, filename: str, row: int) -> Finding:
    return Finding(
        "result_extra_row",
        ko=f"draw_id {draw_id!r}는 pool.csv에 없습니다",
        en=f"draw_id {draw_id!r} is not in pool.csv",
        file=filename,
        row=row,
        field="draw_id",
    )


def _wrong_order(draw_id: str, at: int, filename: str, row: int) -> Finding:
    return Finding(
        "result_wrong_order",
        ko=f"draw_id {draw_id!r}의 위치가 틀렸습니다. {at + 2}행에 있어야 합니다",
        en=f"draw_id {draw_id!r} is out of order: it belongs at row {at + 2}",
        file=filename,
        row=row,
        field="draw_id",
    )


def _differs(draw_id: str, differ: list[tuple[str, str, str]], filename: str, row: int) -> Finding:
    return Finding(
        "result_row_differs",
        ko=f"draw_id {draw_id!r}: "
        + ", ".join(
            f"{n} 값이 {g!r}인데 다시 계산한 추첨 결과는 {e!r}입니다" for n, g, e in differ
        ),
        en=f"draw_id {draw_id!r}: "
        + ", ".join(f"{n} is {g!r}, the recomputed draw gives {e!r}" for n, g, e in differ),
        file=filename,
        row=row,
        field=",".join(n for n, _, _ in differ),
    )


def _missing_row(want: tuple[str, str, int, bool], at: int, filename: str) -> Finding:
    return Finding(
        "result_row_missing",
        ko=f"draw_id {want[0]!r}(층 {want[1]!r}, 순위 {want[2]})의 행이 없습니다. "
        f"{at + 2}행에 있어야 합니다",
        en=f"draw_id {want[0]!r} (stratum {want[1]!r}, rank {want[2]}) is missing; "
        f"it belongs at row {at + 2}",
        file=filename,
        row=None,
        field="draw_id",
    )


def _mismatch(code: str, file: str, fld: str, en: str, ko: str) -> Finding:
    return Finding(code, ko=ko, en=en, file=file, row=None, field=fld)


def verify_bundle(
    source: BundleSource,
    *,
    expect_pool_sha256: str | None = None,
    expect_seed_sha256: str | None = None,
) -> VerifyReport:
    """Redo a draw from its bundle alone (a folder, a .zip path, zip bytes or a Bundle).

    `expect_*` are the values announced before the draw, as a third party copied them. The
    bundle is read within bounds (issue 16): the small files whole, each within its limit;
    pool.csv and result.csv line by line, no more lines than commitment.json's pool_size
    allows and none longer than MAX_POOL_LINE, then kept for the draw (which needs every
    entry at once); at most MAX_LISTED findings are listed, the rest counted."""
    if isinstance(source, Bundle):
        opened = open_bundle(source.files(), BUNDLE_FILES)
    elif isinstance(source, bytes | bytearray | memoryview):
        opened = open_bundle(bytes(source), BUNDLE_FILES, not_found_code="bundle_unreadable")
    else:
        opened = open_bundle(Path(source), BUNDLE_FILES, not_found_code="bundle_unreadable")
    with opened:
        return _verify(opened, expect_pool_sha256, expect_seed_sha256)


def _pool_words(declared: int | None) -> tuple[str, str]:
    if declared is None:
        return "the verifier", "검증기가"
    return (
        "pool_size in commitment.json, with the header line,",
        "commitment.json의 pool_size와 머리글 줄이",
    )


def _rows_of(bundle: FileBundle, name: str, declared: int | None) -> bytes | None:
    """pool.csv or result.csv, read line by line within the pool's declared size."""
    en, ko = _pool_words(declared)
    lines = list(
        bundle.lines(
            name,
            max_line=MAX_POOL_LINE,
            allowed=(MAX_POOL_ENTRIES if declared is None else declared) + 1,
            what_en=en,
            what_ko=ko,
        )
    )
    if not bundle.has(name):
        return None
    end = b"\n" if lines and bundle.final_newline(name) else b""
    return b"\n".join(lines) + end


def _verify(
    bundle: FileBundle, expect_pool_sha256: str | None, expect_seed_sha256: str | None
) -> VerifyReport:
    if not bundle.opened:
        return VerifyReport(findings=tuple(bundle.problems))
    findings = FindingList()
    findings += bundle.problems
    findings += [
        _missing(name)
        for name in BUNDLE_FILES
        if not bundle.has(name) and name not in bundle.refused
    ]
    files: dict[str, bytes] = {}
    for name, limit in ((COMMITMENT_FILE, 2**16), (CRITERIA_FILE, 2**20), (SEED_FILE, 2**10)):
        data = bundle.read(name, limit, "bytes allowed", "허용되는")
        if data is not None:
            files[name] = data

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
    declared = committed.get("pool_size")
    if isinstance(declared, int) and declared > MAX_POOL_ENTRIES:
        findings.append(
            _mismatch(
                "pool_size_too_large",
                COMMITMENT_FILE,
                "pool_size",
                f"pool_size is {declared:,}; a bundle may hold at most {MAX_POOL_ENTRIES:,} "
                "entries",
                f"pool_size가 {declared:,}인데, 묶음에는 최대 {MAX_POOL_ENTRIES:,}명까지만 "
                "담을 수 있습니다",
            )
        )
        declared = None
    if not isinstance(declared, int):
        declared = None
    for name in (POOL_FILE, RESULT_FILE):
        rows = _rows_of(bundle, name, declared)
        if rows is not None:
            files[name] = rows
    findings += [p for p in bundle.problems if p not in findings]
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
        problems = FindingList(listed=MAX_ROW_FINDINGS + 8)
        parsed, _, pool_size = _parse_pool_columns(data, POOL_FILE, known, problems)
        del data
        findings += _capped(
            problems, POOL_FILE, "pool_problems_total", problems.unlisted, problems.full
        )
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
                Finding(
                    "seed_invalid",
                    ko="seed.hex에는 16진수 64자(32바이트)가 있어야 합니다",
                    en="seed.hex must hold 64 hexadecimal characters (32 bytes)",
                    file=SEED_FILE,
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
            compared, unlisted = _compare_result(wanted, result, RESULT_FILE)
            findings += _capped(compared, RESULT_FILE, "result_rows_total", unlisted)
    elif RESULT_FILE in files:
        findings.append(
            Finding(
                "result_not_checked",
                ko="위 문제 때문에 추첨을 다시 계산할 수 없어 result.csv를 확인하지 못했습니다",
                en="result.csv could not be checked: the draw cannot be recomputed until the "
                "problems above are fixed",
                file=RESULT_FILE,
            )
        )
    return VerifyReport(
        findings=tuple(findings.findings()),
        commitment=commitment,
        pool_size=pool_size,
        strata=summary,
    )
