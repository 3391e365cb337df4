"""The history of inter-Korean family reunions (이산가족 상봉) as data, with its sources.

Pure Python with no Django import. The data is `data/history.json` in this package: the 1985
exchange of hometown visiting groups (고향방문단, 20–23 September 1985, no round number), the
21 in-person rounds (대면상봉, August 2000 – August 2018: rounds 1–3 exchange visits to Seoul and
Pyongyang, from round 4 at Geumgangsan) and the 7 video rounds (화상상봉, August 2005 – November
2007). Every round carries its sources; the file also holds the totals the sources give
(`totals()`), so a page can show the sum of the known rounds beside an official total.

Words used here, as in the file:

* families (가족, 건): each side's *applicant* families, i.e. the people who applied to meet their
  relatives on the other side. South families + North families is the number of family
  meetings of a round (the "cases" of the official statistics).
* persons (명): everyone of that side who took part, applicants and the relatives they met or
  came with. `persons_total` is both sides together, for rounds where a source gives only that.
* parts (회차): most in-person rounds ran in two (round 14 in four) stretches of three days; in
  one the South's applicants met their relatives from the North, in the other the reverse.
  `RoundPart.applicants` says whose applicants a part served ("south" or "north"). For the
  exchange visits (1985, rounds 1–3) the parts are the two visiting groups, on the same dates;
  for video round 4 the two directions of the same two days.
* A figure not found in a source is None (null), never estimated; the notes say why.
* A date is ISO "YYYY-MM-DD", or "YYYY-MM" where only the month is known.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any, Final

DATA_PACKAGE: Final = "panmun.reunion"
DATA_PATH: Final = "data/history.json"

KINDS: Final = ("in_person", "video")
SIDES: Final = ("south", "north")
# The numbered rounds there were: in-person 1–21 (2000–2018), video 1–7 (2005–2007).
ROUND_COUNT: Final = {"in_person": 21, "video": 7}

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")

_DOCUMENT_KEYS: Final = frozenset(
    {"title_ko", "title_en", "conventions_ko", "conventions_en", "sources", "totals", "rounds"}
)
_ROUND_KEYS: Final = frozenset(
    {
        "number",
        "kind",
        "starts",
        "ends",
        "venue_ko",
        "venue_en",
        "south_families",
        "north_families",
        "south_persons",
        "north_persons",
        "persons_total",
        "parts",
        "note_ko",
        "note_en",
        "sources",
    }
)
_PART_KEYS: Final = frozenset(
    {
        "label_ko",
        "label_en",
        "starts",
        "ends",
        "applicants",
        "families",
        "south_persons",
        "north_persons",
        "note_ko",
        "note_en",
    }
)
_TOTAL_KEYS: Final = frozenset(
    {
        "key",
        "as_of",
        "scope_ko",
        "scope_en",
        "in_person_rounds",
        "video_rounds",
        "in_person_families",
        "in_person_persons",
        "video_families",
        "video_persons",
        "combined_families",
        "combined_persons",
        "approximate",
        "note_ko",
        "note_en",
        "sources",
    }
)
_SOURCE_KEYS: Final = frozenset({"url", "title"})


@dataclass(frozen=True)
class Source:
    """Where a figure comes from: a web address (or a path under ../shared for the project's
    own seed and domain notes) and the page's headline, or a short description of it."""

    url: str
    title: str

    @property
    def is_web(self) -> bool:
        """True for a web address; False for a document of the project itself (a path under
        ../shared), which a page names in words rather than links to."""
        return self.url.startswith(("https://", "http://"))


@dataclass(frozen=True)
class RoundPart:
    """One stretch of a round (1회차, 2회차 …): `applicants` is the side whose applicants it
    served, `families` how many of them, the persons everyone of each side who took part."""

    label_ko: str
    label_en: str
    starts: str
    ends: str
    applicants: str
    families: int | None
    south_persons: int | None
    north_persons: int | None
    note_ko: str
    note_en: str


@dataclass(frozen=True)
class PastRound:
    """One reunion round: `number` is None only for the 1985 hometown visits, which were before
    the numbered rounds. See the module docstring for families, persons and parts."""

    number: int | None
    kind: str
    starts: str
    ends: str
    venue_ko: str
    venue_en: str
    south_families: int | None
    north_families: int | None
    south_persons: int | None
    north_persons: int | None
    parts: tuple[RoundPart, ...]
    note_ko: str
    note_en: str
    sources: tuple[Source, ...]
    persons_total: int | None = None

    @property
    def month_only(self) -> bool:
        """True where only the month of the start is known ("YYYY-MM")."""
        return _MONTH.fullmatch(self.starts) is not None

    @property
    def families(self) -> int | None:
        """South + North families, or None unless both are known."""
        if self.south_families is None or self.north_families is None:
            return None
        return self.south_families + self.north_families

    @property
    def persons(self) -> int | None:
        """Persons of both sides: South + North where both are known, else the sources' total
        for both sides (`persons_total`), else None."""
        if self.south_persons is not None and self.north_persons is not None:
            return self.south_persons + self.north_persons
        return self.persons_total


