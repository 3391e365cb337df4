"""The permits pages, by who uses them: `applicant`, `review`."""
