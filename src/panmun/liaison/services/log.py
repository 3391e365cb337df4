"""The log itself: appending a signed entry, receiving the other side's entries (each verified
before it is kept); the log's tree. Checkpoints are in `checkpoints`; an entry is sent (appended,
then delivered) by `sending`.

Every write locks the log's row first, so indexes are dense and in order under concurrency.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.bulk import Insert
from panmun.common.errors import DomainError, ErrorCode, invalid_fields
from panmun.common.findings import Finding
from panmun.liaison.access import can_exchange_liaison

from .. import node
from ..ledger import entries, merkle, signing
from ..models import ContactCall, Entry, KeyPurpose, Kind, Log, PublicKey

#: Leaves received in one request at most (the API's body limit bounds it as well).
RECEIVE_BATCH = 500


def _placed(findings: Iterable[Finding], prefix: str) -> list[Finding]:
    """The findings with their field placed under `prefix` (the item or the leaf of the body)."""
    return [Finding(f.code, ko=f.ko, en=f.en, field=prefix + (f.field or f.code)) for f in findings]


def lock_log(side: str) -> Log:
    """The log of `side`, its row locked until the transaction ends."""
    try:
        return Log.objects.select_for_update().get(side=side)
    except Log.DoesNotExist:
        node.ensure_logs()
        return Log.objects.select_for_update().get(side=side)


def _texts(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v)


def subject_of(kind: str, body: Mapping[str, Any]) -> str:
    """The line a list or a thread shows for an entry."""
    for name in ("subject", "title"):
        if isinstance(body.get(name), str) and body[name].strip():
            return str(body[name])[:300]
    if kind == Kind.CONTACT_CALL:
        return f"{body.get('call', '')} · {body.get('state', '')}"
    if kind == Kind.KEY_ROTATION:
        return str(body.get("new_key", {}).get("name", ""))[:300]
    text = str(body.get("text", "")).strip().splitlines()
    return text[0][:300] if text else ""


def _row(log: Log, data: Mapping[str, Any], leaf: bytes, author: User | None) -> Entry:
    reply = data["in_reply_to"]
    parent = None
    if reply:
        parent = Entry.objects.filter(
            log__origin=reply["log"], index=reply["index"], leaf_hash=reply["leaf_hash"]
        ).first()
    body = data["body"]
    return Entry(
        log=log,
        index=data["index"],
        kind=data["kind"],
        sent_at=entries.parse_time(data["sent_at"]),
        from_side=data["from_side"],
        to_side=data["to_side"],
        reply_log=reply["log"] if reply else "",
        reply_index=reply["index"] if reply else None,
        reply_leaf_hash=reply["leaf_hash"] if reply else "",
        in_reply_to=parent,
        body=body,
        key_name=data["key"],
        signature=data["signature"],
        leaf=leaf.decode("utf-8"),
        leaf_hash=merkle.leaf_hash(leaf).hex(),
        subject=subject_of(data["kind"], body),
        search_text=" ".join(_texts(body)).casefold(),
        author=author,
    )


def _after_store(entry: Entry) -> None:
    """What an entry changes beyond the log: a key rotation publishes the new key and ends
    the old one; a contact call opens or closes a `ContactCall`."""
    if entry.kind == Kind.KEY_ROTATION:
        new = entry.body["new_key"]
        valid_from = entries.parse_time(new["valid_from"])
        PublicKey.objects.filter(
            side=entry.from_side, purpose=new["purpose"], valid_until__isnull=True
        ).update(valid_until=valid_from)
        key = PublicKey(
            name=new["name"],
            side=entry.from_side,
            purpose=new["purpose"],
            public_key=new["public_key"],
            valid_from=valid_from,
            log_origin=entry.log.origin if new["purpose"] == KeyPurpose.LOG else "",
            introduced_by=entry,
        )
        key.full_clean()
        key.save()
    elif entry.kind == Kind.CONTACT_CALL:
        state = entry.body["state"]
        if state == "placed":
            ContactCall.objects.create(
                calling_side=entry.from_side,
                call=entry.body["call"],
                scheduled_at=entries.parse_time(entry.body["scheduled_at"]),
                placed=entry,
            )
        elif entry.in_reply_to is not None:
            call = ContactCall.objects.filter(placed=entry.in_reply_to).first()
            if call is not None and call.state == "placed":
                call.state = state
                if state == "answered":
                    call.answer = entry
                else:
                    call.unanswered = entry
                call.save(update_fields=["state", "answer", "unanswered"])


def _refused_body(findings: Sequence[Finding], item: int | None = None) -> DomainError:
    where = "" if item is None else f"items[{item}]."
    return DomainError.from_findings(
        _placed(findings, where),
        ko="연락 기록의 내용이 올바르지 않습니다.",
        en="The entry's content is not valid.",
    )


def _sent_at(log: Log, signer: node.Signer, at: datetime | None) -> datetime:
    """`at` (now by default), but never before the log's last entry or the key's window."""
    sent_at = at or timezone.now()
    last = log.entries.order_by("-index").values_list("sent_at", flat=True).first()
    for floor in (last, signer.key.valid_from):
        if floor is not None and sent_at < floor:
            sent_at = floor
    return sent_at


def _signed_row(
    log: Log,
    signer: node.Signer,
    *,
    index: int,
    kind: str,
    body: Mapping[str, Any],
    in_reply_to: Entry | None,
    author: User | None,
    sent_at: datetime,
) -> Entry:
    reply = entries.reply_ref(json.loads(in_reply_to.leaf)) if in_reply_to is not None else None
    data, leaf = entries.make_signed_leaf(
        log=log.origin,
        index=index,
        kind=kind,
        sent_at=sent_at,
        from_side=log.side,
        to_side=node.other(log.side),
        body=dict(body),
        key=signer.key.name,
        in_reply_to=reply,
        private_key=signer.private,
    )
    return _row(log, data, leaf, author)


def _grow(log: Log, leaf_hashes: Sequence[str]) -> None:
    """The log's size and frontier after entries with these leaf hashes (hex, in order) were
    stored as its next ones."""
    frontier = [bytes.fromhex(h) for h in log.frontier]
    for leaf_hash in leaf_hashes:
        frontier = merkle.frontier_append(frontier, log.size, bytes.fromhex(leaf_hash))
        log.size += 1
    log.frontier = [h.hex() for h in frontier]
    log.save(update_fields=["size", "frontier"])


def tree_root(log: Log, size: int | None = None) -> bytes:
    """The root of the first `size` entries (all of them by default)."""
    if size is None or size == log.size:
        return merkle.frontier_root([bytes.fromhex(h) for h in log.frontier])
    return merkle.root(leaf_hashes(log, size))


def _writable(side: str) -> Log:
    log = lock_log(side)
    if not log.local:
        raise node_not_writer(side)
    return log


@transaction.atomic
def entry_append(
    *,
    side: str,
    kind: str,
    body: Mapping[str, Any],
    in_reply_to: Entry | None = None,
    author: User | None = None,
    at: datetime | None = None,
) -> Entry:
    """Sign and append one entry to a local side's log (`sending.entry_send` delivers it as
    well). `sent_at` never goes backwards in a log and never precedes the signing key's
    window."""
    problems = entries.check_body(kind, dict(body))
    if problems:
        raise _refused_body(problems)
    log = _writable(side)
    signer = node.signer(side, KeyPurpose.LOG)
    row = _signed_row(
        log,
        signer,
        index=log.size,
        kind=kind,
        body=body,
        in_reply_to=in_reply_to,
        author=author,
        sent_at=_sent_at(log, signer, at),
    )
    row.save()
    _grow(log, [row.leaf_hash])
    _after_store(row)
    audit.record(
        actor=author,
        action=f"liaison.{kind}.send",
        obj=row,
        changes={"log": log.origin, "index": row.index, "leaf_hash": row.leaf_hash},
    )
    return row


#: Kinds a batch may hold: those that change nothing beyond the log itself.
BATCH_KINDS = ("notice", "letter", "list", "agreement_text")


@transaction.atomic
def entries_append_batch(
    *,
    side: str,
    items: Sequence[tuple[str, Mapping[str, Any]]],
    author: User | None = None,
    at: datetime | None = None,
) -> int:
    """Sign and append many (kind, body) entries at once — lists and bulk notices from other
    apps — under one lock, one key load, one insert and one checkpoint; a large batch is signed
    on every core (`signing.sign_many`). All or nothing. Returns the log's new size.
    (`sending.entries_send_batch` delivers them as well.)"""

    log = _writable(side)
    signer = node.signer(side, KeyPurpose.LOG)
    sent_at = _sent_at(log, signer, at)
    stamp = connection.ops.adapt_datetimefield_value(sent_at)
    for i, (kind, _body) in enumerate(items):
        if kind not in BATCH_KINDS:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                f"일괄로 보낼 수 없는 종류입니다: {kind}",
                f"That kind cannot be sent in a batch: {kind}",
                {"field": f"items[{i}].kind", "allowed": list(BATCH_KINDS)},
            )
    signed = signing.sign_many(
        [
            {
                "log": log.origin,
                "index": log.size + i,
                "kind": kind,
                "sent_at": sent_at,
                "from_side": side,
                "to_side": node.other(side),
                "body": dict(body),
                "key": signer.key.name,
                "in_reply_to": None,
            }
            for i, (kind, body) in enumerate(items)
        ],
        signer.private,
    )
    rows: list[tuple[object, ...]] = []
    hashes: list[str] = []
    for i, ((kind, _body), result) in enumerate(zip(items, signed, strict=True)):
        if isinstance(result, list):
            raise _refused_body(result, i)
        data, leaf = result
        leaf_hash = merkle.leaf_hash(leaf).hex()
        hashes.append(leaf_hash)
        rows.append(
            (
                log.pk,
                log.size + i,
                kind,
                stamp,
                side,
                node.other(side),
                "",
                None,
                "",
                None,
                json.dumps(data["body"], ensure_ascii=False),
                signer.key.name,
                data["signature"],
                leaf.decode("utf-8"),
                leaf_hash,
                subject_of(kind, data["body"]),
                " ".join(_texts(data["body"])).casefold(),
                author.pk if author is not None else None,
            )
        )
    # One statement (`families.bulk.Insert`: executemany, or COPY on PostgreSQL): bulk_create
    # prepares every value of every row field by field, which costs as much as the signing.
    Insert(Entry, _INSERT_COLUMNS).write(rows)
    _grow(log, hashes)
    audit.record(
        actor=author,
        action="liaison.batch.send",
        object_type="liaison.log",
        object_id=str(log.pk),
        object_label=log.origin,
        changes={"entries": len(rows), "first": log.size - len(rows), "size": log.size},
    )
    return log.size


#: The columns a batch writes, in the order of its rows.
_INSERT_COLUMNS = (
    "log_id",
    "index",
    "kind",
    "sent_at",
    "from_side",
    "to_side",
    "reply_log",
    "reply_index",
    "reply_leaf_hash",
    "in_reply_to_id",
    "body",
    "key_name",
    "signature",
    "leaf",
    "leaf_hash",
    "subject",
    "search_text",
    "author_id",
)


def node_not_writer(side: str) -> DomainError:
    return DomainError(
        ErrorCode.CONFLICT,
        "이 노드는 그 측의 기록을 쓰지 않습니다.",
        "This node does not write that side's log.",
        {"side": side},
    )


def leaf_hashes(log: Log, size: int | None = None) -> list[bytes]:
    qs = Entry.objects.filter(log=log).order_by("index")
    if size is not None:
        qs = qs.filter(index__lt=size)
    return [bytes.fromhex(h) for h in qs.values_list("leaf_hash", flat=True)]


def _refuse_entry(index: int, problems: Sequence[Finding]) -> DomainError:
    return DomainError.from_findings(
        _placed(problems, f"leaves[{index}]."),
        ko=f"받은 기록 {index}번을 검증할 수 없어 받지 않았습니다.",
        en=f"Entry {index} received does not verify and was not accepted.",
    )


@transaction.atomic
def entries_receive(*, actor: User | None, side: str, start: int, leaves: Sequence[str]) -> int:
    """Keep the other side's entries `start`, `start+1`, ... after verifying each one: its
    form, its place in the log, its signature by that side's key valid when it was sent.
    Entries already held must be byte for byte the same (a different one is refused as a
    conflict: the other side has rewritten its log). Returns how many entries are held."""
    if actor is not None:
        require(can_exchange_liaison(actor, side))
    log = lock_log(side)
    if log.local:
        raise DomainError(
            ErrorCode.CONFLICT,
            "이 노드가 쓰는 기록에는 다른 노드의 기록을 받을 수 없습니다.",
            "This node writes that log itself and accepts no entries for it.",
            {"side": side},
        )
    if start > log.size:
        raise DomainError(
            ErrorCode.CONFLICT,
            f"기록 {log.size}번부터 보내야 합니다.",
            f"Send entries from index {log.size}: the ones before are not held yet.",
            {"held": log.size},
        )
    if len(leaves) > RECEIVE_BATCH:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"한 번에 {RECEIVE_BATCH}건까지 받습니다.",
            f"At most {RECEIVE_BATCH} entries per request.",
            {"field": "leaves", "max": RECEIVE_BATCH},
        )
    for offset, text in enumerate(leaves):
        index = start + offset
        if index < log.size:
            held = Entry.objects.get(log=log, index=index)
            if held.leaf != text:
                raise DomainError(
                    ErrorCode.CONFLICT,
                    f"이미 받은 {index}번 기록과 다른 기록입니다. 상대측이 기록을 바꿨습니다.",
                    f"Entry {index} differs from the one already held: the log was rewritten.",
                    {"index": index, "held_leaf_hash": held.leaf_hash},
                )
            continue
        data = verify_received(log, index, text)
        row = _row(log, data, text.encode("utf-8"), None)
        row.save()
        _grow(log, [row.leaf_hash])
        _after_store(row)
    return log.size


def verify_received(log: Log, index: int, text: str) -> dict[str, Any]:
    """The entry, if it verifies as entry `index` of `log`; refused with every problem."""
    raw = text.encode("utf-8", errors="surrogatepass")
    data, problems = entries.parse_leaf(raw, file="leaves", row=index)
    if data is None:
        raise _refuse_entry(index, problems)
    problems = [*problems, *entries.check_entry(data, file="leaves", row=index)]
    if problems:
        raise _refuse_entry(index, problems)
    wrong = []
    if data["log"] != log.origin:
        wrong.append(("log", "다른 기록의 항목입니다.", "The entry belongs to another log."))
    if data["index"] != index:
        wrong.append(("index", "순번이 맞지 않습니다.", "The index is not the next one."))
    if data["from_side"] != log.side:
        wrong.append(("from_side", "보낸 측이 맞지 않습니다.", "Sent from the wrong side."))
    key = node.key_valid_at(
        log.side, KeyPurpose.LOG, entries.parse_time(data["sent_at"]), name=data["key"]
    )
    if key is None:
        wrong.append(
            (
                "key",
                "보낸 시각에 유효한 그 측의 키가 아닙니다.",
                "Not a key of that side valid when the entry was sent.",
            )
        )
    elif not entries.verify_signature(data, base64.b64decode(key.public_key)):
        wrong.append(("signature", "서명이 맞지 않습니다.", "The signature does not verify."))
    if wrong:
        raise invalid_fields(
            f"받은 기록 {index}번을 검증할 수 없어 받지 않았습니다.",
            f"Entry {index} received does not verify and was not accepted.",
            [(f"leaves[{index}].{f}", ko, en) for f, ko, en in wrong],
        )
    return data
