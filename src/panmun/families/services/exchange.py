"""Exchange with other family-tracing systems in PFIF 1.4 (the Person Finder Interchange Format).

How the registry maps onto PFIF:
- every person (applicant or relative sought) is a PFIF person. A person that came from another
  system keeps that system's record id; one created here is `<PANMUN_PFIF_DOMAIN>/person.<id>`.
- the PFIF fields are the names, sex, date of birth, age, address (home_*), country,
  description (our notes), alternate names, photo and profile URLs, and the author and source;
  what PFIF has no field for (registration number, calendar of the birth date, hometown,
  father's name, alive or deceased, consent, contacts...) travels as Panmun extension
  elements, which other systems ignore.
- an applicant seeking a relative is an `information_sought` note on the relative, written by
  the applicant and linked to the applicant's record, so that other systems see who seeks whom;
  the relation and the circumstances of the separation travel in the applicant's extension
  (`seeking`, JSON) so that they come back exactly.
- every other note is kept as it came (`PersonNote`): a note is a claim, not a confirmation, so
  it never changes a person's status; only an applied tracing round does.

Import is all-or-nothing: every problem (in the XML, or a reference that does not resolve) is
listed with its line, record id and field, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterator, Sequence
from operator import attrgetter
from typing import IO, Any

from django.conf import settings
from django.db import transaction

from panmun.accounts import audit
from panmun.accounts.models import User
from panmun.common.bulk import read_ahead
from panmun.common.errors import DomainError
from panmun.common.findings import Finding

from .. import pfif
from ..keys import set_keys
from ..models import Person, PersonNote, Relation, Seeking
from .columns import DateText, FlagNumber, JsonText, PfifTime

SEX_TO_PFIF = {"M": "male", "F": "female", "X": "other"}
SEX_FROM_PFIF = {v: k for k, v in SEX_TO_PFIF.items()}
# PFIF person fields kept as they came, with no column of their own.
EXTRA_FIELDS = (
    "entry_date",
    "expiry_date",
    "author_name",
    "author_email",
    "author_phone",
    "source_name",
    "source_date",
    "source_url",
    "home_neighborhood",
    "home_city",
    "home_state",
    "home_postal_code",
    "photo_url",
    "profile_urls",
)
# Person columns that travel as Panmun extension fields.
EXTENSION_FIELDS = (
    "registry_no",
    "name_latin",
    "birth_calendar",
    "hometown",
    "father_name",
    "status",
    "death_date",
    "phone",
    "email",
    "abroad",
    "registered_on",
    "consent_share",
    "consent_on",
)
NOTE_TEXT_FIELDS = (
    "author_name",
    "author_email",
    "author_phone",
    "linked_person_record_id",
    "email_of_found_person",
    "phone_of_found_person",
    "last_known_location",
    "text",
    "photo_url",
)
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def domain() -> str:
    return str(settings.PANMUN_PFIF_DOMAIN)


def record_id(person: Person) -> str:
    return person.pfif_id or f"{domain()}/person.{person.pk}"


def _time(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).strftime(TIME_FORMAT) if value else ""


def _parse_time(text: str) -> dt.datetime | None:
    return dt.datetime.strptime(text, TIME_FORMAT).replace(tzinfo=dt.UTC) if text else None


def _flag(value: bool) -> str:
    return "true" if value else "false"


# --- export -------------------------------------------------------------------------------------

# Persons are read in chunks of ids (keyset: `id > last`), each chunk's links and notes by the
# chunk's range of ids: no statement binds more than a few values, whatever the registry's size.
CHUNK = 1000


# Person columns the export reads as they are (besides the id, the merge and the record id).
_PERSON_TEXTS = (
    "full_name", "given_name", "family_name", "alternate_names", "notes", "sex", "birth_date",
    "age", "address", "country",
)  # fmt: skip
# The extension fields, each a text (False), or a flag read as 0 or 1 (True); the dates are read
# as their ISO text.
_FLAGS = frozenset({"abroad", "consent_share"})
_DATES = frozenset({"registered_on", "consent_on"})
_PERSON_READ = {
    **{name: DateText(name) for name in _DATES},
    **{name: FlagNumber(name) for name in _FLAGS},
    "pfif_extra": JsonText("pfif_extra"),
    "entry_stamp": PfifTime("updated_at"),
    "source_stamp": PfifTime("created_at"),
}
# Each extension field: its name, where the row has it, and whether it is a flag.
_EXTENSION_KINDS = tuple(
    (name, f"{name}_read" if name in _PERSON_READ else name, name in _FLAGS)
    for name in EXTENSION_FIELDS
)
_extension_values = attrgetter(*(column for _, column, _ in _EXTENSION_KINDS))


# A string as json.dumps(..., ensure_ascii=False) writes it (the encoder's own function).
_json_string = json.encoder.encode_basestring


def _link_json(
    sought: str, relation: str, place: str, separated: str, notes: str, note: str
) -> str:
    """One link an applicant seeks, as json.dumps(dict, ensure_ascii=False) writes it: the
    applicant's `seeking` extension is a JSON list of these (read back by `_seeking_entries`)."""
    j = _json_string
    return (
        f'{{"sought": {j(sought)}, "relation": {j(relation)}, "last_known_place": {j(place)}, '
        f'"separated_on": {j(separated)}, "notes": {j(notes)}, "note": {j(note)}}}'
    )


