"""Publishing as writes: publish a new edition (by an admin or on the schedule), take the
public pages down, save the publishing options; each logged as a publication event.

The fast path (``fastpath.py``) is told at once and again on commit, so residents see the
change immediately and a rolled-back publication is not announced."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django_scopes import scope  # type: ignore[import-untyped]  # ships no type hints

from publicdash import fastpath
from publicdash.models import Publication, PublicationEvent, PublicSite, Schedule
from publicdash.snapshot import build_document
from strategyhub import fiscal
from strategyhub.models import Organization, User


def site_for(organization: Organization) -> PublicSite:
    site, _ = PublicSite.objects.get_or_create(organization=organization)
    return site


@transaction.atomic
def publish(organization: Organization, by: User | None, scheduled: bool = False) -> Publication:
    site = PublicSite.objects.select_for_update().get(pk=site_for(organization).pk)
    last = Publication.objects.aggregate(v=Max("version"))["v"] or 0
    document = build_document(organization, include_okrs=site.include_okrs, version=last + 1)
    publication = Publication.objects.create(
        organization=organization,
        version=last + 1,
        document=document,
        published_by=by,
        scheduled=scheduled,
    )
    if not site.is_published:
        site.is_published = True
        site.save(update_fields=["is_published"])
    fastpath.mark_live(organization.slug, publication.pk)  # at once, and again on commit
    transaction.on_commit(lambda: fastpath.mark_live(organization.slug, publication.pk))
    PublicationEvent.objects.create(
        organization=organization,
        action="published",
        by=by,
        detail=f"Version {publication.version}" + (" (scheduled)" if scheduled else ""),
    )
    return publication


@transaction.atomic
def unpublish(organization: Organization, by: User) -> None:
    site = site_for(organization)
    site.is_published = False
    site.save(update_fields=["is_published"])
    fastpath.mark_down(organization.slug)
    transaction.on_commit(lambda: fastpath.mark_down(organization.slug))
    PublicationEvent.objects.create(organization=organization, action="unpublished", by=by)


@transaction.atomic
def save_options(organization: Organization, site: PublicSite, by: User) -> None:
    """Save the (validated, changed) options of ``site`` and log them."""
    site.save()
    PublicationEvent.objects.create(
        organization=organization,
        action="settings",
        by=by,
        detail=f"OKRs {'on' if site.include_okrs else 'off'}; schedule "
        f"{site.get_schedule_display().lower()}",
    )


# --- On a schedule --------------------------------------------------------------------------


def due(site: PublicSite, today: dt.date) -> bool:
    """Monthly: once in each calendar month; quarterly: once in each fiscal quarter."""
    if not site.schedule or not site.is_published:
        return False
    frequency = (
        fiscal.Frequency.MONTHLY
        if site.schedule == Schedule.MONTHLY
        else (fiscal.Frequency.QUARTERLY)
    )
    start = fiscal.period_start(today, frequency, site.organization.fiscal_year_start_month)
    return site.last_scheduled_run is None or site.last_scheduled_run < start


def organizations_due_for_publication() -> list[int]:
    """Active agencies whose scheduled publication is due today (in their time zone)."""
    ids = []
    for organization in Organization.objects.filter(is_active=True):
        with scope(organization=organization):
            site = PublicSite.objects.filter(organization=organization).first()
            if site is not None and due(site, organization.today()):
                ids.append(organization.pk)
    return ids


def publish_on_schedule(organization: Organization) -> int | None:
    """Publish the scheduled edition if it is still due; the new version, or None. The run
    is claimed first (conditional UPDATE), so a duplicate task publishes nothing."""
    today = organization.today()
    site = PublicSite.objects.get(organization=organization)
    if not due(site, today):
        return None
    claimed = PublicSite.objects.filter(
        pk=site.pk, last_scheduled_run=site.last_scheduled_run
    ).update(last_scheduled_run=today)
    if claimed != 1:
        return None
    return publish(organization, by=None, scheduled=True).version
