"""Writes to the registry: persons, relatives sought, DNA samples, and file imports.

Pages, the CLI and jobs call these; each is one transaction with its audit entry.
"""

from __future__ import annotations

import hashlib
import io
import itertools
from collections.abc import Iterable
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import User
from panmun.common.bulk import Insert, analyze, reserve_ids
from panmun.common.errors import DomainError, ErrorCode
from panmun.common.findings import Finding
from panmun.common.spreadsheets import reading
from panmun.families.access import can_edit_registry

from ..keys import person_keys, set_keys
from ..models import DnaSample, Person, Seeking, VitalStatus
from ..registry_file import columns
from ..registry_file.checker import RegistryFileError, stage_registry
from ..registry_file.columns import ApplicantData, RelativeData
from ..uploads import check_upload_name, upload_job
from .exchange import pfif_import

BATCH = 2000

APPLICANT_FIELDS = (
    "family_name",
    "given_name",
    "name_latin",
    "sex",
    "birth_date",
    "birth_year",
    "birth_calendar",
    "address",
    "phone",
    "email",
    "abroad",
    "country",
    "status",
    "death_date",
    "registered_on",
    "consent_share",
    "consent_on",
    "notes",
)
RELATIVE_FIELDS = (
    "family_name",
    "given_name",
    "name_latin",
    "sex",
    "birth_date",
    "birth_year",
    "birth_calendar",
    "hometown",
    "father_name",
    "status",
    "death_date",
)
SEEKING_FIELDS = ("relation", "last_known_place", "separated_on")


def _require_editor(actor: User | None) -> None:
    if actor is not None:
        require_authenticated(actor)
        require(can_edit_registry(actor))


def _invalid(problems: list[Finding], filename: str) -> DomainError:
    return DomainError.from_findings(
        problems,
        ko=f"{filename}: {len(problems)}개의 문제가 있어 아무것도 저장하지 않았습니다.",
        en=f"{filename}: {len(problems)} problem(s); nothing was written.",
        file=filename,
    )


# --- one person at a time (the forms) ------------------------------------------------------------


def check_person(person: Person) -> None:
    """A person's record as the registry keeps it, every problem named by its field."""
    problems: list[Finding] = []

    def bad(field: str, *, ko: str, en: str) -> None:
        problems.append(Finding("person_invalid", ko=ko, en=en, row="", field=field))

    if person.death_date and person.status != VitalStatus.DECEASED:
        bad(
            "death_date",
            ko="사망일은 사망한 사람에게만 적습니다",
            en="only a deceased person has a date of death",
        )
    if not (person.family_name or person.given_name or person.name_latin or person.full_name):
        bad(
            "given_name",
            ko="이름을 한글이나 로마자로 적으십시오",
            en="give a name in Hangul or in Latin letters",
        )
    try:
        person.full_clean()
    except ValidationError as err:
        for field, messages in err.message_dict.items():
            bad(field, ko=" ".join(messages), en=" ".join(messages))
    if problems:
        raise DomainError.from_findings(
            problems,
            ko="기록에 문제가 있어 저장하지 않았습니다.",
            en="The record has problems; nothing was saved.",
        )


# What the audit log keeps of a person's record: the applicant's fields and the consent to be
# named to the other side, with who recorded it and when.
AUDITED_FIELDS = (*APPLICANT_FIELDS, "consent_name", "consent_name_at", "consent_name_by_id")


def _note_name_consent(person: Person, was: bool | None, actor: User | None) -> None:
    """A changed answer to "may the other side be told your name?" (or a first answer of yes)
    is stamped with who recorded it and when."""
    if was is None and not person.consent_name:
        return
    if was is None or bool(was) != bool(person.consent_name):
        person.consent_name_at = timezone.now()
        person.consent_name_by = actor


@transaction.atomic
def person_save(*, actor: User, person: Person, action: str = "") -> Person:
    """Create or change a person from a validated form's instance."""
    _require_editor(actor)
    before = {}
    was: bool | None = None
    if person.pk:
        stored = Person.objects.get(pk=person.pk)
        before = audit.snapshot(stored, list(AUDITED_FIELDS))
        was = stored.consent_name
        if (stored.status, stored.death_date) != (person.status, person.death_date):
            # Changed by hand: no tracing round says so any more (see `Person.status_round`).
            person.status_round, person.status_changed_on = None, timezone.localdate()
        person.consent_name_at, person.consent_name_by = (
            stored.consent_name_at,
            stored.consent_name_by,
        )
    _note_name_consent(person, was, actor)
    set_keys(person)
    check_person(person)
    person.save()
    audit.record(
        actor=actor,
        action=action or ("families.person.update" if before else "families.person.create"),
        obj=person,
        changes=audit.diff(before, audit.snapshot(person, list(AUDITED_FIELDS))),
    )
    return person


