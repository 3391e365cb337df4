"""/api/v1/liaison: messages, threads, calls, logs and the bundle, through the same services and
access helpers as the pages; and the node endpoints the other side's node calls."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from .. import node
from ..models import ContactCall, Entry
from ..services import calls

KST = calls.KST


def send(api, **payload):
    return api.post("/liaison/messages", json=payload)


def test_a_notice_is_sent_answered_and_its_thread_shows_the_receipt(api_for):
    south, north = api_for("liaison_s"), api_for("liaison_n")
    r = send(south, kind="notice", body={"subject": "근무 일정 통지", "text": "평일 09:00 개시"})
    assert r.status_code == 201, r.json()
    sent = r.json()
    assert (sent["side"], sent["index"], sent["kind"]) == ("south", 0, "notice")
    assert sent["receipt"]["state"] == "cosigned"
    assert sent["leaf"].startswith('{"body":{"subject":"근무 일정 통지"')
    r = send(
        north,
        kind="reply",
        body={"text": "통지를 받았습니다."},
        in_reply_to={"side": "south", "index": 0},
    )
    assert r.status_code == 201, r.json()
    thread = south.get("/liaison/entries/south/0").json()
    assert [(e["side"], e["index"]) for e in thread["entries"]] == [("south", 0), ("north", 0)]
    assert thread["root"]["receipt"]["state"] == "answered"
    assert thread["entries"][1]["in_reply_to"]["leaf_hash"] == sent["leaf_hash"]


def test_search_finds_words_in_the_body(api_for):
    south = api_for("liaison_s")
    send(south, kind="notice", body={"subject": "개성 출입", "text": "차량 세 대"})
    send(south, kind="letter", body={"subject": "서한", "text": "화상상봉 장비"})
    found = south.get("/liaison/entries?q=화상상봉").json()
    assert [e["subject"] for e in found] == ["서한"]
    assert [e["kind"] for e in south.get("/liaison/entries?kind=notice").json()] == ["notice"]


def test_bad_bodies_and_unknown_entries_get_stable_errors(api_for):
    south = api_for("liaison_s")
    r = send(south, kind="notice", body={"subject": ""})
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_input"
    assert {e["field"] for e in r.json()["details"]["errors"]} == {"body.subject", "body.text"}
    r = send(south, kind="reply", body={"text": "x"}, in_reply_to={"side": "north", "index": 9})
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    assert not Entry.objects.exists()


def test_who_may_do_what(api_for):
    assert (
        send(api_for("viewer"), kind="notice", body={"subject": "s", "text": ""}).status_code == 403
    )
    assert api_for("redcross_s").get("/liaison/entries").status_code == 403
    assert api_for(None).get("/liaison/entries").status_code == 401
    assert api_for("ministry").get("/liaison/entries").status_code == 200


def test_a_call_is_answered_through_the_api(api_for, personas):
    call = calls.call_place(
        side="south", call="opening", scheduled_at=dt.datetime(2026, 11, 16, 9, tzinfo=KST)
    )
    assert api_for("liaison_s").post(f"/liaison/calls/{call.pk}/answer").status_code == 403
    r = api_for("liaison_n").post(f"/liaison/calls/{call.pk}/answer")
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "answered"
    assert r.json()["answer"] == {"side": "north", "index": 0}
    listed = api_for("ministry").get("/liaison/calls?since=2026-11-16&until=2026-11-16").json()
    assert [c["id"] for c in listed] == [call.pk]
    assert ContactCall.objects.get().state == "answered"


def test_logs_keys_and_bundle(api_for):
    south = api_for("liaison_s")
    send(south, kind="notice", body={"subject": "통지", "text": ""})
    logs = {item["side"]: item for item in south.get("/liaison/logs").json()}
    assert logs["south"]["size"] == 1
    assert logs["south"]["cosigned_size"] == 1
    assert logs["north"]["size"] == 0
    keys = south.get("/liaison/keys").json()["keys"]
    assert {(k["side"], k["purpose"]) for k in keys} == {
        ("south", "log"),
        ("north", "cosign"),
    }
    r = south.get("/liaison/logs/south/bundle")
    assert r.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert {"entries.jsonl", "checkpoint.txt", "keys.json", "proofs.json"} <= {
        n.rsplit("/", 1)[-1] for n in names
    }
    r = api_for("liaison_s").get("/liaison/logs/north/bundle")
    assert (r.status_code, r.json()["code"]) == (409, "conflict")


def test_node_endpoints_answer_what_is_held(api_for):
    south = api_for("liaison_s")
    send(south, kind="notice", body={"subject": "통지", "text": ""})
    held = south.get("/liaison/node/logs/south").json()
    assert (held["origin"], held["size"]) == (node.origin("south"), 1)
    assert held["checkpoint"].startswith(f"{node.origin('south')}\n1\n")
    leaves = south.get("/liaison/node/logs/south/entries?start=0").json()["leaves"]
    assert leaves == [Entry.objects.get().leaf]
    # This node writes the South's log itself: it refuses entries for it.
    r = api_for("liaison_s").post(
        "/liaison/node/logs/south/entries", json={"start": 0, "leaves": leaves}
    )
    assert (r.status_code, r.json()["code"]) == (409, "conflict")
    # Only the South's own officers deliver the South's checkpoints; theirs must be well formed.
    r = api_for("liaison_n").post(
        "/liaison/node/logs/south/checkpoint", json={"note": "not a note", "proof": []}
    )
    assert (r.status_code, r.json()["code"]) == (403, "permission_denied")
    r = api_for("liaison_s").post(
        "/liaison/node/logs/south/checkpoint", json={"note": "not a note", "proof": ["%%"]}
    )
    assert (r.status_code, r.json()["details"]) == (422, {"field": "proof"})
