"""Django settings for StrategyHub (``strategyhub.settings`` re-exports them for deployments
that name the old path).

Configuration comes from environment variables (12-factor). With none set, the app runs on
an embedded default: SQLite in ./data, a local-memory cache, Celery tasks run in-process and
email printed to the console. With DATABASE_URL and REDIS_URL it runs on PostgreSQL and Redis.
"""

from __future__ import annotations

from pathlib import Path

from celery.schedules import crontab
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
from strategyhub.config.storage import default_storage_config
from strategyhub.observability.errors import init_sentry
from strategyhub.observability.logconfig import build_logging, parse_admins

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
    "reports",
    # The JSON API (/api/v1/, docs/api.md); ninja serves its Swagger UI from the package.
    "api",
    "ninja",
    # Data in and out (docs/data.md): the agency's workbook export and import.
    "dataio",
    # Sign-in (docs/security.md): accounts and password reset on django-allauth, failed
    # sign-ins throttled per account and client by django-axes (rows in PostgreSQL).
    "strategyhub.identity",
    "django.contrib.humanize",  # allauth's security-key list
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Each agency's OpenID Connect and SAML provider (strategyhub/identity/sso/): allauth's
    # socialaccount, its SAML provider, and ours for OpenID Connect (strategyhub.identity).
    "allauth.socialaccount",
    "allauth.socialaccount.providers.saml",
    "axes",
]

MIDDLEWARE = [
    # Request id (logs, X-Request-ID) and request latency for every response; /metrics is
    # answered here (strategyhub/observability, docs/observability.md).
    "strategyhub.observability.requestid.RequestIdMiddleware",
    "strategyhub.observability.metrics.MetricsMiddleware",
    # /healthz/live, /healthz/ready and /healthz answer load-balancer probes (any Host, plain
    # HTTP) before the HTTPS redirect and the ALLOWED_HOSTS check (strategyhub/views/health.py).
    "strategyhub.views.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response, the fast path's
    # cached public pages included (they are answered below these two).
    "csp.middleware.CSPMiddleware",
    "strategyhub.security_headers.PermissionsPolicyMiddleware",
    # Cached public pages are answered here, before sessions, auth and tenancy.
    "publicdash.fastpath.PublicFastPathMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's language (Accept-Language) as the last choice; a person's and the
    # agency's language are applied by TenantMiddleware (strategyhub/language.py).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Fresh idempotency keys into every form of an HTML page, cached pages included.
    "strategyhub.idempotency.FillTokensMiddleware",
    "strategyhub.middleware.TenantMiddleware",
    # The agency's session lifetime and idle timeout (strategyhub/identity/sessions.py).
    "strategyhub.identity.sessions.AgencySessionMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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
            # {% translate %} and the date filters everywhere, without a {% load %} in each
            # template (docs/ui-language.md).
            "builtins": ["django.templatetags.i18n", "strategyhub.templatetags.dates"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
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
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            connect_timeout=env_int("DATABASE_CONNECT_TIMEOUT", 5, minimum=1),
            # PgBouncer in transaction mode: also DATABASE_PREPARE_THRESHOLD=off and
            # DATABASE_CONN_MAX_AGE=0 (docs/operations.md, "Scaling out").
            disable_server_side_cursors=env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", False),
        )
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "strategyhub.db.sqlite3",
            "NAME": DATA_DIR / "strategyhub.sqlite3",
        }
    }
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # A second connection to the same database: a spreadsheet import's progress and report
    # are written on it, outside the import's one transaction, so the page can follow the
    # run while it writes (dataio/importing/progress.py). SQLite (one writer) has none.
    DATABASES["dataio_progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite (the demo default) cannot enforce "unique unit name per parent" for top-level units
# (NULL parent); the unit form checks the rule itself, and PostgreSQL enforces it too.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

# --- Cache and Celery -----------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
# The cache may evict keys and the broker must not, so production can give each its own Redis
# (cache: maxmemory-policy allkeys-lru; broker: noeviction, see docs/operations.md); both
# default to REDIS_URL (set but empty, as compose passes an unset variable, is the default).
CACHE_URL = env_str("CACHE_URL") or REDIS_URL
if CACHE_URL:
    check_redis_url("CACHE_URL" if env_str("CACHE_URL") else "REDIS_URL", CACHE_URL)
_broker_url = env_str("CELERY_BROKER_URL") or REDIS_URL
if _broker_url:
    check_redis_url(
        "CELERY_BROKER_URL" if env_str("CELERY_BROKER_URL") else "REDIS_URL", _broker_url
    )
if CACHE_URL:
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
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": _cache_key_prefix,
            "OPTIONS": {**_redis_options, "IGNORE_EXCEPTIONS": True},
        },
        "invalidation": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": _cache_key_prefix,
            "OPTIONS": {**_redis_options, "IGNORE_EXCEPTIONS": False},
        },
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # Sessions read from Redis and written through to the database: they survive a cache
    # flush, and with the tolerant cache they keep working from the database alone.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if _broker_url:
    CELERY_BROKER_URL = _broker_url
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CELERY_BROKER_URL = "memory://"
    # No broker configured: tasks run in-process, synchronously.
    CELERY_TASK_ALWAYS_EAGER = True
