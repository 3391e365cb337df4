"""proofs.json of a liaison bundle: an inclusion proof for every entry and consistency proofs
from earlier tree sizes, written and checked. Pure Python, no Django.

    {"inclusion": [{"index": i, "leaf_hash": hex, "path": [base64, ...]}, ...],
     "consistency": [{"first": m, "first_root": base64, "second": n, "path": [base64, ...]}]}

as RFC 8785 canonical JSON; paths are RFC 9162 2.1.3 / 2.1.4 proofs, nearest the leaf first.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

from panmun.common.findings import Finding

from . import merkle
from .entries import canonical
from .notes import Checkpoint, b64decode_strict

__all__ = ["PROOFS_FILE", "check_proofs", "consistency_entries", "proofs_json"]

PROOFS_FILE = "proofs.json"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def proofs_json(hashes: Sequence[bytes], earlier_sizes: Sequence[int] = ()) -> bytes:
    """proofs.json for a tree of these leaf hashes; ValueError for a size not in 0..n."""
    n = len(hashes)
    tree = merkle.levels(hashes)
    inclusion = [
        {
            "index": i,
            "leaf_hash": h.hex(),
            "path": [_b64(p) for p in merkle.path_from_levels(tree, i)],
        }
        for i, h in enumerate(hashes)
    ]
    consistency = []
    for m in dict.fromkeys(earlier_sizes):
        if isinstance(m, bool) or not isinstance(m, int) or not 0 <= m <= n:
            raise ValueError(f"earlier size {m!r} is not in 0..{n}")
        consistency.append(
            {
                "first": m,
                "first_root": _b64(merkle.root(hashes[:m])),
                "second": n,
                "path": [_b64(p) for p in merkle.consistency_proof(hashes, m)],
            }
        )
    return canonical({"inclusion": inclusion, "consistency": consistency})


Add = Callable[[Finding], None]


def _malformed(fld: str, *, ko: str, en: str) -> Finding:
    return Finding("proof_malformed", ko=ko, en=en, file=PROOFS_FILE, field=fld)


def _path(value: Any) -> list[bytes] | None:
    if not isinstance(value, list):
        return None
    out = []
    for item in value:
        raw = b64decode_strict(item) if isinstance(item, str) else None
        if raw is None or len(raw) != 32:
            return None
        out.append(raw)
    return out


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _read_json(data: bytes, fld: str, add: Add) -> tuple[Any, bool] | None:
    """The JSON in `data` and whether it is written canonically; None (after a finding) if it
    is not UTF-8 JSON."""
    try:
        item = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        add(
            Finding(
                "proofs_not_utf8",
                ko="파일이 올바른 UTF-8이 아닙니다",
                en="the file is not valid UTF-8",
                file=PROOFS_FILE,
                field=fld,
            )
        )
        return None
    except (ValueError, RecursionError):
        add(
            Finding(
                "proofs_not_json",
                ko="파일을 JSON으로 읽을 수 없습니다",
                en="the file is not JSON",
                file=PROOFS_FILE,
                field=fld,
            )
        )
        return None
    try:
        return item, canonical(item) == data
    except (ValueError, RecursionError):
        return item, False


def _load(data: bytes, add: Add) -> dict[str, Any] | None:
    read = _read_json(data, "", add)
    if read is None:
        return None
    document, same = read
    if not same:
        add(
            Finding(
                "proofs_not_canonical",
                ko="파일이 RFC 8785 표준 형식(정규화된 JSON)이 아닙니다",
                en="the file is not in RFC 8785 canonical form",
                file=PROOFS_FILE,
            )
        )
        return None
    if (
        not isinstance(document, dict)
        or set(document) != {"inclusion", "consistency"}
        or not all(isinstance(document[k], list) for k in document)
    ):
        add(
            _malformed(
                "",
                ko='파일은 {"inclusion": [...], "consistency": [...]} 형태여야 합니다',
                en='the file must be {"inclusion": [...], "consistency": [...]}',
            )
        )
        return None
    return document


def consistency_entries(data: bytes) -> list[dict[str, Any]]:
    """The consistency items of a proofs.json that reads, else none."""
    document = _load(data, lambda f: None)
    if document is None:
        return []
    return [c for c in document["consistency"] if isinstance(c, dict)]


def check_proofs(
    data: bytes, hashes: Sequence[bytes], checkpoint: Checkpoint | None, add: Add
) -> None:
    """Every proof of proofs.json against the leaf hashes of entries.jsonl and the
    checkpoint: one inclusion proof per entry, in order, and each consistency proof."""
    check_proofs_stream(io.BytesIO(data), hashes, checkpoint, add, lambda: False)


#: Consistency proofs a bundle may hold (an export holds those of its last 100 receipts).
MAX_CONSISTENCY = 128
#: The longest proof item: 64 hashes of 44 characters, and its numbers and names.
MAX_PROOF_ITEM = 64 * 47 + 256
_HEAD = b'{"consistency":['
_MIDDLE = b',"inclusion":['
_TAIL = b"]}"


def proofs_limit(entries: int) -> int:
    """The most bytes the proofs of `entries` entries can take (every proof at its longest)."""
    return len(_HEAD + _MIDDLE + _TAIL) + (entries + MAX_CONSISTENCY + 1) * (MAX_PROOF_ITEM + 1)


def _item(stream: IO[bytes]) -> bytes | None:
    """The bytes up to and with the next "}" (no proof item nests an object), or None if
    there is none within MAX_PROOF_ITEM bytes."""
    parts: list[bytes] = []
    size = 0
    while size <= MAX_PROOF_ITEM:
        chunk = stream.peek(1)[: MAX_PROOF_ITEM + 1 - size]  # type: ignore[attr-defined]
        if not chunk:
            return None
        end = chunk.find(b"}")
        if end >= 0:
            parts.append(stream.read(end + 1))
            return b"".join(parts)
        parts.append(stream.read(len(chunk)))
        size += len(chunk)
    return None


def _decoded(data: bytes, fld: str, add: Add) -> Any:
    """The item's JSON if it is canonical; else a finding and None."""
    read = _read_json(data, fld, add)
    if read is None:
        return None
    item, same = read
    if not same:
        add(_not_canonical(fld))
        return None
    return item


