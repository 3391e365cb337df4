"""The verifiable selection lottery for reunions (상봉 대상자 추첨), scheme `panmun-draw-1`.

Anyone holding a draw's bundle can redo the draw and check it, with nothing but this text and
a SHA-256/HMAC library. Pure Python: no Django, no database.

**The pool (추첨 명단).** Every eligible applicant gets an opaque `draw_id` (no personal data), a
stratum (층, e.g. "90+") and a weight. `pool.csv` is UTF-8 with `\\n` line ends (also after the
last line): the header `draw_id,stratum,weight`, then one line `draw_id,stratum,weight` per entry,
sorted by draw_id in code-point order (which is also UTF-8 byte order), each draw_id once, the
weight written as Python's `repr(float)` (`1.0`, `36.0`, `0.5`, `1e-05`), finite and above zero.
No quoting: draw_id and stratum hold no comma, double quote, CR or LF, and a draw_id has no
whitespace at either end. The file has exactly one accepted spelling, so its SHA-256
(`pool_sha256`) names the pool.

**The criteria (추첨 기준).** `criteria.json` is `{"strata": [{"name": ..., "places": N}, ...]}`:
stratum names unique and non-empty, places a non-negative integer. Other keys anywhere are kept
and ignored by the draw. Every stratum of the pool must be named; a stratum may be empty; places
above a stratum's size select all of it. Panmun writes it as UTF-8 JSON (indent 2, keys in their
order, non-ASCII unescaped) with a final newline; its SHA-256 is `criteria_sha256`.

**The seed (시드).** 32 secret bytes: random (`secrets.token_bytes(32)`), 64 hex characters, or
SHA-256 of a public text (e.g. a broadcast number drawing) after Unicode NFC normalisation and
stripping of surrounding whitespace, in UTF-8. `seed_sha256` is SHA-256 of the 32 raw bytes.
Before the draw the organisers publish `commitment.json` (or at least `pool_sha256` and
`seed_sha256`): the pool and the seed are then fixed, and nobody can steer the outcome.

**The draw (추첨).** For each entry, `h = HMAC-SHA256(key=seed, message=UTF-8 bytes of
draw_id)`, `u = (h read as a big-endian unsigned integer + 1) / 2**256` (one correctly rounded
division, as Python's `int / int`; 0 < u <= 1; the same as rounding the integer to the nearest
double and multiplying by 2**-256), and `key = ln(u) / weight` in IEEE double. Within each stratum
the entries are ranked by key, highest first (equal keys: smaller draw_id first), from rank 1; the
first `places` ranks are selected and the others are reserves (예비 순위) in rank order. This is
Efraimidis-Spirakis weighted sampling without replacement: an entry of weight 6 is six times as
likely as one of weight 1 to come first.

**The result and the bundle (증빙 묶음).** `result.csv` has the header
`draw_id,stratum,rank,selected` and one line per pool entry (`selected` is `1` or `0`), strata in
the criteria's order, then by rank; `\\n` line ends. A bundle is a folder or a zip (members at its
root) holding `pool.csv`, `criteria.json`, `commitment.json`, `seed.hex` (64 lowercase hex
characters and `\\n`), `result.csv` and `README.txt`. `verify_bundle` recomputes everything from
the bundle alone and lists every difference as a `Finding` with a stable code, the file, the row
(the line number in the file, the header being row 1; for criteria.json, the stratum's position
in `strata`) and the field, in English and Korean; `panmun reunion verify-draw BUNDLE` prints
them. Given the values announced before the draw (`expect_pool_sha256`, `expect_seed_sha256`)
it also catches a bundle redone from scratch with another seed.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import itertools
import json
import math
import operator
import os
import re
import secrets
import unicodedata
import zipfile
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from operator import attrgetter
from pathlib import Path
from typing import IO, Any, TypeAlias, cast

ALGORITHM = "panmun-draw-1 (HMAC-SHA256, Efraimidis-Spirakis)"

POOL_FILE = "pool.csv"
CRITERIA_FILE = "criteria.json"
COMMITMENT_FILE = "commitment.json"
SEED_FILE = "seed.hex"
RESULT_FILE = "result.csv"
README_FILE = "README.txt"
BUNDLE_FILES: tuple[str, ...] = (POOL_FILE, CRITERIA_FILE, COMMITMENT_FILE, SEED_FILE, RESULT_FILE)

POOL_HEADER = "draw_id,stratum,weight"
RESULT_HEADER = "draw_id,stratum,rank,selected"

#: Row findings listed per file in a verification report; beyond, one finding gives the total.
MAX_ROW_FINDINGS = 50
#: Largest bundle member read from a zip (a bundle of millions of entries stays far below).
MAX_MEMBER_BYTES = 512 * 2**20
#: Members of a zip get this fixed time, so the same bundle always gives the same bytes.
ZIP_DATE_TIME = (2000, 1, 1, 0, 0, 0)
#: Deflate level of a zip: 1 is four times as fast as 6 for a bundle only a tenth larger.
ZIP_COMPRESSLEVEL = 1

_TWO_256 = 2**256
_FORBIDDEN = re.compile(r'[,"\r\n]')
_HEX64 = re.compile(r"[0-9a-f]{64}")
_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z")


# --- findings and errors ---------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One problem: a stable `code`, messages in both languages, and where it is."""

    code: str
    message_en: str
    message_ko: str
    file: str = ""
    row: int | None = None
    field: str = ""

    def where(self) -> str:
        """`file row N field`, the parts that are known."""
        parts = [self.file] if self.file else []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(self.field)
        return " ".join(parts)

    def line(self) -> str:
        """One line for a terminal: where, then the English and the Korean message."""
        where = self.where()
        return f"{where + ': ' if where else ''}{self.message_en} / {self.message_ko}"


