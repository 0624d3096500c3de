"""Page reads of the sign-in pages."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator

from strategyhub.models import Membership, Organization


def members_with_mfa(organization: Organization) -> list[Any]:
    """The agency's active members (with the person), each with ``has_mfa``: whether they
    have an authenticator app or a security key. Two queries, whatever the size."""
    members = list(
        Membership.objects.active()
        .filter(organization=organization)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    with_mfa = set(
        Authenticator.objects.filter(user_id__in=[m.user_id for m in members])
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .values_list("user_id", flat=True)
    )
    for membership in members:
        membership.has_mfa = membership.user_id in with_mfa
    return members
