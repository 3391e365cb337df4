"""Files written by others (`../shared/data`: Person Finder's PFIF, IATI, the ministry's aid
table) are read from the folder beside the checkout, never copied into it. Where that folder is
absent (a bare clone), the tests that need one skip and say why."""

from __future__ import annotations

from pathlib import Path

import pytest

#: ../shared: src/panmun/tests/ → the checkout → the folder that holds it, and shared/ in it.
SHARED = Path(__file__).resolve().parents[3].parent / "shared"


def shared_file(relative: str) -> Path:
    """`../shared/<relative>`, or a skip that names the missing file."""
    path = SHARED / relative
    if not path.is_file():
        pytest.skip(f"{path} is absent: ../shared/ is not beside this checkout")
    return path
