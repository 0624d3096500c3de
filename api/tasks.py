"""The API's periodic work (Celery beat, ``CELERY_BEAT_SCHEDULE``)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone
from django_scopes import scopes_disabled  # type: ignore[import-untyped]  # no type hints

from api.models import TOMBSTONE_DAYS, Tombstone


def prune(now: dt.datetime | None = None) -> int:
    """Delete the tombstones older than :data:`TOMBSTONE_DAYS` (every agency): a feed whose
    last run is older than that reads everything again (docs/api.md)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=TOMBSTONE_DAYS)
    with scopes_disabled():
        deleted, _ = Tombstone.objects.filter(deleted_at__lt=cutoff).delete()
    return deleted


@shared_task(name="api.tasks.prune_tombstones")
def prune_tombstones() -> int:
    """Daily (beat): forget the tombstones older than the retention; how many went."""
    return prune()
