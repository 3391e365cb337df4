"""The day plans: built from the approved crossing plans, bounded by the slots' limits, sent to
the North as a signed list, answered by its signed reply (here and from its own node), and the
change rules (3 hours before the slot closes; no change to a past day)."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
import time_machine

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError
from panmun.liaison.ledger import entries
from panmun.liaison.models import Entry, PublicKey
from panmun.liaison.services.sending import entry_send
from panmun.permits.models import Approval, Traveller

from .. import selectors_plans as sel
from .. import timetables as tt
from ..models import DayPlan, LineState, PlanLine, PlanState
from ..services import plans as svc
from ..services import plans_north as north
from .factories import persona_firm
from .plans_world import crossing_application, future_day

SLOT_DAY = dt.date(2010, 3, 2)  # the 2009 timetable, summer slots (out 08:30 … 19:30)
KST = tt.SEOUL


def verifies(entry: Entry) -> bool:
    """The entry's signature verifies with its side's published key."""
    key = PublicKey.objects.get(name=entry.key_name)
    return entries.verify_signature(json.loads(entry.leaf), base64.b64decode(key.public_key))


@pytest.fixture
def gate(personas):
    return personas["gate"]


def build(gate, day):
    return svc.dayplans_build(actor=gate, day=day)


def test_a_day_is_built_per_slot_from_the_approved_crossing_plans(personas, gate):
    firm = persona_firm(personas)
    a = crossing_application(personas["firm"], SLOT_DAY, slot=dt.time(9, 30), people=2)
    crossing_application(personas["firm"], SLOT_DAY, slot=dt.time(16, 0), direction="to_south")
    crossing_application(personas["firm"], SLOT_DAY, slot=dt.time(9, 30), approved=False)
    crossing_application(personas["firm"], SLOT_DAY + dt.timedelta(days=1))
    result = build(gate, SLOT_DAY)
    assert [svc.plan_label(p) for p in result.plans] == [
        "2010-03-02 out 09:30",
        "2010-03-02 in 16:00",
    ]
    out = result.plans[0]
    lines = list(out.lines.order_by("subject", "key"))
    assert [(line.subject, line.key, line.state) for line in lines] == [
        ("person", t.document_number.replace("-", ""), "planned")
        for t in a.travellers.order_by("document_number")
    ] + [("vehicle", a.vehicles.get().plate_number.replace(" ", ""), "planned")]
    assert {line.firm for line in lines} == {firm}
    assert {line.approval.kind for line in lines} == {"crossing"}
    assert lines[0].name == a.travellers.order_by("document_number")[0].name_ko
    assert result.added == 5 and result.skipped == []
    assert AuditEntry.objects.filter(action="complex.dayplan.build").count() == 1


def test_an_approval_for_a_slot_the_day_does_not_have_is_left_out_and_named(personas, gate):
    app = crossing_application(personas["firm"], SLOT_DAY, slot=dt.time(9, 0))
    result = build(gate, SLOT_DAY)
    assert result.plans == []
    assert result.skipped == [
        {
            "application": app.reference,
            "reason_ko": "그날 out 09:00 시간대가 없습니다.",
            "reason_en": "No out slot at 09:00 that day.",
        }
    ]


def test_building_again_changes_nothing_and_follows_a_revoked_approval(personas, gate):
    crossing_application(personas["firm"], SLOT_DAY)
    gone = crossing_application(personas["firm"], SLOT_DAY)
    first = build(gate, SLOT_DAY)
    again = build(gate, SLOT_DAY)
    assert (again.added, again.withdrawn) == (0, 0)
    assert PlanLine.objects.count() == first.added == 4
    Approval.objects.filter(application=gone).update(
        state="revoked", reasons_ko="취소", reasons_en="x"
    )
    later = build(gate, SLOT_DAY)
    assert later.withdrawn == 2
    # Never sent: the lines are simply removed.
    assert PlanLine.objects.count() == 2


def test_rfid_one_plan_per_day_and_direction_slot_empty(personas, gate):
    day = future_day()
    crossing_application(personas["firm"], day, slot=None)
    crossing_application(personas["firm"], day, slot=dt.time(13, 0), direction="to_south")
    result = build(gate, day)
    assert [(p.direction, p.slot) for p in result.plans] == [("out", None), ("in", None)]


def test_a_slot_over_its_limit_is_refused_naming_it_and_nothing_is_built(personas, gate):
    day = dt.date(2008, 12, 15)  # the 1 December 2008 measures: 250 people a slot
    crossing_application(personas["firm"], day, slot=dt.time(10, 0), people=200)
    crossing_application(personas["firm"], day, slot=dt.time(10, 0), people=51)
    with pytest.raises(DomainError) as err:
        build(gate, day)
    assert err.value.details["over"] == [
        {"slot": "out 10:00", "subject": "person", "count": 251, "limit": 250}
    ]
    assert "out 10:00" in err.value.message_en and "251" in err.value.message_en
    assert not DayPlan.objects.exists() and not PlanLine.objects.exists()
    Traveller.objects.filter(
        document_number__endswith="00050", application__purpose="개성공단 출입"
    ).last().delete()
    assert len(build(gate, day).plans) == 1


def test_no_timetable_or_no_slots_on_record_is_refused(gate):
    with pytest.raises(DomainError) as err:
        build(gate, dt.date(2007, 1, 5))
    assert err.value.details["field"] == "day"
    with pytest.raises(DomainError) as err:
        build(gate, dt.date(2008, 1, 5))
    assert "no slots" in err.value.message_en


@pytest.mark.parametrize("username", ["gic", "ministry", "firm", "bureau", "customs"])
def test_only_the_gate_officer_builds(personas, username):
    with pytest.raises(DomainError) as err:
        build(personas[username], SLOT_DAY)
    assert err.value.code == "permission_denied"


def _sent(personas, gate, day=SLOT_DAY, **kw):
    crossing_application(personas["firm"], day, **kw)
    plan = build(gate, day).plans[0]
    return north.dayplan_send(actor=gate, plan=plan)


def test_sending_writes_a_signed_list_in_the_souths_log(personas, gate):
    plan = _sent(personas, gate)
    entry = plan.sent_entry
    assert plan.state == PlanState.SENT and entry is not None
    assert (entry.log.side, entry.kind, entry.from_side, entry.to_side) == (
        "south",
        "list",
        "south",
        "north",
    )
    assert entry.body["source"] == {"app": "complex", "ref": f"dayplan/{plan.pk}"}
    assert entry.body["day"] == "2010-03-02" and entry.body["slot"] == "09:30-10:30"
    assert sorted(i["key"] for i in entry.body["items"]) == sorted(
        plan.lines.values_list("key", flat=True)
    )
    assert verifies(entry)
    with pytest.raises(DomainError) as err:
        north.dayplan_send(actor=gate, plan=plan)
    assert err.value.code == "invalid_transition"


def test_the_bureau_consents_with_a_signed_reply_answering_the_list(personas, gate):
    plan = _sent(personas, gate)
    answered = north.dayplan_answer(actor=personas["bureau"], plan=plan, consent=True, note="")
    reply = answered.answer_entry
    assert answered.state == PlanState.CONSENTED and answered.answered_at is not None
    assert (reply.log.side, reply.kind, reply.in_reply_to) == ("north", "reply", plan.sent_entry)
    assert reply.body["consent"] is True and verifies(reply)
    line = answered.lines.first()
    assert sel.line_may_cross(line)


def test_a_refusal_needs_its_reason_and_is_recorded(personas, gate):
    plan = _sent(personas, gate)
    bureau = personas["bureau"]
    with pytest.raises(DomainError) as err:
        north.dayplan_answer(actor=bureau, plan=plan, consent=False, note="  ")
    assert err.value.details["field"] == "note"
    assert DayPlan.objects.get(pk=plan.pk).state == PlanState.SENT
    assert not Entry.objects.filter(log__side="north").exists()
    refused = north.dayplan_answer(actor=bureau, plan=plan, consent=False, note="명단 확인 필요")
    assert refused.state == PlanState.REFUSED and refused.answer_note == "명단 확인 필요"
    assert refused.answer_entry.body == {
        "text": "명단 확인 필요",
        "consent": False,
        "source": {"app": "complex", "ref": f"dayplan/{plan.pk}"},
    }
    assert not sel.line_may_cross(refused.lines.first())
    # Refused: it may be sent again; answered twice, no.
    with pytest.raises(DomainError):
        north.dayplan_answer(actor=bureau, plan=refused, consent=True)
    assert north.dayplan_send(actor=gate, plan=refused).state == PlanState.SENT


@pytest.mark.parametrize("username", ["gate", "gic", "ministry", "firm"])
def test_only_the_bureau_answers(personas, gate, username):
    plan = _sent(personas, gate)
    with pytest.raises(DomainError) as err:
        north.dayplan_answer(actor=personas[username], plan=plan, consent=True)
    assert err.value.code == "permission_denied"


def test_an_answer_from_the_norths_own_node_is_recorded(personas, gate):
    plan = _sent(personas, gate)
    # What the North's node sends, as this node receives it: a reply in the North's log.
    reply = entry_send(
        side="north",
        kind="reply",
        body={"text": "동의", "consent": True},
        in_reply_to=plan.sent_entry,
    )
    assert north.dayplan_answers_collect() == 1
    got = DayPlan.objects.get(pk=plan.pk)
    assert (got.state, got.answer_entry, got.answer_note) == (PlanState.CONSENTED, reply, "동의")
    assert north.dayplan_answer_receive(entry=reply) is None  # answered already
    assert AuditEntry.objects.filter(action="complex.dayplan.answer_received").count() == 1


def test_the_liaison_runner_takes_up_the_norths_answers(personas, gate):
    from panmun.common.apps import liaison_followers

    assert ("complex", north.dayplan_answers_collect) in liaison_followers()
    plan = _sent(personas, gate)
    entry_send(side="north", kind="reply", body={"text": "?"}, in_reply_to=plan.sent_entry)
    assert north.dayplan_answers_collect() == 0  # neither yes nor no: logged, the plan waits
    assert DayPlan.objects.get(pk=plan.pk).state == PlanState.SENT


def test_a_received_reply_without_consent_is_refused_and_another_message_ignored(personas, gate):
    plan = _sent(personas, gate)
    note = entry_send(side="north", kind="notice", body={"subject": "s", "text": "t"})
    assert north.dayplan_answer_receive(entry=note) is None
    reply = entry_send(side="north", kind="reply", body={"text": "?"}, in_reply_to=plan.sent_entry)
    with pytest.raises(DomainError) as err:
        north.dayplan_answer_receive(entry=reply)
    assert err.value.details["field"] == "consent"
    assert DayPlan.objects.get(pk=plan.pk).state == PlanState.SENT


def test_a_node_that_does_not_write_the_north_log_cannot_answer_here(personas, gate, settings):
    plan = _sent(personas, gate)
    settings.PANMUN_LIAISON_SIDES = ["south"]
    with pytest.raises(DomainError):
        north.dayplan_answer(actor=personas["bureau"], plan=plan, consent=True)
    assert DayPlan.objects.get(pk=plan.pk).state == PlanState.SENT


# --- changes ------------------------------------------------------------------------------------


def _consented(personas, gate, day=SLOT_DAY, **kw):
    plan = _sent(personas, gate, day, **kw)
    return north.dayplan_answer(actor=personas["bureau"], plan=plan, consent=True)


def test_a_change_after_sending_needs_the_norths_consent_again(personas, gate):
    day = future_day()
    plan = _consented(personas, gate, day, slot=None)
    line = plan.lines.filter(subject="person").first()
    with time_machine.travel(dt.datetime.combine(day, dt.time(8), tzinfo=KST), tick=False):
        svc.planline_withdraw(actor=gate, line=line)
        extra = crossing_application(personas["firm"], day, slot=None, vehicle=False)
        result = build(gate, day)
    assert result.added == 1
    plan.refresh_from_db()
    added = plan.lines.get(traveller__application=extra)
    assert added.state == LineState.CHANGED and not sel.line_may_cross(added)
    assert north.needs_sending(plan)
    again = north.dayplan_send(actor=gate, plan=plan)
    assert again.state == PlanState.SENT and again.answer_entry is None
    assert line.key not in [i["key"] for i in again.sent_entry.body["items"]]
    done = north.dayplan_answer(actor=personas["bureau"], plan=again, consent=True)
    added.refresh_from_db()
    assert added.state == LineState.PLANNED and sel.line_may_cross(added)
    assert PlanLine.objects.get(pk=line.pk).state == LineState.WITHDRAWN
    assert done.state == PlanState.CONSENTED


def test_changes_stop_three_hours_before_the_slot_closes(personas, gate):
    day = future_day()
    plan = _consented(personas, gate, day, slot=None)  # 2015 window: out 09:00–17:30
    line = plan.lines.filter(subject="person").first()
    late = dt.datetime.combine(day, dt.time(14, 31), tzinfo=KST)
    with time_machine.travel(late, tick=False), pytest.raises(DomainError) as err:
        svc.planline_withdraw(actor=gate, line=line)
    assert "a missed slot needs a new plan" in err.value.message_en
    assert PlanLine.objects.get(pk=line.pk).state == LineState.PLANNED
    with time_machine.travel(dt.datetime.combine(day, dt.time(14, 29), tzinfo=KST), tick=False):
        assert svc.planline_withdraw(actor=gate, line=line).state == LineState.WITHDRAWN


def test_a_late_rebuild_leaves_the_sent_plan_and_names_it(personas, gate):
    plan = _consented(personas, gate)  # out 09:30–10:30 on 2 March 2010
    crossing_application(personas["firm"], SLOT_DAY, vehicle=False)
    with time_machine.travel(dt.datetime(2010, 3, 2, 7, 31, tzinfo=KST), tick=False):
        result = build(gate, SLOT_DAY)
    assert result.added == 0 and result.skipped[0]["plan"] == "2010-03-02 out 09:30"
    assert plan.lines.count() == 2
    with time_machine.travel(dt.datetime(2010, 3, 2, 7, 29, tzinfo=KST), tick=False):
        assert build(gate, SLOT_DAY).added == 1


def test_a_plan_of_a_past_day_cannot_be_changed(personas, gate):
    plan = _sent(personas, gate)
    with pytest.raises(DomainError) as err:
        svc.planline_withdraw(actor=gate, line=plan.lines.first())
    assert "past day" in err.value.message_en


def test_a_line_added_by_hand_must_have_a_crossing_plan_for_the_day(personas, gate):
    day = future_day()
    crossing_application(personas["firm"], day, slot=None)
    plan = build(gate, day).plans[0]
    other = crossing_application(personas["firm"], day + dt.timedelta(days=1), slot=None)
    with pytest.raises(DomainError) as err:
        svc.planline_add(actor=gate, plan=plan, traveller=other.travellers.first())
    assert err.value.details["field"] == "key"
    mover = crossing_application(personas["firm"], day, slot=None)  # approved after the build
    line = svc.planline_add(actor=gate, plan=plan, traveller=mover.travellers.first())
    assert line.state == LineState.PLANNED
    with pytest.raises(DomainError) as err:
        svc.planline_add(actor=gate, plan=plan, traveller=mover.travellers.first())
    assert err.value.code == "conflict"


# --- what the gate asks ---------------------------------------------------------------------


def test_the_gate_finds_the_line_of_the_slot_open_at_a_moment(personas, gate):
    app = crossing_application(personas["firm"], SLOT_DAY, slot=dt.time(9, 30))
    plan = build(gate, SLOT_DAY).plans[0]
    doc = app.travellers.get().document_number  # "K…-00000": the gate types it as it reads
    key = tt.subject_key(doc.lower())
    inside = dt.datetime(2010, 3, 2, 9, 45, tzinfo=KST)
    line = sel.plan_line_at(subject="person", key=key, direction="out", moment=inside)
    assert line is not None and line.plan == plan
    assert sel.plan_at("out", inside) == plan
    assert sel.plan_at("out", dt.datetime(2010, 3, 2, 10, 45, tzinfo=KST)) is None  # no plan
    assert sel.plan_at("out", dt.datetime(2010, 3, 2, 8, 0, tzinfo=KST)) is None  # no slot
    assert sel.plan_line_at(subject="person", key="X1", direction="out", moment=inside) is None
    assert not sel.line_may_cross(line)  # not consented yet
    north.dayplan_send(actor=gate, plan=plan)
    north.dayplan_answer(actor=personas["bureau"], plan=plan, consent=True)
    line.refresh_from_db()
    line.plan.refresh_from_db()
    assert sel.line_may_cross(line)
    closing = sel.closes_at(plan)
    assert closing == dt.datetime(2010, 3, 2, 10, 30, tzinfo=KST)


def test_in_the_rfid_mode_the_days_plan_serves_the_whole_window(personas, gate):
    day = future_day()
    crossing_application(personas["firm"], day, slot=None)
    plan = build(gate, day).plans[0]
    morning = dt.datetime.combine(day, dt.time(9, 0), tzinfo=KST)
    assert sel.plan_at("out", morning) == plan
    assert sel.plan_at("out", morning + dt.timedelta(hours=8, minutes=29)) == plan
    assert sel.plan_at("out", morning + dt.timedelta(hours=8, minutes=30)) is None  # 17:30
    assert sel.closes_at(plan) == dt.datetime.combine(day, dt.time(17, 30), tzinfo=KST)


def test_a_consent_covers_only_the_list_it_answers(personas, gate):
    day = future_day()
    plan = _sent(personas, gate, day, slot=None)
    with time_machine.travel(dt.datetime.combine(day, dt.time(8), tzinfo=KST), tick=False):
        late = crossing_application(personas["firm"], day, slot=None, vehicle=False)
        assert build(gate, day).added == 1
    done = north.dayplan_answer(actor=personas["bureau"], plan=plan, consent=True)
    added = done.lines.get(traveller__application=late)
    assert added.state == LineState.CHANGED and not sel.line_may_cross(added)
    assert north.needs_sending(done)
    others = done.lines.exclude(pk=added.pk)
    assert all(sel.line_may_cross(line) for line in others)
