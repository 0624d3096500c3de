"""Who an agency's provider lets in, as what: the first sign-in through it makes the person
a member with the agency's default role or the role mapped from one of their groups; a
person it no longer lets in (refused at sign-in, at the periodic token refresh, or removed
by the agency's admin) is deprovisioned here, and their sessions signed in through the
provider end (``strategyhub.identity.ended``). Their API tokens die with the membership
(``api.tokens.person_still_allowed``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_scopes import scopes_disabled  # type: ignore[import-untyped]

from strategyhub.identity.models import SecurityEventKind
from strategyhub.identity.sso.models import NO_ACCESS, IdentityProvider, ProviderGrant
from strategyhub.models import Membership, User
from strategyhub.roles import Role
from strategyhub.signals import member_deactivated

ROLE_RANK = {Role.VIEWER: 0, Role.CONTRIBUTOR: 1, Role.EDITOR: 2, Role.ADMIN: 3}


class Refused(Exception):
    """The provider's sign-in does not open the agency; the message says why."""


def groups_of(provider: IdentityProvider, claims: dict[str, Any]) -> list[str]:
    """The person's groups in the claim (or attribute) the agency named: a list, or one
    string (some providers send a single group as a string)."""
    if not provider.group_claim:
        return []
    value = claims.get(provider.group_claim)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    return [str(value)]


def role_for(provider: IdentityProvider, groups: Iterable[str]) -> str | None:
    """The highest role mapped from ``groups``, else the default role; None: no access."""
    names = {g.strip().casefold() for g in groups}
    mapped = [
        row["role"]
        for row in provider.role_mapping
        if str(row.get("group", "")).strip().casefold() in names and row.get("role") in ROLE_RANK
    ]
    if mapped:
        return max(mapped, key=lambda role: ROLE_RANK[role])
    return None if provider.default_role == NO_ACCESS else provider.default_role


def _admins_left(membership: Membership) -> bool:
    return (
        Membership._base_manager.filter(
            organization_id=membership.organization_id, role=Role.ADMIN, is_active=True
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def admit(provider: IdentityProvider, user: User, role: str | None) -> Membership:
    """Make ``user`` an active member of the provider's agency with ``role`` (the role the
    provider's claims give, None: none), or refuse. A membership the agency's admin
    deactivated stays deactivated: the provider cannot undo the admin's removal."""
    organization = provider.organization
    if role is None:
        with scopes_disabled():
            current = Membership._base_manager.filter(
                organization=organization, user=user, is_active=True
            ).first()
        if current is not None:
            deprovision(current, "none of the person's groups gives access")
        raise Refused(
            gettext(
                "%(agency)s's identity provider signed you in, but none of your "
                "groups there gives access to its StrategyHub. Ask the agency's admin."
            )
            % {"agency": organization.name}
        )
    with transaction.atomic(), scopes_disabled():
        membership = (
            Membership._base_manager.select_for_update()
            .filter(organization=organization, user=user)
            .first()
        )
        if membership is None:
            return Membership.objects.create(organization=organization, user=user, role=role)
        if not membership.is_active:
            if membership.deactivated_by_id is not None:
                raise Refused(
                    gettext(
                        "Your access to %(agency)s was removed by its admins. "
                        "Ask them if you need it back."
                    )
                    % {"agency": organization.name}
                )
            membership.is_active = True
            membership.deactivated_at = None
        if provider.role_mapping and membership.role != role:
            demotes_last_admin = membership.role == Role.ADMIN and not _admins_left(membership)
            if not demotes_last_admin:
                membership.role = role
        membership.save(update_fields=["is_active", "deactivated_at", "role"])
        return membership


@transaction.atomic
def deprovision(membership: Membership, reason: str) -> None:
    """The provider no longer lets the person in: their membership is deactivated (by
    nobody: an SSO sign-in that is allowed again restores it), their grant marked
    refused, and their sessions signed in through it end."""
    from strategyhub.identity.ended import end_sessions
    from strategyhub.identity.events import record

    with scopes_disabled():
        now = timezone.now()
        if membership.is_active:
            membership.is_active = False
            membership.deactivated_at = now
            membership.deactivated_by = None
            membership.save(update_fields=["is_active", "deactivated_at", "deactivated_by"])
            member_deactivated.send(sender=Membership, membership=membership)
        ProviderGrant._base_manager.filter(
            organization_id=membership.organization_id, user_id=membership.user_id
        ).update(refused_at=now, refused_reason=reason[:200], refresh_token_encrypted="")
        record(
            membership.user,
            SecurityEventKind.SSO_REFUSED,
            detail=reason,
            agency_name=membership.organization.name,
        )
    transaction.on_commit(lambda: end_sessions(membership.user, via=membership.organization_id))
