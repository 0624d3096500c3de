"""Configuration from the environment: defaults, services, and loud failures."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from strategyhub.config.env import env_bool, env_int, env_int_or_off, env_list, parse_database_url

ROOT = Path(__file__).resolve().parent.parent


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "strategyhub.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_env_helpers_parse_good_values():
    env = {"A": "yes", "B": "0", "N": " 42 ", "L": "a.gov, b.gov,,"}
    assert env_bool("A", environ=env) is True
    assert env_bool("B", default=True, environ=env) is False
    assert env_bool("MISSING", default=True, environ=env) is True
    assert env_int("N", 1, environ=env) == 42
    assert env_list("L", [], environ=env) == ["a.gov", "b.gov"]


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: env_bool("DEBUG", environ={"DEBUG": "maybe"}), "DEBUG"),
        (lambda: env_int("EMAIL_PORT", 25, environ={"EMAIL_PORT": "abc"}), "EMAIL_PORT"),
        (lambda: env_int("EMAIL_PORT", 25, environ={"EMAIL_PORT": "0"}, minimum=1), "EMAIL_PORT"),
        (lambda: parse_database_url("DATABASE_URL", "mysql://x"), "DATABASE_URL"),
    ],
)
def test_bad_values_name_the_variable(call, name):
    with pytest.raises(ImproperlyConfigured, match=name):
        call()


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"DEBUG": "sometimes", "SECRET_KEY": "x"}, "DEBUG"),
        ({"DEBUG": "0"}, "SECRET_KEY"),
        ({"DEBUG": "1", "DATABASE_URL": "oracle://db"}, "DATABASE_URL"),
        ({"DEBUG": "1", "REDIS_URL": "localhost:6379"}, "REDIS_URL"),
        ({"DEBUG": "1", "EMAIL_HOST": "smtp.x", "EMAIL_PORT": "smtp"}, "EMAIL_PORT"),
    ],
)
def test_start_up_fails_with_the_variables_name(env, name):
    result = _run(env, "check")
    assert result.returncode != 0
    assert name in result.stderr


def test_embedded_default_needs_no_services(tmp_path):
    result = _run(
        {"DEBUG": "1", "STRATEGYHUB_DATA_DIR": str(tmp_path)},
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], "
        "s.CACHES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "strategyhub.db.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_services_and_smtp_when_configured():
    result = _run(
        {
            "SECRET_KEY": "k" * 60,
            "DATABASE_URL": "postgres://u:p@db.internal:5432/sh",
            "REDIS_URL": "redis://cache.internal:6379/1",
            "EMAIL_HOST": "smtp.city.gov",
        },
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], "
        "s.DATABASES['default']['HOST'], s.CACHES['default']['BACKEND'], s.CELERY_BROKER_URL, "
        "s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND, s.EMAIL_PORT)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "strategyhub.db.postgresql",
        "db.internal",
        "django_redis.cache.RedisCache",
        "redis://cache.internal:6379/1",
        "False",
        "django.core.mail.backends.smtp.EmailBackend",
        "587",
    ]


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = _run(
        {
            "SECRET_KEY": "p8$Wq!z2^rT7#vN0&kL4*mX9@bC6%hJ1(eR5)yU3-sD8_fG2+aQ7=wE4",
            "ALLOWED_HOSTS": "strategy.city.gov",
            "STRATEGYHUB_DATA_DIR": str(tmp_path),
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_redis_cache_tolerates_failures_on_reads_but_not_on_invalidations():
    result = _run(
        {"SECRET_KEY": "x" * 50, "REDIS_URL": "redis://cache.internal:6379/1"},
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; c = s.CACHES; "
        "print(c['default']['OPTIONS']['IGNORE_EXCEPTIONS'], "
        "c['invalidation']['OPTIONS']['IGNORE_EXCEPTIONS'], "
        "c['default']['LOCATION'] == c['invalidation']['LOCATION'], "
        "c['default']['KEY_PREFIX'] == c['invalidation']['KEY_PREFIX'], "
        "c['default']['OPTIONS']['SOCKET_CONNECT_TIMEOUT'], s.SESSION_ENGINE, "
        "s.AUTHENTICATION_BACKENDS[0])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "False",
        "True",
        "True",
        "0.25",
        "django.contrib.sessions.backends.cached_db",
        "strategyhub.identity.throttling.ThrottledModelBackend",
    ]


def test_postgresql_prepares_repeated_queries_unless_turned_off():
    url = "postgres://u:p@db:5432/strategyhub"
    options = parse_database_url("DATABASE_URL", url, prepare_threshold=5)["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5
    assert "server_side_binding" not in parse_database_url("DATABASE_URL", url).get("OPTIONS", {})
    sqlite = parse_database_url("DATABASE_URL", "sqlite:////tmp/x.sqlite3", prepare_threshold=5)
    assert "server_side_binding" not in sqlite.get("OPTIONS", {})
    assert env_int_or_off("T", 5, environ={}) == 5
    assert env_int_or_off("T", 5, environ={"T": "2"}) == 2
    assert env_int_or_off("T", 5, environ={"T": "off"}) is None
    with pytest.raises(
        ImproperlyConfigured, match="T must be a whole number of at least 0, or off"
    ):
        env_int_or_off("T", 5, environ={"T": "-1"})


def test_the_promised_entry_points_keep_working_at_their_old_paths():
    """Deployments name ``strategyhub.settings``, ``strategyhub.wsgi:application`` and
    ``celery -A strategyhub``: each is the one in ``strategyhub.config``."""
    from celery.app.utils import find_app

    import strategyhub.config.celery
    import strategyhub.config.settings
    import strategyhub.config.wsgi
    import strategyhub.settings
    import strategyhub.wsgi

    assert strategyhub.settings.ROOT_URLCONF == "strategyhub.config.urls"
    assert strategyhub.settings.INSTALLED_APPS is strategyhub.config.settings.INSTALLED_APPS
    assert strategyhub.wsgi.application is strategyhub.config.wsgi.application
    assert find_app("strategyhub") is strategyhub.config.celery.app