@dataclass(frozen=True)
class ReportedTotal:
    """A total as a source gives it, with its date (`as_of`) and the rounds it covers
    (`in_person_rounds`: numbered in-person rounds 1..n; `video_rounds`: video rounds 1..m;
    None where it covers none of that kind). `combined_*` is in-person and video together
    where the source does not split them. `approximate` marks round figures ("about …")."""

    key: str
    as_of: str
    scope_ko: str
    scope_en: str
    in_person_rounds: int | None
    video_rounds: int | None
    in_person_families: int | None
    in_person_persons: int | None
    video_families: int | None
    video_persons: int | None
    combined_families: int | None
    combined_persons: int | None
    approximate: bool
    note_ko: str
    note_en: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class KnownSums:
    """The sums of the known figures of the rounds a `ReportedTotal` covers, and the rounds
    whose figures are not (fully) known, e.g. ("in_person 10 families", "video 2 persons")."""

    in_person_families: int
    in_person_persons: int
    video_families: int
    video_persons: int
    unknown: tuple[str, ...]


@dataclass(frozen=True)
class _Document:
    rounds: tuple[PastRound, ...]
    totals: tuple[ReportedTotal, ...]
    sources: tuple[Source, ...]


# ---- reading and checking the file ----------------------------------------------------------


def _fail(where: str, message: str) -> ValueError:
    return ValueError(f"history.json: {where}: {message}")


def _keys(obj: Any, expected: frozenset[str], where: str) -> Mapping[str, Any]:
    if not isinstance(obj, dict):
        raise _fail(where, f"must be an object, not {type(obj).__name__}")
    missing = expected - obj.keys()
    unknown = obj.keys() - expected
    if missing:
        raise _fail(where, f"missing field(s) {sorted(missing)}")
    if unknown:
        raise _fail(where, f"unknown field(s) {sorted(unknown)}")
    return obj


def _text(obj: Mapping[str, Any], key: str, where: str, *, empty: bool = False) -> str:
    value = obj[key]
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise _fail(where, f"{key} must be a{'' if empty else ' non-empty'} string, not {value!r}")
    return value


def _count(obj: Mapping[str, Any], key: str, where: str) -> int | None:
    value = obj[key]
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(where, f"{key} must be a non-negative integer or null, not {value!r}")
    return value


def _day(text: str, *, end: bool) -> date:
    """The first day of a "YYYY-MM-DD" or "YYYY-MM" date (the last day of the month for the
    end of a span known to the month)."""
    if _DAY.fullmatch(text):
        return date.fromisoformat(text)
    year, month = int(text[:4]), int(text[5:7])
    first = date(year, month, 1)
    if not end:
        return first
    following = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def _span(obj: Mapping[str, Any], where: str) -> tuple[str, str, date, date]:
    days: list[date] = []
    texts: list[str] = []
    for key in ("starts", "ends"):
        value = obj[key]
        if not isinstance(value, str) or not (_DAY.fullmatch(value) or _MONTH.fullmatch(value)):
            raise _fail(where, f"{key} must be an ISO date YYYY-MM-DD or YYYY-MM, not {value!r}")
        try:
            days.append(_day(value, end=key == "ends"))
        except ValueError:
            raise _fail(where, f"{key} is not a real date: {value!r}") from None
        texts.append(value)
    if days[1] < days[0]:
        raise _fail(where, f"ends ({texts[1]}) is before starts ({texts[0]})")
    return texts[0], texts[1], days[0], days[1]


def _sources(obj: Mapping[str, Any], where: str) -> tuple[Source, ...]:
    value = obj["sources"]
    if not isinstance(value, list) or not value:
        raise _fail(where, "sources must be a non-empty list")
    found = []
    for i, item in enumerate(value, 1):
        entry = _keys(item, _SOURCE_KEYS, f"{where}: source {i}")
        found.append(
            Source(
                url=_text(entry, "url", f"{where}: source {i}"),
                title=_text(entry, "title", f"{where}: source {i}"),
            )
        )
    return tuple(found)


def _round_name(item: Any, index: int) -> str:
    if isinstance(item, dict):
        kind, number = item.get("kind"), item.get("number")
        if kind in KINDS and isinstance(number, int) and not isinstance(number, bool):
            return f"{kind} round {number}"
        if kind in KINDS and number is None:
            return f"{kind} round without a number (starting {item.get('starts')!r})"
    return f"round #{index} in the list"


