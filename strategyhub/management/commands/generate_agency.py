"""Generate a deterministic agency of a given scale (for benchmarks and load tests)."""

import random
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.module_loading import autodiscover_modules
from django_scopes import scope

from strategyhub import signals
from strategyhub.models import Membership, Organization, Unit, User
from strategyhub.organizations import create_organization
from strategyhub.roles import Role

SCALES = {
    "small": {"units": 4, "members": 12},
    "large": {"units": 40, "members": 400},
}
PASSWORD = "generated-agency-pass"  # noqa: S105 (documented; for generated test agencies only)


class Command(BaseCommand):
    help = (
        "Generate a deterministic agency: --scale small (a few of each, for tests) or large "
        "(40 units, 400 members, 1,000 measures with four to five years of values, 12 quarters of "
        "OKRs with ~150,000 check-ins). Logins: admin@<slug>.example etc., password "
        f"{PASSWORD!r}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, slug, scale, seed, **options):
        if Organization.objects.filter(slug=slug).exists():
            raise CommandError(f"An agency with the slug {slug!r} exists already.")
        started = time.perf_counter()
        rng = random.Random(seed)  # noqa: S311 (deterministic test data, not security)
        with transaction.atomic():
            organization = create_organization(
                name=f"Generated agency {slug}",
                slug=slug,
                timezone="America/Chicago",
                fiscal_year_start_month=7,
            )
            with scope(organization=organization):
                self._generate(organization, scale, rng, started)
        if connection.vendor == "postgresql":
            # Fresh planner statistics after bulk inserts (a stale plan made one query 20×
            # slower in the benchmark).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {slug} ({scale}) in {time.perf_counter() - started:.1f} s; "
                f"sign in as admin@{slug}.example / {PASSWORD}"
            )
        )

    def _generate(self, organization, scale, rng, started) -> None:
        """Inside the agency's scope, so every query the generators make is tenant-scoped."""
        context = self._people(organization, SCALES[scale], rng)
        autodiscover_modules("generate")  # each app's generate module connects its receiver
        signals.generate_organization.send(
            sender=Organization, organization=organization, scale=scale, rng=rng, context=context
        )
        self.stdout.write(f"  data generated: {time.perf_counter() - started:.1f} s")

    def _people(self, organization, size, rng) -> dict:
        units = []
        departments = max(2, size["units"] // 8)
        for d in range(departments):
            units.append(
                Unit(organization=organization, name=f"Department {d + 1}", kind="department")
            )
        Unit.objects.bulk_create(units)
        teams = [
            Unit(
                organization=organization,
                name=f"Team {t + 1}",
                kind="team",
                parent=units[t % departments],
            )
            for t in range(size["units"] - departments)
        ]
        Unit.objects.bulk_create(teams)
        all_units = units + teams
        password = make_password(PASSWORD)  # hashed once for all generated people
        slug = organization.slug
        users = [
            User(
                email=f"{role}@{slug}.example",
                full_name=f"{role.title()} {slug}",
                password=password,
            )
            for role in Role.values
        ] + [
            User(
                email=f"person{i}@{slug}.example", full_name=f"Person {i} {slug}", password=password
            )
            for i in range(size["members"] - len(Role.values))
        ]
        User.objects.bulk_create(users)
        users = list(User.objects.filter(email__endswith=f"@{slug}.example").order_by("pk"))
        roles = {f"{r}@{slug}.example": r for r in Role.values}
        memberships = []
        for index, user in enumerate(users):
            role = roles.get(user.email) or rng.choice(
                [Role.CONTRIBUTOR] * 6 + [Role.EDITOR, Role.VIEWER, Role.VIEWER]
            )
            memberships.append(
                Membership(
                    organization=organization,
                    user=user,
                    role=role,
                    unit=all_units[index % len(all_units)],
                    is_active=not (index > 10 and index % 37 == 0),
                )
            )
        Membership.objects.bulk_create(memberships)
        return {"units": all_units, "users": users, "owners": [u for u in users]}
