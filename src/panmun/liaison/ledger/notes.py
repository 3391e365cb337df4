"""Signed notes, checkpoints and cosignatures of C2SP: c2sp.org/signed-note (with the verifier
key strings of golang.org/x/mod/sumdb/note), c2sp.org/tlog-checkpoint and the Ed25519
cosignature/v1 of c2sp.org/tlog-cosignature. Pure Python, no Django.

    note      = text ending in "\\n", a blank line, then signature lines
                "— <key name> <base64(4-byte key ID || signature)>\\n" (U+2014, U+0020)
    key ID    = SHA-256(key name || 0x0A || signature type || public key)[:4]
    vkey      = "<name>+<8 hex digits of key ID>+<base64(signature type || public key)>"
    Ed25519   : type 0x01, signature over the note text
    cosig/v1  : type 0x04, signature = 8-byte big-endian POSIX time || Ed25519 signature over
                "cosignature/v1\\ntime <decimal time>\\n" + the whole checkpoint text

Where this is stricter than the texts (all of them "MAY"/"SHOULD" latitude, none refusing
what a conforming signer writes): base64 must be canonical (padding bits zero), as a changed
padding bit must not leave a note verifying; at most 100 signatures are read (sumdb's limit;
the spec asks for at least 16); a vkey must be of type 0x01 or 0x04 with a 32-byte key.
tlog-cosignature today signs the whole checkpoint text, extension lines included (an older
draft signed the first three lines only); this follows today's text. The current spec also
defines ML-DSA-44 cosignatures (type 0x06) and recommends them for new deployments: not
implemented here. tlog-checkpoint says the log's key name SHOULD match the origin line; the
liaison log names each key on its own (e.g. "south-log-2", one name per key in keys.json), so
its signature lines do not, which the spec allows. A failing signature of a known key is
reported by the bundle verifier (signed-note: clients MAY/SHOULD reject the note).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from panmun.common.findings import Finding, FindingsError

__all__ = [
    "MAX_SIGNATURES",
    "SIG_COSIGNATURE_V1",
    "SIG_ED25519",
    "Checkpoint",
    "Note",
    "NoteError",
    "NoteSignature",
    "add_signatures",
    "b64decode_strict",
    "cosignature_line",
    "cosignature_message",
    "cosignature_time",
    "ed25519_signature_ok",
    "format_note",
    "key_id",
    "matching_signatures",
    "parse_checkpoint",
    "parse_note",
    "parse_vkey",
    "sign_note",
    "signature_line_ed25519",
    "valid_key_name",
    "verify_cosignature",
    "verify_ed25519",
    "vkey",
]

SIG_ED25519 = 0x01
SIG_COSIGNATURE_V1 = 0x04
MAX_SIGNATURES = 100
MAX_TIMESTAMP = 2**63 - 1
_SIG_PREFIX = "— "
_SIZE = re.compile(r"0|[1-9][0-9]*")
_HEX8 = re.compile(r"[0-9a-fA-F]{8}")
_ASCII_NAME = re.compile(r"[\x21-\x2a\x2c-\x7e]+")  # printable, not space, not "+"


class NoteError(FindingsError):
    """A note, checkpoint or signature line that does not follow the format: one finding."""

    def __init__(self, code: str, *, ko: str, en: str) -> None:
        self.finding = Finding(code, ko=ko, en=en)
        super().__init__([self.finding])


def b64decode_strict(text: str) -> bytes | None:
    """Standard padded base64 (RFC 4648 section 4) in its one canonical spelling, else None."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    return raw if base64.b64encode(raw).decode("ascii") == text else None


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _is_space(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("Zs", "Zl", "Zp")


def valid_key_name(name: object) -> bool:
    """A signed-note key name: non-empty, no Unicode space, no "+", no control character."""
    if not isinstance(name, str):
        return False
    if name.isascii():
        return _ASCII_NAME.fullmatch(name) is not None
    return (
        name != ""
        and "+" not in name
        and not any(_is_space(c) or unicodedata.category(c) in ("Cc", "Cs") for c in name)
    )


def _check_name(name: str) -> None:
    if not valid_key_name(name):
        raise NoteError(
            "note_key_name_invalid",
            ko=(
                f"키 이름 {name!r}이(가) 올바르지 않습니다: "
                "비어 있거나 공백, '+', 제어 문자가 있습니다"
            ),
            en=f"invalid key name {name!r}: empty, or with a space, '+' or control",
        )


def key_id(name: str, sig_type: int, public_key: bytes) -> bytes:
    """SHA-256(name || 0x0A || signature type || public key)[:4]."""
    _check_name(name)
    if not 0 <= sig_type <= 0xFF:
        raise ValueError(f"signature type {sig_type} is not one byte")
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([sig_type]) + public_key)
    return digest.digest()[:4]


