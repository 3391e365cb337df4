"""Production refuses to start with a development secret or with DEBUG."""

import subprocess
import sys

import pytest

CHECK_DEBUG = (
    "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
)


def run_production(env_extra, code=CHECK_DEBUG):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "panmun.config.settings.production",
        "ALLOWED_HOSTS": "panmun.example",
        **env_extra,
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_without_secret_key():
    result = run_production({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_key():
    result = run_production(
        {"SECRET_KEY": "dev-insecure-panmun-secret-key-do-not-use-in-production"}
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_debug():
    result = run_production({"SECRET_KEY": "k" * 50, "DEBUG": "1"})
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_starts_with_a_real_key_and_is_hardened():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0,"
        " s.PASSWORD_HASHERS[0].endswith('Argon2PasswordHasher'))"
    )
    result = run_production({"SECRET_KEY": "k" * 50, "DATABASE_URL": POSTGRES}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "True"]


#: Settings only: nothing connects to it.
POSTGRES = "postgres://panmun@127.0.0.1:5432/panmun"


def test_production_refuses_sqlite_unless_allowed():
    refused = run_production({"SECRET_KEY": "k" * 50})
    assert refused.returncode != 0
    assert "Production runs on PostgreSQL" in refused.stderr
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'])"
    )
    allowed = run_production({"SECRET_KEY": "k" * 50, "PANMUN_ALLOW_SQLITE": "true"}, code)
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout.split() == ["django.db.backends.sqlite3"]


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
