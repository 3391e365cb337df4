"""Registry imports through the service and the command line: all or nothing, every bad row."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from panmun.accounts.models import AuditEntry
from panmun.errors import DomainError

from .. import registry_file
from ..models import Person, Seeking
from ..services import registry

GOOD = (
    "registry_no,applicant_family_name,applicant_given_name,applicant_birth_date,"
    "applicant_status,consent_share,relation,relative_family_name,relative_given_name,"
    "relative_birth_date,relative_hometown\n"
    "R-1,김,순자,1931-04-02,alive,yes,sibling,이,선권,1935,함경남도 혜산\n"
    "R-1,,,,,,parent,김,동호,1905,함경남도 혜산\n"
    "R-2,박,정희,1936,deceased,no,,,,,\n"
)


def _counts():
    return Person.objects.count(), Seeking.objects.count()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_a_good_csv_imports_once(personas, encoding):
    officer = personas["redcross_s"]
    counts = registry.registry_import(actor=officer, data=GOOD.encode(encoding), filename="r.csv")
    assert counts["applicants_created"] == 2 and counts["relatives_created"] == 2
    assert _counts() == (4, 2)
    김순자 = Person.objects.get(registry_no="R-1")
    assert sorted(김순자.seeking.values_list("relation", "sought__given_name")) == [
        ("parent", "동호"),
        ("sibling", "선권"),
    ]
    assert Person.objects.get(given_name="선권").name_key == "I SONKWON"
    # The same file again: updates, nothing new.
    again = registry.registry_import(actor=officer, data=GOOD.encode(encoding), filename="r.csv")
    assert again["applicants_created"] == 0 and again["relatives_created"] == 0
    assert _counts() == (4, 2)
    assert AuditEntry.objects.filter(action="families.registry.import").count() == 2


def test_an_xlsx_export_imports_back(personas):
    officer = personas["redcross_s"]
    registry.registry_import(actor=officer, data=GOOD.encode(), filename="r.csv")
    data = registry.registry_export(actor=officer, fmt="xlsx")
    rows = list(registry_file.read_registry(data, filename="out.xlsx"))
    assert [a.registry_no for a in rows] == ["R-1", "R-2"]
    counts = registry.registry_import(actor=officer, data=data, filename="out.xlsx")
    assert counts["applicants_updated"] == 2 and counts["relatives_created"] == 0


@pytest.mark.parametrize(
    "text, row, field",
    [
        (GOOD + "R-3,최,,1950-02-30,,,,,,,\n", 5, "applicant_birth_date"),
        (GOOD + "R-4,최,민,1940,,,cousin,정,수,,\n", 5, "relation"),
        (GOOD + ",최,민,1940,,,,,,,\n", 5, "registry_no"),
        (GOOD + "R-1,최,순자,,,,,,,,\n", 5, "applicant_family_name"),
    ],
)
def test_a_bad_row_stops_the_whole_file(personas, text, row, field):
    before = _counts()
    with pytest.raises(DomainError) as err:
        registry.registry_import(actor=personas["redcross_s"], data=text.encode(), filename="r.csv")
    problems = err.value.details["errors"]
    assert any(p["row"] == row and p["field"] == field for p in problems), problems
    assert all(p["file"] == "r.csv" for p in problems)
    assert _counts() == before


def test_a_broken_xlsx_and_an_unknown_extension(personas):
    for name, data in (("r.xlsx", b"PK\x03\x04 not really"), ("r.txt", GOOD.encode())):
        with pytest.raises(DomainError) as err:
            registry.registry_import(actor=personas["redcross_s"], data=data, filename=name)
        assert err.value.details["errors"][0]["file"] == name
    assert _counts() == (0, 0)


def test_a_viewer_cannot_import(personas):
    with pytest.raises(DomainError) as err:
        registry.registry_import(actor=personas["viewer"], data=GOOD.encode(), filename="r.csv")
    assert err.value.code == "permission_denied"


def test_the_command_line(personas, tmp_path: Path):
    good = tmp_path / "registry.csv"
    good.write_bytes(GOOD.encode("cp949"))
    out = io.StringIO()
    call_command("families", "import", str(good), "--dry-run", stdout=out)
    assert "nothing written" in out.getvalue() and _counts() == (0, 0)
    call_command("families", "import", str(good), stdout=io.StringIO())
    assert _counts() == (4, 2)
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + "R-9,최,민,1940-13-01,,,,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError) as err:
        call_command("families", "import", str(bad))
    assert "bad.csv row 5 applicant_birth_date" in str(err.value)
    out = io.StringIO()
    call_command("families", "search", "Ri Son Gwon", "--json", stdout=out)
    assert '"name": "이선권"' in out.getvalue().splitlines()[0]
    for fmt, ext in (("csv", "csv"), ("xlsx", "xlsx"), ("pfif", "xml")):
        target = tmp_path / f"out.{ext}"
        call_command(
            "families", "export", "--format", fmt, "--out", str(target), stdout=io.StringIO()
        )
        assert target.stat().st_size > 0