#: A problem of a user's file, as `LotteryError` carries it: the same shape as a finding.
Problem: TypeAlias = Finding


class LotteryError(ValueError):
    """Input refused (a pool, criteria or seed given by a user): every problem found."""

    def __init__(self, problems: Iterable[Finding]) -> None:
        self.problems: tuple[Finding, ...] = tuple(problems)
        shown = "; ".join(p.line() for p in self.problems[:5])
        more = len(self.problems) - 5
        super().__init__(shown + (f"; and {more} more" if more > 0 else ""))


def _problem(
    code: str, en: str, ko: str, file: str, row: int | None = None, fld: str = ""
) -> Finding:
    return Finding(code=code, message_en=en, message_ko=ko, file=file, row=row, field=fld)


# --- data ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PoolEntry:
    """One eligible applicant, known to the draw by an opaque id only."""

    draw_id: str
    stratum: str
    weight: float


@dataclass(frozen=True)
class Stratum:
    """A stratum of the pool (층) and how many of it are selected."""

    name: str
    places: int


@dataclass(frozen=True)
class Criteria:
    """The strata in order, and the whole criteria document (its other keys are kept)."""

    strata: tuple[Stratum, ...]
    document: dict[str, Any]

    @classmethod
    def of(cls, strata: Iterable[Stratum | tuple[str, int]], **extra: Any) -> Criteria:
        """Criteria from strata (or `(name, places)` pairs) and extra top-level keys."""
        items = [s if isinstance(s, Stratum) else Stratum(*s) for s in strata]
        document: dict[str, Any] = {
            "strata": [{"name": s.name, "places": s.places} for s in items],
            **extra,
        }
        parsed, problems = _strata_of(document, CRITERIA_FILE)
        if problems:
            raise LotteryError(problems)
        return cls(strata=parsed, document=document)


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One line of result.csv: an entry's rank in its stratum, and whether it is selected."""

    draw_id: str
    stratum: str
    rank: int
    selected: bool


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


# --- seeds and hashes ------------------------------------------------------------------------


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def new_seed() -> bytes:
    """A fresh secret seed of 32 random bytes."""
    return secrets.token_bytes(32)


def seed_from_hex(text: str, *, filename: str = SEED_FILE) -> bytes:
    """The seed written as 64 hex characters (either case; whitespace around is ignored)."""
    value = text.strip().lower()
    if not _HEX64.fullmatch(value):
        raise LotteryError(
            [
                _problem(
                    "seed_invalid",
                    f"the seed must be 64 hexadecimal characters (32 bytes); found "
                    f"{len(value)} character(s)",
                    f"시드는 16진수 64자(32바이트)여야 합니다. 지금은 {len(value)}자입니다",
                    filename,
                )
            ]
        )
    return bytes.fromhex(value)


def seed_from_public_text(text: str) -> bytes:
    """The seed derived from a public text: SHA-256 of its NFC form, stripped, in UTF-8."""
    normal = unicodedata.normalize("NFC", text).strip()
    if not normal:
        raise LotteryError(
            [
                _problem(
                    "seed_text_empty",
                    "the public text for the seed is empty",
                    "시드를 만들 공개 문구가 비어 있습니다",
                    "seed",
                )
            ]
        )
    return hashlib.sha256(normal.encode("utf-8")).digest()


def _check_seed(seed: bytes) -> None:
    if not isinstance(seed, bytes) or len(seed) != 32:
        raise LotteryError(
            [
                _problem(
                    "seed_invalid",
                    "the seed must be exactly 32 bytes",
                    "시드는 정확히 32바이트여야 합니다",
                    "seed",
                )
            ]
        )


