"""Signing many entries at once on every core: the checks, the canonical form and Ed25519 take
about 150 µs an entry in one Python process, so a large batch is cut into chunks signed by
worker processes while the caller waits. Ed25519 signatures are deterministic, so the leaves
are byte for byte those one process would make. Pure Python, no Django.

The workers are spawned (fresh interpreters, not forks of a process holding database
connections and threads) and kept for the next batch. A worker gets the raw private key with each
chunk over its pipe, as a child of the same user; it keeps nothing between chunks.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from panmun.common.findings import Finding

from .entries import EntryError, make_signed_leaf

#: Below this many entries a batch is signed in the calling process (starting work elsewhere
#: costs more than it saves).
PARALLEL_FROM = 2_000

#: One signed entry (the entry and its leaf), or the findings that refused it.
Signed = tuple[dict[str, Any], bytes] | list[Finding]

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _sign_chunk(raw_key: bytes, specs: Sequence[Mapping[str, Any]]) -> list[Signed]:
    key = Ed25519PrivateKey.from_private_bytes(raw_key)
    out: list[Signed] = []
    for spec in specs:
        try:
            out.append(make_signed_leaf(**spec, private_key=key))
        except EntryError as exc:
            out.append(exc.problems)
    return out


def _workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=_workers(), mp_context=multiprocessing.get_context("spawn")
            )
        return _pool


def sign_many(
    specs: Sequence[Mapping[str, Any]],
    private_key: Ed25519PrivateKey,
    *,
    parallel: bool | None = None,
) -> list[Signed]:
    """`make_signed_leaf` of each spec (its keyword arguments but the key), in order; a spec
    that would not make a valid entry gives its findings instead. `parallel`: None decides by
    size and cores, True or False forces it."""
    if parallel is None:
        parallel = len(specs) >= PARALLEL_FROM and _workers() > 1
    if not parallel:
        return _sign_chunk(_raw(private_key), specs)
    raw = _raw(private_key)
    size = -(-len(specs) // (_workers() * 2))  # two chunks a worker: the slower core catches up
    chunks = [specs[i : i + size] for i in range(0, len(specs), size)]
    results: list[Signed] = []
    for part in _executor().map(_sign_chunk, [raw] * len(chunks), chunks):
        results.extend(part)
    return results


def _raw(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
