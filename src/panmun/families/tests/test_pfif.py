"""PFIF 1.4 reading and writing: a real peer's file, the round trip, and every refusal."""

from __future__ import annotations

import pytest

from panmun.common.findings import Finding
from panmun.families.pfif import (
    NOTE_FIELDS,
    PANMUN_NS,
    PERSON_FIELDS,
    PFIF_NS,
    PfifDocument,
    PfifError,
    PfifNote,
    PfifPerson,
    parse,
    write,
)
from panmun.tests.shared_data import shared_file

PEER_FILE = "data/pfif/personfinder-test.pfif-1.4.xml"
HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<pfif:pfif xmlns:pfif="{PFIF_NS}">\n'


def doc(body: str, head: str = HEAD) -> bytes:
    return (head + body + "</pfif:pfif>\n").encode("utf-8")


def person(*lines: str, pid: str = "example.org/person.1") -> str:
    inner = "".join(f"    {line}\n" for line in lines)
    head = f"  <pfif:person>\n    <pfif:person_record_id>{pid}</pfif:person_record_id>\n"
    return f"{head}{inner}  </pfif:person>\n"


def problems(data: bytes) -> list[Finding]:
    with pytest.raises(PfifError) as info:
        parse(data, file="t.xml")
    return info.value.problems


def only(data: bytes) -> Finding:
    found = problems(data)
    assert len(found) == 1, found
    return found[0]


# The real peer file (Google Person Finder's own 1.4 test document)


def peer() -> PfifDocument:
    path = shared_file(PEER_FILE)
    return parse(path.read_bytes(), file=path.name)


def test_peer_file_imports_with_its_exact_counts() -> None:
    document = peer()
    assert document.version == "1.4"
    assert len(document.persons) == 1
    assert [len(p.notes) for p in document.persons] == [4]
    assert document.notes == []
    person_ = document.persons[0]
    assert person_.line == 3
    assert person_.fields["person_record_id"] == "test.google.com/person.21009"
    assert [n.fields["note_record_id"] for n in person_.notes] == [
        "test.google.com/note.27009",
        "test.google.com/note.31095",
        "test.google.com/note.40121",
        "test.google.com/note.50121",
    ]
    assert [n.line for n in person_.notes] == [35, 52, 65, 73]


def test_peer_file_first_and_last_name_map_to_given_and_family_name() -> None:
    fields = peer().persons[0].fields
    assert fields["given_name"] == "_test_first_name"
    assert fields["family_name"] == "_test_last_name"
    assert "first_name" not in fields
    assert "last_name" not in fields


def test_peer_file_names_collapsed_and_fields_stripped() -> None:
    fields = peer().persons[0].fields
    assert fields["full_name"] == "_test_full_name1 _test_full_name2"
    assert fields["home_city"] == "_test_home_city"
    assert fields["alternate_names"] == "_test_alternate_name1\n_test_alternate_name2"
    assert fields["profile_urls"] == "_test_profile_url1\n_test_profile_url2"
    assert fields["sex"] == "female"
    assert fields["date_of_birth"] == "1970-01"
    assert fields["age"] == "35-45"
    assert list(fields) == [f for f in PERSON_FIELDS if f in fields]
    assert len(fields) == 24  # every 1.4 person field but expiry_date


def test_peer_file_notes_get_their_persons_id() -> None:
    notes = peer().persons[0].notes
    assert {n.fields["person_record_id"] for n in notes} == {"test.google.com/person.21009"}
    second = notes[1].fields
    assert second["author_made_contact"] == "true"
    assert second["last_known_location"] == "19.16592425362802 -71.9384765625"
    assert "email_of_found_person" not in second  # empty in the file: treated as absent
    assert "status" not in second
    assert notes[0].fields["linked_person_record_id"] == "test.google.com/person.999"
    assert notes[2].fields["status"] == "is_note_author"


def test_peer_file_round_trips() -> None:
    document = peer()
    again = parse(write(document.persons), file="again.xml")
    assert [p.fields for p in again.persons] == [p.fields for p in document.persons]
    assert [[n.fields for n in p.notes] for p in again.persons] == [
        [n.fields for n in p.notes] for p in document.persons
    ]


# Round trip