def vkey(name: str, sig_type: int, public_key: bytes) -> str:
    """The verifier key string `<name>+<key ID hex>+<base64(type || key)>`."""
    return (
        f"{name}+{key_id(name, sig_type, public_key).hex()}+{_b64(bytes([sig_type]) + public_key)}"
    )


def parse_vkey(text: str) -> tuple[str, int, bytes]:
    """(name, signature type, public key) of a verifier key string; ValueError if malformed,
    not Ed25519 (0x01) or Ed25519 cosignature (0x04), or its key ID does not match."""
    name, _, rest = text.partition("+")
    hex_id, _, key64 = rest.partition("+")
    raw = b64decode_strict(key64)
    if not valid_key_name(name) or not _HEX8.fullmatch(hex_id) or not raw:
        raise ValueError("malformed verifier key: expected <name>+<8 hex>+<base64>")
    sig_type, public_key = raw[0], raw[1:]
    if sig_type not in (SIG_ED25519, SIG_COSIGNATURE_V1):
        raise ValueError(f"verifier key of unsupported signature type 0x{sig_type:02x}")
    if len(public_key) != 32:
        raise ValueError("verifier key: an Ed25519 public key is 32 bytes")
    if key_id(name, sig_type, public_key) != bytes.fromhex(hex_id):
        raise ValueError("verifier key: the key ID does not match the name and key")
    return name, sig_type, public_key


@dataclass(frozen=True)
class NoteSignature:
    """One signature line: the key name, the 4-byte key ID and the signature bytes after it."""

    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        return f"{_SIG_PREFIX}{self.name} {_b64(self.key_id + self.signature)}\n"


@dataclass(frozen=True)
class Note:
    """A signed note: its text (ending in a newline) and its signature lines, in order."""

    text: str
    signatures: tuple[NoteSignature, ...]


def _check_chars(text: str, what: str) -> None:
    for i, ch in enumerate(text):
        if (ch < " " and ch != "\n") or unicodedata.category(ch) == "Cs":
            raise NoteError(
                "note_control_character",
                ko=f"{what}: {i}번째 자리에 제어 문자 U+{ord(ch):04X}가 있습니다",
                en=f"{what}: control character U+{ord(ch):04X} at {i}",
            )


def _signature_line(line: str) -> NoteSignature:
    """One signature line, without its newline."""
    if not line.startswith(_SIG_PREFIX):
        raise NoteError(
            "note_malformed",
            ko="잘못된 노트: 빈 줄 뒤의 줄이 서명 줄이 아닙니다",
            en="malformed note: a line after the blank line is not a signature line",
        )
    name, _, b64 = line[len(_SIG_PREFIX) :].partition(" ")
    raw = b64decode_strict(b64)
    if not valid_key_name(name):
        raise NoteError(
            "note_malformed",
            ko=f"잘못된 노트: 키 이름 {name!r}이(가) 올바르지 않습니다",
            en=f"malformed note: invalid key name {name!r}",
        )
    if raw is None or len(raw) < 5:
        raise NoteError(
            "note_malformed",
            ko=f"잘못된 노트: {name}의 서명이 올바른 base64가 아닙니다",
            en=f"malformed note: the signature of {name} is not valid base64",
        )
    return NoteSignature(name=name, key_id=raw[:4], signature=raw[4:])


