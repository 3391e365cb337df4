"""pool.csv: the pool's entries, its one accepted spelling, and its parsing with every problem."""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import TypeAlias, cast

from panmun.common.bundlefiles import FindingList

from .findings import Finding, LotteryError, not_utf8
from .scheme import _FORBIDDEN, POOL_FILE, POOL_HEADER


@dataclass(frozen=True, slots=True)
class PoolEntry:
    """One eligible applicant, known to the draw by an opaque id only."""

    draw_id: str
    stratum: str
    weight: float


def _id_problem(draw_id: str) -> dict[str, str] | None:
    if not draw_id:
        return {"ko": "draw_id가 비어 있습니다", "en": "draw_id is empty"}
    if _FORBIDDEN.search(draw_id):
        return {
            "ko": f"draw_id {draw_id!r}에 쉼표, 큰따옴표, CR 또는 LF가 들어 있습니다",
            "en": f"draw_id {draw_id!r} contains a comma, double quote, CR or LF",
        }
    if draw_id != draw_id.strip():
        return {
            "ko": f"draw_id {draw_id!r}의 앞이나 뒤에 공백이 있습니다",
            "en": f"draw_id {draw_id!r} has whitespace at its start or end",
        }
    return None


def _stratum_problem(stratum: str) -> dict[str, str] | None:
    if not stratum:
        return {"ko": "층(stratum)이 비어 있습니다", "en": "stratum is empty"}
    if _FORBIDDEN.search(stratum):
        return {
            "ko": f"층 {stratum!r}에 쉼표, 큰따옴표, CR 또는 LF가 들어 있습니다",
            "en": f"stratum {stratum!r} contains a comma, double quote, CR or LF",
        }
    return None


def _weight_problem(weight: float) -> dict[str, str] | None:
    if not math.isfinite(weight) or weight <= 0:
        return {
            "ko": f"가중치 {weight!r}는 0보다 큰 유한한 수여야 합니다",
            "en": f"weight {weight!r} must be a finite number above zero",
        }
    return None


def _entry_problems(ordered: Sequence[PoolEntry], known: set[str] | None) -> list[Finding]:
    """Problems of entries sorted by draw_id; rows are those of the pool.csv they would make."""
    problems: list[Finding] = []
    weights: dict[float, dict[str, str] | None] = {}
    good_strata: set[str] = set()
    previous: str | None = None
    for index, entry in enumerate(ordered):
        row = index + 2
        draw_id, stratum, weight = entry.draw_id, entry.stratum, entry.weight
        found = _id_problem(draw_id)
        if found:
            problems.append(
                Finding("pool_bad_draw_id", **found, file=POOL_FILE, row=row, field="draw_id")
            )
        elif draw_id == previous:
            problems.append(
                Finding(
                    "pool_duplicate_draw_id",
                    ko=f"draw_id {draw_id!r}가 두 번 이상 나옵니다",
                    en=f"draw_id {draw_id!r} appears more than once",
                    file=POOL_FILE,
                    row=row,
                    field="draw_id",
                )
            )
        previous = draw_id
        if stratum not in good_strata:
            found = _stratum_problem(stratum)
            if found:
                problems.append(
                    Finding("pool_bad_stratum", **found, file=POOL_FILE, row=row, field="stratum")
                )
            elif known is not None and stratum not in known:
                problems.append(_unknown_stratum(stratum, POOL_FILE, row))
            else:
                good_strata.add(stratum)
        if weight in weights:
            found = weights[weight]
        else:
            found = weights[weight] = _weight_problem(float(weight))
        if found:
            problems.append(
                Finding("pool_weight_invalid", **found, file=POOL_FILE, row=row, field="weight")
            )
    return problems


