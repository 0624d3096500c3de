"""Django settings for StrategyHub (``strategyhub.settings`` re-exports them for deployments
that name the old path).

Configuration comes from environment variables (12-factor). With none set, the app runs on
an embedded default: SQLite in ./data, a local-memory cache, Celery tasks run in-process and
email printed to the console. With DATABASE_URL and REDIS_URL it runs on PostgreSQL and Redis.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from strategyhub.config.env import (
    check_redis_url,
    env_bool,
    env_int,
    env_int_or_off,
    env_list,
    env_str,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("STRATEGYHUB_DATA_DIR", str(BASE_DIR / "data")))

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off "
            "(a development key is used only with DEBUG=1)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "template_partials",
    "guardian",
    "simple_history",
    "strategyhub",
    "scorecards",
    "okrs.apps.OkrsConfig",
    "ownership.apps.OwnershipConfig",
    "publicdash",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Cached public pages are answered here, before sessions, auth and tenancy.
    "publicdash.fastpath.PublicFastPathMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "strategyhub.middleware.TenantMiddleware",
]

ROOT_URLCONF = "strategyhub.config.urls"
FORM_RENDERER = "strategyhub.ui.forms.UswdsFormRenderer"
WSGI_APPLICATION = "strategyhub.config.wsgi.application"

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
                "strategyhub.context_processors.tenancy",
                "ownership.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {
        "default": parse_database_url(
            "DATABASE_URL",
            _database_url,
            prepare_threshold=env_int_or_off("DATABASE_PREPARE_THRESHOLD", 5),
        )
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "strategyhub.sqlite3",
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite (the demo default) cannot enforce "unique unit name per parent" for top-level units
# (NULL parent); the unit form checks the rule itself, and PostgreSQL enforces it too.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

# --- Cache and Celery -----------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    check_redis_url("REDIS_URL", REDIS_URL)
    # django-redis. Connect and socket timeouts are short: Redis is on the local network, and
    # a Redis that does not answer must cost a page a fraction of a second, not the client's
    # default of forever. ``default`` is tolerant (IGNORE_EXCEPTIONS): a failed read is a
    # miss and a failed store is skipped, so pages and sessions serve from the database
    # while Redis is down (each failure is logged). ``invalidation`` is the same Redis and
    # key space but raises, for the version bumps and deletions that must never be lost
    # silently (strategyhub/caching/invalidation.py logs, keeps and retries them).
    _redis_options = {
        "SOCKET_CONNECT_TIMEOUT": 0.25,
        "SOCKET_TIMEOUT": 1.0,
    }
    _cache_key_prefix = env_str("CACHE_KEY_PREFIX", "strategyhub")
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _cache_key_prefix,
            "OPTIONS": {**_redis_options, "IGNORE_EXCEPTIONS": True},
        },
        "invalidation": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _cache_key_prefix,
            "OPTIONS": {**_redis_options, "IGNORE_EXCEPTIONS": False},
        },
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # Sessions read from Redis and written through to the database: they survive a cache
    # flush, and with the tolerant cache they keep working from the database alone.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    # No broker configured: tasks run in-process, synchronously.
    CELERY_TASK_ALWAYS_EAGER = True
# Cached bodies of the heavy staff pages (strategyhub/caching/pages.py) need a cache every web
# process shares, so they are on with Redis and off with the per-process default.
PAGE_CACHE = env_bool("PAGE_CACHE", default=bool(REDIS_URL))
STRATEGYHUB_RELEASE = env_str("STRATEGYHUB_RELEASE", "")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {
    # Cache invalidations Redis refused, recorded in PostgreSQL, applied once it answers.
    "replay-cache-invalidations": {
        "task": "strategyhub.tasks.replay_cache_invalidations",
        "schedule": 60,
    },
    # The next quarter's cycle exists before it starts (idempotent).
    "ensure-okr-cycles": {"task": "okrs.tasks.ensure_cycles_everywhere", "schedule": 6 * 60 * 60},
    # The daily ownership scan, fanned out per agency.
    "scan-ownership": {"task": "ownership.tasks.scan_all_agencies", "schedule": 24 * 60 * 60},
    # Hourly: agencies whose check-in day and hour it is (in their time zone) remind owners.
    "checkin-reminders": {
        "task": "ownership.tasks.checkin_reminders_everywhere",
        "schedule": 60 * 60,
    },
    "daily-digests": {
        "task": "ownership.tasks.digests_everywhere",
        "schedule": 24 * 60 * 60,
        "args": ["daily"],
    },
    "scheduled-publications": {
        "task": "publicdash.tasks.scheduled_publications",
        "schedule": 6 * 60 * 60,
    },
    "weekly-digests": {
        "task": "ownership.tasks.digests_everywhere",
        "schedule": 7 * 24 * 60 * 60,
        "args": ["weekly"],
    },
}

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "strategyhub.User"
AUTHENTICATION_BACKENDS = [
    # Django's own: the signed-in user is read from the database on each request (by
    # primary key); no user row, and so no password hash, is ever kept in the cache.
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No guardian "AnonymousUser" row: anonymous visitors never hold object permissions.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 24, minimum=60)
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 7, minimum=1, maximum=90)

# --- Email ----------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "StrategyHub <no-reply@strategyhub.local>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # USWDS comes from the npm registry (package.json / package-lock.json), installed by
    # `make install`; its ready-built dist folder is served as /static/uswds/.
    *[
        (f"uswds/{part}", BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist" / part)
        for part in ("css", "js", "fonts", "img")
    ],
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security (production defaults; DEBUG relaxes them for local development) ---------------
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("TRUST_X_FORWARDED_PROTO", False) else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# /healthz must answer plain HTTP probes from the load balancer.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
}

# Test-suite switch: when on, a test that needs PostgreSQL or Redis fails instead of
# skipping when the service is missing (CI sets it).
STRATEGYHUB_REQUIRE_SERVICES = env_bool("STRATEGYHUB_REQUIRE_SERVICES", default=False)

# Absolute base address used in emails sent from background tasks (no request there).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Benchmark mode (bench/run.py): query-count header and a hello-world view. Off by default.
STRATEGYHUB_BENCH = env_bool("STRATEGYHUB_BENCH", default=False)
if STRATEGYHUB_BENCH:
    MIDDLEWARE = ["strategyhub.views.bench.QueryCountHeaderMiddleware", *MIDDLEWARE]