def _part(item: Any, where: str, first: date, last: date) -> RoundPart:
    entry = _keys(item, _PART_KEYS, where)
    starts, ends, start_day, end_day = _span(entry, where)
    if start_day < first or end_day > last:
        raise _fail(where, f"{starts}–{ends} lies outside the round's dates")
    applicants = entry["applicants"]
    if applicants not in SIDES:
        raise _fail(where, f"applicants must be one of {list(SIDES)}, not {applicants!r}")
    return RoundPart(
        label_ko=_text(entry, "label_ko", where),
        label_en=_text(entry, "label_en", where),
        starts=starts,
        ends=ends,
        applicants=applicants,
        families=_count(entry, "families", where),
        south_persons=_count(entry, "south_persons", where),
        north_persons=_count(entry, "north_persons", where),
        note_ko=_text(entry, "note_ko", where, empty=True),
        note_en=_text(entry, "note_en", where, empty=True),
    )


def _round(item: Any, index: int) -> tuple[PastRound, date]:
    where = _round_name(item, index)
    entry = _keys(item, _ROUND_KEYS, where)
    kind = entry["kind"]
    if kind not in KINDS:
        raise _fail(where, f"kind must be one of {list(KINDS)}, not {kind!r}")
    number = entry["number"]
    if number is None:
        if kind != "in_person":
            raise _fail(where, "only an in-person round may be without a number")
    elif isinstance(number, bool) or not isinstance(number, int):
        raise _fail(where, f"number must be an integer or null, not {number!r}")
    elif not 1 <= number <= ROUND_COUNT[kind]:
        raise _fail(where, f"number must be 1..{ROUND_COUNT[kind]} for {kind} rounds")
    starts, ends, first, last = _span(entry, where)
    parts_value = entry["parts"]
    if not isinstance(parts_value, list):
        raise _fail(where, "parts must be a list")
    parts = tuple(_part(p, f"{where}: part {i}", first, last) for i, p in enumerate(parts_value, 1))
    past = PastRound(
        number=number,
        kind=kind,
        starts=starts,
        ends=ends,
        venue_ko=_text(entry, "venue_ko", where),
        venue_en=_text(entry, "venue_en", where),
        south_families=_count(entry, "south_families", where),
        north_families=_count(entry, "north_families", where),
        south_persons=_count(entry, "south_persons", where),
        north_persons=_count(entry, "north_persons", where),
        parts=parts,
        note_ko=_text(entry, "note_ko", where, empty=True),
        note_en=_text(entry, "note_en", where, empty=True),
        sources=_sources(entry, where),
        persons_total=_count(entry, "persons_total", where),
    )
    return past, first


def _total(item: Any, index: int) -> ReportedTotal:
    key = item.get("key") if isinstance(item, dict) else None
    where = f"total {key!r}" if isinstance(key, str) else f"total #{index} in the list"
    entry = _keys(item, _TOTAL_KEYS, where)
    as_of = entry["as_of"]
    if not isinstance(as_of, str) or not (_DAY.fullmatch(as_of) or _MONTH.fullmatch(as_of)):
        raise _fail(where, f"as_of must be an ISO date YYYY-MM-DD or YYYY-MM, not {as_of!r}")
    try:
        _day(as_of, end=False)
    except ValueError:
        raise _fail(where, f"as_of is not a real date: {as_of!r}") from None
    for kind, field in (("in_person", "in_person_rounds"), ("video", "video_rounds")):
        covered = _count(entry, field, where)
        if covered is not None and covered > ROUND_COUNT[kind]:
            raise _fail(where, f"{field} must be at most {ROUND_COUNT[kind]}")
    if not isinstance(entry["approximate"], bool):
        raise _fail(where, "approximate must be true or false")
    return ReportedTotal(
        key=_text(entry, "key", where),
        as_of=as_of,
        scope_ko=_text(entry, "scope_ko", where),
        scope_en=_text(entry, "scope_en", where),
        in_person_rounds=_count(entry, "in_person_rounds", where),
        video_rounds=_count(entry, "video_rounds", where),
        in_person_families=_count(entry, "in_person_families", where),
        in_person_persons=_count(entry, "in_person_persons", where),
        video_families=_count(entry, "video_families", where),
        video_persons=_count(entry, "video_persons", where),
        combined_families=_count(entry, "combined_families", where),
        combined_persons=_count(entry, "combined_persons", where),
        approximate=entry["approximate"],
        note_ko=_text(entry, "note_ko", where, empty=True),
        note_en=_text(entry, "note_en", where, empty=True),
        sources=_sources(entry, where),
    )


