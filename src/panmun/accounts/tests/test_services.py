import pytest
from django.db import transaction

from panmun.accounts import audit
from panmun.accounts.models import ApiToken, AuditEntry
from panmun.accounts.services import (
    api_token_create,
    api_token_revoke,
    token_digest,
    user_for_token,
    user_set_language,
)
from panmun.common.errors import DomainError, ErrorCode


def test_token_is_stored_hashed_and_shown_once(personas):
    user = personas["ministry"]
    token, raw = api_token_create(actor=user, name="보고 스크립트")
    assert raw.startswith("pmn_") and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == token_digest(raw)
    assert raw not in (stored.digest, stored.prefix)
    assert raw.startswith(stored.prefix)
    assert user_for_token(raw) == user
    stored.refresh_from_db()
    assert stored.last_used_at is not None
    entry = AuditEntry.objects.get(action="accounts.token.create")
    assert entry.actor == user and raw not in str(entry.changes)


def test_revoked_token_no_longer_authenticates(personas):
    token, raw = api_token_create(actor=personas["aid"], name="t")
    api_token_revoke(actor=personas["aid"], token_id=token.pk)
    assert user_for_token(raw) is None
    with pytest.raises(DomainError) as exc:
        api_token_revoke(actor=personas["aid"], token_id=token.pk)
    assert exc.value.code == ErrorCode.CONFLICT


def test_inactive_users_token_is_refused(personas):
    user = personas["firm"]
    _token, raw = api_token_create(actor=user, name="t")
    user.is_active = False
    user.save()
    assert user_for_token(raw) is None


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_token_name_is_checked_and_nothing_written(personas, name):
    with pytest.raises(DomainError) as exc:
        api_token_create(actor=personas["ministry"], name=name)
    assert exc.value.code == ErrorCode.INVALID_INPUT
    assert exc.value.details == {"field": "name"}
    assert ApiToken.objects.count() == 0
    assert not AuditEntry.objects.filter(action="accounts.token.create").exists()


def test_language_is_saved_and_audited(personas):
    user = user_set_language(actor=personas["viewer"], language="en")
    user.refresh_from_db()
    assert user.language == "en"
    assert AuditEntry.objects.filter(action="accounts.user.language", actor=user).count() == 1
    with pytest.raises(DomainError):
        user_set_language(actor=user, language="fr")
    user.refresh_from_db()
    assert user.language == "en"


@pytest.mark.django_db(transaction=True)
def test_audit_record_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        audit.record(actor=None, action="accounts.test")
    assert AuditEntry.objects.filter(action="accounts.test").count() == 0


def test_audit_entry_rolls_back_with_the_change(personas):
    before = AuditEntry.objects.count()
    with pytest.raises(ValueError), transaction.atomic():
        api_token_create(actor=personas["ministry"], name="rolled back")
        raise ValueError("the caller failed after the service")
    assert AuditEntry.objects.count() == before
    assert not ApiToken.objects.filter(name="rolled back").exists()


def test_audit_diff_lists_only_changes():
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}


def test_admin_site_changes_are_audited(personas, client_for):
    client = client_for("admin")
    viewer = personas["viewer"]
    response = client.post(
        f"/admin/accounts/user/{viewer.pk}/change/",
        {
            "username": "viewer",
            "display_name": viewer.display_name,
            "organisation": viewer.organisation_id,
            "role": "supervisor",
            "language": "ko",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content[:500]
    entry = AuditEntry.objects.get(action="admin.user.change")
    assert entry.actor == personas["admin"]
    assert entry.changes["role"] == ["viewer", "supervisor"]
    assert "password" not in entry.changes
