"""Compile the translation catalogues (.po → .mo) with polib, so no GNU gettext is needed.

The compiled .mo files are committed; `make messages` runs this after makemessages, and a test
checks that every .mo matches its .po. The North's variant catalogue (ko_KP) is derived from the
Korean one first (`panmun.common.i18n_north`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from panmun.common.i18n_north import write as write_north

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def catalogues() -> list[Path]:
    """The project's catalogues, then those an app keeps in its own `locale/` (Django reads an
    installed app's `locale/` after the project's)."""
    return [
        *sorted(LOCALE.glob("*/LC_MESSAGES/*.po")),
        *sorted(LOCALE.parent.glob("*/locale/*/LC_MESSAGES/*.po")),
    ]


def compile_all() -> list[Path]:
    import polib  # noqa: PLC0415 (a tool of the tests and of `make messages`, not the app)

    write_north()
    written = []
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_all():
        sys.stdout.write(f"compiled {path}\n")
