"""Celery tasks of publishing: thin (ids in, one service call). Scheduled publication
(monthly or quarterly), fanned out per agency; each task keeps its explicit ``name`` (the
beat schedule uses it)."""

from __future__ import annotations

from celery import shared_task

from publicdash import publishing
from strategyhub.background import TenantTask
from strategyhub.models import Organization


@shared_task(name="publicdash.tasks.scheduled_publications")
def scheduled_publications() -> int:
    due = publishing.organizations_due_for_publication()
    for organization_id in due:
        publish_on_schedule.delay(organization_id=organization_id)
    return len(due)


@shared_task(name="publicdash.tasks.publish_on_schedule", base=TenantTask)
def publish_on_schedule(*, organization_id: int) -> int | None:
    return publishing.publish_on_schedule(Organization.objects.get(pk=organization_id))
