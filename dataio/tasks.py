"""The app's background work, where a worker's autodiscovery looks (``<app>.tasks``): the
import's tasks are declared in ``dataio.importing.tasks``."""

from celery import shared_task

from dataio.importing.tasks import preview_import, run_import

__all__ = ["expire_unconfirmed_imports", "preview_import", "run_import"]


@shared_task(name="dataio.tasks.expire_unconfirmed_imports")
def expire_unconfirmed_imports() -> int:
    """Hourly (beat): uploads previewed or failed and not confirmed within a day are
    expired and their files deleted (``dataio.importing.run.expire_unconfirmed``)."""
    from dataio.importing import run as runs

    return runs.expire_unconfirmed()