def sample() -> list[PfifPerson]:
    note = PfifNote(
        {
            "note_record_id": "panmun.example.kr/note.7",
            "person_record_id": "panmun.example.kr/person.1",
            "entry_date": "2024-02-10T09:30:00Z",
            "author_name": "김영희",
            "source_date": "2024-02-09T00:00:00Z",
            "author_made_contact": "true",
            "status": "believed_alive",
            "text": '평양에서 연락이 왔습니다.\n  "잘 지낸다" <확인> & 감사',
        }
    )
    first = PfifPerson(
        fields={
            "person_record_id": "panmun.example.kr/person.1",
            "entry_date": "2024-02-01T00:00:00Z",
            "expiry_date": "2034-02-01T00:00:00Z",
            "full_name": "리선권",
            "given_name": "선권",
            "family_name": "리",
            "alternate_names": "이선권\nRi Son Gwon",
            "description": "첫 줄 <b>&amp;</b>\n둘째 줄 \"따옴표\" & '홑'\n\n넷째 줄",
            "sex": "male",
            "date_of_birth": "1946-02-28",
            "age": "77-79",
            "home_city": "개성",
            "home_country": "KP",
        },
        extension={"relation": "spouse", "hometown_hanja": '開城 <&">'},
        notes=[note],
    )
    second = PfifPerson(
        fields={"person_record_id": "panmun.example.kr/person.2", "full_name": "A & B <C>"}
    )
    return [first, second]


def test_round_trip_keeps_fields_extension_and_notes() -> None:
    persons = sample()
    loose = PfifNote(
        {
            "note_record_id": "other.example.org/note.9",
            "person_record_id": "other.example.org/person.9",
            "text": "누군가를 찾습니다",
        }
    )
    data = write(persons, notes=[loose])
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<pfif:pfif ')
    assert f'xmlns:panmun="{PANMUN_NS}"'.encode() in data
    assert b'<panmun:field name="relation">spouse</panmun:field>' in data
    assert "리선권".encode() in data
    document = parse(data, file="round.xml")
    assert document.version == "1.4"
    assert [p.fields for p in document.persons] == [p.fields for p in persons]
    assert [p.extension for p in document.persons] == [p.extension for p in persons]
    assert [[n.fields for n in p.notes] for p in document.persons] == [
        [n.fields for n in p.notes] for p in persons
    ]
    assert [n.fields for n in document.notes] == [loose.fields]


def test_write_orders_fields_as_the_spec_and_puts_extension_after_them() -> None:
    text = write(sample()[:1]).decode()
    positions = [text.index(f"<pfif:{f}>") for f in PERSON_FIELDS if f in sample()[0].fields]
    assert positions == sorted(positions)
    assert (
        text.index("<pfif:home_country>") < text.index("<panmun:field") < text.index("<pfif:note>")
    )
    note_part = text[text.index("<pfif:note>") :]
    note_positions = [
        note_part.index(f"<pfif:{f}>") for f in NOTE_FIELDS if f in sample()[0].notes[0].fields
    ]
    assert note_positions == sorted(note_positions)


def test_written_note_without_person_id_gets_its_persons() -> None:
    p = PfifPerson(
        {"person_record_id": "a.org/p1"}, notes=[PfifNote({"note_record_id": "a.org/n1"})]
    )
    document = parse(write([p]), file="w.xml")
    assert document.persons[0].notes[0].fields == {
        "note_record_id": "a.org/n1",
        "person_record_id": "a.org/p1",
    }


def test_write_refuses_fields_outside_pfif_1_4() -> None:
    with pytest.raises(ValueError, match="first_name"):
        write([PfifPerson({"person_record_id": "a.org/p1", "first_name": "x"})])


def test_top_level_note_attaches_to_its_person_in_the_document() -> None:
    body = person() + (
        "  <pfif:note>\n"
        "    <pfif:note_record_id>example.org/note.1</pfif:note_record_id>\n"
        "    <pfif:person_record_id>example.org/person.1</pfif:person_record_id>\n"
        "  </pfif:note>\n"
    )
    document = parse(doc(body), file="t.xml")
    assert document.notes == []
    assert [n.line for n in document.persons[0].notes] == [6]