def _person_fields(person: Any, extra: dict[str, Any], record: str) -> list[str]:
    """The PFIF fields of a person that came with fields of its own (`pfif_extra`), in order."""
    fields = {
        "person_record_id": record,
        "entry_date": extra.get("entry_date") or person.entry_stamp_read,
        "author_name": extra.get("author_name", ""),
        "source_name": extra.get("source_name") or "Panmun",
        "source_date": extra.get("source_date") or person.source_stamp_read,
        "full_name": person.full_name or f"{person.family_name} {person.given_name}".strip(),
        "given_name": person.given_name,
        "family_name": person.family_name,
        "alternate_names": person.alternate_names,
        "description": person.notes,
        "sex": SEX_TO_PFIF.get(person.sex, ""),
        "date_of_birth": person.birth_date,
        "age": person.age,
        "home_street": person.address,
        "home_country": person.country,
    }
    for name in EXTRA_FIELDS:
        if not fields.get(name):
            fields[name] = extra.get(name, "")
    return [fields.get(name) or "" for name in pfif.PERSON_FIELDS]


def _person_row(
    person: Any,
    record: str,
    seekings: list[str],
    notes: list[tuple[str, ...]],
) -> pfif.PersonRow:
    """A person (a row of `pfif_persons`'s query), the links it seeks and its notes, as
    `pfif.write_rows_to` takes them."""
    extra_text = person.pfif_extra_read
    if extra_text and extra_text != "{}":
        fields: Sequence[str] = _person_fields(person, json.loads(extra_text), record)
    else:  # most persons: pfif.PERSON_FIELDS in order
        fields = (
            record,
            person.entry_stamp_read,
            "", "", "", "",  # expiry_date, author_name, author_email, author_phone
            "Panmun",  # source_name
            person.source_stamp_read,
            "",  # source_url
            person.full_name or f"{person.family_name} {person.given_name}".strip(),
            person.given_name,
            person.family_name,
            person.alternate_names,
            person.notes,  # description
            SEX_TO_PFIF.get(person.sex, ""),
            person.birth_date,
            person.age,
            person.address,  # home_street
            "", "", "", "",  # home_neighborhood, home_city, home_state, home_postal_code
            person.country,  # home_country
            "", "",  # photo_url, profile_urls
        )  # fmt: skip
    extension = [
        (name, ("true" if value else "false") if flag else value or "")
        for (name, _, flag), value in zip(_EXTENSION_KINDS, _extension_values(person), strict=True)
    ]
    if seekings:
        extension.append(("seeking", f"[{', '.join(seekings)}]"))
    return fields, extension, notes


def _note_row(note: Any, record: str, domain_name: str) -> tuple[str, ...]:
    """A note kept from another system (a row of `pfif_persons`'s query), its values in
    pfif.NOTE_FIELDS order."""
    contact = note.author_made_contact
    return (
        note.note_record_id or f"{domain_name}/note.{note.pk}",
        record,
        note.linked_person_record_id,
        note.entry_stamp or "",
        note.author_name,
        note.author_email,
        note.author_phone,
        note.source_stamp or "",
        "" if contact is None else _flag(contact),
        note.status,
        note.email_of_found_person,
        note.phone_of_found_person,
        note.last_known_location,
        note.text,
        note.photo_url,
    )


