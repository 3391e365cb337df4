"""The check sheet of a round (issue 15, defect 4): the drawn candidates paged and filtered, each
row saved on its own (htmx, or a plain POST that comes back to the same page), and willingness
and health entered from a spreadsheet, all or nothing."""

from __future__ import annotations

import html
import io
import re

import pytest
from openpyxl import Workbook, load_workbook

from panmun.accounts.models import AuditEntry
from panmun.common.spreadsheets.reading import read_table

from ..models import Candidate, Stage
from .factories import drawn_round

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def drawn(personas):
    """55 drawn candidates: 30 in the stratum 지정가, 25 in 지정나."""
    return drawn_round(personas)


def _rows(page: str) -> list[str]:
    return re.findall(r'<tr id="candidate-\d+" data-candidate="(\d+)"', page)


def _checks(reunion_round) -> dict[int, tuple[str, str, str]]:
    return {
        c.pk: (c.willingness, c.health, c.check_note)
        for c in Candidate.objects.filter(round=reunion_round, drawn=True)
    }


def test_the_check_sheet_is_paged_and_filtered(client_for, drawn):
    client = client_for("redcross_s")
    first = client.get(f"/reunion/{drawn.pk}/").content.decode()
    assert len(_rows(first)) == 50
    assert first.count("<select") <= 2 * 50 + 1  # a row's two, and the stratum filter
    assert 'rel="next"' in first
    second = client.get(f"/reunion/{drawn.pk}/?page=2").content.decode()
    assert len(_rows(second)) == 5
    assert not set(_rows(first)) & set(_rows(second))
    only = client.get(f"/reunion/{drawn.pk}/?stratum=지정나").content.decode()
    expected = Candidate.objects.filter(round=drawn, drawn=True, stratum="지정나")
    assert sorted(_rows(only)) == sorted(str(c.pk) for c in expected)


def test_a_row_is_saved_on_its_own_and_answers_the_row(client_for, drawn):
    candidate = Candidate.objects.filter(round=drawn, drawn=True).order_by("stratum", "rank")[0]
    before = AuditEntry.objects.count()
    response = client_for("redcross_s").post(
        f"/reunion/{drawn.pk}/candidates/{candidate.pk}/check/",
        {"willingness": "willing", "health": "fit", "note": "전화 확인", "back": "page=1"},
        **HTMX,
    )
    assert response.status_code == 200
    row = response.content.decode()
    assert row.startswith("<tr") and f'data-candidate="{candidate.pk}"' in row
    assert 'role="status"' in row and "<html" not in row
    candidate.refresh_from_db()
    assert (candidate.willingness, candidate.health, candidate.check_note) == (
        "willing",
        "fit",
        "전화 확인",
    )
    drawn.refresh_from_db()
    assert drawn.stage == Stage.CHECKING
    assert AuditEntry.objects.count() == before + 1


def test_a_refused_row_comes_back_with_its_values_and_nothing_is_written(client_for, drawn):
    candidate = Candidate.objects.filter(round=drawn, drawn=True).first()
    checks, audit = _checks(drawn), AuditEntry.objects.count()
    note = "가" * 301
    response = client_for("redcross_s").post(
        f"/reunion/{drawn.pk}/candidates/{candidate.pk}/check/",
        {"willingness": "declined", "health": "unfit", "note": note},
        **HTMX,
    )
    assert response.status_code == 422
    row = response.content.decode()
    assert row.startswith("<tr") and 'class="errorlist"' in row
    assert f'value="{note}"' in row
    assert '<option value="declined" selected>' in row
    assert '<option value="unfit" selected>' in row
    assert _checks(drawn) == checks and AuditEntry.objects.count() == audit