def test_older_versions_and_foreign_extensions() -> None:
    head = '<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.2" xmlns:x="urn:other">\n'
    body = person(
        "<pfif:first_name> Son\n  Gwon </pfif:first_name>",
        "<pfif:home_zip>12345</pfif:home_zip>",
        "<pfif:other>tall</pfif:other>",
        "<x:shoe_size>42</x:shoe_size>",
        "<pfif:note><pfif:note_record_id>e.org/n</pfif:note_record_id>"
        "<pfif:found>true</pfif:found></pfif:note>",
    )
    document = parse(doc(body, head), file="old.xml")
    assert document.version == "1.2"
    fields = document.persons[0].fields
    assert fields == {
        "person_record_id": "example.org/person.1",
        "given_name": "Son Gwon",
        "description": "tall",
        "home_postal_code": "12345",
    }
    assert document.persons[0].notes[0].fields["author_made_contact"] == "true"
    for version in ("1.1", "1.3"):
        head = f'<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/{version}">\n'
        assert parse(doc(person(), head), file="v.xml").version == version


# Problems in records: each names its field and line


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("<pfif:sex>unknown</pfif:sex>", "sex"),
        ("<pfif:entry_date>2024-02-01 00:00:00</pfif:entry_date>", "entry_date"),
        ("<pfif:source_date>2024-02-01T00:00:00+09:00</pfif:source_date>", "source_date"),
        ("<pfif:expiry_date>2024-02-30T00:00:00Z</pfif:expiry_date>", "expiry_date"),
        ("<pfif:date_of_birth>1950-02-30</pfif:date_of_birth>", "date_of_birth"),
        ("<pfif:date_of_birth>1950-13</pfif:date_of_birth>", "date_of_birth"),
        ("<pfif:date_of_birth>50</pfif:date_of_birth>", "date_of_birth"),
        ("<pfif:age>80-70</pfif:age>", "age"),
        ("<pfif:shoe_size>42</pfif:shoe_size>", "shoe_size"),
        ("<pfif:full_name>a</pfif:full_name>", "full_name"),  # second full_name below
    ],
)
def test_invalid_person_field(line: str, field: str) -> None:
    extra = ["<pfif:full_name>b</pfif:full_name>"] if field == "full_name" else []
    problem = only(doc(person(*extra, line)))
    assert (problem.file, problem.field) == ("t.xml", field)
    assert problem.row == ("line 6" if extra else "line 5")
    assert problem.ko and problem.en


def test_person_without_id() -> None:
    problem = only(
        doc("  <pfif:person>\n    <pfif:full_name>x</pfif:full_name>\n  </pfif:person>\n")
    )
    assert (problem.row, problem.field) == ("line 3", "person_record_id")
    assert problem.en == "Required field is missing"
    assert problem.ko == "필수 항목이 없습니다"


def test_record_id_without_domain() -> None:
    problem = only(doc(person(pid="person.1")))
    assert (problem.row, problem.field) == ("line 4", "person_record_id")
    assert "domain/unique_string" in problem.en


def test_duplicate_person_ids() -> None:
    problem = only(doc(person() + person()))
    assert (problem.row, problem.field) == ("line 6", "person_record_id")
    assert problem.en == "Duplicate id example.org/person.1, first at line 3"


def note(*lines: str) -> str:
    return "<pfif:note>" + "".join(lines) + "</pfif:note>"


NID = "<pfif:note_record_id>example.org/note.1</pfif:note_record_id>"


@pytest.mark.parametrize(
    ("inner", "field"),
    [
        ("<pfif:status>found</pfif:status>", "status"),
        ("<pfif:author_made_contact>yes</pfif:author_made_contact>", "author_made_contact"),
        (
            "<pfif:linked_person_record_id>nodomain</pfif:linked_person_record_id>",
            "linked_person_record_id",
        ),
        ("<pfif:source_date>yesterday</pfif:source_date>", "source_date"),
        ("<pfif:person_record_id>example.org/person.2</pfif:person_record_id>", "person_record_id"),
    ],
)
def test_invalid_note_field(inner: str, field: str) -> None:
    problem = only(doc(person(note(NID, inner))))
    assert (problem.row, problem.field) == ("line 5", field)


def test_note_without_id_and_duplicate_note_ids() -> None:
    found = problems(doc(person(note(), note(NID), note(NID))))
    assert [(p.row, p.field) for p in found] == [
        ("line 5", "note_record_id"),
        ("line 7", "note_record_id"),
    ]
    assert found[1].en == "Duplicate id example.org/note.1, first at line 6"


def test_top_level_note_needs_a_person_id() -> None:
    problem = only(doc(f"  {note(NID)}\n"))
    assert (problem.row, problem.field) == ("line 3", "person_record_id")


