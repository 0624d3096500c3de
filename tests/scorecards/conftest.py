import datetime as dt
from decimal import Decimal as D

import pytest

from scorecards.models import Measure, MeasureValue, PlanStatus, StrategicObjective
from scorecards.services import create_plan


@pytest.fixture
def plan_a(agency_a):
    plan = create_plan(
        agency_a.org, title="Alpha Plan", mission="Serve.", vision="Served.",
        first_fiscal_year=2026, status=PlanStatus.ACTIVE,
    )  # fmt: skip
    return plan


@pytest.fixture
def objective_a(agency_a, plan_a):
    return StrategicObjective.objects.create(
        organization=agency_a.org, plan=plan_a, perspective=plan_a.perspectives.first(),
        title="Reduce violent crime", owner=agency_a.editor,
    )  # fmt: skip


@pytest.fixture
def measure_a(agency_a, objective_a):
    """Lower is better, owned by the contributor, in agency A's team."""
    measure = Measure.objects.create(
        organization=agency_a.org, objective=objective_a, name="Violent crime rate",
        unit_kind="rate", rate_per=100000, decimals=0, polarity="lower",
        baseline_value=D(485), baseline_date=dt.date(2026, 6, 30), target_value=D(364),
        tolerance=D(8), owner=agency_a.contributor, unit=agency_a.team,
    )  # fmt: skip
    MeasureValue.objects.create(
        organization=agency_a.org, measure=measure, period=dt.date(2026, 9, 1), value=D(470)
    )
    return measure
