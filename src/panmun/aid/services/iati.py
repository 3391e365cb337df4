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
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from panmun.accounts import audit
from panmun.accounts.access import require
from panmun.accounts.models import User
from panmun.common.bulk import Insert, reserve_ids, reset_sequences
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
    if (
        folder is None
        or not (folder / "schema-2.03").is_dir()
        or not (folder / "codelists").is_dir()
    ):
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


ACTIVITY_COLUMNS = (
    "pk",
    "identifier",
    "title_ko",
    "title_en",
    "description_ko",
    "description_en",
    "narratives",
    "reporting_org_ref",
    "reporting_org_type",
    "reporting_org_name_ko",
    "reporting_org_name_en",
    "parent__identifier",
    "status",
    "planned_start",
    "actual_start",
    "planned_end",
    "actual_end",
    "humanitarian",
    "humanitarian_scopes",
    "default_currency",
    "recipient_country",
)
PARTICIPANT_COLUMNS = (
    "activity_id",
    "ref",
    "org_type",
    "name_ko",
    "name_en",
    "names_other",
    "role",
    "activity_id_ref",
)
SECTOR_COLUMNS = ("activity_id", "vocabulary", "code", "percentage", "narrative")
TRANSACTION_COLUMNS = (
    "activity_id",
    "type",
    "date",
    "value",
    "currency",
    "value_date",
    "ref",
    "humanitarian",
    "description_ko",
    "description_en",
    "description_other",
    "provider_org_ref",
    "provider_org_type",
    "provider_org_name",
    "provider_activity_id",
    "receiver_org_ref",
    "receiver_org_type",
    "receiver_org_name",
    "receiver_activity_id",
    "codes",
)


TRANSACTION_JSON = {"description_other", "provider_org_name", "receiver_org_name", "codes"}
TRANSACTION_JSON_AT = {n for n, c in enumerate(TRANSACTION_COLUMNS) if c in TRANSACTION_JSON}


def _json_text(text: str | None) -> Any:
    """A JSON object column read as text: `{}` where empty (every one of them is an object)."""
    return {} if text in (None, "", "{}", "null") else json.loads(text)


def _as_document_activity(row: dict[str, Any], children: list[str]) -> doc.Activity:
    dates = {
        kind: row[column]
        for kind, column in (
            ("1", "planned_start"),
            ("2", "actual_start"),
            ("3", "planned_end"),
            ("4", "actual_end"),
        )
        if row[column] is not None
    }
    other = row["narratives"] or {}
    return doc.Activity(
        identifier=row["identifier"],
        reporting_org=doc.Org(
            ref=row["reporting_org_ref"],
            type=row["reporting_org_type"],
            names={"ko": row["reporting_org_name_ko"], "en": row["reporting_org_name_en"]},
        ),
        default_currency=row["default_currency"],
        humanitarian=row["humanitarian"],
        title=_names(row["title_ko"], row["title_en"], other.get("title")),
        description=_names(row["description_ko"], row["description_en"], other.get("description")),
        status=str(row["status"]),
        dates=dates,
        recipient_country=row["recipient_country"],
        humanitarian_scopes=[
            doc.HumanitarianScope(
                type=str(scope.get("type", "")),
                vocabulary=str(scope.get("vocabulary", "")),
                code=str(scope.get("code", "")),
                narratives=dict(scope.get("narrative") or {}),
            )
            for scope in row["humanitarian_scopes"] or []
        ],
        parent=row["parent__identifier"] or "",
        children=sorted(children),
    )


def _participant(row: tuple[Any, ...]) -> doc.Org:
    _activity, ref, org_type, name_ko, name_en, names_other, role, activity_id = row
    return doc.Org(
        ref=ref,
        type=org_type,
        names=_names(name_ko, name_en, names_other),
        role=str(role),
        activity_id=activity_id,
    )


