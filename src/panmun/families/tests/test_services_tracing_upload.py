"""The reply upload: linear checks outside the round's lock, the registry import's size and row
limits, and large files read by a job (issue 16, item 6)."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError
from panmun.jobs.models import Job, JobState

from .. import uploads
from ..models import RoundStatus, TracingReply
from ..registry_file import columns
from ..services import tracing
from .factories import applicant, relative


@pytest.fixture
def sent(personas):
    officer = personas["redcross_s"]
    for n, given in enumerate(["선권", "영희", "순자"]):
        seeker = applicant(officer, given_name=f"신청{n}", birth_date=f"{1920 + n}")
        relative(officer, seeker, family_name="이", given_name=given, birth_date="1938")
    tracing_round = tracing.round_create(actor=officer, name="제60차", target_size=3)
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    return tracing_round


def _ids(tracing_round) -> list[str]:
    return sorted(tracing_round.requests.values_list("request_id", flat=True))


def _file(lines: list[str]) -> bytes:
    return ("request_id,result,vital_status\n" + "".join(f"{x}\n" for x in lines)).encode()


def _stored() -> list[str]:
    if not default_storage.exists(uploads.FOLDER):
        return []
    return sorted(default_storage.listdir(uploads.FOLDER)[1])


def _nothing_written(tracing_round) -> None:
    assert TracingReply.objects.count() == 0
    assert not AuditEntry.objects.filter(action="families.round.reply_import").exists()
    tracing_round.refresh_from_db()
    assert tracing_round.status == RoundStatus.SENT


def test_request_ids_given_more_than_once_are_each_named_once_with_their_rows(
    sent, personas, monkeypatch
):
    a, b, c = _ids(sent)
    lines = [f"{a},found,alive", f"{b},found,alive", f"{a},found,alive", f"{c},not_found,"]
    lines += [f"{b},found,alive", f"{a},not_found,"]
    with pytest.raises(DomainError) as err:
        tracing.reply_import(
            actor=personas["redcross_s"], tracing_round=sent, data=_file(lines), filename="r.csv"
        )
    twice = [p for p in err.value.details["errors"] if p["field"] == "request_id"]
    assert [(p["row"], p["reason_en"]) for p in twice] == [
        (4, "request id given twice (rows [2, 4, 7])"),
        (6, "request id given twice (rows [3, 6])"),
    ]
    _nothing_written(sent)


def test_a_refused_file_never_locks_the_round(sent, personas, monkeypatch):
    """Reading and checking come before the lock: a file with problems is refused without it."""

    def no_lock(*args, **kwargs):
        raise AssertionError("the round was locked for a file that is refused")

    monkeypatch.setattr(tracing, "_can_take_replies", no_lock)
    a, *_ = _ids(sent)
    with pytest.raises(DomainError) as err:
        tracing.reply_import(
            actor=personas["redcross_s"],
            tracing_round=sent,
            data=_file([f"{a},found,alive", f"{a},maybe,alive"]),
            filename="r.csv",
        )
    assert {p["field"] for p in err.value.details["errors"]} == {"result", "request_id"}
    _nothing_written(sent)


def test_a_reply_file_over_the_limit_is_refused_by_name(sent, personas, monkeypatch):
    monkeypatch.setattr(columns, "MAX_FILE_BYTES", 40)
    a, *_ = _ids(sent)
    data = _file([f"{a},found,alive"])
    assert len(data) > 40
    with pytest.raises(DomainError) as err:
        tracing.reply_import(
            actor=personas["redcross_s"], tracing_round=sent, data=data, filename="회보.csv"
        )
    assert err.value.message_en == "회보.csv: 1 problem(s); nothing was written."
    [problem] = err.value.details["errors"]
    assert problem["reason_en"] == (
        f"the file is {len(data):,} bytes; at most 40 bytes (0 MB) are taken"
    )
    _nothing_written(sent)


def test_a_reply_file_of_more_rows_than_allowed_is_refused_by_name(sent, personas, monkeypatch):
    monkeypatch.setattr(columns, "MAX_ROWS", 2)
    a, b, c = _ids(sent)
    with pytest.raises(DomainError) as err:
        tracing.reply_import(
            actor=personas["redcross_s"],
            tracing_round=sent,
            data=_file([f"{a},found,alive", f"{b},found,alive", f"{c},found,alive"]),
            filename="r.csv",
        )
    [problem] = err.value.details["errors"]
    assert problem["file"] == "r.csv"
    assert problem["reason_en"] == (
        "the file has more than 2 data rows (at most 2 in one file): split it"
    )
    _nothing_written(sent)


def test_the_page_refuses_a_reply_file_over_the_limit_by_name(sent, client_for, monkeypatch):
    monkeypatch.setattr(tracing, "REPLY_JOB_BYTES", 10)
    monkeypatch.setattr(columns, "MAX_FILE_BYTES", 40)
    a, *_ = _ids(sent)
    jobs, stored = Job.objects.count(), _stored()
    response = client_for("redcross_n").post(
        f"/families/rounds/{sent.pk}/replies/upload/",
        {"file": SimpleUploadedFile("회보.csv", _file([f"{a},found,alive"])), "dry_run": "on"},
    )
    html = unescape(response.content.decode())
    assert response.status_code == 422
    assert re.search(r"회보\.csv: [^<]*40", html)
    assert re.search(r'name="dry_run"[^>]*checked', html)
    assert Job.objects.count() == jobs
    assert _stored() == stored  # nothing kept
    _nothing_written(sent)


def test_a_large_reply_file_is_read_by_a_job(
    sent, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(tracing, "REPLY_JOB_BYTES", 10)
    a, b, c = _ids(sent)
    data = _file([f"{a},found,alive", f"{b},found,deceased", f"{c},not_found,"])
    north = client_for("redcross_n")
    with django_capture_on_commit_callbacks(execute=True):
        response = north.post(
            f"/families/rounds/{sent.pk}/replies/upload/",
            {"file": SimpleUploadedFile("회보.csv", data)},
        )
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    job = Job.objects.get(kind="families.reply_import")
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.result["rows"] == 3 and job.progress_total == job.progress_done
    assert TracingReply.objects.filter(round=sent).count() == 3
    assert not default_storage.exists(job.params["upload"])  # read, then removed
    page = north.get(response["Location"]).content.decode()
    assert 'data-state="succeeded"' in page


def test_a_reply_job_with_problems_writes_nothing_and_says_why(
    sent, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(tracing, "REPLY_JOB_BYTES", 10)
    a, *_ = _ids(sent)
    with django_capture_on_commit_callbacks(execute=True):
        client_for("redcross_n").post(
            f"/families/rounds/{sent.pk}/replies/upload/",
            {"file": SimpleUploadedFile("회보.csv", _file([f"{a},found,alive"] * 2))},
        )
    job = Job.objects.get(kind="families.reply_import")
    assert job.state == JobState.FAILED
    assert job.error["message_en"] == "회보.csv: 1 problem(s); nothing was written."
    assert not default_storage.exists(job.params["upload"])
    _nothing_written(sent)


def test_the_api_cannot_point_a_reply_job_at_another_file(sent, api_for):
    api = api_for("redcross_s")
    before = Job.objects.count()
    response = api.post(
        "/jobs",
        {
            "kind": "families.reply_import",
            "params": {"round": sent.pk, "upload": "../settings.py", "filename": "r.csv"},
        },
    )
    assert response.status_code == 422
    assert response.json()["details"]["field"] == "upload"
    assert Job.objects.count() == before
    _nothing_written(sent)


def test_a_reply_file_is_read_from_a_file_too(sent, personas):
    a, *_ = _ids(sent)
    counts = tracing.reply_import(
        actor=personas["redcross_s"],
        tracing_round=sent,
        data=io.BytesIO(_file([f"{a},found,alive"])),
        filename="r.csv",
    )
    assert counts["rows"] == 1


def test_a_reply_xlsx_with_a_dtd_is_refused_on_the_page_in_panmuns_words(sent, client_for):
    from .test_registry_file import DTD_KO, _with_dtd

    response = client_for("redcross_n").post(
        f"/families/rounds/{sent.pk}/replies/upload/",
        {"file": SimpleUploadedFile("회보.xlsx", _with_dtd("xl/workbook.xml"))},
    )
    html = unescape(response.content.decode())
    assert response.status_code == 422
    assert f"회보.xlsx: {DTD_KO}" in html
    assert "could not read" not in html and "invalid XML" not in html
    _nothing_written(sent)
