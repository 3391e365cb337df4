"""Selection criteria (인선 기준) as data: what a supervisor sets for a round.

A criteria document is JSON::

    {
      "reference_date": "2026-11-23",        # ages are counted in this year (year - birth year)
      "age_weights": [{"min": 90, "weight": 19}, {"min": 80, "weight": 15},
                      {"min": 70, "weight": 5}, {"min": 60, "weight": 2}, {"min": 0, "weight": 1}],
      "unknown_age_weight": 1,
      "relation_weights": {"spouse": 6, "parent": 6, "child": 6, "sibling": 3, "other": 1},
      "strata": [{"name": "특별", "places": 10, "rule": {"kind": "listed", "registry_nos": [...]}},
                 {"name": "90세 이상", "places": 50, "rule": {"kind": "age_at_least", "age": 90}},
                 {"name": "그 외", "places": 40, "rule": {"kind": "rest"}}],
      "candidates_per_place": 5,
      "exclusions": ["declined_before", "unfit_before", "reunited_before"]
    }

An applicant's weight is the product of their factor weights: the weight of their age band (the
first band whose ``min`` their age reaches, bands in descending order) times the weight of the
closest relation they seek. Strata are tried in order; an applicant falls in the first whose
rule they meet (``listed``: their registration number is listed; ``age_at_least``;
``rest``: everyone). ``places`` are the final places; the draw picks ``places ×
candidates_per_place`` candidates in each stratum, as the Red Cross draws about five candidates
for each place before the checks.

Pure Python, no Django: the pages, the API and the tests share `parse_criteria`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from panmun.common.findings import Finding, FindingsError

# In order of closeness: the pool counts an applicant under the closest relation they seek.
RELATIONS = ("spouse", "parent", "child", "sibling", "other")
EXCLUSIONS = ("declined_before", "unfit_before", "reunited_before")
RULE_KINDS = ("listed", "age_at_least", "rest")
MAX_WEIGHT = 1_000_000.0
MAX_PLACES = 10_000


class CriteriaError(FindingsError):
    """A criteria document that cannot be used; `problems` name each field."""


@dataclass(frozen=True)
class StratumRule:
    name: str
    places: int
    kind: str
    age: int | None
    registry_nos: frozenset[str]


@dataclass(frozen=True)
class SelectionCriteria:
    reference_date: dt.date
    age_weights: tuple[tuple[int, float], ...]  # (min age, weight), descending by min age
    unknown_age_weight: float
    relation_weights: dict[str, float]
    strata: tuple[StratumRule, ...]
    candidates_per_place: int
    exclusions: frozenset[str]

    def age_on_reference(self, birth_year: int | None) -> int | None:
        return None if birth_year is None else self.reference_date.year - birth_year

    def age_weight(self, age: int | None) -> float:
        if age is None:
            return self.unknown_age_weight
        for low, weight in self.age_weights:
            if age >= low:
                return weight
        return self.unknown_age_weight

    def weight(self, age: int | None, relation: str) -> float:
        """The product of the factor weights (age band × the closest relation sought), as a
        float the pool file writes with repr()."""
        return float(self.age_weight(age) * self.relation_weights.get(relation, 1.0))

    def stratum(self, registry_no: str, age: int | None) -> str | None:
        for rule in self.strata:
            if rule.kind == "listed" and registry_no in rule.registry_nos:
                return rule.name
            if (
                rule.kind == "age_at_least"
                and age is not None
                and rule.age is not None
                and age >= rule.age
            ):
                return rule.name
            if rule.kind == "rest":
                return rule.name
        return None

    def draw_places(self, rule: StratumRule) -> int:
        """Candidates drawn in a stratum: its places times the candidates per place."""
        return rule.places * self.candidates_per_place


def _number(value: Any, field: str, problems: list[Finding], *, low: float = 0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        problems.append(
            Finding(
                "criteria_invalid",
                ko="숫자여야 합니다.",
                en="must be a number.",
                field=field,
            )
        )
        return 1.0
    if value <= low or value > MAX_WEIGHT:
        problems.append(
            Finding(
                "criteria_invalid",
                ko=f"{low:g}보다 크고 {MAX_WEIGHT:g} 이하여야 합니다.",
                en=f"must be above {low:g} and at most {MAX_WEIGHT:g}.",
                field=field,
            )
        )
        return 1.0
    return float(value)


def _integer(value: Any, field: str, problems: list[Finding], low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.append(
            Finding(
                "criteria_invalid",
                ko=f"{low}–{high} 사이의 정수여야 합니다.",
                en=f"must be a whole number from {low} to {high}.",
                field=field,
            )
        )
        return low
    return value


def parse_criteria(document: Any) -> SelectionCriteria:
    """Check a criteria document and return it parsed; every problem is named by its field."""
    problems: list[Finding] = []
    if not isinstance(document, dict):
        raise CriteriaError(
            [
                Finding(
                    "criteria_invalid",
                    ko="기준은 JSON 객체여야 합니다.",
                    en="must be a JSON object.",
                    field="",
                )
            ]
        )
    try:
        reference = dt.date.fromisoformat(str(document.get("reference_date", "")))
    except ValueError:
        problems.append(
            Finding(
                "criteria_invalid",
                ko="기준일은 YYYY-MM-DD 형식이어야 합니다.",
                en="The reference date must be YYYY-MM-DD.",
                field="reference_date",
            )
        )
        reference = dt.date(2000, 1, 1)
    bands: list[tuple[int, float]] = []
    raw_bands = document.get("age_weights")
    if not isinstance(raw_bands, list) or not raw_bands:
        problems.append(
            Finding(
                "criteria_invalid",
                ko="연령별 가중치가 필요합니다.",
                en="Age weights are required.",
                field="age_weights",
            )
        )
        raw_bands = []
    for n, band in enumerate(raw_bands):
        if not isinstance(band, dict):
            problems.append(
                Finding(
                    "criteria_invalid",
                    ko="객체여야 합니다.",
                    en="must be an object.",
                    field=f"age_weights[{n}]",
                )
            )
            continue
        low = _integer(band.get("min"), f"age_weights[{n}].min", problems, 0, 150)
        weight = _number(band.get("weight"), f"age_weights[{n}].weight", problems)
        bands.append((low, weight))
    lows = [low for low, _ in bands]
    if len(set(lows)) != len(lows):
        problems.append(
            Finding(
                "criteria_invalid",
                ko="연령 구간의 하한이 겹칩니다.",
                en="Two age bands have the same minimum.",
                field="age_weights",
            )
        )
    unknown = _number(document.get("unknown_age_weight", 1), "unknown_age_weight", problems)
    relation_weights: dict[str, float] = {}
    raw_relations = document.get("relation_weights")
    if not isinstance(raw_relations, dict):
        problems.append(
            Finding(
                "criteria_invalid",
                ko="관계별 가중치가 필요합니다.",
                en="Relation weights are required.",
                field="relation_weights",
            )
        )
        raw_relations = {}
    for key, value in raw_relations.items():
        if key not in RELATIONS:
            problems.append(
                Finding(
                    "criteria_invalid",
                    ko=f"알 수 없는 관계입니다 (가능: {', '.join(RELATIONS)}).",
                    en=f"unknown relation (one of {', '.join(RELATIONS)}).",
                    field=f"relation_weights.{key}",
                )
            )
            continue
        relation_weights[key] = _number(value, f"relation_weights.{key}", problems)
    for key in RELATIONS:
        relation_weights.setdefault(key, 1.0)
    strata: list[StratumRule] = []
    raw_strata = document.get("strata")
    if not isinstance(raw_strata, list) or not raw_strata:
        problems.append(
            Finding(
                "criteria_invalid",
                ko="층(계층)이 하나 이상 필요합니다.",
                en="At least one stratum is required.",
                field="strata",
            )
        )
        raw_strata = []
    names: set[str] = set()
    for n, raw in enumerate(raw_strata):
        field = f"strata[{n}]"
        if not isinstance(raw, dict):
            problems.append(
                Finding(
                    "criteria_invalid",
                    ko="객체여야 합니다.",
                    en="must be an object.",
                    field=field,
                )
            )
            continue
        name = raw.get("name")
        if (
            not isinstance(name, str)
            or not name.strip()
            or len(name) > 100
            or any(c in name for c in ',"\r\n')
        ):
            problems.append(
                Finding(
                    "criteria_invalid",
                    ko="이름은 1–100자이며 쉼표·따옴표·줄바꿈을 쓸 수 없습니다.",
                    en="The name must be 1–100 characters without commas, quotes or line breaks.",
                    field=f"{field}.name",
                )
            )
            name = f"#{n}"
        name = name.strip()
        if name in names:
            problems.append(
                Finding(
                    "criteria_invalid",
                    ko="층 이름이 중복됩니다.",
                    en="Two strata have this name.",
                    field=f"{field}.name",
                )
            )
        names.add(name)
        places = _integer(raw.get("places"), f"{field}.places", problems, 0, MAX_PLACES)
        rule = raw.get("rule") or {"kind": "rest"}
        kind = rule.get("kind") if isinstance(rule, dict) else None
        if kind not in RULE_KINDS:
            problems.append(
                Finding(
                    "criteria_invalid",
                    ko=f"규칙은 {', '.join(RULE_KINDS)} 중 하나여야 합니다.",
                    en=f"The rule must be one of {', '.join(RULE_KINDS)}.",
                    field=f"{field}.rule.kind",
                )
            )
            kind = "rest"
        age = None
        registry_nos: frozenset[str] = frozenset()
        if kind == "age_at_least":
            age = _integer(rule.get("age"), f"{field}.rule.age", problems, 0, 150)
        if kind == "listed":
            nos = rule.get("registry_nos")
            if not isinstance(nos, list) or not all(isinstance(x, str) for x in nos):
                problems.append(
                    Finding(
                        "criteria_invalid",
                        ko="등록번호 목록이 필요합니다.",
                        en="A list of registration numbers is required.",
                        field=f"{field}.rule.registry_nos",
                    )
                )
                nos = []
            registry_nos = frozenset(x.strip() for x in nos if x.strip())
        strata.append(StratumRule(name, places, kind, age, registry_nos))
    per_place = _integer(
        document.get("candidates_per_place", 5), "candidates_per_place", problems, 1, 20
    )
    raw_exclusions = document.get("exclusions", list(EXCLUSIONS))
    if not isinstance(raw_exclusions, list) or any(x not in EXCLUSIONS for x in raw_exclusions):
        problems.append(
            Finding(
                "criteria_invalid",
                ko=f"제외 기준은 {', '.join(EXCLUSIONS)} 중에서 고릅니다.",
                en=f"Exclusions are chosen from {', '.join(EXCLUSIONS)}.",
                field="exclusions",
            )
        )
        raw_exclusions = []
    if problems:
        raise CriteriaError(problems)
    return SelectionCriteria(
        reference_date=reference,
        age_weights=tuple(sorted(bands, key=lambda b: -b[0])),
        unknown_age_weight=unknown,
        relation_weights=relation_weights,
        strata=tuple(strata),
        candidates_per_place=per_place,
        exclusions=frozenset(raw_exclusions),
    )


def default_criteria(reference_date: dt.date, places: int = 100) -> dict[str, Any]:
    """The 2015/2018 practice: half the places for applicants aged 90 and over, the weights of
    2006 (90+ 19, 80s 15, 70s 5, 60s 2) and of 2000 for the relation (close family 6, siblings
    3, further 1), five candidates drawn per place, and the usual exclusions."""
    half = places // 2
    return {
        "reference_date": reference_date.isoformat(),
        "age_weights": [
            {"min": 90, "weight": 19},
            {"min": 80, "weight": 15},
            {"min": 70, "weight": 5},
            {"min": 60, "weight": 2},
            {"min": 0, "weight": 1},
        ],
        "unknown_age_weight": 1,
        "relation_weights": {"spouse": 6, "parent": 6, "child": 6, "sibling": 3, "other": 1},
        "strata": [
            {"name": "90세 이상", "places": half, "rule": {"kind": "age_at_least", "age": 90}},
            {"name": "그 외", "places": places - half, "rule": {"kind": "rest"}},
        ],
        "candidates_per_place": 5,
        "exclusions": list(EXCLUSIONS),
    }
