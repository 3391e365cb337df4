"""The ledger in and out of IATI 2.03 (services/iati.py): both samples import, re-export and
validate; export → import into an empty ledger → export gives the same bytes; a refused file
writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings
from lxml import etree

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError, ErrorCode

from ..iati import xmlsafe
from ..models import Activity, Channel, Transaction
from ..services.iati import iati_export, iati_import
from .iati_data import GENERATED, grant, iati_folder, iati_settings, project, rows, sample

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("iati_settings")]
__all__ = ["iati_settings"]

ANNOTATED = "iati-extra-doc-activity-standard-example-annotated-2.03.xml"
NL_MFA = "oipa-example_203_file-NL-MFA.xml"


def schema_valid(data: bytes) -> bool:
    schema = xmlsafe.schema_for(iati_folder() / "schema-2.03")
    return bool(schema.validate(etree.fromstring(data, xmlsafe.parser()).getroottree()))


def empty_ledger() -> None:
    Transaction.objects.all().delete()
    Activity.objects.filter(parent__isnull=False).delete()
    Activity.objects.all().delete()


def test_the_ledger_exports_as_valid_iati(personas):
    parent = grant()
    project(parent)
    data = iati_export(Activity.objects.all(), generated=GENERATED)
    assert schema_valid(data)
    root = etree.fromstring(data)
    assert root.get("version") == "2.03"
    assert root.get("generated-datetime") == "2026-12-01T09:30:00Z"
    first = root.find("iati-activity")
    assert [child.tag for child in first] == [
        "iati-identifier",
        "reporting-org",
        "title",
        "description",
        "participating-org",
        "participating-org",
        "activity-status",
        "activity-date",
        "activity-date",
        "activity-date",
        "recipient-country",
        "sector",
        "sector",
        "sector",
        "humanitarian-scope",
        "transaction",
        "transaction",
        "related-activity",
    ]
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [(n.get(lang), n.text) for n in first.find("title")] == [
        ("ko", "영유아 영양 지원"),
        ("en", "Nutrition aid for infants"),
        ("fr", "Aide nutritionnelle aux nourrissons"),
    ]
    assert first.get("default-currency") == "KRW"
    assert [s.get("percentage") for s in first.iterfind("sector")] == ["60", "40", "100"]
    value = first.find("transaction/value")
    assert (value.text, value.get("currency"), value.get("value-date")) == (
        "1500000000",
        "KRW",
        "2007-03-01",
    )
    assert first.find("related-activity").attrib == {
        "ref": "KR-GOV-MOU-2007-001-NGO",
        "type": "2",
    }
    child = root.findall("iati-activity")[1]
    assert child.find("related-activity").attrib == {"ref": "KR-GOV-MOU-2007-001", "type": "1"}
    assert child.find("transaction[2]/value").text == "812345.67"


def test_export_import_export_gives_the_same_bytes(personas):
    parent = grant()
    project(parent)
    grant("KR-GOV-MOU-2008-002", parent=None)
    first = iati_export(Activity.objects.all(), generated=GENERATED)
    empty_ledger()
    result = iati_import(actor=personas["ministry"], data=first, file="ledger.xml")
    assert (result.activities, result.transactions) == (3, 6)
    again = iati_export(Activity.objects.all(), generated=GENERATED)
    assert again == first
    child = Activity.objects.get(identifier="KR-GOV-MOU-2007-001-NGO")
    assert child.parent.identifier == "KR-GOV-MOU-2007-001"
    assert child.organisation is None


@pytest.mark.parametrize("name", [ANNOTATED, NL_MFA])
def test_both_samples_import_re_export_and_validate(personas, name):
    before = AuditEntry.objects.filter(action="aid.iati.import").count()
    result = iati_import(actor=personas["ministry"], data=sample(name), file=name)
    expected = {ANNOTATED: (1, 1), NL_MFA: (13, 72)}[name]
    assert (result.activities, result.transactions) == expected
    assert AuditEntry.objects.filter(action="aid.iati.import").count() == before + 1
    data = iati_export(Activity.objects.all(), generated=GENERATED)
    assert schema_valid(data)
    # ... and that export is itself a fixed point of the round trip.
    empty_ledger()
    iati_import(actor=personas["ministry"], data=data, file="again.xml")
    assert iati_export(Activity.objects.all(), generated=GENERATED) == data


def test_the_annotated_sample_keeps_what_the_ledger_holds(personas):
    iati_import(actor=personas["ministry"], data=sample(ANNOTATED), file=ANNOTATED)
    activity = Activity.objects.get(identifier="AA-AAA-123456789-ABC123")
    assert activity.title_en == "Activity title"
    assert activity.narratives["title"] == {
        "es": "Título de la actividad",
        "fr": "Titre de l'activité",
    }
    assert activity.channel == Channel.VIA_INTERNATIONAL  # reporting org type 40
    assert activity.organisation is None
    assert activity.recipient_country == "AF"
    assert activity.humanitarian is True
    assert [s["code"] for s in activity.humanitarian_scopes] == ["EQ-2015-000048-NPL", "A1"]
    assert [(s.vocabulary, s.code, s.percentage) for s in activity.sectors.all()] == [
        ("2", "111", Decimal("50.00")),
        ("2", "112", Decimal("50.00")),
        ("99", "A1", Decimal("100.00")),
    ]
    transaction = activity.transactions.get()
    assert (transaction.value, transaction.currency) == (Decimal("1000.00"), "EUR")
    assert transaction.provider_activity_id == "BB-BBB-123456789-1234AA"
    assert transaction.codes["sector"] == [{"code": "111", "vocabulary": "2"}]
    assert activity.parent is None  # its parent AA-AAA-123456789-6789 is not in the ledger


def test_nl_mfa_activities_are_the_governments(personas):
    iati_import(actor=personas["ministry"], data=sample(NL_MFA), file=NL_MFA)
    activity = Activity.objects.get(identifier="NL-1-PPR-24706")
    assert activity.channel == Channel.GOVERNMENT
    assert activity.title_en == ""
    assert activity.narratives == {
        "title": {"nl": "ICTJ 2013-2014"},
        "description": {"nl": "instellingssubsidie ICTJ 2013-2014"},
    }
    assert activity.reporting_org_name_en == "Ministry of Foreign Affairs (DGIS)"
    assert Transaction.objects.filter(currency="EUR").count() == 72


def test_an_activity_already_in_the_ledger_is_a_conflict(personas):
    grant()
    data = iati_export(Activity.objects.all(), generated=GENERATED)
    before = rows()
    with pytest.raises(DomainError) as caught:
        iati_import(actor=personas["ministry"], data=data, file="ledger.xml")
    assert caught.value.code == ErrorCode.CONFLICT
    [problem] = caught.value.details["errors"]
    assert problem["field"] == "iati-activity[iati-identifier='KR-GOV-MOU-2007-001']"
    assert problem["row"] == "line 3"
    assert rows() == before


@pytest.mark.parametrize("username", ["aid", "viewer", "redcross_n"])
def test_only_the_ministrys_officers_import(personas, username):
    if username not in personas:
        pytest.skip(f"no persona {username}")
    before = rows()
    with pytest.raises(DomainError) as caught:
        iati_import(actor=personas[username], data=sample(NL_MFA), file=NL_MFA)
    assert caught.value.code == ErrorCode.PERMISSION_DENIED
    assert rows() == before


def test_an_export_that_does_not_validate_is_refused(personas):
    activity = grant()
    activity.description_ko = activity.description_en = ""
    activity.save()
    with pytest.raises(DomainError) as caught:
        iati_export(Activity.objects.all(), generated=GENERATED)
    assert caught.value.code == ErrorCode.INVALID_INPUT
    [problem] = caught.value.details["errors"]
    assert problem["field"] == "iati-activity[iati-identifier='KR-GOV-MOU-2007-001']/description"
    assert "narrative" in problem["reason_en"]


def test_an_export_with_an_unknown_code_is_refused(personas):
    activity = grant()
    activity.sectors.filter(code="72040").update(code="99999")
    with pytest.raises(DomainError) as caught:
        iati_export(Activity.objects.all(), generated=GENERATED)
    [problem] = caught.value.details["errors"]
    assert (
        problem["field"] == "iati-activity[iati-identifier='KR-GOV-MOU-2007-001']/sector[2]/@code"
    )
    assert problem["reason_en"] == "Not a code of the IATI codelist Sector: '99999'"


def test_without_the_iati_folder_both_refuse_naming_the_setting(personas, tmp_path):
    grant()
    with override_settings(PANMUN_IATI_DIR=""):
        with pytest.raises(DomainError) as caught:
            iati_export(Activity.objects.all(), generated=GENERATED)
        assert "PANMUN_IATI_DIR" in caught.value.message_en
        assert "PANMUN_IATI_DIR" in caught.value.message_ko
    with override_settings(PANMUN_IATI_DIR=str(tmp_path)):
        before = rows()
        with pytest.raises(DomainError) as caught:
            iati_import(actor=personas["ministry"], data=sample(NL_MFA), file=NL_MFA)
        assert caught.value.details["setting"] == "PANMUN_IATI_DIR"
        assert rows() == before


def test_the_system_check_warns_without_the_folder():
    from ..checks import iati_folder as check

    assert check() == []
    with override_settings(PANMUN_IATI_DIR=""):
        [warning] = check()
    assert warning.id == "aid.W001"


def test_generated_datetime_is_the_callers(personas):
    grant()
    moment = dt.datetime(2027, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    data = iati_export(Activity.objects.all(), generated=moment)
    assert etree.fromstring(data).get("generated-datetime") == "2027-01-02T03:04:05Z"


def test_the_demo_ledger_exports_as_valid_iati_and_round_trips(personas):
    """Acceptance 1: the demo's whole ledger (its activities, their money in KRW and USD with a
    pledge and a grant passed on, the 2000 loan, the shipments) exports as IATI 2.03 that the
    official schema accepts, with codes on the codelists (the export checks its own tree), and
    comes back the same through an empty ledger."""
    from panmun.aid.demo import load_demo
    from panmun.aid.models import Shipment
    from panmun.common.apps import DemoRun

    load_demo(DemoRun(0, None, lambda total, label: None, lambda line: None))
    demo = Activity.objects.filter(identifier__startswith="KR-")
    assert demo.count() == 5 and Transaction.objects.count() >= 8
    data = iati_export(demo, generated=GENERATED)
    assert schema_valid(data)
    root = etree.fromstring(data)
    assert len(root.findall("iati-activity")) == 5
    assert {v.get("currency") for v in root.iterfind(".//transaction/value")} >= {"KRW", "USD"}
    assert all(v.get("value-date") for v in root.iterfind(".//value"))
    Shipment.objects.all().delete()
    from panmun.aid.models import Loan, PolicyException

    Loan.objects.all().delete()
    PolicyException.objects.all().delete()
    empty_ledger()
    iati_import(actor=personas["ministry"], data=data, file="demo.xml")
    assert iati_export(Activity.objects.all(), generated=GENERATED) == data
