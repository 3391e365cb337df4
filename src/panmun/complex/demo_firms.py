"""`panmun load-demo`'s firms, land and output of the Gaeseong complex, shaped like 2015.

- 124 tenant firms by sector as in 2015 (textiles 72 with the demo persona `firm`'s own
  한빛어패럴(주), machinery and metal 24, electric and electronic 13, chemical 9, paper and wood 3,
  food 2, non-metallic minerals 1), four subcontractors, and the developers (LH, Hyundai Asan).
  The names are made up ("(예시)"), never a real firm's.
- Each tenant's cooperation-project approval (Art. 17), in force. The demo has no logins for
  the firms but the persona's, so the approvals are written as the ministry's decided records
  (state "approved", decided by the `ministry` persona), not filed through the applicant's
  pages: the persona's firm's is filed in its own name (applicant `firm`, its organisation),
  the others' in the ministry persona's, with "[demo]" in the purpose.
- The land: the lease of 13 April 2004 (1 million pyeong, USD 16 M, sites usable to 12 April
  2054), a parcel, a sublease (USD 130 a pyeong, a demo figure) and a factory for each tenant,
  and the land-use fee rule agreed in December 2015 (1.56%, from the 11th year, due
  20 December).
- A year of output (2015) summing to USD 560,000,000.000 exactly; the published figures by
  year (`history`).

Deterministic (a seeded generator) and idempotent: nothing is written twice. Bulk writes."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from panmun.accounts.models import Organisation, User
from panmun.common.apps import DemoRun
from panmun.permits.models import Application, Approval, ApprovalKind, ApprovalState

from .models import (
    Building,
    BuildingKind,
    FeeRule,
    Firm,
    FirmKind,
    LandLease,
    OutputMonth,
    Parcel,
    Sector,
    Sublease,
)
from .models.land import M2_PER_PYEONG
from .services.output import year_figures_load

SEED = 2015
MARK = "[demo]"
#: The tenants by sector in 2015 (the persona's firm is one of the textiles).
SECTORS: tuple[tuple[str, int], ...] = (
    (Sector.TEXTILES, 72),
    (Sector.MACHINERY_METAL, 24),
    (Sector.ELECTRIC_ELECTRONIC, 13),
    (Sector.CHEMICAL, 9),
    (Sector.PAPER_WOOD, 3),
    (Sector.FOOD, 2),
    (Sector.NON_METALLIC, 1),
)
WORDS: dict[str, tuple[str, ...]] = {
    Sector.TEXTILES: ("섬유", "어패럴", "패션"),
    Sector.MACHINERY_METAL: ("정밀", "금속", "기계"),
    Sector.ELECTRIC_ELECTRONIC: ("전자", "전기"),
    Sector.CHEMICAL: ("화학", "산업"),
    Sector.PAPER_WOOD: ("제지", "목재"),
    Sector.FOOD: ("식품",),
    Sector.NON_METALLIC: ("세라믹",),
}
PREFIXES = (
    "가람",
    "나래",
    "다온",
    "라온",
    "마루",
    "바다",
    "사랑",
    "아라",
    "자람",
    "차돌",
    "하늘",
    "한결",
    "누리",
    "도담",
    "미르",
    "보람",
    "새봄",
    "세움",
    "솔빛",
    "여울",
    "온누리",
    "이음",
    "초록",
    "해솔",
    "가온",
    "늘품",
    "단비",
    "든솔",
)
DEVELOPERS = (
    ("한국토지주택공사", "Korea Land and Housing Corporation (LH)"),
    ("현대아산", "Hyundai Asan"),
)
#: The sale price of the sites, USD a pyeong (a demo figure, not a published one).
PRICE_A_PYEONG = Decimal(130)
#: 2015's output, USD: "about 560 M" (domain.md).
OUTPUT_2015 = Decimal("560000000.000")
#: Each month's share of the year (a little less in the spring and at the New Year).
MONTH_WEIGHTS = (7, 7, 8, 8, 8, 9, 9, 9, 8, 9, 9, 9)
CENTS = Decimal("0.001")


def _usd(value: Decimal) -> Decimal:
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


def _spread(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """`total` in shares of `weights`, to the tenth of a cent, adding up to it exactly (the
    rounding left over goes to the largest share)."""
    whole = sum(weights)
    parts = [_usd(total * w / whole) for w in weights]
    largest = max(range(len(parts)), key=lambda i: weights[i])
    parts[largest] += total - sum(parts)
    return parts


def _tenant_names() -> list[tuple[str, str]]:
    names = []
    n = 0
    for sector, count in SECTORS:
        words = WORDS[sector]
        for i in range(count - (1 if sector == Sector.TEXTILES else 0)):
            prefix = PREFIXES[n % len(PREFIXES)]
            word = words[(i + n // len(PREFIXES)) % len(words)]
            names.append((f"{prefix}{word}(주) (예시)", sector))
            n += 1
    return names


@transaction.atomic
def load_firms_demo() -> dict[str, int]:
    """Write the demo's firms, land and output (once)."""
    year_figures_load()
    if LandLease.objects.exists() or Firm.objects.filter(kind=FirmKind.DEVELOPER).exists():
        return {"firms": 0}
    users = {u.username: u for u in User.objects.filter(username__in=["firm", "ministry"])}
    if len(users) < 2 or users["firm"].organisation_id is None:
        return {"firms": 0}
    rng = random.Random(SEED)  # noqa: S311 - a demo's figures, not a secret
    org: Organisation = users["firm"].organisation  # type: ignore[assignment]

    developers = Firm.objects.bulk_create(
        [Firm(name_ko=ko, name_en=en, kind=FirmKind.DEVELOPER) for ko, en in DEVELOPERS]
    )
    own = Firm.objects.filter(organisation=org).first() or Firm(
        name_ko=org.name_ko, name_en=org.name_en, organisation=org
    )
    own.kind, own.sector = FirmKind.TENANT, Sector.TEXTILES
    own.started_on = own.started_on or dt.date(2005, 3, 1)
    own.representative = own.representative or "정민호"
    own.save()
    starts = [dt.date(2005, 3, 1)] + [
        dt.date(
            rng.choice((2005, 2006, 2007, 2007, 2008, 2008, 2009, 2010, 2012)),
            rng.randint(1, 12),
            1,
        )
        for _ in range(123)
    ]
    tenants = [
        own,
        *Firm.objects.bulk_create(
            [
                Firm(
                    name_ko=name,
                    kind=FirmKind.TENANT,
                    sector=sector,
                    business_number=f"{130 + i:03d}-81-{10000 + i * 7:05d}",
                    started_on=starts[i + 1],
                )
                for i, (name, sector) in enumerate(_tenant_names())
            ]
        ),
    ]
    subcontractors = Firm.objects.bulk_create(
        [
            Firm(
                name_ko=f"{PREFIXES[i]}협력(주) (예시)",
                kind=FirmKind.SUBCONTRACTOR,
                sector=tenants[i * 5].sector,
                tenant=tenants[i * 5],
                started_on=dt.date(2009, 4, 1),
            )
            for i in range(4)
        ]
    )

    # The cooperation-project approvals, as the ministry decided them (see the docstring).
    decided = dt.datetime(2004, 12, 1, 1, 0, tzinfo=dt.UTC)
    applications = Application.objects.bulk_create(
        [
            Application(
                reference=f"EX-2004-GIC{n:04d}",
                applicant=users["firm"] if firm.pk == own.pk else users["ministry"],
                organisation=org if firm.pk == own.pk else None,
                purpose=f"개성공업지구 협력사업 (입주): {firm.name_ko} {MARK}",
                destination="gaeseong",
                destination_detail="개성공업지구",
                start_date=firm.started_on,
                end_date=dt.date(2054, 4, 12),
                north_partner="중앙특구개발지도총국",
                submitted_at=decided,
            )
            for n, firm in enumerate(tenants, start=1)
        ]
    )
    approvals = Approval.objects.bulk_create(
        [
            Approval(
                application=a,
                kind=ApprovalKind.PROJECT,
                state=ApprovalState.APPROVED,
                project_title=f"개성공업지구 입주: {firm.name_ko}",
                project_partner="중앙특구개발지도총국",
                land_lease=True,
                lease_signed_on=firm.started_on,
                decided_by=users["ministry"],
                decided_at=decided,
                submitted_at=decided,
            )
            for a, firm in zip(applications, tenants, strict=True)
        ]
    )
    for firm, approval in zip(tenants, approvals, strict=True):
        firm.project_approval = approval
    Firm.objects.bulk_update(tenants, ["project_approval"])

    # The land.
    opened = [t.started_on or dt.date(2005, 3, 1) for t in tenants]
    lease = LandLease.objects.create(
        title="개성공업지구 1단계 토지임대차계약",
        developer=developers[0],
        lessor="조선아시아태평양평화위원회·민족경제협력연합회",
        signed_on=dt.date(2004, 4, 13),
        starts_on=dt.date(2004, 4, 13),
        ends_on=dt.date(2054, 4, 12),
        area_pyeong=Decimal("1000000.00"),
        price_usd=Decimal("16000000.000"),
    )
    areas = [
        Decimal(
            rng.randint(3300, 9900) if t.sector == Sector.TEXTILES else rng.randint(6600, 33000)
        )
        for t in tenants
    ]
    parcels = Parcel.objects.bulk_create(
        [
            Parcel(lease=lease, number=f"A{1 + i // 40}-{1 + i % 40:02d}", area_m2=area, use="공장")
            for i, area in enumerate(areas)
        ]
    )
    Sublease.objects.bulk_create(
        [
            Sublease(
                firm=t,
                parcel=p,
                signed_on=start - dt.timedelta(days=180),
                use_from=start - dt.timedelta(days=150),
                ends_on=dt.date(2054, 4, 12),
                sale_price_usd=_usd(p.area_m2 / M2_PER_PYEONG * PRICE_A_PYEONG),
            )
            for t, p, start in zip(tenants, parcels, opened, strict=True)
        ]
    )
    Building.objects.bulk_create(
        [
            Building(
                firm=t,
                parcel=p,
                kind=BuildingKind.FACTORY,
                floor_area_m2=(p.area_m2 * Decimal("0.6")).quantize(Decimal("0.01")),
                completed_on=start - dt.timedelta(days=30),
            )
            for t, p, start in zip(tenants, parcels, opened, strict=True)
        ]
    )
    FeeRule.objects.create(
        from_year=2015,
        rate=Decimal("0.0156"),
        note="2015년 12월 합의 / agreed in December 2015",
    )

    # 2015's output: each tenant's year in proportion to its site, a little scattered.
    weights = [a * Decimal(rng.randint(80, 120)) for a in areas]
    rows = []
    for firm, year_total in zip(tenants, _spread(OUTPUT_2015, weights), strict=True):
        months = _spread(year_total, [Decimal(w) for w in MONTH_WEIGHTS])
        for m, amount in enumerate(months, start=1):
            shipped = _usd(amount * Decimal("0.85"))
            rows.append(
                OutputMonth(
                    firm=firm,
                    month=dt.date(2015, m, 1),
                    production_usd=amount,
                    shipped_south_usd=shipped,
                    exported_usd=_usd(amount * Decimal("0.10")),
                )
            )
    OutputMonth.objects.bulk_create(rows, batch_size=1000)
    return {
        "firms": len(tenants) + len(subcontractors) + len(developers),
        "tenants": len(tenants),
        "output_months": len(rows),
    }


def load(run: DemoRun) -> None:
    """`panmun load-demo`'s firms, land and output of the complex."""
    loaded = load_firms_demo()
    if loaded["firms"]:
        run.say(
            f"Gaeseong complex: {loaded['firms']} firms ({loaded['tenants']} tenants), their "
            f"sites, {loaded['output_months']} months of output (2015: USD 560 M)."
        )
