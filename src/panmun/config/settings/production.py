"""Production: refuses to start without a real SECRET_KEY, with DEBUG on, or on SQLite unless
told so (docs/production.md). Static files come from `panmun collectstatic` (which
`panmun serve` runs at its start) under STATIC_ROOT, with hashed names."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR, env

if env.bool("DEBUG", default=False):
    raise ImproperlyConfigured("DEBUG must be off in production (unset DEBUG).")
DEBUG = False

_secret = env.str("SECRET_KEY", default="")
if not _secret or _secret.startswith("dev-insecure") or len(_secret) < 32:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 32 characters in production."
    )
SECRET_KEY = _secret

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# PostgreSQL: several web workers, the task worker and the liaison runner write at once, and the
# registry's search needs its indexes. SQLite only when asked for (a single-office trial).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env.bool(
    "PANMUN_ALLOW_SQLITE", default=False
):
    raise ImproperlyConfigured(
        "Production runs on PostgreSQL: set DATABASE_URL=postgres://… "
        "(or PANMUN_ALLOW_SQLITE=true to run on SQLite on purpose)."
    )
# Keep connections open between requests (seconds); checked before each use.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
# X-Forwarded-Proto is believed only from PANMUN_TRUSTED_PROXIES (panmun.web.proxy); the
# documented set-up has nginx on the same machine.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
PANMUN_TRUSTED_PROXIES = env.list("PANMUN_TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
# Production never makes a liaison key by itself: `panmun liaison init` does, once, on purpose.
PANMUN_LIAISON_CREATE_KEYS = env.bool("PANMUN_LIAISON_CREATE_KEYS", default=False)
PANMUN_PERMITS_CREATE_KEYS = env.bool("PANMUN_PERMITS_CREATE_KEYS", default=False)
