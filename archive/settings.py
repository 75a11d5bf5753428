"""Settings, read from environment variables so that a fresh clone runs as is.

Everything the archive writes (the SQLite database, the Whoosh index, jieba's
cache, the generated secret key) lives in ARCHIVE_DATA_DIR, ``var/`` in the
repository by default. DATABASE_URL selects another database (PostgreSQL for
deployments). docs/deployment.md lists every variable a deployment sets.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

from archive.lib.env import SettingError, envbool, envchoice, envint

BASE_DIR = Path(__file__).resolve().parent.parent

DATA_DIR = Path(os.getenv("ARCHIVE_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY, or one made on first start and kept in the data directory,
    so that no deployment runs on a key published in the repository. Written
    whole under a private name and linked into place, so that processes
    starting together agree on one key and never read half of it."""
    if key := os.getenv("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        draft = DATA_DIR / f".secret_key.{os.getpid()}"
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:
            file.write(secrets.token_urlsafe(50))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process made it first; use theirs
        finally:
            draft.unlink()
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG", True)
ALLOWED_HOSTS = os.getenv("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000")
CSRF_TRUSTED_ORIGINS = [SITE_URL]

# Behind a TLS-terminating proxy (HTTPS=true): secure cookies, HSTS, and
# redirects to https, trusting the proxy's X-Forwarded-Proto.
HTTPS = envbool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the proxy's health check speaks plain HTTP
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts and styles come from our own files only; nothing inline runs.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

INSTALLED_APPS = [
    "archive.admin.ArchiveAdminConfig",  # django.contrib.admin, sign-in rate-limited
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "reversion",  # every change to an article is a version (archive/interviews/history.py)
    "archive.interviews",
    "archive.search",  # before haystack: its rebuild_index command replaces haystack's
    "haystack",
]

MIDDLEWARE = [
    "archive.middleware.RequestLog",
    "archive.middleware.RequestSizeLimit",
    "django.middleware.security.SecurityMiddleware",
    "archive.middleware.ContentSecurityPolicy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'archive.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Readers must not fail while the importer writes: wait for the lock
    # instead of raising "database is locked".
    # WAL lets pages be read while an import writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too: an in-memory database shared between threads
    # (the index worker, a live server) locks whole tables and never waits.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

# In the database, so that every web process and host shares the sign-in
# failure counts (archive/admin.py); ``manage.py createcachetable`` makes it.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "archive_cache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves from it after collectstatic

# Where searches run (issue 17): Whoosh, an index of files in the data
# directory, for one host; or the PostgreSQL database itself, which every
# web host shares (docs/scaling.md). Both answer the same queries alike.
SEARCH_BACKEND = envchoice("SEARCH_BACKEND", "whoosh", ("whoosh", "postgres"))
if SEARCH_BACKEND == "postgres" and DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise SettingError(f"SEARCH_BACKEND=postgres needs a PostgreSQL database (DATABASE_URL), not {DATABASES['default']['ENGINE']}")

HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "archive.search.backend.ChineseWhooshEngine",
        "PATH": str(DATA_DIR / "whoosh_index"),
        # Index errors must reach the update queue, which retries them.
        "SILENTLY_FAIL": False,
    },
}
# Index updates go through archive.search's queue, not haystack's signals:
# real-time Whoosh writes from request threads raise LockError under load.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# Uploads and imports larger than this are refused (issue 5); a request body
# (all files of one upload together) may be a few times that, and no larger.
TRANSCRIPT_MAX_BYTES = envint("TRANSCRIPT_MAX_BYTES", 5 * 1024 * 1024, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = TRANSCRIPT_MAX_BYTES + 1024 * 1024  # pasted text and form fields
FILE_UPLOAD_MAX_MEMORY_SIZE = TRANSCRIPT_MAX_BYTES
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", 4 * TRANSCRIPT_MAX_BYTES, minimum=1)
DATA_UPLOAD_MAX_NUMBER_FILES = 50
# Import by web address (issue 12, archive/interviews/fetching.py): how long a
# fetch may take, and whether loopback and private addresses may be fetched
# (never in production: the server would reach into its own network).
IMPORT_FETCH_TIMEOUT = envint("IMPORT_FETCH_TIMEOUT", 15, minimum=1)
IMPORT_ALLOW_PRIVATE_ADDRESSES = envbool("IMPORT_ALLOW_PRIVATE_ADDRESSES", False)
API_MAX_PAGE_SIZE = 100

# Admin sign-in: this many failures from one address (or for one user name)
# within the window, and further attempts are refused until it passes.
LOGIN_FAILURES_ALLOWED = envint("LOGIN_FAILURES_ALLOWED", 5, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = envint("LOGIN_FAILURE_WINDOW_SECONDS", 900, minimum=1)

# One line per record; JSON (for log collectors) unless LOG_FORMAT=text.
LOG_FORMAT = envchoice("LOG_FORMAT", "text" if DEBUG else "json", ("text", "json"))
LOG_LEVEL = envchoice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "archive.lib.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    # The handler's level too: libraries that set their own loggers to DEBUG
    # (jieba does) must not reach it through the root logger.
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "level": LOG_LEVEL}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "archive": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
