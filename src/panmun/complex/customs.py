"""통관 / 검역 — customs clearance and quarantine at the complex's crossing, the rules as data.
Pure Python: no Django, no database (the services and the benchmark use it).

**The banned list (반출입 금지 물품).** The North's customs rules of 2003 for the zone ban, both
ways: weapons and military goods, two-way radios and their parts, poisons, narcotics,
radioactive and toxic chemicals, binoculars of 10x or more, cameras with fixed lenses of 160 mm or
more, harmful publications (domain.md, "Customs"). The rules name goods, not HS codes: the HS
2022 headings below are Panmun's reading of them (an assumption, said in each entry's `note`).
Where the ban depends on a figure (a binocular's magnification, a lens's focal length) the line
must state it. A publication is harmful by its content, which no code tells: the officer marks
such a line, and the mark stops it like a banned code.

**Quarantine (검역).** The chapters below need a plant, animal or food inspection before a
consignment is released (Panmun's mapping of "plants, animals and their products, foods"; an
assumption: the 2002 quarantine agreement's own lists are not in the sources).

**Lanes (검사 구분).** red (physical inspection), yellow (documents), blue (audit afterwards),
green (released on the declaration). A lane comes from the customs officer's risk rules (the most
severe one matching) and a random draw, whichever is more severe. A firm without a good record
is inspected every time (red); a firm with one is sampled: the draw's red share is at most 20%
(the 2003 measure: inspection of compliant firms' processing goods cut from 100% to samples of
at most 20%).

**The draw (무작위 선별), scheme `panmun-lanes-1`, after the reunion lottery's
commit-then-reveal.** Before a period the officer fixes a secret 32-byte seed and the rates (in
basis points, 1/10,000: red, yellow, blue; green is the rest) and publishes the commitment: the
canonical JSON of {scheme, starts_on, ends_on, rates, seed_sha256} (keys sorted, no spaces,
UTF-8) and its SHA-256. For a declaration numbered `number`, `h = HMAC-SHA256(key=seed,
message=UTF-8 bytes of number)` read as a big-endian unsigned integer, `u = (h + 1) / 2**256`
(0 < u <= 1), and the lane is red if u <= red/10,000, else yellow if u <= (red+yellow)/10,000,
else blue if u <= (red+yellow+blue)/10,000, else green — compared exactly, in integers. After the
period the seed is revealed and `verify_draw` recomputes every declaration's lane from the
published commitment, the seed and the rates, listing each difference.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

SCHEME = "panmun-lanes-1"
BASIS = 10_000
#: The most a compliant firm's consignments are physically inspected (2003): 20%.
MAX_SAMPLE_RED_BP = 2_000
TWO_256 = 1 << 256

RED, YELLOW, BLUE, GREEN = "red", "yellow", "blue", "green"
#: From the most severe.
LANES = (RED, YELLOW, BLUE, GREEN)
SEVERITY = {RED: 3, YELLOW: 2, BLUE: 1, GREEN: 0}


def more_severe(a: str, b: str) -> str:
    return a if SEVERITY[a] >= SEVERITY[b] else b


# --- the banned list ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ban:
    """An entry of the 2003 banned list: the goods, the HS prefixes read for them, and, where the
    ban depends on a figure, the attribute and its threshold (banned at or above it)."""

    code: str
    name_ko: str
    name_en: str
    hs_prefixes: tuple[str, ...]
    attribute: str = ""  # "magnification", "focal_length_mm", "harmful"
    threshold: Decimal | None = None
    note: str = ""


BANNED: tuple[Ban, ...] = (
    Ban(
        "weapons",
        "무기 및 군용 물자",
        "weapons and military goods",
        ("93", "8710", "3601", "3602", "3603", "8906"),
        note="HS chapter 93 (arms and ammunition), 8710 (armoured vehicles), 3601-3603 "
        "(explosives, detonators), 8906 (warships): Panmun's reading.",
    ),
    Ban(
        "radios",
        "무전기 및 그 부품",
        "two-way radios and their parts",
        ("852560", "852910"),
        note="8525.60 (transmitters incorporating receivers: transceivers), 8529.10 (aerials): "
        "Panmun's reading; other parts are left to the officer.",
    ),
    Ban(
        "poisons",
        "독극물",
        "poisons",
        ("2837", "380891", "380892", "380893"),
        note="2837 (cyanides) and 3808.91-93 (insecticides, fungicides, herbicides): Panmun's "
        "reading.",
    ),
    Ban(
        "narcotics",
        "마약류",
        "narcotics",
        ("121130", "121140", "130211", "293911"),
        note="Coca leaf, poppy straw, opium, opium alkaloids: Panmun's reading.",
    ),
    Ban(
        "radioactive_toxic",
        "방사성 물질 및 유독성 화학물질",
        "radioactive and toxic chemicals",
        ("2844", "281211"),
        note="2844 (radioactive elements and isotopes), 2812.11 (phosgene): Panmun's reading.",
    ),
    Ban(
        "binoculars",
        "10배 이상 쌍안경",
        "binoculars of 10x or more",
        ("900510",),
        attribute="magnification",
        threshold=Decimal(10),
    ),
    Ban(
        "long_lens_cameras",
        "초점거리 160mm 이상 고정렌즈 카메라",
        "cameras with fixed lenses of 160 mm or more",
        ("9006", "852589", "900211"),
        attribute="focal_length_mm",
        threshold=Decimal(160),
        note="9006 (photographic cameras), 8525.89 (digital cameras), 9002.11 (objective "
        "lenses): the focal length decides.",
    ),
    Ban(
        "harmful_publications",
        "유해 출판물",
        "harmful publications",
        ("49", "8523"),
        attribute="harmful",
        note="Printed matter and recorded media: banned when the officer marks the content "
        "harmful (no code tells).",
    ),
)

#: The attributes a line must state for its code, with the text asking for it.
ATTRIBUTE_NAMES = {
    "magnification": ("배율", "magnification"),
    "focal_length_mm": ("초점거리(mm)", "focal length (mm)"),
}


@dataclass(frozen=True)
class LineFacts:
    """What the rules read of a declaration's line."""

    hs_code: str
    magnification: Decimal | None = None
    focal_length_mm: Decimal | None = None
    harmful: bool = False


