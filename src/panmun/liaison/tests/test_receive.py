"""A node holding only the North's keys receives the South's log: every entry is verified
before it is kept, a rewritten entry is refused, and a checkpoint is cosigned only when it is
the root of the entries held and extends the last one cosigned."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from panmun.common.errors import DomainError
from panmun.common.keyfiles import public_bytes

from ..ledger import entries, merkle, notes
from ..ledger.keys import PublicKeyRecord
from ..models import Checkpoint, ContactCall, Entry, Log, PublicKey
from ..services import checkpoints, keys
from ..services import log as logs

ORIGIN = "liaison.panmun.example/south"
START = dt.datetime(2026, 11, 16, 1, 0, tzinfo=dt.UTC)


class SouthNode:
    """The other side's node, reduced to its key and its log."""

    def __init__(self) -> None:
        self.private = Ed25519PrivateKey.generate()
        self.leaves: list[bytes] = []

    def record(self, name: str = "south-log-1") -> PublicKeyRecord:
        return PublicKeyRecord(
            name=name,
            side="south",
            purpose="log",
            public_key=public_bytes(self.private),
            valid_from=dt.datetime(2018, 9, 14, tzinfo=dt.UTC),
            log=ORIGIN,
        )

    def append(self, kind="notice", body=None, in_reply_to=None, private=None, **over) -> str:
        fields = {
            "log": ORIGIN,
            "index": len(self.leaves),
            "kind": kind,
            "sent_at": START + dt.timedelta(minutes=len(self.leaves)),
            "from_side": "south",
            "to_side": "north",
            "body": body or {"subject": "통지", "text": f"{len(self.leaves)}번째"},
            "key": "south-log-1",
            "in_reply_to": in_reply_to,
        }
        fields.update(over)
        data = entries.make_entry(**fields, private_key=private or self.private)
        leaf = entries.leaf_bytes(data)
        self.leaves.append(leaf)
        return leaf.decode()

    def checkpoint(self, size: int | None = None) -> str:
        size = len(self.leaves) if size is None else size
        root = merkle.root([merkle.leaf_hash(x) for x in self.leaves[:size]])
        text = notes.Checkpoint(origin=ORIGIN, size=size, root_hash=root).text()
        return notes.sign_note(text, name="south-log-1", private_key=self.private)

    def proof(self, first: int, second: int) -> list[bytes]:
        hashes = [merkle.leaf_hash(x) for x in self.leaves[:second]]
        return merkle.consistency_proof(hashes, first) if 0 < first < second else []


@pytest.fixture
def north_node(settings, personas):
    settings.PANMUN_LIAISON_SIDES = ["north"]
    south = SouthNode()
    assert keys.keys_trust(records=[south.record()]) == 1
    return south


def test_entries_that_verify_are_kept_in_order(north_node, personas):
    leaves = [north_node.append() for _ in range(3)]
    size = logs.entries_receive(actor=personas["liaison_s"], side="south", start=0, leaves=leaves)
    assert size == 3
    held = list(
        Entry.objects.filter(log__side="south").order_by("index").values_list("leaf", flat=True)
    )
    assert held == leaves
    # Sending the same again (a retry after a lost answer) changes nothing.
    assert logs.entries_receive(actor=None, side="south", start=0, leaves=leaves) == 3
    assert Entry.objects.count() == 3


def test_a_gap_is_refused_with_the_size_held(north_node):
    north_node.append()
    leaf = north_node.append()
    with pytest.raises(DomainError) as err:
        logs.entries_receive(actor=None, side="south", start=1, leaves=[leaf])
    assert (err.value.code, err.value.details) == ("conflict", {"held": 0})
    assert Log.objects.get(side="south").size == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"private": Ed25519PrivateKey.generate()}, "leaves[0].signature"),
        ({"index": 5}, "leaves[0].index"),
        ({"log": "elsewhere/south"}, "leaves[0].log"),
        ({"key": "south-log-9"}, "leaves[0].key"),
        ({"sent_at": dt.datetime(2017, 1, 1, tzinfo=dt.UTC)}, "leaves[0].key"),
    ],
)
def test_an_entry_that_does_not_verify_is_refused(north_node, change, field):
    leaf = north_node.append(**change)
    with pytest.raises(DomainError) as err:
        logs.entries_receive(actor=None, side="south", start=0, leaves=[leaf])
    assert err.value.code == "invalid_input"
    assert [e["field"] for e in err.value.details["errors"]] == [field]
    assert not Entry.objects.exists()


def test_a_batch_with_one_bad_entry_keeps_none_of_it(north_node):
    good = north_node.append()
    bad = north_node.append(private=Ed25519PrivateKey.generate())
    with pytest.raises(DomainError):
        logs.entries_receive(actor=None, side="south", start=0, leaves=[good, bad])
    assert not Entry.objects.exists()
    assert Log.objects.get(side="south").size == 0


