"""The whole complex's month as a job (the committee's) and from the command line."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from panmun.common.errors import DomainError, ErrorCode
from panmun.jobs.models import JobState
from panmun.jobs.services import job_start

from ..models import PayrollMonth
from .factories import make_firm, persona_firm
from .payroll_world import add_workers


@pytest.fixture
def firms(personas):
    add_workers(persona_firm(personas), 3)
    add_workers(make_firm("둘째기업(주)"), 2, start=10)


@pytest.mark.django_db
def test_the_month_as_a_job(personas, firms, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            actor=personas["gic"], kind="complex.payroll_month", params={"month": "2015-09"}
        )
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.result == {
        "month": "2015-09",
        "computed": 2,
        "skipped": 0,
        "workers": 5,
        "total_usd": str(Decimal("84.951") * 5),
    }
    assert job.progress_total == 2 and job.percent == 100


@pytest.mark.parametrize("who", ["firm", "ministry", "bureau", "viewer"])
@pytest.mark.django_db
def test_only_the_committee_starts_it(personas, who) -> None:
    with pytest.raises(DomainError) as refused:
        job_start(actor=personas[who], kind="complex.payroll_month", params={"month": "2015-09"})
    assert refused.value.code == ErrorCode.PERMISSION_DENIED


@pytest.mark.parametrize(
    "params", [{}, {"month": "2015-13"}, {"month": 201509}, {"month": "2015-09", "x": 1}]
)
@pytest.mark.django_db
def test_its_parameters_are_checked(personas, params) -> None:
    with pytest.raises(DomainError) as refused:
        job_start(actor=personas["gic"], kind="complex.payroll_month", params=params)
    assert refused.value.code == ErrorCode.INVALID_INPUT


@pytest.mark.django_db
def test_the_command_line(personas, firms) -> None:
    out = io.StringIO()
    call_command("complex", "payroll", "--month", "2015-09", "--user", "firm", stdout=out)
    assert "1 payrolls computed" in out.getvalue() and "3 workers" in out.getvalue()
    call_command("complex", "payroll", "--month", "2015-09", "--user", "gic", stdout=out)
    assert PayrollMonth.objects.count() == 2
    for args in (
        ["--month", "2015-9", "--user", "gic"],
        ["--month", "2015-09", "--user", "nobody"],
    ):
        with pytest.raises(CommandError):
            call_command("complex", "payroll", *args, stdout=out)
    with pytest.raises(CommandError, match="No wage rule"):
        call_command("complex", "payroll", "--month", "2001-01", "--user", "gic", stdout=out)


@pytest.mark.django_db
def test_a_month_past_2099_is_refused_by_the_service(personas, firms) -> None:
    with pytest.raises(CommandError, match="2000–2099"):
        call_command(
            "complex", "payroll", "--month", "2100-01", "--user", "gic", stdout=io.StringIO()
        )
    assert not PayrollMonth.objects.exists()
