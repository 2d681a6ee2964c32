"""Django settings, driven by environment variables (every one is listed in .env.example).

SQLite in WAL mode is the default (a file under NOLKUMUH_DATA_DIR); DATABASE_URL switches to
PostgreSQL. No secret has a default outside demo mode.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import xstatic.pkg.leaflet as xstatic_leaflet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from nolkumuh import __version__
from nolkumuh.core.requestlog import error_reports_start
from nolkumuh.site.secret_key import DEMO_SECRET_KEY, secret_key_problem


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("NOLKUMUH_DATA_DIR", "data")).resolve()
# The data folder holds the SQLite database, the cache, uploads and generated files: a fresh clone
# has none, and SQLite cannot create the folder of its database file.
DATA_DIR.mkdir(parents=True, exist_ok=True)
DEMO = env_flag("NOLKUMUH_DEMO")
DEBUG = env_flag("NOLKUMUH_DEBUG")

SECRET_KEY = os.environ.get("NOLKUMUH_SECRET_KEY", "")
if DEMO and not SECRET_KEY:
    SECRET_KEY = DEMO_SECRET_KEY
elif not DEMO and (problem := secret_key_problem(SECRET_KEY)):
    raise ImproperlyConfigured(problem)

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("NOLKUMUH_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("NOLKUMUH_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "nolkumuh.core",
    "nolkumuh.accounts",
    "nolkumuh.regions",
    "nolkumuh.baseline",
    "nolkumuh.planning",
    "nolkumuh.training",
    "nolkumuh.monitoring",
    "nolkumuh.portal",
]

MIDDLEWARE = [
    # outermost: times every other layer, one log line per request, the X-Request-ID header
    "nolkumuh.core.requestlog.RequestLogMiddleware",
    # first, so that it compresses what every other layer returns (text only; see core/compression.py)
    "nolkumuh.core.compression.TextGZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # before WhiteNoise, so that static files get the Content-Security-Policy too
    "nolkumuh.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "nolkumuh.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # after a temporary password, every page leads to the password change first
    "nolkumuh.accounts.middleware.ForcedPasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "nolkumuh.site.urls"
WSGI_APPLICATION = "nolkumuh.site.wsgi.application"

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
                "nolkumuh.portal.context.site",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "nolkumuh.sqlite3",
            "OPTIONS": {
                # concurrent writers wait (busy timeout) instead of failing, and take the write
                # lock at the start of a transaction instead of half way through it
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:my_tasks"  # "Tugas saya": what waits on the user, by role
LOGOUT_REDIRECT_URL = "core:home"
# Login throttling (accounts.throttle, policy in docs/security.md "Pembatasan login"): failures
# allowed per account from one address or known browser before a pause of LOGIN_LOCK_SECONDS;
# failures from one address over all accounts before that address pauses; failures of one account
# from everywhere within LOGIN_ACCOUNT_WINDOW_SECONDS before only known browsers may still try.
LOGIN_FAILURE_LIMIT = int(os.environ.get("NOLKUMUH_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCK_SECONDS = int(os.environ.get("NOLKUMUH_LOGIN_LOCK_SECONDS", "900"))
LOGIN_ADDRESS_LIMIT = int(os.environ.get("NOLKUMUH_LOGIN_ADDRESS_LIMIT", "30"))
LOGIN_ACCOUNT_LIMIT = int(os.environ.get("NOLKUMUH_LOGIN_ACCOUNT_LIMIT", "20"))
LOGIN_ACCOUNT_WINDOW_SECONDS = int(os.environ.get("NOLKUMUH_LOGIN_ACCOUNT_WINDOW_SECONDS", "3600"))
# A browser where an account signed in successfully is remembered this many days (signed cookie).
LOGIN_KNOWN_DEVICE_DAYS = int(os.environ.get("NOLKUMUH_LOGIN_KNOWN_DEVICE_DAYS", "180"))
# Behind a reverse proxy (nginx) at NOLKUMUH_TRUSTED_PROXY that sets X-Forwarded-For and
# X-Forwarded-Proto: waitress takes the client address and scheme from those headers on requests
# from that address only (cli.waitress_options); without the flag they are removed.
NOLKUMUH_BEHIND_PROXY = env_flag("NOLKUMUH_BEHIND_PROXY")
NOLKUMUH_TRUSTED_PROXY = os.environ.get("NOLKUMUH_TRUSTED_PROXY", "127.0.0.1").strip()
if NOLKUMUH_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Background tasks (large imports and exports, see docs/adr/0006-background-tasks.md): "database"
# queues them in the database for the worker that `nolkumuh serve` starts (or `nolkumuh worker`);
# "immediate" runs them inside the request (the test suite).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if os.environ.get("NOLKUMUH_TASKS", "database") not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        "NOLKUMUH_TASKS harus 'database' (bawaan: pekerjaan panjang dijalankan nolkumuh worker) atau"
        " 'immediate' (dijalankan saat itu juga, untuk uji)."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[os.environ.get("NOLKUMUH_TASKS", "database")]}}
# Imports with at least this many RT rows, and exports of regions with at least this many RTs, run
# as background tasks with a status page; smaller ones run at once.
NOLKUMUH_TASK_ROWS = int(os.environ.get("NOLKUMUH_TASK_ROWS", "2000"))
# Uploaded RT files of at least this many bytes are checked in the background too, whatever their
# row count.
NOLKUMUH_TASK_BYTES = int(os.environ.get("NOLKUMUH_TASK_BYTES", str(2 * 1024 * 1024)))
# Background jobs one user may start per hour, and may have waiting or running at once.
NOLKUMUH_JOBS_PER_HOUR = int(os.environ.get("NOLKUMUH_JOBS_PER_HOUR", "20"))
NOLKUMUH_JOBS_ACTIVE = int(os.environ.get("NOLKUMUH_JOBS_ACTIVE", "2"))
# A worker on another host that has not said it is alive for this many seconds is taken as dead
# (its running jobs are failed by the next worker that starts); workers on this host are checked
# by their process.
NOLKUMUH_WORKER_STALE_SECONDS = int(os.environ.get("NOLKUMUH_WORKER_STALE_SECONDS", "120"))
# The health page (/sehat/, core/health.py) fails when the data folder has less free space (MB).
NOLKUMUH_HEALTH_MIN_FREE_MB = int(os.environ.get("NOLKUMUH_HEALTH_MIN_FREE_MB", "500"))
# Uploaded files not confirmed within this many hours are removed.
NOLKUMUH_UPLOAD_HOURS = int(os.environ.get("NOLKUMUH_UPLOAD_HOURS", "24"))

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["nolkumuh.site.formats"]

STATIC_URL = "/static/"
# Leaflet comes from the xstatic-leaflet package (PyPI), served as /static/leaflet/.
STATICFILES_DIRS = [("leaflet", xstatic_leaflet.BASE_DIR)]
# Static files are served by the app itself (WhiteNoise). `nolkumuh serve` collects them into
# STATIC_ROOT first, with content hashes in their names and compressed copies: those are sent
# compressed and cached by browsers for a year (immutable). Without that step (tests, `manage`
# commands) they are served with their plain names straight from the installed packages.
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing folder on every start
# Files every machine must see (construction photos, uploads waiting for their confirmation or
# for a background job, finished jobs' files): the data folder by default; with several machines,
# NOLKUMUH_MEDIA_DIR is a folder on a shared mount (NFS), at the same path on every machine
# (docs/deploy.md "Past one machine"). Caches, static files and one-request exports stay local.
# Django's default storage writes there; MEDIA_ROOT stays unset: nothing is served from the folder
# as such (photos and files go through views that check who asks).
NOLKUMUH_MEDIA_DIR = Path(os.environ.get("NOLKUMUH_MEDIA_DIR", "").strip() or DATA_DIR).resolve()
NOLKUMUH_MEDIA_DIR.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": NOLKUMUH_MEDIA_DIR},
    },
    "staticfiles": {"BACKEND": "nolkumuh.core.compression.StaticStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# The cache: "file" keeps it in the data folder, shared by the processes of one machine; "database"
# keeps it in two tables of the database (made by `nolkumuh manage migrate`), shared by every
# machine that uses it: the login-throttling counters then count across machines.
NOLKUMUH_CACHE = os.environ.get("NOLKUMUH_CACHE", "file").strip() or "file"
if NOLKUMUH_CACHE not in ("file", "database"):
    raise ImproperlyConfigured(
        f"NOLKUMUH_CACHE harus 'file' atau 'database', bukan {NOLKUMUH_CACHE!r}: 'database' untuk"
        " beberapa mesin dengan satu PostgreSQL (docs/deploy.md), 'file' (bawaan) untuk satu mesin."
    )


def cache_backend(name: str, **options: int) -> dict[str, object]:
    """The cache ``name``: a folder of the data folder, or a table of the database."""
    if NOLKUMUH_CACHE == "database":
        backend, location = "django.core.cache.backends.db.DatabaseCache", f"nolkumuh_{name}"
    else:
        backend, location = "django.core.cache.backends.filebased.FileBasedCache", str(DATA_DIR / name)
    return {"BACKEND": backend, "LOCATION": location, **({"OPTIONS": options} if options else {})}


CACHES = {
    "default": cache_backend("cache"),
    # The abuse counters (login throttling, QR check-in) apart from the data cache: a full cache
    # drops a third of its entries at random, and anonymous page views fill the data cache, so
    # there they could be swept away by anyone (docs/security.md).
    "counters": cache_backend("counters", MAX_ENTRIES=1_000_000),
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_flag("NOLKUMUH_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS (see deploy/production.env.example and docs/security.md): off by default so that the demo
# and a local installation work over plain http; a production server behind a TLS proxy turns them on.
SECURE_SSL_REDIRECT = env_flag("NOLKUMUH_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("NOLKUMUH_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("NOLKUMUH_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_flag("NOLKUMUH_HSTS_PRELOAD")
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

# The address people reach the server at, e.g. https://nolkumuh.example.go.id or
# http://192.168.1.20:8000 for a room of phones on one Wi-Fi: QR codes, links in documents and in
# e-mails are built on it (core/links.py). Empty: the address of the request being answered.
NOLKUMUH_PUBLIC_URL = os.environ.get("NOLKUMUH_PUBLIC_URL", "").strip().rstrip("/")
if NOLKUMUH_PUBLIC_URL and not NOLKUMUH_PUBLIC_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        "NOLKUMUH_PUBLIC_URL harus diawali http:// atau https://, misalnya http://192.168.1.20:8000."
    )
if NOLKUMUH_PUBLIC_URL and (public_host := urlsplit(NOLKUMUH_PUBLIC_URL).hostname):
    ALLOWED_HOSTS.append(public_host)  # the address people are told to open is always answered
# E-mail (password reset links): an SMTP server when NOLKUMUH_EMAIL_HOST is set; the demo prints
# mails on the console. Without either, pages do not offer what needs mail.
EMAIL_HOST = os.environ.get("NOLKUMUH_EMAIL_HOST", "").strip()
EMAIL_PORT = int(os.environ.get("NOLKUMUH_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("NOLKUMUH_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("NOLKUMUH_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_flag("NOLKUMUH_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("NOLKUMUH_EMAIL_FROM", "nolkumuh@localhost")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif DEMO:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
NOLKUMUH_MAIL_CONFIGURED = bool(EMAIL_HOST) or DEMO

# Where the user guide (panduan.md and its screenshots) is read from for the help page.
NOLKUMUH_DOCS_DIR = os.environ.get("NOLKUMUH_DOCS_DIR", str(PACKAGE_DIR.parent.parent / "docs"))
# A polygon whose geodesic area differs from the declared luas by more than this is flagged.
NOLKUMUH_AREA_WARNING_PERCENT = float(os.environ.get("NOLKUMUH_AREA_WARNING_PERCENT", "20"))
# Background map tiles for online deployments, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png;
# empty: polygons on a plain background, which works with no internet at all.
NOLKUMUH_TILE_URL = os.environ.get("NOLKUMUH_TILE_URL", "")
NOLKUMUH_TILE_ATTRIBUTION = os.environ.get("NOLKUMUH_TILE_ATTRIBUTION", "")
# Contact shown on the help page.
NOLKUMUH_CONTACT = os.environ.get("NOLKUMUH_CONTACT", "Satker PKP Provinsi / askot setempat")

# Logs on standard error (the service manager keeps them): at INFO one line per request and per
# background job; records logged during a request or job carry its id and user (core/requestlog.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "nolkumuh.core.requestlog.LogContextFilter"}},
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s%(context)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": "line"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("NOLKUMUH_LOG_LEVEL", "INFO").upper()},
}
# Error reports (optional): a Sentry DSN, with the `sentry` extra installed.
NOLKUMUH_SENTRY_DSN = os.environ.get("NOLKUMUH_SENTRY_DSN", "").strip()
if problem := error_reports_start(
    NOLKUMUH_SENTRY_DSN, release=__version__, environment="demo" if DEMO else "production"
):
    print(problem, file=sys.stderr)
