"""The verifiable selection lottery for reunions (상봉 대상자 추첨), scheme `panmun-draw-1`.

Anyone holding a draw's bundle can redo the draw and check it, with nothing but this text and
a SHA-256/HMAC library. Pure Python: no Django, no database.

**The pool (추첨 명단).** Every eligible applicant gets an opaque `draw_id` (no personal data), a
stratum (층, e.g. "90+") and a weight. `pool.csv` is UTF-8 with `\\n` line ends (also after the
last line): the header `draw_id,stratum,weight`, then one line `draw_id,stratum,weight` per entry,
sorted by draw_id in code-point order (which is also UTF-8 byte order), each draw_id once, the
weight written as Python's `repr(float)` (`1.0`, `36.0`, `0.5`, `1e-05`), finite and above zero.
No quoting: draw_id and stratum hold no comma, double quote, CR or LF, and a draw_id has no
whitespace at either end. The file has exactly one accepted spelling, so its SHA-256
(`pool_sha256`) names the pool.

**The criteria (추첨 기준).** `criteria.json` is `{"strata": [{"name": ..., "places": N}, ...]}`:
stratum names unique and non-empty, places a non-negative integer. Other keys anywhere are kept
and ignored by the draw. Every stratum of the pool must be named; a stratum may be empty; places
above a stratum's size select all of it. Panmun writes it as UTF-8 JSON (indent 2, keys in their
order, non-ASCII unescaped) with a final newline; its SHA-256 is `criteria_sha256`.

**The seed (시드).** 32 secret bytes: random (`secrets.token_bytes(32)`), 64 hex characters, or
SHA-256 of a public text (e.g. a broadcast number drawing) after Unicode NFC normalisation and
stripping of surrounding whitespace, in UTF-8. `seed_sha256` is SHA-256 of the 32 raw bytes.
Before the draw the organisers publish `commitment.json` (or at least `pool_sha256` and
`seed_sha256`): the pool and the seed are then fixed, and nobody can steer the outcome.

**The draw (추첨).** For each entry, `h = HMAC-SHA256(key=seed, message=UTF-8 bytes of
draw_id)`, `u = (h read as a big-endian unsigned integer + 1) / 2**256` (one correctly rounded
division, as Python's `int / int`; 0 < u <= 1; the same as rounding the integer to the nearest
double and multiplying by 2**-256), and `key = ln(u) / weight` in IEEE double. Within each stratum
the entries are ranked by key, highest first (equal keys: smaller draw_id first), from rank 1; the
first `places` ranks are selected and the others are reserves (예비 순위) in rank order. This is
Efraimidis-Spirakis weighted sampling without replacement: an entry of weight 6 is six times as
likely as one of weight 1 to come first.

**The result and the bundle (증빙 묶음).** `result.csv` has the header
`draw_id,stratum,rank,selected` and one line per pool entry (`selected` is `1` or `0`), strata in
the criteria's order, then by rank; `\\n` line ends. A bundle is a folder or a zip (members at its
root) holding `pool.csv`, `criteria.json`, `commitment.json`, `seed.hex` (64 lowercase hex
characters and `\\n`), `result.csv` and `README.txt`. `verify_bundle` recomputes everything from
the bundle alone and lists every difference as a `Finding` with a stable code, the file, the row
(the line number in the file, the header being row 1; for criteria.json, the stratum's position
in `strata`) and the field, in English and Korean; `panmun reunion verify-draw BUNDLE` prints
them. Given the values announced before the draw (`expect_pool_sha256`, `expect_seed_sha256`)
it also catches a bundle redone from scratch with another seed.
"""


# The package, lower layers first (a module imports only those above it in this list):
#   scheme      the fixed values: the algorithm's name, the files, their headers, the limits
#   findings    Finding, LotteryError
#   seeds       seeds and hashes, UTC times, JSON bytes
#   pool        pool.csv (PoolEntry)
#   criteria    criteria.json (Stratum, Criteria)
#   drawing     the draw and result.csv (ResultRow)
#   commitment  commitment.json (Commitment), commit
#   bundle      bundles (Bundle), make_bundle, read_bundle
#   verify      verify_bundle (VerifyReport, StratumSummary)

from __future__ import annotations

from .bundle import README, Bundle, BundleSource, make_bundle, read_bundle
from .commitment import Commitment, commit, parse_commitment
from .criteria import Criteria, Stratum, criteria_json, parse_criteria
from .drawing import ResultRow, draw, draw_key, parse_result, rank_stratum, result_csv
from .findings import Finding, LotteryError
from .pool import PoolEntry, parse_pool, pool_csv
from .scheme import (
    ALGORITHM,
    BUNDLE_FILES,
    COMMITMENT_FILE,
    CRITERIA_FILE,
    MAX_MEMBER_BYTES,
    MAX_ROW_FINDINGS,
    POOL_FILE,
    POOL_HEADER,
    README_FILE,
    RESULT_FILE,
    RESULT_HEADER,
    SEED_FILE,
    ZIP_COMPRESSLEVEL,
    ZIP_DATE_TIME,
)
from .seeds import new_seed, rfc3339, seed_from_hex, seed_from_public_text, sha256_hex
from .verify import StratumSummary, VerifyReport, verify_bundle

__all__ = [
    "ALGORITHM",
    "BUNDLE_FILES",
    "COMMITMENT_FILE",
    "CRITERIA_FILE",
    "MAX_MEMBER_BYTES",
    "MAX_ROW_FINDINGS",
    "POOL_FILE",
    "POOL_HEADER",
    "README",
    "README_FILE",
    "RESULT_FILE",
    "RESULT_HEADER",
    "SEED_FILE",
    "ZIP_COMPRESSLEVEL",
    "ZIP_DATE_TIME",
    "Bundle",
    "BundleSource",
    "Commitment",
    "Criteria",
    "Finding",
    "LotteryError",
    "PoolEntry",
    "ResultRow",
    "Stratum",
    "StratumSummary",
    "VerifyReport",
    "commit",
    "criteria_json",
    "draw",
    "draw_key",
    "make_bundle",
    "new_seed",
    "parse_commitment",
    "parse_criteria",
    "parse_pool",
    "parse_result",
    "pool_csv",
    "rank_stratum",
    "read_bundle",
    "result_csv",
    "rfc3339",
    "seed_from_hex",
    "seed_from_public_text",
    "sha256_hex",
    "verify_bundle",
]
