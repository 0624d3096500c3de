"""Page reads of publishing: the preview of the next edition, the publication residents
see, and the staff page's history."""

from __future__ import annotations

from django.db.models import Max

from publicdash.models import Publication, PublicationEvent, PublicSite
from publicdash.publishing import site_for
from publicdash.snapshot import build_document
from strategyhub.models import Organization

RECENT_PUBLICATIONS = 20
RECENT_EVENTS = 30


def preview(organization: Organization) -> dict:
    """Exactly what residents would see if published now (nothing is stored)."""
    site = site_for(organization)
    last = Publication.objects.aggregate(v=Max("version"))["v"] or 0
    return build_document(organization, include_okrs=site.include_okrs, version=last + 1)


def published(organization: Organization, version: int | None = None) -> Publication | None:
    """The publication residents see (the latest, or an earlier version), or None when the
    agency is not published."""
    if not PublicSite.objects.filter(organization=organization, is_published=True).exists():
        return None
    publications = Publication.objects.filter(organization=organization)
    if version is not None:
        return publications.filter(version=version).first()
    return publications.order_by("-version").first()


def recent_publications() -> list[Publication]:
    """The agency's latest editions, newest first (the staff page's history)."""
    return list(
        Publication.objects.select_related("published_by").order_by("-version")[
            :RECENT_PUBLICATIONS
        ]
    )


def recent_events() -> list[PublicationEvent]:
    """The agency's latest publishing events (published, unpublished, options changed)."""
    return list(PublicationEvent.objects.select_related("by")[:RECENT_EVENTS])
