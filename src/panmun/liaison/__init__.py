"""The joint liaison channel (남북공동연락사무소): the two sides' signed, tamper-evident record
of notices, replies, proposals, lists, meetings and the daily contact calls.

The pure modules (no Django) are the package `ledger` — everything `panmun liaison verify`
needs. The rest is the Django app: models, services, API, pages."""
