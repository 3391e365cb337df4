"""Start-up checks (Django system checks, run by `panmun check`, `migrate` and the servers) of the
visit certificates' signing key: every private key file readable by this user only, as the
liaison's; and a warning where no key exists and none will be made on first use (production),
since a visit cannot then be approved until `panmun permits keys --create` is run."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from panmun.common import keyfiles

from .signing import key_dir, keys_path


@checks.register(checks.Tags.security)
def certificate_key_files(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    folder = key_dir()
    messages: list[checks.CheckMessage] = []
    if not keys_path().exists() and not settings.PANMUN_PERMITS_CREATE_KEYS:
        messages.append(
            checks.Warning(
                "No visit certificate signing key: a visit cannot be approved until one is "
                "made. / 방문증명서 서명 키가 없어 방문을 승인할 수 없습니다.",
                hint="Run 'panmun permits keys --create' once.",
                obj=str(folder),
                id="permits.W001",
            )
        )
    if not folder.exists():
        return messages
    for path in sorted(folder.glob("*.key")):
        problem = keyfiles.check_key_file(path)
        if problem is not None:
            messages.append(
                checks.Error(
                    f"{problem.finding.en} / {problem.finding.ko}",
                    hint="A private key file must be mode 0600 and owned by the user running "
                    "Panmun (chmod 600).",
                    obj=str(path),
                    id="permits.E001",
                )
            )
    return messages