# Cached bodies of the heavy staff pages (strategyhub/caching/pages.py) need a cache every web
# process shares, so they are on with Redis and off with the per-process default.
PAGE_CACHE = env_bool("PAGE_CACHE", default=bool(CACHE_URL))
# The SQL of each query shape compiled once per process (strategyhub/db/shapes.py): "on",
# "off", or "verify" (every reuse checked against Django's own compilation: the tests).
SHAPE_CACHE = env_str("SHAPE_CACHE") or "on"
if SHAPE_CACHE not in ("on", "off", "verify"):
    raise ImproperlyConfigured(f"SHAPE_CACHE must be on, off or verify, got {SHAPE_CACHE!r}.")
STRATEGYHUB_RELEASE = env_str("STRATEGYHUB_RELEASE", "")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Beat keeps its schedule in the data directory (the one writable place of the image), and
# writes it after every task it sends: the container's health check reads the file's age
# (strategyhub/config/container_health.py).
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SYNC_EVERY = 1
CELERY_BEAT_SCHEDULE: dict = {
    # Cache invalidations Redis refused, recorded in PostgreSQL, applied once it answers.
    "replay-cache-invalidations": {
        "task": "strategyhub.tasks.replay_cache_invalidations",
        "schedule": 60,
    },
    # Idempotency keys (double-submit guard) protect for a day, then go.
    "prune-idempotency-keys": {
        "task": "strategyhub.tasks.prune_idempotency_keys",
        "schedule": 24 * 60 * 60,
    },
    # Import uploads (every member's email in them) previewed or failed and not confirmed
    # within 24 hours: files deleted, runs marked expired (docs/data.md).
    "expire-unconfirmed-imports": {
        "task": "dataio.tasks.expire_unconfirmed_imports",
        "schedule": 60 * 60,
    },
    # The API's tombstones (deleted and archived rows) are kept 90 days (api.models).
    "prune-api-tombstones": {"task": "api.tasks.prune_tombstones", "schedule": 24 * 60 * 60},
    # Invitation emails that never went out (broker down, task gave up), queued again.
    "resend-unsent-invitations": {
        "task": "strategyhub.tasks.resend_unsent_invitations",
        "schedule": 60 * 60,
    },
    # The next quarter's cycle exists before it starts (idempotent).
    "ensure-okr-cycles": {"task": "okrs.tasks.ensure_cycles_everywhere", "schedule": 6 * 60 * 60},
    # Hourly, five past: each agency's daily scan and digests (weekly digests on Mondays) at
    # its local hour, once per local day/week (ownership/schedule.py).
    "agency-scheduled-jobs": {
        "task": "ownership.tasks.scheduled_jobs_everywhere",
        "schedule": crontab(minute=5),
    },
    # Hourly: agencies whose check-in day and hour it is (in their time zone) remind owners.
    "checkin-reminders": {
        "task": "ownership.tasks.checkin_reminders_everywhere",
        "schedule": 60 * 60,
    },
    "scheduled-publications": {
        "task": "publicdash.tasks.scheduled_publications",
        "schedule": 6 * 60 * 60,
    },
    # Scheduled council reports: built once per ended period (claimed), owners asked.
    "scheduled-reports": {
        "task": "reports.tasks.scheduled_reports_everywhere",
        "schedule": 6 * 60 * 60,
    },
    # Each agency's OpenID Connect provider is asked again whether it still lets in the
    # people it signed in (token refresh); those refused lose access (docs/security.md).
    "check-provider-grants": {
        "task": "strategyhub.identity.tasks.check_provider_grants",
        "schedule": 15 * 60,
    },
}

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "strategyhub.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account+client before any password is checked (axes);
    # for signed-in requests it is Django's ModelBackend.
    "strategyhub.identity.throttling.ThrottledModelBackend",
    # Email + password sign-in (django-allauth).
    "allauth.account.auth_backends.AuthenticationBackend",
    # Django's own: the signed-in user is read from the database on each request (by
    # primary key); no user row, and so no password hash, is ever kept in the cache.
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No guardian "AnonymousUser" row: anonymous visitors never hold object permissions.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 24, minimum=60)
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 7, minimum=1, maximum=90)
# The largest workbook (or zip of CSVs) an import takes, in MB: the large generated agency's
# export is 10.3 MB and imports in about 4 minutes in under 1 GB (docs/data.md, "Sizes and
# the upload limit"); 25 MB is about 2.4 times that.
DATAIO_MAX_UPLOAD_MB = env_int("DATAIO_MAX_UPLOAD_MB", 25, minimum=1, maximum=1024)

