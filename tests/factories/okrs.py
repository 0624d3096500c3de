"""The execution layer: cycles, OKR objectives, key results, check-ins."""

import datetime as dt
from decimal import Decimal as D

import factory

from okrs.models import CheckIn, Cycle, CycleKind, CycleStatus, KeyResult, OkrLevel, OkrObjective
from strategyhub import fiscal
from strategyhub.roles import Role
from tests.factories._tenant import TenantFactory, in_same_organization
from tests.factories.tenancy import MembershipFactory


class CycleFactory(TenantFactory):
    """An active quarter (Q2 of FY 2026 by default), its dates from the agency's fiscal
    calendar; got or created, since an agency has one cycle per period."""

    class Meta:
        model = Cycle
        django_get_or_create = ["organization", "kind", "fiscal_year", "quarter"]

    kind = CycleKind.QUARTER
    fiscal_year = 2026
    quarter = 2
    status = CycleStatus.ACTIVE
    start = factory.LazyAttribute(lambda o: _bounds(o).start)
    end = factory.LazyAttribute(lambda o: _bounds(o).end)


def _bounds(cycle) -> fiscal.FiscalYear | fiscal.FiscalQuarter:
    year = fiscal.fiscal_year(cycle.fiscal_year, cycle.organization.fiscal_year_start_month)
    return year if cycle.quarter is None else year.quarter(cycle.quarter)


class OkrObjectiveFactory(TenantFactory):
    """A team-level objective (the level that needs no strategic objective)."""

    class Meta:
        model = OkrObjective

    _tenant_parent = "cycle"

    cycle = in_same_organization("tests.factories.okrs.CycleFactory")
    level = OkrLevel.TEAM
    title = factory.Sequence(lambda n: f"OKR objective {n}")


class KeyResultFactory(TenantFactory):
    """A metric key result from 0 to 100."""

    class Meta:
        model = KeyResult

    _tenant_parent = "objective"

    objective = in_same_organization("tests.factories.okrs.OkrObjectiveFactory")
    title = factory.Sequence(lambda n: f"Key result {n}")
    kind = "metric"
    start_value = D(0)
    target_value = D(100)


class CheckInFactory(TenantFactory):
    """One check-in row (the row only; ``checkins.record`` is the product's way, which also
    updates the key result's current value and the roll-up), by a new contributor of the
    agency unless ``author`` is given."""

    class Meta:
        model = CheckIn

    _tenant_parent = "key_result"

    key_result = in_same_organization("tests.factories.okrs.KeyResultFactory")
    as_of = dt.date(2026, 11, 16)
    value = D(40)
    confidence = 7
    author = factory.LazyAttribute(
        lambda o: MembershipFactory(organization=o.organization, role=Role.CONTRIBUTOR).user
    )
