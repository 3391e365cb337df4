"""Korea's date, not the server's: before 09:00 in Seoul a UTC server is still on yesterday."""

from __future__ import annotations

import datetime as dt

import pytest

from panmun.families import registry_file
from panmun.korean import dates

# 23:30 UTC on 6 December is 08:30 on 7 December in Seoul.
LATE_UTC = dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC)


def test_korea_today_is_seouls_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "_now", lambda: LATE_UTC)
    assert dates.korea_today() == dt.date(2026, 12, 7)
    monkeypatch.setattr(dates, "_now", lambda: LATE_UTC - dt.timedelta(hours=9))
    assert dates.korea_today() == dt.date(2026, 12, 6)


def test_a_registry_file_dated_this_morning_in_seoul_is_not_in_the_future(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An applicant registered at 08:30 in Seoul, with today's date, read by a server whose
    clock (UTC) still says yesterday: accepted, not "in the future"."""
    monkeypatch.setattr(dates, "_now", lambda: LATE_UTC)
    text = (
        "registry_no,applicant_family_name,applicant_given_name,applicant_birth_date,"
        "applicant_status,registered_on\n"
        "R-1,김,순자,1931-04-02,alive,2026-12-07\n"
    )
    try:
        applicants = registry_file.read_registry(text.encode(), filename="r.csv")
    except registry_file.RegistryFileError as err:  # pragma: no cover - the failure's words
        pytest.fail("; ".join(p.reason_en for p in err.problems))
    assert len(applicants) == 1
    monkeypatch.setattr(dates, "_now", lambda: LATE_UTC - dt.timedelta(hours=9))
    with pytest.raises(registry_file.RegistryFileError) as refused:
        registry_file.read_registry(text.encode(), filename="r.csv")
    assert "in the future" in refused.value.problems[0].reason_en
