"""API tokens expire and have a scope: made on the tokens page or through the API, refused by
the API's token auth once expired (401) or, when read-only, on a write (403)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from tests.factories import talks_payload

from panmun.accounts.models import ApiToken, AuditEntry, TokenScope
from panmun.accounts.services import api_token_create, user_for_token
from panmun.common.errors import DomainError, ErrorCode
from panmun.dialogue.models import Talks


def _counts():
    return Talks.objects.count(), AuditEntry.objects.count(), ApiToken.objects.count()


def _bearer(client, raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


# --- the service ---------------------------------------------------------------------------------


def test_a_token_expires_after_90_days_and_may_write_by_default(personas):
    before = timezone.now()
    token, _raw = api_token_create(actor=personas["ministry"], name="t")
    assert token.scope == TokenScope.READ_WRITE
    assert before + dt.timedelta(days=90) <= token.expires_at
    assert token.expires_at <= timezone.now() + dt.timedelta(days=90)
    entry = AuditEntry.objects.get(action="accounts.token.create")
    assert entry.changes["scope"] == "read_write" and "expires_at" in entry.changes


@pytest.mark.parametrize("days", [0, -1, 366, 10_000, True])
def test_a_token_lives_one_to_365_days(personas, days):
    with pytest.raises(DomainError) as exc:
        api_token_create(actor=personas["ministry"], name="t", days=days)
    assert exc.value.code == ErrorCode.INVALID_INPUT
    assert exc.value.details["field"] == "days"
    assert ApiToken.objects.count() == 0


def test_an_unknown_scope_is_refused(personas):
    with pytest.raises(DomainError) as exc:
        api_token_create(actor=personas["ministry"], name="t", scope="admin")
    assert exc.value.details["field"] == "scope"
    assert ApiToken.objects.count() == 0


def test_an_expired_token_no_longer_authenticates(personas):
    token, raw = api_token_create(actor=personas["ministry"], name="t", days=30)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert user_for_token(raw) is None


# --- the API -------------------------------------------------------------------------------------


def test_an_expired_token_is_401_saying_it_expired(personas, client):
    token, raw = api_token_create(actor=personas["ministry"], name="보고 스크립트")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    response = client.get("/api/v1/me", **_bearer(client, raw), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert "expired" in body["message"] and "보고 스크립트" in body["message"]
    assert body["details"]["reason"] == "token_expired"
    korean = client.get("/api/v1/me", **_bearer(client, raw)).json()
    assert "만료" in korean["message"]
    token.refresh_from_db()
    assert token.last_used_at is None


def test_a_read_only_token_reads_but_may_not_write(personas, client):
    _token, raw = api_token_create(actor=personas["ministry"], name="r", scope="read")
    assert client.get("/api/v1/me", **_bearer(client, raw)).status_code == 200
    assert client.get("/api/v1/dialogue/talks", **_bearer(client, raw)).status_code == 200
    before = _counts()
    response = client.post(
        "/api/v1/dialogue/talks",
        data=talks_payload(),
        content_type="application/json",
        **_bearer(client, raw),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "permission_denied"
    assert "read-only" in body["message"]
    assert body["details"] == {"reason": "token_read_only", "scope": "read"}
    assert _counts() == before


def test_a_read_write_token_writes(personas, client):
    _token, raw = api_token_create(actor=personas["ministry"], name="rw", scope="read_write")
    response = client.post(
        "/api/v1/dialogue/talks",
        data=talks_payload(),
        content_type="application/json",
        **_bearer(client, raw),
    )
    assert response.status_code == 201, response.content[:300]


def _session_post(client, body):
    return client.post("/api/v1/tokens", data=body, content_type="application/json")


def test_the_api_makes_tokens_with_an_expiry_and_a_scope(client_for, api_for):
    officer = client_for("aid")
    response = _session_post(
        officer, {"name": "read script", "expires_in_days": 30, "scope": "read"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["scope"] == "read" and body["expired"] is False
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert abs(expires - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
    listed = {t["name"]: t for t in api_for("aid").get("/tokens").json()}
    assert listed["read script"]["scope"] == "read"
    assert listed["tests"]["scope"] == "read_write"
    # Without them: 90 days, read-write.
    default = _session_post(officer, {"name": "plain"}).json()
    assert default["scope"] == "read_write"


def test_a_token_cannot_mint_tokens(api_for):
    """A leaked token must not outlive its revocation by minting more: only a person signed in
    makes tokens, and the refusal writes nothing."""
    api = api_for("aid")
    before = _counts()
    response = api.post("/tokens", {"name": "copy", "expires_in_days": 365})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert _counts() == before


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "x", "expires_in_days": 366}, "expires_in_days"),
        ({"name": "x", "expires_in_days": 0}, "expires_in_days"),
        ({"name": "x", "scope": "admin"}, "scope"),
    ],
)
def test_the_api_refuses_a_longer_life_or_an_unknown_scope(client_for, body, field):
    officer = client_for("aid")
    before = _counts()
    response = _session_post(officer, body)
    assert response.status_code == 422
    assert response.json()["details"]["errors"][0]["field"] == field
    assert _counts() == before


# --- the page ------------------------------------------------------------------------------------


def test_the_tokens_page_offers_the_expiry_and_the_scope(client_for):
    page = client_for("viewer").get("/tokens/").content.decode()
    for days in (30, 90, 180, 365):
        assert f'value="{days}"' in page
    assert 'value="90" selected' in page
    assert re.search(r"value=\"read\"[^>]*checked", page)


def test_the_tokens_page_makes_a_read_only_token(client_for, personas):
    client = client_for("viewer")
    response = client.post("/tokens/", {"name": "보고", "days": "30", "scope": "read"})
    assert response.status_code == 200
    token = ApiToken.objects.get(name="보고")
    assert token.scope == "read" and token.user == personas["viewer"]
    assert token.expires_at - timezone.now() > dt.timedelta(days=29)
    page = response.content.decode()
    assert "data-token" in page and "읽기 전용" in page


def test_the_tokens_page_refuses_a_bad_life_and_keeps_the_name(client_for):
    before = _counts()
    response = client_for("viewer").post("/tokens/", {"name": "보고용", "days": "400"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="보고용"' in page and "form-errors" in page
    assert _counts() == before


def test_the_tokens_page_shows_an_expired_token_as_expired(client_for, personas):
    token, _raw = api_token_create(actor=personas["viewer"], name="오래된 토큰")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    page = client_for("viewer").get("/tokens/").content.decode()
    row = page.split(f'data-token-row="{token.pk}"')[1].split("</tr>")[0]
    assert "만료됨" in row


def test_a_token_brings_its_users_organisation_and_side_in_one_query(personas):
    """Every API request's permission checks read the user's side: it comes with the token
    (issue 16's load target), not as two more queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from panmun.accounts.services import api_token_create, user_for_token

    _token, raw = api_token_create(actor=personas["redcross_s"], name="side")
    with CaptureQueriesContext(connection) as queries:
        user = user_for_token(raw)
        assert user is not None and user.side_code == "south"
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    assert len(reads) == 1  # the token with its user, organisation and side


@pytest.mark.parametrize("who", ["redcross_s", "liaison_n", "joint", "nobody"])
def test_a_token_is_read_as_the_orm_reads_it(personas, who):
    """The token's lookup is one SQL statement made once per process (issue 16's load
    target): what it returns is field for field what the ORM returns, with aware times, for a
    user of each side, of the joint office (an organisation of no side) and of none."""
    from panmun.accounts.models import Organisation, OrganisationKind, User

    if who in personas:
        user = personas[who]
    else:
        organisation = None
        if who == "joint":
            organisation = Organisation.objects.create(
                name_ko="공동연락사무소",
                name_en="Joint office",
                kind=OrganisationKind.LIAISON_OFFICE,
            )
        user = User.objects.create_user(username=who, password="x" * 12, organisation=organisation)
    token, raw = api_token_create(actor=user, name="orm", days=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    expected = ApiToken.objects.select_related("user__organisation__side").get(pk=token.pk)
    found = user_for_token(raw)
    assert found is not None
    read = ApiToken.objects.get(pk=token.pk)  # after the use it records
    assert read.last_used_at == expected.last_used_at and read.expires_at.tzinfo is not None

    def fields(instance):
        return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}

    assert fields(found) == fields(expected.user)
    organisation = found.organisation
    assert (organisation and fields(organisation)) == (
        expected.user.organisation and fields(expected.user.organisation)
    )
    side = organisation.side if organisation else None
    expected_side = expected.user.organisation.side if expected.user.organisation else None
    assert (side and fields(side)) == (expected_side and fields(expected_side))
    assert found.side_code == expected.user.side_code


def test_a_revoked_token_or_an_inactive_user_is_nobody(personas):
    from panmun.accounts.services import api_token_revoke

    token, raw = api_token_create(actor=personas["ministry"], name="gone")
    api_token_revoke(actor=personas["ministry"], token_id=token.pk)
    assert user_for_token(raw) is None
    _token, raw = api_token_create(actor=personas["viewer"], name="inactive")
    personas["viewer"].is_active = False
    personas["viewer"].save(update_fields=["is_active"])
    assert user_for_token(raw) is None
    assert user_for_token(raw + "x") is None