def rfc3339(moment: datetime) -> str:
    """`2026-11-23T09:00:00Z`: a timezone-aware moment in UTC (fraction only when present)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required")
    utc = moment.astimezone(UTC)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}".rstrip("0")
    return text + "Z"


def _utc_seconds(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required")
    return moment.astimezone(UTC).replace(microsecond=0)


def _parse_rfc3339(value: str) -> datetime | None:
    match = _RFC3339.fullmatch(value)
    if match is None:
        return None
    y, mo, d, h, mi, s, frac = match.groups()
    try:
        return datetime(
            int(y),
            int(mo),
            int(d),
            int(h),
            int(mi),
            int(s),
            int((frac or "0").ljust(6, "0")),
            tzinfo=UTC,
        )
    except ValueError:
        return None


def _json_bytes(document: Any) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode()


# --- pool.csv --------------------------------------------------------------------------------


def _id_problem(draw_id: str) -> tuple[str, str] | None:
    if not draw_id:
        return "draw_id is empty", "draw_id가 비어 있습니다"
    if _FORBIDDEN.search(draw_id):
        return (
            f"draw_id {draw_id!r} contains a comma, double quote, CR or LF",
            f"draw_id {draw_id!r}에 쉼표, 큰따옴표, CR 또는 LF가 들어 있습니다",
        )
    if draw_id != draw_id.strip():
        return (
            f"draw_id {draw_id!r} has whitespace at its start or end",
            f"draw_id {draw_id!r}의 앞이나 뒤에 공백이 있습니다",
        )
    return None


def _stratum_problem(stratum: str) -> tuple[str, str] | None:
    if not stratum:
        return "stratum is empty", "층(stratum)이 비어 있습니다"
    if _FORBIDDEN.search(stratum):
        return (
            f"stratum {stratum!r} contains a comma, double quote, CR or LF",
            f"층 {stratum!r}에 쉼표, 큰따옴표, CR 또는 LF가 들어 있습니다",
        )
    return None


def _weight_problem(weight: float) -> tuple[str, str] | None:
    if not math.isfinite(weight) or weight <= 0:
        return (
            f"weight {weight!r} must be a finite number above zero",
            f"가중치 {weight!r}는 0보다 큰 유한한 수여야 합니다",
        )
    return None


def _entry_problems(ordered: Sequence[PoolEntry], known: set[str] | None) -> list[Finding]:
    """Problems of entries sorted by draw_id; rows are those of the pool.csv they would make."""
    problems: list[Finding] = []
    weights: dict[float, tuple[str, str] | None] = {}
    good_strata: set[str] = set()
    previous: str | None = None
    for index, entry in enumerate(ordered):
        row = index + 2
        draw_id, stratum, weight = entry.draw_id, entry.stratum, entry.weight
        found = _id_problem(draw_id)
        if found:
            problems.append(_problem("pool_bad_draw_id", *found, POOL_FILE, row, "draw_id"))
        elif draw_id == previous:
            problems.append(
                _problem(
                    "pool_duplicate_draw_id",
                    f"draw_id {draw_id!r} appears more than once",
                    f"draw_id {draw_id!r}가 두 번 이상 나옵니다",
                    POOL_FILE,
                    row,
                    "draw_id",
                )
            )
        previous = draw_id
        if stratum not in good_strata:
            found = _stratum_problem(stratum)
            if found:
                problems.append(_problem("pool_bad_stratum", *found, POOL_FILE, row, "stratum"))
            elif known is not None and stratum not in known:
                problems.append(_unknown_stratum(stratum, POOL_FILE, row))
            else:
                good_strata.add(stratum)
        if weight in weights:
            found = weights[weight]
        else:
            found = weights[weight] = _weight_problem(float(weight))
        if found:
            problems.append(_problem("pool_weight_invalid", *found, POOL_FILE, row, "weight"))
    return problems


def _unknown_stratum(stratum: str, filename: str, row: int) -> Finding:
    return _problem(
        "pool_unknown_stratum",
        f"stratum {stratum!r} is not named in criteria.json",
        f"층 {stratum!r}이(가) criteria.json에 없습니다",
        filename,
        row,
        "stratum",
    )


_Columns: TypeAlias = tuple[list[str], list[str], list[float]]


def _ids_valid(ids: list[str], joined: str) -> bool:
    """Whether every draw_id is canonical: `joined` is "\\n".join(ids)."""
    return (
        "" not in ids
        and joined.count("\n") == max(len(ids) - 1, 0)
        and not any(c in joined for c in ',"\r')
        and list(map(str.strip, ids)) == ids
    )


def _ascending(ids: list[str]) -> bool:
    """Whether the ids are strictly ascending (so sorted and each once)."""
    return all(map(operator.lt, ids, itertools.islice(ids, 1, None)))


def _strata_valid(strata: list[str], known: set[str] | None) -> bool:
    return all(_stratum_problem(s) is None and (known is None or s in known) for s in set(strata))


def _sorted_columns(entries: Iterable[PoolEntry], known: set[str] | None) -> _Columns:
    """The entries' columns sorted by draw_id; LotteryError with every problem if invalid.

    The usual case, a valid pool, is checked in bulk; the row by row check that names every
    problem runs only when the bulk check fails."""
    ordered = sorted(entries, key=attrgetter("draw_id"))
    ids = list(map(attrgetter("draw_id"), ordered))
    strata = list(map(attrgetter("stratum"), ordered))
    weights = list(map(attrgetter("weight"), ordered))
    if (
        _ids_valid(ids, "\n".join(ids))
        and _ascending(ids)
        and _strata_valid(strata, known)
        and all(_weight_problem(w) is None for w in set(weights))
    ):
        return ids, strata, weights
    problems = _entry_problems(ordered, known)
    if problems:
        raise LotteryError(problems)
    return ids, strata, weights


def _pool_bytes(columns: _Columns) -> bytes:
    ids, strata, weights = columns
    reprs = {w: repr(float(w)) for w in set(weights)}
    body = "\n".join(map(",".join, zip(ids, strata, map(reprs.__getitem__, weights), strict=True)))
    return f"{POOL_HEADER}\n{body}{chr(10) if ids else ''}".encode()


def pool_csv(entries: Iterable[PoolEntry]) -> bytes:
    """The canonical pool.csv of `entries` (sorted here); LotteryError if any is invalid."""
    return _pool_bytes(_sorted_columns(entries, None))


def _decode(data: bytes, filename: str, prefix: str) -> tuple[str, list[Finding]]:
    """UTF-8 text with `\\n` line ends, and the findings of a file that is otherwise."""
    problems: list[Finding] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        problems.append(
            _problem(
                f"{prefix}_not_utf8",
                f"the file is not valid UTF-8 (byte {exc.start + 1})",
                f"파일이 올바른 UTF-8이 아닙니다({exc.start + 1}번째 바이트)",
                filename,
                row,
            )
        )
        text = data.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        problems.append(
            _problem(
                f"{prefix}_bom",
                "the file starts with a byte order mark (BOM), which is not allowed",
                "파일이 BOM(바이트 순서 표시)으로 시작합니다. BOM은 허용되지 않습니다",
                filename,
                1,
            )
        )
        text = text[1:]
    if "\r" in text:
        problems.append(
            _problem(
                f"{prefix}_crlf",
                "lines must end with LF (\\n) only, not CR LF or CR",
                "줄 끝은 LF(\\n)만 써야 합니다. CR LF나 CR은 허용되지 않습니다",
                filename,
                text.count("\n", 0, text.index("\r")) + 1,
            )
        )
        text = text.replace("\r\n", "\n")
    if text and not text.endswith("\n"):
        problems.append(
            _problem(
                f"{prefix}_no_final_newline",
                "the last line does not end with a newline",
                "마지막 줄이 줄바꿈으로 끝나지 않습니다",
                filename,
                text.count("\n") + 1,
            )
        )
    return text, problems


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _header_problem(lines: list[str], expected: str, filename: str, prefix: str) -> Finding | None:
    if lines and lines[0] == expected:
        return None
    found = lines[0] if lines else ""
    return _problem(
        f"{prefix}_bad_header",
        f"the first line must be {expected!r}; found {found!r}",
        f"첫 줄은 {expected!r}이어야 하는데 {found!r}입니다",
        filename,
        1,
    )


def _fast_pool_columns(data: bytes, known: set[str] | None) -> _Columns | None:
    """The columns of a pool.csv in canonical form, checked in bulk; None if it is not."""
    head = POOL_HEADER.encode() + b"\n"
    if not data.startswith(head):
        return None
    try:
        body = data[len(head) :].decode("utf-8")
    except UnicodeDecodeError:
        return None
    if '"' in body or "\r" in body or (body and not body.endswith("\n")):
        return None
    lines = body.split("\n")
    lines.pop()  # after the final newline
    commas = itertools.repeat(",")
    if any(map(operator.ne, map(str.count, lines, commas), itertools.repeat(2))):
        return None
    cells = body.replace("\n", ",").split(",")
    cells.pop()
    ids, strata, texts = cells[0::3], cells[1::3], cells[2::3]
    if not (_ids_valid(ids, "\n".join(ids)) and _ascending(ids) and _strata_valid(strata, known)):
        return None
    values = {t: _weight_of(t) for t in set(texts)}
    if any(isinstance(v, tuple) for v in values.values()):
        return None
    weight_of = cast(dict[str, float], values)
    return ids, strata, list(map(weight_of.__getitem__, texts))


def _parse_pool_columns(
    data: bytes, filename: str, known: set[str] | None = None
) -> tuple[_Columns, list[Finding], int]:
    """(draw_ids, strata, weights), the problems, and the number of data rows."""
    fast = _fast_pool_columns(data, known)
    if fast is not None:
        return fast, [], len(fast[0])
    text, problems = _decode(data, filename, "pool")
    lines = _lines(text)
    header = _header_problem(lines, POOL_HEADER, filename, "pool")
    if header:
        problems.append(header)
    ids: list[str] = []
    strata: list[str] = []
    weights: list[float] = []
    weight_of: dict[str, float | tuple[str, str, str]] = {}
    stratum_ok: dict[str, tuple[str, str, str] | None] = {}
    first_row: dict[str, int] = {}
    previous = ""
    for row, line in enumerate(lines[1:], start=2):
        parts = line.split(",")
        if len(parts) != 3:
            problems.append(
                _problem(
                    "pool_bad_row",
                    f"expected 3 fields (draw_id,stratum,weight), found {len(parts)}"
                    + ("; quoting is not allowed" if '"' in line else ""),
                    f"칸이 3개(draw_id,stratum,weight)여야 하는데 {len(parts)}개입니다"
                    + ("; 따옴표는 쓸 수 없습니다" if '"' in line else ""),
                    filename,
                    row,
                )
            )
            continue
        draw_id, stratum, weight_text = parts
        found = _id_problem(draw_id)
        if found:
            problems.append(_problem("pool_bad_draw_id", *found, filename, row, "draw_id"))
        elif draw_id in first_row:
            problems.append(
                _problem(
                    "pool_duplicate_draw_id",
                    f"draw_id {draw_id!r} already appears in row {first_row[draw_id]}",
                    f"draw_id {draw_id!r}가 이미 {first_row[draw_id]}행에 있습니다",
                    filename,
                    row,
                    "draw_id",
                )
            )
        else:
            first_row[draw_id] = row
            if draw_id < previous:
                problems.append(
                    _problem(
                        "pool_unsorted",
                        f"draw_id {draw_id!r} comes before {previous!r} of the row above; "
                        "rows must be sorted by draw_id",
                        f"draw_id {draw_id!r}가 윗줄의 {previous!r}보다 앞서야 합니다. "
                        "행은 draw_id 순으로 정렬되어야 합니다",
                        filename,
                        row,
                        "draw_id",
                    )
                )
            previous = draw_id
        if stratum in stratum_ok:
            bad = stratum_ok[stratum]
        else:
            sp = _stratum_problem(stratum)
            if sp:
                bad = ("pool_bad_stratum", *sp)
            elif known is not None and stratum not in known:
                u = _unknown_stratum(stratum, filename, row)
                bad = (u.code, u.message_en, u.message_ko)
            else:
                bad = None
            stratum_ok[stratum] = bad
        if bad:
            problems.append(_problem(*bad, filename, row, "stratum"))
        weight = weight_of.get(weight_text)
        if weight is None:
            weight = weight_of[weight_text] = _weight_of(weight_text)
        if isinstance(weight, tuple):
            problems.append(_problem(*weight, filename, row, "weight"))
            weight = math.nan
        ids.append(draw_id)
        strata.append(stratum)
        weights.append(weight)
    return (ids, strata, weights), problems, max(0, len(lines) - 1)


def _weight_of(text: str) -> float | tuple[str, str, str]:
    """The weight written as `text`, or (code, en, ko) of why it is refused."""
    try:
        value = float(text)
    except ValueError:
        return (
            "pool_weight_not_number",
            f"weight {text!r} is not a number",
            f"가중치 {text!r}는 수가 아닙니다",
        )
    found = _weight_problem(value)
    if found:
        return ("pool_weight_invalid", *found)
    if repr(value) != text:
        return (
            "pool_weight_not_canonical",
            f"weight {text!r} must be written as {value!r} (Python's repr of the float)",
            f"가중치 {text!r}는 {value!r}로 써야 합니다(파이썬 float의 repr 형식)",
        )
    return value


def parse_pool(data: bytes, filename: str = POOL_FILE) -> list[PoolEntry]:
    """The entries of a pool.csv in canonical form; LotteryError with every problem if not.

    For every accepted `data`, `pool_csv(parse_pool(data)) == data`.
    """
    (ids, strata, weights), problems, _ = _parse_pool_columns(data, filename)
    if problems:
        raise LotteryError(problems)
    return list(itertools.starmap(PoolEntry, zip(ids, strata, weights, strict=True)))


# --- criteria.json ---------------------------------------------------------------------------


def _strata_of(document: Any, filename: str) -> tuple[tuple[Stratum, ...], list[Finding]]:
    problems: list[Finding] = []

    def bad(row: int | None, fld: str, en: str, ko: str, code: str = "criteria_invalid") -> None:
        problems.append(_problem(code, en, ko, filename, row, fld))

    if not isinstance(document, dict):
        bad(None, "", "the file must hold a JSON object", "파일은 JSON 객체여야 합니다")
        return (), problems
    items = document.get("strata")
    if not isinstance(items, list):
        what = "is missing" if items is None else "must be a list"
        what_ko = "없습니다" if items is None else "목록(list)이어야 합니다"
        bad(None, "strata", f'"strata" {what}', f'"strata"가 {what_ko}')
        return (), problems
    strata: list[Stratum] = []
    seen: dict[str, int] = {}
    for row, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            bad(
                row,
                "strata",
                f"stratum {row} must be a JSON object",
                f"{row}번째 층은 JSON 객체여야 합니다",
            )
            continue
        name = item.get("name")
        if not isinstance(name, str) or not name:
            bad(
                row,
                "name",
                f"stratum {row}: name must be a non-empty string",
                f"{row}번째 층: name은 비어 있지 않은 문자열이어야 합니다",
            )
            name = None
        elif _FORBIDDEN.search(name):
            bad(
                row,
                "name",
                f"stratum {row}: name {name!r} contains a comma, double quote, CR or LF",
                f"{row}번째 층: 이름 {name!r}에 쉼표, 큰따옴표, CR 또는 LF가 들어 있습니다",
            )
            name = None
        elif name in seen:
            bad(
                row,
                "name",
                f"stratum {row}: name {name!r} is already used by stratum {seen[name]}",
                f"{row}번째 층: 이름 {name!r}은(는) 이미 {seen[name]}번째 층에서 쓰였습니다",
                "criteria_duplicate_name",
            )
            name = None
        else:
            seen[name] = row
        places = item.get("places")
        label = f"{name!r}" if name else str(row)
        if "places" not in item:
            bad(
                row,
                "places",
                f"stratum {label}: places is missing",
                f"층 {label}: places가 없습니다",
            )
            places = None
        elif isinstance(places, bool) or not isinstance(places, int) or places < 0:
            bad(
                row,
                "places",
                f"stratum {label}: places must be a whole number 0 or above, not "
                f"{json.dumps(places, ensure_ascii=False)}",
                f"층 {label}: places는 0 이상의 정수여야 합니다"
                f"({json.dumps(places, ensure_ascii=False)}은(는) 안 됩니다)",
            )
            places = None
        if name is not None and isinstance(places, int):
            strata.append(Stratum(name, places))
    return tuple(strata), problems


def _load_json(data: bytes, filename: str, prefix: str) -> tuple[Any, list[Finding]]:
    """The JSON document in `data` (None if unreadable) and the problems met."""
    problems: list[Finding] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        problems.append(
            _problem(
                f"{prefix}_not_utf8",
                f"the file is not valid UTF-8 (byte {exc.start + 1})",
                f"파일이 올바른 UTF-8이 아닙니다({exc.start + 1}번째 바이트)",
                filename,
                row,
            )
        )
        return None, problems
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                duplicates.append(key)
            result[key] = value
        return result

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not allowed in JSON")

    def number(text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(f"the number {text} is too large")
        return value

    try:
        document = json.loads(
            text, object_pairs_hook=pairs, parse_constant=constant, parse_float=number
        )
    except json.JSONDecodeError as exc:
        problems.append(
            _problem(
                f"{prefix}_bad_json",
                f"the file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                f"파일이 올바른 JSON이 아닙니다: {exc.msg}({exc.lineno}행 {exc.colno}열)",
                filename,
            )
        )
        return None, problems
    except (ValueError, RecursionError) as exc:
        problems.append(
            _problem(
                f"{prefix}_bad_json",
                f"the file is not valid JSON: {exc}",
                f"파일이 올바른 JSON이 아닙니다: {exc}",
                filename,
            )
        )
        return None, problems
    for key in dict.fromkeys(duplicates):
        problems.append(
            _problem(
                f"{prefix}_duplicate_key",
                f"the key {key!r} appears twice in one object",
                f"한 객체 안에 키 {key!r}가 두 번 나옵니다",
                filename,
                None,
                key,
            )
        )
    return document, problems


def parse_criteria(data: bytes, filename: str = CRITERIA_FILE) -> Criteria:
    """The criteria in a criteria.json; LotteryError with every problem if invalid."""
    document, problems = _load_json(data, filename, "criteria")
    if document is None:
        raise LotteryError(problems)
    strata, more = _strata_of(document, filename)
    problems += more
    if problems:
        raise LotteryError(problems)
    return Criteria(strata=strata, document=document)


def criteria_json(criteria: Criteria) -> bytes:
    """criteria.json: the criteria's document as UTF-8 JSON, indent 2, with a final newline."""
    data = _json_bytes(criteria.document)
    if parse_criteria(data).strata != criteria.strata:
        raise ValueError("Criteria.strata and Criteria.document disagree; use Criteria.of")
    return data


