"""Importing a record document: every problem listed with file, item and field; all or nothing."""

import json

import pytest
from django.apps import apps

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError, ErrorCode
from panmun.dialogue import record
from panmun.dialogue.models import Agreement, Delegate, Event, Provision, Talks
from panmun.dialogue.services import record_import


def snapshot():
    return (
        Talks.objects.count(),
        Agreement.objects.count(),
        Event.objects.count(),
        Delegate.objects.count(),
        Provision.objects.count(),
        AuditEntry.objects.count(),
    )


def good_document():
    return {
        "agreements": [
            {
                "key": "test-agreement",
                "title_ko": "시험 합의서",
                "title_en": "Test",
                "signed_on": "2019-01-01",
                "parties": ["south", "north"],
                "provisions": [{"number": 1, "text_ko": "가", "text_en": "A"}],
            }
        ],
        "talks": [
            {
                "key": "test-talks",
                "title_ko": "시험 회담",
                "title_en": "Test talks",
                "level": "military",
                "start_date": "2019-01-01",
                "delegates": [{"side": "north", "name_ko": "림광혁"}],
                "agreements": ["test-agreement"],
            }
        ],
        "events": [
            {
                "key": "test-event",
                "title_ko": "시험 사건",
                "title_en": "Test event",
                "kind": "other",
                "start_date": "2019-02-01",
            }
        ],
    }


def test_good_document_is_imported_and_audited(personas):
    before = snapshot()
    counts = record_import(
        actor=personas["ministry"], raw=json.dumps(good_document()), filename="new.json"
    )
    assert counts == {"created": 3, "updated": 0}
    talks = Talks.objects.get(key="test-talks")
    assert list(talks.agreements.values_list("key", flat=True)) == ["test-agreement"]
    assert talks.delegates.get().side.code == "north"
    assert snapshot()[:3] == (before[0] + 1, before[1] + 1, before[2] + 1)
    entry = AuditEntry.objects.get(action="dialogue.record.import")
    assert entry.actor == personas["ministry"] and len(entry.changes["items"]) == 3


def test_importing_twice_creates_nothing_new(personas):
    raw = json.dumps(good_document())
    record_import(actor=personas["ministry"], raw=raw, filename="a.json")
    before = snapshot()
    counts = record_import(actor=personas["ministry"], raw=raw, filename="a.json")
    assert counts == {"created": 0, "updated": 3}
    assert snapshot()[:5] == before[:5]


def test_every_problem_is_listed_and_nothing_is_written(personas):
    doc = good_document()
    doc["talks"].append(
        {
            "key": "bad talks",
            "title_ko": "",
            "title_en": "x",
            "level": "party",
            "start_date": "2019-02-30",
            "agreements": ["missing"],
        }
    )
    doc["events"][0]["end_date"] = "2019-01-01"  # before its start
    doc["agreements"][0]["provisions"].append({"number": 1, "text_ko": "나", "text_en": "B"})
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        record_import(actor=personas["ministry"], raw=json.dumps(doc), filename="upload.json")
    err = exc.value
    assert err.code == ErrorCode.INVALID_INPUT
    problems = {(e["row"], e["field"]) for e in err.details["errors"]}
    assert problems == {
        ("talks[1]", "key"),
        ("talks[1]", "title_ko"),
        ("talks[1]", "level"),
        ("talks[1]", "start_date"),
        ("talks[1]", "agreements"),
        ("events[0]", "end_date"),
        ("agreements[0].provisions[1]", "number"),
    }
    assert all(e["file"] == "upload.json" for e in err.details["errors"])
    assert all(e["reason_ko"] and e["reason_en"] for e in err.details["errors"])
    assert "upload.json" in err.message_ko and "nothing was saved" in err.message_en
    assert snapshot() == before


