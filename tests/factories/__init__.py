"""Factories for test data, by app: ``tenancy`` (agencies, people, units, memberships,
invitations), ``scorecards``, ``okrs``, ``ownership``. The domain factories build rows of
one agency: a row's organization follows its parent (see ``_tenant.TenantFactory``).
Import them from here: ``from tests.factories import MeasureFactory``."""

from tests.factories.okrs import CheckInFactory, CycleFactory, KeyResultFactory, OkrObjectiveFactory
from tests.factories.ownership import AlertFactory
from tests.factories.scorecards import (
    MeasureFactory,
    MeasureValueFactory,
    StrategicObjectiveFactory,
    StrategicPlanFactory,
)
from tests.factories.tenancy import (
    TEST_PASSWORD,
    InvitationFactory,
    MembershipFactory,
    OrganizationFactory,
    UnitFactory,
    UserFactory,
)

__all__ = [
    "TEST_PASSWORD",
    "AlertFactory",
    "CheckInFactory",
    "CycleFactory",
    "InvitationFactory",
    "KeyResultFactory",
    "MeasureFactory",
    "MeasureValueFactory",
    "MembershipFactory",
    "OkrObjectiveFactory",
    "OrganizationFactory",
    "StrategicObjectiveFactory",
    "StrategicPlanFactory",
    "UnitFactory",
    "UserFactory",
]
