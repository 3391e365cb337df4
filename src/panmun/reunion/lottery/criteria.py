"""criteria.json: the strata, each with its places, and the document that holds them."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .findings import Finding, LotteryError, not_utf8
from .scheme import _FORBIDDEN, CRITERIA_FILE
from .seeds import _json_bytes


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


def _strata_of(document: Any, filename: str) -> tuple[tuple[Stratum, ...], list[Finding]]:
    problems: list[Finding] = []

    def bad(row: int | None, fld: str, *, ko: str, en: str, code: str = "criteria_invalid") -> None:
        problems.append(Finding(code, ko=ko, en=en, file=filename, row=row, field=fld))

    if not isinstance(document, dict):
        bad(
            None,
            "",
            ko="파일은 JSON 객체여야 합니다",
            en="the file must hold a JSON object",
        )
        return (), problems
    items = document.get("strata")
    if not isinstance(items, list):
        what = "is missing" if items is None else "must be a list"
        what_ko = "없습니다" if items is None else "목록(list)이어야 합니다"
        bad(
            None,
            "strata",
            ko=f'"strata"가 {what_ko}',
            en=f'"strata" {what}',
        )
        return (), problems
    strata: list[Stratum] = []
    seen: dict[str, int] = {}
    for row, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            bad(
                row,
                "strata",
                ko=f"{row}번째 층은 JSON 객체여야 합니다",
                en=f"stratum {row} must be a JSON object",
            )
            continue
        name = item.get("name")
        if not isinstance(name, str) or not name:
            bad(
                row,
                "name",
                ko=f"{row}번째 층: name은 비어 있지 않은 문자열이어야 합니다",
                en=f"stratum {row}: name must be a non-empty string",
            )
            name = None
        elif _FORBIDDEN.search(name):
            bad(
                row,
                "name",
                ko=f"{row}번째 층: 이름 {name!r}에 쉼표, 큰따옴표, CR 또는 LF가 들어 있습니다",
                en=f"stratum {row}: name {name!r} contains a comma, double quote, CR or LF",
            )
            name = None
        elif name in seen:
            bad(
                row,
                "name",
                ko=f"{row}번째 층: 이름 {name!r}은(는) 이미 {seen[name]}번째 층에서 쓰였습니다",
                en=f"stratum {row}: name {name!r} is already used by stratum {seen[name]}",
                code="criteria_duplicate_name",
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
                ko=f"층 {label}: places가 없습니다",
                en=f"stratum {label}: places is missing",
            )
            places = None
        elif isinstance(places, bool) or not isinstance(places, int) or places < 0:
            bad(
                row,
                "places",
                ko=f"층 {label}: places는 0 이상의 정수여야 합니다"
                f"({json.dumps(places, ensure_ascii=False)}은(는) 안 됩니다)",
                en=f"stratum {label}: places must be a whole number 0 or above, not "
                f"{json.dumps(places, ensure_ascii=False)}",
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
        problems.append(not_utf8(data, exc, filename, prefix))
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
            Finding(
                f"{prefix}_bad_json",
                ko=f"파일이 올바른 JSON이 아닙니다: {exc.msg}({exc.lineno}행 {exc.colno}열)",
                en=f"the file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                file=filename,
            )
        )
        return None, problems
    except (ValueError, RecursionError) as exc:
        problems.append(
            Finding(
                f"{prefix}_bad_json",
                ko=f"파일이 올바른 JSON이 아닙니다: {exc}",
                en=f"the file is not valid JSON: {exc}",
                file=filename,
            )
        )
        return None, problems
    for key in dict.fromkeys(duplicates):
        problems.append(
            Finding(
                f"{prefix}_duplicate_key",
                ko=f"한 객체 안에 키 {key!r}가 두 번 나옵니다",
                en=f"the key {key!r} appears twice in one object",
                file=filename,
                row=None,
                field=key,
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
