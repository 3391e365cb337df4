import pytest

from panmun.accounts.access import audit_entries_for_user, can_view_audit
from panmun.accounts.models import Role
from panmun.common.errors import DomainError, ErrorCode
from panmun.dialogue.access import (
    can_change_agreement_status,
    can_edit_dialogue,
    get_talks_for_user,
    talks_for_user,
)
from panmun.families.access import can_export_registry, can_export_request_list
from panmun.reunion.access import can_export_reunion_lists


@pytest.mark.parametrize(
    ("username", "edit", "status", "audit"),
    [
        ("ministry", True, False, False),
        ("redcross_s", False, False, False),
        ("redcross_n", False, False, False),
        ("liaison_s", True, False, False),
        ("liaison_n", False, False, False),  # the record is the South's (issue 16, item 5)
        ("firm", False, False, False),
        ("aid", False, False, False),
        ("applicant", False, False, False),
        ("supervisor", True, True, True),
        ("viewer", False, False, False),
        ("admin", True, True, True),
    ],
)
def test_capabilities_per_persona(personas, username, edit, status, audit):
    user = personas[username]
    assert can_edit_dialogue(user) is edit
    assert can_change_agreement_status(user) is status
    assert can_view_audit(user) is audit


@pytest.mark.parametrize(
    ("username", "registry", "lists"),
    [
        ("ministry", True, True),
        ("redcross_s", True, True),
        ("redcross_n", False, True),
        ("liaison_s", False, False),
        ("liaison_n", False, False),
        ("firm", False, False),
        ("aid", False, False),
        ("applicant", False, False),
        ("supervisor", True, True),
        ("viewer", False, False),  # reads the registry, takes no copy of it away
        ("admin", True, True),
    ],
)
def test_who_may_take_personal_data_away_as_files(personas, username, registry, lists):
    user = personas[username]
    assert can_export_registry(user) is registry
    assert can_export_request_list(user) is lists
    assert can_export_reunion_lists(user) is lists


def test_roles_are_ordered(personas):
    viewer = personas["viewer"]
    assert viewer.has_role(Role.VIEWER)
    assert not viewer.has_role(Role.OFFICER)
    assert personas["supervisor"].has_role(Role.OFFICER)


def test_anonymous_reads_are_refused():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(DomainError) as exc:
        talks_for_user(AnonymousUser())
    assert exc.value.code == ErrorCode.NOT_AUTHENTICATED


@pytest.mark.parametrize("pk", [10**9, "abc", None, 10**30])
def test_lookup_of_unknown_or_malformed_ids_is_not_found(personas, pk):
    with pytest.raises(DomainError) as exc:
        get_talks_for_user(personas["viewer"], pk)
    assert exc.value.code == ErrorCode.NOT_FOUND


def test_audit_log_is_for_supervisors(personas):
    with pytest.raises(DomainError) as exc:
        audit_entries_for_user(personas["ministry"])
    assert exc.value.code == ErrorCode.PERMISSION_DENIED
    assert audit_entries_for_user(personas["supervisor"]).exists()
