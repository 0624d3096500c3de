from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_scopes import scope

from strategyhub.emails import site_url
from strategyhub.members import invite_member
from strategyhub.models import Membership, PerspectivePreset
from strategyhub.organizations import create_organization, validation_message
from strategyhub.roles import Role


class Command(BaseCommand):
    help = (
        "Create an agency (platform staff). With --admin-email the person becomes its admin: "
        "an existing account is linked at once, anybody else gets an emailed invitation."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--timezone", default="UTC", help="IANA name, e.g. America/Chicago")
        parser.add_argument(
            "--fiscal-year-start-month", type=int, default=7, help="1 (January) to 12"
        )
        parser.add_argument(
            "--preset", choices=PerspectivePreset.values, default=PerspectivePreset.GOVERNMENT_5
        )
        parser.add_argument("--admin-email", help="The agency's first admin")

    @transaction.atomic
    def handle(self, *args, **opts):
        try:
            organization = create_organization(
                name=opts["name"],
                slug=opts["slug"],
                timezone=opts["timezone"],
                fiscal_year_start_month=opts["fiscal_year_start_month"],
                perspective_preset=opts["preset"],
            )
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Created {organization.name} at /o/{organization.slug}/")
        )
        email = opts.get("admin_email")
        if not email:
            return
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        with scope(organization=organization):
            if user is not None:
                Membership.objects.create(organization=organization, user=user, role=Role.ADMIN)
                self.stdout.write(f"{user.email} is its admin.")
            else:
                invitation = invite_member(
                    organization, email=email, role=Role.ADMIN, invited_by=None
                )
                self.stdout.write(
                    f"Invitation emailed to {invitation.email}; the link is "
                    f"{site_url('/invitations/' + invitation.token + '/')}"
                )
