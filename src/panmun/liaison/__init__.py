"""The joint liaison channel (남북공동연락사무소): the two sides' signed, tamper-evident record.

So far only `merkle` (RFC 9162 trees and proofs); the app itself comes with issue 6."""
