"""Jobs: queued after commit, run through django-tasks, progress recorded, and a failure leaves
no half-written data and says why."""

import json
import threading

import pytest

from panmun.common.errors import DomainError, ErrorCode
from panmun.dialogue.models import Talks
from panmun.jobs.models import Job, JobState
from panmun.jobs.progress import Progress
from panmun.jobs.registry import KINDS, register
from panmun.jobs.runner import job_run
from panmun.jobs.services import job_start


def run(personas, capture, username, kind, params=None):
    with capture(execute=True):
        job = job_start(actor=personas[username], kind=kind, params=params or {})
    job.refresh_from_db()
    return job


def test_export_job_runs_and_keeps_its_file(personas, django_capture_on_commit_callbacks):
    job = run(personas, django_capture_on_commit_callbacks, "ministry", "dialogue.export")
    assert job.state == JobState.SUCCEEDED
    assert job.percent == 100
    assert job.progress_total == job.progress_done > 0
    assert job.task_result_id
    data = json.loads(job.result_file.read().decode("utf-8"))
    assert len(data["talks"]) == Talks.objects.count() == job.result["talks"]


def test_import_job_with_bad_document_fails_and_writes_nothing(
    personas, django_capture_on_commit_callbacks
):
    doc = {
        "talks": [
            {
                "key": "ok-talks",
                "title_ko": "정상",
                "title_en": "fine",
                "level": "summit",
                "start_date": "2019-01-01",
            },
            {
                "key": "bad",
                "title_ko": "오류",
                "title_en": "bad",
                "level": "summit",
                "start_date": "not a date",
            },
        ]
    }
    before = Talks.objects.count()
    job = run(
        personas,
        django_capture_on_commit_callbacks,
        "ministry",
        "dialogue.import",
        {"document": json.dumps(doc), "filename": "reply.json"},
    )
    assert job.state == JobState.FAILED
    assert job.error["code"] == "invalid_input"
    assert job.error["details"]["errors"] == [
        {
            "file": "reply.json",
            "row": "talks[1]",
            "field": "start_date",
            "reason_ko": "YYYY-MM-DD 형식의 날짜여야 합니다",
            "reason_en": "must be a date as YYYY-MM-DD",
        }
    ]
    assert Talks.objects.count() == before


def test_job_that_crashes_midway_rolls_back(personas, django_capture_on_commit_callbacks):
    @register("test.crash", title_ko="시험", title_en="Test", allowed=lambda user: True)
    def crash(job, progress):
        progress.start(2, "writing")
        Talks.objects.create(
            title_ko="반쯤",
            title_en="half",
            level="summit",
            topic="dialogue",
            start_date="2020-01-01",
        )
        progress.advance()
        raise ZeroDivisionError("boom")

    try:
        before = Talks.objects.count()
        job = run(personas, django_capture_on_commit_callbacks, "ministry", "test.crash")
        assert job.state == JobState.FAILED
        assert job.error["code"] == "internal_error"
        assert "ZeroDivisionError" in job.error["message_en"]
        assert Talks.objects.count() == before
        assert not Talks.objects.filter(title_ko="반쯤").exists()
    finally:
        KINDS.pop("test.crash")


def test_a_job_runs_once(personas, django_capture_on_commit_callbacks):
    job = run(personas, django_capture_on_commit_callbacks, "ministry", "dialogue.export")
    finished_at = job.finished_at
    again = job_run(str(job.pk))
    assert again.state == JobState.SUCCEEDED and again.finished_at == finished_at


def test_viewers_cannot_start_jobs(personas):
    with pytest.raises(DomainError) as exc:
        job_start(actor=personas["viewer"], kind="dialogue.export")
    assert exc.value.code == ErrorCode.PERMISSION_DENIED
    assert Job.objects.count() == 0


def test_progress_counts_and_clamps():
    p = Progress()
    p.start(3, "x")
    for _ in range(5):
        p.advance()
    assert (p.done, p.total) == (3, 3)


def test_job_api_shows_progress(personas, api_for, django_capture_on_commit_callbacks):
    client = api_for("ministry")
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/jobs", {"kind": "dialogue.export"})
    assert started.status_code == 202
    job_id = started.json()["id"]
    data = client.get(f"/jobs/{job_id}").json()
    assert data["state"] == "succeeded" and data["percent"] == 100 and data["has_file"]
    file = client.get(f"/jobs/{job_id}/file")
    assert file.status_code == 200
    assert b'"talks"' in b"".join(file.streaming_content)