def _display_name(family: str, given: str, full: str, latin: str, pk: int) -> str:
    """`Person.display_name` from the columns."""
    return f"{family}{given}".strip() or full or latin or f"#{pk}"


def pfif_persons(progress: Any = None) -> Iterator[pfif.PersonRow]:
    """Every person of the registry (not merged away), in id order, with their notes: those
    kept from other systems, then one `information_sought` note for each applicant seeking them
    (both ends not merged away). Read a chunk at a time; `progress` counts persons."""
    domain_name = domain()
    relation_words = {value: str(label) for value, label in Relation.choices}
    persons = (
        Person.objects.order_by("pk")
        .annotate(**{f"{name}_read": column for name, column in _PERSON_READ.items()})
        .values_list(
            "pk",
            "merged_into_id",
            "pfif_id",
            *_PERSON_TEXTS,
            *(name for name in EXTENSION_FIELDS if name not in _PERSON_READ),
            *(f"{name}_read" for name in _PERSON_READ),
            named=True,
        )
    )
    links = Seeking.objects.order_by("pk")
    sought_by_them = links.values_list(  # the links of applicants: to whom
        "pk",
        "applicant_id",
        "sought_id",
        "relation",
        "last_known_place",
        "separated_on",
        "notes",
        "pfif_note_id",
        "sought__pfif_id",
        "sought__merged_into_id",
        named=True,
    )
    seeking_them = links.annotate(stamp=PfifTime("created_at")).values_list(  # and from whom
        "pk",
        "applicant_id",
        "sought_id",
        "relation",
        "last_known_place",
        "pfif_note_id",
        "stamp",
        "applicant__pfif_id",
        "applicant__merged_into_id",
        "applicant__family_name",
        "applicant__given_name",
        "applicant__full_name",
        "applicant__name_latin",
        named=True,
    )
    kept_notes = (
        PersonNote.objects.order_by("pk")
        .annotate(entry_stamp=PfifTime("entry_date"), source_stamp=PfifTime("source_date"))
        .values_list(
            "pk",
            "person_id",
            "note_record_id",
            "status",
            "author_made_contact",
            *NOTE_TEXT_FIELDS,
            "entry_stamp",
            "source_stamp",
            named=True,
        )
    )
    any_notes = PersonNote.objects.exists()  # most registries have none: no statement a chunk
    if progress is not None:
        progress.start(Person.objects.filter(merged_into__isnull=True).count(), "PFIF")

    def fetched() -> Iterator[tuple[list[Any], list[Any], list[Any], list[Any]]]:
        """Each chunk of persons with the links and notes of its range of ids, as read."""
        last = 0
        while True:
            chunk = list(persons.filter(pk__gt=last)[:CHUNK])
            if not chunk:
                return
            first, last = chunk[0].pk, chunk[-1].pk
            # The links of the chunk's persons as applicants (the links they seek, in their
            # extension), then as relatives sought (an `information_sought` note on each). (In
            # one statement with both ranges, PostgreSQL scans every link.)
            yield (
                chunk,
                list(sought_by_them.filter(applicant_id__gte=first, applicant_id__lte=last)),
                list(seeking_them.filter(sought_id__gte=first, sought_id__lte=last)),
                list(kept_notes.filter(person_id__gte=first, person_id__lte=last))
                if any_notes
                else [],
            )

    for chunk, their_links, seekers, chunk_notes in read_ahead(fetched):
        records = {p.pk: p.pfif_id or f"{domain_name}/person.{p.pk}" for p in chunk}
        seeking: dict[int, list[str]] = {}
        for link in their_links:
            if link.sought__merged_into_id is None:
                seeking.setdefault(link.applicant_id, []).append(
                    _link_json(
                        link.sought__pfif_id or f"{domain_name}/person.{link.sought_id}",
                        link.relation,
                        link.last_known_place,
                        link.separated_on,
                        link.notes,
                        link.pfif_note_id or f"{domain_name}/note.s{link.pk}",
                    )
                )
        sought_notes: dict[int, list[tuple[str, ...]]] = {}
        for seeker in seekers:
            if seeker.applicant__merged_into_id is not None:
                continue
            author = _display_name(
                seeker.applicant__family_name,
                seeker.applicant__given_name,
                seeker.applicant__full_name,
                seeker.applicant__name_latin,
                seeker.applicant_id,
            )
            words = relation_words.get(seeker.relation, seeker.relation)
            sought_notes.setdefault(seeker.sought_id, []).append(
                (  # pfif.NOTE_FIELDS in order
                    seeker.pfif_note_id or f"{domain_name}/note.s{seeker.pk}",
                    records[seeker.sought_id],
                    seeker.applicant__pfif_id or f"{domain_name}/person.{seeker.applicant_id}",
                    seeker.stamp,  # entry_date
                    author,
                    "", "",  # author_email, author_phone
                    seeker.stamp,  # source_date
                    "",  # author_made_contact
                    "information_sought",
                    "", "",  # email_of_found_person, phone_of_found_person
                    seeker.last_known_place,  # last_known_location
                    f"{words} / {seeker.relation}",  # text
                    "",  # photo_url
                )
            )  # fmt: skip
        notes: dict[int, list[Any]] = {}
        for n in chunk_notes:
            notes.setdefault(n.person_id, []).append(n)
        kept = 0
        for person in chunk:
            if person.merged_into_id is not None:
                continue
            kept += 1
            record = records[person.pk]
            yield _person_row(
                person,
                record,
                seeking.get(person.pk, []),
                [
                    *(_note_row(n, record, domain_name) for n in notes.get(person.pk, [])),
                    *sought_notes.get(person.pk, []),
                ],
            )
        if progress is not None:
            progress.advance(kept)


