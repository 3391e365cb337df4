"""Reading and writing PFIF (Person Finder Interchange Format) 1.4 XML, with nothing of Django.

`parse` reads PFIF 1.1 to 1.4 (older field names are mapped onto 1.4's) through defusedxml, so a
document that declares entities, a DOCTYPE or external references is refused. It strips every
field, collapses whitespace in single names, fills a nested note's `person_record_id` from its
person, and collects every problem (with its line) before raising one `PfifError`. The document
is read a chunk at a time, each record taken as soon as it is closed and its XML let go: the
records are kept, as dicts, but never the whole document's tree.
`write` emits PFIF 1.4 with Panmun's own fields as `<panmun:field name="...">` extensions, such
that `parse(write(x))` gives back `x`'s fields, extensions and notes when `x` is already normalized.
Empty fields are treated as absent both ways.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder
from xml.sax.saxutils import escape, quoteattr

import defusedxml.ElementTree as defused_et  # type: ignore[import-untyped, unused-ignore]
from defusedxml.common import (  # type: ignore[import-untyped, unused-ignore]
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)

from panmun.common.findings import Finding, FindingsError

PFIF_NS = "http://zesty.ca/pfif/1.4"
PANMUN_NS = "urn:panmun:pfif-extension:1"
_PFIF_NS_PREFIX = "http://zesty.ca/pfif/"
VERSIONS = {f"{_PFIF_NS_PREFIX}{v}": v for v in ("1.1", "1.2", "1.3", "1.4")}

PERSON_FIELDS: tuple[str, ...] = (
    "person_record_id", "entry_date", "expiry_date", "author_name", "author_email",
    "author_phone", "source_name", "source_date", "source_url", "full_name", "given_name",
    "family_name", "alternate_names", "description", "sex", "date_of_birth", "age",
    "home_street", "home_neighborhood", "home_city", "home_state", "home_postal_code",
    "home_country", "photo_url", "profile_urls",
)  # fmt: skip
NOTE_FIELDS: tuple[str, ...] = (
    "note_record_id", "person_record_id", "linked_person_record_id", "entry_date",
    "author_name", "author_email", "author_phone", "source_date", "author_made_contact",
    "status", "email_of_found_person", "phone_of_found_person", "last_known_location", "text",
    "photo_url",
)  # fmt: skip
NOTE_STATUSES: tuple[str, ...] = (
    "information_sought", "is_note_author", "believed_alive", "believed_missing", "believed_dead",
)  # fmt: skip
SEXES = ("female", "male", "other")
# Field names of PFIF 1.1-1.3 and the 1.4 field each one became (used when the new one is absent).
RENAMED_FIELDS = {
    "first_name": "given_name",
    "last_name": "family_name",
    "home_zip": "home_postal_code",
    "other": "description",
    "found": "author_made_contact",
}
_LEGACY_PERSON = ("first_name", "last_name", "home_zip", "other")
_LEGACY_NOTE = ("found",)
NAME_FIELDS = frozenset({"full_name", "given_name", "family_name", "author_name"})
LINE_LIST_FIELDS = frozenset({"alternate_names", "profile_urls"})  # one entry per line
_ID_FIELDS = frozenset({"person_record_id", "note_record_id", "linked_person_record_id"})
_DATE_FIELDS = frozenset({"entry_date", "source_date", "expiry_date"})

_RECORD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]*/\S+")
_UTC_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_BIRTH_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_AGE = re.compile(r"(\d{1,3})(?:-(\d{1,3}))?")
_SPACES = re.compile(r"\s+")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class PfifNote:
    fields: dict[str, str]
    line: int = 0


@dataclass
class PfifPerson:
    fields: dict[str, str]
    extension: dict[str, str] = field(default_factory=dict)
    notes: list[PfifNote] = field(default_factory=list)
    line: int = 0


@dataclass
class PfifDocument:
    version: str
    persons: list[PfifPerson]
    notes: list[PfifNote]


class PfifError(FindingsError):
    """Every problem found in one PFIF document (each at its "line N")."""


class _LineBuilder(TreeBuilder):
    """A TreeBuilder that remembers the source line of each element's start tag, the root
    element as soon as it starts, and the root's children as each one is closed (`closed`),
    for the reader to take (and to let go of, with `forget_closed`) while the rest is read."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Element, int] = {}
        self.expat: Any = None
        self.file = ""
        self.root: Element | None = None
        self.depth = 0
        self.closed: list[Element] = []

    def start(self, tag: str, attrs: dict[str, str], /) -> Element:
        elem = super().start(tag, attrs)
        self.lines[elem] = int(self.expat.CurrentLineNumber) if self.expat is not None else 0
        if self.root is None:
            self.root = elem
        self.depth += 1
        return elem

    def end(self, tag: str, /) -> Element:
        elem = super().end(tag)
        self.depth -= 1
        if self.depth == 1:
            self.closed.append(elem)
        return elem

    def forget_closed(self) -> None:
        """The root's children closed so far (its first ones: those before were let go of),
        read: out of the tree, with their lines."""
        if not self.closed:
            return
        assert self.root is not None and self.root[len(self.closed) - 1] is self.closed[-1]
        del self.root[: len(self.closed)]
        for elem in self.closed:
            for inner in elem.iter():
                self.lines.pop(inner, None)
        self.closed.clear()


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def normalize(name: str, value: str) -> str:
    """The stored form of a field's text: stripped; names on one line; list fields line by line."""
    if name in NAME_FIELDS:
        return _SPACES.sub(" ", value).strip()
    if name in LINE_LIST_FIELDS:
        lines = (_SPACES.sub(" ", line).strip() for line in value.splitlines())
        return "\n".join(line for line in lines if line)
    return value.strip()


