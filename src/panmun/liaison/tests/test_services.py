"""The liaison record's services on one node hosting both sides (the joint office): appending,
checkpoints and cosignatures, the messages' rules, meetings, key rotation, export."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError
from panmun.dialogue.models import Talks

from .. import node
from ..ledger import bundle, entries, merkle, notes
from ..models import Checkpoint, Entry, Kind, Log, PublicKey
from ..services import checkpoints, export, keys, messages, sending

KST = dt.timezone(dt.timedelta(hours=9))


def notice(actor, subject="통지", text="본문입니다.", **kw):
    return messages.message_send(
        actor=actor, kind=Kind.NOTICE, body={"subject": subject, "text": text}, **kw
    )


def test_a_notice_is_a_signed_canonical_leaf_at_the_next_index(south):
    first = notice(south, subject="첫 통지")
    second = notice(south, subject="둘째 통지")
    assert (first.index, second.index) == (0, 1)
    data = json.loads(first.leaf)
    assert entries.leaf_bytes(data) == first.leaf.encode()
    assert merkle.leaf_hash(first.leaf.encode()).hex() == first.leaf_hash
    assert data["log"] == node.origin("south")
    assert (data["from_side"], data["to_side"], data["kind"]) == ("south", "north", "notice")
    key = PublicKey.objects.get(name=data["key"])
    assert (key.side, key.purpose) == ("south", "log")
    assert entries.verify_signature(data, base64.b64decode(key.public_key))
    assert Log.objects.get(side="south").size == 2
    assert AuditEntry.objects.filter(action="liaison.notice.send").count() == 2


def test_each_commit_is_checkpointed_and_cosigned_by_the_other_side(south, north):
    notice(south)
    notice(south)
    checkpoint = Checkpoint.objects.get(log__side="south", size=2)
    assert checkpoint.cosigned_at is not None
    note = notes.parse_note(checkpoint.note)
    parsed = notes.parse_checkpoint(note.text)
    assert parsed.root_hash == merkle.root(_ordered("south"))
    log_key = PublicKey.objects.get(side="south", purpose="log")
    cosign_key = PublicKey.objects.get(side="north", purpose="cosign")
    assert notes.verify_ed25519(
        note, name=log_key.name, public_key=base64.b64decode(log_key.public_key)
    )
    assert notes.verify_cosignature(
        note, name=cosign_key.name, public_key=base64.b64decode(cosign_key.public_key)
    )
    assert checkpoint.cosigner == cosign_key.name


def _ordered(side):
    return [
        bytes.fromhex(h)
        for h in Entry.objects.filter(log__side=side)
        .order_by("index")
        .values_list("leaf_hash", flat=True)
    ]


def test_a_checkpoint_that_does_not_extend_the_last_one_is_not_cosigned(south):
    notice(south)
    notice(south)
    log = Log.objects.get(side="south")
    held = checkpoints.latest_checkpoint(log, cosigned=True)
    signer = node.signer("south", "log")
    forged = notes.Checkpoint(origin=log.origin, size=2, root_hash=b"\x07" * 32)
    note = notes.sign_note(forged.text(), name=signer.key.name, private_key=signer.private)
    with pytest.raises(DomainError) as err:
        checkpoints.checkpoint_cosign(actor=None, side="south", note_text=note, proof=[])
    assert err.value.code == "conflict"
    assert "root hash" in err.value.message_en
    assert checkpoints.latest_checkpoint(log, cosigned=True) == held


def test_an_answer_points_at_the_entry_it_answers(south, north):
    first = notice(south)
    reply = messages.message_send(
        actor=north, kind=Kind.REPLY, body={"text": "잘 받았습니다."}, in_reply_to=first
    )
    data = json.loads(reply.leaf)
    assert data["in_reply_to"] == {
        "log": node.origin("south"),
        "index": 0,
        "leaf_hash": first.leaf_hash,
    }
    assert reply.in_reply_to == first
    assert reply.log.side == "north"


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (Kind.REPLY, "Only an entry from the other side can be answered."),
        (Kind.ACCEPTANCE, "Only an entry from the other side can be answered."),
    ],
)
def test_a_side_cannot_answer_itself(south, kind, message):
    first = notice(south)
    with pytest.raises(DomainError) as err:
        messages.message_send(actor=south, kind=kind, body={"text": "x"}, in_reply_to=first)
    assert err.value.message_en == message
    assert Log.objects.get(side="south").size == 1


def test_only_proposals_are_accepted_and_only_once(south, north):
    first = notice(south)
    with pytest.raises(DomainError) as err:
        messages.message_send(
            actor=north, kind=Kind.ACCEPTANCE, body={"text": "수락"}, in_reply_to=first
        )
    assert err.value.message_en == "Only a proposal can be accepted or countered."
    proposal = messages.message_send(
        actor=south,
        kind=Kind.PROPOSAL,
        body={"subject": "회담 제의", "text": "회담을 제의합니다.", "meeting": None},
    )
    messages.message_send(
        actor=north, kind=Kind.ACCEPTANCE, body={"text": "수락합니다."}, in_reply_to=proposal
    )
    with pytest.raises(DomainError) as err:
        messages.message_send(
            actor=north,
            kind=Kind.COUNTER_PROPOSAL,
            body={"subject": "수정", "text": "", "meeting": None},
            in_reply_to=proposal,
        )
    assert err.value.code == "invalid_transition"


def test_a_body_that_does_not_fit_its_kind_is_refused_field_by_field(south):
    with pytest.raises(DomainError) as err:
        messages.message_send(actor=south, kind=Kind.NOTICE, body={"text": 3})
    fields = sorted(e["field"] for e in err.value.details["errors"])
    assert fields == ["body.subject", "body.text"]
    assert not Entry.objects.exists()


@pytest.mark.parametrize("username", ["viewer", "ministry", "redcross_s", "supervisor"])
def test_only_liaison_officers_sign(personas, username):
    with pytest.raises(DomainError) as err:
        notice(personas[username])
    assert err.value.code == "permission_denied"
    assert not Entry.objects.exists()


def test_calls_and_rotations_are_not_sent_as_messages(south):
    with pytest.raises(DomainError) as err:
        messages.message_send(actor=south, kind=Kind.CONTACT_CALL, body={})
    assert err.value.details["field"] == "kind"


def test_a_meeting_record_can_create_the_talks_record(south, north):
    proposal = messages.message_send(
        actor=south,
        kind=Kind.PROPOSAL,
        body={"subject": "실무회담 제의", "text": "", "meeting": None},
    )
    acceptance = messages.message_send(
        actor=north, kind=Kind.ACCEPTANCE, body={"text": "수락"}, in_reply_to=proposal
    )
    record = messages.meeting_record_send(
        actor=south,
        title="화상상봉 실무회담",
        held_at=dt.datetime(2026, 11, 20, 10, tzinfo=KST),
        place="개성 남북공동연락사무소",
        attendees_south=["이정민"],
        attendees_north=["김성철"],
        minutes="화상상봉 재개에 합의하였다.",
        outcomes=[
            {"text": "화상상봉 재개에 합의", "action": "talks"},
            {"text": "영상편지 명단 교환", "action": ""},
        ],
        in_reply_to=acceptance,
    )
    talks = Talks.objects.get(title_ko="화상상봉 실무회담")
    assert (talks.title_ko, talks.level, talks.start_date) == (
        "화상상봉 실무회담",
        "liaison",
        dt.date(2026, 11, 20),
    )
    assert record.body["outcomes"] == [
        {"text": "화상상봉 재개에 합의", "record": {"kind": "talks", "ref": talks.key}},
        {"text": "영상편지 명단 교환", "record": None},
    ]
    assert record.body["held_at"] == "2026-11-20T01:00:00Z"
    assert record.in_reply_to == acceptance


def test_a_rotation_is_signed_by_the_old_key_and_later_entries_by_the_new(south):
    before = notice(south)
    old = PublicKey.objects.get(side="south", purpose="log", valid_until__isnull=True)
    rotation = keys.key_rotate(actor=None, side="south", purpose="log", reason="정기 교체")
    after = notice(south)
    old.refresh_from_db()
    new = PublicKey.objects.get(side="south", purpose="log", valid_until__isnull=True)
    assert (before.key_name, rotation.key_name, after.key_name) == (old.name, old.name, new.name)
    assert old.valid_until == new.valid_from
    assert new.introduced_by == rotation
    assert rotation.sent_at < new.valid_from <= after.sent_at
    assert node.key_path(new.name).stat().st_mode & 0o777 == 0o600


def test_the_export_verifies_with_the_bundle_alone(south, north, tmp_path):
    first = notice(south, subject="개성 출입 통지")
    messages.message_send(actor=north, kind=Kind.REPLY, body={"text": "접수"}, in_reply_to=first)
    keys.key_rotate(actor=None, side="south", purpose="log", reason="교체")
    notice(south, subject="교체 뒤 통지")
    counts = export.export_bundle(side="south", target=tmp_path / "south.zip")
    assert counts["entries"] == 3
    report = bundle.verify_bundle(tmp_path / "south.zip")
    assert report.ok, [f.line() for f in report.findings]


def test_nothing_to_export_before_a_receipt(db, tmp_path):
    with pytest.raises(DomainError) as err:
        export.export_bundle(side="south", target=tmp_path / "x.zip")
    assert err.value.code == "conflict"
    assert not (tmp_path / "x.zip").exists()


def test_a_tracing_round_sent_is_recorded_as_a_signed_list(personas):
    from panmun.families.services import tracing
    from panmun.families.tests.factories import applicant, relative

    officer = personas["redcross_s"]
    for n in range(3):
        relative(officer, applicant(officer, given_name=f"신청{n}"))
    tracing_round = tracing.round_create(actor=officer, name="제1차", target_size=3)
    tracing.round_send(actor=officer, tracing_round=tracing_round)
    entry = Entry.objects.get(kind=Kind.LIST)
    ids = list(tracing_round.requests.order_by("seq").values_list("request_id", flat=True))
    assert len(ids) == 3
    assert entry.body == {
        "list_kind": "tracing",
        "title": "생사확인 의뢰 명단: 제1차",
        "items": [{"request_id": i} for i in ids],
        "source": {"app": "families", "ref": f"tracing-round/{tracing_round.pk}"},
    }
    assert (entry.log.side, entry.author) == ("south", officer)
    assert Checkpoint.objects.get(log__side="south", size=1).cosigned_at is not None


def test_a_node_without_the_south_keys_records_no_list(personas, settings):
    settings.PANMUN_LIAISON_SIDES = ["north"]
    assert (
        messages.manifest_post(
            actor=personas["redcross_s"],
            list_kind="tracing",
            title="t",
            items=[],
            source={"app": "families", "ref": "x"},
        )
        is None
    )
    assert not Entry.objects.exists()


def test_a_batch_is_signed_alike_in_one_process_or_several(south):
    from ..ledger import signing

    specs = [
        {
            "log": node.origin("south"),
            "index": i,
            "kind": "notice",
            "sent_at": dt.datetime(2026, 11, 23, 9, tzinfo=KST),
            "from_side": "south",
            "to_side": "north",
            "body": {"subject": f"통지 {i}", "text": "본문"},
            "key": "south-log-1",
            "in_reply_to": None,
        }
        for i in range(40)
    ]
    specs[7]["body"] = {"subject": ""}
    key = node.signer("south", "log").private
    alone = signing.sign_many(specs, key, parallel=False)
    shared = signing.sign_many(specs, key, parallel=True)
    assert shared == alone  # Ed25519 is deterministic: the same leaves, in the same order
    assert [f.field for f in alone[7]] == ["body.subject", "body.text"]
    assert entries.leaf_bytes(alone[0][0]) == alone[0][1]


def test_a_batch_with_a_bad_body_writes_nothing(south):
    items = [("notice", {"subject": "통지", "text": ""}), ("notice", {"subject": 3})]
    with pytest.raises(DomainError) as err:
        sending.entries_send_batch(side="south", items=items, author=south)
    assert {e["field"] for e in err.value.details["errors"]} == {
        "items[1].body.subject",
        "items[1].body.text",
    }
    assert not Entry.objects.exists()
    assert node.log_for("south").size == 0
    assert sending.entries_send_batch(side="south", items=items[:1], author=south) == 1


def test_a_first_key_file_already_in_the_folder_is_the_sides_key(db, settings, tmp_path):
    from panmun.common.keyfiles import generate_key_file, public_bytes

    settings.PANMUN_LIAISON_KEY_DIR = tmp_path
    settings.PANMUN_LIAISON_CREATE_KEYS = False
    private = generate_key_file(tmp_path / "south-log-1.key")
    signer = node.signer("south", "log")
    assert signer.key.name == "south-log-1"
    assert base64.b64decode(signer.key.public_key) == public_bytes(private)
    assert signer.key.valid_from == node.FIRST_KEY_FROM
    with pytest.raises(DomainError) as err:  # no file, and making keys is off
        node.signer("south", "cosign")
    assert err.value.message_en == "No signing key yet: make one with 'panmun liaison init'."
