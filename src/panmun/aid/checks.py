"""Start-up checks (Django system checks) of the aid ledger: the folder of IATI's schemas and
codelists (`PANMUN_IATI_DIR`), without which IATI import and export refuse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks


@checks.register()
def iati_folder(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    configured = str(getattr(settings, "PANMUN_IATI_DIR", "") or "")
    folder = Path(configured) if configured else None
    if (
        folder is not None
        and (folder / "schema-2.03" / "iati-activities-schema.xsd").is_file()
        and (folder / "codelists").is_dir()
    ):
        return []
    return [
        checks.Warning(
            "No IATI schemas and codelists: the aid ledger's IATI import and export refuse. / "
            "IATI 스키마와 코드 목록이 없어 IATI 반입과 내보내기를 할 수 없습니다.",
            hint="Set PANMUN_IATI_DIR to a folder holding schema-2.03/ and codelists/.",
            obj=configured or "PANMUN_IATI_DIR",
            id="aid.W001",
        )
    ]
