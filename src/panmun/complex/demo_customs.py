"""`panmun load-demo`'s customs and quarantine at the complex: the draws of 2015's two halves
(the first revealed), two risk rules, the persona firm's good record, and its declarations:
March 2015, one released and one stopped for a two-way radio; September, rice waiting for
quarantine; December, one stored. (No goods crossed after the complex closed on 10 February
2016: the policy table refuses a later day.) Loaded after the firms (it needs the persona firm
and its project approval); a second run changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from panmun.accounts.models import User
from panmun.common.apps import DemoRun

from . import customs as rules
from .models import Declaration, Firm, LaneDraw
from .services import customs as svc

DAY = dt.date(2015, 9, 14)


def _line(hs: str, description: str, quantity: str, unit: str, value: str) -> svc.LineIn:
    return svc.LineIn(hs, description, quantity, unit, value)


def load(run: DemoRun | None = None) -> None:
    if LaneDraw.objects.exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=["customs", "firm"])}
    firm = Firm.objects.filter(organisation__users__username="firm").first()
    if len(users) < 2 or firm is None or firm.project_approval is None:
        return
    customs, officer = users["customs"], users["firm"]
    first_half = svc.lane_draw_commit(
        actor=customs,
        starts_on=dt.date(2015, 1, 1),
        ends_on=dt.date(2015, 6, 30),
        rates=rules.Rates(2000, 3000, 1000),
    )
    svc.lane_draw_commit(
        actor=customs,
        starts_on=dt.date(2015, 7, 1),
        ends_on=dt.date(2015, 12, 31),
        rates=rules.Rates(2000, 3000, 1000),
    )
    svc.standing_set(
        actor=customs,
        firm=firm,
        good_record=True,
        since=dt.date(2010, 1, 1),
        note="2003년 조치: 성실 기업 표본 검사",
    )
    svc.risk_rule_add(
        actor=customs, name="농축수산물 반입", lane="red", hs_prefix="03", direction="carry_in"
    )
    svc.risk_rule_add(
        actor=customs,
        name="고가 의류 반입",
        lane="yellow",
        hs_prefix="62",
        min_value_usd=Decimal("5000"),
    )

    def store(*lines: svc.LineIn, direction: str = "carry_in", day: dt.date = DAY) -> Declaration:
        return svc.declaration_store(
            actor=officer, firm=firm, direction=direction, declared_on=day, lines=list(lines)
        )

    march = dt.date(2015, 3, 16)
    trousers = store(_line("620342", "남성용 면바지", "1200", "pcs", "8400.00"), day=march)
    trousers = svc.declaration_register(actor=customs, declaration=trousers)
    if trousers.state == "registered":
        svc.declaration_assess(actor=customs, declaration=trousers, note="서류 확인")
        svc.declaration_release(actor=customs, declaration=trousers)
    radio = store(
        _line("392690", "플라스틱 부품", "500", "pcs", "700.00"),
        _line("852560", "휴대용 무전기", "4", "ea", "1200.00"),
        direction="carry_out",
        day=march,
    )
    svc.declaration_register(actor=customs, declaration=radio)
    LaneDraw.objects.filter(pk=first_half.pk).update(
        revealed_at=timezone.now(), revealed_by=customs
    )
    rice = store(
        _line("100630", "쌀 (근로자 급식용)", "2000", "kg", "2500.00"), direction="carry_out"
    )
    svc.declaration_register(actor=customs, declaration=rice)
    store(_line("611020", "면 스웨터", "800", "pcs", "5600.00"), day=dt.date(2015, 12, 1))
    if run is not None:
        run.say("complex customs: 2 draws, 2 risk rules, 4 declarations")
