"""Writes of an agency's sign-in rules."""

from __future__ import annotations

from django.db import transaction

from strategyhub.identity.models import SignInPolicy
from strategyhub.models import Organization


def policy_for_editing(organization: Organization) -> SignInPolicy:
    """The agency's policy row, or an unsaved one with the platform defaults."""
    return SignInPolicy.objects.filter(organization=organization).first() or SignInPolicy(
        organization=organization
    )


@transaction.atomic
def save_policy(
    organization: Organization,
    *,
    mfa_required: str,
    session_lifetime_minutes: int | None,
    idle_timeout_minutes: int | None,
    sso_required: bool = False,
) -> SignInPolicy:
    """Set who must use two-factor sign-in (``MfaRequirement``), the session lifetime and
    the idle timeout (None: the platform default), and whether staff must sign in through
    the agency's identity provider.
    The change is recorded in the policy's history with the admin who made it (the
    request's user, through simple-history's middleware). Sessions already open follow
    the new rules from their next request."""
    policy, _ = SignInPolicy.objects.update_or_create(
        organization=organization,
        defaults={
            "mfa_required": mfa_required,
            "session_lifetime_minutes": session_lifetime_minutes,
            "idle_timeout_minutes": idle_timeout_minutes,
            "sso_required": sso_required,
        },
    )
    return policy