# --- the draw --------------------------------------------------------------------------------


def draw_key(seed: bytes, draw_id: str, weight: float) -> float:
    """The entry's key: ln(u) / weight, u = (HMAC-SHA256(seed, draw_id) + 1) / 2**256."""
    digest = hmac.digest(seed, draw_id.encode("utf-8"), "sha256")
    return math.log((int.from_bytes(digest, "big") + 1) / _TWO_256) / weight


def rank_stratum(keys: list[tuple[str, float]], places: int) -> list[tuple[str, int, bool]]:
    """(draw_id, rank, selected) in rank order: key descending, then draw_id ascending."""
    ordered = sorted((-key, draw_id) for draw_id, key in keys)
    return [(d, rank, rank <= places) for rank, (_, d) in enumerate(ordered, start=1)]


_Drawn: TypeAlias = list[tuple[Stratum, list[str]]]  # each stratum's draw_ids in rank order


def _hmac_sha256(seed: bytes) -> Callable[[bytes], bytes]:
    """HMAC-SHA256 under `seed`: the standard library's one-shot `hmac.digest` (OpenSSL)."""

    def mac(message: bytes) -> bytes:
        return hmac.digest(seed, message, "sha256")

    return mac


def _draw_columns(
    ids: list[str],
    strata: list[str],
    weights: list[float],
    order: tuple[Stratum, ...],
    seed: bytes,
) -> _Drawn:
    """Each stratum of `order` with its draw_ids in rank order.

    `ids` must be strictly ascending and every stratum in `order` (the callers check both)."""
    mac, log, from_bytes, two = _hmac_sha256(seed), math.log, int.from_bytes, _TWO_256
    encoded = "\n".join(ids).encode("utf-8").split(b"\n") if ids else []
    # -(ln(u) / w): negation is exact, so sorting ascending on it ranks keys descending.
    negated = [
        -(log((from_bytes(mac(m), "big") + 1) / two) / w)
        for m, w in zip(encoded, weights, strict=True)
    ]
    groups: dict[str, list[int]] = {s.name: [] for s in order}
    for index, name in enumerate(strata):
        groups[name].append(index)
    drawn: _Drawn = []
    for s in order:
        # The indexes are in draw_id order and the sort is stable: equal keys keep it.
        ranked = sorted(groups[s.name], key=negated.__getitem__)
        drawn.append((s, list(map(ids.__getitem__, ranked))))
    return drawn


