"""Django settings, all read from the environment (see environment.py and the README)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from symbiose.core.bundle.limits import MIB, UPLOAD_LIMITS, ReadLimits
from symbiose.web import environment as env
from symbiose.web.vendor import vendor_static_dirs

BASE_DIR = Path(__file__).resolve().parent

PRODUCTION = env.env_bool("SYMBIOSE_PRODUCTION", default=False)
DEBUG = env.env_bool("SYMBIOSE_DEBUG", default=False)
SECRET_KEY = env.secret_key(production=PRODUCTION)
ALLOWED_HOSTS = env.env_list("SYMBIOSE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.env_list("SYMBIOSE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "symbiose.web.territory",
    "symbiose.web.synergies",
    "symbiose.web.accounts",
    "symbiose.web.audit",
    "symbiose.web.api",
    "symbiose.web.submissions",
    "symbiose.web.dashboard",
    "symbiose.web.transfer",
    "symbiose.web.workshops",
    "symbiose.web.meetings",
    "symbiose.web.campaigns",
    "symbiose.web.lending",
    "symbiose.web.ledger",
    "symbiose.web.company",
    "symbiose.web.region",
    "symbiose.web.jobs",
    "django_htmx",
    # htmx's static files, from the package that ships them.
    "js_lib_htmx",
    "axes",
    "csp",
    # Listed so that the API docs page serves Swagger UI from the installed package, not
    # from a CDN.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is chosen (their refusals are in words), before anything reads
    # the body.
    "symbiose.web.middleware.RefuseOversizedBodies",
    "symbiose.web.middleware.RejectNulCharacters",
    "symbiose.web.middleware.SayWhenTheDatabaseIsBusy",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "symbiose.web.urls"
WSGI_APPLICATION = "symbiose.web.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(env.database_url(), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A laptop database shared by the server and the command line: wait for a lock
    # rather than fail, and let readers run while the importer writes. A transaction
    # takes the write lock when it begins (IMMEDIATE): one that read first and then tried
    # to write while another wrote was refused at once ("database is locked"), without
    # waiting, which two people saving the same form at the same moment both met.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "symbiose.web.accounts.backends.RateLimitedBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Log-in rate limiting (django-axes): five failures for one username from one address
# lock that pair for a quarter of an hour; a success resets the count.
AXES_FAILURE_LIMIT = env.env_int("SYMBIOSE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind a reverse proxy the client address is in X-Forwarded-For (see django-axes docs).
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if env.env_bool("SYMBIOSE_BEHIND_PROXY")
    else ["REMOTE_ADDR"]
)
PASSWORD_RESET_TIMEOUT = 24 * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "company:landing"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static", *vendor_static_dirs()]
STATIC_ROOT = env.data_dir() / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Static files are served from the installed package: no collectstatic step for a laptop.
WHITENOISE_USE_FINDERS = True
# The map's background: OpenStreetMap's tiles unless the instance names its own server.
MAP_TILE_URL = env.env_str(
    "SYMBIOSE_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.env_str(
    "SYMBIOSE_MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>')
WHITENOISE_AUTOREFRESH = DEBUG

# Content-Security-Policy: scripts and styles from this site only, never inline, so a
# name from a stranger's spreadsheet that slipped through as markup could still not run.
# Images also from the map's tile server; pages are never framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *env.url_origins(MAP_TILE_URL)],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# A territory workbook can be large; the import page streams it to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# What an upload (page or API) may weigh as sent; a request announcing more is refused
# before its body is read (middleware.RefuseOversizedBodies).
SYMBIOSE_UPLOAD_MAX_BYTES = env.env_int("SYMBIOSE_UPLOAD_MAX_MEGABYTES", 50) * MIB
# What an uploaded bundle may hold once read: rows per table, size uncompressed (see
# core/bundle/limits.py). The command line reads more, and takes options to read more.
SYMBIOSE_UPLOAD_LIMITS = ReadLimits(
    max_rows=env.env_int("SYMBIOSE_UPLOAD_MAX_ROWS", UPLOAD_LIMITS.max_rows),
    max_bytes=env.env_int("SYMBIOSE_UPLOAD_MAX_EXPANDED_MEGABYTES",
                          UPLOAD_LIMITS.max_bytes // MIB) * MIB,
)

# Long jobs on a task queue (Dramatiq on Redis, run by `symbiose worker`) when set;
# otherwise in a thread of the web process (web/jobs/queue.py).
SYMBIOSE_BROKER_URL = env.env_str("SYMBIOSE_BROKER_URL")
SYMBIOSE_QUEUE_NAME = env.env_str("SYMBIOSE_QUEUE_NAME", "symbiose")

# The cache (the regional figures, the map's layers) is shared in Redis when Symbiose is
# given one: `SYMBIOSE_CACHE_URL`, or else the task queue's Redis (SYMBIOSE_BROKER_URL);
# every web process then reads what another computed, and a restart finds it warm. Its
# keys carry the instance's queue name, and emptying it deletes only those (web/cache.py).
# Without a Redis (a laptop), each process keeps its own in memory.
SYMBIOSE_CACHE_URL = env.env_str("SYMBIOSE_CACHE_URL") or (
    SYMBIOSE_BROKER_URL if SYMBIOSE_BROKER_URL.startswith(("redis://", "rediss://")) else "")
CACHES: dict[str, dict[str, Any]]
if SYMBIOSE_CACHE_URL:
    CACHES = {"default": {"BACKEND": "symbiose.web.cache.SharedRedisCache",
                          "LOCATION": SYMBIOSE_CACHE_URL,
                          "KEY_PREFIX": f"{SYMBIOSE_QUEUE_NAME}-cache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          # A region of a hundred territories keeps a hundred entries.
                          "OPTIONS": {"MAX_ENTRIES": 10_000}}}

EMAIL_BACKEND = env.env_str(
    "SYMBIOSE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.env_str("SYMBIOSE_EMAIL_HOST", "localhost")
EMAIL_PORT = env.env_int("SYMBIOSE_EMAIL_PORT", 25)
EMAIL_HOST_USER = env.env_str("SYMBIOSE_EMAIL_USER")
EMAIL_HOST_PASSWORD = env.env_str("SYMBIOSE_EMAIL_PASSWORD")
EMAIL_USE_TLS = env.env_bool("SYMBIOSE_EMAIL_TLS", default=False)
DEFAULT_FROM_EMAIL = env.env_str("SYMBIOSE_EMAIL_FROM", "symbiose@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    if DEBUG:
        raise env.ConfigurationError("SYMBIOSE_DEBUG cannot be on when SYMBIOSE_PRODUCTION=1")
    SESSION_COOKIE_AGE = 8 * 3600  # a working day
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.env_bool("SYMBIOSE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.env_str("SYMBIOSE_LOG_LEVEL", "WARNING")},
}