# django-allauth (docs/security.md): email + password, no public sign-up (people join by
# invitation), one address per person (the invitation proved it), password reset by email
# that never says whether an address has an account.
ACCOUNT_ADAPTER = "strategyhub.identity.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = True  # lifetime and idle timeout are the agency's (middleware)
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # our subjects name StrategyHub themselves
ACCOUNT_FORMS = {
    "login": "strategyhub.identity.forms.LoginForm",
    "reset_password": "strategyhub.identity.forms.ResetPasswordForm",
    "reset_password_from_key": "strategyhub.identity.forms.ResetPasswordKeyForm",
    "change_password": "strategyhub.identity.forms.ChangePasswordForm",
    "set_password": "strategyhub.identity.forms.SetPasswordForm",
    "reauthenticate": "strategyhub.identity.forms.ReauthenticateForm",
}
# Throttling is django-axes' (per account and client together, so nobody can lock out
# another person, let alone an agency); allauth keeps only its per-address brake on
# floods of failures from one client.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip"}
# Two-factor sign-in (allauth.mfa): authenticator apps, security keys and passkeys as a
# second factor, recovery codes; seeds encrypted at rest (strategyhub/identity/mfa.py).
MFA_ADAPTER = "strategyhub.identity.mfa.MFAAdapter"
MFA_FORMS = {
    name: f"strategyhub.identity.forms.{cls}"
    for name, cls in {
        "authenticate": "MfaAuthenticateForm",
        "reauthenticate": "MfaReauthenticateForm",
        "activate_totp": "ActivateTOTPForm",
        "deactivate_totp": "DeactivateTOTPForm",
        "generate_recovery_codes": "GenerateRecoveryCodesForm",
        "add_webauthn": "AddWebAuthnForm",
        "edit_webauthn": "EditWebAuthnForm",
    }.items()
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "StrategyHub"
MFA_PASSKEY_LOGIN_ENABLED = False
# WebAuthn needs https; a local demo or test on http://localhost may allow it (never on).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG and env_bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", False)
# Fernet keys (comma-separated, newest first) for secrets stored in the database; unset, a
# key derived from SECRET_KEY is used (docs/security.md).
STRATEGYHUB_ENCRYPTION_KEYS = env_list("STRATEGYHUB_ENCRYPTION_KEYS", [])
# Single sign-on per agency (allauth.socialaccount; docs/security.md "Single sign-on"): the
# apps are the agencies' IdentityProvider rows (the adapter), accounts are linked or made
# only for addresses in a domain verified for the provider's agency (never by email alone
# elsewhere), and a new person is made a member with no form to fill.
SOCIALACCOUNT_ADAPTER = "strategyhub.identity.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_STORE_TOKENS = False  # the refresh token is kept encrypted (ProviderGrant)
SOCIALACCOUNT_LOGIN_ON_GET = False  # a button press (POST) starts a sign-in, never a link
SOCIALACCOUNT_REQUESTS_TIMEOUT = 5
# Providers' documents are fetched over https from public addresses only; loopback (and
# plain http to it) only for the tests' local providers and local demos.
STRATEGYHUB_SSO_ALLOW_LOOPBACK = env_bool("STRATEGYHUB_SSO_ALLOW_LOOPBACK", False)
# DNS servers for the domain-verification TXT lookup ("host" or "host:port", comma-separated);
# empty: the system's resolvers.
STRATEGYHUB_DNS_NAMESERVERS = env_list("STRATEGYHUB_DNS_NAMESERVERS", [])
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "strategyhub.identity.throttling.client_username"
AXES_LOCKOUT_CALLABLE = "strategyhub.identity.throttling.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = True
# Failures are logged with the address tried and the client (what an investigation needs);
# a password is never logged.
AXES_SENSITIVE_PARAMETERS = ["password"]
# The client's address, one rule for both: REMOTE_ADDR, or the address the trusted proxies
# (ALLAUTH_TRUSTED_PROXY_COUNT of them, from X-Forwarded-For) saw.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)
AXES_CLIENT_IP_CALLABLE = "strategyhub.identity.throttling.client_ip"

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

# --- Language and locale (docs/ui-language.md) ------------------------------------------------
# US English by default; every user-facing string is marked for translation, and Spanish is
# offered (its catalogue in locale/es/ can follow). A person's own language wins, then the
# agency's, then the browser's (strategyhub/language.py, activated by TenantMiddleware).
LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# US formats ("December 1, 2026", "1:30 PM") for Django's named formats (strategyhub/formats/).
FORMAT_MODULE_PATH = ["strategyhub.formats"]
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
    # Uploads: local disk (MEDIA_ROOT) by default, or an S3-compatible bucket with
    # STORAGE_BACKEND=s3 (strategyhub/config/storage.py, docs/observability.md).
    "default": default_storage_config(),
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
# Content-Security-Policy (django-csp 4; docs/hardening.md): scripts and styles from our own
# origin only, no inline script or style anywhere, no plugins, forms post only to us.
# Staff pages may not be framed; public pages (/p/<slug>/) replace frame-ancestors with the
# origins the agency lists (strategyhub.security_headers.allow_framing).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# The health paths are answered before SecurityMiddleware (HealthCheckMiddleware); this
# exemption keeps them on plain HTTP where that middleware is left out.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?/?$"]

# --- Observability (strategyhub/observability, docs/observability.md) ------------------------
# JSON lines by default, plain text with DEBUG; LOG_FORMAT=json|text overrides.
ADMINS = parse_admins(env_str("ADMINS"))
LOGGING = build_logging(
    log_format=env_str("LOG_FORMAT", "text" if DEBUG else "json").lower(),
    level=env_str("LOG_LEVEL", "INFO").upper(),
    mail_admins=bool(ADMINS),
)
# The worker logs through LOGGING too (JSON, with task ids), not through Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    init_sentry(
        SENTRY_DSN,
        release=STRATEGYHUB_RELEASE,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
# /metrics: a bearer token, or client addresses/networks allowed without one; 404 when
# neither is set. Answered before the HTTPS redirect and ALLOWED_HOSTS: Prometheus scrapes
# it over plain HTTP from inside the network, by IP address.
METRICS_TOKEN = env_str("METRICS_TOKEN")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", [])

# Test-suite switch: when on, a test that needs PostgreSQL or Redis fails instead of
# skipping when the service is missing (CI sets it).
STRATEGYHUB_REQUIRE_SERVICES = env_bool("STRATEGYHUB_REQUIRE_SERVICES", default=False)

# Absolute base address used in emails sent from background tasks (no request there).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Benchmark mode (bench/run.py): query-count header and a hello-world view. Off by default.
STRATEGYHUB_BENCH = env_bool("STRATEGYHUB_BENCH", default=False)
if STRATEGYHUB_BENCH:
    MIDDLEWARE = ["strategyhub.views.bench.QueryCountHeaderMiddleware", *MIDDLEWARE]
