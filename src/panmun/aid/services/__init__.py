"""The aid ledger's writes, one module per part: activities, IATI import, money (transactions,
rates, history, loans), shipments (policy gates, receipts, monitoring)."""
