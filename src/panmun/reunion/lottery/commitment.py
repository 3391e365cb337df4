"""commitment.json: what fixes a draw before it happens, and committing to a pool and criteria."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .criteria import Criteria, _load_json, criteria_json
from .findings import Finding, LotteryError
from .pool import PoolEntry, _Columns, _pool_bytes, _sorted_columns
from .scheme import _HEX64, ALGORITHM, COMMITMENT_FILE, MAX_POOL_ENTRIES, POOL_FILE
from .seeds import _check_seed, _json_bytes, _parse_rfc3339, _utc_seconds, rfc3339, sha256_hex


@dataclass(frozen=True)
class Commitment:
    """commitment.json: what fixes a draw before it happens (drawn_at is set by the draw)."""

    round: str
    pool_sha256: str
    pool_size: int
    criteria_sha256: str
    seed_sha256: str
    committed_at: datetime
    drawn_at: datetime | None = None
    algorithm: str = ALGORITHM

    def to_json(self) -> bytes:
        document = {
            "algorithm": self.algorithm,
            "round": self.round,
            "pool_sha256": self.pool_sha256,
            "pool_size": self.pool_size,
            "criteria_sha256": self.criteria_sha256,
            "seed_sha256": self.seed_sha256,
            "committed_at": rfc3339(self.committed_at),
            "drawn_at": None if self.drawn_at is None else rfc3339(self.drawn_at),
        }
        return _json_bytes(document)


def _commitment_values(document: Any, filename: str) -> tuple[dict[str, Any], list[Finding]]:
    """The valid fields of a commitment document, and a problem for each invalid one."""
    values: dict[str, Any] = {}
    problems: list[Finding] = []
    if not isinstance(document, dict):
        problems.append(
            Finding(
                "commitment_invalid",
                ko="파일은 JSON 객체여야 합니다",
                en="the file must hold a JSON object",
                file=filename,
            )
        )
        return values, problems

    def bad(fld: str, *, ko: str, en: str, code: str = "commitment_invalid") -> None:
        problems.append(Finding(code, ko=ko, en=en, file=filename, row=None, field=fld))

    algorithm = document.get("algorithm")
    if algorithm != ALGORITHM:
        bad(
            "algorithm",
            ko=f"algorithm은 {ALGORITHM!r}이어야 하는데 {algorithm!r}입니다",
            en=f"algorithm must be {ALGORITHM!r}, not {algorithm!r}",
            code="commitment_unknown_algorithm",
        )
    else:
        values["algorithm"] = algorithm
    label = document.get("round")
    if isinstance(label, str):
        values["round"] = label
    else:
        bad(
            "round",
            ko="round는 문자열이어야 합니다",
            en="round must be a string",
        )
    for key in ("pool_sha256", "criteria_sha256", "seed_sha256"):
        value = document.get(key)
        if isinstance(value, str) and _HEX64.fullmatch(value):
            values[key] = value
        else:
            bad(
                key,
                ko=f"{key}는 소문자 16진수 64자여야 합니다",
                en=f"{key} must be 64 lowercase hexadecimal characters",
            )
    size = document.get("pool_size")
    if isinstance(size, int) and not isinstance(size, bool) and size >= 0:
        values["pool_size"] = size
    else:
        bad(
            "pool_size",
            ko="pool_size는 0 이상의 정수여야 합니다",
            en="pool_size must be a whole number 0 or above",
        )
    for key in ("committed_at", "drawn_at"):
        value = document.get(key)
        if key == "drawn_at" and value is None:
            values[key] = None
            continue
        moment = _parse_rfc3339(value) if isinstance(value, str) else None
        if moment is None:
            bad(
                key,
                ko=f"{key}는 2026-11-23T09:00:00Z 같은 UTC 시각이어야 합니다"
                + ("(또는 null)" if key == "drawn_at" else ""),
                en=f"{key} must be a UTC time like 2026-11-23T09:00:00Z"
                + (" or null" if key == "drawn_at" else ""),
            )
        else:
            values[key] = moment
    return values, problems


def parse_commitment(data: bytes, filename: str = COMMITMENT_FILE) -> Commitment:
    """The commitment in a commitment.json; LotteryError with every problem if invalid."""
    document, problems = _load_json(data, filename, "commitment")
    if document is None:
        raise LotteryError(problems)
    values, more = _commitment_values(document, filename)
    problems += more
    if problems:
        raise LotteryError(problems)
    return Commitment(**values)


def _committed(
    entries: Iterable[PoolEntry],
    criteria: Criteria,
    seed: bytes,
    round_label: str,
    committed_at: datetime,
) -> tuple[_Columns, bytes, bytes, Commitment]:
    _check_seed(seed)
    columns = _sorted_columns(entries, {s.name for s in criteria.strata})
    if len(columns[0]) > MAX_POOL_ENTRIES:
        # A verifier refuses a larger pool (a bound on what the other side may send), so a draw
        # over one could never be checked: refuse it before anything is committed.
        raise LotteryError(
            [
                Finding(
                    "pool_too_large",
                    ko=f"추첨 대상이 {len(columns[0]):,}명입니다. 검증할 수 있는 추첨 대상은 "
                    f"최대 {MAX_POOL_ENTRIES:,}명입니다",
                    en=f"the pool has {len(columns[0]):,} entries; a draw takes at most "
                    f"{MAX_POOL_ENTRIES:,}, the most a verifier accepts",
                    file=POOL_FILE,
                )
            ]
        )
    pool = _pool_bytes(columns)
    criteria_bytes = criteria_json(criteria)
    commitment = Commitment(
        round=round_label,
        pool_sha256=sha256_hex(pool),
        pool_size=len(columns[0]),
        criteria_sha256=sha256_hex(criteria_bytes),
        seed_sha256=sha256_hex(seed),
        committed_at=_utc_seconds(committed_at),
    )
    return columns, pool, criteria_bytes, commitment


def commit(
    entries: Iterable[PoolEntry],
    criteria: Criteria,
    seed: bytes,
    *,
    round_label: str,
    committed_at: datetime,
) -> tuple[bytes, bytes, Commitment]:
    """Freeze a draw: (pool.csv, criteria.json, the commitment with drawn_at None).

    committed_at must be timezone-aware; it is kept to the second, in UTC."""
    _, pool, criteria_bytes, commitment = _committed(
        entries, criteria, seed, round_label, committed_at
    )
    return pool, criteria_bytes, commitment