def pfif_export_to(out: IO[bytes], progress: Any = None) -> int:
    """Every person of the registry (not merged away) with their notes, as a PFIF 1.4 file
    written to `out` as it is read. Returns the number of persons."""
    count = 0

    def counted() -> Iterator[pfif.PersonRow]:
        nonlocal count
        for person in pfif_persons(progress):
            count += 1
            yield person

    pfif.write_rows_to(out, counted())
    return count


def pfif_export() -> bytes:
    """Every person of the registry (not merged away) with their notes, as a PFIF 1.4 file."""
    out = io.BytesIO()
    pfif_export_to(out)
    return out.getvalue()


# --- import -------------------------------------------------------------------------------------


class _Problems:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.items: list[Finding] = []

    def add(self, row: str, field: str, *, ko: str, en: str) -> None:
        self.items.append(
            Finding("pfif_value_invalid", ko=ko, en=en, file=self.filename, row=row, field=field)
        )


def _existing(record_ids: list[str]) -> dict[str, Person]:
    """Persons already here for these PFIF record ids: kept ids, or ids this registry issued."""
    found = {p.pfif_id: p for p in Person.objects.filter(pfif_id__in=record_ids) if p.pfif_id}
    own = f"{domain()}/person."
    pks = {
        int(r[len(own) :]): r
        for r in record_ids
        if r.startswith(own) and r[len(own) :].isdigit() and r not in found
    }
    for p in Person.objects.filter(pk__in=list(pks), pfif_id__isnull=True):
        found[pks[p.pk]] = p
    return found


def _existing_note(note_id: str) -> PersonNote | None:
    note = PersonNote.objects.filter(note_record_id=note_id).first()
    own = f"{domain()}/note."
    if note is None and note_id.startswith(own) and note_id[len(own) :].isdigit():
        note = PersonNote.objects.filter(
            pk=int(note_id[len(own) :]), note_record_id__isnull=True
        ).first()
    return note


def _bool(text: str) -> bool:
    return text.strip().lower() in ("true", "1", "yes")


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _fill_person(person: Person, item: pfif.PfifPerson) -> Person:
    f, ext = item.fields, item.extension
    person.family_name = f.get("family_name", "")
    person.given_name = f.get("given_name", "")
    full = f.get("full_name", "")
    person.full_name = "" if full == f"{person.family_name} {person.given_name}".strip() else full
    person.alternate_names = f.get("alternate_names", "")
    person.notes = f.get("description", "")
    person.sex = SEX_FROM_PFIF.get(f.get("sex", ""), "")
    person.birth_date = f.get("date_of_birth", "")
    person.age = f.get("age", "")
    person.address = f.get("home_street", "")
    person.country = f.get("home_country", "")
    extra = {name: f[name] for name in EXTRA_FIELDS if f.get(name)}
    if extra.get("source_name") == "Panmun":
        extra.pop("source_name")
    person.pfif_extra = extra
    person.registry_no = ext.get("registry_no") or person.registry_no or None
    person.name_latin = ext.get("name_latin", "")
    person.birth_calendar = ext.get("birth_calendar", "")
    person.hometown = ext.get("hometown", "")
    person.father_name = ext.get("father_name", "")
    person.status = ext.get("status") or person.status or "unknown"
    person.death_date = ext.get("death_date", "") if person.status == "deceased" else ""
    person.phone = ext.get("phone", "")
    person.email = ext.get("email", "")
    person.abroad = _bool(ext.get("abroad", ""))
    person.registered_on = _date(ext.get("registered_on", ""))
    person.consent_share = _bool(ext.get("consent_share", ""))
    person.consent_on = _date(ext.get("consent_on", ""))
    return set_keys(person)


