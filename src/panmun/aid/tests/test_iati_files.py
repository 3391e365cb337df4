"""Refused IATI files (iati/xmlsafe.py, iati/reader.py, and through services/iati.py): a schema
error, an unknown code, percentages not adding up, dates out of order, XML bombs, an oversized
file: each refused with its problem named by file, line and element, and nothing written."""

from __future__ import annotations

import pytest

from panmun.common.errors import DomainError

from ..iati import reader, xmlsafe
from ..iati.codelists import read_codelists
from ..services.iati import iati_import
from .iati_data import iati_folder, iati_settings, rows

__all__ = ["iati_settings"]

ACTIVITY = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2017-05-01T00:00:00Z">
 <iati-activity xml:lang="en" default-currency="{currency}" last-updated-datetime="{updated}">
  <iati-identifier>KR-TEST-1</iati-identifier>
  <reporting-org ref="KR-TEST" type="10"><narrative>Test ministry</narrative></reporting-org>
  <title><narrative xml:lang="ko">시험</narrative><narrative>Test</narrative></title>
  <description><narrative>A test.</narrative></description>
  <participating-org role="1" type="10"><narrative>Test ministry</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="{start}"/>
  <activity-date type="3" iso-date="2017-12-31"/>
  <recipient-country code="KP"/>
  {sectors}
  <transaction>
   <transaction-type code="3"/>
   <transaction-date iso-date="2017-04-02"/>
   <value value-date="2017-04-02">1000</value>
  </transaction>
 </iati-activity>
</iati-activities>
"""

GOOD_SECTORS = '<sector code="12240" percentage="60"/><sector code="72040" percentage="40"/>'


def activity_file(
    *,
    currency: str = "KRW",
    updated: str = "2017-05-01T00:00:00",
    start: str = "2017-01-01",
    sectors: str = GOOD_SECTORS,
) -> bytes:
    return ACTIVITY.format(
        currency=currency, updated=updated, start=start, sectors=sectors
    ).encode()


@pytest.fixture(scope="module")
def codelists():
    return read_codelists(iati_folder() / "codelists")


def read(data: bytes, codelists, **kwargs):
    return reader.read(
        data,
        file="test.xml",
        schema_folder=iati_folder() / "schema-2.03",
        codelists=codelists,
        **kwargs,
    )


def refusal(data: bytes, codelists, **kwargs):
    with pytest.raises(xmlsafe.IatiFileError) as caught:
        read(data, codelists, **kwargs)
    return caught.value.problems


WHERE = "iati-activity[iati-identifier='KR-TEST-1']"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<iati-activities version="2.03"><iati-activity>&lol9;</iati-activity></iati-activities>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&secret;</iati-identifier>
</iati-activity></iati-activities>
"""


def test_a_good_file_reads(codelists):
    document = read(activity_file(), codelists)
    [activity] = document.activities
    assert activity.title == {"ko": "시험", "en": "Test"}
    assert [(s.code, str(s.percentage)) for s in activity.sectors] == [
        ("12240", "60"),
        ("72040", "40"),
    ]
    [transaction] = activity.transactions
    assert (transaction.currency, str(transaction.value)) == ("KRW", "1000")


@pytest.mark.parametrize("bomb", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "external"])
def test_xml_bombs_are_refused(codelists, bomb):
    [problem] = refusal(bomb, codelists)
    assert problem.code == "iati_doctype_refused"
    assert problem.field == "!DOCTYPE"
    assert problem.file == "test.xml"


def test_an_oversized_file_is_refused_before_it_is_parsed(codelists):
    [problem] = refusal(activity_file() + b" " * 200, codelists, max_bytes=1000)
    assert problem.code == "iati_file_too_large"
    assert "at most 1,000" in problem.en


def test_too_many_activities_are_refused(codelists):
    [problem] = refusal(activity_file(), codelists, max_activities=0)
    assert problem.code == "iati_too_many_activities"


def test_not_xml_is_named_by_line(codelists):
    [problem] = refusal(b"<iati-activities version='2.03'>\n<oops></iati-activities>", codelists)
    assert (problem.code, problem.row) == ("iati_not_xml", "line 2")


