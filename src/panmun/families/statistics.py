"""The monthly figures of the separated-families registry (이산가족 신청자 현황 = the registry's
figures: applicants registered, living and deceased, the living by age, by relation sought and
by residence, and the registrations per year).

Everything is counted by the database with aggregate queries — a handful of queries whatever
the size of the registry — never by a loop over persons. The rules:

- An applicant (신청자) is a person with a registration number. A person merged into another
  (`merged_into` set) is a duplicate and is counted nowhere.
- The figures are those of the reference date `on`: applicants registered after it are left
  out; one who died after it (by `death_date`) counts as living. A partial date of death
  ("2024", "2024-05") counts from its first day: someone who died "in 2024" is deceased in
  every figure of 2024. A deceased applicant without a date of death is deceased at any date.
- Age is the year of `on` minus the birth year (`birth_year`), so someone born in 1935 is 90
  throughout 2025. The age in completed years would need the birthday, which the registry often
  does not have (a year alone, or a lunar date); the difference is at most one year, and it is
  the same for everyone. Living applicants without a birth year are shown as "unknown".
- By relation sought, an applicant counts once under every relation they seek: one seeking a
  sibling and a parent counts under both, so these shares (of the living applicants) may add up
  to more than 100%.
- Shares are computed from the counts, of the section's whole: the registered for the first
  section, the living for the age, relation and residence sections, and the registered for
  the registrations per year.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from panmun.common import csvcells
from panmun.common.bilingual import tr

from .models import Person, Relation, Seeking, VitalStatus
from .selectors import registry_version

# (key, Korean label, English label, youngest age, oldest age); None is open-ended.
AGE_BANDS: tuple[tuple[str, str, str, int | None, int | None], ...] = (
    ("90+", "90세 이상", "90 and over", 90, None),
    ("80-89", "80–89세", "80–89", 80, 89),
    ("70-79", "70–79세", "70–79", 70, 79),
    ("60-69", "60–69세", "60–69", 60, 69),
    ("under60", "60세 미만", "Under 60", None, 59),
)
AGE_UNKNOWN = ("unknown", "출생연도 미상", "Birth year unknown")

RELATION_LABELS: dict[str, tuple[str, str]] = {
    Relation.SPOUSE: ("배우자", "Spouse"),
    Relation.PARENT: ("부모", "Parents"),
    Relation.CHILD: ("자녀", "Children"),
    Relation.SIBLING: ("형제자매", "Siblings"),
    Relation.OTHER: ("3촌 이상 친척", "Third degree or further"),
}

SECTIONS: dict[str, tuple[str, str]] = {
    "registry": ("등록 현황", "Registered applicants"),
    "age": ("생존자 연령별", "Living applicants by age"),
    "relation": ("생존자 찾는 가족 관계별", "Living applicants by relation sought"),
    "residence": ("생존자 거주지별", "Living applicants by residence"),
    "year": ("연도별 등록", "Registrations per year"),
}

CSV_HEADER = {
    "ko": ("기준일", "구분", "항목", "인원", "비율(%)"),
    "en": ("as of", "section", "figure", "count", "share (%)"),
}

Row = tuple[str, str, str, int, float]


@dataclass(frozen=True)
class Figure:
    """One line of the figures: a count and its share (0–1) of the section's whole."""

    section: str
    key: str
    label_ko: str
    label_en: str
    count: int
    share: float

    @property
    def percent(self) -> float:
        return 100 * self.share

    def label(self, language: str) -> str:
        return str(tr(self.label_ko, self.label_en, language))


@dataclass(frozen=True)
class Bar:
    """A horizontal bar of a section's chart, in SVG units."""

    figure: Figure
    y: int
    width: int
    text_y: int
    value_x: int


@dataclass(frozen=True)
class Section:
    key: str
    title_ko: str
    title_en: str
    figures: tuple[Figure, ...]
    bars: tuple[Bar, ...]
    chart_width: int
    chart_height: int
    label_x: int
    bar_x: int
    bar_height: int


@dataclass(frozen=True)
class YearBar:
    year: int
    count: int
    x: int
    y: int
    height: int


def _share(count: int, whole: int) -> float:
    return count / whole if whole else 0.0


