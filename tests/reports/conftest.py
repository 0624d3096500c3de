import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from reports import editions
from strategyhub.models import Organization, User


@pytest.fixture
def riverton(db, clock):
    """The demo agency (the reference scenario), seeded on the suite's day (22 November
    2026): Q1 FY 2026–27 (July–September 2026) is closed and reviewed."""
    with scopes_disabled():
        call_command("seed_demo", "--allow-known-passwords", stdout=StringIO())
    return Organization.objects.get(slug="riverton")


def member(organization: Organization, role: str) -> User:
    with scopes_disabled():
        return User.objects.filter(
            memberships__organization=organization, memberships__role=role
        ).first()


@pytest.fixture
def q1_report(riverton):
    with scope(organization=riverton):
        return editions.create_report(
            riverton,
            member(riverton, "editor"),
            template="council_quarterly",
            fiscal_year=2026,
            quarter=1,
        )


BUILT = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
