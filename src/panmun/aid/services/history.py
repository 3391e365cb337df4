"""The ledger's history: the ministry's table by year (1995–2018) loaded from the officer's
file, the ministry's summary for 2019–2024, and the figures the sources give differently (each
source's figure kept: `HistoryFigure`). All or nothing; the ministry's officers load them."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from django.db import transaction

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.errors import DomainError

from ..access import can_keep_ledger
from ..history import AMOUNTS, HistoryTableError, read_history_table
from ..models import HistoryFigure, HistoryYear

#: The key of a figure from the published total row of a table: `table-total-<column>`.
TABLE_TOTAL = "table-total-"


@cache
def history_facts() -> dict[str, Any]:
    """The facts cited beside the table (`aid/data/history_facts.json`, with their sources)."""
    text = resources.files("panmun.aid").joinpath("data/history_facts.json").read_text("utf-8")
    facts: dict[str, Any] = json.loads(text)
    return facts


@transaction.atomic
def history_load(*, actor: User, data: bytes, file: str) -> int:
    """Load the ministry's table in `data` (named `file`): the years it holds are replaced by
    its rows, each keeping `file` as its source, and its published total row is kept as
    figures (`table-total-<column>`). Returns the number of years loaded. A table that does
    not add up is refused whole, every problem named by file, row and column."""
    require(can_keep_ledger(actor))
    source = file.strip()[:300]
    if not source:
        raise DomainError.from_findings(
            [],
            ko="파일 이름이 없습니다.",
            en="The file has no name.",
        )
    try:
        table = read_history_table(data, file=source)
    except HistoryTableError as exc:
        raise DomainError.from_findings(
            exc.problems,
            ko="연도별 지원 실적표를 읽지 못했습니다. 아무것도 반입하지 않았습니다.",
            en="The table of aid by year was refused; nothing was loaded.",
            file=source,
        ) from exc
    years = [row.year for row in table.years]
    HistoryYear.objects.filter(year__in=years).delete()
    HistoryYear.objects.bulk_create(
        HistoryYear(
            year=row.year,
            **{column: int(row.amounts[column]) for column in AMOUNTS},
            note=row.note,
            source=source,
        )
        for row in table.years
    )
    HistoryFigure.objects.filter(key__startswith=TABLE_TOTAL, source=source).delete()
    HistoryFigure.objects.bulk_create(
        HistoryFigure(
            key=f"{TABLE_TOTAL}{column}".replace("_", "-"),
            label_ko=f"발표된 합계 {min(years)}–{max(years)}: {column}",
            label_en=f"Published total {min(years)}–{max(years)}: {column}",
            value=table.published[column],
            unit="KRW 100 million",
            source=source,
        )
        for column in AMOUNTS
    )
    audit.record(
        actor=actor,
        action="aid.history.load",
        object_type="aid.historyyear",
        object_label=source,
        changes={"file": source, "years": [min(years), max(years)], "rows": len(years)},
    )
    return len(years)


@transaction.atomic
def history_facts_load(*, actor: User) -> int:
    """Load the ministry's 2019–2024 summary (years the table does not hold) and the figures
    the sources give differently, from `aid/data/history_facts.json`; returns the number of
    rows written. Run again, it replaces what it wrote."""
    require(can_keep_ledger(actor))
    facts = history_facts()
    source = facts["summary_source"]
    summary = facts["summary"]
    HistoryYear.objects.filter(year__in=[row["year"] for row in summary], source=source).delete()
    taken = set(
        HistoryYear.objects.filter(year__in=[row["year"] for row in summary]).values_list(
            "year", flat=True
        )
    )
    years = [
        HistoryYear(
            year=row["year"],
            gov_total=row.get("gov_total"),
            ngo_total=row.get("ngo_total"),
            grand_total=row["grand_total"],
            source=source,
        )
        for row in summary
        if row["year"] not in taken  # a year a loaded table holds keeps the table's figures
    ]
    HistoryYear.objects.bulk_create(years)
    figures = facts["figures"]
    for figure in figures:
        HistoryFigure.objects.update_or_create(
            key=figure["key"],
            source=figure["source"],
            defaults={
                "label_ko": figure["label_ko"],
                "label_en": figure["label_en"],
                "value": Decimal(figure["value"]),
                "unit": figure["unit"],
            },
        )
    audit.record(
        actor=actor,
        action="aid.history.facts",
        object_type="aid.historyfigure",
        object_label=source,
        changes={"years": [y.year for y in years], "figures": len(figures)},
    )
    return len(years) + len(figures)