def _transaction(row: tuple[Any, ...]) -> doc.Transaction:
    (
        _activity,
        kind,
        date,
        value,
        currency,
        value_date,
        ref,
        humanitarian,
        description_ko,
        description_en,
        description_other,
        provider_ref,
        provider_type,
        provider_name,
        provider_activity,
        receiver_ref,
        receiver_type,
        receiver_name,
        receiver_activity,
        codes,
    ) = row
    return doc.Transaction(
        type=str(kind),
        date=date,
        value=value,
        currency=currency,
        value_date=value_date,
        ref=ref,
        humanitarian=humanitarian,
        description=_names(description_ko, description_en, description_other),
        provider=_org_or_none(provider_ref, provider_type, provider_name, provider_activity),
        receiver=_org_or_none(receiver_ref, receiver_type, receiver_name, receiver_activity),
        codes=dict(codes or {}),
    )


def _chunk(ids: list[int], children: dict[int, list[str]]) -> list[doc.Activity]:
    """The activities of `ids` (in that order) as IATI data: four queries, no model objects."""
    rows = {row["pk"]: row for row in Activity.objects.filter(pk__in=ids).values(*ACTIVITY_COLUMNS)}
    activities = {pk: _as_document_activity(rows[pk], children.get(pk, [])) for pk in ids}
    participants = ParticipatingOrg.objects.filter(activity_id__in=ids).order_by(
        "activity_id", "seq", "id"
    )
    for row in participants.values_list(*PARTICIPANT_COLUMNS):
        activities[row[0]].participants.append(_participant(row))
    sectors = ActivitySector.objects.filter(activity_id__in=ids).order_by(
        "activity_id", "seq", "id"
    )
    for activity_id, vocabulary, code, percentage, narrative in sectors.values_list(
        *SECTOR_COLUMNS
    ):
        activities[activity_id].sectors.append(
            doc.Sector(vocabulary, code, percentage, dict(narrative or {}))
        )
    transactions = Transaction.objects.filter(activity_id__in=ids).order_by(
        "activity_id", "date", "id"
    )
    # The JSON columns as their text, decoded only where not empty: most are `{}`, and
    # Django's decoding of 400,000 of them was a tenth of a large export.
    columns = [Cast(c, TextField()) if c in TRANSACTION_JSON else c for c in TRANSACTION_COLUMNS]
    for row in transactions.values_list(*columns):
        decoded = tuple(
            _json_text(value) if n in TRANSACTION_JSON_AT else value for n, value in enumerate(row)
        )
        activities[row[0]].transactions.append(_transaction(decoded))
    return [activities[pk] for pk in ids]


def iati_export(activities: QuerySet[Activity], *, generated: dt.datetime) -> bytes:
    """The IATI 2.03 file of `activities` (ordered by identifier), refused with its problems
    named if what was written does not validate (schema, codelists, IATI's rules)."""
    folder = iati_dir()
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
        document.activities.extend(_chunk(ids[start : start + EXPORT_CHUNK], children))
    tree = writer.build(document)
    try:
        # The tree as built is checked (schema, codelists, rules) and then serialised: the
        # same check as reading the bytes back, without parsing them again.
        reader.check(
            tree,
            file="export.xml",
            schema_folder=folder / "schema-2.03",
            codelists=_codelists(str(folder)),
            writing=True,
        )
    except FindingsError as exc:
        raise DomainError.from_findings(
            exc.problems,
            ko="내보낸 IATI 파일이 검증을 통과하지 못했습니다. 아래 사업을 먼저 고치십시오.",
            en="The IATI file written does not validate; mend these activities first.",
        ) from exc
    return writer.serialise(tree)


# -- IATI data into the ledger --------------------------------------------------------------


def _split(narratives: doc.Narratives) -> tuple[str, str, dict[str, str]]:
    other = {lang: text for lang, text in narratives.items() if lang not in ("ko", "en")}
    return narratives.get("ko", ""), narratives.get("en", ""), dict(sorted(other.items()))


