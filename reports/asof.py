"""The data as it stood at a moment, read from the history that is kept
(django-simple-history), a fixed number of queries whatever the agency's size.

``as_of(Model, organization_id, moment)`` returns the latest historical version of every row
of ``Model`` recorded at or before ``moment`` and not deleted by then, in one query: the
newest history row per id is found with a grouped subquery (portable to SQLite, unlike
PostgreSQL's DISTINCT ON). Historical rows carry the model's fields, so callers read them like
the model (``version.owner_id``, ``version.target_value``).

``as_of_or_first`` adds, for rows first recorded after ``moment``, their first recorded
version: an agency that typed its plan in after the period (onboarding, a backfill) still
gets its report, and the caller decides which of those rows belong (a measure whose
baseline date is after the period did not exist then).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, Min, Model, QuerySet


def history_model(model: type[Model]) -> Any:
    return model.history.model  # type: ignore[attr-defined]  # added by HistoricalRecords


def versions_as_of(
    model: type[Model], organization_id: int, moment: dt.datetime, **filters: Any
) -> QuerySet[Any]:
    """The newest version per row of ``model`` at ``moment`` (deleted rows left out)."""
    historical = history_model(model)
    scoped = historical.objects.filter(
        organization_id=organization_id, history_date__lte=moment, **filters
    )
    newest = scoped.values("id").annotate(newest=Max("history_id")).values("newest")
    return historical.objects.filter(history_id__in=newest).exclude(history_type="-")


def as_of(
    model: type[Model], organization_id: int, moment: dt.datetime, **filters: Any
) -> dict[int, Any]:
    """``versions_as_of`` keyed by the row's id."""
    return {v.id: v for v in versions_as_of(model, organization_id, moment, **filters)}


def as_of_or_first(
    model: type[Model], organization_id: int, moment: dt.datetime, **filters: Any
) -> dict[int, Any]:
    """``as_of``, plus the first recorded version of every row with no history by
    ``moment`` (two queries)."""
    found = as_of(model, organization_id, moment, **filters)
    historical = history_model(model)
    earlier = historical.objects.filter(
        organization_id=organization_id, history_date__lte=moment, **filters
    ).values("id")
    later = (
        historical.objects.filter(
            organization_id=organization_id, history_date__gt=moment, **filters
        )
        .exclude(id__in=earlier)
        .values("id")
        .annotate(first=Min("history_id"))
        .values("first")
    )
    for version in historical.objects.filter(history_id__in=later).exclude(history_type="-"):
        version.recorded_later = True
        found[version.id] = version
    return found
