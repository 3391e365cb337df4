"""Writes of the liaison record: `log` (append, receive, checkpoints, cosignatures),
`messages` (what officers send), `calls` (the daily contact calls), `keys` (rotation, trust),
`delivery` (to the other side's node, or to the other side on this node)."""