def test_job_page_polls_until_finished(personas, client_for):
    job = Job.objects.create(
        kind="dialogue.export",
        created_by=personas["ministry"],
        progress_total=10,
        progress_done=4,
        state=JobState.RUNNING,
    )
    html = client_for("ministry").get(f"/jobs/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="40"' in html
    job.state = JobState.SUCCEEDED
    job.save()
    html = client_for("ministry").get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in html


def test_import_document_size_is_limited(personas):
    from panmun.dialogue.tasks import MAX_DOCUMENT_BYTES

    with pytest.raises(DomainError) as exc:
        job_start(
            actor=personas["ministry"],
            kind="dialogue.import",
            params={"document": "가" * (MAX_DOCUMENT_BYTES // 3 + 1), "filename": "big.json"},
        )
    assert exc.value.details["max_bytes"] == MAX_DOCUMENT_BYTES
    assert Job.objects.count() == 0


def test_audit_keeps_a_digest_of_an_imported_document(personas):
    from panmun.accounts.models import AuditEntry

    document = json.dumps({"events": []}) + " " * 500
    job_start(
        actor=personas["ministry"],
        kind="dialogue.import",
        params={"document": document, "filename": "e.json"},
    )
    params = AuditEntry.objects.get(action="jobs.job.start").changes["params"]
    assert params["filename"] == "e.json"
    assert params["document"]["bytes"] == len(document)
    assert len(params["document"]["sha256"]) == 64


def test_failed_job_page_names_each_problem(
    personas, client_for, django_capture_on_commit_callbacks
):
    doc = {
        "events": [
            {
                "key": "e",
                "title_ko": "가",
                "title_en": "a",
                "kind": "war",
                "start_date": "2019-01-01",
            }
        ]
    }
    job = run(
        personas,
        django_capture_on_commit_callbacks,
        "ministry",
        "dialogue.import",
        {"document": json.dumps(doc), "filename": "reply.json"},
    )
    html = client_for("ministry").get(f"/jobs/{job.pk}/progress/").content.decode()
    assert 'data-state="failed"' in html
    assert "reply.json events[0] kind" in html
    assert "아무것도 저장하지 않았습니다" in html


# --- kinds that keep their own transaction (atomic=False) --------------------------------------


def test_kinds_run_in_one_transaction_unless_they_say_otherwise():
    assert KINDS["dialogue.export"].atomic and KINDS["dialogue.import"].atomic
    assert not KINDS["families.export"].atomic


@pytest.mark.django_db(transaction=True)
def test_a_non_atomic_job_shows_its_progress_to_others_while_it_runs(personas):
    """The page and the API read the Job row on their own connections while the job runs."""
    seen: dict[str, object] = {}

    def look(job_id):
        from django.db import connection

        try:
            seen.update(
                Job.objects.values("state", "progress_done", "progress_total", "stage").get(
                    pk=job_id
                )
            )
        except Exception as exc:  # a locked table, on SQLite, is what this test is about
            seen["error"] = repr(exc)
        finally:
            connection.close()

    @register(
        "test.watched",
        title_ko="시험",
        title_en="Test",
        allowed=lambda user: True,
        atomic=False,
    )
    def watched(job, progress):
        progress.start(4, "counting")
        progress.advance(4)  # the last step is always written
        reader = threading.Thread(target=look, args=(job.pk,))
        reader.start()
        reader.join()
        return {"counted": 4}

    try:
        job = job_start(actor=personas["ministry"], kind="test.watched")  # runs on commit
        job.refresh_from_db()
        assert job.state == JobState.SUCCEEDED and job.result == {"counted": 4}
        assert seen == {
            "state": "running",
            "progress_done": 4,
            "progress_total": 4,
            "stage": "counting",
        }
    finally:
        KINDS.pop("test.watched")


def test_a_failing_non_atomic_job_leaves_no_file_and_no_rows(
    personas, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import transaction

    stored: dict[str, str] = {}

    @register(
        "test.half", title_ko="시험", title_en="Test", allowed=lambda user: True, atomic=False
    )
    def half(job, progress):
        progress.start(2, "writing")
        progress.advance()
        with transaction.atomic():
            job.result_file.save("half.txt", ContentFile(b"half"), save=False)
            stored["name"] = job.result_file.name
            Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name)
            Talks.objects.create(
                title_ko="반쯤",
                title_en="half",
                level="summit",
                topic="dialogue",
                start_date="2020-01-01",
            )
            raise ZeroDivisionError("boom")

    try:
        before = Talks.objects.count()
        job = run(personas, django_capture_on_commit_callbacks, "ministry", "test.half")
        assert job.state == JobState.FAILED and job.error["code"] == "internal_error"
        assert not job.result_file
        assert stored["name"] and not default_storage.exists(stored["name"])
        assert Talks.objects.count() == before
    finally:
        KINDS.pop("test.half")
