"""Settings shared by every environment.

Environment variables are read here (and in production.py), nowhere else, through django-environ.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF

SRC_DIR = Path(__file__).resolve().parents[2]  # src/panmun
BASE_DIR = Path(environ.Env().str("PANMUN_HOME", default=str(SRC_DIR.parents[1])))
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file, uploads and job results live here

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# Development only: obviously fake. production.py refuses to start with it.
SECRET_KEY = env.str(
    "SECRET_KEY", default="dev-insecure-panmun-secret-key-do-not-use-in-production"
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'panmun.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
elif "postgresql" in DATABASES["default"]["ENGINE"]:
    # Django's cursors bind parameters on the client and never prepare; this lets the few
    # statements of a hot path (`panmun.common.hotsql`, the gate's check) be prepared once per
    # connection on a server-binding cursor of their own. Django leaves it off by default.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "django_fsm_log",
    "panmun.accounts",
    "panmun.jobs",
    "panmun.notices",
    "panmun.dialogue",
    "panmun.permits",
    "panmun.aid",
    "panmun.complex",
    "panmun.linkage",
    "panmun.families",
    "panmun.reunion",
    "panmun.liaison",
    "panmun.web",
]

MIDDLEWARE = [
    # First: believe X-Forwarded-For/-Proto only from PANMUN_TRUSTED_PROXIES, so that every later
    # step (the HTTPS redirect, axes' lockout by address) sees the client's real address.
    "panmun.web.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "panmun.web.middleware.LanguageMiddleware",
    "panmun.web.middleware.IdleSignOutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "panmun.config.urls"
WSGI_APPLICATION = "panmun.config.wsgi.application"
ASGI_APPLICATION = "panmun.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "panmun.web.context_processors.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): lock a username+address after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The reverse proxies (addresses or networks, e.g. 127.0.0.1 or 10.0.0.0/24) whose
# X-Forwarded-For and X-Forwarded-Proto are believed; from any other address those headers are
# dropped (panmun.web.proxy). Behind a proxy that is not listed, every request seems to come
# from the proxy, and five bad passwords lock the user out for everyone.
PANMUN_TRUSTED_PROXIES = env.list("PANMUN_TRUSTED_PROXIES", default=[])

# Languages: Korean first and the default; English complete.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "panmun_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LOCALE_PATHS = [SRC_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Seoul"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the apps directly (no collectstatic needed for the demo).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Requests: the API refuses bodies above this size with 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1_000_000)
API_MAX_BODY_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE

SESSION_COOKIE_HTTPONLY = True
# Idle sign-out: a session ends after this many minutes without a request (0: never); see
# panmun.web.middleware.IdleSignOutMiddleware.
PANMUN_IDLE_MINUTES = env.int("PANMUN_IDLE_MINUTES", default=30)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy: everything from this server only; no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# `panmun serve` (gunicorn): where it listens, its worker processes (0: cores + 1) and the
# threads of each (1: sync workers, one request at a time each, behind nginx, which buffers slow
# clients; above 1: gunicorn's gthread workers, which keep connections alive).
PANMUN_SERVE_BIND = env.str("PANMUN_SERVE_BIND", default="127.0.0.1:8000")
PANMUN_SERVE_WORKERS = env.int("PANMUN_SERVE_WORKERS", default=0)
PANMUN_SERVE_THREADS = env.int("PANMUN_SERVE_THREADS", default=1)

# Each process keeps what it has computed for versioned keys (the timeline, pages of the
# liaison entries, the registry's figures, the reunion history): a key names the version of
# the data it was made from, so a write is seen at once. Django's default of 300 keys is too
# few for a busy server's filters and pages (a load run's hit rate went from about 80% to 95%
# for the timeline with room for 1,000).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

# Background jobs: django-tasks with its database backend; `panmun worker` runs them.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A running job is its worker's for this many seconds at a time, renewed every quarter of it; a
# job whose lease runs out (its worker killed) is marked failed (panmun.jobs.lease).
PANMUN_JOB_LEASE_S = env.int("PANMUN_JOB_LEASE_S", default=60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
CSRF_FAILURE_VIEW = "panmun.web.views.csrf_failure"

# Saved linkage models, by name and numbered version (`panmun link --save-model NAME`).
PANMUN_LINKAGE_MODELS_DIR = Path(
    env.str("PANMUN_LINKAGE_MODELS_DIR", default=str(VAR_DIR / "linkage-models"))
)

# The domain of the PFIF record ids this registry issues (`<domain>/person.N`), for exchange
# with other family-tracing systems. Set it to a name your organisation controls.
PANMUN_PFIF_DOMAIN = env.str("PANMUN_PFIF_DOMAIN", default="registry.panmun.invalid")

# The liaison record (panmun.liaison). The sides whose keys this node holds and whose logs it
# writes: both for the joint office on one node (the demo), one side each for two nodes.
PANMUN_LIAISON_SIDES = env.list("PANMUN_LIAISON_SIDES", default=["south", "north"])
# Private keys live in files here (mode 0600), never in the database; checked at start-up.
PANMUN_LIAISON_KEY_DIR = Path(
    env.str("PANMUN_LIAISON_KEY_DIR", default=str(VAR_DIR / "liaison-keys"))
)
# Make a missing key of a local side on first use (development and the demo; production: no).
PANMUN_LIAISON_CREATE_KEYS = env.bool("PANMUN_LIAISON_CREATE_KEYS", default=True)
# Exchange-approval certificates: the folder of their signing keys (private key files, mode
# 0600, and keys.json, the public keys with their validity that offline verification needs),
# made on first use where allowed; and the address the certificates' QR codes point at.
PANMUN_PERMITS_KEY_DIR = Path(
    env.str("PANMUN_PERMITS_KEY_DIR", default=str(VAR_DIR / "permits-keys"))
)
PANMUN_PERMITS_CREATE_KEYS = env.bool("PANMUN_PERMITS_CREATE_KEYS", default=True)
PANMUN_PUBLIC_URL = env.str("PANMUN_PUBLIC_URL", default="")
PANMUN_LIAISON_ORIGINS = {
    "south": env.str("PANMUN_LIAISON_ORIGIN_SOUTH", default="liaison.panmun.example/south"),
    "north": env.str("PANMUN_LIAISON_ORIGIN_NORTH", default="liaison.panmun.example/north"),
}
# The other side's node (two-node set-up): its base URL and an API token it issued to us.
PANMUN_LIAISON_PEER_URL = env.str("PANMUN_LIAISON_PEER_URL", default="")
PANMUN_LIAISON_PEER_TOKEN = env.str("PANMUN_LIAISON_PEER_TOKEN", default="")
PANMUN_LIAISON_PEER_TIMEOUT = env.float("PANMUN_LIAISON_PEER_TIMEOUT", default=10.0)
# The contact calls: who calls at 09:00 and 17:00 (Korea time, weekdays), how long to wait.
PANMUN_LIAISON_CALLING_SIDE = env.str("PANMUN_LIAISON_CALLING_SIDE", default="south")
PANMUN_LIAISON_CALL_WAIT_MINUTES = env.int("PANMUN_LIAISON_CALL_WAIT_MINUTES", default=30)

# Notices (panmun.notices): e-mail through Django's mail framework, set by one URL
# (django-environ): consolemail:// writes them to the console (development, the demo);
# smtp+tls://user:password@host:587 in production (docs/production.md).
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL", False))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Panmun <panmun@panmun.invalid>")
# Text messages: the gateway's backend (panmun.notices.sms), and for the HTTP gateway its URL,
# bearer token and timeout in seconds.
PANMUN_SMS_BACKEND = env.str("PANMUN_SMS_BACKEND", default="panmun.notices.sms.ConsoleSmsBackend")
PANMUN_SMS_URL = env.str("PANMUN_SMS_URL", default="")
PANMUN_SMS_TOKEN = env.str("PANMUN_SMS_TOKEN", default="")
PANMUN_SMS_TIMEOUT = env.float("PANMUN_SMS_TIMEOUT", default=10.0)
# A notice whose delivery failed this many times is marked failed (1, 5, 30 min, 2 h between).
PANMUN_NOTICE_MAX_ATTEMPTS = env.int("PANMUN_NOTICE_MAX_ATTEMPTS", default=5)
# A notice's deliveries are state on its own row: django-fsm-log keeps no StateLog for them.
DJANGO_FSM_LOG_IGNORED_MODELS = ["panmun.notices.models.Notice"]

# IATI 2.03 (panmun.aid.iati): the folder holding `schema-2.03/` (the official activity schema)
# and `codelists/` (embedded-2.03/, non-embedded/). Without it the aid ledger's IATI import and
# export refuse (and `panmun check` warns). Default: ../shared/data/iati beside the checkout.
_IATI_BESIDE = SRC_DIR.parents[1].parent / "shared" / "data" / "iati"
PANMUN_IATI_DIR = env.str(
    "PANMUN_IATI_DIR", default=str(_IATI_BESIDE) if _IATI_BESIDE.is_dir() else ""
)
