"""The demo's three weeks of joint-office traffic: signed, checkpointed, cosigned, verifiable."""

from __future__ import annotations

import datetime as dt

from .. import bundle
from ..demo import load_liaison_demo
from ..models import ContactCall, Entry, Kind, Log
from ..services import export


def test_the_demo_holds_a_few_weeks_of_verifiable_traffic(personas, tmp_path):
    counts = load_liaison_demo(today=dt.date(2026, 11, 23))
    assert counts["entries"] == Entry.objects.count() > 60
    assert ContactCall.objects.count() == 30
    assert ContactCall.objects.filter(state="unanswered").count() == 2
    assert ContactCall.objects.filter(state="answered").count() == 28
    kinds = set(Entry.objects.values_list("kind", flat=True))
    assert {
        Kind.NOTICE,
        Kind.REPLY,
        Kind.PROPOSAL,
        Kind.COUNTER_PROPOSAL,
        Kind.ACCEPTANCE,
        Kind.LIST,
        Kind.LETTER,
        Kind.MEETING_RECORD,
        Kind.AGREEMENT_TEXT,
        Kind.CONTACT_CALL,
    } <= kinds
    acceptance = Entry.objects.get(kind=Kind.ACCEPTANCE)
    assert acceptance.in_reply_to.kind == Kind.COUNTER_PROPOSAL
    assert acceptance.in_reply_to.in_reply_to.kind == Kind.PROPOSAL
    first_day = Entry.objects.order_by("sent_at").first().sent_at
    assert first_day.date() == dt.date(2026, 11, 2)
    for side in ("south", "north"):
        log = Log.objects.get(side=side)
        assert log.checkpoints.order_by("-size").first().cosigned_at is not None
        export.export_bundle(side=side, target=tmp_path / side)
        report = bundle.verify_bundle(tmp_path / side)
        assert report.ok, [f.line() for f in report.findings]
    # Loading again changes nothing.
    assert load_liaison_demo(today=dt.date(2026, 11, 23)) == {"entries": 0}