@transaction.atomic
def person_name_consent_set(*, actor: User, person: Person, consent: bool) -> Person:
    """Record the applicant's answer to "may the other side be told your name (and how you are
    related) on a tracing request?" — who recorded it and when, in the audit log too. Only a
    registered applicant is asked; the same answer again changes nothing."""
    _require_editor(actor)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not person.is_applicant:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "등록번호가 있는 신청자에게만 묻습니다.",
            "Only a registered applicant (with a registration number) is asked.",
            {"field": "consent"},
        )
    if bool(person.consent_name) == bool(consent):
        return person
    before = audit.snapshot(person, ["consent_name", "consent_name_at", "consent_name_by_id"])
    person.consent_name = bool(consent)
    _note_name_consent(person, not consent, actor)
    person.save(update_fields=["consent_name", "consent_name_at", "consent_name_by", "updated_at"])
    audit.record(
        actor=actor,
        action="families.person.name_consent",
        obj=person,
        changes=audit.diff(
            before,
            audit.snapshot(person, ["consent_name", "consent_name_at", "consent_name_by_id"]),
        ),
    )
    return person


@transaction.atomic
def seeking_add(*, actor: User, applicant: Person, sought: Person, seeking: Seeking) -> Seeking:
    """Record that `applicant` seeks `sought` (a new person from the form, or one already known)."""
    _require_editor(actor)
    if not applicant.is_applicant:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "등록번호가 있는 신청자만 가족을 찾을 수 있습니다.",
            "Only a registered applicant (with a registration number) can seek relatives.",
            {"field": "applicant"},
        )
    if sought.pk is None:
        set_keys(sought)
        check_person(sought)
        sought.save()
    seeking.applicant, seeking.sought = applicant, sought
    if Seeking.objects.filter(applicant=applicant, sought=sought).exists():
        raise DomainError(
            ErrorCode.CONFLICT,
            "이미 이 가족을 찾는 것으로 등록되어 있습니다.",
            "This applicant already seeks this person.",
            {"field": "sought"},
        )
    seeking.full_clean()
    seeking.save()
    audit.record(
        actor=actor,
        action="families.seeking.create",
        obj=seeking,
        changes={"applicant": applicant.pk, "sought": sought.pk, "relation": seeking.relation},
    )
    return seeking


@transaction.atomic
def dna_sample_add(*, actor: User, sample: DnaSample) -> DnaSample:
    _require_editor(actor)
    if DnaSample.objects.filter(sample_id=sample.sample_id).exists():
        raise DomainError(
            ErrorCode.CONFLICT,
            f"같은 시료 번호가 이미 있습니다: {sample.sample_id}",
            f"The sample id {sample.sample_id} is already registered.",
            {"field": "sample_id"},
        )
    sample.full_clean()
    sample.save()
    audit.record(
        actor=actor,
        action="families.dna.create",
        obj=sample,
        changes={"person": sample.person_id, "kind": sample.kind},
    )
    return sample


def person_viewed(*, actor: User, person: Person) -> None:
    """Every view of a person's record is in the audit log."""
    with transaction.atomic():
        audit.record(actor=actor, action="families.person.view", obj=person)


# --- the registry file (CSV / Excel) -----------------------------------------------------------


def _relative_key(family: str, given: str, latin: str, birth_date: str) -> tuple[str, str]:
    return (person_keys(family, given, latin).name_key, birth_date)


def _applicant_person(item: ApplicantData, person: Person | None) -> Person:
    person = person or Person(registry_no=item.registry_no)
    for name in APPLICANT_FIELDS:
        setattr(person, name, getattr(item, name))
    return set_keys(person)


def _relative_person(item: RelativeData, person: Person | None) -> Person:
    person = person or Person()
    for name in RELATIVE_FIELDS:
        setattr(person, name, getattr(item, name))
    person.notes = item.notes if not person.notes else person.notes
    return set_keys(person)


# The columns a new person is written with (the rest take their model default).
PERSON_INSERT = (
    "id",
    "registry_no",
    *APPLICANT_FIELDS,
    "hometown",
    "father_name",
    "hometown_key",
    "family_key",
    "given_key",
    "name_key",
)
SEEKING_INSERT = ("applicant_id", "sought_id", *SEEKING_FIELDS, "notes")
DATE_FIELDS = {"registered_on", "consent_on"}


