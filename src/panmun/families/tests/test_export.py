"""Registry exports: jobs with progress that read the registry in bounded chunks and write the
files the registry file's writers give, refused (with nothing written) to those who may not read
the registry, and audited."""

from __future__ import annotations

import hashlib
import io
import sqlite3
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from panmun.accounts.models import AuditEntry
from panmun.common.spreadsheets.reading import read_table
from panmun.jobs.models import Job, JobState
from panmun.jobs.services import job_start

from .. import pfif
from ..demo import load_registry_demo
from ..models import DuplicateCandidate, Person, Seeking
from ..registry_file.columns import ApplicantData, RelativeData
from ..registry_file.writer import write_csv
from ..services import duplicates
from ..services.registry import APPLICANT_FIELDS, RELATIVE_FIELDS, SEEKING_FIELDS
from .factories import applicant, relative

OLD_SQLITE_LIMIT = 999  # SQLite's limit on the variables of one statement before 3.32


@pytest.fixture
def few_variables(db):
    """SQLite refusing statements with more than 999 variables, as it did by default before
    3.32 (today's limit, 32,766 or 250,000, is what a whole registry's `IN` list passed)."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    old = raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, OLD_SQLITE_LIMIT)
    try:
        yield
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, old)


@pytest.fixture
def registry(personas):
    """The demo's registry at 1,500 applicants (some 4,000 persons, more than the variables one
    statement may hold), with an applicant merged into another (left out of every export) and
    values a writer must take care of."""
    officer = personas["redcross_s"]
    load_registry_demo(size=1500, living=400)
    kept = applicant(
        officer,
        family_name="김",
        given_name="순자",
        notes='=SUM(A1) "따옴표", 쉼표\n둘째 줄\t탭',
        address="#N/A",
        abroad=True,
        country="일본",
    )
    relative(officer, kept, last_known_place="평양 & 원산 <시내>", notes="  앞뒤 빈칸  ")
    twin = applicant(officer, family_name="김", given_name="순자")
    relative(officer, twin, given_name="명단밖")
    candidate = DuplicateCandidate.objects.create(first=kept, second=twin, probability=0.9)
    duplicates.duplicate_merge(actor=officer, candidate=candidate, keep=kept)
    assert Person.objects.filter(merged_into__isnull=True).count() > OLD_SQLITE_LIMIT
    return officer


def reference_applicants() -> list[ApplicantData]:
    """The registry as the file's applicants, read plainly from the models."""
    seekings: dict[int, list[Seeking]] = {}
    for s in Seeking.objects.select_related("sought").order_by("id"):
        seekings.setdefault(s.applicant_id, []).append(s)
    applicants = Person.objects.filter(registry_no__isnull=False, merged_into__isnull=True)
    return [
        ApplicantData(
            registry_no=person.registry_no or "",
            **{name: getattr(person, name) for name in APPLICANT_FIELDS},
            relatives=[
                RelativeData(
                    **{name: getattr(s, name) for name in SEEKING_FIELDS},
                    **{name: getattr(s.sought, name) for name in RELATIVE_FIELDS},
                    notes=s.notes,
                )
                for s in seekings.get(person.pk, [])
            ],
        )
        for person in applicants.order_by("registry_no")
    ]


def trimmed(table: list[list[str]]) -> list[list[str]]:
    """Rows without their blank cells at the end (an xlsx row has no empty cells)."""
    out = []
    for row in table:
        while row and not row[-1]:
            row = row[:-1]
        out.append(row)
    return out


def export_job(who, fmt, capture):
    with capture(execute=True):
        job = job_start(actor=who, kind="families.export", params={"format": fmt})
    job.refresh_from_db()
    return job


def job_bytes(job: Job) -> bytes:
    with job.result_file.open("rb") as f:
        return f.read()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pfif"])
def test_a_registry_larger_than_one_statement_exports_as_a_job(
    fmt, registry, few_variables, django_capture_on_commit_callbacks
):
    job = export_job(registry, fmt, django_capture_on_commit_callbacks)
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.percent == 100 and job.progress_total > 0
    data = job_bytes(job)
    expected = reference_applicants()
    if fmt == "csv":
        assert data == write_csv(expected)  # byte for byte what the writer gives
        assert job.result_file.name.endswith(".csv")
    elif fmt == "xlsx":
        # The same cells as the CSV file. (Not through `read_registry`: the demo's registry has
        # relatives born before 1880, which an import refuses.)
        assert trimmed(read_table(data, filename="out.xlsx")) == trimmed(
            read_table(write_csv(expected), filename="out.csv")
        )
        assert job.result_file.name.endswith(".xlsx")
    else:
        # Counted in the XML, not through `pfif.parse`: the demo's lunar birth dates (1918-02-29)
        # are not dates of the Gregorian calendar, which PFIF's date_of_birth must be.
        root = ElementTree.fromstring(data)
        persons = root.findall(f"{{{pfif.PFIF_NS}}}person")
        assert len(persons) == Person.objects.filter(merged_into__isnull=True).count()
        statuses = [n.findtext(f"{{{pfif.PFIF_NS}}}status") for p in persons for n in p]
        assert (
            statuses.count("information_sought")
            == Seeking.objects.filter(
                applicant__merged_into__isnull=True, sought__merged_into__isnull=True
            ).count()
        )
        assert job.result_file.name.endswith(".xml")
    rows = len(persons) if fmt == "pfif" else sum(max(1, len(a.relatives)) for a in expected)
    digest = hashlib.sha256(data).hexdigest()
    assert job.result == {"format": fmt, "rows": rows, "bytes": len(data), "sha256": digest}
    entry = AuditEntry.objects.get(action="families.registry.export")
    assert entry.actor == registry
    assert entry.changes == {
        "format": fmt,
        "rows": rows,
        "bytes": len(data),
        "sha256": digest,
        "job": str(job.pk),
    }


