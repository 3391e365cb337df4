"""The shipments' services: policy gates on the planned and the sending day, an NGO's
carry-out approval, moves, the North's acknowledgement in the liaison log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError, ErrorCode
from panmun.liaison.selectors import receipt
from panmun.permits.models import Approval, PolicyMeasure

from ..models import Channel, PolicyException, Shipment
from ..policy import check_gates, exception_grant
from ..selectors_shipments import receipt_status, unmonitored
from ..services.monitoring import monitoring_record
from ..services.shipments import shipment_acknowledge, shipment_create, shipment_move
from .shipment_factories import activity, approve, formula

pytestmark = pytest.mark.django_db

AFTER_524 = dt.date(2010, 6, 15)


def fertiliser(actor, act, planned_on=AFTER_524, **extra):
    return shipment_create(
        actor=actor,
        activity=act,
        commodity="fertiliser",
        quantity="1000",
        unit="t",
        route="sea",
        planned_on=planned_on,
        target_groups=["general"],
        **extra,
    )


def test_fertiliser_to_everyone_after_24_may_2010_is_refused_naming_the_measure(personas):
    act = activity(personas)
    with pytest.raises(DomainError) as err:
        fertiliser(personas["aid"], act)
    assert err.value.code == ErrorCode.POLICY_FORBIDS
    assert err.value.details["measures"] == ["2010-05-24"]
    assert "5·24 조치" in err.value.message_ko
    assert "The measures of 24 May 2010" in err.value.message_en
    assert Shipment.objects.count() == 0
    assert Approval.objects.count() == 0


def test_infant_formula_for_children_is_allowed_and_filed_as_a_carry_out_approval(personas):
    act = activity(personas)
    shipment = formula(personas["aid"], act, AFTER_524)
    assert shipment.state == "in_process"
    approval = shipment.approval
    assert approval is not None
    assert (approval.kind, approval.state, approval.goods_direction, approval.humanitarian) == (
        "goods",
        "submitted",
        "carry_out",
        True,
    )
    line = approval.goods_lines.get()
    assert (line.hs_code, line.quantity, line.unit) == ("190110", Decimal("12.500"), "t")
    assert approval.application.north_organisation_id == act.recipient_organisation_id
    assert AuditEntry.objects.filter(action="aid.shipment.create", object_id=str(shipment.pk))


def test_yeonpyeong_halts_even_formula_and_ngo_aid_resumes_31_march_2011(personas):
    act = activity(personas)
    with pytest.raises(DomainError) as err:
        formula(personas["aid"], act, dt.date(2011, 3, 30))
    assert err.value.details["measures"] == ["2010-11-23"]
    assert formula(personas["aid"], act, dt.date(2011, 3, 31)).state == "in_process"


def test_gates_2006_and_2016(personas):
    loan = activity(personas, identifier="KR-LOAN", channel=Channel.FOOD_LOAN, owner="ministry")
    gov = activity(personas, identifier="KR-GOV", channel=Channel.GOVERNMENT, owner="ministry")
    ngo = activity(personas, identifier="KR-NGO", channel=Channel.NGO_OWN)
    ministry, aid = personas["ministry"], personas["aid"]
    day = dt.date(2006, 9, 1)

    def refused(actor, act, day, commodity, groups):
        try:
            check_gates(
                actor=actor,
                activity=act,
                day=day,
                what="shipment",
                what_id=None,
                commodity=commodity,
                target_groups=groups,
            )
        except DomainError as err:
            return err.details["measures"]
        return []

    assert refused(ministry, loan, day, "rice", ["general"]) == ["2006-07-missiles"]
    assert refused(ministry, loan, day, "corn", ["general"]) == []
    assert refused(ministry, gov, day, "fertiliser", ["general"]) == ["2006-07-missiles"]
    assert refused(ministry, gov, dt.date(2007, 6, 1), "fertiliser", ["general"]) == []
    assert refused(ministry, loan, AFTER_524, "corn", ["infants_children"]) == ["2010-05-24"]
    both = ["2010-05-24", "2016-01-07"]
    assert refused(aid, ngo, dt.date(2016, 1, 7), "flour", ["general"]) == both
    assert refused(aid, ngo, dt.date(2020, 5, 20), "flour", ["general"]) == ["2016-01-07"]
    assert refused(aid, ngo, dt.date(2016, 1, 7), "flour", ["elderly"]) == []
    assert refused(aid, ngo, dt.date(2016, 1, 6), "flour", ["general"]) == ["2010-05-24"]


def test_a_supervisors_exception_lets_it_through_and_is_audited(personas):
    """The government's fertiliser after 24 May 2010: refused, then let through by a
    supervisor's exception (only a supervisor's, with its reasons), which is audited."""
    act = activity(personas, identifier="KR-GOV", channel=Channel.GOVERNMENT, owner="ministry")
    measure = PolicyMeasure.objects.get(code="2010-05-24")
    with pytest.raises(DomainError) as err:
        fertiliser(personas["ministry"], act)
    assert err.value.details["measures"] == ["2010-05-24"]
    with pytest.raises(DomainError) as err:
        exception_grant(
            actor=personas["ministry"],
            activity=act,
            measure=measure,
            what="shipment",
            what_id=None,
            reason_ko="사유",
            reason_en="Reason",
        )
    assert err.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(DomainError) as err:
        exception_grant(
            actor=personas["supervisor"],
            activity=act,
            measure=measure,
            what="shipment",
            what_id=None,
            reason_ko="",
            reason_en="Reason",
        )
    assert err.value.details["errors"][0]["field"] == "reason_ko"
    assert PolicyException.objects.count() == 0
    granted = exception_grant(
        actor=personas["supervisor"],
        activity=act,
        measure=measure,
        what="shipment",
        what_id=None,
        reason_ko="수해 복구용 비료",
        reason_en="Fertiliser for flood recovery",
    )
    entry = AuditEntry.objects.get(action="aid.policy.exception")
    assert entry.changes["measure"] == "2010-05-24"
    assert entry.changes["reason_en"] == "Fertiliser for flood recovery"
    assert granted.granted_by == personas["supervisor"]
    shipment = fertiliser(personas["ministry"], act)
    assert (shipment.state, shipment.commodity) == ("in_process", "fertiliser")


def test_send_waits_for_the_approval_and_the_north_acknowledges(personas):
    act = activity(personas)
    aid, ministry, north = personas["aid"], personas["ministry"], personas["redcross_n"]
    shipment = formula(aid, act, AFTER_524)
    with pytest.raises(DomainError) as err:
        shipment_move(actor=aid, shipment=shipment, move="send", sent_on=dt.date(2010, 6, 20))
    assert err.value.code == ErrorCode.INVALID_TRANSITION
    approve(ministry, shipment)
    sent = shipment_move(actor=aid, shipment=shipment, move="send", sent_on=dt.date(2010, 6, 20))
    assert (sent.state, sent.sent_on) == ("sent", dt.date(2010, 6, 20))

    with pytest.raises(DomainError) as err:
        shipment_acknowledge(
            actor=personas["liaison_n"],
            shipment=sent,
            received_quantity="12.5",
            received_on=dt.date(2010, 6, 25),
        )
    assert err.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(DomainError) as err:
        shipment_acknowledge(
            actor=north, shipment=sent, received_quantity="12", received_on=dt.date(2010, 6, 25)
        )
    assert err.value.details["errors"][0]["field"] == "difference_reason"
    kept = Shipment.objects.get(pk=sent.pk)
    assert kept.state == "sent" and kept.receipt_entry_id is None

    done = shipment_acknowledge(
        actor=north,
        shipment=sent,
        received_quantity="12",
        received_on=dt.date(2010, 6, 25),
        difference_reason="20 bags damaged at sea",
    )
    assert (done.state, done.received_quantity) == ("received", Decimal("12"))
    entry = done.receipt_entry
    assert entry is not None
    assert (entry.log.side, entry.kind, entry.from_side) == ("north", "list", "north")
    assert entry.body["list_kind"] == "aid_receipt"
    assert entry.body["source"] == {"app": "aid", "ref": f"shipment/{done.pk}"}
    assert entry.body["items"][0]["received_quantity"] == "12"
    assert entry.signature
    status = receipt_status(done)
    assert status is not None and status.state == "cosigned"
    assert receipt(entry).cosigned_at == status.cosigned_at


def test_the_gates_are_asked_again_on_the_sending_day(personas):
    act = activity(personas, identifier="KR-GOV", channel=Channel.GOVERNMENT, owner="ministry")
    aid = personas["ministry"]
    shipment = formula(aid, act, dt.date(2010, 11, 1))
    with pytest.raises(DomainError) as err:
        shipment_move(actor=aid, shipment=shipment, move="send", sent_on=dt.date(2010, 11, 24))
    assert err.value.details["measures"] == ["2010-11-23"]
    exception_grant(
        actor=personas["supervisor"],
        activity=act,
        measure=PolicyMeasure.objects.get(code="2010-11-23"),
        what="shipment",
        what_id=shipment.pk,
        reason_ko="이미 실은 분유",
        reason_en="Formula already loaded",
    )
    sent = shipment_move(actor=aid, shipment=shipment, move="send", sent_on=dt.date(2010, 11, 24))
    assert sent.state == "sent"


def test_suspend_and_resume_are_the_governments(personas):
    act = activity(personas)
    shipment = formula(personas["aid"], act, AFTER_524)
    with pytest.raises(DomainError) as err:
        shipment_move(actor=personas["aid"], shipment=shipment, move="suspend")
    assert err.value.code == ErrorCode.PERMISSION_DENIED
    held = shipment_move(actor=personas["ministry"], shipment=shipment, move="suspend")
    assert (held.state, held.suspended_from) == ("suspended", "in_process")
    back = shipment_move(actor=personas["ministry"], shipment=held, move="resume")
    assert (back.state, back.suspended_from) == ("in_process", "")
    gone = shipment_move(actor=personas["aid"], shipment=back, move="cancel")
    assert gone.state == "cancelled"
    with pytest.raises(DomainError) as err:
        shipment_move(actor=personas["aid"], shipment=gone, move="send")
    assert err.value.code == ErrorCode.INVALID_TRANSITION


def test_the_ministry_does_not_file_an_ngos_shipment(personas):
    act = activity(personas)
    with pytest.raises(DomainError) as err:
        formula(personas["ministry"], act, AFTER_524)
    assert err.value.details["field"] == "activity"
    assert Shipment.objects.count() == 0


def test_a_government_shipment_needs_no_approval(personas):
    act = activity(personas, identifier="KR-GOV", channel=Channel.GOVERNMENT, owner="ministry")
    shipment = formula(personas["ministry"], act, AFTER_524)
    assert shipment.approval is None
    sent = shipment_move(
        actor=personas["ministry"], shipment=shipment, move="send", sent_on=AFTER_524
    )
    assert sent.state == "sent"


def test_bad_input_is_named(personas):
    act = activity(personas)
    with pytest.raises(DomainError) as err:
        formula(
            personas["aid"],
            act,
            AFTER_524,
            commodity="gold",
            quantity="-1",
            target_groups=["aliens"],
        )
    fields = [e["field"] for e in err.value.details["errors"]]
    assert fields == ["commodity", "quantity", "target_groups"]


def test_monitoring_and_unmonitored(personas):
    act = activity(personas)
    other = activity(personas, identifier="KR-OTHER")
    aid = personas["aid"]
    for a in (act, other):
        s = formula(aid, a, AFTER_524)
        approve(personas["ministry"], s)
        shipment_move(actor=aid, shipment=s, move="send", sent_on=AFTER_524)
    monitoring_record(
        actor=aid,
        activity=act,
        place="남포 탁아소",
        planned_on=dt.date(2010, 7, 1),
        outcome="refused",
    )
    visit = monitoring_record(
        actor=aid,
        activity=other,
        place="평양 육아원",
        planned_on=dt.date(2010, 7, 1),
        visited_on=dt.date(2010, 7, 2),
        outcome="done",
        seen_ko="분유 배분 확인",
        seen_en="Formula seen being handed out",
        photos=[{"file_ref": "photos/2010/visit1.jpg", "sha256": "a" * 64, "caption": "창고"}],
    )
    assert visit.photos.get().sha256 == "a" * 64
    flagged = unmonitored(type(act).objects.all())
    assert [(u.activity.identifier, u.reason, u.shipments) for u in flagged] == [
        ("KR-TEST-ACTIVITY", "refused", 1)
    ]
    with pytest.raises(DomainError) as err:
        monitoring_record(
            actor=aid,
            activity=act,
            place="x",
            planned_on=dt.date(2010, 7, 1),
            visited_on=dt.date(2010, 7, 2),
            outcome="done",
            seen_ko="a",
            seen_en="b",
            photos=[{"file_ref": "p.jpg", "sha256": "XYZ"}],
        )
    assert err.value.details["errors"][0]["field"] == "photos[0].sha256"
