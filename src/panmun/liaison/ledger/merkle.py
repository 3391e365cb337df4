"""Merkle trees of RFC 9162 (Certificate Transparency 2.0, section 2.1): the tree hash of a
list of entries, inclusion proofs and consistency proofs, and their verification.

A log's tree is over its entries in order: leaf hash ``SHA-256(0x00 || entry)``, interior node
``SHA-256(0x01 || left || right)``, the root of no entries ``SHA-256("")``. For n > 1 entries
the left subtree holds the first k, k the largest power of two smaller than n (RFC 9162
2.1.1). Proofs are made from the leaf hashes (2.1.3.1, 2.1.4.1); they are verified with the
algorithms of 2.1.3.2 and 2.1.4.2, which use only the proof, the sizes and the roots — what the
other side holds.

Written here rather than taken from a package: it is small, and the one maintained Python
package (pymerkle) asks for a security review before use. Pure Python, no Django.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = [
    "EMPTY_ROOT",
    "consistency_proof",
    "frontier_append",
    "frontier_root",
    "inclusion_proof",
    "inclusion_proofs",
    "leaf_hash",
    "levels",
    "node_hash",
    "path_from_levels",
    "root",
    "verify_consistency",
    "verify_inclusion",
]

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """k: the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves: Sequence[bytes]) -> bytes:
    """The tree hash (MTH) of the leaf hashes given, built bottom-up level by level: pairing
    from the left and carrying an odd last node up gives RFC 9162's shape."""
    if not leaves:
        return EMPTY_ROOT
    level = list(leaves)
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def frontier_append(frontier: Sequence[bytes], size: int, leaf: bytes) -> list[bytes]:
    """The frontier of a tree of `size` leaves with one more leaf appended.

    The frontier is the roots of the perfect subtrees the tree splits into, largest first (one
    for each bit set in the size), so a log keeps its root up to date in O(log n) per entry
    instead of re-reading every leaf."""
    result = list(frontier)
    node, n = leaf, size
    while n & 1:
        node = node_hash(result.pop(), node)
        n >>= 1
    result.append(node)
    return result


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    """The tree hash from its frontier: the subtrees joined from the right (RFC 9162's shape,
    whose left part is always the largest perfect subtree)."""
    if not frontier:
        return EMPTY_ROOT
    result = frontier[-1]
    for node in reversed(frontier[:-1]):
        result = node_hash(node, result)
    return result


def levels(leaves: Sequence[bytes]) -> list[list[bytes]]:
    """Every level of the tree, bottom-up: the leaf hashes first, the root alone last. Each
    level pairs the one below from the left and carries an odd last node up, as `root` does;
    node j of a level is node j // 2 of the next. No levels for no leaves."""
    if not leaves:
        return []
    level = list(leaves)
    built = [level]
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
        built.append(level)
    return built


def path_from_levels(tree: Sequence[Sequence[bytes]], index: int) -> list[bytes]:
    """The inclusion proof of leaf `index` from the levels of its tree (`levels`): the
    sibling at each level, nearest the leaf first; a carried node has none at its level. The
    same proof as `inclusion_proof`, in O(log n)."""
    size = len(tree[0]) if tree else 0
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    proof: list[bytes] = []
    j = index
    for level in tree[:-1]:
        sibling = j ^ 1
        if sibling < len(level):
            proof.append(level[sibling])
        j >>= 1
    return proof


def inclusion_proofs(leaves: Sequence[bytes]) -> list[list[bytes]]:
    """The inclusion proof of every leaf, in order, in O(n log n) (one `inclusion_proof`
    each would take O(n) per leaf)."""
    tree = levels(leaves)
    return [path_from_levels(tree, i) for i in range(len(leaves))]


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 2.1.3.1: the hashes that prove leaf `index` is in the tree."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf {index} is not in a tree of {len(leaves)}")
    proof: list[bytes] = []
    lo, hi, m = 0, len(leaves), index
    while hi - lo > 1:
        k = _split(hi - lo)
        if m < k:
            proof.append(root(leaves[lo + k : hi]))
            hi = lo + k
        else:
            proof.append(root(leaves[lo : lo + k]))
            lo, m = lo + k, m - k
    proof.reverse()  # PATH lists the sibling nearest the leaf first
    return proof


def consistency_proof(leaves: Sequence[bytes], first: int) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 2.1.4.1: that the tree of the first `first` leaves is a
    prefix of the tree of all of them."""
    n = len(leaves)
    if not 0 <= first <= n:
        raise ValueError(f"a tree of {first} is not a prefix of one of {n}")
    if first in (0, n):
        return []
    return _subproof(leaves, first, True)


def _subproof(leaves: Sequence[bytes], m: int, complete: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [root(leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(leaves[:k], m, complete), root(leaves[k:])]
    return [*_subproof(leaves[k:], m - k, False), root(leaves[:k])]


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], expected_root: bytes
) -> bool:
    """RFC 9162 2.1.3.2: does `proof` show leaf hash `leaf` at `index` in the tree of `size`
    whose root is `expected_root`?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == expected_root


def verify_consistency(
    first: int,
    second: int,
    first_root: bytes,
    second_root: bytes,
    proof: Sequence[bytes],
) -> bool:
    """RFC 9162 2.1.4.2: does `proof` show the tree of `first` entries (root `first_root`) to
    be a prefix of the tree of `second` entries (root `second_root`)?"""
    if not 0 <= first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof  # every tree extends the empty one
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # an exact power of two
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0
