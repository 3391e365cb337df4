"""The pages of one's own account: signing in (in our words), changing the password, and the
sign-out after a time without a request."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from panmun.accounts.demo import DEMO_PASSWORD
from panmun.accounts.models import AuditEntry
from panmun.web.middleware import LAST_SEEN

NEW_PASSWORD = "Hanbit-river-2027!"


# --- signing in ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, expected, wrong",
    [
        ("ko", "사용자 이름 또는 비밀번호가 틀렸습니다", "사용자 이름와/과"),
        ("en", "The username or the password is wrong", "Please enter a correct"),
    ],
)
def test_a_wrong_password_is_said_in_plain_words(personas, language, expected, wrong):
    client = Client()
    client.cookies["panmun_language"] = language
    response = client.post(
        "/login/", {"username": "ministry", "password": "nope"}, REMOTE_ADDR="10.9.9.9"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert expected in page
    assert wrong not in page and "와/과" not in page
    assert 'value="ministry"' in page and "nope" not in page


# --- changing the password -------------------------------------------------------------------


def test_the_header_links_to_the_password_page(client_for):
    page = client_for("firm").get("/").content.decode()
    assert 'href="/password/"' in page


def test_the_password_page_has_the_three_fields(client_for):
    response = client_for("viewer").get("/password/")
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("old_password", "new_password1", "new_password2"):
        assert f'name="{name}"' in page
    assert "현재 비밀번호" in page


def test_a_wrong_current_password_is_refused_and_nothing_is_kept(client_for, personas):
    client = client_for("viewer")
    before = AuditEntry.objects.count()
    response = client.post(
        "/password/",
        {
            "old_password": "wrong-old-secret",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "현재 비밀번호가 틀렸습니다" in page
    assert "wrong-old-secret" not in page and NEW_PASSWORD not in page
    personas["viewer"].refresh_from_db()
    assert personas["viewer"].check_password(DEMO_PASSWORD)
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    "new1, new2, reason",
    [
        ("short1", "short1", "너무 짧습니다"),
        ("12345678901234", "12345678901234", "전부 숫자"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "두 새 비밀번호가 다릅니다"),
    ],
)
def test_a_weak_or_mistyped_new_password_is_refused(client_for, personas, new1, new2, reason):
    client = client_for("viewer")
    before = AuditEntry.objects.count()
    response = client.post(
        "/password/",
        {"old_password": DEMO_PASSWORD, "new_password1": new1, "new_password2": new2},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert reason in page, page[page.find("<main") : page.find("</main>")]
    assert new1 not in page.split("<main")[1] and DEMO_PASSWORD not in page
    personas["viewer"].refresh_from_db()
    assert personas["viewer"].check_password(DEMO_PASSWORD)
    assert AuditEntry.objects.count() == before


def test_the_password_is_changed_audited_and_the_session_kept(client_for, personas):
    client = client_for("viewer")
    response = client.post(
        "/password/",
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == "/"
    user = personas["viewer"]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="accounts.user.password")
    assert entry.actor == user and entry.changes == {}
    assert NEW_PASSWORD not in str(entry.__dict__)
    # Still signed in on this browser, and the message says it is done.
    home = client.get("/")
    assert home.status_code == 200
    assert "비밀번호를 바꾸었습니다" in home.content.decode()
    # The audit log shows the change in words.
    log = client_for("supervisor").get("/audit/").content.decode()
    assert "비밀번호 변경" in log


# --- idle sign-out -------------------------------------------------------------------------------


def _idle_for(client: Client, minutes: float) -> None:
    session = client.session
    session[LAST_SEEN] = int(time.time() - minutes * 60)
    session.save()


def test_a_session_ends_after_the_idle_limit(client_for, settings):
    settings.PANMUN_IDLE_MINUTES = 30
    client = client_for("ministry")
    assert client.get("/").status_code == 200
    _idle_for(client, 31)
    response = client.get("/dialogue/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/dialogue/")
    login = client.get(response["Location"]).content.decode()
    assert "data-idle-signed-out" in login
    assert "한동안 아무 작업도 하지 않아 로그아웃되었습니다" in login
    # Said once: the next visit to the sign-in page is plain.
    assert "data-idle-signed-out" not in client.get("/login/").content.decode()
    assert client.get("/").status_code == 302


def test_a_session_in_use_stays(client_for, settings):
    settings.PANMUN_IDLE_MINUTES = 30
    client = client_for("ministry")
    client.get("/")
    _idle_for(client, 29)
    assert client.get("/").status_code == 200
    # That request counted as activity.
    assert time.time() - client.session[LAST_SEEN] < 5


def test_the_idle_limit_comes_from_the_settings(client_for, settings):
    settings.PANMUN_IDLE_MINUTES = 5
    client = client_for("ministry")
    client.get("/")
    _idle_for(client, 6)
    assert client.get("/").status_code == 302


def test_an_htmx_request_after_the_limit_is_sent_to_sign_in(client_for, settings):
    settings.PANMUN_IDLE_MINUTES = 30
    client = client_for("ministry")
    client.get("/")
    _idle_for(client, 45)
    response = client.get("/dialogue/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/login/"


def test_the_api_with_a_session_is_401_after_the_limit(client_for, settings):
    settings.PANMUN_IDLE_MINUTES = 30
    client = client_for("ministry")
    assert client.get("/api/v1/me").status_code == 200
    _idle_for(client, 31)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_the_default_idle_limit_is_30_minutes():
    from django.conf import settings

    assert settings.PANMUN_IDLE_MINUTES == 30
