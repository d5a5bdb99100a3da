"""Settings for Lvze, read from environment variables that fail loudly on bad values.

With no variables set, everything lives under ./var with an embedded SQLite database.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("LVZE_DATA_DIR", "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def load_secret_key() -> str:
    """Use LVZE_SECRET_KEY, else a key generated once and kept in the data directory."""
    if os.environ.get("LVZE_SECRET_KEY"):
        return os.environ["LVZE_SECRET_KEY"]
    return key_from_file("secret_key")


def key_from_file(name: str) -> str:
    """A key generated once in the data directory. Several processes starting together (server
    workers, tests) agree on one: the file appears complete, by a link that only the first one wins."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / name
    if not key_file.exists():
        tmp = DATA_DIR / f".{name}.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(tmp, key_file)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return key_file.read_text().strip()


def load_audit_key() -> str:
    """The key sealing the audit chain (HMAC-SHA256): LVZE_AUDIT_KEY, else one generated once in the
    data directory. Without it nobody who can edit the database can re-seal an edited chain; it is kept
    out of backups, so keep a copy of it (or of LVZE_AUDIT_KEY) where the backups are not."""
    if os.environ.get("LVZE_AUDIT_KEY"):
        return os.environ["LVZE_AUDIT_KEY"]
    return key_from_file("audit_key")


def database_from_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"DATABASE_URL must be postgres://…, got scheme {parsed.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 60,
    }


def sqlite_database() -> dict:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("LVZE_SQLITE_NAME") or DATA_DIR / "lvze.sqlite3",
        # Tests use a file, not memory, so that separate processes (two reminder engines) share it.
        "TEST": {"NAME": str(DATA_DIR / f"test-lvze-{os.getpid()}.sqlite3")},
        # Keep each server thread's connection (opening one re-reads the schema and runs the PRAGMAs).
        "CONN_MAX_AGE": env_int("LVZE_CONN_MAX_AGE", 600, minimum=0),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                # Read through the OS page cache without copying, and keep more pages per connection.
                " PRAGMA mmap_size=268435456; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
            ),
        },
    }


SECRET_KEY = load_secret_key()
AUDIT_KEY = load_audit_key()
DEBUG = env_bool("LVZE_DEBUG", False)
ALLOWED_HOSTS = [
    h for h in os.environ.get("LVZE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("LVZE_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

DATABASES = {
    "default": database_from_url(os.environ["DATABASE_URL"])
    if os.environ.get("DATABASE_URL")
    else sqlite_database()
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "lvze.audit",
    "lvze.orgs",
    "lvze.accounts",
    "lvze.duties",
    "lvze.documents",
    "lvze.records",
    "lvze.reminders",
    "lvze.reports",
    "lvze.upward",
    "lvze.inspections",
    "lvze.api",
    "ninja",
    "lvze.security",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lvze.security.middleware.SecurityHeadersMiddleware",
    "lvze.security.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lvze.audit.middleware.RequestContextMiddleware",
    "lvze.audit.middleware.AccessDeniedAuditMiddleware",
    "lvze.accounts.middleware.IdleTimeoutMiddleware",
    "lvze.accounts.middleware.LoginRequiredMiddleware",
    "lvze.accounts.middleware.PasswordPolicyMiddleware",
]

ROOT_URLCONF = "lvze.urls"
WSGI_APPLICATION = "lvze.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = ["lvze.accounts.backends.LockoutModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "lvze.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "lvze.accounts.validators.CharacterClassValidator"},
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lvze.accounts.context_processors.shell",
            ],
        },
    },
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = os.environ.get("LVZE_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from here after collectstatic
MEDIA_ROOT = DATA_DIR / "files"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# 等保 2.0 (GB/T 22239-2019) identification and authentication: see docs/security.md.
LOGIN_FAILURE_LIMIT = env_int("LVZE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LVZE_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
PASSWORD_MAX_AGE_DAYS = env_int("LVZE_PASSWORD_MAX_AGE_DAYS", 90, minimum=0)  # 0: passwords never expire
SESSION_IDLE_MINUTES = env_int("LVZE_SESSION_IDLE_MINUTES", 30, minimum=1)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("LVZE_SESSION_SECONDS", 8 * 3600, minimum=60)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Under TLS (directly or behind a proxy that says so) browsers are told to stay on HTTPS; Django sends
# Strict-Transport-Security only on secure requests, so plain-HTTP loopback serving is unaffected.
SECURE_HSTS_SECONDS = env_int("LVZE_HSTS_SECONDS", 365 * 24 * 3600, minimum=0)
# Addresses whose X-Forwarded-For is believed (the reverse proxy on the same host by default).
LVZE_TRUSTED_PROXIES = frozenset(
    p.strip() for p in os.environ.get("LVZE_TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if p.strip()
)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("LVZE_BEHIND_TLS_PROXY", False) else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("LVZE_SECURE_COOKIES", False)

LVZE_API_RATE_PER_MINUTE = env_int("LVZE_API_RATE_PER_MINUTE", 120)
UPLOAD_MAX_BYTES = env_int("LVZE_UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
# An .xlsx is a zip: refuse one whose parts expand beyond this (a zip bomb) before parsing it.
UPLOAD_MAX_UNPACKED_BYTES = env_int("LVZE_UPLOAD_MAX_UNPACKED_BYTES", 200 * 1024 * 1024, minimum=1024)

EMAIL_HOST = os.environ.get("LVZE_SMTP_HOST", "localhost")
EMAIL_PORT = env_int("LVZE_SMTP_PORT", 25)
EMAIL_HOST_USER = os.environ.get("LVZE_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("LVZE_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("LVZE_SMTP_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("LVZE_MAIL_FROM", "lvze@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LVZE_LOG_LEVEL", "WARNING")},
}

# The figures cache (lvze.lib.figures_cache): dashboard figures of a subtree, kept under the data version that
# database triggers bump on every change to the tables they count, so a hit is never stale. 0 turns it off
# (the test settings do, except in the tests of the cache itself).
LVZE_FIGURES_CACHE_SECONDS = env_int("LVZE_FIGURES_CACHE_SECONDS", 3600, minimum=0)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lvze-default"},
    "figures": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "lvze-figures",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