def test_a_rewritten_entry_is_refused_as_a_conflict(north_node):
    first = north_node.append()
    logs.entries_receive(actor=None, side="south", start=0, leaves=[first])
    other = SouthNode()
    other.private = north_node.private
    rewritten = other.append(body={"subject": "고친 통지", "text": "다른 내용"})
    with pytest.raises(DomainError) as err:
        logs.entries_receive(actor=None, side="south", start=0, leaves=[rewritten])
    assert err.value.code == "conflict"
    assert err.value.details["index"] == 0


def test_a_node_takes_no_entries_for_a_log_it_writes(north_node):
    with pytest.raises(DomainError) as err:
        logs.entries_receive(actor=None, side="north", start=0, leaves=[])
    assert err.value.code == "conflict"


def test_only_the_sending_sides_officers_deliver(north_node, personas):
    leaf = north_node.append()
    for username in ("liaison_n", "viewer", "ministry"):
        with pytest.raises(DomainError) as err:
            logs.entries_receive(actor=personas[username], side="south", start=0, leaves=[leaf])
        assert err.value.code == "permission_denied"


def test_checkpoints_are_cosigned_when_they_extend_the_last(north_node):
    leaves = [north_node.append() for _ in range(5)]
    logs.entries_receive(actor=None, side="south", start=0, leaves=leaves[:3])
    line = checkpoints.checkpoint_cosign(
        actor=None, side="south", note_text=north_node.checkpoint(3), proof=[]
    )
    cosigner = PublicKey.objects.get(side="north", purpose="cosign")
    note = notes.parse_note(notes.add_signatures(north_node.checkpoint(3), [line]))
    assert notes.verify_cosignature(
        note, name=cosigner.name, public_key=base64.b64decode(cosigner.public_key)
    )
    # The checkpoint covers entries not received yet: refused until they come.
    with pytest.raises(DomainError) as err:
        checkpoints.checkpoint_cosign(
            actor=None, side="south", note_text=north_node.checkpoint(5), proof=[]
        )
    assert err.value.details == {"held": 3}
    logs.entries_receive(actor=None, side="south", start=3, leaves=leaves[3:])
    # Without the consistency proof from 3, refused; with it, cosigned.
    with pytest.raises(DomainError) as err:
        checkpoints.checkpoint_cosign(
            actor=None, side="south", note_text=north_node.checkpoint(5), proof=[]
        )
    assert err.value.details == {"held_checkpoint_size": 3}
    checkpoints.checkpoint_cosign(
        actor=None,
        side="south",
        note_text=north_node.checkpoint(5),
        proof=north_node.proof(3, 5),
    )
    assert list(Checkpoint.objects.filter(log__side="south").values_list("size", flat=True)) == [
        5,
        3,
    ]
    # Going back to a smaller checkpoint is refused.
    with pytest.raises(DomainError) as err:
        checkpoints.checkpoint_cosign(
            actor=None, side="south", note_text=north_node.checkpoint(4), proof=[]
        )
    assert err.value.details == {"held_checkpoint_size": 5}


def test_a_checkpoint_signed_by_another_key_is_refused(north_node):
    logs.entries_receive(actor=None, side="south", start=0, leaves=[north_node.append()])
    impostor = SouthNode()
    impostor.leaves = north_node.leaves
    with pytest.raises(DomainError) as err:
        checkpoints.checkpoint_cosign(
            actor=None, side="south", note_text=impostor.checkpoint(), proof=[]
        )
    assert err.value.message_en == "The checkpoint is not signed by a key of that side."


def test_a_received_call_opens_a_contact_call(north_node):
    leaf = north_node.append(
        kind="contact_call",
        body={"call": "opening", "scheduled_at": "2026-11-16T00:00:00Z", "state": "placed"},
    )
    logs.entries_receive(actor=None, side="south", start=0, leaves=[leaf])
    call = ContactCall.objects.get()
    assert (call.calling_side, call.state, call.placed.index) == ("south", "placed", 0)


def test_a_received_rotation_publishes_the_new_key(north_node):
    new = Ed25519PrivateKey.generate()
    valid_from = START + dt.timedelta(hours=1)
    rotation = north_node.append(
        kind="key_rotation",
        body={
            "new_key": {
                "name": "south-log-2",
                "purpose": "log",
                "public_key": base64.b64encode(public_bytes(new)).decode(),
                "valid_from": entries.format_time(valid_from),
            },
            "reason": "교체",
        },
    )
    after = north_node.append(key="south-log-2", private=new, sent_at=valid_from)
    logs.entries_receive(actor=None, side="south", start=0, leaves=[rotation, after])
    assert PublicKey.objects.get(name="south-log-1").valid_until == valid_from
    assert PublicKey.objects.get(name="south-log-2").introduced_by.index == 0
    # The old key no longer signs after the hand-over.
    late = north_node.append(sent_at=valid_from + dt.timedelta(minutes=5))
    with pytest.raises(DomainError) as err:
        logs.entries_receive(actor=None, side="south", start=2, leaves=[late])
    assert [e["field"] for e in err.value.details["errors"]] == ["leaves[2].key"]
