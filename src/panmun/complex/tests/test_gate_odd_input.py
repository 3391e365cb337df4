"""Odd values in every field of the gate's forms and API bodies, and in the pages' queries: a
refusal or an answer, never a server error."""

from __future__ import annotations

from .gate_world import at, gate_world, on

ODD = [
    "",
    " ",
    "-",
    "0001-01-01 00:00",
    "9999-12-31 23:59",
    "\x01",
    "가" * 70,
    "M1\x00",
    "<b>",
    "2015-02-30 10:00",
    "1e9",
    "-1",
]


def test_odd_values_never_make_a_server_error(client_for, api_for, personas):
    gate_world(personas)
    c = client_for("gate")
    api = api_for("gate")
    fields = ["subject", "key", "direction", "vehicle_key", "source", "occurred_at", "terminal"]
    base = {
        "subject": "person",
        "key": "M1000001",
        "direction": "out",
        "source": "paper",
        "occurred_at": "2015-09-14 08:45",
    }
    bad = []
    with on(at(23, 0)):
        for f in fields:
            for v in ODD:
                r = c.post("/complex/gate/check/", {**base, f: v})
                if r.status_code >= 500:
                    bad.append(("page", f, v, r.status_code))
                body = {
                    "key": "M1000001",
                    "direction": "out",
                    "source": "paper",
                    "occurred_at": "2015-09-14T08:45:00+09:00",
                    f: v,
                }
                r = api.post("/complex/gate/events", body)
                if r.status_code >= 500:
                    bad.append(("api", f, v, r.status_code))
                r = api.post(
                    "/complex/gate/events/batch",
                    {
                        "events": [
                            {
                                "uid": "6f1c7a52-2f8e-4b53-9c1e-3c3b2f0e9a11",
                                "key": "M1",
                                "direction": "out",
                                "occurred_at": "2015-09-14T08:45:00+09:00",
                                f: v,
                            }
                        ]
                    },
                )
                if r.status_code >= 500:
                    bad.append(("batch", f, v, r.status_code))
        for f in ["subject", "key", "name", "reason", "instructions"]:
            for v in ODD:
                r = c.post(
                    "/complex/gate/flags/raise/",
                    {"subject": "person", "key": "M1", "reason": "r", f: v},
                )
                if r.status_code >= 500:
                    bad.append(("flag", f, v, r.status_code))
        for q in ["?day=9999-99-99", "?day=0001-01-01", "?page=-1", "?page=99999", "?outcome=<"]:
            for path in [
                "/complex/gate/events/",
                "/complex/gate/flags/",
                "/complex/gate/headcount/",
                "/complex/gate/headcount/board/",
            ]:
                r = c.get(path + q)
                if r.status_code >= 500:
                    bad.append(("get", path, q, r.status_code))
        r = c.post("/complex/gate/flags/999999/lift/", {"lift-note": "x" * 600})
        if r.status_code >= 500:
            bad.append(("lift", r.status_code))
    assert bad == []