def _not_canonical(fld: str) -> Finding:
    return Finding(
        "proofs_not_canonical",
        ko=(
            "파일이 RFC 8785 표준 형식(정규화된 JSON)의 "
            '{"consistency": [...], "inclusion": [...]}가 아닙니다'
        ),
        en=(
            'the file is not {"consistency": [...], "inclusion": [...]} in RFC 8785 canonical form'
        ),
        file=PROOFS_FILE,
        field=fld,
    )


Spend = Callable[[bytes, None, str], bool]


def _items(
    stream: IO[bytes], name: str, most: int, add: Add, stop: Callable[[], bool], spend: Spend
) -> Iterator[Any]:
    """The items of the list `name` that the stream is at (after its "["), each as JSON, or
    None for an item that is not canonical JSON; ends after its "]", with a finding if the
    list does not end within `most` items."""
    if stream.peek(1)[:1] == b"]":  # type: ignore[attr-defined]
        stream.read(1)
        return
    for j in range(most + 1):
        if stop():
            return
        fld = f"{name}[{j}]"
        if j == most:
            add(
                Finding(
                    "proofs_count_mismatch",
                    ko=f"{name} 증명이 {most:,}개보다 많습니다. 나머지는 읽지 않았습니다",
                    en=f"more than {most:,} {name} proofs; the rest of the file is not read",
                    file=PROOFS_FILE,
                    field=name,
                )
            )
            raise _Stop
        data = _item(stream)
        if data is None or not data.startswith(b"{"):
            add(_not_canonical(fld))
            raise _Stop
        if not spend(data, None, fld):
            raise _Stop
        yield _decoded(data, fld, add)
        after = stream.read(1)
        if after == b"]":
            return
        if after != b",":
            add(_not_canonical(fld))
            raise _Stop


class _Stop(Exception):
    """The rest of proofs.json cannot be read as proofs."""


def check_proofs_stream(
    stream: IO[bytes],
    hashes: Sequence[bytes],
    checkpoint: Checkpoint | None,
    add: Add,
    stop: Callable[[], bool],
    spend: Spend | None = None,
) -> list[dict[str, Any]]:
    """Check proofs.json read as a stream, one proof at a time, as `check_proofs` does; the
    consistency items (for an earlier checkpoint). Reading stops at the first place where the
    file is not canonical, after one more inclusion proof than there are entries, or when
    `stop()` says that enough problems were found."""
    consistency: list[dict[str, Any]] = []
    roots: dict[int, bytes] = {}
    spend = spend or (lambda data, row, fld: True)
    try:
        if stream.read(len(_HEAD)) != _HEAD:
            add(_not_canonical(""))
            return []
        for j, item in enumerate(_items(stream, "consistency", MAX_CONSISTENCY, add, stop, spend)):
            if item is not None:
                _consistency(j, item, hashes, checkpoint, add, roots)
                if isinstance(item, dict):
                    consistency.append(item)
        if stop():
            return consistency
        if stream.read(len(_MIDDLE)) != _MIDDLE:
            add(_not_canonical(""))
            return consistency
        count = 0
        for i, item in enumerate(_items(stream, "inclusion", len(hashes), add, stop, spend)):
            count = i + 1
            if item is not None:
                _inclusion(i, item, hashes, checkpoint, add)
        if stop():
            return consistency
        if stream.read(2) != b"}":  # the list's "]" is read: the object's "}", then the end
            add(_not_canonical(""))
            return consistency
    except _Stop:
        return consistency
    if count != len(hashes):
        add(
            Finding(
                "proofs_count_mismatch",
                ko=f"항목은 {len(hashes)}개인데 포함 증명은 {count}개입니다",
                en=f"{count} inclusion proofs for {len(hashes)} entries",
                file=PROOFS_FILE,
                field="inclusion",
            )
        )
    return consistency