def _unknown_stratum(stratum: str, filename: str, row: int) -> Finding:
    return Finding(
        "pool_unknown_stratum",
        ko=f"층 {stratum!r}이(가) criteria.json에 없습니다",
        en=f"stratum {stratum!r} is not named in criteria.json",
        file=filename,
        row=row,
        field="stratum",
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
        problems.append(not_utf8(data, exc, filename, prefix))
        text = data.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        problems.append(
            Finding(
                f"{prefix}_bom",
                ko="파일이 BOM(바이트 순서 표시)으로 시작합니다. BOM은 허용되지 않습니다",
                en="the file starts with a byte order mark (BOM), which is not allowed",
                file=filename,
                row=1,
            )
        )
        text = text[1:]
    if "\r" in text:
        problems.append(
            Finding(
                f"{prefix}_crlf",
                ko="줄 끝은 LF(\\n)만 써야 합니다. CR LF나 CR은 허용되지 않습니다",
                en="lines must end with LF (\\n) only, not CR LF or CR",
                file=filename,
                row=text.count("\n", 0, text.index("\r")) + 1,
            )
        )
        text = text.replace("\r\n", "\n")
    if text and not text.endswith("\n"):
        problems.append(
            Finding(
                f"{prefix}_no_final_newline",
                ko="마지막 줄이 줄바꿈으로 끝나지 않습니다",
                en="the last line does not end with a newline",
                file=filename,
                row=text.count("\n") + 1,
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
    return Finding(
        f"{prefix}_bad_header",
        ko=f"첫 줄은 {expected!r}이어야 하는데 {found!r}입니다",
        en=f"the first line must be {expected!r}; found {found!r}",
        file=filename,
        row=1,
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
    if any(isinstance(v, Finding) for v in values.values()):
        return None
    weight_of = cast(dict[str, float], values)
    return ids, strata, list(map(weight_of.__getitem__, texts))


def _parse_pool_columns(
    data: bytes,
    filename: str,
    known: set[str] | None = None,
    problems: list[Finding] | None = None,
) -> tuple[_Columns, list[Finding], int]:
    """(draw_ids, strata, weights), the problems, and the number of data rows. `problems`, if
    given, collects them (a `FindingList` keeps the first and counts the rest, and stops the
    check when it is full)."""
    fast = _fast_pool_columns(data, known)
    if fast is not None:
        return fast, problems if problems is not None else [], len(fast[0])
    text, decoded = _decode(data, filename, "pool")
    if problems is None:
        problems = []
    problems += decoded
    capped = problems if isinstance(problems, FindingList) else None
    lines = _lines(text)
    header = _header_problem(lines, POOL_HEADER, filename, "pool")
    if header:
        problems.append(header)
    ids: list[str] = []
    strata: list[str] = []
    weights: list[float] = []
    weight_of: dict[str, float | Finding] = {}
    stratum_ok: dict[str, Finding | None] = {}
    first_row: dict[str, int] = {}
    previous = ""
    for row, line in enumerate(lines[1:], start=2):
        if capped is not None and capped.full:
            break
        parts = line.split(",")
        if len(parts) != 3:
            problems.append(
                Finding(
                    "pool_bad_row",
                    ko=f"칸이 3개(draw_id,stratum,weight)여야 하는데 {len(parts)}개입니다"
                    + ("; 따옴표는 쓸 수 없습니다" if '"' in line else ""),
                    en=f"expected 3 fields (draw_id,stratum,weight), found {len(parts)}"
                    + ("; quoting is not allowed" if '"' in line else ""),
                    file=filename,
                    row=row,
                )
            )
            continue
        draw_id, stratum, weight_text = parts
        found = _id_problem(draw_id)
        if found:
            problems.append(
                Finding("pool_bad_draw_id", **found, file=filename, row=row, field="draw_id")
            )
        elif draw_id in first_row:
            problems.append(
                Finding(
                    "pool_duplicate_draw_id",
                    ko=f"draw_id {draw_id!r}가 이미 {first_row[draw_id]}행에 있습니다",
                    en=f"draw_id {draw_id!r} already appears in row {first_row[draw_id]}",
                    file=filename,
                    row=row,
                    field="draw_id",
                )
            )
        else:
            first_row[draw_id] = row
            if draw_id < previous:
                problems.append(
                    Finding(
                        "pool_unsorted",
                        ko=f"draw_id {draw_id!r}가 윗줄의 {previous!r}보다 앞서야 합니다. "
                        "행은 draw_id 순으로 정렬되어야 합니다",
                        en=f"draw_id {draw_id!r} comes before {previous!r} of the row above; "
                        "rows must be sorted by draw_id",
                        file=filename,
                        row=row,
                        field="draw_id",
                    )
                )
            previous = draw_id
        if stratum in stratum_ok:
            bad = stratum_ok[stratum]
        else:
            sp = _stratum_problem(stratum)
            if sp:
                bad = Finding("pool_bad_stratum", **sp)
            elif known is not None and stratum not in known:
                bad = _unknown_stratum(stratum, filename, row)
            else:
                bad = None
            stratum_ok[stratum] = bad
        if bad:
            problems.append(replace(bad, file=filename, row=row, field="stratum"))
        weight = weight_of.get(weight_text)
        if weight is None:
            weight = weight_of[weight_text] = _weight_of(weight_text)
        if isinstance(weight, Finding):
            problems.append(replace(weight, file=filename, row=row, field="weight"))
            weight = math.nan
        ids.append(draw_id)
        strata.append(stratum)
        weights.append(weight)
    return (ids, strata, weights), problems, max(0, len(lines) - 1)


def _weight_of(text: str) -> float | Finding:
    """The weight written as `text`, or the finding (not yet placed) of why it is refused."""
    try:
        value = float(text)
    except ValueError:
        return Finding(
            "pool_weight_not_number",
            ko=f"가중치 {text!r}는 수가 아닙니다",
            en=f"weight {text!r} is not a number",
        )
    found = _weight_problem(value)
    if found:
        return Finding("pool_weight_invalid", **found)
    if repr(value) != text:
        return Finding(
            "pool_weight_not_canonical",
            ko=f"가중치 {text!r}는 {value!r}로 써야 합니다(파이썬 float의 repr 형식)",
            en=f"weight {text!r} must be written as {value!r} (Python's repr of the float)",
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
