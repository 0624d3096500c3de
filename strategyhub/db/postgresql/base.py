"""Django's postgresql backend; the operations' compiler module differs, and timestamps are
read by psycopg's own C loader where that gives exactly Django's value.

Django reads every ``timestamptz`` through a Python subclass of psycopg's *pure-Python*
loader (to stamp it with Django's time zone), which parses each value with a regular
expression: 2.2 s of the 5.3 s full roll-up recompute of the large agency went to the
creation times of its 145,000 check-ins (3 December). With Django's time zone UTC (USE_TZ,
no database TIME_ZONE) and the session's ``TimeZone`` UTC (Django sets it on connecting),
psycopg's C loader returns the same aware datetimes, in ``datetime.timezone.utc``: each
cursor then uses it. Any other set-up keeps Django's loader."""

import datetime as dt

from django.db.backends.postgresql import base
from psycopg.postgres import types

try:  # psycopg's C implementation (psycopg[binary] or [c]), as the lock file installs
    from psycopg._cmodule import _psycopg
except ImportError:  # pragma: no cover - the pure-Python psycopg keeps Django's loader
    _psycopg = None

TIMESTAMPTZ_OID = types["timestamptz"].oid
FAST_TIMESTAMPTZ = getattr(_psycopg, "TimestamptzLoader", None)


class DatabaseOperations(base.DatabaseOperations):
    compiler_module = "strategyhub.db.postgresql.compiler"


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def create_cursor(self, name=None):
        cursor = super().create_cursor(name)
        if (
            FAST_TIMESTAMPTZ is not None
            and self.timezone is dt.UTC
            and self.connection.pgconn.parameter_status(b"TimeZone") == b"UTC"
        ):
            cursor.adapters.register_loader(TIMESTAMPTZ_OID, FAST_TIMESTAMPTZ)
        return cursor
