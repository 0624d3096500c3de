"""Update times for the API's incremental feeds (``updated_since``, docs/api.md).

Every model the API exposes derives from :class:`Stamped`: an indexed ``updated_at`` that
every write path moves, so that a feed asking for the rows changed since its last run
misses none. The paths Django leaves out are closed here, in one place:

- ``save(update_fields=[...])`` (archive, restore, review, role changes) writes
  ``updated_at`` too;
- ``QuerySet.update()`` (roll-ups, cycle activation, scores) sets it unless the caller does;
- ``QuerySet.bulk_update()`` (the bulk roll-up, the generators) stamps every object and
  writes the column with the others.

``bulk_create`` already fills ``auto_now`` fields. Receivers that look at ``update_fields``
ignore ``updated_at`` (:data:`STAMP_FIELDS`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager  # type: ignore[import-untyped]  # no type hints

STAMP_FIELDS = frozenset({"updated_at"})


class StampedQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        kwargs.setdefault("updated_at", timezone.now())
        return super().update(**kwargs)

    def bulk_update(
        self, objs: Iterable[Any], fields: Iterable[str], batch_size: int | None = None
    ) -> int:
        objs, fields = list(objs), list(fields)
        if "updated_at" not in fields:
            now = timezone.now()
            for obj in objs:
                obj.updated_at = now
            fields.append("updated_at")
        return super().bulk_update(objs, fields, batch_size=batch_size)


class Stamped(models.Model):
    """A row the API's incremental feeds follow: every write moves ``updated_at``."""

    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ScopedManager(  # type: ignore[django-manager-missing]  # built at run time
        organization="organization", _manager_class=models.Manager.from_queryset(StampedQuerySet)
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields:  # an empty list saves nothing, as Django means it
            kwargs["update_fields"] = {*update_fields, *STAMP_FIELDS}
        super().save(*args, **kwargs)