def _channel(reporting_type: str) -> str:
    channel = Channel.VIA_INTERNATIONAL if reporting_type == "40" else Channel.GOVERNMENT
    return channel.value


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
            check(
                activity, f"title/narrative[@xml:lang='{lang}']", activity.title.get(lang, ""), 400
            )
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
            for tag, party in (("provider-org", t.provider), ("receiver-org", t.receiver)):
                if party is not None:
                    check(activity, f"transaction[{n}]/{tag}/@ref", party.ref, 100)
                    check(activity, f"transaction[{n}]/{tag}/@type", party.type, 4)
                    check(
                        activity, f"transaction[{n}]/{tag}/@*-activity-id", party.activity_id, 200
                    )
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
            ko="이 식별자의 사업이 이미 장부에 있습니다. 반입은 기존 사업을 바꾸지 않습니다.",
            en="An activity with this identifier is already in the ledger; an import does not "
            "replace it.",
            file=file,
            row=f"line {a.line}" if a.line else None,
            field=f"iati-activity[iati-identifier='{a.identifier}']",
        )
        for a in document.activities
        if a.identifier in present
    ]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


ACTIVITY_INSERT = (
    "id",
    "identifier",
    "title_ko",
    "title_en",
    "description_ko",
    "description_en",
    "narratives",
    "organisation_id",
    "reporting_org_ref",
    "reporting_org_type",
    "reporting_org_name_ko",
    "reporting_org_name_en",
    "parent_id",
    "channel",
    "status",
    "planned_start",
    "actual_start",
    "planned_end",
    "actual_end",
    "humanitarian",
    "humanitarian_scopes",
    "default_currency",
    "recipient_country",
    "created_by_id",
)
PARTICIPANT_INSERT = (
    "activity_id",
    "seq",
    "role",
    "org_type",
    "ref",
    "name_ko",
    "name_en",
    "names_other",
    "activity_id_ref",
)
SECTOR_INSERT = ("activity_id", "seq", "vocabulary", "code", "percentage", "narrative")
TRANSACTION_INSERT = (
    "activity_id",
    "ref",
    "type",
    "date",
    "value",
    "currency",
    "value_date",
    "description_ko",
    "description_en",
    "description_other",
    "provider_org_ref",
    "provider_org_type",
    "provider_org_name",
    "provider_activity_id",
    "receiver_org_ref",
    "receiver_org_type",
    "receiver_org_name",
    "receiver_activity_id",
    "humanitarian",
    "codes",
    "created_by_id",
)


def _write(document: doc.ActivityFile, actor: User, ledger_parents: dict[str, int]) -> int:
    """Every row of `document` in four bulk inserts (`common.bulk.Insert`: executemany, COPY
    on PostgreSQL), ids reserved first so that parents and children point at each other."""
    day = connection.ops.adapt_datefield_value

    def amount(value: Decimal | None, digits: int) -> Any:
        return connection.ops.adapt_decimalfield_value(value, digits, 2)

    ids = reserve_ids(Activity, len(document.activities))
    by_identifier = {
        **ledger_parents,
        **{a.identifier: pk for a, pk in zip(document.activities, ids, strict=True)},
    }
    activities, participants, sectors, transactions = [], [], [], []
    for activity, pk in zip(document.activities, ids, strict=True):
        title_ko, title_en, title_other = _split(activity.title)
        desc_ko, desc_en, desc_other = _split(activity.description)
        narratives: dict[str, Any] = {}
        if title_other:
            narratives["title"] = title_other
        if desc_other:
            narratives["description"] = desc_other
        reporting = activity.reporting_org
        scopes = [
            {"type": h.type, "vocabulary": h.vocabulary, "code": h.code, "narrative": h.narratives}
            for h in activity.humanitarian_scopes
        ]
        activities.append(
            (
                pk,
                activity.identifier,
                title_ko,
                title_en,
                desc_ko,
                desc_en,
                _json(narratives),
                None,
                reporting.ref,
                reporting.type,
                reporting.names.get("ko", ""),
                reporting.names.get("en", ""),
                by_identifier.get(activity.parent) if activity.parent else None,
                _channel(reporting.type),
                int(activity.status or 1),
                day(activity.dates.get("1")),
                day(activity.dates.get("2")),
                day(activity.dates.get("3")),
                day(activity.dates.get("4")),
                bool(activity.humanitarian),
                _json(scopes),
                activity.default_currency or "KRW",
                activity.recipient_country,
                actor.pk,
            )
        )
        for seq, org in enumerate(activity.participants):
            ko, en, other = _split(org.names)
            participants.append(
                (pk, seq, int(org.role), org.type, org.ref, ko, en, _json(other), org.activity_id)
            )
        for seq, sector in enumerate(activity.sectors):
            sectors.append(
                (
                    pk,
                    seq,
                    sector.vocabulary,
                    sector.code,
                    amount(sector.percentage, 5),
                    _json(sector.narratives),
                )
            )
        for t in activity.transactions:
            ko, en, other = _split(t.description)
            provider, receiver = t.provider or doc.Org(), t.receiver or doc.Org()
            transactions.append(
                (
                    pk,
                    t.ref,
                    int(t.type),
                    day(t.date),
                    amount(t.value, 20),
                    t.currency,
                    day(t.value_date),
                    ko,
                    en,
                    _json(other),
                    provider.ref,
                    provider.type,
                    _json(provider.names),
                    provider.activity_id,
                    receiver.ref,
                    receiver.type,
                    _json(receiver.names),
                    receiver.activity_id,
                    t.humanitarian,
                    _json(t.codes),
                    actor.pk,
                )
            )
    for model, columns, rows in (
        (Activity, ACTIVITY_INSERT, activities),
        (ParticipatingOrg, PARTICIPANT_INSERT, participants),
        (ActivitySector, SECTOR_INSERT, sectors),
        (Transaction, TRANSACTION_INSERT, transactions),
    ):
        insert = Insert(model, columns)
        for start in range(0, len(rows), BATCH):
            insert.write(rows[start : start + BATCH])
    if connection.vendor == "postgresql":
        reset_sequences(Activity)
    return len(transactions)


