"""Scheduled work of the execution layer."""

from __future__ import annotations

from celery import shared_task

from okrs.cycles import ensure_current_and_next
from strategyhub.background import TenantTask
from strategyhub.models import Organization


@shared_task(base=TenantTask, name="okrs.tasks.ensure_agency_cycles")
def ensure_agency_cycles(*, organization_id: int) -> None:
    """This quarter's and next quarter's cycles exist; today's are active. Idempotent."""
    ensure_current_and_next(Organization.objects.get(pk=organization_id))


@shared_task(name="okrs.tasks.ensure_cycles_everywhere")
def ensure_cycles_everywhere() -> int:
    """Daily fan-out: one task per active agency."""
    ids = list(Organization.objects.filter(is_active=True).values_list("pk", flat=True))
    for organization_id in ids:
        ensure_agency_cycles.delay(organization_id=organization_id)
    return len(ids)