def test_without_javascript_a_row_goes_back_to_the_same_page(client_for, drawn):
    candidate = Candidate.objects.filter(round=drawn, drawn=True, stratum="지정가").last()
    client = client_for("redcross_s")
    response = client.post(
        f"/reunion/{drawn.pk}/candidates/{candidate.pk}/check/",
        {"willingness": "willing", "health": "fit", "note": "", "back": "stratum=지정가&page=1"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(f"/reunion/{drawn.pk}/?")
    assert "page=1" in response["Location"]
    assert response["Location"].endswith(f"#candidate-{candidate.pk}")
    refused = client.post(
        f"/reunion/{drawn.pk}/candidates/{candidate.pk}/check/",
        {"willingness": "maybe", "health": "fit", "note": "다시 연락", "back": "page=1"},
    )
    assert refused.status_code == 422
    page = refused.content.decode()
    assert 'value="다시 연락"' in page and 'class="errorlist"' in page
    candidate.refresh_from_db()
    assert candidate.check_note == ""


def test_the_template_lists_the_drawn_candidates(client_for, drawn):
    client = client_for("redcross_s")
    response = client.get(f"/reunion/{drawn.pk}/checks/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["추첨 번호", "등록번호", "이름", "층", "순위", "참가 의사", "건강", "비고"]
    assert len(rows) == 1 + 55
    assert {r[5] for r in rows[1:]} == {"미확인"}
    csv_rows = read_table(
        client.get(f"/reunion/{drawn.pk}/checks/template.csv").content, filename="t.csv"
    )
    assert csv_rows == [[str(c) for c in r] for r in rows]


def _csv(rows: list[list[str]], encoding: str) -> bytes:
    return "\n".join(",".join(r) for r in rows).encode(encoding)


def _upload(client, reunion_round, name: str, data: bytes):
    return client.post(f"/reunion/{reunion_round.pk}/checks/import/", {"file": io_file(name, data)})


def io_file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_korean_sheet_in_cp949_is_read_whole(client_for, drawn):
    candidates = list(Candidate.objects.filter(round=drawn, drawn=True).order_by("stratum", "rank"))
    rows = [["추첨 번호", "참가 의사", "건강 상태", "비고"]]
    rows += [[c.draw_id, "있음", "양호", "방문 확인"] for c in candidates[:3]]
    rows.append([candidates[3].draw_id, "없음", "미확인", ""])
    rows.append([candidates[4].draw_id, "의사 있음", "불가", "입원"])
    response = _upload(client_for("redcross_s"), drawn, "확인표.csv", _csv(rows, "cp949"))
    assert response.status_code == 302
    checks = _checks(drawn)
    assert [checks[c.pk] for c in candidates[:5]] == [
        ("willing", "fit", "방문 확인"),
        ("willing", "fit", "방문 확인"),
        ("willing", "fit", "방문 확인"),
        ("declined", "pending", ""),
        ("willing", "unfit", "입원"),
    ]
    assert checks[candidates[5].pk] == ("pending", "pending", "")
    entry = AuditEntry.objects.filter(action="reunion.candidates.check").latest("pk")
    assert entry.changes["source"] == "확인표.csv" and entry.changes["count"] == 5


def test_an_excel_sheet_by_registration_number_with_english_values(client_for, drawn):
    candidates = list(
        Candidate.objects.filter(round=drawn, drawn=True).select_related("applicant")[:2]
    )
    book = Workbook()
    sheet = book.active
    sheet.append(["Registry no", "Willingness", "Health", "Note"])
    sheet.append([candidates[0].applicant.registry_no, "declined", "fit", "moved abroad"])
    sheet.append([candidates[1].applicant.registry_no, "willing", "unfit", None])
    out = io.BytesIO()
    book.save(out)
    response = _upload(client_for("redcross_s"), drawn, "checks.xlsx", out.getvalue())
    assert response.status_code == 302
    checks = _checks(drawn)
    assert checks[candidates[0].pk] == ("declined", "fit", "moved abroad")
    assert checks[candidates[1].pk] == ("willing", "unfit", "")


def test_a_sheet_with_bad_rows_writes_nothing_and_names_every_one(client_for, drawn):
    candidates = list(Candidate.objects.filter(round=drawn, drawn=True).order_by("stratum", "rank"))
    rows = [
        ["추첨 번호", "참가 의사", "건강", "비고"],
        [candidates[0].draw_id, "있음", "양호", ""],  # row 2: good
        [candidates[1].draw_id, "아마도", "양호", ""],  # row 3: not a willingness
        ["ffffffffffffffff", "있음", "양호", ""],  # row 4: no such candidate
        [candidates[0].draw_id, "없음", "불가", ""],  # row 5: the same as row 2
        [candidates[2].draw_id, "있음", "튼튼", ""],  # row 6: not a health
    ]
    checks, audit = _checks(drawn), AuditEntry.objects.count()
    response = _upload(client_for("redcross_s"), drawn, "checks.csv", _csv(rows, "utf-8"))
    assert response.status_code == 422
    page = html.unescape(response.content.decode())
    for row, column in ((3, "참가 의사"), (4, "추첨 번호"), (5, "추첨 번호"), (6, "건강")):
        assert re.search(rf"checks\.csv, {row}행, {column}: ", page), (row, column)
    assert "checks.csv, 2행" not in page
    assert _checks(drawn) == checks and AuditEntry.objects.count() == audit
    drawn.refresh_from_db()
    assert drawn.stage == Stage.DRAWN


def test_a_sheet_needs_its_columns(client_for, drawn):
    response = _upload(
        client_for("redcross_s"), drawn, "checks.csv", _csv([["이름", "비고"], ["김", ""]], "utf-8")
    )
    assert response.status_code == 422
    page = html.unescape(response.content.decode())
    assert "추첨 번호 또는 등록번호 열이 있어야 합니다" in page
    assert "'참가 의사' 열이 있어야 합니다" in page


def test_the_check_sheet_is_for_editors_and_audited_with_its_rows(client_for, personas, drawn):
    from panmun.accounts.models import AuditEntry

    before = AuditEntry.objects.count()
    assert client_for("viewer").get(f"/reunion/{drawn.pk}/checks/template.xlsx").status_code == 403
    assert AuditEntry.objects.count() == before
    assert (
        client_for("redcross_s").get(f"/reunion/{drawn.pk}/checks/template.csv").status_code == 200
    )
    entry = AuditEntry.objects.get(action="reunion.list.export")
    assert entry.actor == personas["redcross_s"]
    assert entry.changes == {"as": "checks.csv", "rows": 55}


def test_the_csv_template_writes_a_formula_as_text(client_for, drawn):
    candidate = Candidate.objects.filter(round=drawn, drawn=True).order_by("pk").first()
    assert candidate is not None
    candidate.check_note = '=HYPERLINK("http://evil")'
    candidate.save(update_fields=["check_note"])
    data = client_for("redcross_s").get(f"/reunion/{drawn.pk}/checks/template.csv").content
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text and "\n=" not in text
    rows = read_table(data, filename="t.csv")  # reading takes the quote away again
    assert any('=HYPERLINK("http://evil")' in "".join(row) for row in rows)
