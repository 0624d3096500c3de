"""A perspective page's status counts cover every live measure of the perspective's live
objectives, on every page of objectives, and nothing of the other perspectives (read for
the perspective's objectives only, issue 17)."""

import datetime as dt
from collections import Counter
from decimal import Decimal as D

import pytest
from django_scopes import scope

from scorecards.models import Measure, StrategicObjective
from scorecards.queries import OBJECTIVES_PER_PERSPECTIVE_PAGE, perspective_page
from scorecards.summary import measure_rows

pytestmark = pytest.mark.usefixtures("clock")


def _measure(org, objective, name, **extra):
    return Measure.objects.create(
        organization=org,
        objective=objective,
        name=name,
        baseline_value=D(1),
        baseline_date=dt.date(2026, 6, 30),
        target_value=D(2),
        **extra,
    )


@pytest.mark.parametrize("page", [1, 2])
def test_the_counts_are_the_perspectives_own(org_a, plan_a, measure_a, page):
    org = org_a.org
    with scope(organization=org):
        first, second = list(plan_a.perspectives.order_by("order", "pk"))[:2]
        # More objectives than a page holds, each with a measure: the counts cover all.
        for index in range(OBJECTIVES_PER_PERSPECTIVE_PAGE + 2):
            objective = StrategicObjective.objects.create(
                organization=org, plan=plan_a, perspective=first, title=f"Objective {index}"
            )
            _measure(org, objective, f"Measure {index}")
        archived = StrategicObjective.objects.create(
            organization=org,
            plan=plan_a,
            perspective=first,
            title="Archived",
            archived_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        )
        _measure(org, archived, "Of an archived objective")
        _measure(
            org,
            measure_a.objective,
            "Archived measure",
            archived_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        )
        elsewhere = StrategicObjective.objects.create(
            organization=org, plan=plan_a, perspective=second, title="Elsewhere"
        )
        _measure(org, elsewhere, "In another perspective")
        today = org.today()
        found = perspective_page(plan_a, first.pk, org, today, page=page)
        assert found is not None
        live = set(
            StrategicObjective.objects.filter(perspective=first, archived_at=None).values_list(
                "pk", flat=True
            )
        )
        expected = Counter(
            row.status for row in measure_rows(plan_a, today) if row.objective_id in live
        )
    assert found.status_counts == dict(expected)
    assert sum(found.status_counts.values()) == OBJECTIVES_PER_PERSPECTIVE_PAGE + 3