def _matches(code: str, prefixes: Iterable[str]) -> bool:
    return any(code.startswith(p) for p in prefixes)


def attributes_needed(hs_code: str) -> list[str]:
    """The figures a line of `hs_code` must state (the ban depends on them)."""
    return [
        ban.attribute
        for ban in BANNED
        if ban.attribute in ATTRIBUTE_NAMES and _matches(hs_code, ban.hs_prefixes)
    ]


def ban_for(line: LineFacts) -> Ban | None:
    """The entry of the banned list that stops `line`, or None. A figure the line does not
    state where the ban depends on it counts as banned (nothing uncertain passes)."""
    for ban in BANNED:
        if not _matches(line.hs_code, ban.hs_prefixes):
            continue
        if not ban.attribute:
            return ban
        if ban.attribute == "harmful":
            if line.harmful:
                return ban
            continue
        value = getattr(line, ban.attribute)
        if value is None or (ban.threshold is not None and value >= ban.threshold):
            return ban
    return None


# --- quarantine --------------------------------------------------------------------------------

PLANT, ANIMAL, FOOD = "plant", "animal", "food"

#: HS chapter (or heading) → the inspection it needs. Panmun's mapping, an assumption.
QUARANTINE: dict[str, str] = {
    **{c: ANIMAL for c in ("01", "02", "03", "04", "05", "4101", "4102", "4103", "5101")},
    **{c: PLANT for c in ("06", "07", "08", "09", "10", "11", "12", "13", "14", "4401", "4403")},
    **{c: FOOD for c in ("15", "16", "17", "18", "19", "20", "21", "22")},
}
QUARANTINE_NOTE = (
    "Animals and animal products (chapters 1-5, raw hides 41.01-41.03, raw wool 51.01), plants "
    "and plant products (chapters 6-14, fuel and rough wood 44.01, 44.03), foods and drinks "
    "(chapters 15-22): Panmun's mapping of the 2002 quarantine agreement's scope."
)


