"""Stays: registration, extension, residence and fees through the services; the gate flags of
overdue stays; the daily reminders job and the work queue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError, ErrorCode
from panmun.jobs.models import JobState
from panmun.jobs.services import job_start

from ..models import FlagSource, GateFlag, Stay, StayRegistration, StayReminder
from ..services import stay as service
from ..work_stay import work_queue
from .stay_world import arrive, at, other_firm

pytestmark = pytest.mark.django_db


def refused(call, code=ErrorCode.INVALID_INPUT) -> DomainError:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code
    return caught.value


def test_the_key_is_the_normalised_document_number(personas) -> None:
    stay = arrive(personas, number=" m 1234-5678 ")
    assert stay.key == "M12345678"
    # The same person arriving again while the stay is open: the same stay.
    assert arrive(personas, number="M12345678").pk == stay.pk


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"number": "??"}, "document_number"),
        ({"number": ""}, "document_number"),
        ({"name": ""}, "name"),
        ({"planned_departure": dt.date(2010, 3, 4)}, "planned_departure"),
        ({"planned_departure": dt.date(2100, 1, 1)}, "planned_departure"),
    ],
)
def test_an_arrival_is_checked(personas, changes, field) -> None:
    err = refused(lambda: arrive(personas, **changes))
    assert err.details["field"] == field
    assert not Stay.objects.exists()


def test_register_a_short_stay_with_its_fee(personas) -> None:
    stay = arrive(personas)
    reg = service.stay_register(
        actor=personas["gic"],
        stay=stay,
        valid_until=dt.date(2010, 6, 2),  # the 90th day
        requested_on=dt.date(2010, 3, 6),
    )
    stay.refresh_from_db()
    assert (reg.stay_class, reg.fee_usd, stay.stay_class, stay.expires_on) == (
        "short",
        Decimal("35.00"),
        "short",
        dt.date(2010, 6, 2),
    )
    assert AuditEntry.objects.filter(action="complex.stay.registration").count() == 1


def test_the_91st_day_is_a_long_stay(personas) -> None:
    stay = arrive(personas)
    reg = service.stay_register(
        actor=personas["gic"],
        stay=stay,
        valid_until=dt.date(2010, 6, 3),
        requested_on=dt.date(2010, 3, 6),
    )
    assert (reg.stay_class, reg.fee_usd) == ("long", Decimal("100.00"))


def test_no_fee_is_known_before_april_2008(personas) -> None:
    stay = arrive(personas, arrived_at=at(2007, 5, 1, 9))
    reg = service.stay_register(
        actor=personas["gic"],
        stay=stay,
        valid_until=dt.date(2007, 6, 1),
        requested_on=dt.date(2007, 5, 2),
    )
    assert reg.fee_usd is None


def test_registration_beyond_a_year_is_residence(personas) -> None:
    stay = arrive(personas)
    err = refused(
        lambda: service.stay_register(
            actor=personas["gic"],
            stay=stay,
            valid_until=dt.date(2011, 3, 6),
            requested_on=dt.date(2010, 3, 6),
        )
    )
    assert err.details["rule"] == "stay.residence_over_a_year"
    assert not StayRegistration.objects.exists()
    reg = service.stay_residence_register(
        actor=personas["gic"],
        stay=stay,
        valid_until=dt.date(2011, 3, 6),
        requested_on=dt.date(2010, 3, 6),
    )
    assert (reg.stay_class, reg.fee_usd) == ("residence", Decimal("200.00"))


def test_residence_is_for_beyond_a_year(personas) -> None:
    stay = arrive(personas)
    err = refused(
        lambda: service.stay_residence_register(
            actor=personas["gic"],
            stay=stay,
            valid_until=dt.date(2011, 3, 5),
            requested_on=dt.date(2010, 3, 6),
        )
    )
    assert err.details["rule"] == "stay.residence_over_a_year"


def _registered(personas, until=dt.date(2010, 5, 10)) -> Stay:  # type: ignore[no-untyped-def]
    stay = arrive(personas)
    service.stay_register(
        actor=personas["gic"], stay=stay, valid_until=until, requested_on=dt.date(2010, 3, 6)
    )
    stay.refresh_from_db()
    return stay


def test_an_extension_3_days_before_expiry(personas) -> None:
    stay = _registered(personas)
    reg = service.stay_extend(
        actor=personas["gic"],
        stay=stay,
        valid_until=dt.date(2010, 8, 1),
        requested_on=dt.date(2010, 5, 7),
    )
    assert (reg.step, reg.stay_class) == ("extension", "long")


def test_an_extension_2_days_before_expiry_is_refused_naming_the_rule(personas) -> None:
    stay = _registered(personas)
    err = refused(
        lambda: service.stay_extend(
            actor=personas["gic"],
            stay=stay,
            valid_until=dt.date(2010, 8, 1),
            requested_on=dt.date(2010, 5, 8),
        )
    )
    assert err.details == {
        "field": "requested_on",
        "rule": "stay.extension_3_days",
        "last_day": "2010-05-07",
    }
    assert "3 days before expiry" in err.message_en
    assert StayRegistration.objects.filter(step="extension").count() == 0
    stay.refresh_from_db()
    assert stay.expires_on == dt.date(2010, 5, 10)


def test_an_extension_must_go_beyond_the_expiry(personas) -> None:
    stay = _registered(personas)
    err = refused(
        lambda: service.stay_extend(
            actor=personas["gic"],
            stay=stay,
            valid_until=dt.date(2010, 5, 10),
            requested_on=dt.date(2010, 5, 1),
        )
    )
    assert err.details["field"] == "valid_until"


def test_an_unregistered_stay_is_not_extended(personas) -> None:
    stay = arrive(personas)
    refused(
        lambda: service.stay_extend(
            actor=personas["gic"],
            stay=stay,
            valid_until=dt.date(2010, 8, 1),
            requested_on=dt.date(2010, 3, 6),
        ),
        ErrorCode.INVALID_TRANSITION,
    )


@pytest.mark.parametrize("who", ["firm", "ministry", "gate", "bureau"])
def test_only_the_committee_registers(personas, who) -> None:
    stay = arrive(personas)
    refused(
        lambda: service.stay_register(
            actor=personas[who],
            stay=stay,
            valid_until=dt.date(2010, 5, 1),
            requested_on=dt.date(2010, 3, 6),
        ),
        ErrorCode.PERMISSION_DENIED,
    )
    assert not StayRegistration.objects.exists()


def test_a_firm_files_arrivals_for_its_own_people_only(personas) -> None:
    mine = arrive(personas)
    assert mine.firm is not None
    own = service.stay_arrive(
        actor=personas["firm"],
        document_number="M2",
        name="이직원",
        arrived_at=at(2010, 3, 5, 9),
        firm=mine.firm,
    )
    assert own.firm_id == mine.firm_id
    refused(
        lambda: service.stay_arrive(
            actor=personas["firm"],
            document_number="M3",
            name="남의직원",
            arrived_at=at(2010, 3, 5, 9),
            firm=other_firm(),
        ),
        ErrorCode.PERMISSION_DENIED,
    )


def test_the_fee_recorded_once(personas) -> None:
    stay = _registered(personas)
    reg = stay.registrations.get()
    err = refused(
        lambda: service.stay_fee_record(
            actor=personas["gic"], registration=reg, paid_on=dt.date(2010, 3, 6), receipt=""
        )
    )
    assert err.details["field"] == "receipt"
    service.stay_fee_record(
        actor=personas["gic"], registration=reg, paid_on=dt.date(2010, 3, 6), receipt="R-1"
    )
    refused(
        lambda: service.stay_fee_record(
            actor=personas["gic"], registration=reg, paid_on=dt.date(2010, 3, 7), receipt="R-2"
        ),
        ErrorCode.INVALID_TRANSITION,
    )
    reg.refresh_from_db()
    assert (reg.fee_paid_on, reg.fee_receipt) == (dt.date(2010, 3, 6), "R-1")


# --- flags at the gate ---------------------------------------------------------------------


def _open_flags() -> list[GateFlag]:
    return list(GateFlag.objects.filter(source=FlagSource.STAY, lifted_at__isnull=True))


def test_an_overdue_stay_is_flagged_and_the_flag_lifted_when_registered(personas) -> None:
    arrived = timezone.now() - dt.timedelta(hours=50)
    stay = arrive(personas, arrived_at=arrived)
    within = arrived + dt.timedelta(hours=48)  # exactly 48 hours
    assert service.stay_flags_sync(at=within).raised == 0
    late = within + dt.timedelta(minutes=1)
    assert service.stay_flags_sync(at=late).raised == 1
    [flag] = _open_flags()
    assert (flag.key, flag.subject, flag.raised_by) == ("M12345678", "person", None)
    assert "stay desk" in flag.instructions and "48 hours" in flag.reason
    assert service.stay_flags_sync(at=late).raised == 0  # once
    service.stay_register(
        actor=personas["gic"], stay=stay, valid_until=timezone.localdate() + dt.timedelta(days=30)
    )
    assert _open_flags() == []
    flag.refresh_from_db()
    assert flag.lifted_by == personas["gic"]


def test_an_expired_stay_is_flagged_and_lifted_when_extended(personas) -> None:
    today = timezone.localdate()
    arrived = timezone.now() - dt.timedelta(days=40)
    stay = arrive(personas, arrived_at=arrived)
    service.stay_register(
        actor=personas["gic"],
        stay=stay,
        valid_until=today - dt.timedelta(days=1),
        requested_on=timezone.localdate(arrived),
    )
    assert service.stay_flags_sync().raised == 1
    stay.refresh_from_db()
    # Asked today: too late, refused, the flag stays.
    refused(
        lambda: service.stay_extend(
            actor=personas["gic"], stay=stay, valid_until=today + dt.timedelta(days=30)
        )
    )
    assert len(_open_flags()) == 1
    # Asked in time on paper, recorded now: extended, the flag lifted.
    service.stay_extend(
        actor=personas["gic"],
        stay=stay,
        valid_until=today + dt.timedelta(days=30),
        requested_on=today - dt.timedelta(days=5),
    )
    assert _open_flags() == []
    assert service.stay_flags_sync().raised == 0


def test_a_departure_lifts_the_flag(personas) -> None:
    stay = arrive(personas)
    service.stay_flags_sync(at=at(2010, 3, 8, 9))
    service.stay_depart(actor=personas["gic"], stay=stay, departed_at=at(2010, 3, 9, 17))
    assert _open_flags() == []


# --- reminders ------------------------------------------------------------------------------


def test_the_reminders_list_deadlines_within_n_days(personas) -> None:
    soon = _registered(personas, until=dt.date(2010, 5, 10))
    later = service.stay_arrive(
        actor=personas["gic"],
        document_number="M9",
        name="박나중",
        arrived_at=at(2010, 3, 5, 9),
        firm=soon.firm,
    )
    service.stay_register(
        actor=personas["gic"],
        stay=later,
        valid_until=dt.date(2010, 6, 1),
        requested_on=dt.date(2010, 3, 6),
    )
    run = service.stay_reminders_list(days=7, at=at(2010, 5, 1, 6))
    # M12345678 must ask by 7 May (within 7 days); M9 by 29 May (not yet).
    assert (run.listed, run.overdue) == (1, 0)
    [reminder] = StayReminder.objects.all()
    assert (reminder.stay_id, reminder.kind, reminder.due_on) == (
        soon.pk,
        "extension",
        dt.date(2010, 5, 7),
    )
    # Run again the next day: listed once.
    assert service.stay_reminders_list(days=7, at=at(2010, 5, 2, 6)).listed == 0


def test_the_reminders_job_and_the_work_queue(
    personas, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    stay = arrive(personas, arrived_at=timezone.now() - dt.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=personas["gic"], kind="complex.stay_reminders", params={"days": 7})
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.result == {
        "days": 7,
        "listed": 1,
        "overdue": 1,
        "flags_raised": 1,
        "flags_lifted": 0,
    }
    for who in ("gic", "firm"):
        [task] = work_queue(personas[who])
        assert (task.key, task.count) == ("complex-stays-overdue", 1)
    assert work_queue(personas["ministry"]) == []
    service.stay_register(
        actor=personas["gic"], stay=stay, valid_until=timezone.localdate() + dt.timedelta(days=30)
    )
    assert work_queue(personas["gic"]) == []
    assert _open_flags() == []


@pytest.mark.parametrize("params", [{"days": -1}, {"days": "7"}, {"days": 61}, {"x": 1}])
def test_the_reminders_job_checks_its_parameters(personas, params) -> None:
    refused(lambda: job_start(actor=personas["gic"], kind="complex.stay_reminders", params=params))


def test_only_the_committee_starts_the_reminders(personas) -> None:
    refused(
        lambda: job_start(actor=personas["firm"], kind="complex.stay_reminders", params={}),
        ErrorCode.PERMISSION_DENIED,
    )


def test_the_gate_opens_and_closes_a_stay(personas) -> None:
    from .factories import persona_firm

    firm = persona_firm(personas)
    out = at(2010, 3, 5, 9)
    stay = service.stay_gate_passed(
        officer=personas["gate"],
        key="m-1",
        name="정출입",
        direction="out",
        occurred_at=out,
        firm=firm,
    )
    assert stay is not None and (stay.key, stay.arrived_at) == ("M1", out)
    again = service.stay_gate_passed(
        officer=personas["gate"],
        key="M1",
        name="정출입",
        direction="out",
        occurred_at=at(2010, 3, 6, 9),
        firm=firm,
    )
    assert again is not None and again.pk == stay.pk
    service.stay_flags_sync(at=at(2010, 3, 8, 9))
    assert len(_open_flags()) == 1
    reminder = StayReminder.objects.create(
        stay=stay,
        kind="register",
        due_on=dt.date(2010, 3, 7),
        overdue=True,
        listed_on=dt.date(2010, 3, 8),
    )
    closed = service.stay_gate_passed(
        officer=personas["gate"],
        key="M1",
        name="정출입",
        direction="in",
        occurred_at=at(2010, 3, 9, 17),
    )
    assert closed is not None and closed.departed_at == at(2010, 3, 9, 17)
    assert _open_flags() == []
    reminder.refresh_from_db()
    assert reminder.done_at is not None  # the stay has ended: its reminders are done
    # A check-in with no stay open changes nothing.
    service.stay_gate_passed(
        officer=personas["gate"],
        key="M1",
        name="정출입",
        direction="in",
        occurred_at=at(2010, 3, 10, 17),
    )
    assert Stay.objects.get(key="M1").departed_at == at(2010, 3, 9, 17)


def test_the_reminders_from_the_command_line(personas) -> None:
    import io

    from django.core.management import CommandError, call_command

    arrive(personas, arrived_at=timezone.now() - dt.timedelta(days=3))
    out = io.StringIO()
    call_command("complex", "stay-reminders", "--days", "7", stdout=out)
    assert "1 deadlines listed (1 overdue); flags raised 1" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("complex", "stay-reminders", "--days", "61", stdout=out)


def test_an_arrival_is_linked_to_the_visit_approval_in_force(personas) -> None:
    from .stay_world import gaeseong_visit

    visit = gaeseong_visit(personas)
    start, end = visit.application.start_date, visit.application.end_date
    arrived = dt.datetime.combine(start, dt.time(10), tzinfo=timezone.get_current_timezone())
    stay = arrive(personas, number="M1234-5678", arrived_at=arrived)
    assert stay.approval_id == visit.pk
    assert stay.traveller is not None and stay.traveller.document_number == "M12345678"
    assert stay.planned_departure == end
    # A day outside the visit: no link.
    outside = arrive(personas, number="M87654321", arrived_at=arrived + dt.timedelta(days=30))
    assert (outside.approval_id, outside.traveller_id, outside.planned_departure) == (
        None,
        None,
        None,
    )


def test_a_firm_ends_only_its_own_peoples_stays(personas) -> None:
    unattached = service.stay_arrive(
        actor=personas["gic"], document_number="M5", name="소속없음", arrived_at=at(2010, 3, 5, 9)
    )
    refused(
        lambda: service.stay_depart(
            actor=personas["firm"], stay=unattached, departed_at=at(2010, 3, 6, 9)
        ),
        ErrorCode.PERMISSION_DENIED,
    )
    unattached.refresh_from_db()
    assert unattached.departed_at is None