def _inclusion(
    i: int, item: Any, hashes: Sequence[bytes], checkpoint: Checkpoint | None, add: Add
) -> None:
    fld = f"inclusion[{i}]"
    path = _path(item.get("path")) if isinstance(item, dict) else None
    if (
        not isinstance(item, dict)
        or set(item) != {"index", "leaf_hash", "path"}
        or not _int(item["index"])
        or not isinstance(item["leaf_hash"], str)
        or path is None
    ):
        add(
            _malformed(
                fld,
                ko="포함 증명은 {index, leaf_hash(16진수), path(base64 해시 목록)}여야 합니다",
                en="an inclusion proof is {index, leaf_hash (hex), path (base64 hashes)}",
            )
        )
        return
    if item["index"] != i:
        add(
            Finding(
                "proof_index_mismatch",
                ko=f"{i}번 항목의 증명에 적힌 순번이 {item['index']}입니다",
                en=f"the proof for entry {i} names index {item['index']}",
                file=PROOFS_FILE,
                field=f"{fld}.index",
            )
        )
    if i >= len(hashes):
        return
    if item["leaf_hash"] != hashes[i].hex():
        add(
            Finding(
                "proof_leaf_hash_mismatch",
                ko=f"leaf_hash가 entries.jsonl {i + 1}번째 줄의 해시와 다릅니다",
                en=f"leaf_hash is not the hash of line {i + 1} of entries.jsonl",
                file=PROOFS_FILE,
                field=f"{fld}.leaf_hash",
            )
        )
    if checkpoint is not None and not merkle.verify_inclusion(
        i, checkpoint.size, hashes[i], path, checkpoint.root_hash
    ):
        add(
            Finding(
                "proof_inclusion_invalid",
                ko="포함 증명으로 검증점의 루트 해시를 얻을 수 없습니다",
                en="the inclusion proof does not lead to the checkpoint's root hash",
                file=PROOFS_FILE,
                field=f"{fld}.path",
            )
        )


def _consistency(
    j: int,
    item: Any,
    hashes: Sequence[bytes],
    checkpoint: Checkpoint | None,
    add: Add,
    roots: dict[int, bytes] | None = None,
) -> None:
    fld = f"consistency[{j}]"
    path = _path(item.get("path")) if isinstance(item, dict) else None
    first_root = item.get("first_root") if isinstance(item, dict) else None
    root = b64decode_strict(first_root) if isinstance(first_root, str) else None
    if (
        not isinstance(item, dict)
        or set(item) != {"first", "first_root", "second", "path"}
        or not _int(item["first"])
        or not _int(item["second"])
        or root is None
        or len(root) != 32
        or path is None
    ):
        add(
            _malformed(
                fld,
                ko="일관성 증명은 {first, first_root, second, path}여야 합니다",
                en="a consistency proof is {first, first_root, second, path}",
            )
        )
        return
    first, second = item["first"], item["second"]
    if checkpoint is not None and second != checkpoint.size:
        add(
            Finding(
                "proof_second_mismatch",
                ko=f"second가 {second}인데 검증점의 크기는 {checkpoint.size}입니다",
                en=f"second is {second}, the checkpoint's size is {checkpoint.size}",
                file=PROOFS_FILE,
                field=f"{fld}.second",
            )
        )
    if first > len(hashes) or first > second:
        add(
            Finding(
                "proof_first_too_large",
                ko=f"first({first})가 기록의 크기보다 큽니다",
                en=f"first ({first}) is larger than the log",
                file=PROOFS_FILE,
                field=f"{fld}.first",
            )
        )
        return
    roots = {} if roots is None else roots
    if first not in roots:
        roots[first] = merkle.root(hashes[:first])
    if roots[first] != root:
        add(
            Finding(
                "proof_first_root_mismatch",
                ko=f"first_root가 처음 {first}개 항목의 루트 해시와 다릅니다",
                en=f"first_root is not the root of the first {first} entries",
                file=PROOFS_FILE,
                field=f"{fld}.first_root",
            )
        )
    if checkpoint is not None and not merkle.verify_consistency(
        first, checkpoint.size, root, checkpoint.root_hash, path
    ):
        add(
            Finding(
                "proof_consistency_invalid",
                ko="일관성 증명이 검증점과 맞지 않습니다",
                en="the consistency proof does not verify against the checkpoint",
                file=PROOFS_FILE,
                field=f"{fld}.path",
            )
        )