def _fill_note(note: PersonNote, item: pfif.PfifNote) -> PersonNote:
    f = item.fields
    if note.pk is None:
        note.note_record_id = f["note_record_id"]
    note.status = f.get("status", "")
    for name in NOTE_TEXT_FIELDS:
        setattr(note, name, f.get(name, ""))
    made = f.get("author_made_contact", "")
    note.author_made_contact = None if not made else _bool(made)
    note.entry_date = _parse_time(f.get("entry_date", ""))
    note.source_date = _parse_time(f.get("source_date", ""))
    return note


def _seeking_entries(item: pfif.PfifPerson, problems: _Problems) -> list[dict[str, str]]:
    raw = item.extension.get("seeking")
    if not raw:
        return []
    where = f"line {item.line} {item.fields['person_record_id']}"
    try:
        entries = json.loads(raw)
        if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("sought"), str) for e in entries
        ):
            raise ValueError
    except ValueError:
        problems.add(
            where,
            "seeking",
            ko="찾는 가족 목록을 읽을 수 없습니다",
            en="the seeking list cannot be read",
        )
        return []
    return entries


def _check_person(item: pfif.PfifPerson, problems: _Problems) -> None:
    """What the PFIF reader cannot know: Panmun's own values and limits."""
    where = f"line {item.line} {item.fields['person_record_id']}"
    ext = item.extension
    for name, limit in (("family_name", 100), ("given_name", 100), ("full_name", 300)):
        if len(item.fields.get(name, "")) > limit:
            problems.add(
                where, name, ko=f"{limit}자를 넘습니다", en=f"longer than {limit} characters"
            )
    if ext.get("status", "unknown") not in ("unknown", "alive", "deceased"):
        problems.add(where, "status", ko="알 수 없는 생존 여부입니다", en="unknown status")
    if ext.get("birth_calendar", "") not in ("", "solar", "lunar"):
        problems.add(where, "birth_calendar", ko="양력/음력이 아닙니다", en="not solar or lunar")
    for name in ("registered_on", "consent_on"):
        try:
            _date(ext.get(name, ""))
        except ValueError:
            problems.add(where, name, ko="날짜 형식이 아닙니다", en="not a date (YYYY-MM-DD)")
    if len(ext.get("registry_no", "")) > 20:
        problems.add(where, "registry_no", ko="20자를 넘습니다", en="longer than 20 characters")


