""".env.example lists every setting with the production defaults, and the deploy checks pass
with it; the cache and the broker can be separate Redis instances; PgBouncer's transaction
mode is supported by settings alone."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / ".env.example"
# Switches of the test suite and the benchmark, not of a deployment.
NOT_DEPLOYMENT_SETTINGS = {
    "STRATEGYHUB_REQUIRE_SERVICES",
    "STRATEGYHUB_BENCH",
    "PYTEST_XDIST_WORKER",
    "DJANGO_SETTINGS_MODULE",
}
READERS = re.compile(
    r"""(?:env_[a-z_]+|os\.environ\.get|os\.getenv|environ\.get)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def _example() -> tuple[dict[str, str], set[str]]:
    """The active NAME=value lines (quotes stripped), and every name listed, commented or not."""
    active, listed = {}, set()
    for line in EXAMPLE.read_text().splitlines():
        match = re.match(r"^(#\s*)?([A-Z][A-Z0-9_]+)=(.*)$", line.strip())
        if not match:
            continue
        listed.add(match.group(2))
        if not match.group(1):
            active[match.group(2)] = match.group(3).strip().strip('"')
    return active, listed


def _read_settings() -> set[str]:
    sources = [
        ROOT / "gunicorn.conf.py",
        *sorted((ROOT / "strategyhub" / "config").glob("*.py")),
        *sorted((ROOT / "strategyhub" / "observability").glob("*.py")),
    ]
    names = set()
    for source in sources:
        if source.name == "settings_test.py":
            continue
        names.update(READERS.findall(source.read_text()))
    return names - NOT_DEPLOYMENT_SETTINGS


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "strategyhub.config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings(env: dict, expression: str) -> str:
    result = _run(
        env,
        "shell",
        "--no-imports",
        "-c",
        f"from django.conf import settings as s; print(repr({expression}))",
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_every_setting_is_listed():
    _, listed = _example()
    missing = _read_settings() - listed
    assert not missing, f".env.example does not list {sorted(missing)}"


def test_the_example_has_the_production_defaults_and_no_secret():
    active, _ = _example()
    assert active["SECRET_KEY"] == ""  # each deployment makes its own
    assert active["DEBUG"] == "0"
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        assert active[name] == "1", name
    assert int(active["SECURE_HSTS_SECONDS"]) >= 31536000
    assert active["SITE_URL"].startswith("https://")


def test_check_deploy_passes_with_the_example(tmp_path):
    active, _ = _example()
    env = {**active, "SECRET_KEY": secrets.token_urlsafe(50), "STRATEGYHUB_DATA_DIR": str(tmp_path)}
    result = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert _settings(
        env,
        "(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.DEBUG)",
    ) == repr((True, True, True, 31536000, ("HTTP_X_FORWARDED_PROTO", "https"), False))


def test_cache_and_broker_default_to_redis_url_and_can_be_separate():
    base = {"SECRET_KEY": "k" * 60, "REDIS_URL": "redis://shared:6379/0"}
    expression = (
        "(s.CACHES['default']['LOCATION'], s.CACHES['invalidation']['LOCATION'], "
        "s.CELERY_BROKER_URL)"
    )
    shared = "redis://shared:6379/0"
    assert _settings(base, expression) == repr((shared, shared, shared))
    # compose passes an unset variable as an empty one: still the default.
    assert _settings({**base, "CACHE_URL": "", "CELERY_BROKER_URL": ""}, expression) == repr(
        (shared, shared, shared)
    )
    separate = {
        **base,
        "CACHE_URL": "redis://cache:6379/1",
        "CELERY_BROKER_URL": "redis://q:6379/2",
    }
    assert _settings(separate, expression) == repr(
        ("redis://cache:6379/1", "redis://cache:6379/1", "redis://q:6379/2")
    )
    # A broker without a cache (or the reverse) is a configuration of its own.
    only_broker = {"SECRET_KEY": "k" * 60, "CELERY_BROKER_URL": "redis://q:6379/2"}
    assert _settings(
        only_broker,
        "(s.CACHES['default']['BACKEND'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER)",
    ) == repr(("django.core.cache.backends.locmem.LocMemCache", "redis://q:6379/2", False))
    bad = _run({**base, "CELERY_BROKER_URL": "amqp://rabbit"}, "check")
    assert bad.returncode != 0 and "CELERY_BROKER_URL" in bad.stderr
    bad = _run({**base, "CACHE_URL": "memcached://m"}, "check")
    assert bad.returncode != 0 and "CACHE_URL" in bad.stderr


def test_pgbouncer_transaction_mode_by_settings_alone():
    env = {
        "SECRET_KEY": "k" * 60,
        "DATABASE_URL": "postgres://u:p@pgbouncer:6432/strategyhub",
        "DATABASE_CONN_MAX_AGE": "0",
        "DATABASE_PREPARE_THRESHOLD": "off",
        "DATABASE_DISABLE_SERVER_SIDE_CURSORS": "1",
    }
    db = "s.DATABASES['default']"
    assert _settings(
        env,
        f"({db}['CONN_MAX_AGE'], {db}['DISABLE_SERVER_SIDE_CURSORS'], "
        f"'server_side_binding' in {db}['OPTIONS'], {db}['OPTIONS']['connect_timeout'])",
    ) == repr((0, True, False, 5))
    default = {"SECRET_KEY": "k" * 60, "DATABASE_URL": "postgres://u:p@db:5432/strategyhub"}
    assert _settings(
        default,
        f"({db}['CONN_MAX_AGE'], {db}.get('DISABLE_SERVER_SIDE_CURSORS', False), "
        f"{db}['OPTIONS']['prepare_threshold'])",
    ) == repr((60, False, 5))
