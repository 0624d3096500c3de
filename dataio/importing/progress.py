"""The run's record written where the run page can see it while the import works.

On PostgreSQL the settings give a second connection to the same database,
``dataio_progress``: an update made on it commits at once, outside the import's one
transaction (which holds the agency's rows until it commits or rolls back). Without it
(SQLite, the one-command demo) the default connection is used: the state and the report
are still written before and after the transaction, only the counters inside it wait.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

from dataio.models import ImportRun

ALIAS = "dataio_progress"


def alias() -> str:
    return ALIAS if ALIAS in settings.DATABASES else DEFAULT_DB_ALIAS


def save(run: ImportRun, **fields: Any) -> None:
    """Set ``fields`` on ``run`` and store them at once (outside any open transaction)."""
    for name, value in fields.items():
        setattr(run, name, value)
    ImportRun._base_manager.using(alias()).filter(pk=run.pk).update(**fields)


def reporter(run: ImportRun) -> Callable[[str, int], None]:
    """A ``progress(phase, rows_done)`` callback for ``import_book``."""

    def report(phase: str, rows_done: int) -> None:
        save(run, phase=phase[:120], rows_done=min(rows_done, run.rows_total))

    return report
