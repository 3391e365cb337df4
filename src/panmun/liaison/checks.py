"""Start-up check (a Django system check, run by `panmun check`, `migrate` and the servers):
every private key file in the key folder is readable by this user only. The files alone are
checked, not the database, so the check also holds before migrations."""

from __future__ import annotations

from typing import Any

from django.core import checks

from panmun.common import keyfiles

from .node import key_dir


@checks.register(checks.Tags.security)
def key_files(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    folder = key_dir()
    if not folder.exists():
        return []
    messages: list[checks.CheckMessage] = []
    for path in sorted(folder.glob("*.key")):
        problem = keyfiles.check_key_file(path)
        if problem is not None:
            messages.append(
                checks.Error(
                    f"{problem.finding.en} / {problem.finding.ko}",
                    hint="A private key file must be mode 0600 and owned by the user running "
                    "Panmun (chmod 600).",
                    obj=str(path),
                    id="liaison.E001",
                )
            )
    return messages
