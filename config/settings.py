"""Halte settings, read from the environment.

``HALTE_ENV`` is ``production`` unless told otherwise, so a server started without configuration is
a safe one that refuses to run without a secret key, not a debug server. ``make run`` writes
``HALTE_ENV=development`` into the checkout's ``.env`` (never committed), which is read first, so
every ``manage.py`` command of the README works as written in that checkout; the test suite uses
``config.settings_test``.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import xstatic.pkg.leaflet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    database_from_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
    load_local_env,
)

BASE_DIR = Path(__file__).resolve().parent.parent
load_local_env(BASE_DIR / ".env")
VAR_DIR = Path(env_str("HALTE_VAR_DIR", str(BASE_DIR / "var")))

HALTE_ENV = env_str("HALTE_ENV", "production")
if HALTE_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(
        f"HALTE_ENV={HALTE_ENV!r} is not one of production, development, test."
    )
PRODUCTION = HALTE_ENV == "production"
if not PRODUCTION:
    # WhiteNoise warns about a missing STATIC_ROOT; in development files come from the finders.
    (VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("HALTE_DEBUG", HALTE_ENV == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("HALTE_DEBUG must be off when HALTE_ENV=production.")

if PRODUCTION:
    SECRET_KEY = env_str("HALTE_SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("HALTE_SECRET_KEY must be at least 50 characters long.")
else:
    SECRET_KEY = env_str("HALTE_SECRET_KEY", "halte-development-only-key-" + "x" * 40)

ALLOWED_HOSTS = env_list(
    "HALTE_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("HALTE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_q",
    "halte.core",
    "halte.accounts",
    "halte.audit",
    "halte.jobs",
    "halte.geo",
    "halte.retention",
    "halte.network",
    "halte.clients",
    "halte.visits",
    "halte.consumption",
    "halte.care",
    "halte.pathway",
    "halte.lodging",
    "halte.outreach",
    "halte.neighbourhood",
    "halte.alerts",
    "halte.surveys",
    "halte.plan",
    "halte.reports",
    "halte.planning",
    "halte.api",
    "halte.www",
    "halte.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "halte.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "halte.api.errors.ApiErrorContractMiddleware",
    "halte.accounts.middleware.IdleTimeoutMiddleware",
    "halte.accounts.middleware.SecondFactorMiddleware",
    "halte.api.idempotency.IdempotencyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "halte.www.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'halte.sqlite3'}"), base_dir=BASE_DIR
    )
}
# Reports may read from a PostgreSQL replica; writes always go to the primary (docs/deployment.md).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = database_from_url(DATABASE_REPLICA_URL, base_dir=BASE_DIR)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["halte.reports.router.ReportsReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) are PostgreSQL's; on SQLite Django builds the plain index, as intended.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "accounts.User"
# The lockout lives in the backend, so every login door (ours, the admin's) applies it.
AUTHENTICATION_BACKENDS = ["halte.accounts.security.LockoutModelBackend"]
LOGIN_URL = "www:login"
LOGIN_REDIRECT_URL = "www:home"
LOGOUT_REDIRECT_URL = "www:login"
# Argon2id first: new and re-hashed passwords use it; older hashes still verify and upgrade at login.
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

LANGUAGE_CODE = "fr"
# French first; English from the complete catalogue in locale/en (a test keeps it complete). The
# language follows the browser and can be switched from any page.
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Swagger UI for the API documentation, as shipped in the django-ninja wheel (halte/api/docs.py);
# located without importing ninja, which reads these very settings when it is imported.
_NINJA = find_spec("ninja")
if _NINJA is None or _NINJA.origin is None:
    raise ImproperlyConfigured("django-ninja is missing: install requirements/base.txt.")
STATICFILES_DIRS = [
    ("vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR),
    ("vendor/swagger-ui", Path(_NINJA.origin).parent / "static" / "ninja"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# A tablet left on a desk must not stay logged in: a session ends after 15 minutes without a
# deliberate action (the screens' automatic refreshes do not count), and after 12 hours in any case.
HALTE_IDLE_SECONDS = env_int("HALTE_IDLE_SECONDS", 15 * 60)
SESSION_COOKIE_AGE = env_int("HALTE_SESSION_SECONDS", 12 * 3600)
# Logins: after this many failures for one account within the window, it is locked for the window.
HALTE_LOGIN_MAX_FAILURES = env_int("HALTE_LOGIN_MAX_FAILURES", 5)
HALTE_LOGIN_LOCK_SECONDS = env_int("HALTE_LOGIN_LOCK_SECONDS", 15 * 60)
# Second factor (TOTP): required for every member of staff in production; optional elsewhere (the
# demo logins work with a password alone), where a user who has set one up is still asked for it.
HALTE_REQUIRE_2FA = env_bool("HALTE_REQUIRE_2FA", PRODUCTION)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("HALTE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("HALTE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("HALTE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("HALTE_BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Request bodies larger than this are refused before parsing: nothing Halte accepts is that big.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("HALTE_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines carry only paths; paths carry UUIDs, never names (see docs/adr).
        "django.server": {"level": "INFO"},
    },
}

NINJA_PAGINATION_PER_PAGE = 100

# What anyone may call without signing in, per address (halte.core.throttle): sending a resident's
# report ("write"), reading the public pages, the open data and the alert feed ("read").
HALTE_PUBLIC_RATES = {
    "write": env_str("HALTE_RATE_PUBLIC_WRITE", "5/10m"),
    "read": env_str("HALTE_RATE_PUBLIC_READ", "120/m"),
}

# Halte's own settings.
# Retention (manage.py purge_expired): the activity of people (visits and what hangs on them) is
# kept this long after it happened; technical records much less.
HALTE_RETENTION_ACTIVITY_DAYS = env_int("HALTE_RETENTION_ACTIVITY_DAYS", 5 * 365)
HALTE_RETENTION_IDEMPOTENCY_DAYS = env_int("HALTE_RETENTION_IDEMPOTENCY_DAYS", 7)

# Background jobs (ADR 0007): django-q2 with its ORM broker, in the application's own database,
# so the embedded SQLite needs no other server. ``manage.py worker`` runs them; ``make run``
# starts one beside the web server. A job may run HALTE_JOB_TIMEOUT seconds before the worker
# kills it; a message whose worker died comes back 30 s after that (``retry``), and the job row
# (halte.jobs.runner) makes sure it runs once.
HALTE_JOB_TIMEOUT = env_int("HALTE_JOB_TIMEOUT", 30 * 60)
HALTE_JOB_RETRY_SECONDS = env_int("HALTE_JOB_RETRY_SECONDS", 60)
HALTE_RETENTION_JOBS_DAYS = env_int("HALTE_RETENTION_JOBS_DAYS", 30)
Q_CLUSTER = {
    "name": "halte",
    "orm": "default",
    "workers": env_int("HALTE_WORKERS", 2),
    "timeout": HALTE_JOB_TIMEOUT,
    "retry": HALTE_JOB_TIMEOUT + env_int("HALTE_JOB_REDELIVERY_GRACE", 30),
    "max_attempts": 0,  # the job row counts attempts (halte.jobs.runner), not the broker
    "ack_failures": True,
    "poll": env_float("HALTE_WORKER_POLL_SECONDS", 0.5),
    "queue_limit": env_int("HALTE_WORKERS", 2),
    "bulk": 1,
    "save_limit": 500,
    "catch_up": False,
    "recycle": 100,
    "label": "Queue",
}
# Periodic jobs, scheduled by the worker (halte.jobs.schedules): every few minutes or daily at
# a Paris time. The reports' roll-ups, tonight's bed-nights of open-ended stays, the purge.
HALTE_PERIODIC_JOBS = {
    "reports.refresh_rollups": {"every_minutes": env_int("HALTE_ROLLUP_EVERY_MINUTES", 5)},
    "lodging.extend_stays": {"daily_at": env_str("HALTE_EXTEND_STAYS_AT", "18:00")},
    "retention.purge": {"daily_at": env_str("HALTE_PURGE_AT", "03:30")},
    "alerts.signal_check": {"every_minutes": env_int("HALTE_SIGNAL_EVERY_MINUTES", 15)},
}
# A retry whose twin is still running waits this long for its answer (then 409, "retry").
# A resident's contact details are deleted this many days after their report is closed.
HALTE_NEIGHBOURHOOD_CONTACT_DAYS = env_int("HALTE_NEIGHBOURHOOD_CONTACT_DAYS", 90)
HALTE_IDEMPOTENCY_WAIT_SECONDS = env_int("HALTE_IDEMPOTENCY_WAIT_SECONDS", 25)
# A claim with no answer after this long belongs to a request that died: a retry takes it over.
HALTE_IDEMPOTENCY_STALE_SECONDS = env_int("HALTE_IDEMPOTENCY_STALE_SECONDS", 120)
# The key of the client-code HMAC. It never enters the repository: from the environment or a file
# in production; in development a random one is made once in var/; the tests make their own.
HALTE_CLIENT_CODE_KEY = env_str("HALTE_CLIENT_CODE_KEY", "")
if not HALTE_CLIENT_CODE_KEY and HALTE_ENV == "development":
    _key_file = VAR_DIR / "client_code_key"
    if not _key_file.exists():
        import secrets

        _key_file.write_text(secrets.token_hex(32), encoding="utf-8")
        _key_file.chmod(0o600)
    HALTE_CLIENT_CODE_KEY = _key_file.read_text(encoding="utf-8").strip()
if PRODUCTION and len(HALTE_CLIENT_CODE_KEY) < 32:
    raise ImproperlyConfigured(
        "HALTE_CLIENT_CODE_KEY (or HALTE_CLIENT_CODE_KEY_FILE) must hold at least 32 characters."
    )
# The Fernet key sealing the consented social files (a person's identity, kept with their consent:
# halte.pathway.socialfile). Like the code key: from the environment or a file in production; made
# once in var/ in development; a fresh one for each test run.
HALTE_SOCIAL_FILE_KEY = env_str("HALTE_SOCIAL_FILE_KEY", "")
if not HALTE_SOCIAL_FILE_KEY and HALTE_ENV in {"development", "test"}:
    from cryptography.fernet import Fernet

    _social_key_file = VAR_DIR / "social_file_key"
    if HALTE_ENV == "test":
        HALTE_SOCIAL_FILE_KEY = Fernet.generate_key().decode()
    else:
        if not _social_key_file.exists():
            _social_key_file.write_bytes(Fernet.generate_key())
            _social_key_file.chmod(0o600)
        HALTE_SOCIAL_FILE_KEY = _social_key_file.read_text(encoding="utf-8").strip()
if PRODUCTION:
    from cryptography.fernet import Fernet

    try:
        Fernet(HALTE_SOCIAL_FILE_KEY)
    except ValueError as _exc:
        raise ImproperlyConfigured(
            "HALTE_SOCIAL_FILE_KEY (or HALTE_SOCIAL_FILE_KEY_FILE) must hold a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from _exc
HALTE_DEMO_PASSWORD = env_str("HALTE_DEMO_PASSWORD", "demo-password")
HALTE_API_TOKEN_DAYS = env_int("HALTE_API_TOKEN_DAYS", 90)
