"""Registry imports through the service and the command line: all or nothing, every bad row."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError
from panmun.common.spreadsheets import reading

from ..models import Person, Seeking
from ..registry_file import columns
from ..registry_file.checker import read_registry
from ..services import export, registry

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
    data = export.registry_export_bytes(actor=officer, fmt="xlsx")
    rows = list(read_registry(data, filename="out.xlsx"))
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


# --- large files: read row by row, a limit on rows, page imports as jobs (issue 16, item 9) ---


class _Watched(io.BytesIO):
    """A file that remembers the largest read asked of it."""

    largest = 0

    def _asked(self, size: int | None) -> int:
        if size is None or size < 0:
            size = len(self.getbuffer())
        self.largest = max(self.largest, size)
        return size

    def read(self, size: int | None = -1) -> bytes:
        return super().read(self._asked(size))

    def read1(self, size: int = -1) -> bytes:
        return super().read1(self._asked(size))


def test_a_csv_is_read_from_its_file_a_chunk_at_a_time(personas, monkeypatch):
    monkeypatch.setattr(reading, "CHUNK", 8192)
    many = GOOD + "".join(f"S-{n},최,민,1940,,,,,,,\n" for n in range(5000))
    source = _Watched(many.encode("utf-8"))
    counts = registry.registry_import(
        actor=personas["redcross_s"], data=source, filename="r.csv", any_size=True
    )
    assert counts["applicants_created"] == 5002
    assert source.largest <= 8192 < len(source.getvalue()) // 10  # never the whole at once


def test_a_file_of_more_rows_than_allowed_is_refused_by_name(personas, monkeypatch, tmp_path):
    monkeypatch.setattr(columns, "MAX_ROWS", 2)
    with pytest.raises(DomainError) as err:
        registry.registry_import(
            actor=personas["redcross_s"], data=GOOD.encode("utf-8"), filename="많은행.csv"
        )
    assert err.value.message_en == "많은행.csv: 1 problem(s); nothing was written."
    [problem] = err.value.details["errors"]
    assert (problem["file"], problem["row"]) == ("많은행.csv", 0)
    assert problem["reason_en"] == (
        "the file has more than 2 data rows (at most 2 in one file): split it"
    )
    assert problem["reason_ko"] == (
        "자료 행이 2개를 넘습니다 (한 파일에 최대 2행): 파일을 나누십시오"
    )
    assert _counts() == (0, 0)
    path = tmp_path / "많은행.csv"
    path.write_bytes(GOOD.encode("utf-8"))
    with pytest.raises(CommandError) as cli:
        call_command("families", "import", str(path), stderr=io.StringIO())
    assert "more than 2 data rows" in str(cli.value)
    assert _counts() == (0, 0)
    assert not AuditEntry.objects.filter(action="families.registry.import").exists()


def test_a_file_over_the_size_limit_is_refused_by_name(personas, monkeypatch):
    monkeypatch.setattr(columns, "MAX_FILE_BYTES", 100)
    with pytest.raises(DomainError) as err:
        registry.registry_import(
            actor=personas["redcross_s"], data=GOOD.encode("utf-8"), filename="큰.csv"
        )
    [problem] = err.value.details["errors"]
    assert problem["file"] == "큰.csv" and "at most 100 bytes" in problem["reason_en"]
    assert _counts() == (0, 0)


def test_the_page_imports_through_a_job_and_keeps_nothing_after(
    personas, client_for, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    from panmun.jobs.models import Job, JobState

    client = client_for("redcross_s")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/families/import/", {"file": SimpleUploadedFile("등록부.csv", GOOD.encode())}
        )
    assert response.status_code == 302
    job = Job.objects.get(kind="families.import")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.result["applicants_created"] == 2 and job.params["filename"] == "등록부.csv"
    assert job.progress_total == job.progress_done > 0
    assert _counts() == (4, 2)
    assert not default_storage.exists(job.params["upload"])
    entry = AuditEntry.objects.get(action="families.registry.import")
    assert entry.actor == personas["redcross_s"] and entry.object_label == "등록부.csv"


def test_a_failed_import_job_leaves_nothing(
    personas, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from panmun.jobs.models import Job, JobState

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    # Fails after some rows were written: the transaction takes them back.
    original = registry._apply_chunk

    def half(applicants):
        original(applicants)
        broken()

    monkeypatch.setattr(registry, "_apply_chunk", half)
    with django_capture_on_commit_callbacks(execute=True):
        client_for("redcross_s").post(
            "/families/import/", {"file": SimpleUploadedFile("r.csv", GOOD.encode())}
        )
    job = Job.objects.get(kind="families.import")
    assert job.state == JobState.FAILED
    assert _counts() == (0, 0)
    assert not AuditEntry.objects.filter(action="families.registry.import").exists()


def test_the_api_cannot_start_an_import_of_a_file_it_did_not_upload(personas, api_for):
    from panmun.jobs.models import Job

    response = api_for("redcross_s").post(
        "/jobs",
        {"kind": "families.import", "params": {"upload": "/etc/passwd", "filename": "r.csv"}},
    )
    assert response.status_code == 422
    assert response.json()["details"]["field"] == "upload"
    assert not Job.objects.exists() and _counts() == (0, 0)


def test_the_page_checks_a_file_through_a_job_without_writing(
    personas, client_for, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from panmun.jobs.models import Job, JobState

    with django_capture_on_commit_callbacks(execute=True):
        client_for("redcross_s").post(
            "/families/import/",
            {"file": SimpleUploadedFile("r.csv", GOOD.encode()), "dry_run": "on"},
        )
    job = Job.objects.get(kind="families.import")
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.result == {"applicants": 2, "relatives": 2, "nothing_written": True}
    assert _counts() == (0, 0)


@pytest.mark.parametrize("threshold", [4, 5])
def test_a_large_import_gives_the_planner_its_statistics(personas, monkeypatch, threshold):
    """On PostgreSQL an import of ANALYZE_FROM persons or more analyses the registry's tables,
    so that the searches after it are not planned for an empty registry; a small one does not
    (ANALYZE reads a sample of every table: not for a handful of rows)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("statistics for the planner are gathered on PostgreSQL only")
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(registry, "ANALYZE_FROM", threshold)
    with CaptureQueriesContext(connection) as queries:
        registry.registry_import(actor=personas["redcross_s"], data=GOOD.encode(), filename="r.csv")
    analysed = [q["sql"] for q in queries if q["sql"].startswith("ANALYZE")]
    table = connection.ops.quote_name(Person._meta.db_table)
    # (pg_class's estimates are written in place, outside the transaction a test rolls back:
    # the statements say what this import did.)
    assert (f"ANALYZE {table}" in analysed) == (threshold <= 4)
