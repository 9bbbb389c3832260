"""Mend's one settings module, configured by MEND_* environment variables.

Every MEND_* setting is documented in docs/settings.md (a test keeps them in step).
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str = "") -> str:
    """Return the variable NAME, or the contents of the file named by NAME_FILE."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = envstr(name, "")
    if value == "":
        return default
    return value.lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    value = envstr(name, "")
    return int(value) if value else default


def envlist(name: str, default: list[str]) -> list[str]:
    value = envstr(name, "")
    return (
        [item.strip() for item in value.split(",") if item.strip()]
        if value
        else default
    )


VAR_DIR = Path(envstr("MEND_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def envsecret(name: str, filename: str) -> str:
    """Return the secret NAME, generating and keeping one under var/ on first run."""
    if value := envstr(name):
        return value
    path = VAR_DIR / filename
    if not path.exists():
        # O_EXCL so two processes starting at once cannot write different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


DEBUG = envbool("MEND_DEBUG", False)
TESTING = envbool("MEND_TESTING", "pytest" in sys.modules)
SECRET_KEY = envsecret("MEND_SECRET_KEY", "secret_key")
ALLOWED_HOSTS = envlist("MEND_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
# Behind TLS (the default outside a loopback trial) every cookie is Secure and HTTP
# redirects to HTTPS. `make run` turns it off for http://127.0.0.1:8000 only.
HTTPS = envbool("MEND_HTTPS", not TESTING)
SITE_URL = envstr("MEND_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "mend.accounts",
    "mend.couples",
    "mend.privacy",
    "mend.live",
    "mend.journal",
    "mend.agreements",
    "mend.safety",
    "mend.intimacy",
    "mend.story",
    "mend.checkins",
    "mend.notify",
    "mend.calendar",
    "mend.commitments",
    "mend.conversations",
    "mend.home",
    "mend.webapp",
    "mend.counselor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mend.accounts.middleware.security_headers",
    # Above WhiteNoise so static files (an SVG opened on its own, say) get the CSP too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "mend.accounts.middleware.track_sessions",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mend.accounts.middleware.personal_pages",
]

ROOT_URLCONF = "mend.urls"
ASGI_APPLICATION = "mend.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mend.couples.context_processors.space",
                "mend.safety.context_processors.safety",
            ],
            # day, moment, moment_zoned, clock: one date format in every template.
            "builtins": ["mend.lib.when"],
        },
    },
]

# Renders widgets without maxlength, so the browser never cuts text (mend/lib/forms.py).
FORM_RENDERER = "mend.lib.forms.Renderer"

_sqlite = {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": VAR_DIR / "mend.sqlite3",
    "OPTIONS": {
        # WAL for readers beside a writer; FULL so an acknowledged write survives
        # power loss; IMMEDIATE so writers queue instead of failing on upgrade;
        # secure_delete zeroes erased text instead of leaving it in free pages (on
        # by default only in some builds of SQLite).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
            "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; "
            "PRAGMA secure_delete=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    },
}
_database_url = envstr("MEND_DATABASE_URL")
DATABASES = {
    "default": dj_database_url.parse(
        _database_url, conn_max_age=60, conn_health_checks=True
    )
    if _database_url
    else _sqlite
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "mend.accounts.backends.UsernameOrEmailBackend",
]
PASSWORD_HASHERS = [
    "mend.accounts.hashers.OneLaneArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # A fast hasher keeps the suite quick; production always uses Argon2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "accounts:login"

# Wrong passwords and recovery codes, counted per account (accounts/throttle.py): a
# device that has signed in before has its own allowance, unknown devices share one,
# so one partner's guesses cannot lock the other out of their own devices.
LOGIN_FAILURE_LIMIT = envint("MEND_LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOLOFF = timedelta(minutes=envint("MEND_LOGIN_COOLOFF_MINUTES", 15))
# Failures from unknown devices on one network, across every account.
LOGIN_NETWORK_FAILURE_LIMIT = envint("MEND_LOGIN_NETWORK_FAILURE_LIMIT", 30)
# Behind a reverse proxy the visitor's address is in X-Forwarded-For; this many
# proxies of your own append to it (the nearest one last).
BEHIND_PROXY = envbool("MEND_BEHIND_PROXY", False)
TRUSTED_PROXIES = envint("MEND_TRUSTED_PROXIES", 1)

# Session keys are stored only as a keyed hash (docs/security.md, "Sessions").
SESSION_ENGINE = "mend.accounts.session_store"
SESSION_COOKIE_AGE = envint("MEND_SESSION_DAYS", 14) * 24 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = envlist("MEND_CSRF_TRUSTED_ORIGINS", [SITE_URL])
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a one-way commitment each deployment must choose itself.
    "security.W021",
]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        # The offline service worker (/sw.js) and the manifest: Mend's own, nothing else.
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LANGUAGE_CODE = "en"
# Each language is shipped complete: tests/test_translations.py fails on any string
# without a Spanish translation. A person's profile choice wins over the browser's
# Accept-Language (mend.accounts.middleware.personal_pages).
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "mend" / "locale"]
# Each language's one date and time format (mend/lib/when.py shows them).
FORMAT_MODULE_PATH = ["mend.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "mend" / "static"]
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "mend.lib.static.Storage"},
}
# `mend serve` collects static files at start; the app folders stay a fallback.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # Request bodies hold secrets (passwords, private entries): never log them.
    "loggers": {
        "django.request": {
            "handlers": ["console"],
            "level": "ERROR",
            "propagate": False,
        }
    },
}

