"""Shared fixtures: agency A with one member per role, agency B with its own member.

Scopes are disabled while fixtures are set up (as pretix does), so fixtures can create
tenant rows freely; test bodies run with no scope open, exactly like a request that names
no agency, and must open one themselves (``scope(organization=…)``) to query tenant data.
"""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django_scopes import scopes_disabled

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


@dataclass
class Agency:
    org: Organization
    unit: Unit
    team: Unit
    admin: User
    editor: User
    contributor: User
    viewer: User

    def user(self, role: str) -> User:
        return getattr(self, role)


def make_agency(name: str, slug: str) -> Agency:
    org = OrganizationFactory(name=name, slug=slug)
    unit = UnitFactory(organization=org, name=f"{name} Department", kind="department")
    team = UnitFactory(organization=org, name=f"{name} Team", parent=unit)
    users = {}
    for role in Role.values:
        user = UserFactory(email=f"{role}@{slug}.test", full_name=f"{role.title()} of {name}")
        MembershipFactory(organization=org, user=user, role=role)
        users[role] = user
    return Agency(org=org, unit=unit, team=team, **users)


@pytest.fixture
def agency_a(db) -> Agency:
    return make_agency("Agency Alpha", "alpha")


@pytest.fixture
def agency_b(db) -> Agency:
    return make_agency("Agency Beta", "beta")


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
