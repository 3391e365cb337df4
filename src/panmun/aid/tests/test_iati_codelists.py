"""IATI 2.03's codelists as IATI publishes them (`../shared/data/iati/codelists`, never copied
here): read whole, and asked whether a code may be used when Panmun writes a file and when it
reads another publisher's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from panmun.tests.shared_data import SHARED

from ..iati.codelists import CodelistError, read_codelist, read_codelists

FOLDER = SHARED / "data" / "iati" / "codelists"


@pytest.fixture(scope="module")
def lists():
    if not FOLDER.is_dir():
        pytest.skip(f"{FOLDER} is absent: ../shared/ is not beside this checkout")
    return read_codelists(FOLDER)


def test_the_lists_the_aid_ledger_needs_are_read(lists):
    for name in (
        "TransactionType",
        "ActivityStatus",
        "OrganisationRole",
        "Sector",
        "SectorVocabulary",
        "Currency",
        "Country",
        "AidType",
        "OrganisationType",
        "FlowType",
        "FinanceType",
        "HumanitarianScopeType",
    ):
        assert name in lists, name
    assert [str(n) for n in range(1, 14)] == sorted(
        lists["TransactionType"].active_codes(), key=int
    )
    assert lists["ActivityStatus"].active_codes() == ["1", "2", "3", "4", "5", "6"]
    assert lists["TransactionType"].embedded and not lists["Sector"].embedded
    for code in ("52010", "72040", "12240", "31150"):  # the aid to the North's sectors
        assert code in lists["Sector"]
    assert {"KR", "KP"} <= set(lists["Country"].active_codes())
    assert {"KRW", "KPW", "USD"} <= set(lists["Currency"].active_codes())
    assert lists["Sector"].codes["52010"].name == "Food assistance"


def test_an_unknown_code_is_named_where_it_was_found(lists):
    problem = lists["Sector"].problem("99999", writing=True, file="a.xml", row=3, field="sector")
    assert problem is not None and problem.code == "iati_code_unknown"
    assert (problem.file, problem.row, problem.field) == ("a.xml", 3, "sector")
    assert "Sector" in problem.en and "Sector" in problem.ko
    assert lists["Sector"].problem("52010", writing=True) is None


def test_a_withdrawn_code_is_never_written(lists):
    byr = lists["Currency"].codes["BYR"]  # Belarussian rouble, withdrawn on 2018-08-08
    assert not byr.active and byr.withdrawn_on == dt.date(2018, 8, 8)
    problem = lists["Currency"].problem("BYR", writing=True, on=dt.date(2010, 1, 1))
    assert problem is not None and problem.code == "iati_code_withdrawn"


def test_another_publishers_old_file_may_use_a_code_withdrawn_since(lists):
    currency = lists["Currency"]
    assert currency.problem("BYR", writing=False, on=dt.date(2015, 6, 30)) is None
    late = currency.problem("BYR", writing=False, on=dt.date(2019, 1, 1))
    assert late is not None and "2018-08-08" in late.en and "2019-01-01" in late.ko
    # not dated by the file: taken as of now, so refused
    assert currency.problem("BYR", writing=False) is not None


def test_a_code_withdrawn_without_a_date_is_read_but_not_written(lists):
    undated = [
        (codelist, code)
        for codelist in lists.values()
        for code in codelist.codes.values()
        if not code.active and code.withdrawn_on is None
    ]
    assert undated, "IATI's lists hold codes withdrawn without a date"
    codelist, code = undated[0]
    assert codelist.problem(code.code, writing=False) is None
    assert codelist.problem(code.code, writing=True) is not None


def test_a_file_that_is_not_a_codelist_is_refused_naming_it(tmp_path: Path):
    for name, text in (
        ("broken.xml", "<codelist name='X'><codelist-items>"),
        ("other.xml", "<iati-activities version='2.03'/>"),
        ("dated.xml", "<codelist name='X'><codelist-items><codelist-item status='withdrawn' "
                      "withdrawal-date='2018-13-01'><code>A</code></codelist-item>"
                      "</codelist-items></codelist>"),
    ):  # fmt: skip
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(CodelistError) as info:
            read_codelist(path)
        assert info.value.problems[0].file == name
    with pytest.raises(CodelistError):
        read_codelists(tmp_path / "nothing-here")


def test_an_entity_in_a_codelist_is_not_expanded(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    path = tmp_path / "evil.xml"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<codelist name='Evil'><codelist-items><codelist-item><code>&x;</code>"
        "</codelist-item></codelist-items></codelist>",
        encoding="utf-8",
    )
    codelist = read_codelist(path)
    assert "SECRET" not in "".join(codelist.codes)
