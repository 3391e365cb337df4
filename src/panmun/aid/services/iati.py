"""The aid ledger in and out of IATI 2.03 activity files.

- `iati_import(*, actor, data, file)`: another publisher's file (or Panmun's own) into the
  ledger, all or nothing. Only the ministry's officers import (`access.can_keep_ledger`): an
  imported activity belongs to no Panmun organisation (`organisation=None`), so an aid
  organisation could not edit it afterwards anyway. An activity whose identifier is already in
  the ledger is refused as a conflict (409), never replaced: a correction is made in the ledger.
  Narratives in Korean and English go to the `_ko`/`_en` fields, others to the JSON fields
  (`narratives`, `names_other`, `description_other`, the org names). The channel comes from the
  reporting organisation's type: multilateral (40) → through an international organisation,
  anything else → the government directly. A `related-activity` of type 1 (parent) is kept where
  the parent is in the file or in the ledger; type 2 (child) is implied by the children's own.
  Elements the ledger has no place for (budgets, results, locations, ...) are not kept.
- `iati_export(activities, *, generated)`: the selection as one file, checked before it is
  returned: valid against the schema, every code active on its codelist, IATI's rules.
  `generated` is the file's generated-datetime, given by the caller (the pages and the CLI pass
  the time of the request): the output is then a function of the ledger alone, so exporting,
  importing into an empty ledger and exporting again with the same `generated` gives the same
  bytes. A selection closed under parent and child round-trips exactly.

Both refuse (DomainError naming `PANMUN_IATI_DIR`) where the folder of schemas and codelists is
not configured."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode
from panmun.common.findings import Finding, FindingsError

from .. import access
from ..iati import document as doc
from ..iati import reader, writer
from ..iati.codelists import Codelist, read_codelists
from ..models import Activity, ActivitySector, Channel, ParticipatingOrg, Transaction

#: Activities read per query when exporting (each with its participants, sectors, money).
EXPORT_CHUNK = 500
BATCH = 2000


@dataclass(frozen=True)
class ImportResult:
    activities: int
    transactions: int
    identifiers: list[str] = field(default_factory=list)


# -- the folder of schemas and codelists ----------------------------------------------------


def iati_dir() -> Path:
    """`settings.PANMUN_IATI_DIR`, or a refusal naming the setting."""
    configured = str(getattr(settings, "PANMUN_IATI_DIR", "") or "")
    folder = Path(configured) if configured else None
    if folder is None or not (folder / "schema-2.03").is_dir() or not (folder / "codelists").is_dir():
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "IATI 스키마와 코드 목록이 있는 폴더가 설정되지 않았습니다: PANMUN_IATI_DIR "
            "(schema-2.03/와 codelists/가 있는 폴더)를 설정하십시오.",
            "The folder of IATI schemas and codelists is not configured: set PANMUN_IATI_DIR "
            "(a folder holding schema-2.03/ and codelists/).",
            {"setting": "PANMUN_IATI_DIR", "value": configured},
        )
    return folder


@lru_cache(maxsize=4)
def _codelists(folder: str) -> dict[str, Codelist]:
    return read_codelists(Path(folder) / "codelists")


def _read(data: bytes, *, file: str, writing: bool) -> doc.ActivityFile:
    folder = iati_dir()
    return reader.read(
        data,
        file=file,
        schema_folder=folder / "schema-2.03",
        codelists=_codelists(str(folder)),
        writing=writing,
    )


def _refused(problems: list[Finding], *, file: str) -> DomainError:
    return DomainError.from_findings(
        problems,
        ko=f"{file}: IATI 파일을 받을 수 없습니다 (문제 {len(problems)}개). 아무것도 기록하지 "
        "않았습니다.",
        en=f"{file}: the IATI file is refused ({len(problems)} problems). Nothing was written.",
        file=file,
        codes=sorted({problem.code for problem in problems}),
    )


# -- the ledger as IATI data ----------------------------------------------------------------


def _names(ko: str, en: str, other: dict[str, str] | None) -> doc.Narratives:
    names = {lang: text for lang, text in (other or {}).items() if lang not in ("ko", "en")}
    return {"ko": ko, "en": en, **names}


def _org_or_none(ref: str, type_: str, names: dict[str, str], activity_id: str) -> doc.Org | None:
    if not (ref or type_ or names or activity_id):
        return None
    return doc.Org(ref=ref, type=type_, names=dict(names), activity_id=activity_id)


def _as_document_activity(activity: Activity, children: list[str]) -> doc.Activity:
    dates = {
        kind: value
        for kind, value in (
            ("1", activity.planned_start),
            ("2", activity.actual_start),
            ("3", activity.planned_end),
            ("4", activity.actual_end),
        )
        if value is not None
    }
    other = activity.narratives or {}
    return doc.Activity(
        identifier=activity.identifier,
        reporting_org=doc.Org(
            ref=activity.reporting_org_ref,
            type=activity.reporting_org_type,
            names={"ko": activity.reporting_org_name_ko, "en": activity.reporting_org_name_en},
        ),
        default_currency=activity.default_currency,
        humanitarian=activity.humanitarian,
        title=_names(activity.title_ko, activity.title_en, other.get("title")),
        description=_names(
            activity.description_ko, activity.description_en, other.get("description")
        ),
        participants=[
            doc.Org(
                ref=p.ref,
                type=p.org_type,
                names=_names(p.name_ko, p.name_en, p.names_other),
                role=str(p.role),
                activity_id=p.activity_id_ref,
            )
            for p in activity.participants.all()
        ],
        status=str(activity.status),
        dates=dates,
        recipient_country=activity.recipient_country,
        sectors=[
            doc.Sector(s.vocabulary, s.code, s.percentage, dict(s.narrative or {}))
            for s in activity.sectors.all()
        ],
        humanitarian_scopes=[
            doc.HumanitarianScope(
                type=str(scope.get("type", "")),
                vocabulary=str(scope.get("vocabulary", "")),
                code=str(scope.get("code", "")),
                narratives=dict(scope.get("narrative") or {}),
            )
            for scope in activity.humanitarian_scopes or []
        ],
        transactions=[
            doc.Transaction(
                type=str(t.type),
                date=t.date,
                value=t.value,
                currency=t.currency,
                value_date=t.value_date,
                ref=t.ref,
                humanitarian=t.humanitarian,
                description=_names(t.description_ko, t.description_en, t.description_other),
                provider=_org_or_none(
                    t.provider_org_ref,
                    t.provider_org_type,
                    t.provider_org_name,
                    t.provider_activity_id,
                ),
                receiver=_org_or_none(
                    t.receiver_org_ref,
                    t.receiver_org_type,
                    t.receiver_org_name,
                    t.receiver_activity_id,
                ),
                codes=dict(t.codes or {}),
            )
            for t in activity.transactions.all()
        ],
        parent=activity.parent.identifier if activity.parent is not None else "",
        children=sorted(children),
    )


def iati_export(activities: QuerySet[Activity], *, generated: dt.datetime) -> bytes:
    """The IATI 2.03 file of `activities` (ordered by identifier), refused with its problems
    named if what was written does not validate (schema, codelists, IATI's rules)."""
    ids = list(activities.order_by("identifier").values_list("pk", flat=True))
    wanted = set(ids)
    children: dict[int, list[str]] = {}
    for parent_id, identifier in Activity.objects.filter(parent__isnull=False).values_list(
        "parent_id", "identifier"
    ):
        if parent_id in wanted:
            children.setdefault(parent_id, []).append(identifier)
    document = doc.ActivityFile(generated=generated)
    for start in range(0, len(ids), EXPORT_CHUNK):
        chunk = (
            Activity.objects.filter(pk__in=ids[start : start + EXPORT_CHUNK])
            .order_by("identifier")
            .select_related("parent")
            .prefetch_related("participants", "sectors", "transactions")
        )
        document.activities.extend(
            _as_document_activity(activity, children.get(activity.pk, [])) for activity in chunk
        )
    data = writer.write(document)
    try:
        _read(data, file="export.xml", writing=True)
    except FindingsError as exc:
        raise DomainError.from_findings(
            exc.problems,
            ko="내보낸 IATI 파일이 검증을 통과하지 못했습니다. 아래 활동을 먼저 고치십시오.",
            en="The IATI file written does not validate; mend these activities first.",
        ) from exc
    return data


# -- IATI data into the ledger --------------------------------------------------------------


def _split(narratives: doc.Narratives) -> tuple[str, str, dict[str, str]]:
    other = {lang: text for lang, text in narratives.items() if lang not in ("ko", "en")}
    return narratives.get("ko", ""), narratives.get("en", ""), dict(sorted(other.items()))


def _channel(reporting_type: str) -> str:
    return Channel.VIA_INTERNATIONAL if reporting_type == "40" else Channel.GOVERNMENT


def _limits(document: doc.ActivityFile, *, file: str) -> list[Finding]:
    """What the schema lets through but the ledger's columns cannot hold."""
    problems: list[Finding] = []

    def check(activity: doc.Activity, where: str, value: str, limit: int) -> None:
        if len(value) > limit:
            problems.append(
                Finding(
                    "iati_too_long",
                    ko=f"{limit}자를 넘습니다 ({len(value)}자).",
                    en=f"Longer than {limit} characters ({len(value)}).",
                    file=file,
                    row=f"line {activity.line}" if activity.line else None,
                    field=f"iati-activity[iati-identifier='{activity.identifier}']/{where}",
                )
            )

    def places(activity: doc.Activity, where: str, value: Decimal | None, digits: int) -> None:
        if value is None:
            return
        exponent = value.as_tuple().exponent
        whole = len(str(abs(int(value))))
        if (isinstance(exponent, int) and exponent < -2) or whole > digits - 2:
            problems.append(
                Finding(
                    "iati_number_too_precise",
                    ko=f"기록할 수 없는 숫자입니다: {value} (소수점 아래 2자리, 정수부 "
                    f"{digits - 2}자리까지)",
                    en=f"A number the ledger cannot hold: {value} (at most 2 decimal places "
                    f"and {digits - 2} whole digits)",
                    file=file,
                    row=f"line {activity.line}" if activity.line else None,
                    field=f"iati-activity[iati-identifier='{activity.identifier}']/{where}",
                )
            )

    for activity in document.activities:
        check(activity, "iati-identifier", activity.identifier, 200)
        check(activity, "reporting-org/@ref", activity.reporting_org.ref, 100)
        check(activity, "reporting-org/@type", activity.reporting_org.type, 4)
        for lang in ("ko", "en"):
            check(activity, f"title/narrative[@xml:lang='{lang}']", activity.title.get(lang, ""), 400)
            check(
                activity,
                f"reporting-org/narrative[@xml:lang='{lang}']",
                activity.reporting_org.names.get(lang, ""),
                300,
            )
        for n, org in enumerate(activity.participants, start=1):
            check(activity, f"participating-org[{n}]/@ref", org.ref, 100)
            check(activity, f"participating-org[{n}]/@activity-id", org.activity_id, 200)
            for lang in ("ko", "en"):
                check(activity, f"participating-org[{n}]/narrative", org.names.get(lang, ""), 300)
        for n, sector in enumerate(activity.sectors, start=1):
            check(activity, f"sector[{n}]/@code", sector.code, 40)
            check(activity, f"sector[{n}]/@vocabulary", sector.vocabulary, 10)
            places(activity, f"sector[{n}]/@percentage", sector.percentage, 5)
        for n, t in enumerate(activity.transactions, start=1):
            check(activity, f"transaction[{n}]/@ref", t.ref, 100)
            places(activity, f"transaction[{n}]/value", t.value, 20)
            for tag, org in (("provider-org", t.provider), ("receiver-org", t.receiver)):
                if org is not None:
                    check(activity, f"transaction[{n}]/{tag}/@ref", org.ref, 100)
                    check(activity, f"transaction[{n}]/{tag}/@type", org.type, 4)
                    check(activity, f"transaction[{n}]/{tag}/@*-activity-id", org.activity_id, 200)
    return problems


def _conflicts(document: doc.ActivityFile, *, file: str) -> list[Finding]:
    identifiers = [a.identifier for a in document.activities]
    present: set[str] = set()
    for start in range(0, len(identifiers), 900):
        present.update(
            Activity.objects.filter(identifier__in=identifiers[start : start + 900]).values_list(
                "identifier", flat=True
            )
        )
    return [
        Finding(
            "iati_activity_exists",
            ko="이 식별자의 활동이 이미 장부에 있습니다. 반입은 기존 활동을 바꾸지 않습니다.",
            en="An activity with this identifier is already in the ledger; an import does not "
            "replace it.",
            file=file,
            row=f"line {a.line}" if a.line else None,
            field=f"iati-activity[iati-identifier='{a.identifier}']",
        )
        for a in document.activities
        if a.identifier in present
    ]


def _activity_row(activity: doc.Activity, actor: User) -> Activity:
    title_ko, title_en, title_other = _split(activity.title)
    desc_ko, desc_en, desc_other = _split(activity.description)
    narratives: dict[str, Any] = {}
    if title_other:
        narratives["title"] = title_other
    if desc_other:
        narratives["description"] = desc_other
    return Activity(
        identifier=activity.identifier,
        title_ko=title_ko,
        title_en=title_en,
        description_ko=desc_ko,
        description_en=desc_en,
        narratives=narratives,
        organisation=None,
        reporting_org_ref=activity.reporting_org.ref,
        reporting_org_type=activity.reporting_org.type,
        reporting_org_name_ko=activity.reporting_org.names.get("ko", ""),
        reporting_org_name_en=activity.reporting_org.names.get("en", ""),
        channel=_channel(activity.reporting_org.type),
        status=int(activity.status or 1),
        planned_start=activity.dates.get("1"),
        actual_start=activity.dates.get("2"),
        planned_end=activity.dates.get("3"),
        actual_end=activity.dates.get("4"),
        humanitarian=bool(activity.humanitarian),
        humanitarian_scopes=[
            {
                "type": scope.type,
                "vocabulary": scope.vocabulary,
                "code": scope.code,
                "narrative": scope.narratives,
            }
            for scope in activity.humanitarian_scopes
        ],
        default_currency=activity.default_currency or "KRW",
        recipient_country=activity.recipient_country,
        created_by=actor,
    )


def _org_names(org: doc.Org | None) -> dict[str, str]:
    return dict(org.names) if org is not None else {}


def _write(document: doc.ActivityFile, actor: User, ledger_parents: dict[str, int]) -> int:
    rows = [_activity_row(activity, actor) for activity in document.activities]
    Activity.objects.bulk_create(rows, batch_size=BATCH)  # sets the pks (RETURNING)
    by_identifier = {**ledger_parents, **{row.identifier: row.pk for row in rows}}
    participants: list[ParticipatingOrg] = []
    sectors: list[ActivitySector] = []
    transactions: list[Transaction] = []
    parents: list[Activity] = []
    for activity in document.activities:
        pk = by_identifier[activity.identifier]
        if activity.parent and activity.parent in by_identifier:
            parents.append(Activity(pk=pk, parent_id=by_identifier[activity.parent]))
        for seq, org in enumerate(activity.participants):
            ko, en, other = _split(org.names)
            participants.append(
                ParticipatingOrg(
                    activity_id=pk,
                    seq=seq,
                    role=int(org.role),
                    org_type=org.type,
                    ref=org.ref,
                    name_ko=ko,
                    name_en=en,
                    names_other=other,
                    activity_id_ref=org.activity_id,
                )
            )
        for seq, sector in enumerate(activity.sectors):
            sectors.append(
                ActivitySector(
                    activity_id=pk,
                    seq=seq,
                    vocabulary=sector.vocabulary,
                    code=sector.code,
                    percentage=sector.percentage,
                    narrative=sector.narratives,
                )
            )
        for t in activity.transactions:
            ko, en, other = _split(t.description)
            transactions.append(
                Transaction(
                    activity_id=pk,
                    ref=t.ref,
                    type=int(t.type),
                    date=t.date,
                    value=t.value,
                    currency=t.currency,
                    value_date=t.value_date,
                    description_ko=ko,
                    description_en=en,
                    description_other=other,
                    provider_org_ref=t.provider.ref if t.provider else "",
                    provider_org_type=t.provider.type if t.provider else "",
                    provider_org_name=_org_names(t.provider),
                    provider_activity_id=t.provider.activity_id if t.provider else "",
                    receiver_org_ref=t.receiver.ref if t.receiver else "",
                    receiver_org_type=t.receiver.type if t.receiver else "",
                    receiver_org_name=_org_names(t.receiver),
                    receiver_activity_id=t.receiver.activity_id if t.receiver else "",
                    humanitarian=t.humanitarian,
                    codes=t.codes,
                    created_by=actor,
                )
            )
    if parents:
        Activity.objects.bulk_update(parents, ["parent"], batch_size=BATCH)
    ParticipatingOrg.objects.bulk_create(participants, batch_size=BATCH)
    ActivitySector.objects.bulk_create(sectors, batch_size=BATCH)
    Transaction.objects.bulk_create(transactions, batch_size=BATCH)
    return len(transactions)


def _parents_in_ledger(document: doc.ActivityFile) -> dict[str, int]:
    """Parents named by a file but not in it: kept as links where the ledger has them (their
    pks by identifier), dropped where it has not."""
    in_file = {a.identifier for a in document.activities}
    outside = sorted({a.parent for a in document.activities if a.parent and a.parent not in in_file})
    known: dict[str, int] = {}
    for start in range(0, len(outside), 900):
        known.update(
            Activity.objects.filter(identifier__in=outside[start : start + 900]).values_list(
                "identifier", "pk"
            )
        )
    for activity in document.activities:
        if activity.parent and activity.parent not in in_file and activity.parent not in known:
            activity.parent = ""
    return known


@transaction.atomic
def iati_import(*, actor: User, data: bytes, file: str) -> ImportResult:
    """Read an IATI 2.03 file into the ledger: every activity of it, or on any problem nothing
    (DomainError listing each problem by file, line and element)."""
    require(access.can_keep_ledger(actor))
    try:
        document = _read(data, file=file, writing=False)
    except FindingsError as exc:
        raise _refused(exc.problems, file=file) from exc
    problems = _limits(document, file=file)
    if problems:
        raise _refused(problems, file=file)
    conflicts = _conflicts(document, file=file)
    if conflicts:
        raise DomainError.from_findings(
            conflicts,
            ko=f"{file}: 이미 장부에 있는 활동이 있습니다 ({len(conflicts)}개). 아무것도 기록하지 "
            "않았습니다.",
            en=f"{file}: {len(conflicts)} activities are already in the ledger. Nothing was "
            "written.",
            code=ErrorCode.CONFLICT,
            file=file,
        )
    transactions = _write(document, actor, _parents_in_ledger(document))
    identifiers = [a.identifier for a in document.activities]
    audit.record(
        actor=actor,
        action="aid.iati.import",
        object_type="aid.activity",
        object_label=file[:300],
        changes={
            "file": file,
            "activities": len(identifiers),
            "transactions": transactions,
            "identifiers": identifiers[:50],
        },
    )
    return ImportResult(activities=len(identifiers), transactions=transactions, identifiers=identifiers)


def activities_by_identifier(base: QuerySet[Activity], identifiers: Iterable[str]) -> QuerySet[Activity]:
    """The activities of `base` named (all of them where none is named), or a refusal naming
    the identifiers `base` does not hold."""
    wanted = sorted({i.strip() for i in identifiers if i.strip()})
    if not wanted:
        return base
    selection = base.filter(identifier__in=wanted)
    found = set(selection.values_list("identifier", flat=True))
    missing = [i for i in wanted if i not in found]
    if missing:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            f"찾을 수 없는 활동입니다: {', '.join(missing[:20])}",
            f"No such activities: {', '.join(missing[:20])}",
            {"field": "activity", "missing": missing},
        )
    return selection


