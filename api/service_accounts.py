"""Service accounts: members that are systems (a CAD dispatch feed, a Power BI refresh),
made by an agency admin, acting through API tokens only (docs/api.md, "Service accounts").

A service account is a ``User`` with ``is_service_account`` set and no usable password, and
one ``Membership`` in the agency that made it, with a role below admin (a system manages
no one). It never signs in (``strategyhub.identity.adapter`` refuses it), is left out of
owner pickers (``strategyhub.forms.member_choices``), reminders, digests and alerts (none
reach an address at :data:`SERVICE_DOMAIN`, and the recipient queries skip it), and the
member counts of people. Its tokens are issued and revoked by the agency's admins; each
write through one is recorded with the token's name, as for a person's token.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext
from django_scopes import scopes_disabled  # type: ignore[import-untyped]  # no type hints

from api import tokens
from api.models import ApiToken
from strategyhub.emails import SERVICE_ACCOUNT_DOMAIN
from strategyhub.models import Membership, Organization, User
from strategyhub.roles import Role
from strategyhub.validators import has_control_characters

SERVICE_DOMAIN = SERVICE_ACCOUNT_DOMAIN  # never mailed (``strategyhub.emails``)
ROLES = (Role.VIEWER, Role.CONTRIBUTOR, Role.EDITOR)


class ServiceAccountRefused(Exception):
    """A service account (or its token) the rules do not allow; the message says why."""


@dataclass(frozen=True)
class ServiceAccount:
    membership: Membership
    tokens: list[ApiToken]

    @property
    def user(self) -> User:
        return self.membership.user


def is_service_address(email: str) -> bool:
    return email.lower().endswith("@" + SERVICE_DOMAIN)


def _address(name: str, organization: Organization) -> str:
    base = f"{slugify(name)[:40] or 'system'}.{organization.slug}"
    with scopes_disabled():
        taken = set(
            User.objects.filter(
                email__istartswith=base, email__iendswith=SERVICE_DOMAIN
            ).values_list("email", flat=True)
        )
    address, number = f"{base}@{SERVICE_DOMAIN}", 1
    while address in taken:
        number += 1
        address = f"{base}-{number}@{SERVICE_DOMAIN}"
    return address


@transaction.atomic
def create(organization: Organization, *, name: str, role: str) -> Membership:
    """A new service account in ``organization`` named ``name`` with ``role``."""
    name = " ".join(name.split())
    if not name:
        raise ServiceAccountRefused(gettext("Name the system, e.g. “CAD dispatch feed”."))
    if has_control_characters(name) or len(name) > 150:
        raise ServiceAccountRefused(gettext("Use a plain name of up to 150 characters."))
    if role not in ROLES:
        raise ServiceAccountRefused(
            gettext("Choose viewer, contributor or editor: a service account is never an admin.")
        )
    with scopes_disabled():
        if Membership.objects.filter(
            organization=organization, user__is_service_account=True, user__full_name__iexact=name
        ).exists():
            raise ServiceAccountRefused(gettext("This agency has a service account of that name."))
        user = User.objects.create_user(email=_address(name, organization), full_name=name)
        user.set_unusable_password()
        user.is_service_account = True
        user.save()
        return Membership.objects.create(organization=organization, user=user, role=role)


def of(organization: Organization) -> list[ServiceAccount]:
    """The agency's service accounts with their tokens (newest first), by name: 2 queries."""
    memberships: QuerySet[Membership] = (
        Membership.objects.filter(organization=organization, user__is_service_account=True)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "user__api_tokens",
                queryset=ApiToken.objects.filter(organization=organization).order_by("-created_at"),
                to_attr="agency_tokens",
            )
        )
        .order_by("user__full_name")
    )
    return [ServiceAccount(m, list(m.user.agency_tokens)) for m in memberships]  # type: ignore[attr-defined]


def account(organization: Organization, membership_id: int) -> Membership | None:
    return (
        Membership.objects.filter(
            organization=organization, pk=membership_id, user__is_service_account=True
        )
        .select_related("organization", "user")
        .first()
    )


def issue_token(
    membership: Membership, *, name: str, scope: str, expires_in_days: int | None, by: User
) -> tokens.Issued:
    """A token for the service account (an admin issues it; it is shown to them once)."""
    if not membership.is_active:
        raise ServiceAccountRefused(
            gettext("The service account is deactivated: reactivate it first.")
        )
    try:
        return tokens.issue(
            membership, name=name, scope=scope, expires_in_days=expires_in_days, created_by=by
        )
    except tokens.TokenRefused as refusal:
        raise ServiceAccountRefused(str(refusal)) from None
