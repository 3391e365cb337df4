"""Writes of exchange approvals: `applications` (filing, amending, submitting, copying, policy
exceptions), `checks` (what a submission must hold), `moves` (the state machine's moves)."""
