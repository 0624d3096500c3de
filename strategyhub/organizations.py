"""Creating agencies (platform staff) and the demo agency."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.module_loading import autodiscover_modules
from django_scopes import scope  # type: ignore[import-untyped]  # ships no type hints

from strategyhub import signals
from strategyhub.models import (
    Membership,
    Organization,
    OrgUnitKind,
    PerspectivePreset,
    Unit,
    User,
)
from strategyhub.roles import Role


@transaction.atomic
def create_organization(
    *,
    name: str,
    slug: str,
    timezone: str = "UTC",
    fiscal_year_start_month: int = 7,
    perspective_preset: str = PerspectivePreset.GOVERNMENT_5,
) -> Organization:
    """Create an agency after full validation; raises ``ValidationError`` with field messages."""
    organization = Organization(
        name=name,
        slug=slug,
        timezone=timezone,
        fiscal_year_start_month=fiscal_year_start_month,
        perspective_preset=perspective_preset,
    )
    organization.full_clean()
    organization.save()
    return organization


def fiscal_calendar_in_use(organization: Organization) -> bool:
    """Whether the agency's data is laid out on its fiscal year: a strategic plan (its
    fiscal years, yearly targets, quarterly and annual values) or an OKR objective (its
    quarter). Then the fiscal year's first month is fixed: moving it would shift every
    quarter and year under data already entered."""
    with scope(organization=organization):
        answers = signals.fiscal_calendar_in_use.send(
            sender=Organization, organization=organization
        )
    return any(in_use for _receiver, in_use in answers)


@transaction.atomic
def save_settings(organization: Organization, fiscal_year_start_month_before: int) -> None:
    """Save the agency's settings (validated by the form); a moved fiscal year rebuilds what
    depends on it."""
    organization.save()
    if organization.fiscal_year_start_month != fiscal_year_start_month_before:
        signals.fiscal_year_moved.send(sender=Organization, organization=organization)


@dataclass
class DemoLogin:
    email: str
    role: str


DEMO_ROLES = [Role.ADMIN, Role.EDITOR, Role.CONTRIBUTOR, Role.VIEWER]
DEMO_NAMES = {
    Role.ADMIN: "Avery Admin",
    Role.EDITOR: "Emerson Editor",
    Role.CONTRIBUTOR: "Casey Contributor",
    Role.VIEWER: "Vic Viewer",
}


@transaction.atomic
def seed_demo_organization(
    *, slug: str = "riverton", name: str = "City of Riverton", password: str
) -> tuple[Organization, list[DemoLogin]]:
    """The reference agency of DESIGN.md §2, idempotently: running it again changes nothing
    but resets the demo logins' passwords and roles."""
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        organization = create_organization(
            name=name,
            slug=slug,
            timezone="America/Chicago",
            fiscal_year_start_month=7,
            perspective_preset=PerspectivePreset.GOVERNMENT_5,
        )
    with scope(organization=organization):
        police, _ = Unit.objects.get_or_create(
            organization=organization,
            parent=None,
            name="Police Department",
            defaults={"kind": OrgUnitKind.DEPARTMENT, "order": 1},
        )
        teams = {}
        for order, team_name in enumerate(["Patrol Operations", "Community Policing"], start=1):
            teams[team_name], _ = Unit.objects.get_or_create(
                organization=organization,
                parent=police,
                name=team_name,
                defaults={"kind": OrgUnitKind.TEAM, "order": order},
            )
        home_units = {
            Role.ADMIN: None,
            Role.EDITOR: police,
            Role.CONTRIBUTOR: teams["Patrol Operations"],
            Role.VIEWER: None,
        }
        logins = []
        users: dict[str, User] = {}
        user_model = get_user_model()
        for role in DEMO_ROLES:
            email = f"{role.value}@{slug}.example"
            user: User | None = user_model.objects.filter(email__iexact=email).first()
            if user is None:
                user = user_model.objects.create_user(
                    email=email, password=password, full_name=DEMO_NAMES[role]
                )
            else:
                user.set_password(password)
                user.is_active = True
                user.save()
            Membership.objects.update_or_create(
                organization=organization,
                user=user,
                defaults={"role": role, "unit": home_units[role], "is_active": True},
            )
            logins.append(DemoLogin(email=email, role=str(role.label)))
            users[role.value] = user
        units = {police.name: police, **teams}
        autodiscover_modules("demo")  # each app's demo module connects to seed_demo
        signals.seed_demo.send(
            sender=Organization, organization=organization, users=users, units=units
        )
    return organization, logins


def validation_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)
