"""Humanitarian aid to the North (issue 19): the ledger of money and goods under the policy in
force, published as IATI 2.03. Begun with `iati/`, the pure IATI parts."""
