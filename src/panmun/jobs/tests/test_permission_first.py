"""Starting a job: permission before validation. Someone who may not start a kind is refused
(403) before its body or parameters are read, and never told which kinds there are."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError, ErrorCode
from panmun.jobs.models import Job
from panmun.jobs.registry import KINDS
from panmun.jobs.services import job_start, kinds_for_user


def _nothing_written(before: tuple[int, int]) -> None:
    assert (Job.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "no.such.kind"},
        {"kind": "families.export", "params": {"format": "doc"}},
        {"kind": ""},  # not even a valid body
        {"params": "not an object"},
        {},
    ],
)
def test_a_viewer_is_refused_before_the_body_is_read(personas, api_for, body):
    """A viewer may start no kind of job: every body is a 403 that names no kind."""
    api = api_for("viewer")
    before = (Job.objects.count(), AuditEntry.objects.count())
    response = api.post("/jobs", body)
    assert response.status_code == 403
    answer = response.json()
    assert answer["code"] == "permission_denied" and not answer["details"]
    for kind in KINDS:
        assert kind not in response.content.decode()
    _nothing_written(before)


@pytest.mark.parametrize("who", ["firm", "liaison_n", "redcross_n"])
def test_a_kind_the_caller_may_not_start_is_a_403(personas, api_for, who):
    api = api_for(who)
    before = (Job.objects.count(), AuditEntry.objects.count())
    for kind in ("families.export", "families.duplicates", "dialogue.import"):
        response = api.post("/jobs", {"kind": kind, "params": {"format": "x"}})
        assert response.status_code == 403, kind
        assert not response.json()["details"]
    _nothing_written(before)


def test_an_unknown_kind_lists_only_the_kinds_the_caller_may_start(personas, api_for):
    response = api_for("firm").post("/jobs", {"kind": "no.such.kind"})
    assert response.status_code == 422
    details = response.json()["details"]
    assert details == {"field": "kind", "allowed": ["dialogue.export"]}
    assert "families.export" not in response.content.decode()
    ministry = api_for("ministry").post("/jobs", {"kind": "no.such.kind"}).json()["details"]
    assert ministry["allowed"] == kinds_for_user(personas["ministry"])
    assert "families.export" in ministry["allowed"]


def test_the_service_refuses_before_it_checks_the_parameters(personas):
    with pytest.raises(DomainError) as refused:
        job_start(actor=personas["viewer"], kind="families.export", params={"format": "doc"})
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(DomainError) as refused:
        job_start(actor=personas["viewer"], kind="no.such.kind")
    assert refused.value.code == ErrorCode.PERMISSION_DENIED and not refused.value.details


def test_the_page_refuses_before_it_reads_the_upload(personas, client_for):
    """The jobs page checks the permission before it looks at the uploaded document."""
    before = (Job.objects.count(), AuditEntry.objects.count())
    response = client_for("liaison_n").post(
        "/jobs/",
        {"kind": "dialogue.import", "document": SimpleUploadedFile("x.json", b"\xff\xfe")},
    )
    assert response.status_code == 403
    _nothing_written(before)


@pytest.mark.parametrize(
    ("who", "method", "path"),
    [
        ("liaison_n", "POST", "/dialogue/talks"),
        ("liaison_n", "PUT", "/dialogue/talks/1"),
        ("liaison_n", "POST", "/dialogue/agreements"),
        ("ministry", "POST", "/dialogue/agreements/1/status"),
        ("viewer", "POST", "/families/rounds/1/replies"),
        ("viewer", "PUT", "/families/persons/1/name-consent"),
        ("viewer", "POST", "/liaison/messages"),
        ("viewer", "POST", "/liaison/meetings"),
        ("viewer", "POST", "/reunion/rounds"),
        ("viewer", "POST", "/reunion/letters"),
    ],
)
def test_other_writes_refuse_before_they_validate(personas, api_for, who, method, path):
    """The same rule on every write whose permission does not depend on its body: an invalid
    body from someone who may not write is a 403, not a 422 describing the body."""
    response = api_for(who).call(method, path, json={"nonsense": True})
    assert response.status_code == 403, response.content[:300]
    assert response.json()["code"] == "permission_denied"
