"""The complex's pages on workers: the rosters, their import and export."""