def _drawn_rows(drawn: _Drawn) -> list[tuple[str, str, int, bool]]:
    """(draw_id, stratum, rank, selected) in result.csv's order."""
    return [
        (d, s.name, rank, rank <= s.places)
        for s, ranked in drawn
        for rank, d in enumerate(ranked, start=1)
    ]


def draw(entries: Sequence[PoolEntry], criteria: Criteria, seed: bytes) -> list[ResultRow]:
    """The draw: every entry's rank in its stratum and whether it is selected, in result order."""
    _check_seed(seed)
    columns = _sorted_columns(entries, {s.name for s in criteria.strata})
    return [
        ResultRow(d, s.name, rank, rank <= s.places)
        for s, ranked in _draw_columns(*columns, criteria.strata, seed)
        for rank, d in enumerate(ranked, start=1)
    ]


def _drawn_bytes(drawn: _Drawn) -> bytes:
    lines = [RESULT_HEADER]
    for s, ranked in drawn:
        size = len(ranked)
        chosen = min(s.places, size)
        flags = itertools.chain(itertools.repeat("1", chosen), itertools.repeat("0", size - chosen))
        ranks = map(str, range(1, size + 1))
        lines += map(",".join, zip(ranked, itertools.repeat(s.name), ranks, flags))
    lines.append("")
    return "\n".join(lines).encode("utf-8")


