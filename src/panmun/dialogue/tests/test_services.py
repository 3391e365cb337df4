import pytest
from tests.factories import agreement_payload, talks_payload

from panmun.accounts.models import AuditEntry
from panmun.common.errors import DomainError, ErrorCode
from panmun.dialogue import services
from panmun.dialogue.models import Agreement, AgreementStatus, Talks


def test_talks_create_writes_delegates_links_and_audit(personas):
    data = talks_payload(agreements=["basic-agreement-1991"])
    talks = services.talks_create(actor=personas["liaison_s"], data=data)
    assert talks.level == "working_level"
    assert [(d.side.code, d.name_ko, d.is_head) for d in talks.delegates.all()] == [
        ("south", "김서연", True),
        ("north", "리선권", True),
    ]
    assert list(talks.agreements.values_list("key", flat=True)) == ["basic-agreement-1991"]
    entry = AuditEntry.objects.get(action="dialogue.talks.create")
    assert entry.actor == personas["liaison_s"]
    assert entry.object_id == str(talks.pk)
    assert entry.changes["title_ko"] == "제1차 남북 실무회담(시험)"


def test_talks_update_records_what_changed(personas):
    talks = services.talks_create(actor=personas["ministry"], data=talks_payload())
    services.talks_update(
        actor=personas["ministry"], talks=talks, data=talks_payload(place_ko="개성", delegates=[])
    )
    talks.refresh_from_db()
    assert talks.place_ko == "개성"
    assert talks.delegates.count() == 0
    entry = AuditEntry.objects.get(action="dialogue.talks.update")
    assert set(entry.changes) == {"place_ko", "delegates"}
    assert entry.changes["place_ko"] == ["판문점 평화의 집", "개성"]
    assert entry.changes["delegates"][1] == []


def test_refused_write_changes_nothing(personas):
    before = (Talks.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as exc:
        services.talks_create(actor=personas["viewer"], data=talks_payload())
    assert exc.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(DomainError) as exc:
        services.talks_create(actor=personas["ministry"], data=talks_payload(end_date="2000-01-01"))
    assert exc.value.code == ErrorCode.INVALID_INPUT
    assert (Talks.objects.count(), AuditEntry.objects.count()) == before


def test_agreement_create_and_status_history(personas):
    agreement = services.agreement_create(actor=personas["ministry"], data=agreement_payload())
    assert agreement.status == AgreementStatus.IN_FORCE
    assert agreement.provisions.count() == 1
    change = services.agreement_change_status(
        actor=personas["supervisor"],
        agreement=agreement,
        status="suspended",
        effective_on=None,
        note_ko="북측 통지",
        note_en="Notice from the North",
    )
    agreement.refresh_from_db()
    assert agreement.status == "suspended"
    assert list(agreement.status_changes.values_list("status", flat=True)) == [
        "in_force",
        "suspended",
    ]
    assert change.recorded_by == personas["supervisor"]
    entry = AuditEntry.objects.get(action="dialogue.agreement.status")
    assert entry.changes["status"] == ["in_force", "suspended"]


@pytest.mark.parametrize(
    ("start", "target", "code"),
    [
        ("in_force", "in_force", ErrorCode.INVALID_TRANSITION),
        ("lapsed", "suspended", ErrorCode.INVALID_TRANSITION),
        ("superseded", "suspended", ErrorCode.INVALID_TRANSITION),
        ("in_force", "cancelled", ErrorCode.INVALID_INPUT),
    ],
)
def test_invalid_status_changes_are_refused(personas, start, target, code):
    agreement = Agreement.objects.get(key="basic-agreement-1991")
    if start != "in_force":
        services.agreement_change_status(
            actor=personas["supervisor"], agreement=agreement, status=start, effective_on=None
        )
    before = agreement.status_changes.count()
    with pytest.raises(DomainError) as exc:
        services.agreement_change_status(
            actor=personas["supervisor"], agreement=agreement, status=target, effective_on=None
        )
    assert exc.value.code == code
    agreement.refresh_from_db()
    assert agreement.status == start
    assert agreement.status_changes.count() == before


def test_officer_cannot_change_status(personas):
    agreement = Agreement.objects.get(key="basic-agreement-1991")
    with pytest.raises(DomainError) as exc:
        services.agreement_change_status(
            actor=personas["ministry"], agreement=agreement, status="suspended", effective_on=None
        )
    assert exc.value.code == ErrorCode.PERMISSION_DENIED


def test_talks_update_audits_delegation_and_links(personas):
    talks = services.talks_create(
        actor=personas["ministry"], data=talks_payload(agreements=["basic-agreement-1991"])
    )
    services.talks_update(
        actor=personas["ministry"],
        talks=talks,
        data=talks_payload(delegates=[], agreements=[], key=talks.key),
    )
    entry = AuditEntry.objects.get(action="dialogue.talks.update")
    assert set(entry.changes) == {"delegates", "agreements"}
    assert entry.changes["agreements"] == [["basic-agreement-1991"], []]
    assert [d["name_ko"] for d in entry.changes["delegates"][0]] == ["김서연", "리선권"]


def test_records_without_a_key_get_one_and_can_be_linked(personas):
    agreement = services.agreement_create(actor=personas["ministry"], data=agreement_payload())
    assert agreement.key == f"agreement-{agreement.pk}"
    talks = services.talks_create(
        actor=personas["ministry"], data=talks_payload(agreements=[agreement.key])
    )
    assert talks.key == f"talks-{talks.pk}"
    assert list(talks.agreements.all()) == [agreement]


@pytest.mark.parametrize("who", ["liaison_n", "redcross_n"])
def test_the_north_cannot_write_the_record_of_talks(personas, who):
    """The record is the South ministry's own (`dialogue.access.can_edit_dialogue`): the North's
    liaison officer may read the 1971 Red Cross talks, not retitle them or record new talks."""
    talks = Talks.objects.get(key="red-cross-1971-08")
    title = talks.title_ko
    before = (Talks.objects.count(), Agreement.objects.count(), AuditEntry.objects.count())
    for write in (
        lambda: services.talks_create(actor=personas[who], data=talks_payload()),
        lambda: services.talks_update(
            actor=personas[who], talks=talks, data=talks_payload(title_ko="고쳐 쓴 회담")
        ),
        lambda: services.agreement_create(actor=personas[who], data=agreement_payload()),
    ):
        with pytest.raises(DomainError) as refused:
            write()
        assert refused.value.code == ErrorCode.PERMISSION_DENIED
    talks.refresh_from_db()
    assert talks.title_ko == title
    assert (Talks.objects.count(), Agreement.objects.count(), AuditEntry.objects.count()) == before


def test_a_north_supervisor_cannot_change_an_agreements_status(personas):
    from panmun.accounts.models import Role

    north = personas["liaison_n"]
    north.role = Role.SUPERVISOR
    north.save()
    agreement = Agreement.objects.get(key="basic-agreement-1991")
    with pytest.raises(DomainError) as refused:
        services.agreement_change_status(
            actor=north, agreement=agreement, status="suspended", effective_on=None
        )
    assert refused.value.code == ErrorCode.PERMISSION_DENIED
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.IN_FORCE
