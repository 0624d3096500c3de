import datetime as dt
from decimal import Decimal as D

import pytest

from okrs.cycles import ensure_cycles
from okrs.models import KeyResult, OkrObjective
from scorecards.models import Measure, ValueSource

# The fixtures' key results were planned before their quarter (Oct–Dec 2026), so weekly
# check-ins are expected from its start (``KeyResult.checkins_expected_from``).
PLANNED = dt.datetime(2026, 9, 30, 12, tzinfo=dt.UTC)


@pytest.fixture
def quarter(org_a):
    cycles = ensure_cycles(org_a.org, 2026)
    q2 = cycles[2]  # [annual, Q1, Q2, ...]: Q2 FY 2026 = October–December 2026
    q2.status = "active"
    q2.save()
    return q2


@pytest.fixture
def okr(org_a, quarter, objective_a):
    return OkrObjective.objects.create(
        organization=org_a.org,
        cycle=quarter,
        level="unit",
        unit=org_a.unit,
        owner=org_a.editor,
        title="Faster emergency response",
        strategic_objective=objective_a,
    )


@pytest.fixture
def response_measure(org_a, objective_a):
    """A calculated, lower-is-better duration measure fed by key results."""
    return Measure.objects.create(
        organization=org_a.org,
        objective=objective_a,
        name="Average response time",
        unit_kind="minutes",
        decimals=1,
        polarity="lower",
        baseline_value=D("9.2"),
        baseline_date=dt.date(2026, 6, 30),
        target_value=D("7.0"),
        tolerance=D("0.3"),
        value_source=ValueSource.CALCULATED,
        rollup_method="mean",
    )


@pytest.fixture
def kr_response(org_a, okr, response_measure):
    return KeyResult.objects.create(
        organization=org_a.org,
        objective=okr,
        title="Respond to serious incidents in under 8 min",
        owner=org_a.contributor,
        kind="metric",
        unit_kind="minutes",
        start_value=D("9.2"),
        target_value=D("8.0"),
        measure=response_measure,
        created_at=PLANNED,
    )


@pytest.fixture
def kr_patrols(org_a, okr):
    return KeyResult.objects.create(
        organization=org_a.org,
        objective=okr,
        title="Increase foot patrols by 40%",
        owner=org_a.contributor,
        kind="metric",
        unit_kind="number",
        decimals=0,
        start_value=D(100),
        target_value=D(140),
        order=1,
        created_at=PLANNED,
    )