def test_the_export_reads_the_registry_it_exports_and_not_more(
    registry, django_capture_on_commit_callbacks
):
    # Every person is visible to an export: the merged applicant's relative too (it is a
    # person of its own), but not the merged applicant.
    job = export_job(registry, "csv", django_capture_on_commit_callbacks)
    text = job_bytes(job).decode("utf-8-sig")
    assert text.count("\r\n") == 1 + sum(max(1, len(a.relatives)) for a in reference_applicants())
    # the formula with a quote before it, so that a spreadsheet shows it as text
    assert '"\'=SUM(A1) ""따옴표"", 쉼표\n둘째 줄\t탭"' in text


def test_the_page_starts_a_job_and_its_file_is_the_export(
    registry, client_for, django_capture_on_commit_callbacks
):
    client = client_for("redcross_s")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/families/export/", {"format": "csv"})
    job = Job.objects.get(kind="families.export")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.params == {"format": "csv"} and job.created_by.username == "redcross_s"
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"/jobs/{job.pk}/download/" in page
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == write_csv(reference_applicants())


def test_the_registry_page_offers_the_exports_as_buttons(registry, client_for):
    html = client_for("redcross_s").get("/families/").content.decode()
    assert 'action="/families/export/"' in html and 'method="post"' in html
    for fmt in ("csv", "xlsx", "pfif"):
        assert f'name="format" value="{fmt}"' in html
    assert "/families/export/csv/" not in html
    page = client_for("redcross_s").get("/families/export/")
    assert page.status_code == 200
    assert 'name="format" value="xlsx"' in page.content.decode()