@pytest.mark.parametrize(
    "raw", [b"\xff\xfe{", b"{not json", b"[]", b'{"talks": 3}', b'{"meetings": []}']
)
def test_malformed_documents_are_refused(personas, raw):
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        record_import(actor=personas["ministry"], raw=raw, filename="x.json")
    assert exc.value.code == ErrorCode.INVALID_INPUT
    assert exc.value.details["file"] == "x.json"
    assert snapshot() == before


def test_dry_run_writes_nothing(personas):
    before = snapshot()
    counts = record_import(
        actor=personas["ministry"], raw=json.dumps(good_document()), filename="d.json", dry_run=True
    )
    assert counts["checked"] == 3
    assert snapshot() == before


def test_import_needs_an_editor(personas):
    with pytest.raises(DomainError) as exc:
        record_import(
            actor=personas["redcross_s"], raw=json.dumps(good_document()), filename="d.json"
        )
    assert exc.value.code == ErrorCode.PERMISSION_DENIED


def test_export_reads_back_unchanged(personas):
    data = record.dump(apps.get_model)
    assert len(data["talks"]) == Talks.objects.count()
    doc = record.validate(json.loads(json.dumps(data)), filename="export.json")
    assert doc.size == Talks.objects.count() + Agreement.objects.count() + Event.objects.count()
    before = snapshot()
    record_import(actor=personas["ministry"], raw=json.dumps(data), filename="export.json")
    assert snapshot()[:5] == before[:5]
    assert record.dump(apps.get_model) == data


def test_month_precision_dates_must_be_the_first():
    doc = good_document()
    doc["events"][0].update(date_precision="month", start_date="2019-02-14")
    with pytest.raises(DomainError) as exc:
        record.validate(doc, filename="m.json")
    assert [(e["row"], e["field"]) for e in exc.value.details["errors"]] == [
        ("events[0]", "start_date")
    ]


def _basic_agreement_with_status(status):
    data = record.dump(apps.get_model)
    item = next(a for a in data["agreements"] if a["key"] == "basic-agreement-1991")
    return json.dumps({"agreements": [{**item, "status": status}]})


def test_an_officer_cannot_change_a_status_by_import(personas):
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        record_import(
            actor=personas["liaison_s"],
            raw=_basic_agreement_with_status("suspended"),
            filename="s.json",
        )
    assert exc.value.code == ErrorCode.PERMISSION_DENIED
    assert exc.value.details["errors"][0]["row"] == "agreements[0]"
    assert Agreement.objects.get(key="basic-agreement-1991").status == "in_force"
    assert snapshot() == before


def test_a_supervisor_changes_a_status_by_import_along_allowed_transitions(personas):
    record_import(
        actor=personas["supervisor"], raw=_basic_agreement_with_status("lapsed"), filename="s.json"
    )
    agreement = Agreement.objects.get(key="basic-agreement-1991")
    assert agreement.status == "lapsed"
    assert list(agreement.status_changes.values_list("status", flat=True)) == ["in_force", "lapsed"]
    with pytest.raises(DomainError) as exc:
        record_import(
            actor=personas["supervisor"],
            raw=_basic_agreement_with_status("suspended"),
            filename="s.json",
        )
    assert exc.value.code == ErrorCode.INVALID_INPUT
    assert Agreement.objects.get(key="basic-agreement-1991").status == "lapsed"


def test_import_audit_names_every_item(personas):
    record_import(actor=personas["ministry"], raw=json.dumps(good_document()), filename="n.json")
    entry = AuditEntry.objects.get(action="dialogue.record.import")
    assert sorted(entry.changes["items"]) == [
        "created agreement/test-agreement",
        "created event/test-event",
        "created talks/test-talks",
    ]


def test_text_with_nul_is_refused():
    doc = good_document()
    doc["events"][0]["title_en"] = "a\x00b"
    with pytest.raises(DomainError) as exc:
        record.validate(doc, filename="nul.json")
    assert [(e["row"], e["field"]) for e in exc.value.details["errors"]] == [
        ("events[0]", "title_en")
    ]
