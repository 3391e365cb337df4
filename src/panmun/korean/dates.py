"""Korea's calendar day, whatever the server's clock says.

Panmun's records are dated in Korea (KST, UTC+9, no daylight saving). A server that keeps UTC
— most do — is still on yesterday until 09:00 in Seoul, so `date.today()` there would call a
birth date of this morning "in the future" and a letter recorded today "not yet recorded".
Django code has `django.utils.timezone.localdate()` (TIME_ZONE is Asia/Seoul); this module is
for the Django-free cores (the registry file's checks).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def korea_today() -> dt.date:
    """Today's date in Korea."""
    return _now().astimezone(KST).date()