def test_a_viewer_of_the_registry_may_not_export_it(
    registry, client_for, api_for, django_capture_on_commit_callbacks, tmp_path: Path
):
    """A viewer reads the registry on its pages but takes no copy of its personal data away
    (addresses, phone numbers): no buttons, and the page, the API and the command line refuse
    it, writing nothing (`access.can_export_registry`: officers and above)."""
    viewer, api = client_for("viewer"), api_for("viewer")
    html = viewer.get("/families/").content.decode()
    assert 'action="/families/export/"' not in html and 'name="format"' not in html
    before = (Job.objects.count(), AuditEntry.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        page = viewer.post("/families/export/", {"format": "pfif"})
        answer = api.post("/jobs", {"kind": "families.export", "params": {"format": "csv"}})
    assert page.status_code == 403
    assert answer.status_code == 403 and answer.json()["code"] == "permission_denied"
    assert viewer.get("/families/export/").status_code == 403
    out = tmp_path / "registry.csv"
    with pytest.raises(CommandError, match="permission"):
        call_command(
            "families", "--user", "viewer", "export", "--format", "csv", "--out", str(out),
            stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    assert not out.exists()
    _nothing_written(before)


def test_an_officers_export_is_audited_with_its_row_count(
    registry, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("redcross_s").post("/families/export/", {"format": "csv"})
    job = Job.objects.get()
    assert response.status_code == 302 and job.state == JobState.SUCCEEDED, job.error
    entry = AuditEntry.objects.get(action="families.registry.export")
    rows = sum(max(1, len(a.relatives)) for a in reference_applicants())
    assert (entry.changes["rows"], entry.changes["format"]) == (rows, "csv")
    assert job.result["rows"] == rows


def _nothing_written(before: tuple[int, int]) -> None:
    assert (Job.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize("who", ["liaison_s", "redcross_n", "firm"])
def test_who_may_not_read_the_registry_cannot_export_it(
    who, registry, client_for, api_for, django_capture_on_commit_callbacks
):
    api = api_for(who)
    before = (Job.objects.count(), AuditEntry.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        page = client_for(who).post("/families/export/", {"format": "csv"})
        answer = api.post("/jobs", {"kind": "families.export", "params": {"format": "csv"}})
    assert page.status_code == 403
    assert answer.status_code == 403 and answer.json()["code"] == "permission_denied"
    assert client_for(who).get("/families/export/").status_code == 403
    _nothing_written(before)


@pytest.mark.parametrize(
    "params",
    [{"format": "doc"}, {}, {"format": ""}, {"format": ["csv"]}, {"format": "csv", "extra": 1}],
)
def test_an_unknown_format_is_refused_by_name(
    params, registry, client_for, api_for, django_capture_on_commit_callbacks
):
    api = api_for("redcross_s")
    before = (Job.objects.count(), AuditEntry.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post("/jobs", {"kind": "families.export", "params": params})
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid_input"
    field = "params" if "extra" in params else "format"
    assert [e["field"] for e in body["details"]["errors"]] == [field]
    if isinstance(params.get("format", ""), str) and "extra" not in params:
        with django_capture_on_commit_callbacks(execute=True):
            page = client_for("redcross_s").post("/families/export/", params)
        assert page.status_code == 422
        assert "format:" in page.content.decode()
    _nothing_written(before)


def test_the_api_starts_the_export_and_hands_out_its_file(
    registry, api_for, django_capture_on_commit_callbacks
):
    api = api_for("ministry")
    with django_capture_on_commit_callbacks(execute=True):
        started = api.post("/jobs", {"kind": "families.export", "params": {"format": "xlsx"}})
    assert started.status_code == 202
    job_id = started.json()["id"]
    state = api.get(f"/jobs/{job_id}").json()
    assert state["state"] == "succeeded" and state["has_file"] and state["percent"] == 100
    assert state["result"]["format"] == "xlsx"
    file = api.get(f"/jobs/{job_id}/file")
    assert file.status_code == 200
    assert file["Content-Disposition"].endswith('.xlsx"')
    data = b"".join(file.streaming_content)
    assert len(read_table(data, filename="r.xlsx")) == 1 + sum(
        max(1, len(a.relatives)) for a in reference_applicants()
    )


def test_the_command_line_writes_the_same_file(registry, tmp_path: Path, few_variables):
    out = tmp_path / "registry.csv"
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(
        "families", "export", "--format", "csv", "--out", str(out), stdout=stdout, stderr=stderr
    )
    data = out.read_bytes()
    assert data == write_csv(reference_applicants())
    assert f"{len(data):,} bytes" in stdout.getvalue()
    assert not out.with_name(out.name + ".part").exists()
    entry = AuditEntry.objects.get(action="families.registry.export")
    assert entry.actor is None
    assert entry.changes["sha256"] == hashlib.sha256(data).hexdigest()


def test_the_database_writes_pfif_times_as_the_writer_does(personas):
    import datetime as dt

    from ..services.columns import PfifTime
    from ..services.exchange import _time

    officer = personas["redcross_s"]
    seoul = dt.timezone(dt.timedelta(hours=9))
    moments = [
        dt.datetime(2024, 5, 1, 9, 30, 59, 999_999, tzinfo=dt.UTC),  # not rounded up
        dt.datetime(1999, 12, 31, 23, 59, 59, 500_000, tzinfo=dt.UTC),
        dt.datetime(2024, 1, 1, 8, 0, 0, tzinfo=seoul),  # the day before, in UTC
        dt.datetime(2024, 3, 1, 0, 0, 0, tzinfo=dt.UTC),
    ]
    for moment in moments:
        person = applicant(officer)
        Person.objects.filter(pk=person.pk).update(created_at=moment)
        person.refresh_from_db()
        made = Person.objects.annotate(stamp=PfifTime("created_at")).get(pk=person.pk).stamp
        assert made == _time(person.created_at) == _time(moment)


# --- CSV injection: formulas are written as text, and read back as typed ---------------------

FORMULAS = {
    "address": "=cmd|' /C calc'!A0",
    "phone": '+HYPERLINK("http://evil","전화")',
    "email": "-2+3+cmd|' /C calc'!A0",
    "notes": "@SUM(A1)",
}


def test_the_csv_export_writes_formulas_as_text_and_they_import_back(
    personas, django_capture_on_commit_callbacks
):
    from ..registry_file.checker import read_registry
    from ..registry_file.columns import COLUMNS

    officer = personas["redcross_s"]
    person = applicant(officer, **FORMULAS, family_name="\t=1+1")
    relative(officer, person, notes="=SUM(A1)", last_known_place="-1")
    job = export_job(officer, "csv", django_capture_on_commit_callbacks)
    assert job.state == JobState.SUCCEEDED, job.error
    data = job_bytes(job)
    import csv as csv_module

    rows = list(csv_module.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    cells = dict(zip(COLUMNS, rows[1], strict=True))
    assert cells["address"] == "'=cmd|' /C calc'!A0"
    assert cells["phone"] == '\'+HYPERLINK("http://evil","전화")'
    assert cells["email"] == "'-2+3+cmd|' /C calc'!A0"
    assert cells["applicant_notes"] == "'@SUM(A1)"
    assert cells["applicant_family_name"] == "'\t=1+1"
    assert cells["relative_notes"] == "'=SUM(A1)"
    assert cells["last_known_place"] == "-1"  # a plain number is no formula
    assert not any(c and c[0] in "=+-@\t\r" and c != "-1" for row in rows for c in row)
    [back] = read_registry(data, filename="registry.csv")
    assert back.address == FORMULAS["address"] and back.notes == "@SUM(A1)"
    assert back.family_name == "=1+1"  # stripped on import, as every value is
    assert back.relatives[0].notes == "=SUM(A1)"
