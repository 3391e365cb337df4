"""IATI 2.03: codelists (and, to come, the activity files written and read). Pure: no Django."""