def parse_note(data: str | bytes) -> Note:
    """A signed note's text and signatures (not verified); NoteError saying what is wrong."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NoteError(
                "note_malformed",
                ko=f"잘못된 노트: UTF-8이 아닙니다({exc.start + 1}번째 바이트)",
                en=f"malformed note: not UTF-8 (byte {exc.start + 1})",
            ) from exc
    _check_chars(data, "malformed note")
    split = data.rfind("\n\n")
    if split < 0:
        raise NoteError(
            "note_malformed",
            ko="잘못된 노트: 서명 앞에 빈 줄이 없습니다",
            en="malformed note: no blank line before the signatures",
        )
    text, block = data[: split + 1], data[split + 2 :]
    if not block:
        raise NoteError(
            "note_malformed",
            ko="잘못된 노트: 빈 줄 뒤에 서명이 없습니다",
            en="malformed note: no signature after the blank line",
        )
    if not block.endswith("\n"):
        raise NoteError(
            "note_malformed",
            ko="잘못된 노트: 마지막 서명 줄이 줄바꿈으로 끝나지 않습니다",
            en="malformed note: the last signature line does not end in a newline",
        )
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(
            "note_malformed",
            ko=f"잘못된 노트: 서명이 {MAX_SIGNATURES}개보다 많습니다",
            en=f"malformed note: more than {MAX_SIGNATURES} signatures",
        )
    return Note(text=text, signatures=tuple(_signature_line(line) for line in lines))


def format_note(note: Note) -> str:
    """The note as text: its text, a blank line, its signature lines."""
    if not note.signatures:
        raise NoteError(
            "note_unsigned",
            ko="서명된 노트에는 서명이 하나 이상 있어야 합니다",
            en="a signed note needs at least one signature",
        )
    _check_text(note.text)
    return note.text + "\n" + "".join(s.line() for s in note.signatures)


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError(
            "note_text_unterminated",
            ko="노트의 본문은 줄바꿈으로 끝나야 합니다",
            en="a note's text must end in a newline",
        )
    _check_chars(text, "note text")


def _sign(private_key: Ed25519PrivateKey, message: bytes) -> bytes:
    return private_key.sign(message)


def _public(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def signature_line_ed25519(text: str, *, name: str, private_key: Ed25519PrivateKey) -> str:
    """The signature line (type 0x01) of `name`'s key over the note text."""
    _check_text(text)
    kid = key_id(name, SIG_ED25519, _public(private_key))
    return NoteSignature(name, kid, _sign(private_key, text.encode("utf-8"))).line()


def sign_note(text: str, *, name: str, private_key: Ed25519PrivateKey) -> str:
    """The whole signed note: the text, a blank line, one Ed25519 signature line."""
    return text + "\n" + signature_line_ed25519(text, name=name, private_key=private_key)


def cosignature_message(checkpoint_text: str, timestamp: int) -> bytes:
    """What a cosignature/v1 signs: header line, time line, the checkpoint's whole text."""
    return f"cosignature/v1\ntime {timestamp}\n{checkpoint_text}".encode()


def cosignature_line(
    checkpoint_text: str, *, name: str, private_key: Ed25519PrivateKey, timestamp: int
) -> str:
    """The cosignature/v1 line (type 0x04) of `name`'s key over a checkpoint at `timestamp`
    (POSIX seconds)."""
    parse_checkpoint(checkpoint_text)
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise ValueError(f"cosignature time {timestamp} is not in 0..2^63-1")
    kid = key_id(name, SIG_COSIGNATURE_V1, _public(private_key))
    signature = _sign(private_key, cosignature_message(checkpoint_text, timestamp))
    return NoteSignature(name, kid, timestamp.to_bytes(8, "big") + signature).line()


def add_signatures(note_text: str, lines: Iterable[str]) -> str:
    """The signed note with `lines` added after its own signatures. A line already there is
    not added again; one from a key (name and key ID) already there replaces that key's
    line, as golang.org/x/mod/sumdb/note's Sign does."""
    note = parse_note(note_text)
    new: list[NoteSignature] = []
    for line in lines:
        sig = _signature_line(line.removesuffix("\n"))
        new = [s for s in new if (s.name, s.key_id) != (sig.name, sig.key_id)] + [sig]
    by_key = {(s.name, s.key_id): s for s in new}
    kept = [s for s in note.signatures if by_key.get((s.name, s.key_id), s) == s]
    kept += [s for s in new if s not in kept]
    return format_note(Note(note.text, tuple(kept)))


def matching_signatures(
    note: Note, *, name: str, sig_type: int, public_key: bytes
) -> list[NoteSignature]:
    """The note's signature lines of that key: same name and same key ID (the others are
    from keys unknown to this question and are ignored, as the spec says)."""
    kid = key_id(name, sig_type, public_key)
    return [s for s in note.signatures if s.name == name and s.key_id == kid]


