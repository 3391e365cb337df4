"""The crossing timetables: each period of domain.md looked up on its days, in the pure module
and in the tables the migration loads."""

from __future__ import annotations

import datetime as dt

import pytest

from .. import selectors_plans as sel
from .. import timetables as tt
from ..models import Slot, Timetable

KST = tt.SEOUL


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=KST)


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (dt.date(2007, 12, 12), None),
        (dt.date(2007, 12, 13), dt.date(2007, 12, 13)),
        (dt.date(2008, 11, 30), dt.date(2007, 12, 13)),
        (dt.date(2008, 12, 1), dt.date(2008, 12, 1)),
        (dt.date(2009, 8, 31), dt.date(2008, 12, 1)),
        (dt.date(2009, 9, 1), dt.date(2009, 9, 1)),
        (dt.date(2013, 3, 31), dt.date(2009, 9, 1)),
        (dt.date(2013, 4, 1), dt.date(2013, 4, 1)),
        (dt.date(2014, 1, 27), dt.date(2013, 4, 1)),
        (dt.date(2014, 1, 28), dt.date(2014, 1, 28)),
        (dt.date(2015, 8, 16), dt.date(2014, 1, 28)),
        (dt.date(2015, 8, 17), dt.date(2015, 8, 17)),
        (dt.date(2016, 2, 11), dt.date(2015, 8, 17)),
    ],
)
def test_the_period_in_force_on_a_day(day, start):
    period = tt.period_on(day)
    assert (period.effective_from if period else None) == start


def test_the_guarantee_hours_are_seven_to_ten_from_december_2007():
    assert not tt.within_guarantee(at(2007, 12, 12, 12))
    assert tt.within_guarantee(at(2007, 12, 13, 7))
    assert not tt.within_guarantee(at(2007, 12, 13, 6, 59))
    assert tt.within_guarantee(at(2010, 5, 1, 21, 59))
    assert not tt.within_guarantee(at(2010, 5, 1, 22))
    # A moment in UTC is read in Seoul time: 12:30 UTC is 21:30 in Seoul.
    assert tt.within_guarantee(dt.datetime(2010, 5, 1, 12, 30, tzinfo=dt.UTC))
    assert not tt.within_guarantee(dt.datetime(2010, 5, 1, 13, 30, tzinfo=dt.UTC))


def test_december_2008_three_slots_each_way_with_the_limits():
    period = tt.period_on(dt.date(2008, 12, 15))
    assert period is not None
    assert (period.people_per_slot, period.vehicles_per_slot, period.residents_max) == (
        250,
        150,
        880,
    )
    assert len(tt.slots_on(dt.date(2008, 12, 15), tt.OUT)) == 3
    assert len(tt.slots_on(dt.date(2008, 12, 15), tt.IN)) == 3
    assert "ASSUMED" in period.source


def test_september_2009_twelve_out_from_0830_eleven_in_from_1000_winter_last_out_1630():
    summer = dt.date(2010, 6, 1)
    out = tt.slots_on(summer, tt.OUT)
    back = tt.slots_on(summer, tt.IN)
    assert (len(out), out[0].opens_at) == (12, dt.time(8, 30))
    assert (len(back), back[0].opens_at) == (11, dt.time(10, 0))
    winter = tt.slots_on(dt.date(2010, 1, 15), tt.OUT)
    assert winter[-1].opens_at == dt.time(16, 30)
    assert len(tt.slots_on(dt.date(2010, 1, 15), tt.IN)) == 11


def test_april_2013_eleven_out_ten_in():
    day = dt.date(2013, 4, 1)
    assert len(tt.slots_on(day, tt.OUT)) == 11
    assert len(tt.slots_on(day, tt.IN)) == 10


def test_the_rfid_trial_any_time_on_the_booked_day():
    period = tt.period_on(dt.date(2014, 1, 28))
    assert period is not None and period.mode == tt.RFID
    assert tt.slot_at(at(2014, 6, 1, 7, 0), tt.OUT) is not None
    assert tt.slot_at(at(2014, 6, 1, 21, 59), tt.IN) is not None
    assert tt.slot_at(at(2014, 6, 1, 22, 0), tt.IN) is None


def test_from_august_2015_first_out_0900_last_in_1730():
    assert tt.slot_at(at(2015, 8, 17, 8, 59), tt.OUT) is None
    assert tt.slot_at(at(2015, 8, 17, 9, 0), tt.OUT) is not None
    assert tt.slot_at(at(2015, 8, 17, 17, 29), tt.IN) is not None
    assert tt.slot_at(at(2015, 8, 17, 17, 30), tt.IN) is None


def test_the_slot_a_moment_falls_in():
    slot = tt.slot_at(at(2010, 6, 1, 9, 45), tt.OUT)
    assert slot is not None and slot.opens_at == dt.time(9, 30)
    assert tt.slot_at(at(2010, 6, 1, 8, 29), tt.OUT) is None
    assert tt.slot_at(at(2008, 12, 15, 12, 0), tt.OUT) is None  # after the third out slot
    assert tt.slot_at(at(2008, 1, 15, 10, 0), tt.OUT) is None  # no slots on record


def test_every_assumption_is_said_in_the_source_and_fits_the_column():
    for period in tt.PERIODS:
        assert len(period.source) <= 300
        assert period.source.startswith("domain.md")
        if period.slots:
            assert "ASSUMED" in period.source


def test_subject_keys_ignore_spaces_hyphens_and_case():
    assert tt.subject_key(" m 1234-5678 ") == tt.subject_key("M12345678") == "M12345678"
    assert tt.subject_key("12가 3456") == "12가3456"


@pytest.mark.django_db
def test_the_tables_hold_the_periods_and_the_loader_adds_nothing_twice():
    assert Timetable.objects.count() == len(tt.PERIODS)
    assert Slot.objects.count() == sum(len(p.slots) for p in tt.PERIODS)
    assert tt.timetables_load(Timetable, Slot) == 0
    assert Timetable.objects.count() == len(tt.PERIODS)


@pytest.mark.django_db
def test_the_table_lookups_agree_with_the_module():
    for day in (
        dt.date(2008, 12, 15),
        dt.date(2010, 1, 15),
        dt.date(2010, 6, 1),
        dt.date(2013, 4, 1),
    ):
        for direction in (tt.OUT, tt.IN):
            assert [s.opens_at for s in sel.slots_on(day, direction)] == [
                s.opens_at for s in tt.slots_on(day, direction)
            ]
    table = sel.timetable_on(dt.date(2014, 3, 1))
    assert table is not None and table.mode == "rfid"
    slot = sel.slot_at(at(2010, 6, 1, 9, 45), tt.OUT)
    assert slot is not None and slot.opens_at == dt.time(9, 30)
    assert sel.within_guarantee(at(2010, 6, 1, 7, 0))
    assert not sel.within_guarantee(at(2010, 6, 1, 6, 0))
    assert sel.timetable_on(dt.date(2007, 1, 1)) is None
