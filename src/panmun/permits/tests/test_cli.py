"""`panmun permits import|export`: a people list into an application from the shell, all or
nothing with every problem on a line of its own (exit 1); the approvals as CSV or xlsx."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from panmun.common.spreadsheets.reading import read_table
from panmun.config.cli import main

from ..models import Approval
from ..services import lines
from ..services.applications import application_create
from ..services.moves import approval_transition
from .factories import data_for
from .test_people_file import ENGLISH, KIM, KOREAN, LEE, PARK, csv_bytes, xlsx_bytes


@pytest.fixture
def application(personas):
    return application_create(
        actor=personas["firm"],
        data=data_for(list(["visit", "vehicle"]), purpose="개성 방문 / a visit"),
    )


def test_import_a_people_list(application, tmp_path):
    path = tmp_path / "명단.xlsx"
    path.write_bytes(xlsx_bytes([ENGLISH, KIM, LEE]))
    out = io.StringIO()
    call_command(
        "permits", "import", application.reference, str(path), "--user", "firm", stdout=out
    )
    assert f"2 people read into {application.reference}" in out.getvalue()
    assert list(application.travellers.values_list("row", "name_ko")) == [
        (2, "김철수"),
        (3, "이영희"),
    ]
    path = tmp_path / "more.csv"
    path.write_bytes(csv_bytes([KOREAN, PARK], "cp949"))
    call_command(
        "permits",
        "import",
        application.reference,
        str(path),
        "--user",
        "firm",
        "--append",
        stdout=io.StringIO(),
    )
    assert application.travellers.count() == 3


def test_a_bad_row_is_printed_and_exits_1(application, tmp_path, capsys, monkeypatch):
    # The command line closes the database connections when done: not the test's own.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = tmp_path / "people.csv"
    bad = [*LEE[:3], "1962-07-16", *LEE[4:]]
    path.write_bytes(csv_bytes([KOREAN, KIM, bad, ["", *PARK[1:]]]))
    with pytest.raises(SystemExit) as caught:
        main(["permits", "import", application.reference, str(path), "--user", "firm"])
    assert caught.value.code == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("people.csv row 3 document_number: ")
    assert err[1] == "people.csv row 4 name_ko: Name: required. / 이름: 적어 주십시오."
    assert "The people list was refused; nothing was saved." in err[2]
    assert not application.travellers.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["EX-NONE", "{path}", "--user", "firm"], "No application 'EX-NONE'"),
        (["{reference}", "{path}", "--user", "nobody"], "No active user named 'nobody'"),
        (["{reference}", "{missing}", "--user", "firm"], "cannot be read"),
        (["{reference}", "{path}", "--user", "aid"], "You do not have permission"),
    ],
)
def test_import_refusals(application, tmp_path, args, message):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes([KOREAN, KIM]))
    names = {
        "path": str(path),
        "missing": str(tmp_path / "x.csv"),
        "reference": application.reference,
    }
    with pytest.raises(CommandError, match=message):
        call_command("permits", "import", *[a.format(**names) for a in args])
    assert not application.travellers.exists()


def test_export_csv_and_xlsx(personas, application, tmp_path):
    firm = personas["firm"]
    lines.traveller_add(
        actor=firm, application=application, values=dict(zip(ENGLISH, KIM, strict=True))
    )
    lines.vehicle_add(
        actor=firm,
        application=application,
        values={"plate_number": "12가3456", "vehicle_kind": "car"},
    )
    vehicle = application.approvals.get(kind="vehicle")
    approval_transition(actor=firm, approval=vehicle, move="submit")
    # When it was filed, here set by hand to a moment that is another day in Korea.
    Approval.objects.filter(pk=vehicle.pk).update(
        submitted_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 2 March in Korea
    )
    other = application_create(
        actor=personas["aid"], data=data_for(list(["goods"]), purpose="지원 / aid")
    )

    path = tmp_path / "approvals.csv"
    call_command("permits", "export", str(path), stdout=io.StringIO())
    table = read_table(path.read_bytes(), filename=path.name)
    assert table[0] == [
        "application", "kind", "state", "applicant", "organisation", "start_date", "end_date",
        "destination", "travellers", "submitted_at", "decided_at",
    ]  # fmt: skip
    by_key = {(row[0], row[1]): row for row in table[1:]}
    assert len(by_key) == 3
    visit = by_key[(application.reference, "visit")]
    assert visit[2:5] == ["draft", "firm", firm.organisation.name_ko]
    assert visit[7:9] == ["pyongyang", "1"]
    assert by_key[(application.reference, "vehicle")][2] == "submitted"
    assert by_key[(application.reference, "vehicle")][9:] == ["2026-03-02", ""]
    assert by_key[(other.reference, "goods")][8] == "0"

    path = tmp_path / "submitted.xlsx"
    out = io.StringIO()
    call_command("permits", "export", str(path), "--state", "submitted", stdout=out)
    assert "1 approvals written" in out.getvalue()
    table = read_table(path.read_bytes(), filename=path.name)
    assert [row[:3] for row in table[1:]] == [[application.reference, "vehicle", "submitted"]]

    path = tmp_path / "goods.txt"
    call_command("permits", "export", str(path), "--kind", "goods", "--format", "csv", stdout=out)
    table = read_table(path.read_bytes(), filename="goods.csv")
    assert [row[:2] for row in table[1:]] == [[other.reference, "goods"]]