_REASONS = {  # what a value of each checked kind must be: (Korean, English)
    "id": (
        "'도메인/고유문자열' 형식의 레코드 ID여야 합니다",
        "must be a record id domain/unique_string",
    ),
    "date": (
        "UTC 'YYYY-MM-DDThh:mm:ssZ' 형식의 실제 일시여야 합니다",
        "must be a real UTC date and time as YYYY-MM-DDThh:mm:ssZ",
    ),
    "date_of_birth": (
        "YYYY, YYYY-MM 또는 YYYY-MM-DD 형식의 실제 날짜여야 합니다",
        "must be a real date as YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    "age": ("N 또는 N-M(N ≤ M) 형식이어야 합니다", "must be N or N-M with N ≤ M"),
    "sex": ("female, male, other 중 하나여야 합니다", "must be one of female, male, other"),
    "status": (
        f"{', '.join(NOTE_STATUSES)} 중 하나여야 합니다",
        f"must be one of {', '.join(NOTE_STATUSES)}",
    ),
    "author_made_contact": ("true 또는 false여야 합니다", "must be true or false"),
}
_CHOICES = {"sex": SEXES, "status": NOTE_STATUSES, "author_made_contact": ("true", "false")}


def _parses(value: str, fmt: str) -> bool:
    """Whether `value` is written in `fmt` (a check of the text's form only: the moment it
    names is not made, so no time zone is needed)."""
    try:
        datetime.strptime(value, fmt)  # noqa: DTZ007
    except ValueError:
        return False
    return True


def _valid(kind: str, value: str) -> bool:
    if kind == "id":
        return bool(_RECORD_ID.fullmatch(value))
    if kind == "date":
        return bool(_UTC_DATE.fullmatch(value)) and _parses(value, "%Y-%m-%dT%H:%M:%SZ")
    if kind == "date_of_birth":
        m = _BIRTH_DATE.fullmatch(value)
        return m is not None and _parses(f"{m[1]}-{m[2] or '01'}-{m[3] or '01'}", "%Y-%m-%d")
    if kind == "age":
        a = _AGE.fullmatch(value)
        return a is not None and (a[2] is None or int(a[1]) <= int(a[2]))
    return value in _CHOICES.get(kind, (value,))


def _invalid(name: str, value: str) -> dict[str, str] | None:
    """Why `value` is not valid for field `name` (ko=, en=), or None."""
    kind = "id" if name in _ID_FIELDS else "date" if name in _DATE_FIELDS else name
    if kind not in _REASONS or _valid(kind, value):
        return None
    ko, en = _REASONS[kind]
    return {"ko": f"{name} 값 '{value}'은(는) {ko}", "en": f"{name} '{value}' {en}"}


class _Reader:
    def __init__(self, file: str, ns: str, lines: dict[Element, int]) -> None:
        self.file, self.ns, self.lines = file, ns, lines
        self.problems: list[Finding] = []
        self.person_ids: dict[str, int] = {}
        self.note_ids: dict[str, int] = {}

    def add(self, elem: Element, fld: str, *, ko: str, en: str) -> None:
        line = f"line {self.lines.get(elem, 0)}"
        self.problems.append(
            Finding("pfif_invalid", ko=ko, en=en, file=self.file, row=line, field=fld)
        )

    def foreign_pfif(self, elem: Element, ns: str, local: str) -> bool:
        """True (after noting a problem) when `elem` is PFIF but not a field allowed here."""
        if ns == self.ns or ns.startswith(_PFIF_NS_PREFIX):
            self.add(
                elem,
                local,
                ko=f"이 위치에서 알 수 없는 PFIF 요소 <{local}> ({ns})",
                en=f"Unknown PFIF element <{local}> here ({ns})",
            )
            return True
        return False

    def field_value(self, elem: Element, name: str, record: dict[str, str]) -> None:
        if len(elem):
            self.add(
                elem,
                name,
                ko="항목에는 텍스트만 들어갈 수 있습니다",
                en="A field may hold text only",
            )
        if name in record:
            self.add(
                elem,
                name,
                ko="한 레코드에 같은 항목이 두 번 나옵니다",
                en="The field appears twice",
            )
        value = normalize(RENAMED_FIELDS.get(name, name), elem.text or "")
        problem = _invalid(RENAMED_FIELDS.get(name, name), value) if value else None
        if problem:
            self.add(elem, name, **problem)
        record[name] = value

    def required(self, elem: Element, name: str, record: dict[str, str]) -> bool:
        if record.get(name):
            return True
        self.add(elem, name, ko="필수 항목이 없습니다", en="Required field is missing")
        return False

    def unique(self, elem: Element, name: str, value: str, seen: dict[str, int]) -> None:
        if value in seen:
            self.add(
                elem,
                name,
                ko=f"ID {value}가 {seen[value]}행에 이미 있습니다",
                en=f"Duplicate id {value}, first at line {seen[value]}",
            )
        else:
            seen[value] = self.lines.get(elem, 0)

    def note(self, elem: Element, person_id: str | None) -> PfifNote:
        raw: dict[str, str] = {}
        for child in elem:
            ns, local = _split(str(child.tag))
            if ns == self.ns and (local in NOTE_FIELDS or local in _LEGACY_NOTE):
                self.field_value(child, local, raw)
            else:
                self.foreign_pfif(child, ns, local)
        fields = _finish(raw, NOTE_FIELDS)
        if self.required(elem, "note_record_id", fields):
            self.unique(elem, "note_record_id", fields["note_record_id"], self.note_ids)
        own = fields.get("person_record_id")
        if person_id is None:
            self.required(elem, "person_record_id", fields)
        elif own and own != person_id:
            self.add(
                elem,
                "person_record_id",
                ko=f"메모의 person_record_id({own})가 감싸는 인물의 ID({person_id})와 다릅니다",
                en=f"The note's person_record_id {own} differs from its person's {person_id}",
            )
        elif person_id:
            fields["person_record_id"] = person_id
        return PfifNote(fields, self.lines.get(elem, 0))

    def person(self, elem: Element) -> PfifPerson:
        raw: dict[str, str] = {}
        extension: dict[str, str] = {}
        nested: list[Element] = []
        for child in elem:
            ns, local = _split(str(child.tag))
            if ns == self.ns and local == "note":
                nested.append(child)
            elif ns == self.ns and (local in PERSON_FIELDS or local in _LEGACY_PERSON):
                self.field_value(child, local, raw)
            elif ns == PANMUN_NS and local == "field" and child.get("name"):
                name = str(child.get("name"))
                if name in extension:
                    self.add(
                        child, name, ko="확장 항목이 두 번 나옵니다", en="Extension field repeated"
                    )
                extension[name] = (child.text or "").strip()
            elif ns == PANMUN_NS:
                self.add(
                    child,
                    local,
                    ko="Panmun 확장은 name 속성이 있는 <panmun:field>여야 합니다",
                    en='A Panmun extension must be <panmun:field name="...">',
                )
            else:
                self.foreign_pfif(child, ns, local)
        fields = _finish(raw, PERSON_FIELDS)
        person_id = fields.get("person_record_id", "")
        if self.required(elem, "person_record_id", fields):
            self.unique(elem, "person_record_id", person_id, self.person_ids)
        notes = [self.note(n, person_id) for n in nested]
        extension = {k: v for k, v in extension.items() if v}
        return PfifPerson(fields, extension, notes, self.lines.get(elem, 0))


def _finish(raw: dict[str, str], order: tuple[str, ...]) -> dict[str, str]:
    """Maps older field names onto 1.4's, drops empty fields and orders the rest as the spec."""
    for old, new in RENAMED_FIELDS.items():
        if old in raw and not raw.get(new):
            raw[new] = raw[old]
    return {name: raw[name] for name in order if raw.get(name)}


def _fail(file: str, line: int, *, ko: str, en: str) -> PfifError:
    return PfifError([Finding("pfif_unreadable", ko=ko, en=en, file=file, row=f"line {line}")])


CHUNK = 1 << 20  # bytes read at a time
#: The most records (persons and notes) one document may hold: an import keeps every record it
#: has read until it has checked them all (it is all or nothing), so their number is what
#: bounds its memory. Five times the largest tracing list exchanged (the 2015 round's 300
#: names; the reply files of the early 2000s held a few thousand) is far above it.
MAX_RECORDS = 200_000


def _blank(source: IO[bytes]) -> bool:
    source.seek(0)
    while chunk := source.read(CHUNK):
        if chunk.strip():
            return False
    return True


def _root_problem(builder: _LineBuilder, root: Element) -> PfifError | None:
    """Why the root element is not PFIF's <pfif> of a known version, or None."""
    ns, local = _split(str(root.tag))
    line = builder.lines.get(root, 1)
    if ns.startswith(_PFIF_NS_PREFIX) and ns not in VERSIONS:
        return _fail(
            builder.file,
            line,
            ko=f"알 수 없는 PFIF 버전: {ns}",
            en=f"Unknown PFIF version namespace: {ns}",
        )
    if ns not in VERSIONS or local != "pfif":
        return _fail(
            builder.file,
            line,
            ko=f"최상위 요소 <{local}>가 PFIF <pfif> 요소가 아닙니다",
            en=f"The root element <{local}> is not a PFIF <pfif> element",
        )
    return None


class _Records:
    """The records of a document as its root's children are closed: read by a `_Reader` (when
    the root is PFIF's), then let go of."""

    def __init__(self, builder: _LineBuilder) -> None:
        self.builder = builder
        self.reader: _Reader | None = None
        self.refused = False  # the root is not PFIF's: its children are not read
        self.persons: list[PfifPerson] = []
        self.loose: list[PfifNote] = []
        self.count = 0  # records read: persons, their notes and loose notes

    def take(self) -> None:
        builder = self.builder
        if self.reader is None and not self.refused and builder.root is not None:
            if _root_problem(builder, builder.root) is None:
                ns = _split(str(builder.root.tag))[0]
                self.reader = _Reader(builder.file, ns, builder.lines)
            else:
                self.refused = True
        reader = self.reader
        for child in builder.closed:
            if reader is not None:
                cns, clocal = _split(str(child.tag))
                if cns == reader.ns and clocal == "person":
                    person = reader.person(child)
                    self.persons.append(person)
                    self.count += 1 + len(person.notes)
                elif cns == reader.ns and clocal == "note":
                    self.loose.append(reader.note(child, None))
                    self.count += 1
                else:
                    reader.foreign_pfif(child, cns, clocal)
                if self.count > MAX_RECORDS:
                    raise _fail(
                        builder.file,
                        builder.lines.get(child, 0),
                        ko=f"기록(인물과 메모)이 {MAX_RECORDS:,}개를 넘습니다: 파일을 나누십시오",
                        en=f"the file holds more than {MAX_RECORDS:,} records (persons and notes):"
                        " split it",
                    )
        builder.forget_closed()


def parse(data: bytes | IO[bytes], *, file: str) -> PfifDocument:
    """Reads a PFIF 1.1-1.4 document (bytes, or a binary file that can seek, read a chunk at a
    time); raises `PfifError` with every problem found."""
    source = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    if _blank(source):
        raise _fail(file, 1, ko="빈 파일입니다", en="The file is empty")
    source.seek(0)
    builder = _LineBuilder()
    builder.file = file
    parser = defused_et.XMLParser(target=builder, forbid_dtd=True)
    builder.expat = parser.parser
    records = _Records(builder)
    while chunk := source.read(CHUNK):
        _feed(parser, chunk, file)
        records.take()
    root = _feed(parser, None, file)
    records.take()
    assert root is not None
    wrong_root = _root_problem(builder, root)
    if wrong_root is not None:
        raise wrong_root
    reader = records.reader
    assert reader is not None
    persons, loose = records.persons, records.loose
    if reader.problems:
        raise PfifError(reader.problems)
    by_id = {p.fields["person_record_id"]: p for p in persons}
    orphans: list[PfifNote] = []
    for note in loose:
        owner = by_id.get(note.fields["person_record_id"])
        (owner.notes if owner else orphans).append(note)
    return PfifDocument(VERSIONS[reader.ns], persons, orphans)


def _feed(parser: Any, chunk: bytes | None, file: str) -> Element | None:
    """A chunk of the document to the parser (None: the end, and the root is returned), any
    problem of the XML itself raised as a PfifError."""
    try:
        if chunk is None:
            root: Element = parser.close()
            return root
        parser.feed(chunk)
        return None
    except ParseError as e:
        raise _fail(
            file, e.position[0], ko=f"XML 구문 오류: {e}", en=f"XML syntax error: {e}"
        ) from None
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as e:
        raise _fail(
            file,
            int(parser.parser.CurrentLineNumber),
            ko="DOCTYPE·엔터티 선언·외부 참조는 보안상 허용되지 않습니다",
            en=f"DOCTYPE, entity declarations and external references are refused ({e})",
        ) from None
    except (LookupError, ValueError) as e:  # an encoding expat cannot read, such as EUC-KR
        raise _fail(
            file,
            1,
            ko=f"읽을 수 없는 문자 인코딩입니다(UTF-8이어야 합니다): {e}",
            en=f"Unreadable character encoding (use UTF-8): {e}",
        ) from None


# A text with none of these needs none of `_text`'s work (most have none): XML's special
# characters, the carriage return, and those _NOT_XML removes, as one class (thrice as fast).
_PLAIN = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PERSON_SET = frozenset(PERSON_FIELDS)
_NOTE_SET = frozenset(NOTE_FIELDS)
_EXTENSION_TAGS: dict[str, str] = {}  # an extension field's opening tag, by its name

# A person as `write_rows_to` takes it, without dicts: the values of PERSON_FIELDS in that order
# ("" for none), the extension fields as (name, value) pairs, and each note as the values of
# NOTE_FIELDS in that order (its person_record_id filled in). `write_to` turns each PfifPerson
# into one, so both write the same bytes.
PersonRow = tuple[Sequence[str], Iterable[tuple[str, str]], Iterable[Sequence[str]]]


def _text(value: str) -> str:
    if _PLAIN.search(value) is None:
        return value
    return escape(_NOT_XML.sub("", value), {"\r": "&#13;"})


def _tag_pairs(order: tuple[str, ...], pad: str) -> list[tuple[str, str]]:
    return [(f"{pad}<pfif:{name}>", f"</pfif:{name}>") for name in order]


_PERSON_TAGS = _tag_pairs(PERSON_FIELDS, "    ")
# A note's tags by the indentation of its <pfif:note> (loose, or in a person); its fields go
# two spaces further in.
_NOTE_TAGS = {pad: _tag_pairs(NOTE_FIELDS, pad + "  ") for pad in ("  ", "    ")}


def _values(out: list[str], tags: list[tuple[str, str]], values: Sequence[str]) -> None:
    """The fields of a record, its values aligned with `tags`; empty ones left out."""
    # Most records need no escaping at all: one look at all their values at once.
    if _PLAIN.search("".join(values)) is None:
        out.extend([o + v + c for (o, c), v in zip(tags, values, strict=True) if v])
    else:
        out.extend([o + _text(v) + c for (o, c), v in zip(tags, values, strict=True) if v])


def _aligned(kind: str, fields: dict[str, str]) -> list[str]:
    known, order = (_PERSON_SET, PERSON_FIELDS) if kind == "person" else (_NOTE_SET, NOTE_FIELDS)
    if not known.issuperset(fields):
        unknown = set(fields) - known
        raise ValueError(f"not PFIF 1.4 {kind} fields: {', '.join(sorted(unknown))}")
    return [fields.get(name) or "" for name in order]


def _note_values(note: PfifNote, person_id: str | None) -> list[str]:
    fields = note.fields
    if person_id and not fields.get("person_record_id"):
        fields = {**fields, "person_record_id": person_id}
    return _aligned("note", fields)


def _note(out: list[str], values: Sequence[str], pad: str) -> None:
    out.append(f"{pad}<pfif:note>")
    _values(out, _NOTE_TAGS[pad], values)
    out.append(f"{pad}</pfif:note>")


def _extension_tag(name: str) -> str:
    """The opening tag of an extension field in a person."""
    tag = _EXTENSION_TAGS.get(name)
    if tag is None:
        tag = f"    <panmun:field name={quoteattr(_NOT_XML.sub('', name))}>"
        if len(_EXTENSION_TAGS) < 1000:
            _EXTENSION_TAGS[name] = tag
    return tag


def _person(out: list[str], row: PersonRow) -> None:
    fields, extension, notes = row
    append = out.append
    append("  <pfif:person>")
    _values(out, _PERSON_TAGS, fields)
    tags = _EXTENSION_TAGS
    present = [
        (tags.get(name) or _extension_tag(name), value) for name, value in extension if value
    ]
    if _PLAIN.search("".join([value for _, value in present])) is None:
        out.extend([tag + value + "</panmun:field>" for tag, value in present])
    else:
        out.extend([tag + _text(value) + "</panmun:field>" for tag, value in present])
    for note in notes:
        _note(out, note, "    ")
    append("  </pfif:person>")


def person_row(person: PfifPerson) -> PersonRow:
    """A PfifPerson as `write_rows_to` takes it."""
    record = person.fields.get("person_record_id")
    return (
        _aligned("person", person.fields),
        person.extension.items(),
        [_note_values(note, record) for note in person.notes],
    )


def write_rows_to(
    out: IO[bytes], persons: Iterable[PersonRow], *, notes: Iterable[PfifNote] = ()
) -> None:
    """A PFIF 1.4 document (UTF-8) of `persons` (see PersonRow) with their notes nested, then the
    loose `notes`, written to `out` as the persons come (a few hundred at a time)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<pfif:pfif xmlns:pfif="{PFIF_NS}" xmlns:panmun="{PANMUN_NS}">',
    ]
    for person in persons:
        _person(lines, person)
        if len(lines) >= 10_000:
            lines.append("")
            out.write("\n".join(lines).encode("utf-8"))
            lines.clear()
    for note in notes:
        _note(lines, _note_values(note, None), "  ")
    lines.append("</pfif:pfif>\n")
    out.write("\n".join(lines).encode("utf-8"))


def write_to(
    out: IO[bytes], persons: Iterable[PfifPerson], *, notes: Iterable[PfifNote] = ()
) -> None:
    """A PFIF 1.4 document (UTF-8) of `persons` with their notes nested, then the loose `notes`,
    written to `out` as the persons come."""
    write_rows_to(out, (person_row(person) for person in persons), notes=notes)


def write(persons: Iterable[PfifPerson], *, notes: Iterable[PfifNote] = ()) -> bytes:
    """A PFIF 1.4 document (UTF-8) of `persons` with their notes nested, then the loose `notes`."""
    out = io.BytesIO()
    write_to(out, persons, notes=notes)
    return out.getvalue()