def quarantine_kinds(hs_codes: Iterable[str]) -> list[str]:
    """The inspections the codes need, in the order plant, animal, food."""
    found = {
        kind for code in hs_codes for prefix, kind in QUARANTINE.items() if code.startswith(prefix)
    }
    return [k for k in (PLANT, ANIMAL, FOOD) if k in found]


# --- risk rules --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskRule:
    """A rule of the customs officer's: every criterion given must match (an empty one matches
    anything); the lane it sends a matching declaration to."""

    id: int
    lane: str
    hs_prefix: str = ""
    direction: str = ""
    firm_id: int | None = None
    min_value_usd: Decimal | None = None


@dataclass(frozen=True)
class DeclarationFacts:
    number: str
    direction: str
    firm_id: int
    hs_codes: tuple[str, ...]
    value_usd: Decimal
    good_record: bool


def rule_matches(rule: RiskRule, d: DeclarationFacts) -> bool:
    if rule.direction and rule.direction != d.direction:
        return False
    if rule.firm_id is not None and rule.firm_id != d.firm_id:
        return False
    if rule.min_value_usd is not None and d.value_usd < rule.min_value_usd:
        return False
    return not rule.hs_prefix or any(c.startswith(rule.hs_prefix) for c in d.hs_codes)


def rule_lane(rules: Sequence[RiskRule], d: DeclarationFacts) -> tuple[str | None, int | None]:
    """The most severe lane of the rules matching `d` (the first such rule), or (None, None)."""
    best: tuple[str | None, int | None] = (None, None)
    for rule in rules:
        if rule_matches(rule, d) and (best[0] is None or SEVERITY[rule.lane] > SEVERITY[best[0]]):
            best = (rule.lane, rule.id)
    return best