def _insert_persons(persons: list[Person]) -> None:
    """Write new persons in batches (see `bulk`), giving each its reserved id."""
    adapt = connection.ops.adapt_datefield_value
    rows = Insert(Person, PERSON_INSERT)
    for start in range(0, len(persons), BATCH):
        batch = persons[start : start + BATCH]
        for person, pk in zip(batch, reserve_ids(Person, len(batch)), strict=True):
            person.pk = pk
        rows.write(
            [
                tuple(
                    adapt(getattr(p, c)) if c in DATE_FIELDS else getattr(p, c)
                    for c in PERSON_INSERT
                )
                for p in batch
            ]
        )


def _apply_chunk(applicants: list[ApplicantData]) -> dict[str, int]:
    """Write one chunk of applicants (registration numbers are unique in a file, so the chunks
    are independent) with the relatives they seek."""
    numbers = [a.registry_no for a in applicants]
    existing: dict[str, Person] = {}
    for start in range(0, len(numbers), BATCH):
        chunk = numbers[start : start + BATCH]
        found = Person.objects.filter(registry_no__in=chunk)
        existing.update({p.registry_no: p for p in found if p.registry_no is not None})
    seekings: dict[int, dict[tuple[str, str], Seeking]] = {}
    known_ids = [p.pk for p in existing.values()]
    for start in range(0, len(known_ids), BATCH):
        for s in Seeking.objects.filter(
            applicant_id__in=known_ids[start : start + BATCH]
        ).select_related("sought"):
            key = _relative_key(
                s.sought.family_name, s.sought.given_name, s.sought.name_latin, s.sought.birth_date
            )
            seekings.setdefault(s.applicant_id, {})[key] = s
    new_applicants, changed_applicants = [], []
    for item in applicants:
        person = existing.get(item.registry_no)
        if person is None:
            new_applicants.append(_applicant_person(item, None))
        else:
            changed_applicants.append(_applicant_person(item, person))
    _insert_persons(new_applicants)
    Person.objects.bulk_update(
        changed_applicants,
        [*APPLICANT_FIELDS, "family_key", "given_key", "name_key"],
        batch_size=BATCH,
    )
    by_number = {p.registry_no: p for p in [*new_applicants, *changed_applicants]}
    new_relatives: list[tuple[Person, Seeking]] = []
    changed_relatives: list[Person] = []
    changed_seekings: list[Seeking] = []
    for item in applicants:
        applicant = by_number[item.registry_no]
        known = seekings.get(applicant.pk, {})
        for rel in item.relatives:
            seeking = known.get(
                _relative_key(rel.family_name, rel.given_name, rel.name_latin, rel.birth_date)
            )
            if seeking is None:
                sought = _relative_person(rel, None)
                seeking = Seeking(applicant=applicant)
                new_relatives.append((sought, seeking))
            else:
                changed_relatives.append(_relative_person(rel, seeking.sought))
                changed_seekings.append(seeking)
            for name in SEEKING_FIELDS:
                setattr(seeking, name, getattr(rel, name))
            seeking.notes = rel.notes
    _insert_persons([p for p, _ in new_relatives])
    seeking_rows = Insert(Seeking, SEEKING_INSERT)
    for start in range(0, len(new_relatives), BATCH):
        seeking_rows.write(
            [
                (applicant_id, sought.pk, *(getattr(s, c) for c in SEEKING_INSERT[2:]))
                for sought, s in new_relatives[start : start + BATCH]
                for applicant_id in (s.applicant.pk,)
            ]
        )
    Person.objects.bulk_update(
        changed_relatives,
        [*RELATIVE_FIELDS, "family_key", "given_key", "name_key", "hometown_key"],
        batch_size=BATCH,
    )
    Seeking.objects.bulk_update(changed_seekings, [*SEEKING_FIELDS, "notes"], batch_size=BATCH)
    return {
        "applicants_created": len(new_applicants),
        "applicants_updated": len(changed_applicants),
        "relatives_created": len(new_relatives),
        "relatives_updated": len(changed_relatives),
    }


