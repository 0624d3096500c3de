"""The strategic layer: plans (with their perspectives), objectives, measures, values."""

import datetime as dt
from decimal import Decimal as D

import factory

from scorecards.models import Measure, MeasureValue, PlanStatus, StrategicObjective, StrategicPlan
from scorecards.plans import create_plan
from tests.factories._tenant import TenantFactory, in_same_organization


class StrategicPlanFactory(TenantFactory):
    """An active five-year plan from FY 2026, made by ``create_plan`` so that it has the
    agency's preset perspectives like every plan the product makes."""

    class Meta:
        model = StrategicPlan

    title = factory.Sequence(lambda n: f"Strategic Plan {n}")
    mission = "Serve the residents."
    vision = "Residents well served."
    first_fiscal_year = 2026
    status = PlanStatus.ACTIVE

    @classmethod
    def _create(cls, model_class, *args, organization, **kwargs):
        return create_plan(organization, **kwargs)


class StrategicObjectiveFactory(TenantFactory):
    """An objective in the plan's first perspective."""

    class Meta:
        model = StrategicObjective

    _tenant_parent = "plan"

    plan = in_same_organization("tests.factories.scorecards.StrategicPlanFactory")
    perspective = factory.LazyAttribute(lambda o: o.plan.perspectives.order_by("order").first())
    title = factory.Sequence(lambda n: f"Strategic objective {n}")


class MeasureFactory(TenantFactory):
    """A higher-is-better number measure entered by hand: baseline 100 on 30 June 2026,
    five-year target 150."""

    class Meta:
        model = Measure

    _tenant_parent = "objective"

    objective = in_same_organization("tests.factories.scorecards.StrategicObjectiveFactory")
    name = factory.Sequence(lambda n: f"Measure {n}")
    baseline_value = D(100)
    baseline_date = dt.date(2026, 6, 30)
    target_value = D(150)
    tolerance = D(5)


class MeasureValueFactory(TenantFactory):
    """One entered value (the row only; ``measures.record_value`` is the product's way)."""

    class Meta:
        model = MeasureValue

    _tenant_parent = "measure"

    measure = in_same_organization("tests.factories.scorecards.MeasureFactory")
    period = dt.date(2026, 9, 1)
    value = D(110)
