"""One agency's objects for the API tests (A's and B's alike), with their ids."""

import datetime as dt
from decimal import Decimal as D

from django_scopes import scopes_disabled

from scorecards.models import MeasureValue
from tests.factories import (
    CheckInFactory,
    CycleFactory,
    KeyResultFactory,
    MeasureFactory,
    OkrObjectiveFactory,
    StrategicObjectiveFactory,
    StrategicPlanFactory,
)


def build(personas) -> dict[str, int]:
    """A plan with an objective and an entered measure (owned by the contributor, in the
    team), a quarter with an OKR and a key result owned by the contributor."""
    organization = personas.org
    with scopes_disabled():
        plan = StrategicPlanFactory(organization=organization)
        objective = StrategicObjectiveFactory(plan=plan, owner=personas.editor)
        measure = MeasureFactory(
            objective=objective, owner=personas.contributor, org_unit=personas.team
        )
        MeasureValue.objects.create(
            organization=organization, measure=measure, period=dt.date(2026, 9, 1), value=D(110)
        )
        cycle = CycleFactory(organization=organization)
        okr = OkrObjectiveFactory(cycle=cycle, owner=personas.contributor, unit=personas.team)
        key_result = KeyResultFactory(objective=okr, owner=personas.contributor)
        checkin = CheckInFactory(key_result=key_result, author=personas.contributor)
    return {
        "plan": plan.pk,
        "objective": objective.pk,
        "measure": measure.pk,
        "cycle": cycle.pk,
        "okr": okr.pk,
        "key_result": key_result.pk,
        "checkin": checkin.pk,
        "unit": personas.team.pk,
    }
