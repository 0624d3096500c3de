"""Timestamps read by psycopg's C loader (strategyhub/db/postgresql/base.py): the same aware
datetimes as Django's own loader, and Django's loader wherever the two could differ."""

import datetime as dt

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader

from tests.conftest import needs_service

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 12, 3, 11, 44, 16, 182134, tzinfo=dt.UTC)


@pytest.fixture
def postgres():
    needs_service(connection.vendor == "postgresql", "PostgreSQL")
    from strategyhub.db.postgresql.base import FAST_TIMESTAMPTZ

    return FAST_TIMESTAMPTZ


def _read(cursor):
    cursor.execute(
        "SELECT %s::timestamptz, '2026-01-31 23:59:59.5+05:30'::timestamptz, "
        "'0001-01-01 00:00:00+00'::timestamptz",
        [MOMENT],
    )
    return cursor.fetchone()


def test_the_c_loader_gives_djangos_values(postgres):
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(1184, 0)
        assert loader is postgres
        fast = _read(cursor)
    with connection.cursor() as cursor:
        cursor.cursor.adapters.register_loader(
            1184, connection.connection.adapters.get_loader(1184, 0)
        )
        assert issubclass(cursor.cursor.adapters.get_loader(1184, 0), BaseTzLoader)
        django_values = _read(cursor)
    assert fast == django_values
    assert fast[0] == MOMENT and fast[1] == dt.datetime(
        2026, 1, 31, 18, 29, 59, 500000, tzinfo=dt.UTC
    )
    assert all(value.tzinfo is dt.UTC for value in fast)


def test_another_session_time_zone_keeps_djangos_loader(postgres):
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'America/Chicago'")
    try:
        with connection.cursor() as cursor:
            assert cursor.cursor.adapters.get_loader(1184, 0) is not postgres
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
