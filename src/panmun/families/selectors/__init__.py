"""Reads of the registry: the search box, a person's page, the round pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError, ErrorCode
from panmun.families.access import get_round_for_user, may_see_seeker, persons_for_user
from panmun.korean.hangul import nfc
from panmun.korean.orthography import north_initials, south_form
from panmun.korean.surnames import split_full_name

from ..documents import RequestLine
from ..keys import NameKeys, place_key, query_keys
from ..models import LINKED, LinkState, Person, Seeking, TracingRound, VitalStatus

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

    def query_string(self) -> str:
        """The filters as a query string, for links to the other pages of the results."""
        values = {
            "q": self.query,
            "born_from": "" if self.born_from is None else str(self.born_from),
            "born_to": "" if self.born_to is None else str(self.born_to),
            "hometown": self.hometown,
            "status": self.status,
        }
        return urlencode({k: v for k, v in values.items() if v})


# Why a person matched, as a code (the API's `match`) and in the officer's words.
MATCH_REASONS: dict[str, Any] = {
    "registration number": _("the registration number"),
    "spelling": _("the name exactly as typed"),
    "other spelling": _("the same name in the other side's spelling"),
    "name": _("the same name in another spelling or in Latin letters"),
    "given name": _("the given name only"),
    "family name": _("the surname only"),
}
# The rank each way of matching gives (higher is better), and the code it is shown as.
REGISTRY_NO_RANK = 200
SPELLING_RANK = 100
OTHER_SPELLING_RANK = 90


def _why_of(rank: int) -> str:
    if rank >= REGISTRY_NO_RANK:
        return "registration number"
    if rank >= SPELLING_RANK:
        return "spelling"
    if rank >= OTHER_SPELLING_RANK:
        return "other spelling"
    if rank > 50:
        return "name"
    if rank > 40:
        return "given name"
    return "family name" if rank > 0 else ""


@dataclass(frozen=True)
class SearchHit:
    person: Person
    score: int
    why: str

    @property
    def reason(self) -> str:
        """Why this person matched, in the active language."""
        return str(MATCH_REASONS.get(self.why, ""))

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


@dataclass(frozen=True)
class SearchPage:
    """One page of search results, and how many matched in all.

    Counting stops at `COUNT_CAP`: past it `capped` is true and `total` is the cap ("more than
    1,000"), as counting every 김 in the registry would cost more than the page itself."""

    hits: list[SearchHit]
    number: int
    per_page: int
    total: int
    capped: bool
    has_next: bool

    @property
    def total_text(self) -> str:
        return f"{self.total:,}"

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def num_pages(self) -> int | None:
        """The number of pages, or None while the count is capped."""
        if self.capped:
            return None
        return max(1, -(-self.total // self.per_page))

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.hits else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.hits)

    def page_numbers(self) -> list[int | None]:
        """The page links to show: the first, the last, and two either side of this one; None
        marks a gap. While the count is capped, the pages up to the next one."""
        last = self.num_pages if self.num_pages is not None else self.number + int(self.has_next)
        shown = {1, last, *range(self.number - 2, self.number + 3)}
        numbers: list[int | None] = []
        for n in sorted(x for x in shown if 1 <= x <= last):
            previous = numbers[-1] if numbers else None
            if previous is not None and n - previous > 1:
                numbers.append(None)
            numbers.append(n)
        return numbers


PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
COUNT_CAP = 1000
SCAN_FROM = 20_000
MAX_PAGE = 100_000


def page_number(value: Any) -> int:
    """A page number from a query string: anything that is not a number from 1 up is page 1."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


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
        family, _sep, given = text.partition(" ")
        return [(family, given.replace(" ", ""))]
    try:
        return [split_full_name(text)] if len(text) > 1 else []
    except ValueError:
        return []


def _spellings(word: str) -> set[str]:
    """A name part as either side may write it: the South's form and the North's initials."""
    south = south_form(word)
    if not south:
        return {word}
    return {south, *(first + south[1:] for first in north_initials(south[0]))}


def _other_spellings(family: str, given: str) -> list[tuple[str, str]]:
    """The same Hangul name in the other side's spelling (리선권 for 이선권, and back)."""
    found = {(f, g) for f in _spellings(family) for g in _spellings(given)}
    return sorted(found - {(family, given)})


def _ranked(user: Any, filters: SearchFilters) -> QuerySet[Person] | None:
    """The persons the query finds, in the order an officer wants them: how well the name
    matches (the registration number; the name exactly as typed; the same name in the other
    side's spelling; a whole-name reading whatever the romanization, the likelier reading
    first; a given name or a surname alone), then the living before the unknown before the
    deceased, then the oldest first (their time is shortest), those with no birth year last.

    Each reading of the query (`keys.query_keys`) becomes an equality on an indexed key
    column, so a search costs index lookups, not a scan of the registry; the filters
    narrow what the keys found. A registration number is found as typed."""
    base: QuerySet[Person] = (
        persons_for_user(user)
        if user is not None
        else Person.objects.filter(merged_into__isnull=True)
    )
    if filters.empty:
        return None
    readings = query_keys(filters.query)
    condition = Q(registry_no=filters.query)
    for keys in readings:
        condition |= _reading_filter(keys)
    # The keys are looked up in a subquery: beside `merged_into IS NULL` (the access rule),
    # SQLite without statistics would walk the index of merged_into, which nearly every person
    # shares, rather than the key indexes (0.4 s instead of 1 ms for a name on the demo's
    # registry). Past SCAN_FROM matches (a surname alone: 80,000 김) reading the registry in
    # order costs less than fetching each match by its id, so the plain filter is kept.
    #
    # PostgreSQL plans with statistics: the keys' indexes are combined (a bitmap OR) and the
    # filters applied to what they found, so the plain filter serves every query and the
    # check above costs a query for nothing. There the birth years are compared as
    # `birth_year + 0`, which no index answers: with the index of birth_year in reach, the
    # planner read 70,000 entries of a ten-year span to intersect them with a name's 780
    # (17 ms instead of 1.4).
    postgres = connection.vendor == "postgresql"
    if postgres:
        qs = base.filter(condition)
    else:
        keyed = Person.objects.filter(condition)
        many = keyed.order_by().values("pk")[: SCAN_FROM + 1].count() > SCAN_FROM
        qs = base.filter(condition) if many else base.filter(pk__in=keyed.values("pk"))
    year = "birth_year"
    if postgres and (filters.born_from is not None or filters.born_to is not None):
        qs = qs.alias(birth_year_unindexed=ExpressionWrapper(F("birth_year") + 0, IntegerField()))
        year = "birth_year_unindexed"
    if filters.born_from is not None:
        qs = qs.filter(**{f"{year}__gte": filters.born_from})
    if filters.born_to is not None:
        qs = qs.filter(**{f"{year}__lte": filters.born_to})
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.hometown:
        key = place_key(filters.hometown)
        near = Q(hometown__icontains=filters.hometown)
        qs = qs.filter(near | Q(hometown_key=key) if key else near)
    ranks = [When(registry_no=filters.query, then=Value(REGISTRY_NO_RANK))]
    typed = _typed_names(filters.query)
    for family, given in typed:
        ranks.append(When(family_name=family, given_name=given, then=Value(SPELLING_RANK)))
    if not typed and readings:  # Latin letters: the name as written in Latin letters
        latin = " ".join(filters.query.split())
        ranks.append(When(name_latin__iexact=latin, then=Value(SPELLING_RANK)))
    for family, given in typed:
        for f, g in _other_spellings(family, given):
            ranks.append(When(family_name=f, given_name=g, then=Value(OTHER_SPELLING_RANK)))
    for n, keys in enumerate(readings):
        score = (80 if keys.family_key and keys.given_key else 50 if keys.given_key else 40) - n
        ranks.append(When(_reading_filter(keys), then=Value(score)))
    ranked = qs.annotate(
        rank=Case(*ranks, default=Value(0), output_field=IntegerField()),
        vital=Case(
            When(status=VitalStatus.ALIVE, then=Value(0)),
            When(status=VitalStatus.UNKNOWN, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
    ).order_by("-rank", "vital", F("birth_year").asc(nulls_last=True), "birth_date", "pk")
    # Only what a result line shows: a common name sorts thousands of rows, and narrow ones
    # sort faster than whole records.
    return ranked.only(*RESULT_FIELDS)


def _hits(rows: Any) -> list[SearchHit]:
    return [SearchHit(p, p.rank, _why_of(p.rank)) for p in rows]


def search(
    user: Any, filters: SearchFilters, *, limit: int = PAGE_SIZE, offset: int = 0
) -> list[SearchHit]:
    """Persons whose name matches the query in any script or spelling, best first (see
    `_ranked`), `limit` of them from `offset`."""
    ranked = _ranked(user, filters)
    if ranked is None:
        return []
    return _hits(ranked[offset : offset + limit])


def _count(ranked: QuerySet[Person], cap: int) -> tuple[int, bool]:
    found = ranked.order_by().values("pk")[: cap + 1].count()
    return (cap, True) if found > cap else (found, False)


def search_count(user: Any, filters: SearchFilters, *, cap: int | None = None) -> tuple[int, bool]:
    """How many persons the query finds, counted up to `cap` (`COUNT_CAP`): (count, capped).
    Past the cap the count is (cap, True)."""
    ranked = _ranked(user, filters)
    if ranked is None:
        return 0, False
    return _count(ranked, COUNT_CAP if cap is None else cap)


def search_page(
    user: Any, filters: SearchFilters, *, page: int = 1, per_page: int = PAGE_SIZE
) -> SearchPage:
    """One page of results and the total; a page past the last shows the last."""
    per_page = min(max(per_page, 1), MAX_PAGE_SIZE)
    ranked = _ranked(user, filters)
    if ranked is None:
        return SearchPage([], 1, per_page, 0, False, False)
    if connection.vendor == "postgresql":
        return _page_with_total(ranked, page, per_page)
    total, capped = _count(ranked, COUNT_CAP)
    if not capped:
        page = min(page, max(1, -(-total // per_page)))
    page = min(max(page, 1), MAX_PAGE)
    if total == 0:
        return SearchPage([], 1, per_page, 0, False, False)
    offset = (page - 1) * per_page
    rows = list(ranked[offset : offset + per_page + 1])
    return SearchPage(_hits(rows[:per_page]), page, per_page, total, capped, len(rows) > per_page)


def _page_with_total(ranked: QuerySet[Person], page: int, per_page: int) -> SearchPage:
    """`search_page` on PostgreSQL: the page and the number of matches in one query (a window
    count over what the filter found, which the page's sort reads whole anyway), where the
    count and the page were two queries reading the same rows. The same page as the two
    queries give, the count capped in the same way."""
    counted = ranked.annotate(found=Window(Count("pk")))
    page = min(max(page, 1), MAX_PAGE)
    rows = list(counted[(page - 1) * per_page : page * per_page + 1])
    if not rows and page > 1:
        # Past the last page: the last page, as `search_page` shows (unless the count is
        # capped, where the last page is not known).
        first = list(counted[:1])
        found = first[0].found if first else 0
        if not first or found > COUNT_CAP:
            total, capped = (COUNT_CAP, True) if first else (0, False)
            return SearchPage([], page if capped else 1, per_page, total, capped, False)
        page = max(1, -(-found // per_page))
        rows = list(counted[(page - 1) * per_page : page * per_page + 1])
    if not rows:
        return SearchPage([], 1, per_page, 0, False, False)
    found = rows[0].found
    total, capped = (COUNT_CAP, True) if found > COUNT_CAP else (found, False)
    return SearchPage(_hits(rows[:per_page]), page, per_page, total, capped, len(rows) > per_page)


# The audit actions that change a person or a relative sought (a view of a record is audited
# too, and must not count as a change).
REGISTRY_WRITES = (
    "families.person.create",
    "families.person.update",
    "families.seeking.create",
    "families.registry.import",
    "families.pfif.import",
    "families.duplicates.merge",
    "families.duplicates.undo",
    "families.round.apply",
)


def registry_version() -> str:
    """A fingerprint of the registry that changes whenever a person or a relative sought is
    added, removed or changed through the services (each such change writes one of the audit
    entries of `REGISTRY_WRITES`): the keys of the caches of figures read from the whole
    registry. Cheap: counts and maxima the indexes answer."""
    # COUNT(*) and MAX(id) apart: together, SQLite reads the whole table for them.
    figures = (
        Person.objects.count(),
        Person.objects.aggregate(last=Max("pk"))["last"],
        Seeking.objects.count(),
        Seeking.objects.aggregate(last=Max("pk"))["last"],
        AuditEntry.objects.filter(action__in=REGISTRY_WRITES).aggregate(last=Max("pk"))["last"],
    )
    return "-".join(str(v) for v in figures)


# --- a round's request list ----------------------------------------------------------------------

# Who seeks a relative, as the other side reads it where the applicant has not agreed to be
# named (`families.access.may_see_seeker`).
SEEKER_UNNAMED = _("a relative in the South")


def request_lines_for_user(user: Any, tracing_round: TracingRound) -> list[RequestLine]:
    """The round's request list as `user` may read it, one line per person sought: the page,
    the API and the documents (PDF, Excel) all read it here. Who seeks each person (the
    applicant's name and the relation) is given where `families.access.may_see_seeker` allows;
    elsewhere the line says "a relative in the South" in the active language (the documents
    are made in Korean: 남측의 가족) and no relation."""
    get_round_for_user(user, tracing_round.pk)
    unnamed = str(SEEKER_UNNAMED)
    lines = []
    requests = tracing_round.requests.select_related("seeking__sought", "seeking__applicant")
    for r in requests:
        seeking = r.seeking
        sought, applicant = seeking.sought, seeking.applicant
        named = may_see_seeker(user, applicant)
        lines.append(
            RequestLine(
                request_id=r.request_id,
                family_name=sought.family_name,
                given_name=sought.given_name,
                sex=sought.sex,
                birth_date=sought.birth_date,
                birth_calendar=sought.birth_calendar,
                hometown=sought.hometown,
                father_name=sought.father_name,
                relation=seeking.relation if named else "",
                applicant_name=applicant.display_name if named else unnamed,
                separated_on=seeking.separated_on,
                last_known_place=seeking.last_known_place,
                seeker_named=named,
                applicant_id=applicant.pk if named else None,
                sought_name=sought.display_name,
            )
        )
    return lines


# --- a round's figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundReport:
    sent: int
    answered: int
    found_alive: int
    found_deceased: int
    found_unknown: int
    not_found: int
    unanswered: int
    to_review: int
    unmatched_rows: int
    rejected_rows: int


def round_report(tracing_round: TracingRound) -> RoundReport:
    sent = tracing_round.requests.count()
    linked = tracing_round.replies.filter(link_state__in=LINKED)
    counts = {
        (row["result"], row["vital_status"]): row["n"]
        for row in linked.values("result", "vital_status").annotate(n=Count("pk"))
    }
    answered = linked.values("request").distinct().count()
    return RoundReport(
        sent=sent,
        answered=answered,
        found_alive=counts.get(("found", "alive"), 0),
        found_deceased=counts.get(("found", "deceased"), 0),
        found_unknown=counts.get(("found", "unknown"), 0),
        not_found=sum(n for (r, _), n in counts.items() if r == "not_found"),
        unanswered=sent - answered,
        to_review=tracing_round.replies.filter(link_state=LinkState.REVIEW).count(),
        unmatched_rows=tracing_round.replies.filter(link_state=LinkState.UNMATCHED).count(),
        rejected_rows=tracing_round.replies.filter(link_state=LinkState.REJECTED).count(),
    )
