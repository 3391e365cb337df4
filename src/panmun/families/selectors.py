"""Reads of the registry: the search box, a person's page, the round pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from panmun.accounts.access import persons_for_user
from panmun.errors import DomainError, ErrorCode
from panmun.korean.hangul import nfc
from panmun.korean.orthography import south_form
from panmun.korean.surnames import split_full_name

from .keys import NameKeys, place_key, query_keys
from .models import Person, VitalStatus

RESULT_FIELDS = (
    "registry_no",
    "family_name",
    "given_name",
    "full_name",
    "name_latin",
    "birth_date",
    "hometown",
    "status",
    "family_key",
    "given_key",
    "name_key",
)


@dataclass(frozen=True)
class SearchFilters:
    query: str = ""
    born_from: int | None = None
    born_to: int | None = None
    hometown: str = ""
    status: str = ""

    @classmethod
    def from_values(
        cls,
        *,
        query: str = "",
        born_from: Any = None,
        born_to: Any = None,
        hometown: str = "",
        status: str = "",
    ) -> SearchFilters:
        def year(value: Any, field: str) -> int | None:
            if value in (None, ""):
                return None
            try:
                number = int(str(value).strip())
            except ValueError:
                number = -1
            if not 1850 <= number <= 2100:
                raise DomainError(
                    ErrorCode.INVALID_INPUT,
                    f"출생 연도는 1850–2100 사이의 숫자여야 합니다: {value}",
                    f"A birth year must be a number from 1850 to 2100: {value}",
                    {"field": field},
                )
            return number

        status = (status or "").strip()
        if status and status not in VitalStatus.values:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                f"알 수 없는 생존 여부입니다: {status}",
                f"Unknown status: {status}",
                {"field": "status", "allowed": list(VitalStatus.values)},
            )
        query = nfc(query or "").strip()[:200]
        if "\x00" in query:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "검색어에 NUL 문자를 쓸 수 없습니다.",
                "The query must not contain NUL characters.",
                {"field": "q"},
            )
        return cls(
            query=query,
            born_from=year(born_from, "born_from"),
            born_to=year(born_to, "born_to"),
            hometown=(hometown or "").strip()[:200],
            status=status,
        )

    @classmethod
    def from_params(cls, params: Any) -> SearchFilters:
        return cls.from_values(
            query=params.get("q", ""),
            born_from=params.get("born_from"),
            born_to=params.get("born_to"),
            hometown=params.get("hometown", ""),
            status=params.get("status", ""),
        )

    @property
    def empty(self) -> bool:
        return not self.query


@dataclass(frozen=True)
class SearchHit:
    person: Person
    score: int
    why: str

    def as_dict(self) -> dict[str, Any]:
        p = self.person
        return {
            "id": p.pk,
            "registry_no": p.registry_no,
            "name": p.display_name,
            "name_latin": p.name_latin,
            "birth_date": p.birth_date,
            "hometown": p.hometown,
            "status": p.status,
            "applicant": p.is_applicant,
            "score": self.score,
            "match": self.why,
        }

    def line(self) -> str:
        p = self.person
        return "\t".join(
            [
                str(p.pk),
                p.registry_no or "-",
                p.display_name,
                p.name_latin or "-",
                p.birth_date or "-",
                p.hometown or "-",
                p.status,
                self.why,
            ]
        )


def _reading_filter(keys: NameKeys) -> Q:
    if keys.family_key and keys.given_key:
        return Q(name_key=keys.name_key)
    if keys.family_key:
        return Q(family_key=keys.family_key)
    return Q(given_key=keys.given_key)


def _typed_names(query: str) -> list[tuple[str, str]]:
    """The (surname, given name) splits of a Hangul query exactly as typed."""
    text = query.strip()
    if not text or not any("가" <= c <= "힣" for c in text):
        return []
    if " " in text:
        family, _, given = text.partition(" ")
        return [(family, given.replace(" ", ""))]
    try:
        return [split_full_name(text)] if len(text) > 1 else []
    except ValueError:
        return []


def _score(person: Person, readings: list[NameKeys], spelled: str) -> tuple[int, str]:
    """Higher is better: the exact spelling, then the reading's rank, then a whole name."""
    written = south_form(f"{person.family_name}{person.given_name}")
    if spelled and written == spelled:
        return 100, "spelling"
    for rank, keys in enumerate(readings):
        if keys.family_key and keys.given_key and person.name_key == keys.name_key:
            return 80 - rank, "name"
    for rank, keys in enumerate(readings):
        if not keys.family_key and person.given_key == keys.given_key:
            return 50 - rank, "given name"
        if not keys.given_key and person.family_key == keys.family_key:
            return 40 - rank, "family name"
    return 0, ""


def search(user: Any, filters: SearchFilters, *, limit: int = 50) -> list[SearchHit]:
    """Persons whose name matches the query in any script or spelling, best first.

    Each reading of the query (`keys.query_keys`) becomes an equality on an indexed key
    column, so a search costs index lookups, not a scan of the registry; the filters
    narrow what the keys found. A registration number is found as typed."""
    base: QuerySet[Person] = (
        persons_for_user(user)
        if user is not None
        else Person.objects.filter(merged_into__isnull=True)
    )
    if filters.empty:
        return []
    readings = query_keys(filters.query)
    condition = Q(registry_no=filters.query)
    for keys in readings:
        condition |= _reading_filter(keys)
    qs = base.filter(condition)
    if filters.born_from is not None:
        qs = qs.filter(birth_year__gte=filters.born_from)
    if filters.born_to is not None:
        qs = qs.filter(birth_year__lte=filters.born_to)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.hometown:
        key = place_key(filters.hometown)
        near = Q(hometown__icontains=filters.hometown)
        qs = qs.filter(near | Q(hometown_key=key) if key else near)
    # Ranked in the database, so that a common name (thousands of 김영수) still gives its best
    # matches first: the registration number, the spelling as typed, a whole-name reading
    # (the likelier first), then a given name or a surname alone; applicants before others.
    ranks = [When(registry_no=filters.query, then=Value(200))]
    for family, given in _typed_names(filters.query):
        ranks.append(When(family_name=family, given_name=given, then=Value(100)))
    for n, keys in enumerate(readings):
        score = (80 if keys.family_key and keys.given_key else 50 if keys.given_key else 40) - n
        ranks.append(When(_reading_filter(keys), then=Value(score)))
    ranked = qs.annotate(
        rank=Case(*ranks, default=Value(0), output_field=IntegerField()),
        registered=Case(
            When(registry_no__isnull=False, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    ).order_by("-rank", "-registered", "pk")
    # Only what a result line shows: a common name sorts thousands of rows, and narrow ones
    # sort faster than whole records.
    ranked = ranked.only(*RESULT_FIELDS)
    spelled = south_form(filters.query.replace(" ", "")) if readings else ""
    hits = []
    for person in ranked[:limit]:
        score, why = _score(person, readings, spelled)
        if person.registry_no == filters.query:
            score, why = 200, "registration number"
        hits.append(SearchHit(person, score, why))
    return hits[:limit]
