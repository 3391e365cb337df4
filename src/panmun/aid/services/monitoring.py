"""Writes of distribution monitoring (분배 모니터링): a visit planned, done (with what was seen
and the photos taken, each a reference to its file with the file's SHA-256) or refused by the
other side. Aid that no visit could see is flagged in reports
(`selectors_shipments.unmonitored`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import User
from panmun.common.errors import invalid_fields
from panmun.common.text import text_problem

from ..access import activities_for_edit
from ..models import Activity, MonitoringOutcome, MonitoringPhoto, MonitoringVisit, Shipment

SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_SEEN = 4000
MAX_PHOTOS = 100

Problem = tuple[str, str, str]


def _text(name: str, value: str, limit: int, problems: list[Problem], *, required: bool) -> None:
    problem = text_problem(name, value, limit, required=required)
    if problem:
        problems.append(problem)


@transaction.atomic
def monitoring_record(
    *,
    actor: User,
    activity: Activity,
    place: str,
    planned_on: dt.date,
    outcome: str,
    visited_on: dt.date | None = None,
    shipment: Shipment | None = None,
    seen_ko: str = "",
    seen_en: str = "",
    photos: Sequence[Mapping[str, str]] = (),
) -> MonitoringVisit:
    """Record a monitoring visit of `activity` (of one of its shipments): planned, done on
    `visited_on` with what was seen in both languages and its photos, or refused by the other
    side. Audited."""
    require_authenticated(actor)
    require(activities_for_edit(actor).filter(pk=activity.pk).exists())
    problems: list[Problem] = []
    if outcome not in MonitoringOutcome.values:
        problems.append(
            (
                "outcome",
                "목록에서 고르십시오.",
                "Choose from: " + ", ".join(MonitoringOutcome.values),
            )
        )
    _text("place", place, 200, problems, required=True)
    done = outcome == MonitoringOutcome.DONE
    for name, value in (("seen_ko", seen_ko), ("seen_en", seen_en)):
        _text(name, value, MAX_SEEN, problems, required=done)
    today = timezone.localdate()
    if done and visited_on is None:
        problems.append(("visited_on", "다녀온 날을 적어 주십시오.", "Give the day of the visit."))
    if visited_on is not None and visited_on > today:
        problems.append(("visited_on", "미래의 날짜입니다.", "The date is in the future."))
    if shipment is not None and shipment.activity_id != activity.pk:
        problems.append(
            ("shipment", "이 사업의 수송이 아닙니다.", "Not a shipment of this activity.")
        )
    if photos and not done:
        problems.append(
            ("photos", "사진은 다녀온 방문에만 붙입니다.", "Photos belong to a visit done.")
        )
    if len(photos) > MAX_PHOTOS:
        problems.append(("photos", f"{MAX_PHOTOS}장까지입니다.", f"At most {MAX_PHOTOS}."))
    for i, photo in enumerate(photos[:MAX_PHOTOS]):
        _text(f"photos[{i}].file_ref", str(photo.get("file_ref", "")), 500, problems, required=True)
        _text(f"photos[{i}].caption", str(photo.get("caption", "")), 300, problems, required=False)
        if not SHA256.match(str(photo.get("sha256", ""))):
            problems.append(
                (
                    f"photos[{i}].sha256",
                    "SHA-256은 16진수 소문자 64자입니다.",
                    "A SHA-256 is 64 lowercase hexadecimal digits.",
                )
            )
    if problems:
        raise invalid_fields(
            "모니터링을 기록하지 않았습니다.", "The monitoring visit was not recorded.", problems
        )
    visit = MonitoringVisit(
        activity=activity,
        shipment=shipment,
        place=place.strip(),
        planned_on=planned_on,
        visited_on=visited_on if outcome != MonitoringOutcome.PLANNED else None,
        outcome=outcome,
        seen_ko=seen_ko.strip(),
        seen_en=seen_en.strip(),
        created_by=actor,
    )
    visit.full_clean()
    visit.save()
    MonitoringPhoto.objects.bulk_create(
        [
            MonitoringPhoto(
                visit=visit,
                file_ref=str(p["file_ref"]).strip(),
                sha256=str(p["sha256"]),
                caption=str(p.get("caption", "")).strip(),
            )
            for p in photos
        ]
    )
    audit.record(
        actor=actor,
        action="aid.monitoring.record",
        obj=visit,
        changes={
            "activity": activity.identifier,
            "shipment": shipment.reference if shipment else None,
            "outcome": outcome,
            "visited_on": visit.visited_on.isoformat() if visit.visited_on else None,
            "photos": [p["sha256"] for p in photos],
        },
    )
    return visit