def pfif_import(
    *, actor: User | None, data: bytes | IO[bytes], filename: str, dry_run: bool = False
) -> dict[str, int]:
    """Import a PFIF file (1.1–1.4): persons, their notes and who seeks whom. All or nothing.
    `data` is the file's bytes or a binary file that can seek, read a chunk at a time (the
    records are kept, not the document's XML)."""
    source = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    try:
        document = pfif.parse(source, file=filename)
    except pfif.PfifError as err:
        raise DomainError.from_findings(
            err.problems,
            ko=f"{filename}: PFIF 파일에 {len(err.problems)}개의 문제가 있어 "
            "아무것도 저장하지 않았습니다.",
            en=f"{filename}: {len(err.problems)} problem(s) in the PFIF file; nothing was written.",
            file=filename,
        ) from err
    problems = _Problems(filename)
    record_ids = [p.fields["person_record_id"] for p in document.persons]
    orphan_targets = [n.fields.get("person_record_id", "") for n in document.notes]
    existing = _existing(list({*record_ids, *orphan_targets}))
    in_document = set(record_ids)
    seeking_of: dict[str, list[dict[str, str]]] = {}
    for item in document.persons:
        _check_person(item, problems)
        seeking_of[item.fields["person_record_id"]] = _seeking_entries(item, problems)
        number = item.extension.get("registry_no")
        if number:
            holder = Person.objects.filter(registry_no=number).first()
            mine = existing.get(item.fields["person_record_id"])
            if holder is not None and (mine is None or holder.pk != mine.pk):
                problems.add(
                    f"line {item.line} {item.fields['person_record_id']}",
                    "registry_no",
                    ko=f"등록번호 {number}는 다른 인물의 것입니다",
                    en=f"registration number {number} belongs to another person",
                )
    for note in document.notes:
        target = note.fields.get("person_record_id", "")
        if target not in existing:
            problems.add(
                f"line {note.line} {note.fields['note_record_id']}",
                "person_record_id",
                ko=f"이 파일에도 등록부에도 없는 인물의 기록입니다: {target}",
                en=f"the note is about a person neither in this file nor in the registry: {target}",
            )
    derived: set[str] = set()
    for applicant_id, entries in seeking_of.items():
        for e in entries:
            if e["sought"] not in in_document and e["sought"] not in existing:
                problems.add(
                    applicant_id,
                    "seeking",
                    ko=f"찾는 가족이 파일에 없습니다: {e['sought']}",
                    en=f"the relative sought is not in the file: {e['sought']}",
                )
            if e.get("note"):
                derived.add(e["note"])
    if problems.items:
        raise DomainError.from_findings(
            problems.items,
            ko=f"{filename}: {len(problems.items)}개의 문제가 있어 아무것도 저장하지 않았습니다.",
            en=f"{filename}: {len(problems.items)} problem(s); nothing was written.",
            file=filename,
        )
    counts = {
        "persons": len(document.persons),
        "notes": sum(len(p.notes) for p in document.persons) + len(document.notes),
    }
    if dry_run:
        return counts
    with transaction.atomic():
        counts |= _apply(document, existing, seeking_of, derived)
        audit.record(
            actor=actor,
            action="families.pfif.import",
            object_type="families.registry",
            object_label=filename,
            changes={**counts, "sha256": _sha256(source)},
        )
    return counts


def _sha256(source: IO[bytes]) -> str:
    digest = hashlib.sha256()
    source.seek(0)
    while chunk := source.read(pfif.CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _apply(
    document: pfif.PfifDocument,
    existing: dict[str, Person],
    seeking_of: dict[str, list[dict[str, str]]],
    derived: set[str],
) -> dict[str, int]:
    created = updated = notes = 0
    persons: dict[str, Person] = dict(existing)
    for item in document.persons:
        rid = item.fields["person_record_id"]
        person = existing.get(rid)
        created += person is None
        updated += person is not None
        if person is None:  # new here: keep the id it came with, whoever issued it
            person = Person(pfif_id=rid)
        person = _fill_person(person, item)
        if person.pfif_id is None:
            # One of ours coming back: its times are our own clock's, not a peer's record.
            for name in ("entry_date", "source_date"):
                person.pfif_extra.pop(name, None)
        person.full_clean(validate_unique=False)
        person.save()
        persons[rid] = person
    all_notes = [*((n, n.fields["person_record_id"]) for p in document.persons for n in p.notes)]
    all_notes += [(n, n.fields["person_record_id"]) for n in document.notes]
    for note_item, rid in all_notes:
        if note_item.fields["note_record_id"] in derived:
            continue
        note = _existing_note(note_item.fields["note_record_id"])
        note = _fill_note(note or PersonNote(), note_item)
        note.person = persons[rid]
        note.save()
        notes += 1
    links = 0
    for applicant_id, entries in seeking_of.items():
        for e in entries:
            applicant, sought = persons[applicant_id], persons[e["sought"]]
            seeking, _ = Seeking.objects.get_or_create(
                applicant=applicant,
                sought=sought,
                defaults={"relation": e.get("relation") or "other"},
            )
            seeking.relation = e.get("relation") or "other"
            seeking.last_known_place = e.get("last_known_place", "")
            seeking.separated_on = e.get("separated_on", "")
            seeking.notes = e.get("notes", "")
            note_id = e.get("note", "")
            seeking.pfif_note_id = note_id or None
            seeking.full_clean(validate_unique=False)
            seeking.save()
            links += 1
    return {"created": created, "updated": updated, "notes_saved": notes, "seeking": links}
