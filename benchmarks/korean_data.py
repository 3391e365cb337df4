"""Realistic North/South separated-families test data, for benchmarking record linkage.

The South sends a list of people sought (`sought.csv`), written by relatives in the South's
orthography, decades later and from memory; the North answers with a list of people it found
(`returned.csv`), in its own orthography, from official records, together with brothers and
sisters of those found and unrelated people. `truth.csv` pairs each sought person found with
their returned record; a sought person who was not found has no pair.

The population is people born 1925-1955 in the northern half of Korea, in families of 2-6
children sharing a surname, a father and a birthplace, brothers (and some sisters) often sharing
a generation syllable (돌림자). Every rate below is a named constant; nothing is tuned for a
particular linker. Deterministic for a seed: every draw comes from `random.Random(seed)`.

Besides the everyday noise (typos, lunar dates, ages, places of 1945, romanized names), the kinds
of pairs that real registries have and issue 22 names, each at a few percent:
- a given name remembered backwards (숙춘 for 춘숙): 2% of the sought;
- a romanized name in no standard system (Choy Cha Kum, Sil Ok Yum, Chong Chon): 30% of the
  romanized sought names, about 5% of the sought; vowels eo → o/u/ur, eu → u/oo, ae → ai/e, o →
  oh, first consonants ch/j, k/g, p/b, t/d, r/l, si/shi, surnames Choy, Yum, Rhee, Pak, Gang;
  the given syllables hyphened, spaced or run together; the surname last in half of them, as in
  all romanized names;
- a birthplace given only by its province of 1945 where the place now lies in another (경기도
  for 황해북도 개성시, 평안북도 for 자강도 희천시, 함경남도 for 량강도): 6% of such places on top of
  the 10% every place gets, about 7% of the sought in all;
- a year-only returned date one year off (25% of the 10% year-only dates), so that a full lunar
  date meets a year alone, or a year off, in about 3% of the pairs;
- a name the initial-sound rule rewrites (North 란옥, South 난옥) or with a glide after ㄴ/ㄹ
  (덕녀): a quarter of them have no date on one side, half of those with a vowel slip in the
  South's memory (덕너, 넌옥), about 2% of the sought.
`phenomena(...)` (or `--stats`) counts each kind in a data set.

    python benchmarks/korean_data.py --sought 2000 --returned 5000 --seed 1 --out DIR
    python benchmarks/korean_data.py --sought 2000 --returned 5000 --seed 1 --stats

Other benchmark scripts import it after putting this folder on `sys.path`.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import random
import re
import sys
import tempfile
import time
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from panmun.korean.calendars import leap_month_of, lunar_to_solar
from panmun.korean.gazetteer import Place, all_places
from panmun.korean.hangul import LEADS, TAILS, VOWELS, compose, decompose, is_syllable
from panmun.korean.orthography import south_form
from panmun.korean.romanization import mr_given_name, north_name, rr_given_name
from panmun.korean.surnames import Surname, all_surnames
from panmun.linkage.records import COLUMNS as CONTRACT_COLUMNS

# ---- population ------------------------------------------------------------------------------
BIRTH_FIRST, BIRTH_LAST = 1925, 1955  # birth years of everyone in the data
FIRST_CHILD_LAST = 1950  # the eldest child is born 1925-1950; the others follow
CHILDREN = {2: 0.22, 3: 0.26, 4: 0.24, 5: 0.17, 6: 0.11}  # children per family (before 1955)
SIBLING_GAP = (1, 5)  # years between one child and the next
MALE_RATE = 0.51
BROTHERS_GENERATION_SYLLABLE_RATE = 0.60  # families whose sons share a 돌림자
SISTERS_GENERATION_SYLLABLE_RATE = 0.25  # families whose daughters share one too
SINGLE_SYLLABLE_NAME_RATE = 0.04  # given names of one syllable (철, 숙)
COMMON_MALE_NAME_SHARE = 0.40  # sons named from the list of very common names, not syllables
COMMON_FEMALE_NAME_SHARE = 0.50  # daughters' names were more concentrated (순자, 영자, 정숙)
# Fathers, born about 1890-1925, seldom bear the fashion names of their children's generation
# (영수, 영철): their names come mostly from the syllable pools.
FATHER_COMMON_NAME_SHARE = 0.15
# Surname weights are the 2015 census populations where the table has them (ranks 1-18, 20);
# other ranked surnames get population(20) × (20 / rank) ** SURNAME_RANK_EXPONENT, which puts
# rank 50 near 150,000 as the census has it; unranked ones (황보, 선우, 용…) get a flat figure.
SURNAME_RANK_EXPONENT = 1.45
UNRANKED_SURNAME_POPULATION = 8_000
# Birthplace weights by kind of place of 1945: a city (부) held several counties' people.
ORIGIN_WEIGHTS = {"city": 4.0, "county": 1.0, "town": 1.0, "district": 1.0}

# ---- the sought list (the South's memory) ----------------------------------------------------
SECOND_SOUGHT_IN_FAMILY_RATE = 0.05  # an applicant seeks two brothers/sisters, not one
FOUND_RATE = 0.85  # sought people the North returns
FOUND_WITH_SIBLINGS_RATE = 0.50  # found people returned with 1-4 of their brothers and sisters
SIBLINGS_RETURNED = (1, 4)
NOT_FOUND_WITH_SIBLINGS_RATE = 0.30  # not found, but some brothers and sisters are returned
SOUGHT_DATE = {"solar": 0.35, "lunar": 0.30, "unknown": 0.15, "age": 0.12, "blank": 0.08}
UNKNOWN_CALENDAR_LUNAR_SHARE = 0.5  # a date with no calendar is the lunar one this often
SOUGHT_DATE_MEMORY_ERROR_RATE = 0.05  # a full date remembered with the wrong day or month
AGE_COUNTED_IN_LUNAR_YEARS = 0.5  # the Korean age ticked over at 설날, not on 1 January
AGE_YEAR_OFFSET = {0: 0.60, 1: 0.25, -1: 0.15}  # 세는 나이 vs 만 나이 mix-ups
AGE_WITH_MONTH_RATE = 0.25  # the year from the age, and the month remembered (YYYY-MM)
SOUGHT_NAME = {"hangul": 0.85, "hangul+latin": 0.08, "latin": 0.07}  # latin: applicant abroad
SOUGHT_GIVEN_TYPO_RATE = 0.08  # one jamo of the given name wrong (ㅓ/ㅕ, 순/숭, a dropped tail)
SOUGHT_SEX_RATE = 0.90
SOUGHT_FATHER_RATE = 0.70
SOUGHT_FATHER_RATE_LATIN_ONLY = 0.40  # applicants abroad who write no Hangul name
SOUGHT_FATHER_TYPO_RATE = 0.05
SOUGHT_PLACE = {
    "full": 0.45,  # 황해도 연백군
    "abbreviated": 0.07,  # 평북 강계
    "place": 0.15,  # 성진, 개풍군
    "province": 0.10,  # 함경남도
    "latin": 0.05,  # Kanggye, Pyongan-pukto
    "village": 0.08,  # 함경남도 북청군 신창면 (the 면 is not in the gazetteer)
    "blank": 0.10,
}
SOUGHT_PLACE_MISREMEMBERED_RATE = 0.03  # a neighbouring place of the same province
CITY_AS_BU_RATE = 0.30  # a city of 1945 written with 부 (평양부) rather than 시
# Pairs that real registries have (issue 22), on top of the noise above.
# A two-syllable given name remembered with its syllables the other way round (숙춘 for 춘숙).
SOUGHT_GIVEN_SWAPPED_RATE = 0.02
# Romanized names (sought side) spelled in no standard system: vowels (eo → o/u/ur, eu → u/oo,
# ae → ai/e, a final o → oh), first consonants (ch/j, k/g, p/b, t/d, r/l, si/shi) and surnames
# (Choy, Yum, Rhee, Pak, Gang…) as people abroad wrote them: Choy Cha Kum, Shil-yeo Moon.
LATIN_NONSTANDARD_RATE = 0.30
LATIN_VARIANT_RATE = 0.5  # … each variant that fits a syllable is taken this often (never RR/MR)
LATIN_SURNAME_VARIANT_RATE = 0.5  # … the surname in a spelling of no system, where one is listed
LATIN_SURNAME_LAST_RATE = 0.5  # romanized names with the surname last (Sil Ok Yum, Sun-kwon Lee)
# A birthplace now in another province (개풍 of 경기도 is 황해북도 개성시 today, 희천 of 평안북도
# is 자강도 희천시, 혜산 of 함경남도 is in 량강도) given only as its province of 1945, on top of
# the "province" kind above (which such places also get).
SOUGHT_PLACE_OLD_PROVINCE_RATE = 0.06
# A given name the initial-sound rule rewrites (North 란옥, South 난옥) or with a glide after
# ㄴ/ㄹ (덕녀): this often the date is missing on one side (half each) …
INITIAL_RULE_NO_DATE_RATE = 0.25
INITIAL_RULE_VOWEL_SLIP_SHARE = 0.5  # … and the South remembers a vowel wrong (덕너, 넌옥)

# ---- the returned list (the North's records) -------------------------------------------------
RETURNED_DATE = {"full": 0.80, "year": 0.10, "month": 0.05, "blank": 0.05}
RETURNED_CALENDAR_SOLAR = 0.60  # a full date says "solar"; otherwise the calendar is blank
RETURNED_DATE_ERROR_RATE = 0.03  # a full date off by a day or a month (transcription)
# A year-only date one year off: the year reckoned from a Korean age or from the lunar year.
RETURNED_YEAR_OFF_RATE = 0.25
RETURNED_NAME = {"hangul": 0.87, "hangul+latin": 0.10, "latin": 0.03}
RETURNED_NAME_TYPO_RATE = 0.02
RETURNED_JA_RENAMED_RATE = 0.10  # a Japanese-style -자 name changed after 1945 (순자 → 순희)
RETURNED_SEX_RATE = 0.97
RETURNED_FATHER_RATE = 0.60
RETURNED_FATHER_TYPO_RATE = 0.02
RETURNED_PLACE = {
    "full": 0.75,  # 자강도 강계시
    "village": 0.08,  # 함경남도 북청군 신창리
    "place": 0.07,  # 김책시
    "province": 0.03,  # 량강도
    "blank": 0.07,
}
FILLER_WITH_SIBLINGS_RATE = FOUND_WITH_SIBLINGS_RATE  # so that group size gives nothing away
FILLER_NAMESAKE_RATE = 0.10  # filler families one of whom bears a sought person's full name
NAMESAKE_YEAR_SPREAD = 3  # … and is born within this many years of them

COLUMNS = CONTRACT_COLUMNS  # the file contract of panmun link
BUCKET_ROWS = 1 << 16  # returned rows per temporary file while the list is put in its order

# ---- given names (North, i.e. true, forms) ---------------------------------------------------
MALE_COMMON = {
    **{"영수": 10, "영철": 9, "영호": 8, "영식": 7, "광수": 7, "정수": 7, "영길": 6, "상철": 6},
    **{"성수": 5, "영남": 5, "영일": 5, "정호": 5, "종수": 5, "병철": 5, "용수": 5, "철수": 5},
    **{"명수": 4, "만수": 4, "창수": 4, "춘식": 4, "동수": 4, "영근": 4, "재수": 3, "학수": 3},
    **{"기수": 3, "인수": 3, "순철": 3, "복남": 3, "정식": 3, "성철": 3, "용철": 3, "상수": 3},
    **{"영환": 3, "정남": 3, "경수": 3, "룡호": 3, "룡수": 3, "룡철": 2, "락원": 2, "명철": 2},
    **{"봉수": 2, "덕수": 2, "태호": 2, "진호": 2, "광호": 2, "량호": 1, "락천": 1, "규렬": 1},
}
FEMALE_COMMON = {
    **{"순자": 10, "영자": 9, "정숙": 8, "영숙": 8, "옥순": 7, "춘자": 7, "순옥": 6, "영순": 6},
    **{"순희": 6, "정자": 6, "영희": 6, "옥자": 5, "명숙": 5, "정희": 5, "복순": 5, "정순": 5},
    **{"말순": 4, "옥희": 4, "금순": 4, "숙자": 4, "경자": 4, "명자": 4, "순덕": 3, "화자": 3},
    **{"순남": 3, "점순": 3, "영애": 3, "정애": 3, "복희": 3, "금옥": 3, "례순": 3, "련희": 3},
    **{"분순": 2, "귀순": 2, "옥분": 2, "리화": 2, "련옥": 2, "례자": 2, "량순": 2, "려옥": 2},
    **{"봉순": 2, "길자": 2, "순애": 2, "녀옥": 1},
}
# Syllable pools for the long tail, most frequent first (weights fall off as a power law).
MALE_FIRST = "영정상병종재성광용기동학창명준태경석진형승문봉인희덕만춘길원윤한홍현철충순룡락련"
MALE_SECOND = "수철호식길남일석규환국진현모근삼룡렬성원준택선구범봉복만"
FEMALE_FIRST = "순영정옥명춘금복말경숙귀분점봉화은선혜양향련례리녀려량설월"
FEMALE_SECOND = "자순숙희옥애덕남분이례녀화실월련임심금"
MALE_SINGLE, FEMALE_SINGLE = "철훈혁건준석진호", "숙옥순희"
SYLLABLE_ZIPF = 0.9
JA_RENAMES = "희숙옥순"
VILLAGE_SYLLABLES = "동서남북상하신중대소송석청백금봉학용안평원천산덕흥곡수양장"
# Surname spellings of no system, found in emigrants' papers and letters (South forms as keys).
NONSTANDARD_SURNAMES = {
    **{"김": ("Kym", "Ghim"), "이": ("Ree", "Yee", "Ri"), "박": ("Bahk", "Pahk", "Back")},
    **{"최": ("Choy", "Chey", "Chwe"), "정": ("Chong", "Cheong", "Joung"), "강": ("Kahng",)},
    **{"조": ("Joe", "Choh"), "윤": ("Yune", "Youn"), "장": ("Chahng", "Jhang")},
    **{"임": ("Leem", "Rhim"), "한": ("Hann",), "신": ("Sheen", "Shinn"), "권": ("Kweon",)},
    **{"전": ("Chon", "Jhun"), "염": ("Yum", "Yeum", "Yom"), "유": ("Lyu", "Yuh")},
    **{"노": ("Rho", "Nho"), "허": ("Her", "Hu"), "서": ("So", "Surh"), "문": ("Moun",)},
    **{"황": ("Whang",), "송": ("Soung",), "홍": ("Houng",), "고": ("Kho",), "양": ("Lyang",)},
    **{"배": ("Bai", "Pai"), "백": ("Baik", "Back"), "남": ("Nahm",), "심": ("Sheem",)},
    **{"엄": ("Oum", "Eum"), "손": ("Sonn",), "변": ("Pyun", "Byeun")},
}

T = TypeVar("T")
Row = tuple[str, ...]
SUMMARY = "Realistic North/South separated-families test data for record-linkage benchmarks."


class Picker(Generic[T]):
    """Weighted choice by bisection on cumulative weights: one `random()` per draw."""

    __slots__ = ("cumulative", "items")

    def __init__(self, weighted: Mapping[T, float] | Sequence[tuple[T, float]]) -> None:
        pairs = list(weighted.items()) if isinstance(weighted, Mapping) else list(weighted)
        total = sum(weight for _, weight in pairs)
        self.items = [item for item, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight / total for _, weight in pairs))
        self.cumulative[-1] = 1.0  # random() < 1.0, so the index is always in range

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self.cumulative, rng.random())]


def _below(rng: random.Random, n: int) -> int:
    """A whole number in [0, n): `randrange` without its checks, which cost more than the draw."""
    return int(rng.random() * n)


def _between(rng: random.Random, bounds: tuple[int, int]) -> int:
    return bounds[0] + int(rng.random() * (bounds[1] - bounds[0] + 1))


def _zipf(syllables: str) -> Picker[str]:
    return Picker([(s, 1.0 / (i + 1) ** SYLLABLE_ZIPF) for i, s in enumerate(syllables)])


@dataclass(frozen=True)
class Dataset:
    sought: list[dict[str, str]]
    returned: list[dict[str, str]]
    truth: list[tuple[str, str]]


@dataclass(slots=True)
class Child:
    given: str  # the true (North) form
    sex: str
    birth: date


@dataclass(slots=True)
class Family:
    surname: Surname
    father: str  # the father's given name, North form
    origin: Place  # the birthplace as of 1945
    today: Place  # what the North calls it now
    village: str  # the 면 of 1945 (South memory) …
    ri: str  # … and today's 리 (North records)
    children: list[Child]


# ---- reference tables, built once --------------------------------------------------------------


@dataclass(frozen=True)
class NamePool:
    common: Picker[str]
    common_share: float  # names drawn from `common` rather than built from syllables
    first: Picker[str]
    second: Picker[str]
    single: Picker[str]


@dataclass(frozen=True)
class Tables:
    surnames: Picker[Surname]
    origins: Picker[Place]
    origins_by_province: dict[str, list[Place]]
    successors: dict[str, list[Place]]
    provinces: dict[str, Place]  # province of 1945 by name
    names: dict[str, NamePool]  # by sex, "M" or "F"
    villages: list[str]  # two-syllable names for 면 and 리
    lunar_first: int  # ordinal of the first solar day in `lunar`
    lunar: list[tuple[int, int, int, bool]]  # (year, month, day, leap) per solar day


def _surname_weight(surname: Surname, anchor: int) -> float:
    if surname.population_2015:
        return float(surname.population_2015)
    if surname.rank_2015 is None:
        return float(UNRANKED_SURNAME_POPULATION)
    return float(anchor * (20 / surname.rank_2015) ** SURNAME_RANK_EXPONENT)


def _lunar_days(first_year: int, last_year: int) -> tuple[int, list[tuple[int, int, int, bool]]]:
    """Every solar day from lunar `first_year`-01-01 to the end of lunar `last_year`, as a lunar
    date. Built from the solar dates of the lunar months' first days (a few hundred conversions
    through panmun.korean.calendars) instead of one conversion per day."""
    starts: list[tuple[int, int, int, bool]] = []  # (ordinal, year, month, leap)
    for year in range(first_year, last_year + 2):
        leap = leap_month_of(year)
        for month in range(1, 13):
            for is_leap in (False, True) if month == leap else (False,):
                first = lunar_to_solar(year, month, 1, is_leap)
                starts.append((first.toordinal(), year, month, is_leap))
    starts.sort()
    days: list[tuple[int, int, int, bool]] = []
    for (start, year, month, leap), (end, *_) in itertools.pairwise(starts):
        days.extend((year, month, day, leap) for day in range(1, end - start + 1))
    return starts[0][0], days


@cache
def tables() -> Tables:
    surnames = all_surnames()
    anchor = next((s.population_2015 for s in surnames if s.rank_2015 == 20), 558_853) or 558_853
    places = all_places()
    by_id = {p.id: p for p in places}
    origins: list[Place] = []
    successors: dict[str, list[Place]] = {}
    for p in places:
        if p.kind not in ORIGIN_WEIGHTS or p.period == "current" or p.province_then is None:
            continue
        after = [p] if p.period == "both" else [by_id[t] for t in p.became]
        if after:  # places of 1945 with no successor in the North (연천, 중화) are left out
            origins.append(p)
            successors[p.id] = after
    by_province: dict[str, list[Place]] = {}
    for p in origins:
        by_province.setdefault(str(p.province_then), []).append(p)
    provinces: dict[str, Place] = {}
    for p in places:  # the pre-1945 entry wins over today's province of the same name
        if p.kind == "province" and (p.period == "pre1945" or p.name_south not in provinces):
            provinces[p.name_south] = p
    pools = (
        ("M", MALE_COMMON, COMMON_MALE_NAME_SHARE, MALE_FIRST, MALE_SECOND, MALE_SINGLE),
        ("F", FEMALE_COMMON, COMMON_FEMALE_NAME_SHARE, FEMALE_FIRST, FEMALE_SECOND, FEMALE_SINGLE),
    )
    names = {
        sex: NamePool(Picker(common), share, _zipf(first), _zipf(second), _zipf(single))
        for sex, common, share, first, second, single in pools
    }
    lunar_first, lunar = _lunar_days(BIRTH_FIRST - 2, BIRTH_LAST + 1)
    return Tables(
        surnames=Picker([(s, _surname_weight(s, anchor)) for s in surnames]),
        origins=Picker([(p, ORIGIN_WEIGHTS[p.kind]) for p in origins]),
        origins_by_province=by_province,
        successors=successors,
        provinces=provinces,
        names=names,
        villages=[a + b for a in VILLAGE_SYLLABLES for b in VILLAGE_SYLLABLES if a != b],
        lunar_first=lunar_first,
        lunar=lunar,
    )


def lunar_of(day: date) -> tuple[int, int, int, bool]:
    """(year, month, day, leap month) of a solar day, from the precomputed table."""
    t = tables()
    return t.lunar[day.toordinal() - t.lunar_first]


# ---- people ----------------------------------------------------------------------------------


def _pair(pool: NamePool, rng: random.Random, first: str = "", second: str = "") -> str:
    """Two syllables from the pools, either of them fixed (never the same syllable twice)."""
    a = b = ""
    for _ in range(16):
        a = first or pool.first.pick(rng)
        b = second or pool.second.pick(rng)
        if a != b:
            break
    return a + b


def given_name(rng: random.Random, sex: str, generation: tuple[str, int] | None = None) -> str:
    """A given name of the period, or one built on a generation syllable at its position."""
    pool = tables().names[sex]
    if generation is not None:
        syllable, position = generation
        return _pair(pool, rng, *((syllable, "") if position == 0 else ("", syllable)))
    roll = rng.random()
    if roll < SINGLE_SYLLABLE_NAME_RATE:
        return pool.single.pick(rng)
    if roll < SINGLE_SYLLABLE_NAME_RATE + pool.common_share:
        return pool.common.pick(rng)
    return _pair(pool, rng)


def _generation(rng: random.Random, sex: str, rate: float) -> tuple[str, int] | None:
    if rng.random() >= rate:
        return None
    pool = tables().names[sex]
    return (pool.first.pick(rng), 0) if rng.random() < 0.5 else (pool.second.pick(rng), 1)


_YEARS = {y: (date(y, 1, 1).toordinal(), 366 if y % 4 == 0 else 365) for y in range(1901, 2000)}


def _birthday(rng: random.Random, year: int) -> date:
    first, days = _YEARS[year]
    return date.fromordinal(first + int(rng.random() * days))


def make_family(rng: random.Random, keep: int = 0) -> Family:
    """A family of 1945. With `keep`, only that many of its children, drawn at random, are
    named and kept (the others are never seen, so their names are not drawn)."""
    t = tables()
    origin = t.origins.pick(rng)
    after = t.successors[origin.id]
    today = after[int(rng.random() * len(after))] if len(after) > 1 else after[0]
    father = _pair(t.names["M"], rng) if rng.random() >= FATHER_COMMON_NAME_SHARE else ""
    n = len(t.villages)
    places = int(rng.random() * n * n)
    family = Family(
        surname=t.surnames.pick(rng),
        father=father or t.names["M"].common.pick(rng),
        origin=origin,
        today=today,
        village=t.villages[places % n],
        ri=t.villages[places // n],
        children=[],
    )
    generations = {
        "M": _generation(rng, "M", BROTHERS_GENERATION_SYLLABLE_RATE),
        "F": _generation(rng, "F", SISTERS_GENERATION_SYLLABLE_RATE),
    }
    year = BIRTH_FIRST + int(rng.random() * (FIRST_CHILD_LAST - BIRTH_FIRST + 1))
    born: list[tuple[str, int]] = []
    for index in range(_CHILDREN.pick(rng)):
        if index:
            year += _between(rng, SIBLING_GAP)
            if year > BIRTH_LAST:
                break
        born.append(("M" if rng.random() < MALE_RATE else "F", year))
    if keep:  # a partial shuffle: `keep` children drawn at random, in random order
        for i in range(min(keep, len(born))):
            j = i + _below(rng, len(born) - i)
            born[i], born[j] = born[j], born[i]
        del born[keep:]
    used: set[str] = set()
    for sex, year in born:
        name = given_name(rng, sex, generations[sex])
        for _ in range(8):  # brothers and sisters do not share a given name
            if name not in used:
                break
            name = given_name(rng, sex, generations[sex] if rng.random() < 0.5 else None)
        used.add(name)
        family.children.append(Child(name, sex, _birthday(rng, year)))
    return family


@cache
def south_given(given: str) -> str:
    """The South's spelling of a given name (cached: names repeat)."""
    return south_form(given)


