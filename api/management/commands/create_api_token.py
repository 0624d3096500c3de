"""``manage.py create_api_token --slug S --email E --scopes read[,write] [--expires DAYS]``:
a token for a member (a person or a service account); the token alone on the last line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scopes_disabled

from api import tokens
from api.models import Scope
from strategyhub.models import Membership


class Command(BaseCommand):
    help = "Create an API token for a member of an agency; prints the token on its last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", required=True, help="The agency's slug.")
        parser.add_argument("--email", required=True, help="The member's email address.")
        parser.add_argument("--scopes", default="read", help="read, or read,write.")
        parser.add_argument("--expires", type=int, default=None, help="Days; none: never.")
        parser.add_argument("--name", default="Command-line token")

    def handle(self, *args: Any, **options: Any) -> None:
        scopes = {part.strip() for part in options["scopes"].split(",") if part.strip()}
        if not scopes or not scopes <= {"read", "write"}:
            raise CommandError("--scopes is read or read,write.")
        scope = Scope.WRITE if "write" in scopes else Scope.READ
        with scopes_disabled():
            membership = (
                Membership.objects.select_related("organization", "user")
                .filter(
                    organization__slug=options["slug"],
                    user__email__iexact=options["email"].strip(),
                )
                .first()
            )
            if membership is None:
                raise CommandError("No member with that email in that agency.")
            if not tokens.person_still_allowed(membership):
                raise CommandError("That member (or agency) is not active.")
            try:
                issued = tokens.issue(
                    membership,
                    name=options["name"],
                    scope=scope,
                    expires_in_days=options["expires"],
                )
            except tokens.TokenRefused as refusal:
                raise CommandError(str(refusal)) from None
        token = issued.token
        expiry = f"expires {token.expires_at:%Y-%m-%d}" if token.expires_at else "never expires"
        self.stdout.write(f"Token “{token.name}” for {membership.user.email} ({scope}, {expiry}):")
        self.stdout.write(issued.secret)
