"""Publishing, unpublishing and reading publications."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from publicdash import fastpath
from publicdash.models import Publication, PublicationEvent, PublicSite
from publicdash.snapshot import build_document
from strategyhub.models import Organization, User


def site_for(organization: Organization) -> PublicSite:
    site, _ = PublicSite.objects.get_or_create(organization=organization)
    return site


def preview(organization: Organization) -> dict:
    """Exactly what residents would see if published now (nothing is stored)."""
    site = site_for(organization)
    last = Publication.objects.aggregate(v=Max("version"))["v"] or 0
    return build_document(organization, include_okrs=site.include_okrs, version=last + 1)


@transaction.atomic
def publish(organization: Organization, by: User | None, scheduled: bool = False) -> Publication:
    site = PublicSite.objects.select_for_update().get(pk=site_for(organization).pk)
    last = Publication.objects.aggregate(v=Max("version"))["v"] or 0
    document = build_document(organization, include_okrs=site.include_okrs, version=last + 1)
    publication = Publication.objects.create(
        organization=organization, version=last + 1, document=document, published_by=by,
        scheduled=scheduled,
    )  # fmt: skip
    if not site.is_published:
        site.is_published = True
        site.save(update_fields=["is_published"])
    fastpath.mark_live(organization.slug, publication.pk)  # at once, and again on commit
    transaction.on_commit(lambda: fastpath.mark_live(organization.slug, publication.pk))
    PublicationEvent.objects.create(
        organization=organization, action="published", by=by,
        detail=f"Version {publication.version}" + (" (scheduled)" if scheduled else ""),
    )  # fmt: skip
    return publication


@transaction.atomic
def unpublish(organization: Organization, by: User) -> None:
    site = site_for(organization)
    site.is_published = False
    site.save(update_fields=["is_published"])
    fastpath.mark_down(organization.slug)
    transaction.on_commit(lambda: fastpath.mark_down(organization.slug))
    PublicationEvent.objects.create(organization=organization, action="unpublished", by=by)


def published(organization: Organization, version: int | None = None) -> Publication | None:
    """The publication residents see (the latest, or an earlier version), or None when the
    agency is not published."""
    if not PublicSite.objects.filter(organization=organization, is_published=True).exists():
        return None
    publications = Publication.objects.filter(organization=organization)
    if version is not None:
        return publications.filter(version=version).first()
    return publications.order_by("-version").first()