def _result_bytes(rows: Iterable[tuple[str, str, int, bool]]) -> bytes:
    lines = [RESULT_HEADER]
    lines += [f"{d},{s},{rank},{1 if sel else 0}" for d, s, rank, sel in rows]
    lines.append("")
    return "\n".join(lines).encode("utf-8")


def result_csv(rows: Iterable[ResultRow]) -> bytes:
    """result.csv of `rows`, in the order given."""
    return _result_bytes((r.draw_id, r.stratum, r.rank, r.selected) for r in rows)


def parse_result(data: bytes, filename: str = RESULT_FILE) -> list[ResultRow]:
    """The rows of a result.csv; LotteryError with every problem if it is not well formed."""
    text, problems = _decode(data, filename, "result")
    lines = _lines(text)
    header = _header_problem(lines, RESULT_HEADER, filename, "result")
    if header:
        problems.append(header)
    rows: list[ResultRow] = []
    seen: set[str] = set()
    for row, line in enumerate(lines[1:], start=2):
        parts = line.split(",")
        if len(parts) != 4:
            problems.append(_malformed_result_row(len(parts), filename, row))
            continue
        draw_id, stratum, rank_text, selected = parts
        found = _id_problem(draw_id)
        if found:
            problems.append(_problem("result_bad_draw_id", *found, filename, row, "draw_id"))
        elif draw_id in seen:
            problems.append(
                _problem(
                    "result_duplicate_draw_id",
                    f"draw_id {draw_id!r} appears more than once",
                    f"draw_id {draw_id!r}가 두 번 이상 나옵니다",
                    filename,
                    row,
                    "draw_id",
                )
            )
        seen.add(draw_id)
        found = _stratum_problem(stratum)
        if found:
            problems.append(_problem("result_bad_stratum", *found, filename, row, "stratum"))
        if not (rank_text.isascii() and rank_text.isdigit() and rank_text[0] != "0"):
            problems.append(
                _problem(
                    "result_bad_rank",
                    f"rank {rank_text!r} must be a whole number from 1",
                    f"순위 {rank_text!r}는 1 이상의 정수여야 합니다",
                    filename,
                    row,
                    "rank",
                )
            )
            continue
        if selected not in ("0", "1"):
            problems.append(
                _problem(
                    "result_bad_selected",
                    f"selected must be 1 or 0, not {selected!r}",
                    f"selected는 1 또는 0이어야 합니다({selected!r}은(는) 안 됩니다)",
                    filename,
                    row,
                    "selected",
                )
            )
            continue
        rows.append(ResultRow(draw_id, stratum, int(rank_text), selected == "1"))
    if problems:
        raise LotteryError(problems)
    return rows