#: The largest file taken from a page or the API (the CLI takes up to the reader's 200 MB).
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: The most activities exported within one request; larger selections are a job
#: (`aid.iati_export`), whose result is downloaded from the jobs page.
MAX_EXPORT_ACTIVITIES = 1000


def upload_data(upload: Any, name: str) -> bytes:
    """An uploaded file's bytes, refused (413) over MAX_UPLOAD_BYTES before it is read."""
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise DomainError(
            ErrorCode.PAYLOAD_TOO_LARGE,
            f"{name}: 파일이 너무 큽니다 (최대 {MAX_UPLOAD_BYTES // (1024 * 1024)}MB). 더 큰 "
            "파일은 'panmun aid import'로 반입하십시오.",
            f"{name}: the file is too large (at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB). "
            "Import larger files with 'panmun aid import'.",
            {"field": "file", "file": name, "max_bytes": MAX_UPLOAD_BYTES},
        )
    data: bytes = upload.read()
    return data


def bounded_export(activities: QuerySet[Activity], *, generated: dt.datetime) -> bytes:
    """`iati_export` for a request: refused over MAX_EXPORT_ACTIVITIES (start the job)."""
    count = activities.count()
    if count > MAX_EXPORT_ACTIVITIES:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"활동 {count:,}개는 한 번에 내보낼 수 없습니다 (최대 {MAX_EXPORT_ACTIVITIES:,}개). "
            "IATI 내보내기 작업을 시작하십시오.",
            f"{count:,} activities are too many to export at once (at most "
            f"{MAX_EXPORT_ACTIVITIES:,}): start an IATI export job.",
            {"field": "activity", "count": count, "max": MAX_EXPORT_ACTIVITIES},
        )
    return iati_export(activities, generated=generated)