# ---- noise -----------------------------------------------------------------------------------

_VOWEL_SLIPS = dict(
    zip(
        "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ",
        "ㅓㅔㅕㅖㅕㅐㅓㅔㅜㅝㅚㅙㅠㅗㅘㅚㅢㅛㅜㅣㅢ",
        strict=True,
    )
)
_LEAD_SLIPS = dict(zip("ㄱㅋㄷㅌㅂㅍㅈㅊㅅㅆㄲㄸㅃㅉ", "ㅋㄱㅌㄷㅍㅂㅊㅈㅆㅅㄱㄷㅂㅈ", strict=True))
_TAIL_SLIPS = {"ㄴ": "ㅇ", "ㅇ": "ㄴ", "ㅁ": "ㄴ", "ㄱ": "ㅇ", "ㄹ": "ㄴ", "ㅂ": "ㅁ"}


def jamo_typo(word: str, rng: random.Random) -> str:
    """One jamo of one syllable changed: a similar vowel (ㅓ/ㅕ, ㅐ/ㅔ, ㅗ/ㅜ), a similar lead
    consonant (ㄱ/ㅋ, ㅈ/ㅊ), a confused tail (순/숭) or a dropped tail (옥 → 오)."""
    positions = [i for i, c in enumerate(word) if is_syllable(c)]
    if not positions:
        return word
    i = positions[_below(rng, len(positions))]
    s = decompose(word[i])
    roll = rng.random()
    lead, vowel, tail = s.lead, s.vowel, s.tail
    if roll < 0.3 and tail:
        slip = _TAIL_SLIPS.get(TAILS[tail])
        tail = TAILS.index(slip) if slip and rng.random() < 0.6 else 0
    elif roll < 0.45 and LEADS[lead] in _LEAD_SLIPS:
        lead = LEADS.index(_LEAD_SLIPS[LEADS[lead]])
    else:
        vowel = VOWELS.index(_VOWEL_SLIPS[VOWELS[vowel]])
    return word[:i] + compose(lead, vowel, tail) + word[i + 1 :]


