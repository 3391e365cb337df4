"""The aid pages, one module per part of the ledger."""
