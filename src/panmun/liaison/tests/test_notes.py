"""Signed notes, checkpoints and cosignatures, against the published vectors of
golang.org/x/mod/sumdb/note (note_test.go), c2sp.org/signed-note, c2sp.org/tlog-checkpoint,
c2sp.org/tlog-cosignature and github.com/transparency-dev/formats (note_cosigv1_test.go)."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from panmun.common.keyfiles import public_bytes

from ..ledger import notes

# golang.org/x/mod/sumdb/note: the PeterNeumann signer key (0x01 || 32-byte seed), its
# verifier key, the text and its signed note; the EnochRoot verifier key and signature.
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_SIG = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqd"
    "ngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = (
    "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWL"
    "ox33WWd1RvMc+QQ=\n"
)
# c2sp.org/tlog-cosignature: a checkpoint with the log's signature and a cosignature made at
# the time its example message shows (1679315147).
SOFA = (
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    "\n"
    "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/"
    "Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
    "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJs"
    "X3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
)
# c2sp.org/signed-note: a note whose text holds an empty line.
QUASIMODO = (
    "Ognuno sta solo sul cuor della terra\n"
    "trafitto da un raggio di sole:\n"
    "\n"
    "ed è subito sera.\n"
    "\n"
    "— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouF"
    "SQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n"
)


def peter() -> Ed25519PrivateKey:
    raw = base64.b64decode(PETER_SKEY.split("+", 4)[4])
    assert raw[0] == notes.SIG_ED25519
    return Ed25519PrivateKey.from_private_bytes(raw[1:])


# Known answers -----------------------------------------------------------------------------


def test_sumdb_vkeys_and_key_ids() -> None:
    name, sig_type, key = notes.parse_vkey(PETER_VKEY)
    assert (name, sig_type) == ("PeterNeumann", notes.SIG_ED25519)
    assert key == public_bytes(peter())
    assert notes.key_id(name, sig_type, key).hex() == "c74f20a3"
    assert notes.vkey(name, sig_type, key) == PETER_VKEY
    assert notes.parse_vkey(ENOCH_VKEY)[0] == "EnochRoot"


def test_sumdb_sign_known_answer() -> None:
    signed = notes.sign_note(TEXT, name="PeterNeumann", private_key=peter())
    assert signed == TEXT + "\n" + PETER_SIG


def test_sumdb_open_known_answer() -> None:
    note = notes.parse_note((TEXT + "\n" + PETER_SIG + ENOCH_SIG).encode())
    assert note.text == TEXT
    assert [(s.name, s.key_id.hex()) for s in note.signatures] == [
        ("PeterNeumann", "c74f20a3"),
        ("EnochRoot", "af0cfe78"),
    ]
    for vkey in (PETER_VKEY, ENOCH_VKEY):
        name, _, key = notes.parse_vkey(vkey)
        assert notes.verify_ed25519(note, name=name, public_key=key)
    _, _, enoch = notes.parse_vkey(ENOCH_VKEY)
    assert not notes.verify_ed25519(note, name="PeterNeumann", public_key=enoch)
    assert notes.format_note(note) == TEXT + "\n" + PETER_SIG + ENOCH_SIG
    # sumdb's "invalid signature" case: ABCD inserted into the base64
    bad = notes.parse_note(TEXT + "\n" + PETER_SIG[:60] + "ABCD" + PETER_SIG[60:])
    _, _, key = notes.parse_vkey(PETER_VKEY)
    assert not notes.verify_ed25519(bad, name="PeterNeumann", public_key=key)


def test_sumdb_mangled_vkeys_are_refused() -> None:
    b = PETER_VKEY
    for i in range(len(b) + 1):
        for j in range(i + 1, len(b) + 1):
            if (i, j) != (0, len(b)):
                with pytest.raises(ValueError):
                    notes.parse_vkey(b[i:j])
    for i in range(len(b)):
        with pytest.raises(ValueError):
            notes.parse_vkey(b[:i] + chr(ord(b[i]) + 1) + b[i + 1 :])
    with pytest.raises(ValueError):  # wrong key length, key ID adjusted
        notes.parse_vkey(
            "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="
        )
    with pytest.raises(ValueError):  # unknown algorithm, key ID adjusted
        notes.parse_vkey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")


@pytest.mark.parametrize(
    "message",
    [
        TEXT,
        TEXT + "\n",
        TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + TEXT + "\n" + PETER_SIG,
        TEXT + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZ"
        "SNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
        TEXT + "\n" + PETER_SIG * 101,
        TEXT + "\n" + "— PeterNeumann \n",
        TEXT + "\n" + "— PeterNeumann AAAA\n",
        TEXT + "\r\n" + PETER_SIG,
    ],
)
def test_sumdb_malformed_notes(message: str) -> None:
    with pytest.raises(notes.NoteError):
        notes.parse_note(message)


def test_note_not_utf8() -> None:
    with pytest.raises(notes.NoteError, match="UTF-8"):
        notes.parse_note(b"\xff" + (TEXT + "\n" + PETER_SIG).encode())


def test_hundred_signatures_are_read() -> None:
    assert len(notes.parse_note(TEXT + "\n" + PETER_SIG * 100).signatures) == 100


def test_signed_note_spec_example() -> None:
    note = notes.parse_note(QUASIMODO)
    assert note.text.endswith("\n\ned è subito sera.\n")
    assert [s.name for s in note.signatures] == ["quasimodo.example/salvatore"]


def test_tlog_cosignature_spec_example() -> None:
    note = notes.parse_note(SOFA)
    checkpoint = notes.parse_checkpoint(note.text)
    assert (checkpoint.origin, checkpoint.size) == ("example.com/behind-the-sofa", 20852163)
    assert checkpoint.root_hash == base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
    assert checkpoint.text() == note.text
    witness = note.signatures[1]
    assert witness.key_id.hex() == "8d66cf3f"
    assert len(witness.signature) == 8 + 64
    assert int.from_bytes(witness.signature[:8], "big") == 1679315147
    assert notes.cosignature_message(note.text, 1679315147) == (
        b"cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\n"
        b"CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    )


def test_transparency_dev_cosignature_vkeys_and_timestamp() -> None:
    # native cosignature/v1 (0x04) and Ed25519 (0x01) verifier keys of note_cosigv1_test.go
    name, sig_type, key = notes.parse_vkey(
        "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"
    )
    assert (name, sig_type) == ("remora.n621.de", notes.SIG_COSIGNATURE_V1)
    assert notes.key_id(name, sig_type, key).hex() == "da77ade7"
    name, sig_type, _ = notes.parse_vkey(
        "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6"
    )
    assert (name, sig_type) == ("TEST", notes.SIG_ED25519)
    for bad in ("bananas.sigstore.dev+12344556", "rekor.sigstore.dev+12345678+AwEB"):
        with pytest.raises(ValueError):
            notes.parse_vkey(bad)
    line = (
        "— w ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOwor"
        "DcFiEBYJXORmnFBOBA==\n"
    )
    sig = notes.parse_note("x\n\n" + line).signatures[0]
    assert int.from_bytes(sig.signature[:8], "big") == 1727964367


# Round trips -----------------------------------------------------------------------------------

LOG = Ed25519PrivateKey.from_private_bytes(b"\x01" * 32)
WITNESS = Ed25519PrivateKey.from_private_bytes(b"\x02" * 32)
CHECKPOINT = notes.Checkpoint("panmun.example/south", 42, hashlib.sha256(b"root").digest())


def test_key_id_is_sha256_of_name_type_key() -> None:
    key = public_bytes(WITNESS)
    expected = hashlib.sha256(b"w1\n\x04" + key).digest()[:4]
    assert notes.key_id("w1", notes.SIG_COSIGNATURE_V1, key) == expected
    assert notes.key_id("w1", notes.SIG_ED25519, key) != expected
    with pytest.raises(ValueError):
        notes.key_id("a b", 1, key)


def test_cosignature_round_trip() -> None:
    text = CHECKPOINT.text()
    signed = notes.sign_note(text, name="south-log-1", private_key=LOG)
    line = notes.cosignature_line(
        text, name="north-cosign-1", private_key=WITNESS, timestamp=1772323200
    )
    note = notes.parse_note(notes.add_signatures(signed, [line]))
    witness = public_bytes(WITNESS)
    assert notes.verify_cosignature(note, name="north-cosign-1", public_key=witness) == 1772323200
    assert notes.verify_ed25519(note, name="south-log-1", public_key=public_bytes(LOG))
    # an Ed25519 (0x01) verifier of the same key does not take a cosignature, nor the reverse
    assert not notes.verify_ed25519(note, name="north-cosign-1", public_key=witness)
    assert notes.verify_cosignature(note, name="south-log-1", public_key=public_bytes(LOG)) is None
    # the signature is Ed25519 over the message of the spec, after the 8-byte time
    raw = note.signatures[1].signature
    witness_key = WITNESS.public_key()
    witness_key.verify(raw[8:], b"cosignature/v1\ntime 1772323200\n" + text.encode())


def test_cosignature_covers_extension_lines_and_time() -> None:
    text = notes.Checkpoint("o", 1, b"\x00" * 32, ("ext",)).text()
    line = notes.cosignature_line(text, name="w", private_key=WITNESS, timestamp=5)
    key = public_bytes(WITNESS)
    assert notes.verify_cosignature(notes.parse_note(text + "\n" + line), name="w", public_key=key)
    other = text.replace("ext", "exu")
    assert (
        notes.verify_cosignature(notes.parse_note(other + "\n" + line), name="w", public_key=key)
        is None
    )
    sig = notes.parse_note(text + "\n" + line).signatures[0]
    later = notes.NoteSignature(sig.name, sig.key_id, (6).to_bytes(8, "big") + sig.signature[8:])
    note = notes.Note(text, (later,))
    assert notes.verify_cosignature(note, name="w", public_key=key) is None


def test_cosignature_line_refuses() -> None:
    with pytest.raises(ValueError):
        notes.cosignature_line("not a checkpoint\n", name="w", private_key=WITNESS, timestamp=1)
    with pytest.raises(ValueError):
        notes.cosignature_line(CHECKPOINT.text(), name="w", private_key=WITNESS, timestamp=-1)
    with pytest.raises(ValueError):
        notes.cosignature_line(CHECKPOINT.text(), name="w", private_key=WITNESS, timestamp=2**63)


def test_add_signatures() -> None:
    text = CHECKPOINT.text()
    signed = notes.sign_note(text, name="log", private_key=LOG)
    first = notes.cosignature_line(text, name="w", private_key=WITNESS, timestamp=1)
    second = notes.cosignature_line(text, name="w", private_key=WITNESS, timestamp=2)
    once = notes.add_signatures(signed, [first])
    assert notes.add_signatures(once, [first]) == once
    assert notes.add_signatures(once, [first, first]) == once
    replaced = notes.add_signatures(once, [second])
    assert replaced == signed + second
    key = public_bytes(WITNESS)
    assert notes.verify_cosignature(notes.parse_note(replaced), name="w", public_key=key) == 2
    with pytest.raises(notes.NoteError):
        notes.add_signatures(signed, ["— w not base64\n"])


def test_signing_refuses_bad_text_and_names() -> None:
    for text in ("no newline", "tab\there\n"):
        with pytest.raises(notes.NoteError):
            notes.sign_note(text, name="log", private_key=LOG)
    for name in ("", "a b", "a+b", "a\u00a0b", "a\u3000b", "a\nb"):
        assert not notes.valid_key_name(name)
        with pytest.raises(ValueError):
            notes.sign_note("t\n", name=name, private_key=LOG)
    assert notes.valid_key_name("panmun.example/south-log-1")
    assert notes.valid_key_name("남측-서명키")


# Checkpoints -----------------------------------------------------------------------------------


def test_checkpoint_text_and_parse() -> None:
    text = CHECKPOINT.text()
    assert text.split("\n")[:2] == ["panmun.example/south", "42"]
    assert notes.parse_checkpoint(text) == CHECKPOINT
    with_ext = notes.Checkpoint("o", 0, b"\x01" * 32, ("a", "b c"))
    assert notes.parse_checkpoint(with_ext.text()) == with_ext


@pytest.mark.parametrize(
    "text",
    [
        "o\n42\n" + base64.b64encode(b"\x00" * 32).decode(),
        "o\n42\n",
        "\n42\n" + base64.b64encode(b"\x00" * 32).decode() + "\n",
        "o\n042\n" + base64.b64encode(b"\x00" * 32).decode() + "\n",
        "o\n-1\n" + base64.b64encode(b"\x00" * 32).decode() + "\n",
        "o\n+1\n" + base64.b64encode(b"\x00" * 32).decode() + "\n",
        "o\n４２\n" + base64.b64encode(b"\x00" * 32).decode() + "\n",
        "o\n42\n" + base64.b64encode(b"\x00" * 31).decode() + "\n",
        "o\n42\n" + base64.b64encode(b"\x00" * 32).decode().rstrip("=") + "\n",
        "o\n42\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=\n",
        "o\n42\n" + base64.b64encode(b"\x00" * 32).decode() + "\n\n",
        "o\t\n42\n" + base64.b64encode(b"\x00" * 32).decode() + "\n",
        "o\n18446744073709551616\n" + base64.b64encode(b"\x00" * 32).decode() + "\n",
    ],
)
def test_parse_checkpoint_refuses(text: str) -> None:
    with pytest.raises(notes.NoteError):
        notes.parse_checkpoint(text)


def test_checkpoint_refuses_bad_fields() -> None:
    with pytest.raises(ValueError):
        notes.Checkpoint("", 1, b"\x00" * 32)
    with pytest.raises(ValueError):
        notes.Checkpoint("o", -1, b"\x00" * 32)
    with pytest.raises(ValueError):
        notes.Checkpoint("o", 1, b"\x00" * 31)
    with pytest.raises(ValueError):
        notes.Checkpoint("o", 1, b"\x00" * 32, ("",))


def test_strict_base64() -> None:
    assert notes.b64decode_strict("AA==") == b"\x00"
    assert notes.b64decode_strict("AB==") is None  # padding bits set
    assert notes.b64decode_strict("AA") is None
    assert notes.b64decode_strict("A A=") is None
    assert notes.b64decode_strict("éé==") is None
