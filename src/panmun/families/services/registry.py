"""Writes to the registry: persons, relatives sought, DNA samples, and file imports.

Pages, the CLI and jobs call these; each is one transaction with its audit entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from panmun.accounts import audit
from panmun.accounts.access import can_edit_registry, require, require_authenticated
from panmun.accounts.models import User
from panmun.errors import DomainError, ErrorCode

from .. import registry_file
from ..bulk import Insert, reserve_ids
from ..keys import person_keys, place_key
from ..models import DnaSample, Person, Seeking, VitalStatus
from ..registry_file import ApplicantData, RelativeData

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


def set_keys(person: Person) -> Person:
    """Compute the search keys from the names and hometown (call before every save)."""
    keys = person_keys(person.family_name, person.given_name, person.name_latin, person.full_name)
    person.family_key, person.given_key, person.name_key = (
        keys.family_key,
        keys.given_key,
        keys.name_key,
    )
    person.hometown_key = place_key(person.hometown)
    if person.birth_date and person.birth_date[:4].isdigit():
        person.birth_year = int(person.birth_date[:4])
    elif not person.birth_date:
        person.birth_year = None
    return person


def _require_editor(actor: User | None) -> None:
    if actor is not None:
        require_authenticated(actor)
        require(can_edit_registry(actor))


def _invalid(problems: Iterable[Any], filename: str) -> DomainError:
    listed = [p.as_dict() for p in problems]
    return DomainError(
        ErrorCode.INVALID_INPUT,
        f"{filename}: {len(listed)}개의 문제가 있어 아무것도 저장하지 않았습니다.",
        f"{filename}: {len(listed)} problem(s); nothing was written.",
        {"file": filename, "errors": listed},
    )


# --- one person at a time (the forms) ------------------------------------------------------------


def check_person(person: Person) -> None:
    """A person's record as the registry keeps it, every problem named by its field."""
    problems: list[dict[str, str]] = []

    def bad(field: str, ko: str, en: str) -> None:
        problems.append({"row": "", "field": field, "reason_ko": ko, "reason_en": en})

    if person.death_date and person.status != VitalStatus.DECEASED:
        bad(
            "death_date",
            "사망일은 사망한 사람에게만 적습니다",
            "only a deceased person has a date of death",
        )
    if not (person.family_name or person.given_name or person.name_latin or person.full_name):
        bad(
            "given_name",
            "이름을 한글이나 로마자로 적으십시오",
            "give a name in Hangul or in Latin letters",
        )
    try:
        person.full_clean()
    except ValidationError as err:
        for field, messages in err.message_dict.items():
            bad(field, " ".join(messages), " ".join(messages))
    if problems:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "기록에 문제가 있어 저장하지 않았습니다.",
            "The record has problems; nothing was saved.",
            {"errors": problems},
        )


@transaction.atomic
def person_save(*, actor: User, person: Person, action: str = "") -> Person:
    """Create or change a person from a validated form's instance."""
    _require_editor(actor)
    before = {}
    if person.pk:
        before = audit.snapshot(Person.objects.get(pk=person.pk), list(APPLICANT_FIELDS))
    set_keys(person)
    check_person(person)
    person.save()
    audit.record(
        actor=actor,
        action=action or ("families.person.update" if before else "families.person.create"),
        obj=person,
        changes=audit.diff(before, audit.snapshot(person, list(APPLICANT_FIELDS))),
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


def _apply_registry(applicants: list[ApplicantData], progress: Any) -> dict[str, int]:
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
    if progress:
        progress.start(len(applicants), "저장 / writing")
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
    for done, item in enumerate(applicants, 1):
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
        if progress and done % 1000 == 0:
            progress.advance(1000)
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
    if progress:
        progress.advance(len(applicants) % 1000)
    return {
        "applicants_created": len(new_applicants),
        "applicants_updated": len(changed_applicants),
        "relatives_created": len(new_relatives),
        "relatives_updated": len(changed_relatives),
    }


def registry_import(
    *,
    actor: User | None,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    progress: Any = None,
) -> dict[str, int]:
    """Import a registry file (CSV, Excel or PFIF XML, by extension): all of it or nothing.

    Every problem is listed with its file, row and field; on any problem nothing is written.
    An applicant already registered (same registration number) is updated, and a relative
    already sought by that applicant (same name and birth date) is updated, so importing the
    same file twice changes nothing the second time.
    """
    _require_editor(actor)
    if filename.lower().endswith(".xml"):
        from .exchange import pfif_import

        return pfif_import(actor=actor, data=data, filename=filename, dry_run=dry_run)
    tick = None
    if progress is not None:
        progress.start(0, "검사 / checking")

        def tick(done: int, total: int) -> None:
            progress.total, progress.done = total, done
            progress.advance(0)

    try:
        applicants = registry_file.read_registry(data, filename=filename, progress=tick)
    except registry_file.RegistryFileError as err:
        raise _invalid(err.problems, filename) from err
    counts = {
        "applicants": len(applicants),
        "relatives": sum(len(a.relatives) for a in applicants),
    }
    if dry_run:
        return counts
    with transaction.atomic():
        counts |= _apply_registry(applicants, progress)
        audit.record(
            actor=actor,
            action="families.registry.import",
            object_type="families.registry",
            object_label=filename,
            changes={**counts, "sha256": hashlib.sha256(data).hexdigest()},
        )
    return counts


# --- export -------------------------------------------------------------------------------------


def _applicant_data(person: Person, seekings: list[Seeking]) -> ApplicantData:
    return ApplicantData(
        rows=[],
        registry_no=person.registry_no or "",
        **{name: getattr(person, name) for name in APPLICANT_FIELDS},
        relatives=[
            RelativeData(
                row=0,
                **{name: getattr(s, name) for name in SEEKING_FIELDS},
                **{name: getattr(s.sought, name) for name in RELATIVE_FIELDS},
                notes=s.notes,
            )
            for s in seekings
        ],
    )


def registry_applicants(queryset: Any = None) -> Iterable[ApplicantData]:
    """The registry as the file's applicants, in registration-number order, streamed."""
    applicants = (queryset if queryset is not None else Person.objects).filter(
        registry_no__isnull=False, merged_into__isnull=True
    )
    ids = list(applicants.order_by("registry_no").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        people = {p.pk: p for p in Person.objects.filter(pk__in=chunk)}
        by_applicant: dict[int, list[Seeking]] = {}
        for s in (
            Seeking.objects.filter(applicant_id__in=chunk).select_related("sought").order_by("id")
        ):
            by_applicant.setdefault(s.applicant_id, []).append(s)
        for pk in chunk:
            yield _applicant_data(people[pk], by_applicant.get(pk, []))


def registry_export(*, actor: User | None, fmt: str) -> bytes:
    """The whole registry as a file: csv, xlsx or pfif (`actor` None: the system, the CLI)."""
    if actor is not None:
        from panmun.accounts.access import can_read_registry

        require_authenticated(actor)
        require(can_read_registry(actor))
    if fmt == "pfif":
        from .exchange import pfif_export

        data = pfif_export()
    elif fmt in ("csv", "xlsx"):
        writer = registry_file.write_csv if fmt == "csv" else registry_file.write_xlsx
        data = writer(registry_applicants())
    else:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"알 수 없는 형식입니다: {fmt} (csv, xlsx, pfif 중 하나)",
            f"Unknown format {fmt!r} (one of csv, xlsx, pfif).",
            {"field": "format"},
        )
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="families.registry.export",
            object_type="families.registry",
            changes={"format": fmt, "bytes": len(data), "at": timezone.now()},
        )
    return data
