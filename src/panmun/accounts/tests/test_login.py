"""Signing in: the real login form, the saved language, and throttling after failures."""

from django.conf import settings
from django.test import Client

from panmun.accounts.demo import DEMO_PASSWORD


def _login(client, username, password):
    return client.post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7"
    )


def test_login_sets_the_users_language(personas):
    user = personas["viewer"]
    user.language = "en"
    user.save()
    client = Client()
    response = _login(client, "viewer", DEMO_PASSWORD)
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/")
    assert page["Content-Language"] == "en"
    assert b"Sign out" in page.content


def test_korean_is_the_default(personas):
    client = Client()
    _login(client, "ministry", DEMO_PASSWORD)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "ko"
    assert '<html lang="ko">' in page.content.decode()


def test_repeated_failures_lock_the_account(personas):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "ministry", "wrong-password").status_code == 200
    assert _login(client, "ministry", "wrong-password").status_code == 429
    locked = _login(client, "ministry", DEMO_PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_language_switch_is_remembered(personas, client_for):
    client = client_for("ministry")
    response = client.post("/language/", {"language": "en", "next": "/dialogue/"})
    assert response.status_code == 302 and response["Location"] == "/dialogue/"
    personas["ministry"].refresh_from_db()
    assert personas["ministry"].language == "en"
    assert client.get("/dialogue/")["Content-Language"] == "en"


def test_language_switch_ignores_foreign_redirects(client_for):
    response = client_for("ministry").post(
        "/language/", {"language": "ko", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_unknown_language_is_refused(personas, client_for):
    response = client_for("ministry").post("/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 422
    personas["ministry"].refresh_from_db()
    assert personas["ministry"].language == "ko"
