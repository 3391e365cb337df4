"""The joint liaison channel (남북공동연락사무소): the two sides' signed, tamper-evident record
of notices, replies, proposals, lists, meetings and the daily contact calls.

Pure modules (no Django): `merkle`, `schema` + `entries`, `notes`, `keys`, `proofs`, `bundle`
(+ `bundle_verify`, `bundle_checkpoint`) and `commandline` — everything `panmun liaison verify`
needs. The rest is the Django app: models, services, API, pages."""