NINJA_PAGINATION_PER_PAGE = 50

# Mend's own settings.
INVITE_HOURS = envint("MEND_INVITE_HOURS", 72)
# Signals one person can send a minute; past it a plain refusal, nothing pushed (#10).
SIGNALS_PER_MINUTE = envint("MEND_SIGNALS_PER_MINUTE", 5)
QUICK_EXIT_URL = envstr("MEND_QUICK_EXIT_URL", "/kitchen/")
# Argon2id for each person's key-wrapping key: RFC 9106's second recommended option
# (t=3, m=64 MiB, p=4). Stored beside each wrapped key, so raising them later only
# affects new wraps.
KDF_TIME_COST = envint("MEND_KDF_TIME_COST", 1 if TESTING else 3)
KDF_MEMORY_KIB = envint("MEND_KDF_MEMORY_KIB", 64 if TESTING else 65536)
KDF_PARALLELISM = envint("MEND_KDF_PARALLELISM", 1 if TESTING else 4)
# Anonymous sign-up, sign-in and recovery derive keys (about half a second of a core
# each): at most this many at once per worker, on threads of their own, so they cannot
# hold up other pages or a pause (mend/handler.py). Others wait this long, then are
# told Mend is busy.
KDF_CONCURRENCY = envint("MEND_KDF_CONCURRENCY", 1)
KDF_WAIT_SECONDS = envint("MEND_KDF_WAIT_SECONDS", 10)
SERVE_HOST = envstr("MEND_HOST", "127.0.0.1")
SERVE_PORT = envint("MEND_PORT", 8000)
SERVE_WORKERS = envint("MEND_WORKERS", 1)
SERVE_UNIX_SOCKET = envstr("MEND_UNIX_SOCKET")
SERVE_MAX_CONNECTIONS = envint("MEND_MAX_CONNECTIONS", 4096)
# Long-lived threads per worker for Django's sync code, each with its own database
# connection (mend/asgi.py says why).
SERVE_THREADS = envint("MEND_THREADS", 2)
# Live signals cross worker processes through Redis when this is set, else through
# PostgreSQL LISTEN/NOTIFY, else (SQLite) only within one process.
REDIS_URL = envstr("MEND_REDIS_URL")
# Support resources for the help page: a JSON list of {name, phone, url, notes}.
HELP_RESOURCES_FILE = envstr("MEND_HELP_RESOURCES_FILE")
# Live signals cross worker processes through Redis when this is set, else through
# PostgreSQL LISTEN/NOTIFY, else (SQLite) only within one process.
REDIS_URL = envstr("MEND_REDIS_URL")
# Support resources for the help page: a JSON list of {name, phone, url, notes}.
HELP_RESOURCES_FILE = envstr("MEND_HELP_RESOURCES_FILE")

# E-mail reminders (#14): off unless an SMTP server is set; each person also turns
# them on, per kind. Sent through Django's mail machinery; neutral text only.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = envstr("MEND_SMTP_HOST")
EMAIL_PORT = envint("MEND_SMTP_PORT", 587)
EMAIL_HOST_USER = envstr("MEND_SMTP_USER")
EMAIL_HOST_PASSWORD = envstr("MEND_SMTP_PASSWORD")
EMAIL_USE_TLS = envbool("MEND_SMTP_STARTTLS", True)
EMAIL_USE_SSL = envbool("MEND_SMTP_SSL", False)
EMAIL_TIMEOUT = envint("MEND_SMTP_TIMEOUT_SECONDS", 20)
DEFAULT_FROM_EMAIL = envstr("MEND_MAIL_FROM", "Mend <mend@localhost>")
# The reminder runner in each `mend serve` worker wakes this often; 0 turns it off
# (then run `mend send_reminders` from cron instead).
REMINDER_SECONDS = envint("MEND_REMINDER_SECONDS", 60)
# A reminder claimed by a runner that stopped before sending it is sent by another
# after this long.
REMINDER_LEASE_SECONDS = envint("MEND_REMINDER_LEASE_SECONDS", 300)

# Web Push (#18): the one outbound call Mend makes, only to the browser push service
# of a person who turned it on (docs/security.md). 0 turns it off for everyone.
PUSH = envbool("MEND_PUSH", True)
# The VAPID key pair is generated into MEND_VAR_DIR at first need (mode 0600).
PUSH_VAPID_KEY_FILE = VAR_DIR / "vapid_private.pem"
# How long one push may take; a slow push service never holds a page for longer.
PUSH_TIMEOUT_SECONDS = 5
# Pushes on a partner's action go out after the commit, on a thread of their own so
# the sender's page never waits for a push service; tests send them in line.
PUSH_IN_BACKGROUND = not TESTING
