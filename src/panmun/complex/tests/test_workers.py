"""The workers' services: a roster file read all or nothing (new numbers added, numbers on the
roster updated, leavings recorded), a worker added and a leaving recorded, each refusal writing
nothing; the roster written out in Korean reads back; a search finds a name in either
orthography."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError

from ..models import Worker
from ..roster import EXPORT_HEADER, name_key
from ..selectors_workers import roster_counts, search_workers
from ..services.workers import roster_export, roster_import, worker_add, worker_leave
from .factories import firm_organisation, make_firm, persona_firm
from .roster_files import BAD, GOOD, xlsx


@pytest.fixture
def firm(personas):
    return persona_firm(personas)


def state():
    return (
        list(Worker.objects.order_by("pk").values_list("number", "name", "left_on")),
        AuditEntry.objects.count(),
    )


def add(actor, firm, number="1", name="리영철", **facts):
    return worker_add(
        actor=actor,
        firm=firm,
        number=number,
        name=name,
        sex=facts.pop("sex", "M"),
        birth_year=facts.pop("birth_year", 1975),
        hired_on=facts.pop("hired_on", dt.date(2010, 3, 2)),
        **facts,
    )


def test_a_roster_is_read_into_the_firms_roster(personas, firm):
    done = roster_import(actor=personas["firm"], firm=firm, data=xlsx(GOOD), file="명단.xlsx")
    assert (done.rows, done.added, done.updated, done.unchanged, done.left) == (3, 3, 0, 0, 1)
    workers = list(Worker.objects.filter(firm=firm).order_by("number"))
    assert [(w.number, w.name, w.sex, w.birth_year) for w in workers] == [
        ("1001", "리영철", "M", 1975),
        ("1002", "림순희", "F", 1988),
        ("1003", "로은정", "F", 1990),
    ]
    assert workers[0].name_key == "I YONGJOL" and workers[2].left_on == dt.date(2015, 6, 30)
    entry = AuditEntry.objects.get(action="complex.roster.import")
    assert entry.changes == {"file": "명단.xlsx", "rows": 3, "added": 3, "updated": 0, "left": 1}


def test_a_second_roster_updates_the_numbers_on_it(personas, firm):
    roster_import(actor=personas["firm"], firm=firm, data=xlsx(GOOD), file="a.xlsx")
    second = [
        ["1001", "리영철", "남", "1975", "재단공", "2010-03-02", ""],  # job changed
        ["1002", "림순희", "녀", "1988", "재봉공", "2012-05-01", "2016-01-05"],  # left
        ["1003", "로은정", "녀", "1990", "검사공", "2014-09-15", ""],  # as before
        ["1004", "김은별", "녀", "1995", "재봉공", "2015-07-01", ""],  # new
    ]
    done = roster_import(actor=personas["gic"], firm=firm, data=xlsx(second), file="b.xlsx")
    assert (done.rows, done.added, done.updated, done.unchanged, done.left) == (4, 1, 2, 1, 1)
    by_number = {w.number: w for w in Worker.objects.filter(firm=firm)}
    assert by_number["1001"].job == "재단공"
    assert by_number["1002"].left_on == dt.date(2016, 1, 5)
    assert by_number["1003"].left_on == dt.date(2015, 6, 30)  # an empty date undoes none
    assert len(by_number) == 4


def test_acceptance_3_a_bad_roster_names_every_problem_and_writes_nothing(personas, firm):
    add(personas["firm"], firm, number="9")
    before = state()
    with pytest.raises(DomainError) as refused:
        roster_import(actor=personas["firm"], firm=firm, data=xlsx(BAD), file="명단.xlsx")
    err = refused.value
    assert err.status == 422 and err.code == "invalid_input"
    assert err.message_en == "The roster was not read; nothing was saved."
    problems = [(p["file"], p["row"], p["field"]) for p in err.details["errors"]]
    assert problems == [
        ("명단.xlsx", 3, "name"),
        ("명단.xlsx", 3, "sex"),
        ("명단.xlsx", 4, "number"),
        ("명단.xlsx", 5, "hired_on"),
    ]
    assert err.details["errors"][2]["reason_ko"] == "2행에도 같은 근로자 번호가 있습니다: 1001"
    assert err.details["problems"] == 4
    assert state() == before


def test_a_hiring_after_a_recorded_leaving_is_refused(personas, firm):
    worker = add(personas["firm"], firm, number="1001")
    worker_leave(actor=personas["firm"], worker=worker, left_on=dt.date(2011, 1, 1))
    before = state()
    with pytest.raises(DomainError) as refused:
        later = [["1001", "리영철", "남", "1975", "", "2012-03-02", ""]]
        roster_import(actor=personas["firm"], firm=firm, data=xlsx(later), file="r.xlsx")
    assert [(p["row"], p["field"]) for p in refused.value.details["errors"]] == [(2, "hired_on")]
    assert state() == before


def test_who_keeps_a_roster(personas, firm):
    other = make_firm("다른기업(주)", organisation=firm_organisation("다른기업(주)"))
    before = state()
    for who in ("ministry", "viewer", "bureau", "aid"):
        with pytest.raises(DomainError) as refused:
            roster_import(actor=personas[who], firm=firm, data=xlsx(GOOD), file="r.xlsx")
        assert refused.value.status == 403
    with pytest.raises(DomainError) as refused:
        roster_import(actor=personas["firm"], firm=other, data=xlsx(GOOD), file="r.xlsx")
    assert refused.value.status == 403
    assert state() == before


def test_a_worker_added_and_leaving(personas, firm):
    worker = add(personas["firm"], firm, number=" 77 ", name=" 류 명길 ", job="재봉공",
                 base_wage_usd=Decimal("80.5"))  # fmt: skip
    assert (worker.number, worker.name, worker.name_key) == ("77", "류 명길", name_key("유명길"))
    assert worker.base_wage_usd == Decimal("80.500")
    before = state()
    with pytest.raises(DomainError) as refused:
        add(personas["firm"], firm, number="77", name="", sex="X", birth_year=2009,
            hired_on=dt.date(2040, 1, 1))  # fmt: skip
    assert [p["field"] for p in refused.value.details["errors"]] == [
        "name", "sex", "hired_on", "number"
    ]  # fmt: skip
    with pytest.raises(DomainError) as refused:
        worker_leave(actor=personas["firm"], worker=worker, left_on=dt.date(2009, 1, 1))
    assert refused.value.details["errors"][0]["field"] == "left_on"
    assert state() == before
    worker_leave(actor=personas["gic"], worker=worker, left_on=dt.date(2015, 1, 1))
    worker.refresh_from_db()
    assert worker.left_on == dt.date(2015, 1, 1)
    before = state()
    with pytest.raises(DomainError) as refused:
        worker_leave(actor=personas["firm"], worker=worker, left_on=dt.date(2016, 1, 1))
    assert refused.value.status == 409
    assert state() == before


def test_the_export_is_in_korean_and_reads_back(personas, firm):
    roster_import(actor=personas["firm"], firm=firm, data=xlsx(GOOD), file="a.xlsx")
    data = roster_export(Worker.objects.filter(firm=firm))
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert tuple(rows[0]) == EXPORT_HEADER
    assert rows[1] == ["1001", "리영철", "남", "1975", "재봉공", "2010-03-02", None, None]
    assert rows[3][5:7] == ["2014-09-15", "2015-06-30"]
    again = roster_import(actor=personas["firm"], firm=firm, data=data, file="back.xlsx")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)


def test_a_name_is_found_in_either_orthography(personas, firm):
    roster_import(actor=personas["firm"], firm=firm, data=xlsx(GOOD), file="a.xlsx")
    workers = Worker.objects.filter(firm=firm)

    def found(text, status=""):
        return sorted(search_workers(workers, text, status).values_list("number", flat=True))

    assert found("이영철") == found("리영철") == found("Ri Yong Chol") == ["1001"]
    assert found("임순희") == ["1002"]
    assert found("노은정") == ["1003"]
    assert found("영철") == ["1001"]
    assert found("림") == ["1002"]
    assert found("100") == ["1001", "1002", "1003"]
    assert found("1002") == ["1002"]
    assert found("", "left") == ["1003"]
    assert found("", "on_roster") == ["1001", "1002"]
    assert found("박") == []
    assert roster_counts(workers) == {"total": 3, "on_roster": 2, "left": 1}


def test_a_number_taken_meanwhile_is_refused_not_a_server_error(personas, firm, monkeypatch):
    from ..services import workers as services

    real_insert = services._insert

    def another_import_first(target, rows):
        Worker.objects.create(firm=target, number=rows[0].number, name="김철", sex="M",
                              birth_year=1980, hired_on=dt.date(2010, 1, 1))  # fmt: skip
        real_insert(target, rows)

    monkeypatch.setattr(services, "_insert", another_import_first)
    before = state()
    with pytest.raises(DomainError) as refused:
        roster_import(actor=personas["firm"], firm=firm, data=xlsx(GOOD), file="r.xlsx")
    assert refused.value.status == 409
    assert state() == before

    def added_meanwhile(worker, *args, **kwargs):
        Worker.objects.create(firm=worker.firm, number=worker.number, name="김철", sex="M",
                              birth_year=1980, hired_on=dt.date(2010, 1, 1))  # fmt: skip

    monkeypatch.setattr(Worker, "full_clean", added_meanwhile)
    with pytest.raises(DomainError) as refused:
        add(personas["firm"], firm, number="55")
    assert refused.value.status == 422
    assert refused.value.details["errors"][0]["field"] == "number"
