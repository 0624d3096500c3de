"""Each domain factory builds a valid row of one agency."""

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from scorecards.plans import PRESET_PERSPECTIVES
from strategyhub.models import PerspectivePreset
from tests.factories import (
    AlertFactory,
    CheckInFactory,
    CycleFactory,
    KeyResultFactory,
    MeasureFactory,
    MeasureValueFactory,
    MembershipFactory,
    OkrObjectiveFactory,
    OrganizationFactory,
    StrategicObjectiveFactory,
    StrategicPlanFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = [
    StrategicPlanFactory,
    StrategicObjectiveFactory,
    MeasureFactory,
    MeasureValueFactory,
    CycleFactory,
    OkrObjectiveFactory,
    KeyResultFactory,
    CheckInFactory,
]


def _parents(row):
    """The tenant rows ``row`` links to (plan, objective, measure, cycle, key result…)."""
    return [
        getattr(row, field.name)
        for field, _ in row.tenant_links()
        if getattr(row, field.attname) is not None
    ]


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_builds_a_valid_row_in_one_agency(factory):
    with scopes_disabled():
        organization = OrganizationFactory()
        row = factory(organization=organization)
    with scope(organization=organization):
        row.full_clean()
        assert row.organization == organization
        assert all(parent.organization == organization for parent in _parents(row))


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_with_no_agency_named_one_is_made_for_the_whole_chain(factory):
    with scopes_disabled():
        row = factory()
    with scope(organization=row.organization):
        row.full_clean()
        assert all(parent.organization == row.organization for parent in _parents(row))


def test_a_row_follows_its_parents_agency():
    with scopes_disabled():
        key_result = KeyResultFactory()
        checkin = CheckInFactory(key_result=key_result)
        measure = MeasureFactory()
        value = MeasureValueFactory(measure=measure)
    assert checkin.organization == key_result.organization
    assert value.organization == measure.organization


def test_a_plan_has_its_preset_perspectives():
    with scopes_disabled():
        plan = StrategicPlanFactory()
        preset = PRESET_PERSPECTIVES[PerspectivePreset(plan.organization.perspective_preset)]
        assert [p.name for p in plan.perspectives.order_by("order")] == [n for n, _ in preset]
        assert StrategicObjectiveFactory(plan=plan).perspective.plan == plan


def test_a_parent_from_another_agency_is_refused():
    with scopes_disabled():
        objective = StrategicObjectiveFactory()
        with pytest.raises(ValidationError):
            MeasureFactory(objective=objective, organization=OrganizationFactory())


def test_an_alert_goes_to_a_member():
    with scopes_disabled():
        membership = MembershipFactory()
        alert = AlertFactory(organization=membership.organization, recipient=membership.user)
    with scope(organization=alert.organization):
        alert.full_clean()
