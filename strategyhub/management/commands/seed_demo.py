from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from strategyhub.organizations import seed_demo_organization, validation_message

DEMO_PASSWORD = "strategyhub-demo"


class Command(BaseCommand):
    help = (
        "Create or refresh the demo agency (the City of Riverton reference scenario) with one "
        "login per role. Idempotent: running it twice creates no duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", default="riverton")
        parser.add_argument("--name", default="City of Riverton")
        parser.add_argument(
            "--password",
            default=DEMO_PASSWORD,
            help=f"Password of the demo logins (default {DEMO_PASSWORD!r}, for demos only).",
        )
        parser.add_argument(
            "--allow-known-passwords",
            action="store_true",
            help=(
                "Run with DEBUG off too. The demo logins have a password printed here and in "
                "the README: never on a site real people use."
            ),
        )

    def handle(self, *args, slug, name, password, allow_known_passwords=False, **options):
        if not settings.DEBUG and not allow_known_passwords:
            raise CommandError(
                "seed_demo creates logins with a known password, so it runs only with DEBUG=1 "
                "(a development or demo machine) or with --allow-known-passwords."
            )
        try:
            organization, logins = seed_demo_organization(slug=slug, name=name, password=password)
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Demo agency {organization.name} at /o/{organization.slug}/")
        )
        for login in logins:
            self.stdout.write(f"  {login.role:<12} {login.email}  password: {password}")
