"""IATI through the pages, the API and `panmun aid import|export`: the same services, the same
refusals (problems named by file, line and element; nothing written)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from lxml import etree

from panmun.jobs.models import Job

from ..models import Activity
from ..services import iati as service
from .iati_data import grant, iati_settings, project, rows, sample
from .test_iati_files import GOOD_SECTORS, activity_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("iati_settings")]
__all__ = ["iati_settings"]

NL_MFA = "oipa-example_203_file-NL-MFA.xml"
BAD_PERCENTAGES = activity_file(sectors=GOOD_SECTORS.replace('"40"', '"30"'))
WHERE = "iati-activity[iati-identifier='KR-TEST-1']"


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:400]
    data = response.json()
    assert set(data) == {"code", "message", "details"}
    assert data["code"] == code
    return data


# -- the API ---------------------------------------------------------------------------------


def test_api_import_of_a_sample(personas, api_for):
    api = api_for("ministry")
    upload = SimpleUploadedFile(NL_MFA, sample(NL_MFA), "application/xml")
    response = api.client.post("/api/v1/aid/iati/import", {"file": upload}, **api.headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["activities"], body["transactions"]) == (13, 72)
    assert body["identifiers"][0] == "NL-1-PPR-24706"


def test_api_import_refused_names_every_problem_and_writes_nothing(personas, api_for):
    api = api_for("ministry")
    before = rows()
    upload = SimpleUploadedFile("bad.xml", BAD_PERCENTAGES, "application/xml")
    response = api.client.post("/api/v1/aid/iati/import", {"file": upload}, **api.headers)
    data = assert_error(response, 422, "invalid_input")
    assert data["details"]["errors"] == [
        {
            "file": "bad.xml",
            "row": "line 13",
            "field": f"{WHERE}/sector[1]/@percentage",
            "reason_ko": "분류체계 1의 분야 비율 합계가 100이 아닙니다: 90",
            "reason_en": "The sector percentages of vocabulary 1 add up to 90, not 100.",
        }
    ]
    assert rows() == before


def test_api_import_over_the_upload_bound_is_413(personas, api_for, monkeypatch):
    monkeypatch.setattr(service, "MAX_UPLOAD_BYTES", 100)
    api = api_for("ministry")
    before = rows()
    upload = SimpleUploadedFile("big.xml", sample(NL_MFA), "application/xml")
    response = api.client.post("/api/v1/aid/iati/import", {"file": upload}, **api.headers)
    assert_error(response, 413, "payload_too_large")
    assert rows() == before


def test_api_import_is_the_ministrys(personas, api_for):
    api = api_for("aid")
    before = rows()
    upload = SimpleUploadedFile(NL_MFA, sample(NL_MFA), "application/xml")
    response = api.client.post("/api/v1/aid/iati/import", {"file": upload}, **api.headers)
    assert_error(response, 403, "permission_denied")
    assert rows() == before


def test_api_export_of_a_selection(personas, api_for):
    parent = grant()
    project(parent)
    grant("KR-GOV-MOU-2008-002")
    api = api_for("viewer")
    response = api.client.get(
        "/api/v1/aid/iati/export?activity=KR-GOV-MOU-2008-002&activity=KR-GOV-MOU-2007-001",
        **api.headers,
    )
    assert response.status_code == 200, response.content[:400]
    assert response["Content-Type"] == "application/xml"
    root = etree.fromstring(response.content)
    assert [a.findtext("iati-identifier") for a in root] == [
        "KR-GOV-MOU-2007-001",
        "KR-GOV-MOU-2008-002",
    ]


def test_api_export_names_an_unknown_activity(personas, api_for):
    grant()
    api = api_for("ministry")
    response = api.client.get("/api/v1/aid/iati/export?activity=NO-SUCH", **api.headers)
    data = assert_error(response, 404, "not_found")
    assert data["details"]["missing"] == ["NO-SUCH"]


def test_api_export_shows_an_aid_organisation_its_own_only(personas, api_for):
    grant()  # the ministry's, no organisation
    api = api_for("aid")
    response = api.client.get("/api/v1/aid/iati/export?activity=KR-GOV-MOU-2007-001", **api.headers)
    assert_error(response, 404, "not_found")


def test_api_export_over_the_bound_asks_for_the_job(personas, api_for, monkeypatch):
    monkeypatch.setattr(service, "MAX_EXPORT_ACTIVITIES", 1)
    grant()
    grant("KR-GOV-MOU-2008-002")
    api = api_for("ministry")
    response = api.client.get("/api/v1/aid/iati/export", **api.headers)
    data = assert_error(response, 422, "invalid_input")
    assert data["details"]["count"] == 2


def test_api_without_the_iati_folder_refuses_naming_the_setting(personas, api_for):
    grant()
    api = api_for("ministry")
    with override_settings(PANMUN_IATI_DIR=""):
        response = api.client.get("/api/v1/aid/iati/export", **api.headers)
    data = assert_error(response, 422, "invalid_input")
    assert data["details"]["setting"] == "PANMUN_IATI_DIR"


# -- the pages -------------------------------------------------------------------------------


def test_the_page_imports_a_sample(personas, client_for):
    client = client_for("ministry")
    assert client.get("/aid/iati/").status_code == 200
    before = Activity.objects.count()
    upload = SimpleUploadedFile(NL_MFA, sample(NL_MFA), "application/xml")
    response = client.post("/aid/iati/import/", {"file": upload})
    assert response.status_code == 302
    assert response["Location"] == "/aid/"
    assert Activity.objects.count() == before + 13


def test_the_page_lists_the_problems_and_writes_nothing(personas, client_for):
    client = client_for("ministry")
    before = rows()
    upload = SimpleUploadedFile("bad.xml", BAD_PERCENTAGES, "application/xml")
    response = client.post("/aid/iati/import/", {"file": upload})
    assert response.status_code == 422
    errors = response.context["import_form"].non_field_errors()
    assert (
        errors[0]
        == "bad.xml: IATI 파일을 받을 수 없습니다 (문제 1개). 아무것도 기록하지 않았습니다."
    )
    assert errors[1].startswith("bad.xml, ")
    assert "line 13" in errors[1]
    assert errors[1].endswith(
        f"{WHERE}/sector[1]/@percentage: 분류체계 1의 분야 비율 합계가 100이 아닙니다: 90"
    )
    assert rows() == before


def test_the_page_without_a_file_names_the_field(personas, client_for):
    response = client_for("ministry").post("/aid/iati/import/", {})
    assert response.status_code == 422
    assert response.context["import_form"].errors["file"]


def test_the_page_exports_a_download(personas, client_for):
    grant()
    response = client_for("viewer").post(
        "/aid/iati/export/", {"activities": "KR-GOV-MOU-2007-001\n"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="panmun-iati-')
    assert etree.fromstring(response.content).findtext("iati-activity/iati-identifier") == (
        "KR-GOV-MOU-2007-001"
    )


def test_the_page_export_keeps_what_was_typed_on_a_refusal(personas, client_for):
    grant()
    response = client_for("ministry").post("/aid/iati/export/", {"activities": "NO-SUCH"})
    assert response.status_code == 422
    assert "NO-SUCH" in response.content.decode()


def test_a_large_export_is_a_job(personas, client_for, monkeypatch):
    monkeypatch.setattr("panmun.aid.views.iati.MAX_EXPORT_ACTIVITIES", 1)
    grant()
    grant("KR-GOV-MOU-2008-002")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("panmun.jobs.services.transaction.on_commit", lambda f: None)
        response = client_for("ministry").post("/aid/iati/export/", {"activities": ""})
    job = Job.objects.get(kind="aid.iati_export")
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.params == {"activities": []}


def test_the_export_job_writes_the_file(personas):
    from ..tasks import export_iati

    grant()
    job = Job.objects.create(
        kind="aid.iati_export", params={"activities": []}, created_by=personas["ministry"]
    )
    result = export_iati(job, None)
    assert result["activities"] == 1
    job.refresh_from_db()
    with job.result_file.open("rb") as stored:
        data = stored.read()
    assert result["bytes"] == len(data)
    assert etree.fromstring(data).findtext("iati-activity/iati-identifier") == "KR-GOV-MOU-2007-001"


# -- the command line ------------------------------------------------------------------------


def test_cli_import_and_export(personas, tmp_path):
    path = tmp_path / NL_MFA
    path.write_bytes(sample(NL_MFA))
    out = StringIO()
    call_command("aid", "import", str(path), "--user", "ministry", stdout=out)
    assert "13 activities, 72 transactions imported" in out.getvalue()
    output = tmp_path / "out.xml"
    call_command(
        "aid",
        "export",
        "--activity",
        "NL-1-PPR-24706",
        "--generated",
        "2026-12-01T09:30:00Z",
        str(output),
        stdout=StringIO(),
    )
    root = etree.fromstring(output.read_bytes())
    assert root.get("generated-datetime") == "2026-12-01T09:30:00Z"
    assert [a.findtext("iati-identifier") for a in root] == ["NL-1-PPR-24706"]


def test_cli_import_prints_each_problem_and_exits_1(personas, tmp_path):
    path = tmp_path / "bad.xml"
    path.write_bytes(BAD_PERCENTAGES)
    out = StringIO()
    before = rows()
    with pytest.raises(CommandError) as caught:
        call_command("aid", "import", str(path), "--user", "ministry", stdout=out)
    assert caught.value.returncode == 1
    assert "Nothing was written" in str(caught.value)
    assert out.getvalue().splitlines() == [
        f"bad.xml line 13 {WHERE}/sector[1]/@percentage: The sector percentages of "
        "vocabulary 1 add up to 90, not 100. / 분류체계 1의 분야 비율 합계가 100이 아닙니다: 90"
    ]
    assert rows() == before


def test_api_export_that_does_not_validate_is_a_422_naming_the_activity(personas, api_for):
    activity = grant()
    activity.participants.all().delete()  # participating-org is required
    api = api_for("ministry")
    response = api.client.get("/api/v1/aid/iati/export", **api.headers)
    data = assert_error(response, 422, "invalid_input")
    [problem] = data["details"]["errors"]
    assert problem["field"].startswith("iati-activity[iati-identifier='KR-GOV-MOU-2007-001']")


def test_an_aid_organisation_sees_the_export_form_only(personas, client_for):
    response = client_for("aid").get("/aid/iati/")
    assert response.status_code == 200
    assert response.context["import_form"] is None
    assert 'action="/aid/iati/import/"' not in response.content.decode()
    assert 'action="/aid/iati/export/"' in response.content.decode()