@dataclass(frozen=True)
class Figures:
    """The registry's figures on `on` (see the module's docstring for what counts where)."""

    on: date
    registered: int
    living: int
    deceased: int
    status_unknown: int
    living_by_age: tuple[int, ...]  # AGE_BANDS in order, then the unknown birth years
    living_by_relation: tuple[int, ...]  # Relation in order
    living_abroad: int
    registered_by_year: tuple[tuple[int, int], ...]  # every year from the first to the last
    registered_year_unknown: int

    @property
    def living_in_korea(self) -> int:
        return self.living - self.living_abroad

    def figures(self) -> list[Figure]:
        out: list[Figure] = []

        def add(section: str, key: str, ko: str, en: str, count: int, whole: int) -> None:
            out.append(Figure(section, key, ko, en, count, _share(count, whole)))

        reg = self.registered
        add("registry", "registered", "등록 신청자", "Registered applicants", reg, reg)
        add("registry", "living", "생존자", "Living", self.living, reg)
        add("registry", "deceased", "사망자", "Deceased", self.deceased, reg)
        add(
            "registry",
            "unknown",
            "생사 미상",
            "Alive or deceased unknown",
            self.status_unknown,
            reg,
        )
        bands = [(key, ko, en) for key, ko, en, _low, _high in AGE_BANDS] + [AGE_UNKNOWN]
        for (key, ko, en), count in zip(bands, self.living_by_age, strict=True):
            add("age", key, ko, en, count, self.living)
        for relation, count in zip(Relation, self.living_by_relation, strict=True):
            ko, en = RELATION_LABELS[relation]
            add("relation", relation.value, ko, en, count, self.living)
        add("residence", "korea", "국내 거주", "Living in Korea", self.living_in_korea, self.living)
        add("residence", "abroad", "해외 거주", "Living abroad", self.living_abroad, self.living)
        for year, count in self.registered_by_year:
            add("year", str(year), f"{year}년", str(year), count, reg)
        if self.registered_year_unknown:
            add(
                "year",
                "unknown",
                "등록일 미상",
                "Date of registration unknown",
                self.registered_year_unknown,
                reg,
            )
        return out

    def year_figures(self) -> list[Figure]:
        """The registrations per year (and those without a date), as figures."""
        return [f for f in self.figures() if f.section == "year"]

    def rows(self) -> list[Row]:
        """(section, Korean label, English label, count, share of the section) per figure."""
        return [(f.section, f.label_ko, f.label_en, f.count, f.share) for f in self.figures()]

    def sections(
        self, width: int = 720, label_width: int = 230, row_height: int = 26
    ) -> list[Section]:
        """The sections but the per-year one, each with a horizontal bar chart in SVG units:
        bars scaled to the section's largest count (drawn server-side; no script needed)."""
        by_section: dict[str, list[Figure]] = {}
        for f in self.figures():
            by_section.setdefault(f.section, []).append(f)
        bar_x = label_width
        span = width - label_width - 80  # room for the count after the longest bar
        bar_height = row_height - 8
        out = []
        for key, (ko, en) in SECTIONS.items():
            if key == "year":
                continue
            figures = by_section[key]
            top = max(f.count for f in figures)
            bars = []
            for n, f in enumerate(figures):
                w = round(span * f.count / top) if top else 0
                y = 4 + n * row_height
                bars.append(Bar(f, y, w, y + bar_height - 4, bar_x + w + 6))
            out.append(
                Section(
                    key,
                    ko,
                    en,
                    tuple(figures),
                    tuple(bars),
                    width,
                    8 + len(figures) * row_height,
                    label_width - 8,
                    bar_x,
                    bar_height,
                )
            )
        return out

    def year_chart(self, width: int = 760, height: int = 160) -> dict[str, Any]:
        """Registrations per year as vertical bars, like the dialogue timeline's chart."""
        years = self.registered_by_year
        if not years:
            return {"bars": [], "width": width, "height": height, "ticks": []}
        top = max(c for _y, c in years)
        step = max(1, width // len(years))
        plot = height - 20
        bars = []
        for n, (year, count) in enumerate(years):
            h = round(plot * count / top) if top else 0
            bars.append(YearBar(year, count, n * step, plot - h, h))
        every = max(1, len(bars) // 10)
        ticks = [
            b for i, b in enumerate(bars) if i % every == 0 and len(bars) - 1 - i >= every // 2
        ]
        if bars[-1] not in ticks:
            ticks.append(bars[-1])
        return {
            "bars": bars,
            "width": max(width, step * len(bars)),
            "height": height,
            "bar_width": max(1, step - 2),
            "ticks": ticks,
            "label_y": height - 4,
            "first": years[0][0],
            "last": years[-1][0],
            "total": sum(c for _y, c in years),
        }


def applicants_on(on: date) -> QuerySet[Person]:
    """The applicants registered on `on` (or with no date of registration), merges left out."""
    return (
        Person.objects.filter(registry_no__isnull=False, merged_into__isnull=True)
        .exclude(registry_no="")
        .filter(Q(registered_on__isnull=True) | Q(registered_on__lte=on))
    )


def living_on(on: date) -> Q:
    """Alive, or died after `on` (ISO dates compare as text; a partial date from its start)."""
    return Q(status=VitalStatus.ALIVE) | Q(
        status=VitalStatus.DECEASED, death_date__gt=on.isoformat()
    )


def deceased_on(on: date) -> Q:
    return Q(status=VitalStatus.DECEASED) & (Q(death_date="") | Q(death_date__lte=on.isoformat()))


def _age_band(on: date, low: int | None, high: int | None) -> Q:
    # age = on.year - birth_year, so age >= low <=> birth_year <= on.year - low.
    q = Q(birth_year__isnull=False)
    if low is not None:
        q &= Q(birth_year__lte=on.year - low)
    if high is not None:
        q &= Q(birth_year__gte=on.year - high)
    return q


def monthly_figures(*, on: date) -> Figures:
    """The registry's figures on `on`, in three aggregate queries: the counts of persons in
    one pass, the relations sought, and the registrations per day (summed here by year: a
    GROUP BY on the column itself is portable and needs no function called per row, as
    extracting the year does on SQLite)."""
    applicants = applicants_on(on)
    living = living_on(on)
    counts: dict[str, Any] = {
        "registered": Count("pk"),
        "living": Count("pk", filter=living),
        "deceased": Count("pk", filter=deceased_on(on)),
        "status_unknown": Count("pk", filter=Q(status=VitalStatus.UNKNOWN)),
        "abroad": Count("pk", filter=living & Q(abroad=True)),
        "age_unknown": Count("pk", filter=living & Q(birth_year__isnull=True)),
        "year_unknown": Count("pk", filter=Q(registered_on__isnull=True)),
    }
    for key, _ko, _en, low, high in AGE_BANDS:
        counts[f"age_{key}"] = Count("pk", filter=living & _age_band(on, low, high))
    totals = applicants.aggregate(**counts)

    by_relation = dict(
        Seeking.objects.filter(applicant__in=applicants.filter(living).values("pk"))
        .values("relation")
        .annotate(n=Count("applicant", distinct=True))
        .order_by()
        .values_list("relation", "n")
    )
    per_day = (
        applicants.filter(registered_on__isnull=False)
        .values("registered_on")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("registered_on", "n")
    )
    per_year: dict[int, int] = {}
    for day, n in per_day:  # at most one row a day
        assert day is not None  # registered_on__isnull=False
        per_year[day.year] = per_year.get(day.year, 0) + n
    years = range(min(per_year), max(per_year) + 1) if per_year else range(0)
    return Figures(
        on=on,
        registered=totals["registered"],
        living=totals["living"],
        deceased=totals["deceased"],
        status_unknown=totals["status_unknown"],
        living_by_age=(
            *(totals[f"age_{key}"] for key, *_rest in AGE_BANDS),
            totals["age_unknown"],
        ),
        living_by_relation=tuple(by_relation.get(r.value, 0) for r in Relation),
        living_abroad=totals["abroad"],
        registered_by_year=tuple((year, per_year.get(year, 0)) for year in years),
        registered_year_unknown=totals["year_unknown"],
    )


# The figures of a date change only with the registry: kept per version of the registry
# (`selectors.registry_version`), and at least every ten minutes.
FIGURES_CACHE_SECONDS = 600


def monthly_figures_cached(*, on: date) -> Figures:
    """`monthly_figures(on=on)`, from the cache while the registry has not changed: the page
    and its CSV read the whole registry (about half a second over 134,500 applicants)."""

    key = f"families:figures:{on.isoformat()}:{registry_version()}"
    figures: Figures | None = cache.get(key)
    if figures is None:
        figures = monthly_figures(on=on)
        cache.set(key, figures, FIGURES_CACHE_SECONDS)
    return figures


def figures_csv(figures: Figures, language: str) -> bytes:
    """The figures as CSV for a spreadsheet: UTF-8 with a BOM (Excel reads Hangul right), the
    header in `language` ("ko" or "en"), one line per figure, shares in percent."""
    lang = "en" if language.startswith("en") else "ko"
    buffer = io.StringIO()
    writer = csvcells.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER[lang])
    on = figures.on.isoformat()
    for f in figures.figures():
        section = tr(*SECTIONS[f.section], lang)
        writer.writerow((on, section, f.label(lang), f.count, f"{f.percent:.1f}"))
    return buffer.getvalue().encode("utf-8-sig")
