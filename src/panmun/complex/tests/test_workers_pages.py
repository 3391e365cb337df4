"""The roster's pages and API: the roster searched in either orthography, a worker's record,
a worker added and a leaving recorded (a refused form answers 422 with what was typed), the
roster file read (a bad file names every row and field, writes nothing) and written out; a
firm sees only its own roster (another's: 404), the North's bureau none (403)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from panmun.accounts.models import AuditEntry

from ..models import Worker
from ..services.workers import roster_import
from .factories import firm_organisation, make_firm, persona_firm
from .roster_files import BAD, GOOD, xlsx


@pytest.fixture
def firm(personas):
    made = persona_firm(personas)
    roster_import(actor=personas["firm"], firm=made, data=xlsx(GOOD), file="a.xlsx")
    return made


@pytest.fixture
def other(personas):
    made = make_firm("다른기업(주)", organisation=firm_organisation("다른기업(주)"))
    roster_import(actor=personas["gic"], firm=made, data=xlsx(GOOD[:1]), file="b.xlsx")
    return made


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def state():
    return (
        list(Worker.objects.order_by("pk").values_list("number", "name", "left_on")),
        AuditEntry.objects.count(),
    )


def url(firm, rest=""):
    return f"/complex/firms/{firm.pk}/{rest}"


def test_the_roster_page_searches_in_either_orthography(client_for, firm):
    page = client_for("firm").get(url(firm, "workers/"), {"q": "이영철"})
    html = page.content.decode()
    assert page.status_code == 200
    one, two, three = Worker.objects.filter(firm=firm).order_by("number")
    assert f'data-worker="{one.pk}"' in html and f'data-worker="{two.pk}"' not in html
    page = client_for("ministry").get(url(firm, "workers/"), {"status": "left"})
    html = page.content.decode()
    assert f'data-worker="{three.pk}"' in html and f'data-worker="{one.pk}"' not in html
    assert 'id="worker-add"' not in html  # the ministry reads
    assert 'id="worker-add"' in client_for("gic").get(url(firm, "workers/")).content.decode()
    record = client_for("firm").get(url(firm, f"workers/{one.pk}/"))
    assert record.status_code == 200 and 'id="leave-form"' in record.content.decode()


def test_acceptance_4_a_firm_sees_its_own_roster_and_the_bureau_none(
    client_for, api_for, firm, other
):
    theirs = Worker.objects.get(firm=other)
    firm_client, bureau = client_for("firm"), client_for("bureau")
    assert firm_client.get(url(other, "workers/")).status_code == 404
    assert firm_client.get(url(other, f"workers/{theirs.pk}/")).status_code == 404
    assert firm_client.get(url(firm, f"workers/{theirs.pk}/")).status_code == 404
    assert firm_client.get(url(other, "roster/export/")).status_code == 404
    assert bureau.get(url(firm, "workers/")).status_code == 403
    assert bureau.get(url(firm, "roster/export/")).status_code == 403
    api = api_for("firm")
    answer = api.get(f"/complex/firms/{other.pk}/workers")
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    assert api.get(f"/complex/firms/{other.pk}/workers/{theirs.pk}").status_code == 404
    answer = api_for("bureau").get(f"/complex/firms/{firm.pk}/workers")
    assert answer.status_code == 403 and answer.json()["code"] == "permission_denied"
    assert len(api_for("gic").get(f"/complex/firms/{other.pk}/workers").json()) == 1


def test_a_worker_added_from_the_page_and_a_refused_form_keeps_what_was_typed(client_for, firm):
    client = english(client_for("firm"))
    before = state()
    typed = {"number": "1001", "name": "김은별", "sex": "F", "birth_year": "2012",
             "hired_on": "2015-02-30", "job": "재봉공", "base_wage_usd": ""}  # fmt: skip
    page = client.post(url(firm, "workers/add/"), typed)
    html = page.content.decode()
    assert page.status_code == 422
    assert 'value="김은별"' in html and 'value="2012"' in html and 'value="2015-02-30"' in html
    assert "Enter a valid date." in html
    typed["hired_on"] = "2015-07-01"
    page = client.post(url(firm, "workers/add/"), typed)
    html = page.content.decode()
    assert page.status_code == 422
    assert "worker number 1001 is already on this firm" in html
    assert "a worker hired in 2015 is 16 to 65 years old" in html
    typed["base_wage_usd"] = "abc"
    assert client.post(url(firm, "workers/add/"), typed).status_code == 422
    assert state() == before
    typed.update(number="1004", birth_year="1995", base_wage_usd="")
    page = client.post(url(firm, "workers/add/"), typed)
    made = Worker.objects.get(firm=firm, number="1004")
    assert page.status_code == 302 and page["Location"] == url(firm, f"workers/{made.pk}/")


def test_a_leaving_from_the_page(client_for, firm):
    worker = Worker.objects.get(firm=firm, number="1001")
    client = english(client_for("firm"))
    before = state()
    page = client.post(url(firm, f"workers/{worker.pk}/leave/"), {"left_on": "2009-01-01"})
    assert page.status_code == 422
    assert "is before the hiring date" in page.content.decode()
    assert (
        client.post(url(firm, f"workers/{worker.pk}/leave/"), {"left_on": "x"}).status_code == 422
    )
    assert (
        client_for("ministry")
        .post(url(firm, f"workers/{worker.pk}/leave/"), {"left_on": "2016-01-01"})
        .status_code
        == 403
    )
    assert state() == before
    page = client.post(url(firm, f"workers/{worker.pk}/leave/"), {"left_on": "2016-01-01"})
    assert page.status_code == 302
    worker.refresh_from_db()
    assert worker.left_on == dt.date(2016, 1, 1)


def test_acceptance_3_a_bad_roster_through_the_page(client_for, firm):
    client = english(client_for("firm"))
    before = state()
    upload = SimpleUploadedFile("명단.xlsx", xlsx(BAD))
    page = client.post(url(firm, "roster/import/"), {"file": upload})
    html = page.content.decode()
    assert page.status_code == 422
    assert "The roster was not read; nothing was saved." in html
    assert "명단.xlsx, row 3, name: the name is empty" in html
    assert "명단.xlsx, row 3, sex:" in html
    assert "명단.xlsx, row 4, number: worker number 1001 is also on row 2" in html
    assert "명단.xlsx, row 5, hired_on: hired on: there is no such date: 2015-02-30" in html
    assert state() == before
    assert client.post(url(firm, "roster/import/"), {}).status_code == 422
    assert state() == before


def test_a_roster_read_from_the_page_and_written_out(client_for, firm):
    client = client_for("gic")
    assert client.get(url(firm, "roster/import/")).status_code == 200
    rows = [["1005", "한옥순", "녀", "1992", "포장공", "2015-03-02", ""]]
    page = client.post(
        url(firm, "roster/import/"), {"file": SimpleUploadedFile("n.xlsx", xlsx(rows))}
    )
    assert page.status_code == 302 and page["Location"] == url(firm, "workers/")
    assert Worker.objects.filter(firm=firm, number="1005", name="한옥순").exists()
    answer = client_for("viewer").get(url(firm, "roster/export/"))
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(answer.content), read_only=True).worksheets[0]
    rows_out = list(sheet.iter_rows(values_only=True))
    assert rows_out[0][:3] == ("근로자번호", "성명", "성별") and len(rows_out) == 5


def test_the_api_adds_leaves_imports_and_exports(api_for, firm):
    api = api_for("firm")
    base = f"/complex/firms/{firm.pk}"
    listed = api.get(f"{base}/workers?q=리영철").json()
    assert [w["number"] for w in listed] == ["1001"]
    assert listed[0]["name"] == "리영철" and listed[0]["base_wage_usd"] is None
    body = {"number": "2001", "name": "리광명", "sex": "M", "birth_year": 1980,
            "hired_on": "2011-04-01", "base_wage_usd": "75.5"}  # fmt: skip
    made = api.post(f"{base}/workers", body)
    assert made.status_code == 201, made.content
    assert made.json()["base_wage_usd"] == "75.500"
    worker_id = made.json()["id"]
    ministry = api_for("ministry")
    before = state()
    again = api.post(f"{base}/workers", {**body, "hired_on": "2015-02-30"})
    assert again.status_code == 422 and again.json()["code"] == "invalid_input"
    again = api.post(f"{base}/workers", body)
    assert again.status_code == 422
    assert again.json()["details"]["errors"][0]["field"] == "number"
    wage = api.post(f"{base}/workers", {**body, "number": "2002", "base_wage_usd": "-1"})
    assert wage.status_code == 422
    assert wage.json()["details"]["errors"][0]["field"] == "base_wage_usd"
    assert ministry.post(f"{base}/workers", body).status_code == 403
    assert state() == before
    left = api.post(f"{base}/workers/{worker_id}/leave", {"left_on": "2016-02-10"})
    assert left.status_code == 200 and left.json()["left_on"] == "2016-02-10"
    assert (
        api.post(f"{base}/workers/{worker_id}/leave", {"left_on": "2016-02-11"}).status_code == 409
    )
    assert api.get(f"{base}/workers/{worker_id}").json()["left_on"] == "2016-02-10"
    exported = api.get(f"{base}/roster")
    assert exported.status_code == 200 and exported.content[:2] == b"PK"
    assert api.get(f"{base}/roster?format=csv").content.startswith("\ufeff근로자번호".encode())


def test_acceptance_3_a_bad_roster_through_the_api(api_for, firm):
    api = api_for("firm")
    before = state()
    answer = api.client.post(
        f"/api/v1/complex/firms/{firm.pk}/roster",
        {"file": SimpleUploadedFile("명단.xlsx", xlsx(BAD))},
        HTTP_ACCEPT_LANGUAGE="en",
        **api.headers,
    )
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid_input"
    assert [(e["row"], e["field"]) for e in body["details"]["errors"]] == [
        (3, "name"), (3, "sex"), (4, "number"), (5, "hired_on")
    ]  # fmt: skip
    assert {e["file"] for e in body["details"]["errors"]} == {"명단.xlsx"}
    assert state() == before
    answer = api.client.post(
        f"/api/v1/complex/firms/{firm.pk}/roster",
        {
            "file": SimpleUploadedFile(
                "n.csv", "번호,성명,성별,생년,입사일\n9,김철,남,1980,2010-01-01\n".encode()
            )
        },
        **api.headers,
    )
    assert answer.status_code == 200
    assert answer.json() == {"file": "n.csv", "rows": 1, "added": 1, "updated": 0,
                             "unchanged": 0, "left": 0}  # fmt: skip


def test_the_roster_pages_through_a_search(client_for, personas, firm):
    rows = [[f"{n:04d}", "리영철", "남", "1975", "", "2010-03-02", ""] for n in range(2000, 2150)]
    roster_import(actor=personas["firm"], firm=firm, data=xlsx(rows), file="c.xlsx")
    page = client_for("firm").get(url(firm, "workers/"), {"q": "이영철 & 1", "page": "1"})
    assert page.status_code == 200
    page = client_for("firm").get(url(firm, "workers/"), {"q": "이영철", "status": "on_roster"})
    html = page.content.decode()
    assert "?q=%EC%9D%B4%EC%98%81%EC%B2%A0&amp;status=on_roster&amp;page=2" in html
    assert html.count("data-worker=") == 100
    second = client_for("firm").get(url(firm, "workers/"), {"q": "이영철", "page": "2"})
    assert second.content.decode().count("data-worker=") == 51
