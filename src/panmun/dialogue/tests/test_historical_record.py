"""The historical record loaded by the data migration: complete, cited, and true to the seeds."""

import json
from pathlib import Path

import pytest

from panmun.dialogue.models import Agreement, Event, Talks
from panmun.dialogue.record import HISTORICAL_RECORD

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[4]
SHARED_PARENT = REPO.parent  # paths in the record are relative to the folder holding shared/


def test_the_record_is_loaded():
    assert Talks.objects.filter(level="summit").count() >= 4
    assert Agreement.objects.filter(key="basic-agreement-1991").exists()
    assert Event.objects.filter(kind="reunion").exists()


@pytest.mark.parametrize(
    ("model", "key", "field", "expected"),
    [
        (Talks, "red-cross-1971-08", "start_date", "1971-08-01"),
        (Event, "family-visits-1985-09", "start_date", "1985-09-20"),
        (Event, "family-visits-1985-09", "end_date", "1985-09-23"),
        (Agreement, "basic-agreement-1991", "signed_on", "1991-12-01"),
        (Event, "gaeseong-district-act-2002-11", "start_date", "2002-11-01"),
        (Event, "gaeseong-groundbreaking-2003-06", "start_date", "2003-06-01"),
        (Event, "gaeseong-production-2004-12", "start_date", "2004-12-01"),
        (Event, "liaison-office-opening-2018-09-14", "start_date", "2018-09-14"),
        (Talks, "summit-2018-09-pyongyang", "start_date", "2018-09-18"),
        (Talks, "summit-2018-09-pyongyang", "end_date", "2018-09-20"),
    ],
)
def test_dates_from_the_seeds(model, key, field, expected):
    assert str(getattr(model.objects.get(key=key), field)) == expected


def test_basic_agreement_has_its_four_aims():
    agreement = Agreement.objects.get(key="basic-agreement-1991")
    assert agreement.provisions.count() == 4
    assert agreement.date_precision == "month"
    assert set(agreement.parties.values_list("code", flat=True)) == {"south", "north"}


def test_gaeseong_has_four_agreements():
    keys = set(Agreement.objects.filter(topic="complex").values_list("key", flat=True))
    assert keys == {
        "gaeseong-communications",
        "gaeseong-customs-clearance",
        "gaeseong-quarantine",
        "gaeseong-stay",
    }


def test_liaison_opening_delegates():
    talks = Talks.objects.get(key="liaison-office-opening-2018-09-14")
    heads = {(d.side.code, d.name_ko) for d in talks.delegates.filter(is_head=True)}
    assert heads == {("south", "조명균"), ("north", "리선권")}


def test_figures_in_descriptions():
    assert "2.55" in Event.objects.get(key="fertilizer-aid-1999-2007").description_en
    reunions = Event.objects.get(key="family-reunions-2000-2010")
    assert "18" in reunions.description_en or "eighteen" in reunions.description_en.lower()


def test_every_item_cites_a_seed_and_quotes_it_exactly():
    data = json.loads(HISTORICAL_RECORD.read_text(encoding="utf-8"))
    shared = SHARED_PARENT / "shared"
    if not shared.is_dir():
        pytest.skip("../shared is not beside this checkout")
    for section in ("talks", "agreements", "events"):
        for item in data[section]:
            source = SHARED_PARENT / item["source"]
            assert source.is_file(), item["key"]
            assert item["source_quote"], item["key"]
            assert item["source_quote"] in source.read_text(encoding="utf-8"), item["key"]


def test_every_item_is_bilingual():
    for model in (Talks, Agreement, Event):
        for obj in model.objects.all():
            assert obj.title_ko and obj.title_en, obj.key
