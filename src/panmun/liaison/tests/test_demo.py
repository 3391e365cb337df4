"""The demo's three weeks of joint-office traffic: signed, checkpointed, cosigned, verifiable."""

from __future__ import annotations

import datetime as dt

from ..demo import load_liaison_demo
from ..ledger import bundle
from ..models import ContactCall, Entry, Kind, Log
from ..services import export, messages
from ..services.calls import KST


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


def test_each_entry_keeps_its_own_time_of_day(personas):
    load_liaison_demo(today=dt.date(2026, 11, 23))
    notice = Entry.objects.get(kind=Kind.NOTICE)
    assert notice.sent_at.astimezone(KST).time() == dt.time(10, 0)
    for side in ("south", "north"):
        times = list(
            Entry.objects.filter(log__side=side).order_by("index").values_list("sent_at", flat=True)
        )
        assert times == sorted(times)


def test_the_demo_loads_beside_what_the_logs_already_hold(personas, tmp_path):
    """Issue 15: a tracing round's request list in the South's log kept the demo out. The demo
    now looks for its own entries; dated after the list (an older database), each entry is
    dated no earlier than the log's last one and the log still verifies."""
    officer = personas["redcross_s"]
    listed = messages.manifest_post(
        actor=officer,
        list_kind="tracing",
        title="생사확인 의뢰 명단",
        items=[{"request_id": "R-1"}],
        source={"app": "families", "ref": "tracing-round/1"},
    )
    assert listed is not None
    counts = load_liaison_demo(today=dt.date(2026, 11, 23))
    assert counts["entries"] == Entry.objects.count() - 1 > 60
    assert ContactCall.objects.count() == 30
    assert Entry.objects.filter(kind=Kind.LIST, body__list_kind="tracing").count() == 1
    south = list(
        Entry.objects.filter(log__side="south").order_by("index").values_list("sent_at", flat=True)
    )
    assert south == sorted(south) and south[0] == listed.sent_at
    export.export_bundle(side="south", target=tmp_path / "south")
    report = bundle.verify_bundle(tmp_path / "south")
    assert report.ok, [f.line() for f in report.findings]
    # Its own entries mark it loaded, whatever else comes after.
    assert load_liaison_demo(today=dt.date(2026, 11, 30)) == {"entries": 0}
