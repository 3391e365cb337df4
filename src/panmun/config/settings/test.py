"""Test settings: fast hashing, an in-memory-friendly database, tasks run at once."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-panmun-secret-key"
# Argon2 is the real hasher; tests use a fast one so the suite stays quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test database comes from DATABASE_URL (SQLite by default, PostgreSQL in CI).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_SQLITE_NAME", default="")}  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
AXES_FAILURE_LIMIT = 3
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Each test process signs with keys made on first use in a folder of its own.
PANMUN_LIAISON_KEY_DIR = Path(tempfile.mkdtemp(prefix="panmun-liaison-keys-"))
PANMUN_LIAISON_CREATE_KEYS = True
PANMUN_PERMITS_KEY_DIR = Path(tempfile.mkdtemp(prefix="panmun-permits-keys-"))
PANMUN_PERMITS_CREATE_KEYS = True
PANMUN_LIAISON_PEER_URL = ""
# Notices: e-mail to django.core.mail.outbox, text messages to panmun.notices.sms.outbox.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PANMUN_SMS_BACKEND = "panmun.notices.sms.LocmemSmsBackend"
PANMUN_SMS_URL = ""
