"""Activities for the IATI tests, made through the ORM (the ledger's own services are written in
parallel): a ministry grant passed to an NGO (parent and child), with Korean, English and
other-language narratives, sectors in two vocabularies, and money in KRW and USD."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings

from panmun.tests.shared_data import SHARED

from ..models import Activity, ActivitySector, Channel, ParticipatingOrg, Transaction

IATI = SHARED / "data" / "iati"
GENERATED = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


def iati_folder() -> Path:
    if not (IATI / "schema-2.03").is_dir() or not (IATI / "codelists").is_dir():
        pytest.skip(f"{IATI} is absent: ../shared/ is not beside this checkout")
    return IATI


@pytest.fixture
def iati_settings():
    with override_settings(PANMUN_IATI_DIR=str(iati_folder())):
        yield


def sample(name: str) -> bytes:
    path = IATI / "samples" / name
    if not path.is_file():
        pytest.skip(f"{path} is absent: ../shared/ is not beside this checkout")
    return path.read_bytes()


def rows() -> dict[str, int]:
    """How many rows each table of the ledger that an import writes holds."""
    return {
        "activities": Activity.objects.count(),
        "participants": ParticipatingOrg.objects.count(),
        "sectors": ActivitySector.objects.count(),
        "transactions": Transaction.objects.count(),
    }


def grant(identifier: str = "KR-GOV-MOU-2007-001", **fields) -> Activity:
    """The ministry's grant: title and description in Korean, English and French."""
    activity = Activity.objects.create(
        identifier=identifier,
        title_ko="영유아 영양 지원",
        title_en="Nutrition aid for infants",
        description_ko="남북협력기금으로 영유아 영양식을 지원한다.",
        description_en="Nutritious food for infants, from the inter-Korean cooperation fund.",
        narratives={"title": {"fr": "Aide nutritionnelle aux nourrissons"}},
        reporting_org_ref="KR-GOV-MOU",
        reporting_org_type="10",
        reporting_org_name_ko="통일부",
        reporting_org_name_en="Ministry of Unification",
        channel=Channel.VIA_NGO,
        status=2,
        planned_start=dt.date(2007, 3, 1),
        actual_start=dt.date(2007, 3, 15),
        planned_end=dt.date(2007, 12, 31),
        humanitarian=True,
        humanitarian_scopes=[
            {"type": "1", "vocabulary": "99", "code": "KP-2007-FLOOD", "narrative": {"en": "Flood"}}
        ],
        default_currency="KRW",
        recipient_country="KP",
        **fields,
    )
    ParticipatingOrg.objects.create(
        activity=activity,
        seq=0,
        role=1,
        org_type="10",
        ref="KR-GOV-MOU",
        name_ko="통일부",
        name_en="Ministry of Unification",
    )
    ParticipatingOrg.objects.create(
        activity=activity,
        seq=1,
        role=4,
        org_type="22",
        name_ko="어린이어깨동무",
        name_en="Okedongmu Children",
        names_other={"de": "Okedongmu Kinder"},
        activity_id_ref=identifier + "-NGO",
    )
    ActivitySector.objects.create(
        activity=activity, seq=0, vocabulary="1", code="12240", percentage=Decimal("60")
    )
    ActivitySector.objects.create(
        activity=activity, seq=1, vocabulary="1", code="72040", percentage=Decimal("40")
    )
    ActivitySector.objects.create(
        activity=activity, seq=2, vocabulary="2", code="520", percentage=Decimal("100.00")
    )
    Transaction.objects.create(
        activity=activity,
        ref="T1",
        type=2,
        date=dt.date(2007, 3, 1),
        value=Decimal("1500000000"),
        currency="KRW",
        value_date=dt.date(2007, 3, 1),
        description_ko="약정",
        description_en="Commitment",
        receiver_org_type="22",
        receiver_org_name={"ko": "어린이어깨동무", "en": "Okedongmu Children"},
        receiver_activity_id=identifier + "-NGO",
    )
    Transaction.objects.create(
        activity=activity,
        type=3,
        date=dt.date(2007, 4, 2),
        value=Decimal("1500000000.00"),
        currency="KRW",
        value_date=dt.date(2007, 4, 2),
        humanitarian=True,
        provider_org_ref="KR-GOV-MOU",
        provider_org_type="10",
        provider_org_name={"ko": "통일부"},
        receiver_org_type="22",
        receiver_org_name={"en": "Okedongmu Children"},
        receiver_activity_id=identifier + "-NGO",
        codes={
            "flow-type": "10",
            "finance-type": "110",
            "aid-type": [{"code": "C01", "vocabulary": "1"}],
        },
    )
    return activity


def project(parent: Activity, identifier: str | None = None) -> Activity:
    """The NGO's project under the ministry's grant, spending part of it in USD."""
    activity = Activity.objects.create(
        identifier=identifier or parent.identifier + "-NGO",
        title_ko="평양 탁아소 영양식",
        title_en="Nutritious food for Pyongyang nurseries",
        description_ko="탁아소 20곳",
        description_en="20 nurseries",
        reporting_org_ref="KR-NGO-OKDM",
        reporting_org_type="22",
        reporting_org_name_ko="어린이어깨동무",
        channel=Channel.VIA_NGO,
        status=2,
        planned_start=dt.date(2007, 4, 1),
        default_currency="USD",
        parent=parent,
    )
    ParticipatingOrg.objects.create(
        activity=activity, role=4, org_type="22", name_ko="어린이어깨동무"
    )
    ActivitySector.objects.create(activity=activity, vocabulary="1", code="12240")
    Transaction.objects.create(
        activity=activity,
        type=1,
        date=dt.date(2007, 4, 2),
        value=Decimal("1500000000"),
        currency="KRW",
        value_date=dt.date(2007, 4, 2),
        provider_org_ref="KR-GOV-MOU",
        provider_activity_id=parent.identifier,
    )
    Transaction.objects.create(
        activity=activity,
        type=4,
        date=dt.date(2007, 6, 30),
        value=Decimal("812345.67"),
        currency="USD",
        value_date=dt.date(2007, 6, 29),
        description_en="Milk powder",
        description_other={"fr": "Lait en poudre"},
    )
    return activity
