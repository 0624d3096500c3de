"""Typed readers for configuration from environment variables.

Every reader fails at start-up with ``ImproperlyConfigured`` naming the variable when the
value is malformed, so a typo in production is a clear message rather than a silent default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "", environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    return environ.get(name, default)


def env_bool(name: str, default: bool = False, environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    if name not in environ:
        return default
    value = environ[name].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be a boolean (one of 1/0, true/false, yes/no, on/off), got {environ[name]!r}."
    )


def env_int(
    name: str,
    default: int,
    environ: Mapping[str, str] | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    environ = os.environ if environ is None else environ
    if name not in environ or environ[name].strip() == "":
        return default
    try:
        value = int(environ[name].strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, got {environ[name]!r}."
        ) from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}.")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {value}.")
    return value


def env_int_or_off(
    name: str, default: int | None, environ: Mapping[str, str] | None = None
) -> int | None:
    """A whole number of at least 0, or None when the variable says off (or false/no)."""
    environ = os.environ if environ is None else environ
    if environ.get(name, "").strip().lower() in {"off", "false", "no"}:
        return None
    try:
        return env_int(name, default, environ, minimum=0)
    except ImproperlyConfigured:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of at least 0, or off; got {environ[name]!r}."
        ) from None


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    environ = os.environ if environ is None else environ
    if name not in environ:
        return list(default)
    return [item.strip() for item in environ[name].split(",") if item.strip()]


def parse_database_url(
    name: str,
    value: str,
    prepare_threshold: int | None = None,
    conn_max_age: int = 60,
    connect_timeout: int | None = None,
    disable_server_side_cursors: bool = False,
) -> dict:
    """Turn a DATABASE_URL into Django's DATABASES entry, naming the variable on error.

    ``conn_max_age`` keeps a connection for that many seconds (0: one per request, as behind
    PgBouncer in transaction mode, which pools them itself); ``connect_timeout`` bounds how
    long PostgreSQL may take to answer a new connection (a hung or black-holed server must
    not hold a request, or the readiness probe, for the operating system's minutes);
    ``disable_server_side_cursors`` is what Django needs behind a transaction-mode pooler.

    With ``prepare_threshold`` on PostgreSQL, parameters are bound on the server, so psycopg
    prepares a query once it has run that many times on a connection and PostgreSQL parses
    and plans it only once (about 0.1 ms a query here); None keeps Django's default
    (client-side binding, nothing prepared), which a transaction-mode pooler needs."""
    import dj_database_url

    if not value.startswith(("postgres://", "postgresql://", "sqlite://", "pgsql://")):
        raise ImproperlyConfigured(f"{name} must be a postgres:// or sqlite:// URL, got {value!r}.")
    try:
        config = dj_database_url.parse(value, conn_max_age=conn_max_age, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several types for malformed URLs
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from exc
    # Django's backend with the project's SELECT compiler (strategyhub/db/shapes.py).
    config["ENGINE"] = PROJECT_BACKENDS.get(config["ENGINE"], config["ENGINE"])
    if config["ENGINE"].endswith("postgresql"):
        if connect_timeout is not None:
            config["OPTIONS"] = {**config.get("OPTIONS", {}), "connect_timeout": connect_timeout}
        if disable_server_side_cursors:
            config["DISABLE_SERVER_SIDE_CURSORS"] = True
    if prepare_threshold is not None and config["ENGINE"].endswith("postgresql"):
        config["OPTIONS"] = {
            **config.get("OPTIONS", {}),
            "server_side_binding": True,
            "prepare_threshold": prepare_threshold,
        }
    return config


PROJECT_BACKENDS = {
    "django.db.backends.postgresql": "strategyhub.db.postgresql",
    "django.db.backends.sqlite3": "strategyhub.db.sqlite3",
}


def check_redis_url(name: str, value: str) -> str:
    if not value.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"{name} must be a redis://, rediss:// or unix:// URL, got {value!r}."
        )
    return value
