"""Scheduled publication (monthly or quarterly), fanned out per agency."""

from __future__ import annotations

from celery import shared_task
from django_scopes import scope

from publicdash.models import PublicSite, Schedule
from publicdash.services import publish
from scorecards import calc
from strategyhub.celery import TenantTask
from strategyhub.models import Organization


def due(site: PublicSite, today) -> bool:
    """Monthly: once in each calendar month; quarterly: once in each fiscal quarter."""
    if not site.schedule or not site.is_published:
        return False
    frequency = (
        calc.Frequency.MONTHLY if site.schedule == Schedule.MONTHLY else (calc.Frequency.QUARTERLY)
    )
    start = calc.period_start(today, frequency, site.organization.fiscal_year_start_month)
    return site.last_scheduled_run is None or site.last_scheduled_run < start


@shared_task
def scheduled_publications() -> int:
    count = 0
    for organization in Organization.objects.filter(is_active=True):
        with scope(organization=organization):
            site = PublicSite.objects.filter(organization=organization).first()
            if site is not None and due(site, organization.today()):
                publish_on_schedule.delay(organization_id=organization.pk)
                count += 1
    return count


@shared_task(base=TenantTask)
def publish_on_schedule(*, organization_id: int) -> int | None:
    organization = Organization.objects.get(pk=organization_id)
    today = organization.today()
    # Claim the run first (conditional UPDATE), so a duplicate task publishes nothing.
    site = PublicSite.objects.get(organization=organization)
    if not due(site, today):
        return None
    claimed = PublicSite.objects.filter(
        pk=site.pk, last_scheduled_run=site.last_scheduled_run
    ).update(last_scheduled_run=today)
    if claimed != 1:
        return None
    return publish(organization, by=None, scheduled=True).version
