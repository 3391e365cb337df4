"""The liaison ledger: the signed, tamper-evident record itself, pure Python — no Django, no
database, no settings (as `panmun.reunion.lottery` is for the draw). Anyone holding a log's
bundle checks it with this package alone (`panmun liaison verify`, which runs before Django,
or `python -m panmun.liaison.ledger verify`); the Django app around it (models, services, API,
pages) keeps the logs and hands them the plain values these modules take.

The package, lower layers first (a module imports only those above it in this list, and
outside it only `panmun.common.findings`, `panmun.common.bundlefiles`, `panmun.common.pdf`
and `panmun.korean`):
  merkle             RFC 9162 Merkle trees: tree hash, inclusion and consistency proofs
  notes              C2SP signed notes, checkpoints and cosignature/v1, Ed25519 key strings
  schema             the entries' kinds, sides, UTC times and the rules of each kind's body
  entries            entries as RFC 8785 canonical JSON, signed leaves, their checks
  keys               keys.json (published public keys) and the private key files (0600)
  signing            large batches of entries signed on every core
  proofs             proofs.json: every entry's inclusion proof, consistency proofs
  bundle_checkpoint  a bundle's checkpoint, its signatures and cosignatures; the report
  bundle_verify      checking a bundle's files: entries, checkpoint, proofs, earlier checkpoint
  bundle             the export bundle (a folder or a .zip): writing it, verify_bundle
  commandline        `panmun liaison verify` (`__main__`: `python -m panmun.liaison.ledger`)
  documents          a liaison thread as a printable PDF, in Korean
"""
