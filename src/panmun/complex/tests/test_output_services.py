"""A firm's monthly output (complex/services/output.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError, ErrorCode

from ..models import OutputMonth
from ..services.output import output_record
from .factories import persona_firm
from .firms_world import operating_firm, other_tenant, project_approval

pytestmark = pytest.mark.django_db


def fields_of(err: DomainError) -> list[str]:
    return [e["field"] for e in err.details["errors"]]


def test_a_firm_records_its_month_and_records_it_again_to_correct_it(personas):
    firm = operating_firm(personas)
    row = output_record(
        actor=personas["firm"],
        firm=firm,
        month=dt.date(2015, 3, 17),
        production_usd=Decimal("412345.678"),
        shipped_south_usd=Decimal("400000"),
    )
    assert (row.month, row.production_usd, row.exported_usd) == (
        dt.date(2015, 3, 1),
        Decimal("412345.678"),
        Decimal("0"),
    )
    output_record(
        actor=personas["gic"], firm=firm, month=dt.date(2015, 3, 1), production_usd=Decimal("1")
    )
    assert OutputMonth.objects.get().production_usd == Decimal("1.000")
    entry = AuditEntry.objects.filter(action="complex.output.record").latest("pk")
    assert entry.changes["before"]["production_usd"] == "412345.678"


def test_no_output_for_a_firm_without_its_project_approval_in_force(personas):
    firm = persona_firm(personas)
    with pytest.raises(DomainError) as info:
        output_record(
            actor=personas["gic"], firm=firm, month=dt.date(2015, 3, 1), production_usd=Decimal(1)
        )
    assert fields_of(info.value) == ["firm"]
    assert "Art. 17" in info.value.details["errors"][0]["reason_en"]
    firm.project_approval = project_approval(personas, approved=False)
    firm.save()
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError):
        output_record(
            actor=personas["gic"], firm=firm, month=dt.date(2015, 3, 1), production_usd=Decimal(1)
        )
    assert OutputMonth.objects.count() == 0 and AuditEntry.objects.count() == before


def test_bad_months_and_amounts_are_each_named(personas):
    firm = operating_firm(personas)
    with pytest.raises(DomainError) as info:
        output_record(
            actor=personas["firm"],
            firm=firm,
            month=dt.date(2004, 11, 1),
            production_usd=Decimal("-1"),
            shipped_south_usd=Decimal("1.0001"),
            exported_usd=Decimal("NaN"),
        )
    assert fields_of(info.value) == [
        "production_usd",
        "shipped_south_usd",
        "exported_usd",
        "month",
        "month",  # before the firm began (March 2005)
    ]
    future = dt.date.today().replace(day=1) + dt.timedelta(days=40)
    with pytest.raises(DomainError) as info:
        output_record(actor=personas["firm"], firm=firm, month=future, production_usd=Decimal(1))
    assert fields_of(info.value) == ["month"]
    assert OutputMonth.objects.count() == 0


def test_a_firm_records_no_output_of_another(personas):
    operating_firm(personas)
    other = other_tenant()
    with pytest.raises(DomainError) as info:
        output_record(
            actor=personas["firm"], firm=other, month=dt.date(2015, 3, 1), production_usd=Decimal(1)
        )
    assert info.value.code == ErrorCode.PERMISSION_DENIED
    for who in ("ministry", "viewer", "bureau"):
        with pytest.raises(DomainError):
            output_record(
                actor=personas[who],
                firm=other,
                month=dt.date(2015, 3, 1),
                production_usd=Decimal(1),
            )
    assert OutputMonth.objects.count() == 0