def _parse_document(data: Any) -> _Document:
    doc = _keys(data, _DOCUMENT_KEYS, "document")
    for key in ("title_ko", "title_en", "conventions_ko", "conventions_en"):
        _text(doc, key, "document")
    if not isinstance(doc["rounds"], list):
        raise _fail("document", "rounds must be a list")
    if not isinstance(doc["totals"], list):
        raise _fail("document", "totals must be a list")

    parsed = [_round(item, i) for i, item in enumerate(doc["rounds"], 1)]
    for kind in KINDS:
        numbered = sorted(
            ((r.number, first) for r, first in parsed if r.kind == kind and r.number is not None),
            key=lambda pair: pair[0],
        )
        numbers = [n for n, _ in numbered]
        duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
        if duplicates:
            raise _fail(f"{kind} round {duplicates[0]}", "number appears more than once")
        missing = sorted(set(range(1, ROUND_COUNT[kind] + 1)) - set(numbers))
        if missing:
            raise _fail(f"{kind} rounds", f"round(s) {missing} missing")
        for (before, before_day), (after, after_day) in pairwise(numbered):
            if after_day <= before_day:
                raise _fail(f"{kind} round {after}", f"starts no later than round {before}")

    rounds = tuple(
        r for r, _ in sorted(parsed, key=lambda pair: (pair[1], KINDS.index(pair[0].kind)))
    )
    totals = tuple(_total(item, i) for i, item in enumerate(doc["totals"], 1))
    keys = [t.key for t in totals]
    if len(set(keys)) != len(keys):
        raise _fail("totals", "keys must be unique")
    return _Document(rounds=rounds, totals=totals, sources=_sources(doc, "document"))


def parse_history(data: dict[str, Any]) -> tuple[PastRound, ...]:
    """Checks a whole history document (rounds, totals, sources) and returns its rounds in
    order of their start (in-person before video on the same day). Raises ValueError naming
    the round and field at fault. `load_history()` is this applied to the packaged file."""
    return _parse_document(data).rounds


@cache
def _document() -> _Document:
    text = resources.files(DATA_PACKAGE).joinpath(DATA_PATH).read_text(encoding="utf-8")
    return _parse_document(json.loads(text))


# ---- the API --------------------------------------------------------------------------------


def load_history() -> tuple[PastRound, ...]:
    """All rounds of the packaged history, in order of their start (cached)."""
    return _document().rounds


def history_sources() -> tuple[Source, ...]:
    """The sources that cover the whole history (chronologies, the seed, the domain notes)."""
    return _document().sources


def totals() -> tuple[ReportedTotal, ...]:
    """The totals the sources give, each with its date and the rounds it covers."""
    return _document().totals


def year_of(past_round: PastRound) -> int:
    """The year a round started in."""
    return int(past_round.starts[:4])


def families_per_year(rounds: Iterable[PastRound] | None = None) -> dict[int, dict[str, int]]:
    """For each year with a round, the families reunited (South + North families) by kind,
    e.g. {2005: {"in_person": 398, "video": 240}, ...}. A family figure that is not known
    counts 0; such rounds are listed by `unknown_rounds_per_year()`. Includes the 1985
    hometown visits. `rounds` defaults to the packaged history."""
    result: dict[int, dict[str, int]] = {}
    for past in load_history() if rounds is None else rounds:
        counts = result.setdefault(year_of(past), dict.fromkeys(KINDS, 0))
        counts[past.kind] += (past.south_families or 0) + (past.north_families or 0)
    return dict(sorted(result.items()))


def unknown_rounds_per_year(
    rounds: Iterable[PastRound] | None = None,
) -> dict[int, tuple[PastRound, ...]]:
    """For each year, the rounds whose South or North family figure is not known (and so
    count 0, or only in part, in `families_per_year()`). Years without such rounds are absent."""
    result: dict[int, list[PastRound]] = {}
    for past in load_history() if rounds is None else rounds:
        if past.south_families is None or past.north_families is None:
            result.setdefault(year_of(past), []).append(past)
    return {year: tuple(found) for year, found in sorted(result.items())}


def known_sums(total: ReportedTotal, rounds: Iterable[PastRound] | None = None) -> KnownSums:
    """The sums of the known families and persons of the numbered rounds a reported total
    covers (in-person 1..`in_person_rounds`, video 1..`video_rounds`), to show beside it."""
    sums = dict.fromkeys(
        ("in_person_families", "in_person_persons", "video_families", "video_persons"), 0
    )
    unknown: list[str] = []
    covered = {"in_person": total.in_person_rounds or 0, "video": total.video_rounds or 0}
    for past in load_history() if rounds is None else rounds:
        if past.number is None or past.number > covered[past.kind]:
            continue
        for measure, value in (("families", past.families), ("persons", past.persons)):
            if value is None:
                unknown.append(f"{past.kind} {past.number} {measure}")
            else:
                sums[f"{past.kind}_{measure}"] += value
    return KnownSums(**sums, unknown=tuple(unknown))
