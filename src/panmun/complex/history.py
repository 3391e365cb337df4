"""The complex's figures by year since 2005, as published (a pure module, no Django): firms,
workers and output, each year with when its counts were taken and where they come from.

The figures are the Ministry of Unification's (통일부, 개성공단 현황), as the project's domain
notes give them (docs/domain.md, "Gaeseong Industrial Complex"). A figure the notes do not give
is None, never guessed: 2010 and 2012 give no count of firms, 2013 and 2014 none of firms or
workers. Output is the year's production in USD (생산액).

Migration 0002 writes them into `YearFigures`; `services.output.year_figures_load` writes them
again (the tests, a database emptied)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

SOURCE = "통일부 개성공단 현황 (Ministry of Unification), Panmun docs/domain.md"


@dataclass(frozen=True)
class YearFacts:
    year: int
    firms: int | None
    workers: int | None
    output_usd: Decimal | None
    as_of: str = ""
    note: str = ""
    source: str = SOURCE


def million(text: str) -> Decimal:
    """USD millions as written (14.91) in dollars with three decimals."""
    return (Decimal(text) * 1_000_000).quantize(Decimal("0.001"))


FIGURES: tuple[YearFacts, ...] = (
    YearFacts(2005, 18, 6_013, million("14.91"), as_of="2005년 말 / end of 2005"),
    YearFacts(2007, 65, 22_804, million("184.78"), as_of="2007년 말 / end of 2007"),
    YearFacts(2008, 93, 38_266, million("251.42"), as_of="2008년 말 / end of 2008"),
    YearFacts(2010, None, 46_284, million("323.32"), as_of="2010년 말 / end of 2010"),
    YearFacts(
        2012,
        None,
        51_452,
        million("469.50"),
        as_of="근로자: 2012년 5월 말 / workers: end of May 2012",
    ),
    YearFacts(
        2013,
        None,
        None,
        million("223.78"),
        note="4월 8일–9월 16일 가동 중단 / shut down 8 April to 16 September",
    ),
    YearFacts(2014, None, None, million("469.97")),
    YearFacts(
        2015,
        124,
        54_481,
        million("560"),
        as_of="근로자: 2015년 7월 말 / workers: end of July 2015",
        note="생산액은 약 5.6억 달러 / output about USD 560 M",
    ),
)


def figures_of(year: int) -> YearFacts | None:
    for facts in FIGURES:
        if facts.year == year:
            return facts
    return None
