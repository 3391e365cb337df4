"""Fixtures the families tests share."""

import pytest

from ..models import DnaSample
from ..services import registry
from .factories import applicant, relative


@pytest.fixture
def pair(personas):
    """The same applicant registered twice (South and North spelling), and other people."""
    officer = personas["redcross_s"]
    first = applicant(
        officer,
        family_name="이",
        given_name="영철",
        birth_date="1931-02-11",
        hometown="함경남도 북청",
        father_name="이병규",
    )
    second = applicant(
        officer,
        family_name="리",
        given_name="영철",
        birth_date="1931-02-11",
        hometown="함경남도 북청군",
        father_name="리병규",
        phone="010-1234-5678",
        address="",
    )
    relative(officer, first, given_name="영희", relation="sibling")
    relative(officer, second, family_name="이", given_name="영수", relation="sibling")
    registry.dna_sample_add(
        actor=officer,
        sample=DnaSample(person=second, sample_id="DNA-1", taken_on="2016-05-01", kind="buccal"),
    )
    for family, given, born in [
        ("김", "순자", "1940"),
        ("박", "정희", "1936-04-04"),
        ("최", "민수", "1929"),
        ("정", "옥자", "1933-09-09"),
        ("한", "동수", "1945"),
        ("윤", "미자", "1938"),
    ]:
        applicant(officer, family_name=family, given_name=given, birth_date=born)
    return officer, first, second