def _ed25519_ok(public_key: bytes, signature: bytes, message: bytes) -> bool:
    if len(public_key) != 32 or len(signature) != 64:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def ed25519_signature_ok(note: Note, signature: NoteSignature, public_key: bytes) -> bool:
    """Whether one Ed25519 (0x01) signature line verifies over the note's text."""
    return _ed25519_ok(public_key, signature.signature, note.text.encode("utf-8"))


def verify_ed25519(note: Note, *, name: str, public_key: bytes) -> bool:
    """Whether the note carries a verifying Ed25519 (0x01) signature by that key."""
    return any(
        ed25519_signature_ok(note, s, public_key)
        for s in matching_signatures(note, name=name, sig_type=SIG_ED25519, public_key=public_key)
    )


def cosignature_time(note: Note, signature: NoteSignature, public_key: bytes) -> int | None:
    """The time of one cosignature/v1 signature if it verifies over the note, else None."""
    raw = signature.signature
    if len(raw) != 72:
        return None
    timestamp = int.from_bytes(raw[:8], "big")
    if timestamp > MAX_TIMESTAMP:
        return None
    ok = _ed25519_ok(public_key, raw[8:], cosignature_message(note.text, timestamp))
    return timestamp if ok else None


def verify_cosignature(note: Note, *, name: str, public_key: bytes) -> int | None:
    """The time (POSIX seconds) of a verifying cosignature/v1 by that key, the latest if
    there are several; None if there is none."""
    times = [
        cosignature_time(note, s, public_key)
        for s in matching_signatures(
            note, name=name, sig_type=SIG_COSIGNATURE_V1, public_key=public_key
        )
    ]
    valid = [t for t in times if t is not None]
    return max(valid) if valid else None


@dataclass(frozen=True)
class Checkpoint:
    """A tlog-checkpoint body: origin, tree size, root hash and any extension lines."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for line in (self.origin, *self.extensions):
            if not line or "\n" in line:
                raise ValueError("checkpoint lines must be non-empty single lines")
            _check_chars(line, "checkpoint")
        if isinstance(self.size, bool) or not 0 <= self.size < 2**64:
            raise ValueError(f"tree size {self.size} is not in 0..2^64-1")
        if len(self.root_hash) != 32:
            raise ValueError("a root hash is 32 bytes")

    def text(self) -> str:
        """The note text: origin, size, base64 root hash, extensions; each line ends "\\n"."""
        lines = [self.origin, str(self.size), _b64(self.root_hash), *self.extensions]
        return "".join(line + "\n" for line in lines)


def parse_checkpoint(text: str) -> Checkpoint:
    """A checkpoint's body (a note's text), strictly; NoteError saying what is wrong."""
    if not text.endswith("\n"):
        raise NoteError(
            "checkpoint_malformed",
            ko="검증점: 본문이 줄바꿈으로 끝나지 않습니다",
            en="checkpoint: the text does not end in a newline",
        )
    _check_chars(text, "checkpoint")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise NoteError(
            "checkpoint_malformed",
            ko="검증점: 줄이 세 개(origin, size, root hash)보다 적습니다",
            en="checkpoint: fewer than three lines (origin, size, root hash)",
        )
    origin, size, root64, *extensions = lines
    if not origin:
        raise NoteError(
            "checkpoint_malformed",
            ko="검증점: origin 줄이 비어 있습니다",
            en="checkpoint: the origin line is empty",
        )
    if not _SIZE.fullmatch(size) or int(size) >= 2**64:
        raise NoteError(
            "checkpoint_malformed",
            ko="검증점: 트리 크기가 앞에 0이 없는 십진수가 아닙니다",
            en="checkpoint: the tree size is not a decimal without leading zeros",
        )
    root_hash = b64decode_strict(root64)
    if root_hash is None or len(root_hash) != 32:
        raise NoteError(
            "checkpoint_malformed",
            ko="검증점: 루트 해시가 32바이트의 base64가 아닙니다",
            en="checkpoint: the root hash is not the base64 of 32 bytes",
        )
    if any(not line for line in extensions):
        raise NoteError(
            "checkpoint_malformed",
            ko="검증점: 확장 줄이 비어 있습니다",
            en="checkpoint: an extension line is empty",
        )
    return Checkpoint(origin, int(size), root_hash, tuple(extensions))
