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
import json

from django.conf import settings
from django.db import transaction

from panmun.accounts import audit
from panmun.accounts.models import User
from panmun.errors import DomainError, ErrorCode

from .. import pfif
from ..models import Person, PersonNote, Seeking
from .registry import set_keys

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


def _person_out(person: Person, seekings: list[Seeking], ids: dict[int, str]) -> pfif.PfifPerson:
    extra = person.pfif_extra or {}
    fields = {
        "person_record_id": ids[person.pk],
        "entry_date": extra.get("entry_date") or _time(person.updated_at),
        "author_name": extra.get("author_name", ""),
        "source_name": extra.get("source_name") or "Panmun",
        "source_date": extra.get("source_date") or _time(person.created_at),
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
        fields.setdefault(name, extra.get(name, ""))
        if not fields[name]:
            fields[name] = extra.get(name, "")
    extension = {}
    for name in EXTENSION_FIELDS:
        value = getattr(person, name)
        if isinstance(value, bool):
            value = _flag(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        extension[name] = value or ""
    if seekings:
        extension["seeking"] = json.dumps(
            [
                {
                    "sought": ids[s.sought_id],
                    "relation": s.relation,
                    "last_known_place": s.last_known_place,
                    "separated_on": s.separated_on,
                    "notes": s.notes,
                    "note": s.pfif_note_id or f"{domain()}/note.s{s.pk}",
                }
                for s in seekings
            ],
            ensure_ascii=False,
        )
    return pfif.PfifPerson(
        fields={k: v for k, v in fields.items() if v},
        extension={k: v for k, v in extension.items() if v},
        notes=[],
        line=0,
    )


def _note_out(note: PersonNote, person_id: str) -> pfif.PfifNote:
    fields = {
        "note_record_id": note.note_record_id or f"{domain()}/note.{note.pk}",
        "person_record_id": person_id,
        "entry_date": _time(note.entry_date),
        "source_date": _time(note.source_date),
        "status": note.status,
        "author_made_contact": ""
        if note.author_made_contact is None
        else _flag(note.author_made_contact),
    }
    for name in NOTE_TEXT_FIELDS:
        fields[name] = getattr(note, name)
    return pfif.PfifNote(fields={k: v for k, v in fields.items() if v}, line=0)


def _seeking_note(seeking: Seeking, ids: dict[int, str], applicant: Person) -> pfif.PfifNote:
    fields = {
        "note_record_id": seeking.pfif_note_id or f"{domain()}/note.s{seeking.pk}",
        "person_record_id": ids[seeking.sought_id],
        "linked_person_record_id": ids[seeking.applicant_id],
        "entry_date": _time(seeking.created_at),
        "source_date": _time(seeking.created_at),
        "author_name": applicant.display_name,
        "status": "information_sought",
        "last_known_location": seeking.last_known_place,
        "text": f"{seeking.get_relation_display()} / {seeking.relation}",
    }
    return pfif.PfifNote(fields={k: v for k, v in fields.items() if v}, line=0)


def pfif_export() -> bytes:
    """Every person of the registry (not merged away) with their notes, as a PFIF 1.4 file."""
    persons = list(Person.objects.filter(merged_into__isnull=True).order_by("pk"))
    ids = {p.pk: record_id(p) for p in persons}
    by_pk = {p.pk: p for p in persons}
    seekings: dict[int, list[Seeking]] = {}
    sought_notes: dict[int, list[pfif.PfifNote]] = {}
    for s in Seeking.objects.filter(applicant__in=persons, sought__in=persons).order_by("pk"):
        seekings.setdefault(s.applicant_id, []).append(s)
        sought_notes.setdefault(s.sought_id, []).append(
            _seeking_note(s, ids, by_pk[s.applicant_id])
        )
    notes: dict[int, list[pfif.PfifNote]] = {}
    for n in PersonNote.objects.filter(person__in=persons).order_by("pk"):
        notes.setdefault(n.person_id, []).append(_note_out(n, ids[n.person_id]))
    out = []
    for person in persons:
        item = _person_out(person, seekings.get(person.pk, []), ids)
        item.notes = [*notes.get(person.pk, []), *sought_notes.get(person.pk, [])]
        out.append(item)
    return pfif.write(out)


# --- import -------------------------------------------------------------------------------------


class _Problems:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.items: list[dict[str, str]] = []

    def add(self, row: str, field: str, ko: str, en: str) -> None:
        self.items.append(
            {"file": self.filename, "row": row, "field": field, "reason_ko": ko, "reason_en": en}
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
            where, "seeking", "찾는 가족 목록을 읽을 수 없습니다", "the seeking list cannot be read"
        )
        return []
    return entries


def _check_person(item: pfif.PfifPerson, problems: _Problems) -> None:
    """What the PFIF reader cannot know: Panmun's own values and limits."""
    where = f"line {item.line} {item.fields['person_record_id']}"
    ext = item.extension
    for name, limit in (("family_name", 100), ("given_name", 100), ("full_name", 300)):
        if len(item.fields.get(name, "")) > limit:
            problems.add(where, name, f"{limit}자를 넘습니다", f"longer than {limit} characters")
    if ext.get("status", "unknown") not in ("unknown", "alive", "deceased"):
        problems.add(where, "status", "알 수 없는 생존 여부입니다", "unknown status")
    if ext.get("birth_calendar", "") not in ("", "solar", "lunar"):
        problems.add(where, "birth_calendar", "양력/음력이 아닙니다", "not solar or lunar")
    for name in ("registered_on", "consent_on"):
        try:
            _date(ext.get(name, ""))
        except ValueError:
            problems.add(where, name, "날짜 형식이 아닙니다", "not a date (YYYY-MM-DD)")
    if len(ext.get("registry_no", "")) > 20:
        problems.add(where, "registry_no", "20자를 넘습니다", "longer than 20 characters")


def pfif_import(
    *, actor: User | None, data: bytes, filename: str, dry_run: bool = False
) -> dict[str, int]:
    """Import a PFIF file (1.1–1.4): persons, their notes and who seeks whom. All or nothing."""
    try:
        document = pfif.parse(data, file=filename)
    except pfif.PfifError as err:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"{filename}: PFIF 파일에 {len(err.problems)}개의 문제가 있어 "
            "아무것도 저장하지 않았습니다.",
            f"{filename}: {len(err.problems)} problem(s) in the PFIF file; nothing was written.",
            {"file": filename, "errors": [p.as_dict() for p in err.problems]},
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
                    f"등록번호 {number}는 다른 인물의 것입니다",
                    f"registration number {number} belongs to another person",
                )
    for note in document.notes:
        target = note.fields.get("person_record_id", "")
        if target not in existing:
            problems.add(
                f"line {note.line} {note.fields['note_record_id']}",
                "person_record_id",
                f"이 파일에도 등록부에도 없는 인물의 기록입니다: {target}",
                f"the note is about a person neither in this file nor in the registry: {target}",
            )
    derived: set[str] = set()
    for applicant_id, entries in seeking_of.items():
        for e in entries:
            if e["sought"] not in in_document and e["sought"] not in existing:
                problems.add(
                    applicant_id,
                    "seeking",
                    f"찾는 가족이 파일에 없습니다: {e['sought']}",
                    f"the relative sought is not in the file: {e['sought']}",
                )
            if e.get("note"):
                derived.add(e["note"])
    if problems.items:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"{filename}: {len(problems.items)}개의 문제가 있어 아무것도 저장하지 않았습니다.",
            f"{filename}: {len(problems.items)} problem(s); nothing was written.",
            {"file": filename, "errors": problems.items},
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
            changes={**counts, "sha256": hashlib.sha256(data).hexdigest()},
        )
    return counts


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
