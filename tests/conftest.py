"""Shared fixtures: agency A with one member per role, agency B with its own member.

Scopes are disabled while fixtures are set up (as pretix does), so fixtures can create
tenant rows freely; test bodies run with no scope open, exactly like a request that names
no agency, and must open one themselves (``scope(organization=…)``) to query tenant data.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from django.conf import settings
from django_scopes import scopes_disabled

from scorecards.models import Measure, MeasureValue, PlanStatus, StrategicObjective
from scorecards.plans import create_plan
from strategyhub.models import Organization, Unit, User
from strategyhub.roles import Role
from tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    OrganizationFactory,
    UnitFactory,
    UserFactory,
)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    with scopes_disabled():
        return (yield)


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    """SQLite reuses ids after a test's rollback, so a per-process cache must not carry
    pages from one test into the next (Redis keeps its keys; PostgreSQL never reuses ids)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()
    yield


DEFAULT_TODAY = dt.date(2026, 11, 22)  # a Sunday in Q2 of FY 2026 (October–December 2026)


class Clock:
    """The agency-local date a test runs at; see the ``clock`` fixture."""

    def __init__(self, today: dt.date) -> None:
        self.today = today

    def set(self, day: dt.date) -> None:
        """From now on every agency's ``today()`` is ``day``."""
        self.today = day

    def advance(self, days: int) -> dt.date:
        """Move the date ``days`` forward (backward if negative); returns the new date."""
        self.today += dt.timedelta(days=days)
        return self.today


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """The test clock: every agency's local date (``Organization.today()``, which pages,
    services and tasks use for "today") is ``clock.today``, 22 November 2026 by default
    (``DEFAULT_TODAY``: Q2 of FY 2026 for the fixtures' agencies, whose fiscal year starts
    in July). Move it with ``clock.set(date)`` or ``clock.advance(days)``.

    Only the agency-local date is fixed: ``timezone.now()`` (timestamps, expiry times)
    keeps running. Request it explicitly (``def test_x(clock, …)``), or for a whole module
    with ``pytestmark = pytest.mark.usefixtures("clock")``; nothing sets it silently.
    """
    clock = Clock(DEFAULT_TODAY)
    monkeypatch.setattr(Organization, "today", lambda self: clock.today)
    return clock


@dataclass
class OrgPersonas:
    org: Organization
    unit: Unit
    team: Unit
    admin: User
    editor: User
    contributor: User
    viewer: User

    def user(self, role: str) -> User:
        return getattr(self, role)


def make_organization(name: str, slug: str) -> OrgPersonas:
    org = OrganizationFactory(name=name, slug=slug)
    unit = UnitFactory(organization=org, name=f"{name} Department", kind="department")
    team = UnitFactory(organization=org, name=f"{name} Team", parent=unit)
    users = {}
    for role in Role.values:
        user = UserFactory(email=f"{role}@{slug}.test", full_name=f"{role.title()} of {name}")
        MembershipFactory(organization=org, user=user, role=role)
        users[role] = user
    return OrgPersonas(org=org, unit=unit, team=team, **users)


@pytest.fixture
def org_a(db) -> OrgPersonas:
    return make_organization("Agency Alpha", "alpha")


@pytest.fixture
def org_b(db) -> OrgPersonas:
    return make_organization("Agency Beta", "beta")


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def login(client):
    def do(user: User):
        client.force_login(user)
        return client

    return do


@pytest.fixture
def require_services() -> bool:
    return settings.STRATEGYHUB_REQUIRE_SERVICES


def pytest_sessionstart(session):
    """With STRATEGYHUB_REQUIRE_SERVICES (CI), a missing PostgreSQL or Redis stops the run
    as a failure; nothing is skipped for lack of a service."""
    if not settings.STRATEGYHUB_REQUIRE_SERVICES:
        return
    problems = []
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        problems.append("DATABASE_URL does not point at PostgreSQL")
    if not settings.REDIS_URL:
        problems.append("REDIS_URL is not set")
    else:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=3).ping()
        except redis.RedisError as exc:
            problems.append(f"Redis at REDIS_URL does not answer: {exc}")
    if problems:
        pytest.exit("Required services missing: " + "; ".join(problems), returncode=3)


# --- Strategic layer fixtures ------------------------------------------------------------


@pytest.fixture
def plan_a(org_a):
    plan = create_plan(
        org_a.org,
        title="Alpha Plan",
        mission="Serve.",
        vision="Served.",
        first_fiscal_year=2026,
        status=PlanStatus.ACTIVE,
    )
    return plan


@pytest.fixture
def objective_a(org_a, plan_a):
    return StrategicObjective.objects.create(
        organization=org_a.org,
        plan=plan_a,
        perspective=plan_a.perspectives.first(),
        title="Reduce violent crime",
        owner=org_a.editor,
    )


@pytest.fixture
def measure_a(org_a, objective_a):
    """Lower is better, owned by the contributor, in agency A's team."""
    measure = Measure.objects.create(
        organization=org_a.org,
        objective=objective_a,
        name="Violent crime rate",
        unit_kind="rate",
        rate_per=100000,
        decimals=0,
        polarity="lower",
        baseline_value=D(485),
        baseline_date=dt.date(2026, 6, 30),
        target_value=D(364),
        tolerance=D(8),
        owner=org_a.contributor,
        org_unit=org_a.team,
    )
    MeasureValue.objects.create(
        organization=org_a.org, measure=measure, period=dt.date(2026, 9, 1), value=D(470)
    )
    return measure


def needs_service(available: bool, what: str) -> None:
    """For the few tests that need PostgreSQL or Redis themselves (row locks, concurrent
    writers, a real Celery broker): with STRATEGYHUB_REQUIRE_SERVICES (CI) a missing service
    fails the test; on a developer's embedded SQLite run it is skipped with the reason."""
    if available:
        return
    if settings.STRATEGYHUB_REQUIRE_SERVICES:
        pytest.fail(f"{what} is required for this test and is not configured.")
    pytest.skip(f"Needs {what}; runs in CI.")


@pytest.fixture
def cold_pages(settings):
    """Staff pages built from the database on every request, as the first view after a
    change is (with Redis, CI would otherwise count the queries of a cached page)."""
    settings.PAGE_CACHE = False


def clear_worker_cache() -> None:
    """Empty this test worker's cache keys only. On Redis ``cache.clear()`` is FLUSHDB,
    which would also wipe what the other parallel workers hold (rate-limit counters,
    versions), so tests use this instead."""
    from django.core.cache import cache

    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()
