"""An agency admin resets a member's two-factor sign-in (a lost phone or key)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils.translation import gettext

from strategyhub.identity.ended import end_sessions
from strategyhub.identity.events import record
from strategyhub.identity.models import SecurityEventKind
from strategyhub.models import Membership, User


class ResetError(Exception):
    pass


@transaction.atomic
def reset_member_mfa(membership: Membership, *, by: User) -> int:
    """Remove every second factor (apps, keys, recovery codes) of ``membership``'s person
    and record it with the admin and the agency. Returns how many were removed.

    A person's factors guard every agency they belong to, so one agency's admin may reset
    them only for a person who belongs to no other agency (platform support does it
    otherwise), and never their own (their own two-factor page does that). If the agency
    requires two-factor sign-in, the person is asked to set it up again on entry.
    """
    user = membership.user
    if user.pk == by.pk:
        raise ResetError(gettext("Change your own second factors on your two-factor sign-in page."))
    elsewhere = (
        Membership._base_manager.filter(user=user, is_active=True)
        .exclude(organization_id=membership.organization_id)
        .exists()
    )
    if elsewhere:
        raise ResetError(
            gettext(
                "%(display_name)s also belongs to another agency, so only platform "
                "support can reset their two-factor sign-in."
            )
            % {"display_name": user.display_name}
        )
    removed, _ = Authenticator.objects.filter(user=user).delete()
    # The person's sessions end too: one may be a thief's, signed in with the lost factor.
    transaction.on_commit(lambda: end_sessions(user))
    record(
        user,
        SecurityEventKind.MFA_RESET,
        by=by,
        agency_name=membership.organization.name,
        detail=f"{removed} factor{'s' if removed != 1 else ''} removed",
    )
    return removed
