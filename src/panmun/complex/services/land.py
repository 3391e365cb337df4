"""Writes of the complex's land, the committee's: the developers' land lease from the North, its
parcels (m²; the pages show 평 beside), each firm's sublease of a parcel (its sale price is
what the land-use fee is reckoned on), the buildings on a site, and the land-use fee rules.

A fee rule that breaks the revision limits (every 4 years, at most 20%: `complex.fees`) is
refused with the rule it breaks named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.errors import invalid_fields

from .. import fees
from ..access import can_keep_rules
from ..models import Building, BuildingKind, FeeRule, Firm, FirmKind, LandLease, Parcel, Sublease

Problem = tuple[str, str, str]
REFUSED_KO = "토지 기록에 문제가 있어 저장하지 않았습니다."
REFUSED_EN = "The land record has problems; nothing was saved."
#: The largest amount or area the columns hold (16 digits, 3 or 2 places).
MAX_USD = Decimal("9999999999999")
MAX_AREA = Decimal("999999999999")
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


def _refuse_if(problems: list[Problem]) -> None:
    if problems:
        raise invalid_fields(REFUSED_KO, REFUSED_EN, problems)


def _amount(name: str, value: Decimal, *, limit: Decimal, places: int) -> Problem | None:
    if not value.is_finite() or value < 0 or value > limit:
        return (name, "0 이상의 금액(수)을 적어 주십시오.", "A number of 0 or more.")
    if value != round(value, places):
        return (
            name,
            f"소수 {places}자리까지 적어 주십시오.",
            f"At most {places} decimal places.",
        )
    return None


def _date(name: str, value: dt.date | None, *, required: bool = True) -> Problem | None:
    if value is None:
        return (name, "날짜를 적어 주십시오.", "Give the date.") if required else None
    if not EARLIEST <= value <= LATEST:
        return (name, "2000년부터 2100년까지의 날짜입니다.", "A date from 2000 to 2100.")
    return None


def _text(name: str, value: str, limit: int, *, required: bool = False) -> Problem | None:
    if required and not value.strip():
        return (name, "적어 주십시오.", "Required.")
    if len(value) > limit:
        return (name, f"{limit:,}자 이내로 적어 주십시오.", f"At most {limit:,} characters.")
    return None


M = TypeVar("M", bound=models.Model)


def _save(obj: M, actor: User, action: str, changes: dict[str, Any]) -> M:
    obj.full_clean()
    obj.save()
    obj.refresh_from_db()  # the amounts as the database keeps them (0.018720)
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        changes={k: str(v) if v is not None else None for k, v in changes.items()},
    )
    return obj


@transaction.atomic
def lease_create(
    *,
    actor: User,
    title: str,
    developer: Firm,
    lessor: str,
    signed_on: dt.date,
    starts_on: dt.date,
    ends_on: dt.date,
    area_pyeong: Decimal,
    price_usd: Decimal,
) -> LandLease:
    """Record a land lease from the North to a developer."""
    require(can_keep_rules(actor))
    problems = [
        p
        for p in (
            _text("title", title, 200, required=True),
            _text("lessor", lessor, 200, required=True),
            _date("signed_on", signed_on),
            _date("starts_on", starts_on),
            _date("ends_on", ends_on),
            _amount("area_pyeong", area_pyeong, limit=MAX_AREA, places=2),
            _amount("price_usd", price_usd, limit=MAX_USD, places=3),
        )
        if p
    ]
    if developer.kind != FirmKind.DEVELOPER:
        problems.append(
            ("developer", "개발업자를 고르십시오.", "Choose a developer (LH, Hyundai Asan).")
        )
    if starts_on and ends_on and ends_on <= starts_on:
        problems.append(("ends_on", "시작일 뒤여야 합니다.", "Must be after the start."))
    _refuse_if(problems)
    lease = LandLease(
        title=title.strip(),
        developer=developer,
        lessor=lessor.strip(),
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        area_pyeong=area_pyeong,
        price_usd=price_usd,
    )
    return _save(
        lease,
        actor,
        "complex.lease.create",
        {"title": lease.title, "ends_on": ends_on, "price_usd": price_usd},
    )


@transaction.atomic
def parcel_create(
    *, actor: User, lease: LandLease, number: str, area_m2: Decimal, use: str = ""
) -> Parcel:
    """Record a parcel of the leased land."""
    require(can_keep_rules(actor))
    number = number.strip()
    problems = [
        p
        for p in (
            _text("number", number, 40, required=True),
            _amount("area_m2", area_m2, limit=MAX_AREA, places=2),
            _text("use", use, 100),
        )
        if p
    ]
    if area_m2.is_finite() and area_m2 == 0:
        problems.append(("area_m2", "면적은 0보다 커야 합니다.", "The area must be above 0."))
    if number and Parcel.objects.filter(number=number).exists():
        problems.append(("number", "이미 있는 필지 번호입니다.", "That parcel number exists."))
    _refuse_if(problems)
    parcel = Parcel(lease=lease, number=number, area_m2=area_m2, use=use.strip())
    return _save(parcel, actor, "complex.parcel.create", {"number": number, "area_m2": area_m2})


@transaction.atomic
def sublease_create(
    *,
    actor: User,
    firm: Firm,
    parcel: Parcel,
    signed_on: dt.date,
    use_from: dt.date,
    ends_on: dt.date,
    sale_price_usd: Decimal,
) -> Sublease:
    """Record a firm's sublease of a parcel. A parcel has one sublease running at a time, and a
    sublease ends no later than the land lease."""
    require(can_keep_rules(actor))
    problems = [
        p
        for p in (
            _date("signed_on", signed_on),
            _date("use_from", use_from),
            _date("ends_on", ends_on),
            _amount("sale_price_usd", sale_price_usd, limit=MAX_USD, places=3),
        )
        if p
    ]
    if firm.kind != FirmKind.TENANT:
        problems.append(
            ("firm", "입주기업만 부지를 분양받습니다.", "Only a tenant firm subleases a site.")
        )
    if use_from and ends_on and ends_on <= use_from:
        problems.append(("ends_on", "사용 시작일 뒤여야 합니다.", "Must be after use begins."))
    lease = parcel.lease
    if ends_on and ends_on > lease.ends_on:
        problems.append(
            (
                "ends_on",
                f"토지 임차 기간({lease.ends_on}) 뒤로 갈 수 없습니다.",
                f"Cannot run past the land lease ({lease.ends_on}).",
            )
        )
    if use_from and use_from < lease.starts_on:
        problems.append(
            (
                "use_from",
                f"토지 임차 시작일({lease.starts_on})보다 앞설 수 없습니다.",
                f"Cannot be before the land lease begins ({lease.starts_on}).",
            )
        )
    if use_from and ends_on and not problems:
        running = parcel.subleases.filter(ended_on__isnull=True, use_from__lt=ends_on).filter(
            ends_on__gt=use_from
        )
        if running.exists():
            problems.append(
                (
                    "parcel",
                    "그 필지에는 이미 그 기간의 분양 계약이 있습니다.",
                    "The parcel is already subleased for that period.",
                )
            )
    _refuse_if(problems)
    sublease = Sublease(
        firm=firm,
        parcel=parcel,
        signed_on=signed_on,
        use_from=use_from,
        ends_on=ends_on,
        sale_price_usd=sale_price_usd,
    )
    return _save(
        sublease,
        actor,
        "complex.sublease.create",
        {"firm": firm.pk, "parcel": parcel.number, "sale_price_usd": sale_price_usd},
    )


@transaction.atomic
def building_create(
    *,
    actor: User,
    firm: Firm,
    parcel: Parcel,
    kind: str,
    floor_area_m2: Decimal,
    completed_on: dt.date | None = None,
) -> Building:
    """Record a building on a firm's site: the parcel must be the firm's (a sublease of it)."""
    require(can_keep_rules(actor))
    problems = [
        p
        for p in (
            _amount("floor_area_m2", floor_area_m2, limit=MAX_AREA, places=2),
            _date("completed_on", completed_on, required=False),
        )
        if p
    ]
    if kind not in BuildingKind.values:
        problems.append(("kind", "건물 종류를 고르십시오.", "Choose the kind of building."))
    if not parcel.subleases.filter(firm=firm).exists():
        problems.append(
            (
                "parcel",
                "그 기업이 분양받은 필지를 고르십시오.",
                "Choose a parcel the firm subleases.",
            )
        )
    _refuse_if(problems)
    building = Building(
        firm=firm, parcel=parcel, kind=kind, floor_area_m2=floor_area_m2, completed_on=completed_on
    )
    return _save(
        building,
        actor,
        "complex.building.create",
        {"firm": firm.pk, "parcel": parcel.number, "kind": kind},
    )


def as_rule(rule: FeeRule) -> fees.Rule:
    return fees.Rule(
        from_year=rule.from_year,
        rate=rule.rate,
        due_month=rule.due_month,
        due_day=rule.due_day,
        charged_from_lease_year=rule.charged_from_lease_year,
    )


@transaction.atomic
def fee_rule_create(
    *,
    actor: User,
    from_year: int,
    rate: Decimal,
    agreed_on: dt.date | None = None,
    due_month: int = 12,
    due_day: int = 20,
    charged_from_lease_year: int = 11,
    note: str = "",
) -> FeeRule:
    """Record a land-use fee rule, or a revision: refused, with the rule it breaks named, when
    it comes less than 4 years after the rule before it (or before the next) or moves the rate
    by more than 20%."""
    require(can_keep_rules(actor))
    problems: list[Problem] = []
    if not 2004 <= from_year <= 2100:
        problems.append(("from_year", "2004년부터 2100년까지입니다.", "A year from 2004 to 2100."))
    if not rate.is_finite() or not Decimal(0) < rate < 1 or rate != round(rate, 6):
        problems.append(
            (
                "rate",
                "요율은 0과 1 사이의 비율입니다 (1.56%는 0.0156, 소수 6자리까지).",
                "The rate is a share between 0 and 1 (1.56% is 0.0156; 6 places at most).",
            )
        )
    if not 1 <= due_month <= 12:
        problems.append(("due_month", "1월부터 12월까지입니다.", "A month from 1 to 12."))
    if not 1 <= due_day <= 31:
        problems.append(("due_day", "1일부터 31일까지입니다.", "A day from 1 to 31."))
    if not 1 <= charged_from_lease_year <= 50:
        problems.append(
            ("charged_from_lease_year", "1년차부터 50년차까지입니다.", "A lease year, 1 to 50.")
        )
    problem = _text("note", note, 300)
    if problem:
        problems.append(problem)
    if problems:
        _refuse_if(problems)
    rules = list(FeeRule.objects.select_for_update().order_by("from_year"))
    if any(r.from_year == from_year for r in rules):
        _refuse_if(
            [
                (
                    "from_year",
                    f"{from_year}년 토지사용료 규칙이 이미 있습니다.",
                    f"There is a land-use fee rule of {from_year} already.",
                )
            ]
        )
    new = fees.Rule(from_year, rate, due_month, due_day, charged_from_lease_year)
    broken = [
        p
        for p in fees.check_rules([*map(as_rule, rules), new])
        if from_year in (p.from_year, p.follows)
    ]
    _refuse_if([("rate" if p.code == "too_large" else "from_year", p.ko, p.en) for p in broken])
    rule = FeeRule(
        from_year=from_year,
        rate=rate,
        due_month=due_month,
        due_day=due_day,
        charged_from_lease_year=charged_from_lease_year,
        agreed_on=agreed_on,
        note=note.strip(),
    )
    return _save(rule, actor, "complex.fee_rule.create", {"from_year": from_year, "rate": rate})