def test_a_schema_error_names_the_activity_and_element(codelists):
    data = activity_file().replace(b'<activity-status code="2"/>', b"")
    problems = refusal(data, codelists)
    assert problems[0].code == "iati_schema"
    # activity-status is missing: the schema finds activity-date where it expected it.
    assert problems[0].field == f"{WHERE}/activity-date[1]"
    assert problems[0].row == "line 10"
    assert problems[0].en.endswith(
        "Expected is one of ( participating-org, other-identifier, activity-status )."
    )


def test_an_unknown_code_is_named(codelists):
    problems = refusal(activity_file(sectors=GOOD_SECTORS.replace("72040", "72049")), codelists)
    [problem] = problems
    assert problem.code == "iati_code_unknown"
    assert problem.field == f"{WHERE}/sector[2]/@code"
    assert problem.row == "line 13"


def test_percentages_must_add_up_to_100(codelists):
    [problem] = refusal(activity_file(sectors=GOOD_SECTORS.replace('"40"', '"30"')), codelists)
    assert problem.code == "iati_sector_percentages"
    assert problem.en == "The sector percentages of vocabulary 1 add up to 90, not 100."
    assert problem.field == f"{WHERE}/sector[1]/@percentage"


def test_several_sectors_each_need_a_percentage(codelists):
    sectors = '<sector code="12240"/><sector code="72040" percentage="100"/>'
    [problem] = refusal(activity_file(sectors=sectors), codelists)
    assert problem.code == "iati_sector_percentage_missing"


def test_a_transaction_has_one_sector_per_vocabulary(codelists):
    data = activity_file().replace(
        b"</transaction>", b'<sector code="12240"/><sector code="72040"/></transaction>'
    )
    [problem] = refusal(data, codelists)
    assert problem.code == "iati_transaction_sectors"
    assert problem.field == f"{WHERE}/transaction/sector[2]"


def test_dates_in_order(codelists):
    [problem] = refusal(activity_file(start="2018-01-01"), codelists)
    assert problem.code == "iati_dates_order"
    assert problem.en == "The planned end (2017-12-31) is before the planned start (2018-01-01)."


def test_a_value_needs_a_currency(codelists):
    data = activity_file().replace(b' default-currency="KRW"', b"")
    [problem] = refusal(data, codelists)
    assert problem.code == "iati_currency_missing"
    assert problem.field == f"{WHERE}/transaction/value/@currency"


def test_a_withdrawn_code_is_read_where_dated_before_its_withdrawal(codelists):
    # BYR was withdrawn from Currency on 2018-08-08; the file says 2017.
    document = read(activity_file(currency="BYR"), codelists)
    assert document.activities[0].default_currency == "BYR"
    [problem] = refusal(activity_file(currency="BYR", updated="2019-01-01T00:00:00"), codelists)
    assert problem.code == "iati_code_withdrawn"
    # ... and never in Panmun's own files.
    [problem] = refusal(activity_file(currency="BYR"), codelists, writing=True)
    assert problem.code == "iati_code_withdrawn"


def test_a_version_other_than_2_03_is_refused(codelists):
    data = activity_file().replace(b'version="2.03"', b'version="2.02"')
    [problem] = refusal(data, codelists)
    assert problem.code == "iati_version"


@pytest.mark.django_db
@pytest.mark.usefixtures("iati_settings")
@pytest.mark.parametrize(
    ("data", "code"),
    [
        (activity_file().replace(b'<activity-status code="2"/>', b""), "iati_schema"),
        (activity_file(sectors=GOOD_SECTORS.replace("72040", "72049")), "iati_code_unknown"),
        (activity_file(sectors=GOOD_SECTORS.replace('"40"', '"30"')), "iati_sector_percentages"),
        (BILLION_LAUGHS, "iati_doctype_refused"),
        (EXTERNAL_ENTITY, "iati_doctype_refused"),
        (
            activity_file() + b"<!-- " + b"x" * xmlsafe.MAX_FILE_BYTES + b" -->",
            "iati_file_too_large",
        ),
    ],
    ids=["schema", "code", "percentages", "laughs", "external", "oversized"],
)
def test_a_refused_import_writes_nothing(personas, data, code):
    before = rows()
    with pytest.raises(DomainError) as caught:
        iati_import(actor=personas["ministry"], data=data, file="bad.xml")
    assert caught.value.status == 422
    errors = caught.value.details["errors"]
    assert errors[0]["file"] == "bad.xml"
    assert caught.value.details["file"] == "bad.xml"
    assert rows() == before
    assert code in caught.value.details["codes"]