# --- the draw ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rates:
    """The random shares, in basis points; green is what is left."""

    red: int
    yellow: int
    blue: int

    @property
    def green(self) -> int:
        return BASIS - self.red - self.yellow - self.blue

    def problems(self) -> list[tuple[str, str, str]]:
        found = []
        for name in ("red", "yellow", "blue"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0 or value > BASIS:
                found.append((name, "0에서 10,000 사이입니다.", "Between 0 and 10,000."))
        if not found and self.green < 0:
            found.append(("blue", "합계가 10,000을 넘습니다.", "The shares add up to over 10,000."))
        if not found and self.red > MAX_SAMPLE_RED_BP:
            found.append(
                (
                    "red",
                    "검사 비율은 20% (2,000) 이하입니다 (2003년 조치).",
                    "The inspected share is at most 20% (2,000) (the 2003 measure).",
                )
            )
        return found

    def as_dict(self) -> dict[str, int]:
        return {"red": self.red, "yellow": self.yellow, "blue": self.blue}


def seed_sha256(seed: bytes) -> str:
    return hashlib.sha256(seed).hexdigest()


def commitment_document(starts_on: str, ends_on: str, rates: Rates, seed_hash: str) -> bytes:
    """The published commitment: canonical JSON (keys sorted, no spaces, UTF-8)."""
    doc = {
        "ends_on": ends_on,
        "rates": rates.as_dict(),
        "scheme": SCHEME,
        "seed_sha256": seed_hash,
        "starts_on": starts_on,
    }
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def commitment_sha256(document: bytes) -> str:
    return hashlib.sha256(document).hexdigest()


def _bounds(rates: Rates) -> tuple[int, int, int]:
    """Cumulative thresholds, scaled so that `(h + 1) * BASIS <= bound` decides each lane."""
    red = rates.red * TWO_256
    yellow = (rates.red + rates.yellow) * TWO_256
    blue = (rates.red + rates.yellow + rates.blue) * TWO_256
    return red, yellow, blue


def draw_u(seed: bytes, number: str) -> int:
    """h + 1, with h = HMAC-SHA256(seed, number) as a big-endian integer: u = this / 2**256."""
    digest = hmac.new(seed, number.encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest, "big") + 1


def draw_lane(seed: bytes, rates: Rates, number: str) -> str:
    return _lane_of(draw_u(seed, number) * BASIS, _bounds(rates))


def _lane_of(scaled: int, bounds: tuple[int, int, int]) -> str:
    if scaled <= bounds[0]:
        return RED
    if scaled <= bounds[1]:
        return YELLOW
    if scaled <= bounds[2]:
        return BLUE
    return GREEN


@dataclass(frozen=True)
class Routing:
    number: str
    lane: str  # what the declaration is routed to
    drawn: str | None  # the draw's lane (None: not sampled, a firm without a good record)
    by_rule: str | None
    rule_id: int | None


def route(d: DeclarationFacts, rules: Sequence[RiskRule], seed: bytes, rates: Rates) -> Routing:
    """The lane of one declaration (see the module's text)."""
    return route_many([d], rules, seed, rates)[0]


def route_many(
    declarations: Iterable[DeclarationFacts],
    rules: Sequence[RiskRule],
    seed: bytes,
    rates: Rates,
) -> list[Routing]:
    """The lanes of many declarations at once (the thresholds computed once)."""
    bounds = _bounds(rates)
    key = hmac.new(seed, digestmod=hashlib.sha256)
    out = []
    for d in declarations:
        by_rule, rule_id = rule_lane(rules, d)
        drawn: str | None = None
        lane = RED
        if d.good_record:
            mac = key.copy()
            mac.update(d.number.encode("utf-8"))
            lane = _lane_of((int.from_bytes(mac.digest(), "big") + 1) * BASIS, bounds)
            drawn = lane
        if by_rule is not None:
            lane = more_severe(lane, by_rule)
        out.append(Routing(d.number, lane, drawn, by_rule, rule_id))
    return out


@dataclass(frozen=True)
class Difference:
    """What `verify_draw` found: a stable code, the declaration (or ""), both languages."""

    code: str
    number: str
    en: str
    ko: str


@dataclass(frozen=True)
class DrawnRecord:
    """A declaration as recorded: its number and the lane the draw gave it."""

    number: str
    drawn: str


@dataclass
class DrawReport:
    checked: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def verify_draw(
    *,
    published_sha256: str,
    starts_on: str,
    ends_on: str,
    rates: Rates,
    seed: bytes,
    records: Iterable[DrawnRecord],
) -> DrawReport:
    """Recompute the draw from what was published before the period (`published_sha256`), the
    period and rates the commitment names, the revealed seed and each declaration's recorded
    lane; every difference is listed."""
    report = DrawReport()
    document = commitment_document(starts_on, ends_on, rates, seed_sha256(seed))
    if commitment_sha256(document) != published_sha256:
        report.differences.append(
            Difference(
                "commitment_mismatch",
                "",
                "the seed, the rates or the period are not those committed before the period",
                "시드, 비율 또는 기간이 사전에 공표한 약정과 다릅니다",
            )
        )
    bounds = _bounds(rates)
    for record in records:
        report.checked += 1
        lane = _lane_of(draw_u(seed, record.number) * BASIS, bounds)
        if lane != record.drawn:
            report.differences.append(
                Difference(
                    "lane_mismatch",
                    record.number,
                    f"{record.number}: recorded {record.drawn}, the draw gives {lane}",
                    f"{record.number}: 기록은 {record.drawn}, 추첨 결과는 {lane}입니다",
                )
            )
    return report
