"""The draw (HMAC-SHA256, Efraimidis-Spirakis): each stratum ranked, and result.csv."""

from __future__ import annotations

import hmac
import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from .criteria import Criteria, Stratum
from .findings import Finding, LotteryError
from .pool import (
    PoolEntry,
    _decode,
    _header_problem,
    _id_problem,
    _lines,
    _sorted_columns,
    _stratum_problem,
)
from .scheme import _TWO_256, RESULT_FILE, RESULT_HEADER
from .seeds import _check_seed


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One line of result.csv: an entry's rank in its stratum, and whether it is selected."""

    draw_id: str
    stratum: str
    rank: int
    selected: bool


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
    """HMAC-SHA256 under `seed`, with the standard library's `hmac`: the keyed state is made
    once and copied for each message (`HMAC.copy`, meant for messages that share the key's
    prefix), a third faster than a one-shot `hmac.digest` per message."""
    keyed = hmac.new(seed, digestmod="sha256")

    def mac(message: bytes) -> bytes:
        state = keyed.copy()
        state.update(message)
        return state.digest()

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
            problems.append(
                Finding("result_bad_draw_id", **found, file=filename, row=row, field="draw_id")
            )
        elif draw_id in seen:
            problems.append(
                Finding(
                    "result_duplicate_draw_id",
                    ko=f"draw_id {draw_id!r}가 두 번 이상 나옵니다",
                    en=f"draw_id {draw_id!r} appears more than once",
                    file=filename,
                    row=row,
                    field="draw_id",
                )
            )
        seen.add(draw_id)
        found = _stratum_problem(stratum)
        if found:
            problems.append(
                Finding("result_bad_stratum", **found, file=filename, row=row, field="stratum")
            )
        if not (rank_text.isascii() and rank_text.isdigit() and rank_text[0] != "0"):
            problems.append(
                Finding(
                    "result_bad_rank",
                    ko=f"순위 {rank_text!r}는 1 이상의 정수여야 합니다",
                    en=f"rank {rank_text!r} must be a whole number from 1",
                    file=filename,
                    row=row,
                    field="rank",
                )
            )
            continue
        if selected not in ("0", "1"):
            problems.append(
                Finding(
                    "result_bad_selected",
                    ko=f"selected는 1 또는 0이어야 합니다({selected!r}은(는) 안 됩니다)",
                    en=f"selected must be 1 or 0, not {selected!r}",
                    file=filename,
                    row=row,
                    field="selected",
                )
            )
            continue
        rows.append(ResultRow(draw_id, stratum, int(rank_text), selected == "1"))
    if problems:
        raise LotteryError(problems)
    return rows


def _malformed_result_row(count: int, filename: str, row: int) -> Finding:
    return Finding(
        "result_bad_row",
        ko=f"칸이 4개(draw_id,stratum,rank,selected)여야 하는데 {count}개입니다",
        en=f"expected 4 fields (draw_id,stratum,rank,selected), found {count}",
        file=filename,
        row=row,
    )