_GLIDES = dict(zip("ㅑㅒㅕㅖㅛㅠ", "ㅏㅐㅓㅔㅗㅜ", strict=True))  # 녀 → 너, 례 → 레, 료 → 로


@cache
def initial_rule_name(north_given: str) -> bool:
    """A given name the South writes differently by the initial-sound rule (란옥 → 난옥, 례순 →
    예순) or with a glide after ㄴ/ㄹ that speech drops (덕녀, 정련)."""
    if south_given(north_given) != north_given:
        return True
    for char in north_given:
        if is_syllable(char):
            s = decompose(char)
            if LEADS[s.lead] in "ㄴㄹ" and VOWELS[s.vowel] in _GLIDES:
                return True
    return False


def _glide_dropped(char: str) -> bool:
    """A syllable whose glide speech drops: after ㄴ/ㄹ (녀, 련, 례), and 예 (heard as 에)."""
    if not is_syllable(char):
        return False
    s = decompose(char)
    lead, vowel = LEADS[s.lead], VOWELS[s.vowel]
    return (lead in "ㄴㄹ" and vowel in _GLIDES) or (lead == "ㅇ" and vowel == "ㅖ")


def vowel_slip(word: str, rng: random.Random) -> str:
    """A remembered vowel gone wrong: a glide dropped where speech drops it (덕녀 → 덕너, 예순 →
    에순), else a similar vowel in one syllable (난옥 → 넌옥)."""
    glides = [i for i, c in enumerate(word) if _glide_dropped(c)]
    positions = glides or [i for i, c in enumerate(word) if is_syllable(c)]
    if not positions:
        return word
    i = positions[_below(rng, len(positions))]
    s = decompose(word[i])
    vowel = VOWELS[s.vowel]
    slipped = _GLIDES[vowel] if glides else _VOWEL_SLIPS[vowel]
    return word[:i] + compose(s.lead, VOWELS.index(slipped), s.tail) + word[i + 1 :]


