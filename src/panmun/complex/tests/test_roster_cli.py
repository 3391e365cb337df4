"""`panmun complex import|export`: a roster read all or nothing (problems printed by row and
column, a non-zero exit, nothing written) and written out in Korean."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from panmun.accounts.models import AuditEntry

from ..models import Worker
from .factories import firm_organisation, make_firm, persona_firm
from .roster_files import BAD, GOOD, xlsx


def test_import_and_export(personas, tmp_path):
    firm = persona_firm(personas)
    path = tmp_path / "명단.xlsx"
    path.write_bytes(xlsx(GOOD))
    out = io.StringIO()
    call_command("complex", "import", str(firm.pk), str(path), "--user", "firm", stdout=out)
    assert "명단.xlsx: 3 rows: 3 added, 0 updated, 1 leavings." in out.getvalue()
    assert Worker.objects.filter(firm=firm).count() == 3
    target = tmp_path / "out.xlsx"
    out = io.StringIO()
    call_command("complex", "export", str(firm.pk), str(target), stdout=out)
    assert "3 workers" in out.getvalue()
    rows = list(load_workbook(target, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:2] == ("근로자번호", "성명") and rows[1][:2] == ("1001", "리영철")
    call_command("complex", "export", str(firm.pk), str(tmp_path / "out.csv"), stdout=io.StringIO())
    assert (tmp_path / "out.csv").read_bytes().startswith("\ufeff근로자번호".encode())


def test_a_bad_roster_prints_every_problem_and_writes_nothing(personas, tmp_path):
    firm = persona_firm(personas)
    path = tmp_path / "명단.xlsx"
    path.write_bytes(xlsx(BAD))
    audit = AuditEntry.objects.count()
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("complex", "import", str(firm.pk), str(path), "--user", "firm", stdout=out)
    assert "The roster was not read; nothing was saved." in str(refused.value)
    lines = out.getvalue().splitlines()
    assert lines == [
        "명단.xlsx row 3 name: the name is empty / 성명이 비어 있습니다",
        "명단.xlsx row 3 sex: the sex is 남 (male) or 녀/여 (female): 'x' / "
        "성별은 남 또는 녀(여)입니다: 'x'",
        "명단.xlsx row 4 number: worker number 1001 is also on row 2 / "
        "2행에도 같은 근로자 번호가 있습니다: 1001",
        "명단.xlsx row 5 hired_on: hired on: there is no such date: 2015-02-30 / "
        "채용일: 없는 날짜입니다: 2015-02-30",
    ]
    assert Worker.objects.count() == 0 and AuditEntry.objects.count() == audit


def test_refusals(personas, tmp_path):
    firm = persona_firm(personas)
    other = make_firm("다른기업(주)", organisation=firm_organisation("다른기업(주)"))
    path = tmp_path / "r.xlsx"
    path.write_bytes(xlsx(GOOD))
    with pytest.raises(CommandError, match="No active user"):
        call_command("complex", "import", str(firm.pk), str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="was not found"):
        call_command("complex", "import", str(other.pk), str(path), "--user", "firm")
    with pytest.raises(CommandError, match="permission"):
        call_command("complex", "import", str(firm.pk), str(path), "--user", "ministry")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("complex", "import", str(firm.pk), str(tmp_path / "x.xlsx"), "--user", "gic")
    with pytest.raises(CommandError, match="No firm"):
        call_command("complex", "export", "999999", str(tmp_path / "o.xlsx"))
    assert Worker.objects.count() == 0