def _malformed_result_row(count: int, filename: str, row: int) -> Finding:
    return _problem(
        "result_bad_row",
        f"expected 4 fields (draw_id,stratum,rank,selected), found {count}",
        f"칸이 4개(draw_id,stratum,rank,selected)여야 하는데 {count}개입니다",
        filename,
        row,
    )


# --- commitment.json -------------------------------------------------------------------------


def _commitment_values(document: Any, filename: str) -> tuple[dict[str, Any], list[Finding]]:
    """The valid fields of a commitment document, and a problem for each invalid one."""
    values: dict[str, Any] = {}
    problems: list[Finding] = []
    if not isinstance(document, dict):
        problems.append(
            _problem(
                "commitment_invalid",
                "the file must hold a JSON object",
                "파일은 JSON 객체여야 합니다",
                filename,
            )
        )
        return values, problems

    def bad(fld: str, en: str, ko: str, code: str = "commitment_invalid") -> None:
        problems.append(_problem(code, en, ko, filename, None, fld))

    algorithm = document.get("algorithm")
    if algorithm != ALGORITHM:
        bad(
            "algorithm",
            f"algorithm must be {ALGORITHM!r}, not {algorithm!r}",
            f"algorithm은 {ALGORITHM!r}이어야 하는데 {algorithm!r}입니다",
            "commitment_unknown_algorithm",
        )
    else:
        values["algorithm"] = algorithm
    label = document.get("round")
    if isinstance(label, str):
        values["round"] = label
    else:
        bad("round", "round must be a string", "round는 문자열이어야 합니다")
    for key in ("pool_sha256", "criteria_sha256", "seed_sha256"):
        value = document.get(key)
        if isinstance(value, str) and _HEX64.fullmatch(value):
            values[key] = value
        else:
            bad(
                key,
                f"{key} must be 64 lowercase hexadecimal characters",
                f"{key}는 소문자 16진수 64자여야 합니다",
            )
    size = document.get("pool_size")
    if isinstance(size, int) and not isinstance(size, bool) and size >= 0:
        values["pool_size"] = size
    else:
        bad(
            "pool_size",
            "pool_size must be a whole number 0 or above",
            "pool_size는 0 이상의 정수여야 합니다",
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
                f"{key} must be a UTC time like 2026-11-23T09:00:00Z"
                + (" or null" if key == "drawn_at" else ""),
                f"{key}는 2026-11-23T09:00:00Z 같은 UTC 시각이어야 합니다"
                + ("(또는 null)" if key == "drawn_at" else ""),
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


# --- bundles ---------------------------------------------------------------------------------

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


def _unreadable(en: str, ko: str, file: str = "") -> Finding:
    return _problem("bundle_unreadable", en, ko, file)


def _members(source: BundleSource) -> tuple[dict[str, bytes], list[Finding]]:
    """The bundle's files that could be read, and the findings of those that could not."""
    if isinstance(source, Bundle):
        return source.files(), []
    if isinstance(source, bytes | bytearray | memoryview):
        return _zip_members(io.BytesIO(bytes(source)), "")
    path = Path(source)
    if path.is_dir():
        files: dict[str, bytes] = {}
        problems: list[Finding] = []
        for name in BUNDLE_FILES:
            try:
                files[name] = (path / name).read_bytes()
            except FileNotFoundError:
                pass
            except OSError as exc:
                problems.append(
                    _unreadable(
                        f"cannot be read ({exc.strerror})",
                        f"읽을 수 없습니다({exc.strerror})",
                        name,
                    )
                )
        return files, problems
    if not path.exists():
        return {}, [
            _unreadable(
                f"{path}: no such file or folder", f"{path}: 파일이나 폴더가 없습니다", str(path)
            )
        ]
    try:
        with path.open("rb") as handle:
            return _zip_members(handle, str(path))
    except OSError as exc:
        return {}, [
            _unreadable(
                f"cannot be read ({exc.strerror})", f"읽을 수 없습니다({exc.strerror})", str(path)
            )
        ]


def _zip_members(handle: IO[bytes], label: str) -> tuple[dict[str, bytes], list[Finding]]:
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError):
        return {}, [
            _unreadable(
                "the bundle is neither a folder nor a readable zip file",
                "묶음이 폴더도 아니고 읽을 수 있는 zip 파일도 아닙니다",
                label,
            )
        ]
    files: dict[str, bytes] = {}
    problems: list[Finding] = []
    with archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        prefix = ""
        if not any(n in BUNDLE_FILES for n in names):
            # Zipped from its folder: accept one common folder, as a courtesy.
            tops = {n.split("/", 1)[0] for n in names if "/" in n}
            if len(tops) == 1:
                prefix = tops.pop() + "/"
        for name in BUNDLE_FILES:
            matching = [i for i in infos if i.filename == prefix + name]
            if not matching:
                continue
            if len(matching) > 1:
                problems.append(
                    _problem(
                        "bundle_duplicate_member",
                        "the zip holds this file more than once",
                        "zip 안에 이 파일이 두 개 이상 있습니다",
                        name,
                    )
                )
                continue
            info = matching[0]
            if info.file_size > MAX_MEMBER_BYTES:
                problems.append(
                    _unreadable(
                        f"too large ({info.file_size:,} bytes)",
                        f"너무 큽니다({info.file_size:,}바이트)",
                        name,
                    )
                )
                continue
            try:
                files[name] = archive.read(info)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                problems.append(
                    _unreadable(
                        f"cannot be read from the zip ({exc})",
                        f"zip에서 읽을 수 없습니다({exc})",
                        name,
                    )
                )
    return files, problems


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
    return _problem(
        "missing_file",
        "the file is missing from the bundle",
        "묶음에 이 파일이 없습니다",
        name,
    )


# --- verification ----------------------------------------------------------------------------


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