# Passport-style spellings as people abroad write them (선권 → Sun-kwon, 영수 → Young-soo).
def _words(text: str) -> list[str]:
    return text.split()


_FOLK_LEADS = dict(zip(LEADS, _words("k kk n d tt r m b pp s ss _ j jj ch k t p h"), strict=True))
_FOLK_VOWELS = dict(
    zip(VOWELS, _words("a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i"), strict=True)
)
_FOLK_TAIL_GROUPS = {
    "ㄱㄲㄳㄺㅋ": "k",
    "ㄴㄵㄶ": "n",
    "ㄹㄼㄽㄾㅀ": "l",
    "ㅁㄻ": "m",
    "ㅂㅄㅍㄿ": "p",
}
_FOLK_TAILS = {t: c for tails, c in _FOLK_TAIL_GROUPS.items() for t in tails} | {
    **dict.fromkeys("ㄷㅅㅆㅈㅊㅌㅎ", "t"),
    "ㅇ": "ng",
    "": "",
}


def _plain(text: str) -> str:
    """Without breves (Sŏn → Son)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def folk_syllable(char: str) -> str:
    s = decompose(char)
    lead, vowel, tail = LEADS[s.lead], VOWELS[s.vowel], TAILS[s.tail]
    consonant = _FOLK_LEADS[lead].strip("_")
    sound = _FOLK_VOWELS[vowel]
    if vowel == "ㅓ":
        sound = "u" if tail else "eo"
    elif vowel == "ㅕ" and tail:
        sound = "you" if lead == "ㅇ" and tail == "ㅇ" else "yu"
    elif vowel == "ㅜ" and tail in ("", "ㄴ", "ㄱ"):
        sound = "oo"
    elif vowel == "ㅢ" and lead == "ㅎ":
        sound = "ee"
    if lead == "ㅅ" and vowel == "ㅣ":
        consonant = "sh"
    return consonant + sound + _FOLK_TAILS[tail]


def latin_given(given: str, rng: random.Random) -> str:
    """A South-form given name as an applicant abroad spells it: folk passport style
    (Sun-kwon, Sun Kwon, Sunkwon), Revised Romanization (Seon-gwon) or MR (Son-gwon)."""
    roll = rng.random()
    if roll < 0.25:
        return rr_given_name(given)
    if roll < 0.40:
        return mr_given_name(given, breves=False)
    parts = [folk_syllable(c) for c in given if is_syllable(c)]
    style = rng.random()
    if style < 0.5:
        return "-".join(parts).capitalize()
    if style < 0.8:
        return " ".join(p.capitalize() for p in parts)
    return "".join(parts).capitalize()


@cache
def _syllable_spellings(char: str) -> tuple[str, ...]:
    """The spellings of a syllable that a non-standard one starts from: folk, RR and MR."""
    mr = _plain(mr_given_name(char, breves=False)).replace("'", "").lower()
    return tuple(dict.fromkeys((folk_syllable(char), rr_given_name(char).lower(), mr)))


_LEAD = re.compile(r"^(ch|sh|kk|tt|pp|ss|jj|[bcdghjklmnprstw]?)")
_LEAD_SWAPS = dict(zip(_words("ch j k g p b t d r l"), _words("j ch g k b p d t l r"), strict=True))
_VOWEL_SWAPS = (("eo", ("o", "u", "ur")), ("eu", ("u", "oo")), ("ae", ("ai", "e")))


def _vary(syllable: str, rng: random.Random) -> str:
    """A lower-case syllable with some of the non-standard changes that fit it: its first
    consonant (ch/j, k/g, p/b, t/d, r/l, si/shi), its vowel (eo, eu, ae), a final o as oh."""
    head = _LEAD.match(syllable)
    lead = head.group(1) if head else ""
    if lead in _LEAD_SWAPS:
        if rng.random() < LATIN_VARIANT_RATE:
            syllable = _LEAD_SWAPS[lead] + syllable[len(lead) :]
    elif (
        lead in ("s", "sh")
        and syllable[len(lead) :].startswith("i")
        and rng.random() < LATIN_VARIANT_RATE
    ):
        syllable = ("sh" if lead == "s" else "s") + syllable[len(lead) :]
    for vowel, spellings in _VOWEL_SWAPS:
        at = syllable.find(vowel)
        if at >= 0:
            if rng.random() < LATIN_VARIANT_RATE:
                final = at + len(vowel) == len(syllable)
                options = spellings if final else tuple(o for o in spellings if o != "ur")
                syllable = syllable.replace(vowel, options[_below(rng, len(options))], 1)
            break
    ends_in_o = syllable.endswith("o") and not syllable.endswith(("oo", "eo"))
    if ends_in_o and rng.random() < LATIN_VARIANT_RATE:
        syllable += "h"
    return syllable


@cache
def _standard_spellings(given: str) -> frozenset[str]:
    """The given name in the two systems, RR and MR, lower case, run together."""
    mr = _plain(mr_given_name(given, breves=False))
    spellings = (rr_given_name(given), mr)
    return frozenset("".join(c for c in s.lower() if c.isalpha()) for s in spellings)


def nonstandard_given(given: str, rng: random.Random) -> str:
    """A given name in no standard system: each syllable from a folk, RR or MR spelling with
    some of the variants that fit it, drawn again (a few times) while the whole is its RR or
    MR spelling; the syllables joined with a hyphen, a space or nothing (Shil-yeo, Cha
    Kum, Chakoom)."""
    standard = _standard_spellings(given)
    parts: list[str] = []
    for _ in range(16):
        parts = []
        for char in given:
            if is_syllable(char):
                spellings = _syllable_spellings(char)
                parts.append(_vary(spellings[_below(rng, len(spellings))], rng))
        if "".join(parts) not in standard:
            break
    style = rng.random()
    if style < 1 / 3:
        return "-".join(parts).capitalize()
    if style < 2 / 3:
        return " ".join(p.capitalize() for p in parts)
    return "".join(parts).capitalize()


@cache
def _surname_spellings(surname: Surname) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_plain(s).replace("'", "") for s in surname.latin_spellings))


def latin_name(
    surname: Surname, given: str, rng: random.Random, counts: Counter[str] | None = None
) -> str:
    """A passport-style whole name: "Lee Sun-kwon", "Sun Kwon Lee", "YI Seon-gwon"; or, at
    LATIN_NONSTANDARD_RATE, one in no standard system: "Choy Cha Kum", "Sil Ok Yum"."""
    counts = Counter() if counts is None else counts
    nonstandard = rng.random() < LATIN_NONSTANDARD_RATE
    if nonstandard:
        counts["s_latin_nonstandard"] += 1
        odd = NONSTANDARD_SURNAMES.get(surname.south, ())
        if odd and rng.random() < LATIN_SURNAME_VARIANT_RATE:
            counts["s_latin_surname_nonstandard"] += 1
            family = odd[_below(rng, len(odd))]
        else:
            spellings = _surname_spellings(surname)
            family = spellings[_below(rng, len(spellings))]
        first = nonstandard_given(given, rng)
    else:
        spellings = surname.passport
        family = spellings[0] if rng.random() < 0.6 else spellings[_below(rng, len(spellings))]
        if rng.random() < 0.2:
            family = family.upper()
        first = latin_given(given, rng)
    if rng.random() < LATIN_SURNAME_LAST_RATE:
        counts["s_latin_surname_last"] += 1
        counts["s_latin_nonstandard_surname_last"] += nonstandard
        return f"{first} {family}"
    return f"{family} {first}"


# ---- places ----------------------------------------------------------------------------------


def _unit_1945(p: Place, rng: random.Random) -> str:
    if p.kind == "county":
        return "군"
    if p.kind == "city":
        return "부" if rng.random() < CITY_AS_BU_RATE else "시"
    return "읍" if p.kind == "town" else ""


def _unit_today(p: Place) -> str:
    if p.kind in ("city", "special_city"):
        return "시"
    return "군" if p.kind == "county" else ""


def province_changed(family: Family) -> bool:
    """Whether the birthplace lies today outside its province of 1945, or in one renamed or
    split since (개풍 of 경기도 → 황해북도 개성시, 희천 of 평안북도 → 자강도, 황해도 → 황해남도)."""
    return family.today.province_now != family.origin.province_then


def sought_place(family: Family, rng: random.Random, kind: str) -> str:
    """The birthplace as relatives in the South remember it: the place of 1945, South forms."""
    t = tables()
    origin = family.origin
    province = str(origin.province_then)
    if rng.random() < SOUGHT_PLACE_MISREMEMBERED_RATE:
        neighbours = t.origins_by_province[province]
        origin = neighbours[_below(rng, len(neighbours))]
    name = origin.name_south + (_unit_1945(origin, rng) if rng.random() < 0.7 else "")
    if kind == "full":
        return f"{province} {name}"
    if kind == "abbreviated":
        aliases = t.provinces[province].aliases
        return f"{aliases[0] if aliases else province} {name}"
    if kind == "place":
        return name
    if kind in ("province", "old_province"):
        return province
    if kind == "village":
        return f"{province} {origin.name_south}{_unit_1945(origin, rng)} {family.village}면"
    if kind == "latin":
        spelled = origin.latin[_below(rng, len(origin.latin))]
        if rng.random() < 0.5:
            latins = t.provinces[province].latin
            spelled += ", " + latins[_below(rng, len(latins))]
        return spelled
    return ""


def returned_place(family: Family, rng: random.Random, kind: str) -> str:
    """The birthplace as the North names it today (자강도 강계시, 라선시), North forms."""
    today = family.today
    name = today.name_north + _unit_today(today)
    province = today.province_now or ""
    if kind in ("full", "village"):
        text = f"{province} {name}".strip()
        return f"{text} {family.ri}리" if kind == "village" else text
    if kind == "place":
        return name
    if kind == "province":
        return province or name
    return ""


# ---- dates -----------------------------------------------------------------------------------


def _iso(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


def _slip(year: int, month: int, day: int, rng: random.Random) -> tuple[int, int, int]:
    """A remembered date with the wrong day, or the month off by one (valid in any calendar)."""
    if rng.random() < 0.5:
        return year, month, rng.randint(1, 28)
    month = min(12, max(1, month + rng.choice((-1, 1))))
    return year, month, min(day, 28)


def sought_date(birth: date, rng: random.Random, counts: Counter[str]) -> tuple[str, str]:
    kind = _SOUGHT_DATE.pick(rng)
    if kind == "blank":
        counts["s_date_blank"] += 1
        return "", ""
    lunar = lunar_of(birth)
    if kind == "age":
        in_lunar = rng.random() < AGE_COUNTED_IN_LUNAR_YEARS
        year = (lunar[0] if in_lunar else birth.year) + _AGE_OFFSET.pick(rng)
        counts["s_date_year_from_age"] += 1
        if rng.random() < AGE_WITH_MONTH_RATE:
            counts["s_date_year_month"] += 1
            return f"{year:04d}-{(lunar[1] if in_lunar else birth.month):02d}", ""
        return f"{year:04d}", ""
    use_lunar = kind == "lunar" or (
        kind == "unknown" and rng.random() < UNKNOWN_CALENDAR_LUNAR_SHARE
    )
    ymd = lunar[:3] if use_lunar else (birth.year, birth.month, birth.day)
    counts[f"s_date_{kind}"] += 1
    if use_lunar and lunar[3]:
        counts["s_date_leap_month_written_plain"] += 1
    if rng.random() < SOUGHT_DATE_MEMORY_ERROR_RATE:
        counts["s_date_memory_error"] += 1
        ymd = _slip(*ymd, rng)
    calendar = {"solar": "solar", "lunar": "lunar"}.get(kind, "")
    return _iso(*ymd), calendar


def returned_date(birth: date, rng: random.Random, counts: Counter[str]) -> tuple[str, str]:
    kind = _RETURNED_DATE.pick(rng)
    counts[f"r_date_{kind}"] += 1
    if kind == "blank":
        return "", ""
    if kind == "year":
        if rng.random() < RETURNED_YEAR_OFF_RATE:
            counts["r_date_year_off"] += 1
            return f"{birth.year + (1 if rng.random() < 0.5 else -1):04d}", ""
        return f"{birth.year:04d}", ""
    if kind == "month":
        return f"{birth.year:04d}-{birth.month:02d}", ""
    if rng.random() < RETURNED_DATE_ERROR_RATE:
        counts["r_date_transcription_error"] += 1
        if rng.random() < 0.5:
            birth += timedelta(days=rng.choice((-1, 1)))
        else:
            month = min(12, max(1, birth.month + rng.choice((-1, 1))))
            birth = date(birth.year, month, min(birth.day, 28))
    return birth.isoformat(), "solar" if rng.random() < RETURNED_CALENDAR_SOLAR else ""


_CHILDREN: Picker[int] = Picker(CHILDREN)
_SOUGHT_DATE: Picker[str] = Picker(SOUGHT_DATE)
_AGE_OFFSET: Picker[int] = Picker(AGE_YEAR_OFFSET)
_RETURNED_DATE: Picker[str] = Picker(RETURNED_DATE)
_SOUGHT_NAME: Picker[str] = Picker(SOUGHT_NAME)
_RETURNED_NAME: Picker[str] = Picker(RETURNED_NAME)
_SOUGHT_PLACE: Picker[str] = Picker(SOUGHT_PLACE)
_RETURNED_PLACE: Picker[str] = Picker(RETURNED_PLACE)


# ---- records ---------------------------------------------------------------------------------


def sought_row(
    record_id: str, family: Family, child: Child, rng: random.Random, counts: Counter[str]
) -> tuple[Row, bool]:
    """The sought record, and whether the North's record of this person is to have no date
    (the initial-sound-rule names of INITIAL_RULE_NO_DATE_RATE)."""
    surname = family.surname
    true_given = south_given(child.given)
    remembered = true_given  # what the applicant remembers, in Hangul and in Latin letters
    if (
        len(remembered) == 2
        and remembered[0] != remembered[1]
        and rng.random() < SOUGHT_GIVEN_SWAPPED_RATE
    ):
        counts["s_given_swapped"] += 1
        remembered = remembered[::-1]
    no_date_here = no_date_there = False
    if initial_rule_name(child.given) and rng.random() < INITIAL_RULE_NO_DATE_RATE:
        counts["s_initial_rule_no_date"] += 1
        if rng.random() < INITIAL_RULE_VOWEL_SLIP_SHARE:
            counts["s_initial_rule_vowel_slip"] += 1
            remembered = vowel_slip(remembered, rng)
        no_date_here = rng.random() < 0.5
        no_date_there = not no_date_here
        counts[f"s_initial_rule_no_date_{'sought' if no_date_here else 'returned'}"] += 1
    given = remembered
    name_kind = _SOUGHT_NAME.pick(rng)
    counts[f"s_name_{name_kind}"] += 1
    if child.given != true_given or surname.south != surname.north:
        counts["s_name_spelled_differently_north"] += 1
    family_name, latin = surname.south, ""
    if name_kind == "latin":
        family_name, given = "", ""
        latin = latin_name(surname, remembered, rng, counts)
    else:
        if rng.random() < SOUGHT_GIVEN_TYPO_RATE:
            counts["s_given_typo"] += 1
            given = jamo_typo(given, rng)
        if name_kind == "hangul+latin":
            latin = latin_name(surname, remembered, rng, counts)
    sex = child.sex if rng.random() < SOUGHT_SEX_RATE else ""
    if no_date_here:
        birth, calendar = "", ""
    else:
        birth, calendar = sought_date(child.birth, rng, counts)
    place_kind = _SOUGHT_PLACE.pick(rng)
    moved = province_changed(family)
    if (
        moved
        and place_kind not in ("province", "blank")
        and rng.random() < SOUGHT_PLACE_OLD_PROVINCE_RATE
    ):
        place_kind = "old_province"
    place = sought_place(family, rng, place_kind)
    father = ""
    if rng.random() < (
        SOUGHT_FATHER_RATE_LATIN_ONLY if name_kind == "latin" else SOUGHT_FATHER_RATE
    ):
        father = surname.south + south_given(family.father)
        if rng.random() < SOUGHT_FATHER_TYPO_RATE:
            counts["s_father_typo"] += 1
            father = father[: len(surname.south)] + jamo_typo(father[len(surname.south) :], rng)
    if not (birth or place or father):  # keep every record decidable by a careful reader
        place_kind = "full"
        place = sought_place(family, rng, place_kind)
    counts[f"s_place_{place_kind}"] += 1
    counts["s_place_province_only_now_elsewhere"] += moved and place_kind in (
        "province",
        "old_province",
    )
    counts["s_sex_blank"] += not sex
    counts["s_father"] += bool(father)
    row = (record_id, family_name, given, latin, sex, birth, calendar, place, father)
    return row, no_date_there


def returned_row(
    record_id: str,
    family: Family,
    child: Child,
    rng: random.Random,
    counts: Counter[str],
    no_date: bool = False,
) -> Row:
    surname = family.surname
    given = child.given
    if given.endswith("자") and child.sex == "F" and rng.random() < RETURNED_JA_RENAMED_RATE:
        counts["r_ja_renamed"] += 1
        given = given[:-1] + JA_RENAMES[_below(rng, len(JA_RENAMES))]
    if rng.random() < RETURNED_NAME_TYPO_RATE:
        counts["r_given_typo"] += 1
        given = jamo_typo(given, rng)
    name_kind = _RETURNED_NAME.pick(rng)
    counts[f"r_name_{name_kind}"] += 1
    family_name, latin = surname.north, ""
    if name_kind != "hangul":
        latin = _north_latin(surname.north, given)
    if name_kind == "latin":
        family_name, given = "", ""
    sex = child.sex if rng.random() < RETURNED_SEX_RATE else ""
    if no_date:
        counts["r_date_blank_initial_rule"] += 1
        birth, calendar = "", ""
    else:
        birth, calendar = returned_date(child.birth, rng, counts)
    place_kind = _RETURNED_PLACE.pick(rng)
    place = returned_place(family, rng, place_kind)
    father = ""
    if rng.random() < RETURNED_FATHER_RATE:
        father = family.father
        if rng.random() < RETURNED_FATHER_TYPO_RATE:
            counts["r_father_typo"] += 1
            father = jamo_typo(father, rng)
        father = surname.north + father
    if not (birth or place or father):
        place_kind = "full"
        place = returned_place(family, rng, place_kind)
    counts[f"r_place_{place_kind}"] += 1
    counts["r_father"] += bool(father)
    return (record_id, family_name, given, latin, sex, birth, calendar, place, father)


@cache
def _north_latin(family: str, given: str) -> str:
    return north_name(family, given)


# ---- the generator ---------------------------------------------------------------------------


class Sink(Protocol):
    def sought(self, row: Row) -> None: ...
    def returned(self, position: int, row: Row) -> None: ...
    def truth(self, sought_id: str, returned_id: str) -> None: ...


def _generate(n_sought: int, n_returned: int, seed: int, sink: Sink) -> Counter[str]:
    """Draw the whole data set, handing rows to `sink`; the returned rows come with their place
    in the shuffled list. Returns the count of each phenomenon."""
    if n_sought < 0 or n_returned < 0:
        raise ValueError("counts must not be negative")
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    order = array("l", range(n_returned))
    shuffler = random.Random(rng.getrandbits(64))  # noqa: S311
    shuffler.shuffle(order)  # row k of the draw sits at order[k]
    counts: Counter[str] = Counter()
    emitted = 0

    def emit(family: Family, child: Child, role: str, no_date: bool = False) -> Row:
        nonlocal emitted
        position = order[emitted]
        emitted += 1
        row = returned_row(f"R{position + 1:07d}", family, child, rng, counts, no_date)
        sink.returned(position, row)
        counts[f"r_{role}"] += 1
        return row

    sought_names: dict[tuple[str, str], int] = {}  # true full name → how many sought bear it
    sought_people: list[tuple[Surname, Child]] = []
    made = 0
    while made < n_sought:
        family = make_family(rng)
        children = family.children
        wanted = 2 if n_sought - made >= 2 and rng.random() < SECOND_SOUGHT_IN_FAMILY_RATE else 1
        wanted = min(wanted, len(children))
        counts["s_two_from_one_family"] += wanted == 2
        sought = rng.sample(children, wanted)
        partners: list[tuple[Row, Child, bool]] = []
        for child in sought:
            made += 1
            row, no_date_there = sought_row(f"S{made:06d}", family, child, rng, counts)
            sink.sought(row)
            key = (family.surname.south, south_given(child.given))
            sought_names[key] = sought_names.get(key, 0) + 1
            sought_people.append((family.surname, child))
            if rng.random() < FOUND_RATE and emitted < n_returned:
                partners.append((row, child, no_date_there))
        counts["s_found"] += len(partners)
        counts["s_not_found"] += wanted - len(partners)
        for left, child, no_date_there in partners:
            right = emit(family, child, "partner", no_date_there)
            sink.truth(left[0], right[0])
            _count_pair(left, right, child, counts)
        others = [c for c in children if c not in sought]
        rate = FOUND_WITH_SIBLINGS_RATE if partners else NOT_FOUND_WITH_SIBLINGS_RATE
        if others and rng.random() < rate:
            room = n_returned - emitted - (n_sought - made)  # keep a place for every partner
            k = min(_between(rng, SIBLINGS_RETURNED), len(others), max(room, 0))
            role = "sibling_of_found" if partners else "sibling_of_not_found"
            for child in rng.sample(others, k):
                emit(family, child, role)

    while emitted < n_returned:  # unrelated people, in groups shaped like the found ones
        k = 1
        if rng.random() < FILLER_WITH_SIBLINGS_RATE:
            k += _between(rng, SIBLINGS_RETURNED)
        family = make_family(rng, keep=min(k, n_returned - emitted))
        children = family.children
        if sought_people and rng.random() < FILLER_NAMESAKE_RATE:
            surname, target = sought_people[_below(rng, len(sought_people))]
            family.surname = surname
            spread = (-NAMESAKE_YEAR_SPREAD, NAMESAKE_YEAR_SPREAD)
            year = target.birth.year + _between(rng, spread)
            year = min(BIRTH_LAST, max(BIRTH_FIRST, year))
            children[0] = Child(target.given, target.sex, _birthday(rng, year))
            for other in children[1:]:  # no brother or sister of the same name
                if other.given == target.given:
                    other.given = _pair(tables().names[other.sex], rng)
            counts["r_filler_namesake_drawn"] += 1
        for child in children:
            if (family.surname.south, south_given(child.given)) in sought_names:
                counts["r_filler_same_name_as_a_sought"] += 1
            emit(family, child, "filler")
    counts["sought"], counts["returned"] = made, emitted
    return counts


def _count_pair(left: Row, right: Row, child: Child, counts: Counter[str]) -> None:
    """Phenomena that lie in the pair, not in one record."""
    sought_date, calendar, returned_date = left[5], left[6], right[5]
    if calendar == "lunar" and len(sought_date) == 10 and len(returned_date) == 4:
        counts["pair_lunar_date_vs_year_only"] += 1
        if int(returned_date) != child.birth.year:
            counts["pair_lunar_date_vs_year_off"] += 1
        if sought_date[:4] != returned_date:
            counts["pair_lunar_date_vs_other_year"] += 1
    if not sought_date and not returned_date:
        counts["pair_no_date_either_side"] += 1


class _NullSink:
    def sought(self, row: Row) -> None:
        pass

    def returned(self, position: int, row: Row) -> None:
        pass

    def truth(self, sought_id: str, returned_id: str) -> None:
        pass


def phenomena(n_sought: int, n_returned: int, seed: int = 1) -> Counter[str]:
    """How many records (or pairs) of each phenomenon the data set of these sizes and seed has,
    without writing it: the same draws as `generate`."""
    return _generate(n_sought, n_returned, seed, _NullSink())


STATS_SCOPES = (("pair_", "s_found"), ("s_", "sought"), ("r_", "returned"))


def stats_lines(counts: Counter[str]) -> list[str]:
    """One line per phenomenon: its count and its share of the records (pairs) it applies to."""
    lines = []
    for key in sorted(counts):
        base = next((b for prefix, b in STATS_SCOPES if key.startswith(prefix)), "")
        share = f"{100 * counts[key] / counts[base]:6.2f}% of {base}" if counts.get(base) else ""
        lines.append(f"{key:<44} {counts[key]:>9}  {share}".rstrip())
    return lines


class _MemorySink:
    def __init__(self, n_returned: int) -> None:
        self.sought_rows: list[Row] = []
        self.returned_rows: list[Row | None] = [None] * n_returned
        self.pairs: list[tuple[str, str]] = []

    def sought(self, row: Row) -> None:
        self.sought_rows.append(row)

    def returned(self, position: int, row: Row) -> None:
        self.returned_rows[position] = row

    def truth(self, sought_id: str, returned_id: str) -> None:
        self.pairs.append((sought_id, returned_id))


def generate(n_sought: int, n_returned: int, seed: int = 1) -> Dataset:
    """The whole data set in memory (for small sizes; `generate_files` streams)."""
    sink = _MemorySink(n_returned)
    _generate(n_sought, n_returned, seed, sink)
    returned = [dict(zip(COLUMNS, row, strict=True)) for row in sink.returned_rows if row]
    sought = [dict(zip(COLUMNS, row, strict=True)) for row in sink.sought_rows]
    return Dataset(sought, returned, sink.pairs)


def _open_csv(path: Path) -> tuple[Callable[[Sequence[str]], object], Callable[[], None]]:
    handle = path.open("w", encoding="utf-8", newline="")
    writer = csv.writer(handle, lineterminator="\n")
    return writer.writerow, handle.close


def write(dataset: Dataset, out_dir: Path) -> None:
    """sought.csv, returned.csv and truth.csv in `out_dir` (created if needed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, rows in (("sought", dataset.sought), ("returned", dataset.returned)):
        row, close = _open_csv(out_dir / f"{name}.csv")
        row(COLUMNS)
        for record in rows:
            row([record[c] for c in COLUMNS])
        close()
    row, close = _open_csv(out_dir / "truth.csv")
    row(("left_id", "right_id"))
    for pair in dataset.truth:
        row(pair)
    close()


class _FileSink:
    """Writes sought and truth rows as they come; returned rows go to temporary files by block of
    positions and are put in order at the end, so memory stays small at a million rows."""

    def __init__(self, out_dir: Path, n_returned: int, scratch: Path) -> None:
        self.out_dir, self.scratch = out_dir, scratch
        self.blocks = max(1, -(-n_returned // BUCKET_ROWS))
        self.sought_row, self._close_sought = _open_csv(out_dir / "sought.csv")
        self.truth_row, self._close_truth = _open_csv(out_dir / "truth.csv")
        self.sought_row(COLUMNS)
        self.truth_row(("left_id", "right_id"))
        opened = [_open_csv(scratch / f"{b}.csv") for b in range(self.blocks)]
        self.block_rows = [w for w, _ in opened]
        self.block_closers = [c for _, c in opened]

    def sought(self, row: Row) -> None:
        self.sought_row(row)

    def returned(self, position: int, row: Row) -> None:
        self.block_rows[position // BUCKET_ROWS](row)

    def truth(self, sought_id: str, returned_id: str) -> None:
        self.truth_row((sought_id, returned_id))

    def close(self) -> None:
        self._close_sought()
        self._close_truth()
        for close in self.block_closers:
            close()
        row, close = _open_csv(self.out_dir / "returned.csv")
        row(COLUMNS)
        for block in range(self.blocks):
            with (self.scratch / f"{block}.csv").open(encoding="utf-8", newline="") as f:
                rows = list(csv.reader(f))
            rows.sort(key=lambda r: r[0])  # ids are zero-padded, so text order is position order
            for record in rows:
                row(record)
        close()


def generate_files(n_sought: int, n_returned: int, seed: int, out_dir: Path) -> Counter[str]:
    """Generate and write the three files, streaming; byte-identical to write(generate(...))."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".blocks-") as scratch:
        sink = _FileSink(out_dir, n_returned, Path(scratch))
        try:
            counts = _generate(n_sought, n_returned, seed, sink)
        finally:
            sink.close()
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=SUMMARY)
    parser.add_argument("--sought", type=int, default=2000)
    parser.add_argument("--returned", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="the folder to write (optional with --stats)")
    parser.add_argument(
        "--stats", action="store_true", help="print how many of each phenomenon, one a line"
    )
    args = parser.parse_args(argv)
    if args.out is None and not args.stats:
        parser.error("--out is required (unless --stats)")
    started = time.perf_counter()
    if args.out is None:
        counts = phenomena(args.sought, args.returned, args.seed)
    else:
        counts = generate_files(args.sought, args.returned, args.seed, args.out)
    seconds = time.perf_counter() - started
    if args.stats:
        print("\n".join(stats_lines(counts)))
    summary = " ".join(f"{key}={value}" for key, value in sorted(counts.items()))
    print(f"{summary} seconds={seconds:.1f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
