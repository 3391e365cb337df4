"""RFC 9162 trees against the Certificate Transparency reference vectors, the RFC's recursive
definitions (written here again, independently), and every proof of many tree sizes."""

from __future__ import annotations

import hashlib

import pytest

from ..ledger import merkle

# The reference entries of the CT test vectors, and the tree hashes of their first n.
ENTRIES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = [
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]
LEAVES = [merkle.leaf_hash(e) for e in ENTRIES]


def mth(entries: list[bytes]) -> bytes:
    """MTH of RFC 9162 2.1.1, recursively, on the entries themselves."""
    n = len(entries)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + entries[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + mth(entries[:k]) + mth(entries[k:])).digest()


def path(m: int, entries: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 2.1.3.1, recursively."""
    n = len(entries)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*path(m, entries[:k]), mth(entries[k:])]
    return [*path(m - k, entries[k:]), mth(entries[:k])]


def subproof(m: int, entries: list[bytes], b: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) of RFC 9162 2.1.4.1, recursively."""
    n = len(entries)
    if m == n:
        return [] if b else [mth(entries)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*subproof(m, entries[:k], b), mth(entries[k:])]
    return [*subproof(m - k, entries[k:], False), mth(entries[:k])]


def entries_of(n: int) -> list[bytes]:
    return [f"entry {i}".encode() for i in range(n)]


def test_reference_roots():
    for n, expected in enumerate(ROOTS):
        assert merkle.root(LEAVES[:n]).hex() == expected
    assert merkle.root([]) == merkle.EMPTY_ROOT


def test_reference_inclusion_proofs():
    for index, size, expected in INCLUSION:
        proof = merkle.inclusion_proof(LEAVES[:size], index)
        assert [p.hex() for p in proof] == expected
        root = bytes.fromhex(ROOTS[size])
        assert merkle.verify_inclusion(index, size, LEAVES[index], proof, root)


@pytest.mark.parametrize("n", range(1, 34))
def test_roots_and_proofs_follow_the_rfc_definitions(n):
    entries = entries_of(n)
    leaves = [merkle.leaf_hash(e) for e in entries]
    root = merkle.root(leaves)
    assert root == mth(entries)
    for m in range(n):
        proof = merkle.inclusion_proof(leaves, m)
        assert proof == path(m, entries)
        assert merkle.verify_inclusion(m, n, leaves[m], proof, root)
    for m in range(1, n):
        proof = merkle.consistency_proof(leaves, m)
        assert proof == subproof(m, entries, True)
        assert merkle.verify_consistency(m, n, merkle.root(leaves[:m]), root, proof)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 8, 9, 16, 21])
def test_any_changed_byte_fails_verification(n):
    leaves = [merkle.leaf_hash(e) for e in entries_of(n)]
    root = merkle.root(leaves)
    for m in range(n):
        proof = merkle.inclusion_proof(leaves, m)
        assert not merkle.verify_inclusion(m, n, merkle.leaf_hash(b"forged"), proof, root)
        for i in range(len(proof)):
            bad = [*proof]
            bad[i] = bytes([bad[i][0] ^ 1]) + bad[i][1:]
            assert not merkle.verify_inclusion(m, n, leaves[m], bad, root)
        if proof:
            assert not merkle.verify_inclusion(m, n, leaves[m], proof[:-1], root)
        assert not merkle.verify_inclusion(m, n, leaves[m], [*proof, root], root)
    for m in range(1, n):
        first = merkle.root(leaves[:m])
        proof = merkle.consistency_proof(leaves, m)
        for i in range(len(proof)):
            bad = [*proof]
            bad[i] = bytes([bad[i][0] ^ 1]) + bad[i][1:]
            assert not merkle.verify_consistency(m, n, first, root, bad)
        assert not merkle.verify_consistency(m, n, merkle.leaf_hash(b"x"), root, proof)
        assert not merkle.verify_consistency(m, n, first, merkle.leaf_hash(b"x"), proof)
        assert not merkle.verify_consistency(m, n, first, root, [])


def test_edge_cases():
    leaves = [merkle.leaf_hash(e) for e in entries_of(5)]
    root = merkle.root(leaves)
    assert merkle.consistency_proof(leaves, 0) == []
    assert merkle.consistency_proof(leaves, 5) == []
    assert merkle.verify_consistency(0, 5, merkle.EMPTY_ROOT, root, [])
    assert merkle.verify_consistency(5, 5, root, root, [])
    assert not merkle.verify_consistency(5, 5, root, merkle.EMPTY_ROOT, [])
    assert not merkle.verify_consistency(6, 5, root, root, [])
    assert not merkle.verify_inclusion(5, 5, leaves[0], [], root)
    assert merkle.verify_inclusion(0, 1, leaves[0], [], leaves[0])
    with pytest.raises(ValueError):
        merkle.inclusion_proof(leaves, 5)
    with pytest.raises(ValueError):
        merkle.consistency_proof(leaves, 6)


@pytest.mark.parametrize("size", range(1, 71))
def test_inclusion_proofs_all_at_once(size: int) -> None:
    leaves = [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(size)]
    proofs = merkle.inclusion_proofs(leaves)
    assert proofs == [merkle.inclusion_proof(leaves, i) for i in range(size)]
    tree = merkle.levels(leaves)
    assert tree[0] == leaves and tree[-1] == [merkle.root(leaves)]
    top = merkle.root(leaves)
    assert all(merkle.verify_inclusion(i, size, leaves[i], p, top) for i, p in enumerate(proofs))


def test_levels_of_no_leaves() -> None:
    assert merkle.levels([]) == []
    assert merkle.inclusion_proofs([]) == []
    with pytest.raises(ValueError):
        merkle.path_from_levels([], 0)
    with pytest.raises(ValueError):
        merkle.path_from_levels(merkle.levels([merkle.leaf_hash(b"")]), 1)
