"""A synthetic separated-families registry shaped like today's, for demonstrations and for
measuring the pages and the search at full size. Nobody in it exists.

The shape follows the public figures (see docs/domain.md, about end-2025): 134,516 registered
since 1988, 34,368 living; the living by age 90+ 31.7%, 80–89 33.9%, 70–79 18.3%, 60–69 about
10% (10.3%, the rest), under 60 5.8%; 1,139 living abroad; 61% men. The relation sought: parents
or children (the Ministry's group 부부·부모·자녀, which takes in spouses) 39.1%, siblings 39.2%,
third degree or further 21.7%; the split of the 39.1% (spouse 4.5, parent 20.5, child 14.1) is
this demo's guess. That is the relation of each applicant's first relative sought; an applicant
seeks one to three relatives, the others mostly of the same kind (two parents, a spouse and the
children, several siblings).

Registrations run from 1988 to 2025 and peak in 1988–1990 (the registry opened) and 2000 (the
first reunions), with small rises in 2005, 2010, 2015 and 2018. The dead are mostly those
registered early and born early; each has a date of death after their registration. Ages are
counted in the reference year 2025 as the statistics count them (2025 minus the birth year).
Hometowns are the places of 1945 in the northern half that the gazetteer knows, written as
people write them ("평안북도 정주군", "평북 정주", "정주군").

Everything is generated from `random.Random(seed)`, so a seed gives the same registry every
time. Every value is valid by construction (choices, lengths, the model's CheckConstraints —
which the database enforces as well), so no row goes through `full_clean`. The search keys are
computed once per distinct name and place. The rows are written in batches of 5,000 applicants
(with their relatives and links) by `_Insert`, not `bulk_create`, which would take about four
times as long (see there); the whole load is one transaction.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic
from typing import Generic, TypeVar

from django.db import connection, transaction

from panmun.accounts.models import User
from panmun.common.apps import DemoRun
from panmun.common.bulk import Insert, analyze, next_id, reset_sequences
from panmun.korean.gazetteer import all_places

from .keys import person_keys, place_key
from .models import BirthCalendar, Person, Relation, Seeking, Sex, TracingRound, VitalStatus
from .services import tracing

# Plain strings, as the database stores them.
MALE, FEMALE = Sex.MALE.value, Sex.FEMALE.value
ALIVE, DECEASED = VitalStatus.ALIVE.value, VitalStatus.DECEASED.value
UNKNOWN = VitalStatus.UNKNOWN.value
LUNAR, SOLAR = BirthCalendar.LUNAR.value, BirthCalendar.SOLAR.value

# The columns the demo fills; the others get the model's default.
APPLICANT_COLUMNS = (
    "id", "registry_no", "family_name", "given_name", "sex", "birth_date", "birth_year",
    "birth_calendar", "hometown", "hometown_key", "status", "death_date", "address", "abroad",
    "country", "registered_on", "consent_share", "consent_on", "family_key", "given_key",
    "name_key", "consent_name", "consent_name_at",
)  # fmt: skip
RELATIVE_COLUMNS = (
    "id", "family_name", "given_name", "sex", "birth_date", "birth_year", "birth_calendar",
    "hometown", "hometown_key", "status", "death_date", "family_key", "given_key", "name_key",
)  # fmt: skip
SEEKING_COLUMNS = (
    "id", "applicant_id", "sought_id", "relation", "last_known_place", "separated_on",
)  # fmt: skip

PREFIX = "D-"
BATCH = 5000
REFERENCE_YEAR = 2025  # the year of the figures the demo copies
FIRST_YEAR = 1988
LAST_YEAR = REFERENCE_YEAR

# Living applicants by age in the reference year: (share %, youngest, oldest).
LIVING_AGE_BANDS: tuple[tuple[float, int, int], ...] = (
    (31.7, 90, 105),
    (33.9, 80, 89),
    (18.3, 70, 79),
    (10.3, 60, 69),
    (5.8, 35, 59),
)
ABROAD_OF_LIVING = 1139 / 34368
ABROAD_OF_DECEASED = 0.03
MEN = 0.61
CONSENT = 0.72
# Of those who consent to sharing, how many also agree that the other side is told their name
# on a tracing request (`Person.consent_name`): this demo's guess, two in three. Decided by the
# applicant's id, not by the generator, so the rest of the registry stays as the seed made it.
NAMED_EVERY = 3  # all but every third

# The relation of an applicant's first relative sought (%).
RELATION_SHARES: tuple[tuple[str, float], ...] = (
    (Relation.SPOUSE.value, 4.5),
    (Relation.PARENT.value, 20.5),
    (Relation.CHILD.value, 14.1),
    (Relation.SIBLING.value, 39.2),
    (Relation.OTHER.value, 21.7),
)
RELATIVES_PER_APPLICANT = ((1, 55), (2, 30), (3, 15))


def _year_weights(special: dict[int, float], default: Callable[[int], float]) -> list[float]:
    return [special.get(y, default(y)) for y in range(FIRST_YEAR, LAST_YEAR + 1)]


# Registrations per year, separately for those who have died since and for the living.
DECEASED_YEARS = _year_weights(
    {1988: 30, 1989: 12, 1990: 8, 2000: 10, 2001: 3, 2005: 1.5},
    lambda y: 2.5 if y < 2000 else 1.2 if y < 2006 else 0.6 if y < 2011 else 0.25,
)
LIVING_YEARS = _year_weights(
    {1988: 6, 1989: 4, 1990: 3, 2000: 18, 2001: 6, 2002: 4, 2003: 3, 2005: 3, 2010: 2.5,
     2015: 3, 2018: 4},
    lambda y: 1.5 if y < 2000 else 2 if y < 2011 else 1.3 if y < 2018 else 1.0,
)  # fmt: skip

# Surnames by the 2015 census, in thousands (rounded; the smaller ones approximate).
SURNAMES: tuple[tuple[str, int], ...] = (
    ("김", 10690), ("이", 7307), ("박", 4192), ("최", 2334), ("정", 2152), ("강", 1177),
    ("조", 1056), ("윤", 1021), ("장", 993), ("임", 824), ("한", 773), ("오", 763),
    ("서", 752), ("신", 741), ("권", 706), ("황", 697), ("안", 686), ("송", 683), ("유", 640),
    ("전", 560), ("홍", 559), ("고", 472), ("문", 464), ("양", 462), ("손", 457), ("배", 400),
    ("백", 381), ("허", 326), ("남", 276), ("심", 272), ("노", 220), ("하", 230), ("곽", 203),
    ("성", 199), ("차", 180), ("주", 230), ("우", 189), ("구", 208), ("민", 171), ("진", 167),
    ("나", 150), ("지", 160), ("엄", 144), ("채", 131), ("원", 130), ("천", 114), ("방", 110),
    ("공", 90), ("현", 90), ("함", 80), ("변", 130), ("염", 70), ("여", 60), ("추", 60),
    ("도", 55), ("석", 50), ("선", 45), ("설", 45), ("마", 40), ("길", 40), ("연", 38),
    ("위", 35), ("표", 33), ("명", 30), ("기", 28), ("반", 27), ("왕", 26), ("금", 25),
    ("옥", 24), ("육", 23), ("인", 22), ("맹", 21), ("제", 20), ("모", 20), ("탁", 19),
    ("국", 18), ("어", 17), ("은", 16), ("편", 15), ("남궁", 20), ("황보", 10), ("제갈", 6),
    ("선우", 4), ("독고", 2),
)  # fmt: skip

# Given names of the generations: born before 1950, and after.
OLDER_MEN = (
    "영수", "영호", "영철", "영길", "영식", "정수", "정식", "정호", "상철", "상호", "상근",
    "병철", "병호", "광수", "광호", "종수", "종호", "재호", "성수", "기철", "만수", "동수",
    "동식", "창호", "창수", "용수", "덕수", "봉수", "학수", "명수", "춘식", "춘길", "태식",
    "태호", "경호", "인수", "진호", "석주", "응수", "원식", "효선", "길남", "두호", "선권",
    "기남", "수길", "문식", "봉길",
)  # fmt: skip
OLDER_WOMEN = (
    "순자", "영자", "정자", "옥순", "영숙", "정숙", "순이", "춘자", "명자", "말순", "순옥",
    "영순", "정순", "옥자", "길순", "숙자", "경자", "복순", "순희", "영희", "정희", "금순",
    "화자", "분이", "봉순", "점순", "귀순", "옥희", "순덕", "복희", "양순", "덕순", "선옥",
    "애순", "금옥", "신자", "판례", "을순",
)  # fmt: skip
YOUNGER_MEN = (
    "성호", "영진", "정훈", "동현", "상훈", "재훈", "성훈", "준호", "현철", "진우", "승호",
    "영민", "종민", "정민", "민수", "기훈", "태영", "병준", "상민", "재영", "성진", "광호",
    "용준", "형준",
)  # fmt: skip
YOUNGER_WOMEN = (
    "미경", "은정", "미숙", "영미", "경희", "현숙", "은희", "정아", "미영", "선희", "혜경",
    "경아", "지영", "수진", "은주", "혜진", "미정", "경미", "명숙", "순영",
)  # fmt: skip

# Where applicants live: (province or city, weight, districts).
HOME_REGIONS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("서울특별시", 38, ("종로구", "중구", "용산구", "성북구", "강남구", "송파구", "노원구",
                   "은평구", "마포구", "강서구", "관악구", "영등포구")),
    ("경기도", 25, ("수원시", "성남시", "고양시", "부천시", "안양시", "의정부시", "파주시",
                 "용인시", "남양주시", "김포시")),
    ("인천광역시", 8, ("남동구", "부평구", "미추홀구", "연수구", "강화군")),
    ("부산광역시", 6, ("해운대구", "동래구", "부산진구", "사하구", "영도구")),
    ("강원특별자치도", 5, ("춘천시", "속초시", "강릉시", "원주시", "철원군")),
    ("대구광역시", 3, ("수성구", "달서구", "중구")),
    ("대전광역시", 3, ("서구", "유성구", "중구")),
    ("충청남도", 3, ("천안시", "아산시", "공주시")),
    ("충청북도", 2, ("청주시", "충주시")),
    ("광주광역시", 2, ("서구", "북구")),
    ("경상북도", 2, ("포항시", "구미시", "경주시")),
    ("경상남도", 2, ("창원시", "김해시", "거제시")),
    ("전북특별자치도", 1, ("전주시", "군산시")),
    ("전라남도", 1, ("목포시", "여수시")),
    ("제주특별자치도", 1, ("제주시", "서귀포시")),
)  # fmt: skip
ROADS = ("중앙로", "평화로", "통일로", "대학로", "시장길", "역전로", "새마을로", "공원로")
# Abroad: (ISO 3166 country code, weight, places as written).
ABROAD: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("US", 45, ("Los Angeles, CA, USA", "Flushing, NY, USA", "Chicago, IL, USA",
                "Fort Lee, NJ, USA", "Annandale, VA, USA", "Honolulu, HI, USA")),
    ("JP", 15, ("大阪府大阪市", "東京都新宿区", "神奈川県川崎市")),
    ("CA", 12, ("Toronto, ON, Canada", "Vancouver, BC, Canada")),
    ("CN", 10, ("吉林省延吉市", "辽宁省沈阳市", "北京市朝阳区")),
    ("AU", 5, ("Sydney, NSW, Australia",)),
    ("DE", 4, ("Frankfurt am Main, Germany",)),
    ("BR", 3, ("São Paulo, Brazil",)),
    ("RU", 2, ("Moscow, Russia", "Sakhalin, Russia")),
    ("NZ", 2, ("Auckland, New Zealand",)),
    ("GB", 2, ("New Malden, United Kingdom",)),
)  # fmt: skip
# The hometowns in the North, by the province of 1945 that most refugees came from.
HOMETOWN_PROVINCES = {
    "황해도": 30, "평안남도": 20, "함경남도": 18, "평안북도": 15, "함경북도": 7, "경기도": 5,
    "강원도": 5,
}  # fmt: skip
PROVINCE_SHORT = {
    "황해도": "황해", "평안남도": "평남", "평안북도": "평북", "함경남도": "함남",
    "함경북도": "함북", "경기도": "경기", "강원도": "강원",
}  # fmt: skip
# When they were separated: most in the retreats of December 1950 and January 1951 (1·4 후퇴).
SEPARATED_ON = (
    ("1950-12", 25), ("1951-01", 25), ("1950", 15), ("1951", 10), ("1950-06", 5),
    ("1950-10", 5), ("1952", 3), ("1953", 3), ("1947", 3), ("1948", 3), ("1949", 3),
)  # fmt: skip

T = TypeVar("T")


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split in proportion to `weights`, in whole numbers (largest remainders)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: counts[i] - exact[i])
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


class _Choice(Generic[T]):
    """A weighted choice with the cumulative weights computed once."""

    def __init__(self, items: Sequence[tuple[T, float]]) -> None:
        self.values = [v for v, _w in items]
        total = 0.0
        self.cum: list[float] = []
        for _v, w in items:
            total += w
            self.cum.append(total)

    def __call__(self, rng: random.Random) -> T:
        return rng.choices(self.values, cum_weights=self.cum)[0]


@dataclass
class _Applicant:
    living: bool
    sex: str
    birth_year: int
    registered_on: date
    abroad: bool
    death_date: str = ""


def _hometowns() -> list[tuple[tuple[str, str], float]]:
    """(as written, its key) of the places of 1945 in the northern half, with weights."""
    places = [
        p
        for p in all_places()
        if p.period in ("pre1945", "both")
        and p.kind in ("city", "county")
        and p.province_then in HOMETOWN_PROVINCES
    ]
    per_province: dict[str, int] = {}
    for p in places:
        per_province[p.province_then or ""] = per_province.get(p.province_then or "", 0) + 1
    out: list[tuple[tuple[str, str], float]] = []
    for p in places:
        province = p.province_then or ""
        name = p.name_south + ("군" if p.kind == "county" else "")
        weight = HOMETOWN_PROVINCES[province] / per_province[province]
        if p.kind == "city":
            weight *= 2  # the cities sent more people south
        for text, share in (
            (f"{province} {name}", 0.7),
            (f"{PROVINCE_SHORT[province]} {p.name_south}", 0.15),
            (name, 0.15),
        ):
            key = place_key(text)
            if key:  # a form the gazetteer cannot place alone is not used
                out.append(((text, key), weight * share))
    return out


class _Registry:
    """Makes the rows; holds the random generator and the caches of keys."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - demo data, reproducible by design
        self.surname = _Choice(SURNAMES)
        self.hometown = _Choice(_hometowns())
        self.home_region = _Choice([((name, d), w) for name, w, d in HOME_REGIONS])
        self.abroad = _Choice([((code, places), w) for code, w, places in ABROAD])
        self.relation = _Choice(RELATION_SHARES)
        self.how_many = _Choice(RELATIVES_PER_APPLICANT)
        self.separated_on = _Choice(SEPARATED_ON)
        self.living_year = _Choice(
            list(zip(range(FIRST_YEAR, LAST_YEAR + 1), LIVING_YEARS, strict=True))
        )
        self.deceased_year = _Choice(
            list(zip(range(FIRST_YEAR, LAST_YEAR + 1), DECEASED_YEARS, strict=True))
        )
        self.name_keys: dict[tuple[str, str], tuple[str, str, str]] = {}

    # -- pieces ---------------------------------------------------------------------------

    def keys(self, family: str, given: str) -> tuple[str, str, str]:
        cached = self.name_keys.get((family, given))
        if cached is None:
            k = person_keys(family, given)
            cached = self.name_keys[(family, given)] = (k.family_key, k.given_key, k.name_key)
        return cached

    def given_name(self, sex: str, birth_year: int) -> str:
        names: tuple[str, ...]
        if birth_year < 1950:
            names = OLDER_MEN if sex == MALE else OLDER_WOMEN
        else:
            names = YOUNGER_MEN if sex == MALE else YOUNGER_WOMEN
        return self.rng.choice(names)

    @staticmethod
    def date_value(day: date) -> object:
        return connection.ops.adapt_datefield_value(day)

    def day_in(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def birth_date(self, year: int, full: float) -> tuple[str, str]:
        """(birth_date, birth_calendar): a full date with the share `full`, else a year or a
        year and month (no calendar then). Lunar days stop at 29, months at 12."""
        rng = self.rng
        r = rng.random()
        if r >= full:
            if r < full + (1 - full) / 3:
                return f"{year:04d}-{rng.randint(1, 12):02d}", ""
            return f"{year:04d}", ""
        month = rng.randint(1, 12)
        lunar = rng.random() < (0.35 if year < 1950 else 0.15)
        last = 29 if lunar else calendar.monthrange(year, month)[1]
        kind = LUNAR if lunar else SOLAR
        return f"{year:04d}-{month:02d}-{rng.randint(1, last):02d}", kind

    def registration(self, birth_year: int, living: bool) -> date:
        choose = self.living_year if living else self.deceased_year
        earliest = max(FIRST_YEAR, birth_year + 18)
        year = choose(self.rng)
        for _ in range(20):
            if year >= earliest:
                break
            year = choose(self.rng)
        year = min(max(year, earliest), LAST_YEAR)
        return self.day_in(date(year, 1, 1), date(year, 12, 31))

    # -- applicants -----------------------------------------------------------------------

    def applicants(self, size: int, living: int) -> list[_Applicant]:
        rng = self.rng
        out: list[_Applicant] = []
        for count, (_share, young, old) in zip(
            _apportion(living, [b[0] for b in LIVING_AGE_BANDS]), LIVING_AGE_BANDS, strict=True
        ):
            for _ in range(count):
                if old - young > 10 and young >= 90:  # the oldest: fewer with each year
                    age = min(old, young + int(rng.expovariate(0.3)))
                elif young < 60:  # under 60: most close to 60
                    age = max(young, old - int(rng.expovariate(0.12)))
                else:
                    age = rng.randint(young, old)
                by = REFERENCE_YEAR - age
                sex = MALE if rng.random() < MEN else FEMALE
                out.append(_Applicant(True, sex, by, self.registration(by, True), False))
        for i in rng.sample(range(living), round(living * ABROAD_OF_LIVING)):
            out[i].abroad = True
        end = date(REFERENCE_YEAR, 12, 31)
        for _ in range(size - living):
            by = int(rng.triangular(1895, 1946, 1924))
            sex = MALE if rng.random() < MEN else FEMALE
            registered = self.registration(by, False)
            died_at = by + int(rng.triangular(60, 106, 88))
            year = min(max(died_at, registered.year), REFERENCE_YEAR)
            died = self.day_in(max(registered, date(year, 1, 1)), date(year, 12, 31))
            died = min(died, end)
            death = died.isoformat() if rng.random() < 0.9 else died.isoformat()[:7]
            abroad = rng.random() < ABROAD_OF_DECEASED
            out.append(_Applicant(False, sex, by, registered, abroad, death))
        rng.shuffle(out)
        out.sort(key=lambda a: a.registered_on)  # numbered in the order they registered
        return out

    def applicant_row(
        self, pk: int, number: str, a: _Applicant, hometown: tuple[str, str]
    ) -> tuple[object, ...]:
        """The applicant's values, in the order of APPLICANT_COLUMNS."""
        rng = self.rng
        family = self.surname(rng)
        given = self.given_name(a.sex, a.birth_year)
        fk, gk, nk = self.keys(family, given)
        birth_date, birth_calendar = self.birth_date(a.birth_year, 0.85)
        if a.abroad:
            country, places = self.abroad(rng)
            address = rng.choice(places)
        else:
            country = ""
            region, districts = self.home_region(rng)
            address = f"{region} {rng.choice(districts)} {rng.choice(ROADS)} {rng.randint(1, 300)}"
        consent = rng.random() < CONSENT
        # Those born after the war grew up in the South: no hometown in the North of their own.
        town, town_key = hometown if a.birth_year < 1954 and rng.random() < 0.8 else ("", "")
        registered = self.date_value(a.registered_on)
        named = consent and pk % NAMED_EVERY != 0
        named_at = (
            connection.ops.adapt_datetimefield_value(
                datetime.combine(a.registered_on, time(10), tzinfo=UTC)
            )
            if named
            else None
        )
        return (
            pk,
            number,
            family,
            given,
            a.sex,
            birth_date,
            a.birth_year,
            birth_calendar,
            town,
            town_key,
            ALIVE if a.living else DECEASED,
            a.death_date,
            address,
            a.abroad,
            country,
            registered,
            consent,
            registered if consent else None,
            fk,
            gk,
            nk,
            named,
            named_at,
        )

    # -- relatives sought -------------------------------------------------------------------

    def relations(self) -> list[str]:
        first = self.relation(self.rng)
        out = [first]
        for _ in range(self.how_many(self.rng) - 1):
            r = first if self.rng.random() < 0.7 else self.relation(self.rng)
            if r == Relation.SPOUSE and Relation.SPOUSE in out:
                r = Relation.CHILD.value  # one spouse, and the children left with them
            if r == Relation.PARENT and out.count(Relation.PARENT) >= 2:
                r = Relation.SIBLING.value
            out.append(r)
        return out

    def relative_row(
        self,
        pk: int,
        relation: str,
        a: _Applicant,
        surname: str,
        nth_parent: int,
        town: tuple[str, str],
    ) -> tuple[object, ...]:
        """A relative sought by applicant `a` (whose surname is `surname`), in the order of
        RELATIVE_COLUMNS."""
        rng = self.rng
        by = a.birth_year
        if relation == Relation.PARENT:
            year = by - rng.randint(20, 40)
            sex = MALE if nth_parent == 0 else FEMALE
            family = surname if sex == MALE else self.surname(rng)
        elif relation == Relation.CHILD:
            year = by + rng.randint(18, 32)
            sex = rng.choice((MALE, FEMALE))
            family = surname if a.sex == MALE else self.surname(rng)
        elif relation == Relation.SIBLING:
            year = by + rng.randint(-12, 12)
            sex = rng.choice((MALE, FEMALE))
            family = surname
        elif relation == Relation.SPOUSE:
            year = by + rng.randint(-8, 4)
            sex = FEMALE if a.sex == MALE else MALE
            family = self.surname(rng)
        else:
            year = by + rng.randint(-35, 25)
            sex = rng.choice((MALE, FEMALE))
            family = surname if rng.random() < 0.5 else self.surname(rng)
        year = min(max(year, 1860), 2005)
        given = self.given_name(sex, year)
        fk, gk, nk = self.keys(family, given)
        birth_date, birth_calendar = self.birth_date(year, 0.4)
        r = rng.random()
        status, death_date = UNKNOWN, ""
        if r < 0.08:  # a tracing reply said so
            status = DECEASED
            death_date = str(rng.randint(min(max(year + 30, 1960), 2024), 2024))
        elif r < 0.10:
            status = ALIVE
        text, key = town
        return (
            pk,
            family,
            given,
            sex,
            birth_date,
            year,
            birth_calendar,
            text,
            key,
            status,
            death_date,
            fk,
            gk,
            nk,
        )


def load_registry_demo(
    *,
    size: int = 134_500,
    living: int = 34_400,
    seed: int = 2026,
    progress: Callable[[int, int], object] | None = None,
) -> dict[str, int]:
    """Load the synthetic registry: `size` applicants (registry numbers D-000001…), `living`
    of them alive, and the relatives they seek. Nothing is done if it is there already
    (any registry number starting "D-"): the counts returned are then all zero."""
    if not 0 <= living <= size:
        raise ValueError("living must be between 0 and size")
    counts = {"applicants": 0, "living": 0, "deceased": 0, "relatives": 0, "seekings": 0}
    with transaction.atomic():
        if Person.objects.filter(registry_no__startswith=PREFIX).exists():
            return counts
        registry = _Registry(seed)
        rng = registry.rng
        applicants_in = Insert(Person, APPLICANT_COLUMNS)
        relatives_in = Insert(Person, RELATIVE_COLUMNS)
        seekings_in = Insert(Seeking, SEEKING_COLUMNS)
        person_id, seeking_id = next_id(Person), next_id(Seeking)
        specs = registry.applicants(size, living)
        width = max(6, len(str(size)))
        for start in range(0, size, BATCH):
            applicants: list[tuple[object, ...]] = []
            relatives: list[tuple[object, ...]] = []
            seekings: list[tuple[object, ...]] = []
            for n, a in enumerate(specs[start : start + BATCH], start=start + 1):
                home = registry.hometown(rng)
                applicant_id = person_id
                row = registry.applicant_row(applicant_id, f"{PREFIX}{n:0{width}d}", a, home)
                applicants.append(row)
                person_id += 1
                parents = 0
                for relation in registry.relations():
                    # Most relatives were left in the applicant's hometown.
                    town = home if rng.random() < 0.8 else registry.hometown(rng)
                    relatives.append(
                        registry.relative_row(person_id, relation, a, str(row[2]), parents, town)
                    )
                    parents += relation == Relation.PARENT
                    place = town[0] if rng.random() < 0.7 else ""
                    seekings.append(
                        (
                            seeking_id,
                            applicant_id,
                            person_id,
                            relation,
                            place,
                            registry.separated_on(rng),
                        )
                    )
                    person_id += 1
                    seeking_id += 1
            applicants_in.write(applicants)
            relatives_in.write(relatives)
            seekings_in.write(seekings)
            counts["applicants"] += len(applicants)
            counts["relatives"] += len(relatives)
            counts["seekings"] += len(seekings)
            if progress is not None:
                progress(counts["applicants"], size)
        reset_sequences(Person, Seeking)
        counts["living"] = living
        counts["deceased"] = size - living
    analyze(Person, Seeking)
    return counts


def load_demo(run: DemoRun) -> None:
    """`panmun load-demo`'s part of the registry: `run.size` applicants (`run.living` of them
    alive, by default in today's proportion, 34,400 of 134,500), and a tracing round of 100
    requests sent to the other side (once)."""
    if run.size <= 0:
        return
    living = round(run.size * 34_400 / 134_500) if run.living is None else run.living
    bar = run.progress(run.size, "registry / 등록부")

    def tick(done: int, total: int) -> None:
        bar.advance(done - bar.done)

    started = monotonic()
    loaded = load_registry_demo(size=run.size, living=living, progress=tick)
    bar.close()
    if loaded["applicants"]:
        run.say(
            f"Registry: {loaded['applicants']:,} applicants ({loaded['living']:,} living), "
            f"{loaded['relatives']:,} relatives sought, "
            f"in {monotonic() - started:.1f} s."
        )
    if not TracingRound.objects.exists():
        officer = User.objects.get(username="redcross_s")
        demo_round = tracing.round_create(
            actor=officer, name="시연 생사확인 회차 (demo)", target_size=100
        )
        tracing.round_send(actor=officer, tracing_round=demo_round)
        run.say("A tracing round of 100 requests was sent.")
