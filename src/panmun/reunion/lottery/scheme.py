"""The fixed values of scheme `panmun-draw-1`: its name, its files and their headers, its limits."""

from __future__ import annotations

import re

ALGORITHM = "panmun-draw-1 (HMAC-SHA256, Efraimidis-Spirakis)"

POOL_FILE = "pool.csv"
CRITERIA_FILE = "criteria.json"
COMMITMENT_FILE = "commitment.json"
SEED_FILE = "seed.hex"
RESULT_FILE = "result.csv"
README_FILE = "README.txt"
BUNDLE_FILES: tuple[str, ...] = (POOL_FILE, CRITERIA_FILE, COMMITMENT_FILE, SEED_FILE, RESULT_FILE)

POOL_HEADER = "draw_id,stratum,weight"
RESULT_HEADER = "draw_id,stratum,rank,selected"

#: Row findings listed per file in a verification report; beyond, one finding gives the total.
MAX_ROW_FINDINGS = 50
#: Bounds of a bundle read by `verify_bundle` (issue 16): the registry holds 134,500
#: applicants, and a round's pool only its living ones; a pool line is an opaque id, a
#: stratum's name and a weight.
MAX_POOL_ENTRIES = 200_000
MAX_POOL_LINE = 1024
#: Largest bundle member read from a zip (a bundle of millions of entries stays far below).
MAX_MEMBER_BYTES = 512 * 2**20
#: Members of a zip get this fixed time, so the same bundle always gives the same bytes.
ZIP_DATE_TIME = (2000, 1, 1, 0, 0, 0)
#: Deflate level of a zip: 1 is four times as fast as 6 for a bundle only a tenth larger.
ZIP_COMPRESSLEVEL = 1

_TWO_256 = 2**256
_FORBIDDEN = re.compile(r'[,"\r\n]')
_HEX64 = re.compile(r"[0-9a-f]{64}")
_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z")
