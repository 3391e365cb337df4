"""Reference data every Panmun database holds: the two sides."""

from __future__ import annotations

from typing import Any

SIDES = (("south", "남측", "South"), ("north", "북측", "North"))


def ensure_sides(side_model: Any) -> dict[str, Any]:
    """Create the sides where missing (the data migration, the demo, tests after a flush)."""
    return {
        code: side_model.objects.get_or_create(code=code, defaults={"name_ko": ko, "name_en": en})[
            0
        ]
        for code, ko, en in SIDES
    }
