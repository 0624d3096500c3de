"""Settings for the test suite: the production settings with test-only relaxations."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)

from strategyhub.config.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing in tests
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Parallel workers share one Redis: give each its own key space.
for _alias in CACHES.values():  # noqa: F405
    if "LOCATION" in _alias:
        _alias["KEY_PREFIX"] = "test-" + os.environ.get("PYTEST_XDIST_WORKER", "main")

# Tasks run in-process in tests even when REDIS_URL is set (the Redis cache and broker
# connection are still exercised); the real-worker test starts its own worker.
CELERY_TASK_ALWAYS_EAGER = True

# Page caching is exercised by the whole suite (pages are read after writes in most tests).
PAGE_CACHE = True

# Every reuse of a query shape's SQL is checked against Django's own (strategyhub/db/shapes.py).
SHAPE_CACHE = "verify"