def test_all_problems_are_collected() -> None:
    found = problems(
        doc(
            person("<pfif:sex>x</pfif:sex>")
            + person(pid="bad")
            + "  <pfif:unknown/>\n  <pfif:note></pfif:note>\n"
        )
    )
    assert [(p.row, p.field) for p in found] == [
        ("line 5", "sex"),
        ("line 8", "person_record_id"),
        ("line 10", "unknown"),
        ("line 11", "note_record_id"),
        ("line 11", "person_record_id"),
    ]
    assert "line 5 sex" in str(PfifError(found))


def test_panmun_extension_needs_a_name() -> None:
    head = f'<pfif:pfif xmlns:pfif="{PFIF_NS}" xmlns:panmun="{PANMUN_NS}">\n'
    problem = only(doc(person("<panmun:field>spouse</panmun:field>"), head))
    assert (problem.row, problem.field) == ("line 4", "field")


def test_other_pfif_version_element_inside_a_1_4_document() -> None:
    body = person('<old:full_name xmlns:old="http://zesty.ca/pfif/1.3">x</old:full_name>')
    problem = only(doc(body))
    assert (problem.row, problem.field) == ("line 5", "full_name")


# Documents refused as a whole


def test_billion_laughs_is_refused() -> None:
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    data = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 "lol">'
        f'{entities}\n]>\n<pfif:pfif xmlns:pfif="{PFIF_NS}">&lol9;</pfif:pfif>'
    ).encode()
    problem = only(data)
    assert problem.row == "line 2"
    assert "refused" in problem.en


def test_external_entity_is_refused() -> None:
    data = (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE pfif [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        f'<pfif:pfif xmlns:pfif="{PFIF_NS}">{person("<pfif:full_name>&xxe;</pfif:full_name>")}'
        "</pfif:pfif>"
    ).encode()
    problem = only(data)
    assert "refused" in problem.en
    assert "root" not in problem.en


def test_non_xml_bytes() -> None:
    problem = only(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert problem.row == "line 1"
    assert problem.en.startswith("XML syntax error")


def test_truncated_document_names_its_line() -> None:
    problem = only(doc(person())[:-20])
    assert problem.en.startswith("XML syntax error")
    assert problem.row == "line 5"


def test_encodings() -> None:
    body = person("<pfif:full_name>김영희</pfif:full_name>")
    utf16 = doc(body).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert parse(utf16, file="t.xml").persons[0].fields["full_name"] == "김영희"
    euc_kr = doc(body).decode().replace('encoding="UTF-8"', 'encoding="EUC-KR"').encode("euc-kr")
    problem = only(euc_kr)
    assert problem.row == "line 1"
    assert problem.en.startswith("Unreadable character encoding (use UTF-8)")
    assert only(b'<?xml version="1.0" encoding="bogus"?><a/>').en.startswith("Unreadable")


def test_empty_file() -> None:
    for data in (b"", b"  \n"):
        problem = only(data)
        assert (problem.row, problem.en, problem.ko) == (
            "line 1",
            "The file is empty",
            "빈 파일입니다",
        )


def test_root_that_is_not_pfif() -> None:
    problem = only(b'<?xml version="1.0"?>\n<people><person/></people>')
    assert problem.row == "line 2"
    assert problem.en == "The root element <people> is not a PFIF <pfif> element"
    problem = only(f'<pfif:person xmlns:pfif="{PFIF_NS}"/>'.encode())
    assert problem.en == "The root element <person> is not a PFIF <pfif> element"


def test_unknown_pfif_version() -> None:
    problem = only(doc(person(), '<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/2.0">\n'))
    assert problem.en == "Unknown PFIF version namespace: http://zesty.ca/pfif/2.0"


def test_problem_as_detail() -> None:
    problem = only(b"")
    assert problem.as_detail() == {
        "file": "t.xml",
        "row": "line 1",
        "field": "",
        "reason_ko": "빈 파일입니다",
        "reason_en": "The file is empty",
    }


def test_the_quick_look_for_text_to_escape_finds_what_the_writer_escapes() -> None:
    """`_PLAIN` (one character class) finds every character `_text` would change."""
    import re

    from panmun.families.pfif import _NOT_XML, _PLAIN, _text

    slow = re.compile("[&<>\r]|" + _NOT_XML.pattern)
    for code in [*range(0x10000), 0x10000, 0x1F642, 0x10FFFF]:
        char = chr(code)
        assert (_PLAIN.search(char) is None) == (slow.search(char) is None), hex(code)
        if _PLAIN.search(char) is None:
            assert _text(char) == char