def _parents_in_ledger(document: doc.ActivityFile) -> dict[str, int]:
    """Parents named by a file but not in it: kept as links where the ledger has them (their
    pks by identifier), dropped where it has not."""
    in_file = {a.identifier for a in document.activities}
    outside = sorted(
        {a.parent for a in document.activities if a.parent and a.parent not in in_file}
    )
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


def iati_import(*, actor: User, data: bytes, file: str) -> ImportResult:
    """Read an IATI 2.03 file into the ledger: every activity of it, or on any problem nothing
    (DomainError listing each problem by file, line and element). The file is parsed and
    checked before the transaction begins (on SQLite a transaction holds the write lock from
    its start); the conflicts with the ledger are looked for inside it, with the writes."""
    require(access.can_keep_ledger(actor))
    try:
        document = _read(data, file=file, writing=False)
    except FindingsError as exc:
        raise _refused(exc.problems, file=file) from exc
    problems = _limits(document, file=file)
    if problems:
        raise _refused(problems, file=file)
    return _import_checked(actor=actor, document=document, file=file)


@transaction.atomic
def _import_checked(*, actor: User, document: doc.ActivityFile, file: str) -> ImportResult:
    conflicts = _conflicts(document, file=file)
    if conflicts:
        raise DomainError.from_findings(
            conflicts,
            ko=f"{file}: 이미 장부에 있는 사업이 있습니다 ({len(conflicts)}개). 아무것도 기록하지 "
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
    return ImportResult(
        activities=len(identifiers), transactions=transactions, identifiers=identifiers
    )


def activities_by_identifier(
    base: QuerySet[Activity], identifiers: Iterable[str]
) -> QuerySet[Activity]:
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
            f"찾을 수 없는 사업입니다: {', '.join(missing[:20])}",
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
            f"사업 {count:,}개는 한 번에 내보낼 수 없습니다 (최대 {MAX_EXPORT_ACTIVITIES:,}개). "
            "IATI 내보내기 작업을 시작하십시오.",
            f"{count:,} activities are too many to export at once (at most "
            f"{MAX_EXPORT_ACTIVITIES:,}): start an IATI export job.",
            {"field": "activity", "count": count, "max": MAX_EXPORT_ACTIVITIES},
        )
    return iati_export(activities, generated=generated)
