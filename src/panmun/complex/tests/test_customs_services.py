"""Customs declarations and quarantine through the services: each state move and refusal, the
banned list at registration, the lanes (rules, good records, re-routing), the draw verified,
quarantine blocking release, the epidemic mode."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from panmun.common.errors import DomainError, ErrorCode
from panmun.complex import customs as rules
from panmun.complex.models import (
    Declaration,
    DeclarationEvent,
    DeclarationLine,
    DeclarationState,
    LaneDraw,
    RiskRule,
)
from panmun.complex.services import customs as svc
from panmun.complex.services import quarantine as qsvc
from panmun.permits.models import Approval, ApprovalKind

from .customs_world import (
    DAY,
    SEED,
    approval_in_force,
    draw_2015,
    line,
    operating_firm,
    registered,
    stored,
)

pytestmark = pytest.mark.django_db

S = DeclarationState


@contextmanager
def denied() -> Iterator[None]:
    with pytest.raises(DomainError) as err:
        yield
    assert err.value.code == ErrorCode.PERMISSION_DENIED


def kinds(declaration: Declaration) -> list[str]:
    return list(declaration.events.order_by("at", "pk").values_list("kind", flat=True))


def test_store_register_assess_release(personas: dict[str, Any]) -> None:
    customs = personas["customs"]
    svc.standing_set(
        actor=customs, firm=operating_firm(personas), good_record=True, since=dt.date(2010, 1, 1)
    )
    d = registered(personas)
    assert d.state == S.REGISTERED
    assert d.number == "GIC-2015-000001"
    assert d.lane in rules.LANES and d.drawn_lane == rules.draw_lane(
        SEED, rules.Rates(2000, 3000, 2000), d.number
    )
    assert d.good_record
    d = svc.declaration_assess(actor=customs, declaration=d, note="서류 확인")
    assert d.state == S.ASSESSED
    d = svc.declaration_release(actor=customs, declaration=d)
    assert d.state == S.RELEASED
    assert kinds(d) == ["stored", "registered", "routed", "assessed", "released"]
    assert set(d.events.values_list("officer__username", flat=True)) == {"firm", "customs"}
    second = registered(personas)
    assert second.number == "GIC-2015-000002"


def test_moves_out_of_order_are_refused(personas: dict[str, Any]) -> None:
    customs = personas["customs"]
    d = stored(personas)
    for move in (svc.declaration_assess, svc.declaration_release):
        with pytest.raises(DomainError) as err:
            move(actor=customs, declaration=d)
        assert err.value.code == ErrorCode.INVALID_TRANSITION
    d = registered(personas)
    with pytest.raises(DomainError):
        svc.declaration_register(actor=customs, declaration=d)
    with pytest.raises(DomainError):
        svc.declaration_release(actor=customs, declaration=d)
    d = Declaration.objects.get(pk=d.pk)
    assert d.state == S.REGISTERED


def test_only_customs_registers(personas: dict[str, Any]) -> None:
    draw_2015(personas)
    d = stored(personas)
    for who in ("firm", "gic", "quarantine", "ministry"):
        with denied():
            svc.declaration_register(actor=personas[who], declaration=d)
    d = Declaration.objects.get(pk=d.pk)
    assert (d.state, d.number) == (S.STORED, "")


def test_registration_without_a_draw_is_refused(personas: dict[str, Any]) -> None:
    d = stored(personas, declared_on=dt.date(2016, 1, 4))
    with pytest.raises(DomainError) as err:
        svc.declaration_register(actor=personas["customs"], declaration=d)
    assert err.value.code == ErrorCode.CONFLICT
    d = Declaration.objects.get(pk=d.pk)
    assert (d.state, d.number) == (S.STORED, "")


def test_stop_with_reason(personas: dict[str, Any]) -> None:
    d = registered(personas)
    with pytest.raises(DomainError):
        svc.declaration_stop(actor=personas["customs"], declaration=d, reason="  ")
    d = svc.declaration_stop(actor=personas["customs"], declaration=d, reason="원산지 서류 불일치")
    assert (d.state, d.stop_reason) == (S.STOPPED, "원산지 서류 불일치")
    with pytest.raises(DomainError):
        svc.declaration_stop(actor=personas["customs"], declaration=d, reason="again")


@pytest.mark.parametrize(
    ("given", "rule"),
    [
        (line("930190", description="소총"), "weapons"),
        (line("852560", description="무전기"), "radios"),
        (line("900510", description="쌍안경", magnification="12"), "binoculars"),
        (line("852589", description="카메라", focal_length_mm="200"), "long_lens_cameras"),
    ],
)
def test_a_banned_item_is_stopped_at_registration(
    personas: dict[str, Any], given: svc.LineIn, rule: str
) -> None:
    d = registered(personas, line(), given)
    assert d.state == S.STOPPED
    assert d.stop_rule == rule
    assert d.number.startswith("GIC-2015-")
    assert d.lane == ""
    stop = d.events.get(kind="stopped")
    assert stop.details["rule"] == rule
    assert stop.details["banned"] == [{"row": 2, "hs_code": given.hs_code, "rule": rule}]


def test_a_small_binocular_passes(personas: dict[str, Any]) -> None:
    d = registered(personas, line("900510", description="쌍안경", magnification="8"))
    assert d.state == S.REGISTERED


def test_a_figure_the_ban_needs_must_be_given(personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as err:
        stored(personas, line("900510", description="쌍안경"))
    assert err.value.details["errors"][0]["field"] == "line1_magnification"
    assert not Declaration.objects.exists()


def test_harmful_publication_marked_after_registration_is_stopped(personas: dict[str, Any]) -> None:
    d = registered(personas, line("490199", description="서적", unit="권"))
    assert d.state == S.REGISTERED
    d = svc.declaration_amend(
        actor=personas["customs"],
        declaration=d,
        lines=[line("490199", description="서적", unit="권", harmful=True)],
        reason="내용 검토 결과 유해 출판물",
    )
    d = Declaration.objects.get(pk=d.pk)
    assert (d.state, d.stop_rule) == (S.STOPPED, "harmful_publications")


def test_bad_lines_name_each_field_and_write_nothing(personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as err:
        stored(
            personas,
            line("12", quantity="0"),
            line("620342", value_usd="abc", description=""),
            line("999999"),
        )
    fields = [e["field"] for e in err.value.details["errors"]]
    assert fields == [
        "line1_hs_code",
        "line1_quantity",
        "line2_description",
        "line2_value_usd",
        "line3_hs_code",
    ]
    assert not Declaration.objects.exists()
    assert not DeclarationLine.objects.exists()


def test_amendment_keeps_the_number_and_records_the_change(personas: dict[str, Any]) -> None:
    d = registered(personas)
    number = d.number
    with pytest.raises(DomainError):  # an amendment after registration says why
        svc.declaration_amend(actor=personas["firm"], declaration=d, lines=[line(quantity="1300")])
    d = svc.declaration_amend(
        actor=personas["firm"],
        declaration=d,
        lines=[line(quantity="1300", value_usd="9100.00")],
        reason="수량 정정",
    )
    d = Declaration.objects.get(pk=d.pk)
    assert d.number == number
    assert d.value_usd == Decimal("9100.00")
    event = d.events.get(kind="amended")
    assert event.details["reason"] == "수량 정정"
    assert {c["field"] for c in event.details["changes"]} == {"quantity", "value_usd"}
    assert {"from": "1200.000", "to": "1300.000"}.items() <= event.details["changes"][0].items()


def test_no_amendment_once_assessed(personas: dict[str, Any]) -> None:
    d = svc.declaration_assess(actor=personas["customs"], declaration=registered(personas))
    with pytest.raises(DomainError) as err:
        svc.declaration_amend(actor=personas["customs"], declaration=d, lines=[line()], reason="x")
    assert err.value.code == ErrorCode.INVALID_TRANSITION


def test_goods_approval_needed_where_the_policy_itemises(personas: dict[str, Any]) -> None:
    firm = operating_firm(personas)
    goods = approval_in_force(
        firm, personas["firm"], ApprovalKind.GOODS, goods_direction="carry_in"
    )
    goods.goods_lines.create(
        row=1, hs_code="620342", description="바지", quantity=1, unit="pcs", value=10
    )
    d = stored(personas, approval=goods)
    assert d.approval_id == goods.pk
    with pytest.raises(DomainError) as err:
        stored(personas, line("611020"), approval=goods)
    assert err.value.details["field"] == "line1_hs_code"
    with pytest.raises(DomainError) as err:
        stored(personas, direction="carry_out", approval=goods)
    assert err.value.details["field"] == "approval"


def test_a_firm_without_an_approval_in_force_is_refused(personas: dict[str, Any]) -> None:
    firm = operating_firm(personas)
    Approval.objects.filter(pk=firm.project_approval_id).update(state="expired")
    with pytest.raises(DomainError) as err:
        stored(personas)
    assert err.value.details["field"] == "approval"


def test_without_good_record_everything_is_inspected(personas: dict[str, Any]) -> None:
    lanes = {registered(personas).lane for _ in range(5)}
    assert lanes == {"red"}


def test_good_record_is_sampled(personas: dict[str, Any]) -> None:
    firm = operating_firm(personas)
    svc.standing_set(
        actor=personas["customs"], firm=firm, good_record=True, since=dt.date(2014, 1, 1)
    )
    draw_2015(personas, rules.Rates(2000, 0, 0))
    lanes = [registered(personas).lane for _ in range(30)]
    assert set(lanes) <= {"red", "green"}
    assert "green" in lanes
    assert lanes.count("red") < 15


def test_risk_rule_routes(personas: dict[str, Any]) -> None:
    customs = personas["customs"]
    svc.standing_set(
        actor=customs, firm=operating_firm(personas), good_record=True, since=dt.date(2014, 1, 1)
    )
    draw_2015(personas, rules.Rates(0, 0, 0))
    rule = svc.risk_rule_add(
        actor=customs,
        name="의류 반입 고액",
        lane="yellow",
        hs_prefix="62",
        min_value_usd=Decimal("5000"),
    )
    d = registered(personas)
    assert (d.lane, d.rule_lane, d.risk_rule_id, d.drawn_lane) == (
        "yellow",
        "yellow",
        rule.pk,
        "green",
    )
    cheap = registered(personas, line(value_usd="100.00"))
    assert cheap.lane == "green"
    svc.risk_rule_retire(actor=customs, rule=rule)
    assert registered(personas).lane == "green"


def test_risk_rule_input_refused(personas: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as err:
        svc.risk_rule_add(actor=personas["customs"], name="", lane="purple", hs_prefix="6a")
    assert [e["field"] for e in err.value.details["errors"]] == ["name", "lane", "hs_prefix"]
    with denied():
        svc.risk_rule_add(actor=personas["firm"], name="x", lane="red", hs_prefix="62")
    assert not RiskRule.objects.exists()


def test_reroute_only_by_a_supervisor_with_a_reason(personas: dict[str, Any]) -> None:
    d = registered(personas)
    with denied():
        svc.declaration_reroute(actor=personas["customs"], declaration=d, lane="green", reason="x")
    with pytest.raises(DomainError) as err:
        svc.declaration_reroute(
            actor=personas["customs_chief"], declaration=d, lane="green", reason=" "
        )
    assert err.value.details["field"] == "reason"
    d = Declaration.objects.get(pk=d.pk)
    assert (d.lane, d.rerouted) == ("red", False)
    d = svc.declaration_reroute(
        actor=personas["customs_chief"], declaration=d, lane="yellow", reason="정기 검사 완료 품목"
    )
    assert (d.lane, d.rerouted) == ("yellow", True)
    event = d.events.get(kind="rerouted")
    assert event.officer.username == "customs_chief"
    assert event.details == {"from": "red", "to": "yellow", "reason": "정기 검사 완료 품목"}


def test_draw_commit_reveal_verify(personas: dict[str, Any]) -> None:
    customs = personas["customs"]
    svc.standing_set(
        actor=customs, firm=operating_firm(personas), good_record=True, since=dt.date(2014, 1, 1)
    )
    draw = draw_2015(personas)
    for _ in range(10):
        registered(personas)
    with pytest.raises(DomainError):
        svc.lane_draw_reveal(actor=customs, draw=draw, today=dt.date(2015, 12, 31))
    svc.lane_draw_reveal(actor=customs, draw=draw, today=dt.date(2016, 1, 1))
    report = svc.draw_verify(draw)
    assert report.ok and report.checked == 10
    published = draw.commitment_sha256
    # The rates changed in the database after the commitment: found.
    LaneDraw.objects.filter(pk=draw.pk).update(red_bp=0, yellow_bp=0, blue_bp=0)
    draw.refresh_from_db()
    tampered = svc.draw_verify(draw, published_sha256=published)
    assert tampered.differences[0].code == "commitment_mismatch"
    # So is another seed put in its place.
    LaneDraw.objects.filter(pk=draw.pk).update(
        red_bp=2000, yellow_bp=3000, blue_bp=2000, seed_hex="00" * 32
    )
    draw.refresh_from_db()
    assert (
        svc.draw_verify(draw, published_sha256=published).differences[0].code
        == "commitment_mismatch"
    )


def test_draw_commit_refusals(personas: dict[str, Any]) -> None:
    customs = personas["customs"]
    with pytest.raises(DomainError) as err:
        svc.lane_draw_commit(
            actor=customs, starts_on=DAY, ends_on=DAY, rates=rules.Rates(2500, 0, 0)
        )
    assert err.value.details["field"] == "red"
    draw_2015(personas)
    with pytest.raises(DomainError) as err:
        svc.lane_draw_commit(actor=customs, starts_on=DAY, ends_on=DAY, rates=rules.Rates(0, 0, 0))
    assert err.value.details["field"] == "starts_on"
    assert LaneDraw.objects.count() == 1


def test_quarantine_blocks_release_until_passed(personas: dict[str, Any]) -> None:
    customs, quarantine = personas["customs"], personas["quarantine"]
    d = registered(personas, line("100630", description="쌀", unit="kg"))
    assert d.quarantine_required
    d = svc.declaration_assess(actor=customs, declaration=d)
    with pytest.raises(DomainError) as err:
        svc.declaration_release(actor=customs, declaration=d)
    assert err.value.details["field"] == "quarantine"
    with pytest.raises(DomainError):
        qsvc.inspection_record(actor=quarantine, declaration=d, kind="plant", result="refused")
    qsvc.inspection_record(
        actor=quarantine, declaration=d, kind="plant", result="refused", note="해충 발견"
    )
    with pytest.raises(DomainError):
        svc.declaration_release(actor=customs, declaration=d)
    qsvc.inspection_record(
        actor=quarantine, declaration=d, kind="plant", result="treated", note="훈증 소독"
    )
    d = svc.declaration_release(actor=customs, declaration=d)
    assert d.state == S.RELEASED
    assert kinds(d).count("inspected") == 2
    with denied():
        qsvc.inspection_record(actor=customs, declaration=d, kind="plant", result="passed")


def test_epidemic_mode_inspects_every_consignment(personas: dict[str, Any]) -> None:
    customs, quarantine = personas["customs"], personas["quarantine"]
    before = timezone.now()
    assert not qsvc.epidemic_mode_on(before)
    period = qsvc.epidemic_start(actor=quarantine, reason="구제역 발생")
    assert qsvc.epidemic_mode_on(timezone.now())
    assert not qsvc.epidemic_mode_on(before - dt.timedelta(days=1))
    with pytest.raises(DomainError):
        qsvc.epidemic_start(actor=quarantine, reason="again")
    d = svc.declaration_assess(actor=customs, declaration=registered(personas))
    assert d.quarantine_required
    with pytest.raises(DomainError):
        svc.declaration_release(actor=customs, declaration=d)
    qsvc.inspection_record(actor=quarantine, declaration=d, kind="general", result="passed")
    assert svc.declaration_release(actor=customs, declaration=d).state == S.RELEASED
    # A consignment assessed before the mode began is held all the same while it is on.
    qsvc.epidemic_end(actor=quarantine)
    period.refresh_from_db()
    assert period.ends_at is not None
    plain = svc.declaration_assess(actor=customs, declaration=registered(personas))
    assert not plain.quarantine_required
    qsvc.epidemic_start(actor=quarantine, reason="조류독감")
    with pytest.raises(DomainError):
        svc.declaration_release(actor=customs, declaration=plain)
    with denied():
        qsvc.epidemic_end(actor=customs)
    assert DeclarationEvent.objects.filter(kind="released").count() == 1


def test_no_goods_after_the_closure(personas: dict[str, Any]) -> None:
    from panmun.permits.policy import measures_load

    measures_load()
    with pytest.raises(DomainError) as err:
        stored(personas, declared_on=dt.date(2016, 3, 2))
    assert err.value.code == ErrorCode.POLICY_FORBIDS
    assert err.value.details == {"field": "declared_on", "measure": "2016-02-10"}
    assert stored(personas).state == S.STORED  # 2015: the comprehensive approval


def test_no_draw_once_the_seed_is_revealed(personas: dict[str, Any]) -> None:
    draw = draw_2015(personas)
    svc.lane_draw_reveal(actor=personas["customs"], draw=draw, today=dt.date(2016, 1, 1))
    d = stored(personas)
    with pytest.raises(DomainError) as err:
        svc.declaration_register(actor=personas["customs"], declaration=d)
    assert err.value.code == ErrorCode.CONFLICT
    assert Declaration.objects.get(pk=d.pk).number == ""
