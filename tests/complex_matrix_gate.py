"""The permission matrix: the complex's gate (check-out and check-in, the offline batch), the
day's events, the live headcount, the flags.

The gate's officers (`gate`; `admin` as a superuser) record crossings; the gate's readers are
they, the committee and the ministry; a firm reads its own people inside (the headcount); the
gate's officers and the committee raise and lift flags. The world: one active flag. A check at
the gate answers 201 whether it lets through or refuses (a refusal is a recorded event)."""

from __future__ import annotations

from typing import Any

from .matrix import api, page

GATE = {"gate", "admin"}
READERS = GATE | {"gic", "ministry", "supervisor", "viewer"}
HEADCOUNT = READERS | {"firm"}
FLAGGERS = GATE | {"gic"}

PLACEHOLDERS = {"{gate_flag}": "flag_id"}

FLAG = {"subject": "person", "key": "M9000001", "reason": "시험 표시"}
OFFLINE = {
    "uid": "6f1c7a52-2f8e-4b53-9c1e-3c3b2f0e9a11",
    "key": "M9000001",
    "direction": "in",
    "occurred_at": "2015-09-14T16:10:00+09:00",
    "terminal": "gate-2",
}

CASES = [
    page("complex:gate", "/complex/gate/", GATE),
    # Nothing typed: the form is refused (422) for the gate, nothing written.
    page("complex:gate-check", "/complex/gate/check/", GATE, ok=422, method="POST"),
    page("complex:gate-merge", "/complex/gate/merge/", GATE),
    # No file: the form is refused (422) for the gate, nothing written.
    page("complex:gate-merge", "/complex/gate/merge/", GATE, ok=422, method="POST"),
    page("complex:gate-events", "/complex/gate/events/?day=2015-09-14", READERS),
    page("complex:gate-headcount", "/complex/gate/headcount/", HEADCOUNT),
    page("complex:gate-headcount-board", "/complex/gate/headcount/board/", HEADCOUNT),
    page("complex:gate-flags", "/complex/gate/flags/", READERS),
    page(
        "complex:gate-flag-raise",
        "/complex/gate/flags/raise/",
        FLAGGERS,
        ok=302,
        method="POST",
        body=FLAG,
    ),
    page(
        "complex:gate-flag-lift",
        "/complex/gate/flags/{gate_flag}/lift/",
        FLAGGERS,
        ok=302,
        method="POST",
        body={"lift-note": "확인"},
    ),
    api("POST", "/complex/gate/events", GATE, ok=201, body={"key": "M9000001", "direction": "out"}),
    api("POST", "/complex/gate/events/batch", GATE, body={"events": [OFFLINE]}),
    api("GET", "/complex/gate/events?day=2015-09-14", READERS),
    api("GET", "/complex/gate/headcount", HEADCOUNT),
    api("GET", "/complex/gate/inside", HEADCOUNT),
    api("GET", "/complex/gate/flags", READERS),
    api("POST", "/complex/gate/flags", FLAGGERS, ok=201, body=FLAG),
    api("POST", "/complex/gate/flags/{gate_flag}/lift", FLAGGERS, body={"note": "확인"}),
]


def world(personas: dict[str, Any]) -> dict[str, Any]:
    from panmun.complex.services.gate_flags import gate_flag_raise

    flag = gate_flag_raise(
        actor=personas["gate"],
        subject="person",
        key="M9000002",
        reason="매트릭스 시험",
        instructions="시험입니다.",
    )
    return {"gate_flag": flag.pk}
