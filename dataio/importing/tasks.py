"""The import's background work: ids in, a service call (``dataio.importing.run``)."""

from __future__ import annotations

from celery import shared_task

from dataio.importing import run as runs
from dataio.models import ImportRun
from strategyhub.background import TenantTask


@shared_task(base=TenantTask, name="dataio.preview_import")
def preview_import(*, organization_id: int, run_id: int) -> str:
    """The dry run of an uploaded workbook (its preview and every problem)."""
    run = ImportRun.objects.select_related("organization", "created_by").get(pk=run_id)
    runs.preview(run)
    return run.state


@shared_task(base=TenantTask, name="dataio.run_import")
def run_import(*, organization_id: int, run_id: int) -> str:
    """The confirmed import, all or nothing."""
    run = ImportRun.objects.select_related("organization", "confirmed_by").get(pk=run_id)
    runs.execute(run)
    return run.state