def _apply_registry(
    applicants: Iterable[ApplicantData], total: int, progress: Any
) -> dict[str, int]:
    """Write the applicants (`total` of them, read from the staging store one at a time) a
    chunk at a time: only one chunk's rows are in memory, as records and as models."""
    if progress:
        progress.start(total, "저장 / writing")
    counts = dict.fromkeys(
        ("applicants_created", "applicants_updated", "relatives_created", "relatives_updated"), 0
    )
    them = iter(applicants)
    while chunk := list(itertools.islice(them, BATCH)):
        for key, value in _apply_chunk(chunk).items():
            counts[key] += value
        if progress:
            progress.advance(len(chunk))
    return counts


def _size(source: IO[bytes]) -> int:
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(0)
    return size


def _sha256(source: IO[bytes]) -> str:
    digest = hashlib.sha256()
    source.seek(0)
    while chunk := source.read(reading.CHUNK):
        digest.update(chunk)
    source.seek(0)
    return digest.hexdigest()


#: An import of at least this many persons refreshes PostgreSQL's statistics of the registry
#: (`bulk.analyze`), so that the searches right after it are planned for what it wrote.
ANALYZE_FROM = 10_000


def registry_import(
    *,
    actor: User | None,
    data: bytes | IO[bytes],
    filename: str,
    dry_run: bool = False,
    progress: Any = None,
    any_size: bool = False,
) -> dict[str, int]:
    """Import a registry file (CSV, Excel or PFIF XML, by extension): all of it or nothing.

    `data` is the file's bytes or a binary file that can seek, read row by row. A file larger
    than `registry_file.columns.MAX_FILE_BYTES` (unless `any_size`: the command line) or with
    more than `MAX_ROWS` data rows is refused by its name. Every problem is listed
    with its file, row and field; on any problem nothing is written. An applicant already
    registered (same registration number) is updated, and a relative already sought by that
    applicant (same name and birth date) is updated, so importing the same file twice changes
    nothing the second time. The file is read and checked before the one transaction that
    writes it (in chunks) with its audit entry; what was read waits on disk in between
    (`registry_file.checker.stage_registry`), so memory does not grow with the file.
    """
    _require_editor(actor)
    source = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    size = _size(source)
    if not any_size and size > columns.MAX_FILE_BYTES:
        raise _invalid([columns.file_too_large(filename, size)], filename)
    if filename.lower().endswith(".xml"):
        return pfif_import(actor=actor, data=source, filename=filename, dry_run=dry_run)
    tick = None
    if progress is not None:
        progress.start(0, "검사 / checking")

        def tick(done: int, total: int) -> None:
            progress.total, progress.done = total, done
            progress.advance(0)

    try:
        staged = stage_registry(source, filename=filename, progress=tick)
    except RegistryFileError as err:
        raise _invalid(err.problems, filename) from err
    with staged:
        counts = {"applicants": staged.applicants, "relatives": staged.relatives}
        if dry_run:
            return counts
        sha256 = _sha256(source)
        with transaction.atomic():
            counts |= _apply_registry(staged, staged.applicants, progress)
            audit.record(
                actor=actor,
                action="families.registry.import",
                object_type="families.registry",
                object_label=filename,
                changes={**counts, "sha256": sha256},
            )
    if counts["applicants"] + counts["relatives"] >= ANALYZE_FROM:
        analyze(Person, Seeking)  # the planner's statistics, for the searches that follow
    return counts


def registry_import_job(*, job: Any, progress: Any) -> dict[str, Any]:
    """The job `families.import` (registered `atomic=False`): the stored upload read and
    checked outside any transaction, then written in one (see `registry_import`); the upload
    is removed once read, whatever the outcome."""

    return upload_job(
        job,
        lambda source: registry_import(
            actor=job.created_by,
            data=source,
            filename=job.params["filename"],
            dry_run=job.params["dry_run"],
            progress=progress,
        ),
    )


def import_params(params: dict[str, Any]) -> dict[str, Any]:
    """The parameters of the job `families.import`: the stored upload (`uploads`), the file's
    name and whether only to check it."""

    unknown = sorted(set(params) - {"upload", "filename", "dry_run"})
    if unknown:
        names = ", ".join(map(str, unknown))
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"알 수 없는 매개변수입니다: {names}",
            f"Unknown parameters: {names}",
            {"field": "params", "allowed": ["upload", "filename", "dry_run"]},
        )
    filename = params.get("filename")
    if not isinstance(filename, str) or not filename.strip():
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "파일 이름이 없습니다.",
            "The file's name is missing.",
            {"field": "filename"},
        )
    return {
        "upload": check_upload_name(params.get("upload")),
        "filename": filename.strip()[:200],
        "dry_run": params.get("dry_run") is True,
    }
