"""The check sheet's rows (willingness and health of each drawn candidate) as the round's page
and the sheet's own views show them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from ..models import Candidate, Health, Willingness


@dataclass
class CheckRow:
    """A row of the check sheet: the candidate, the values shown (as stored, or as typed when
    refused), the problems on each field, and whether it was just saved."""

    candidate: Candidate
    willingness: str
    health: str
    note: str
    errors: dict[str, list[str]] = field(default_factory=dict)
    saved: bool = False

    @property
    def url(self) -> str:
        return reverse("reunion:candidate-check", args=[self.candidate.round_id, self.candidate.pk])

    @classmethod
    def of(cls, candidate: Candidate, *, saved: bool = False) -> CheckRow:
        return cls(
            candidate, candidate.willingness, candidate.health, candidate.check_note, saved=saved
        )

    @property
    def all_errors(self) -> list[str]:
        return [message for messages_ in self.errors.values() for message in messages_]


def check_rows(candidates: list[Candidate], typed: CheckRow | None) -> list[CheckRow]:
    """The page's rows; a row as typed (refused) replaces its candidate's, or comes first."""
    rows = [CheckRow.of(c) for c in candidates]
    if typed is None:
        return rows
    for n, row in enumerate(rows):
        if row.candidate.pk == typed.candidate.pk:
            rows[n] = typed
            return rows
    return [typed, *rows]


def choices_context() -> dict[str, Any]:
    """The rows' choices, translated once for the whole sheet (not once per row)."""
    return {
        "willingness_choices": [(v, str(label)) for v, label in Willingness.choices],
        "health_choices": [(v, str(label)) for v, label in Health.choices],
    }
