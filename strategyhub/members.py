"""Membership actions: invite, accept, change role, deactivate, reactivate.

Each write is one named function; views call these and turn ``MemberError`` into a message
next to the form. Deactivating a member never deletes anything they own: the membership row
stays (inactive), so every item that names them as owner keeps its owner and later shows as
"owner inactive".
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from strategyhub import invitation_mail
from strategyhub.models import (
    INVITATION_PROBLEMS,
    Invitation,
    Membership,
    Organization,
    Unit,
    User,
    UserManager,
)
from strategyhub.roles import Role
from strategyhub.signals import member_deactivated


class MemberError(Exception):
    """A membership change that the rules refuse; the message is shown to the user."""


def _other_active_admins(organization: Organization, excluding: Membership) -> bool:
    return (
        Membership.objects.active()
        .filter(organization=organization, role=Role.ADMIN)
        .exclude(pk=excluding.pk)
        .exists()
    )


@transaction.atomic
def invite_member(
    organization: Organization,
    email: str,
    role: str,
    invited_by: User | None,
    unit: Unit | None = None,
    full_name: str = "",
) -> Invitation:
    """Create (or renew) the invitation of ``email``; the email goes out after commit.
    ``full_name`` (when the inviter knows it) pre-fills the invitee's account form."""
    email = UserManager.normalize(email)
    existing = (
        Membership.objects.filter(organization=organization, user__email__iexact=email)
        .select_related("user")
        .first()
    )
    if existing is not None:
        if existing.is_active:
            raise MemberError(
                gettext("%(email)s is already a member of %(name)s.")
                % {"email": email, "name": organization.name}
            )
        raise MemberError(
            gettext("%(email)s was a member before; reactivate their membership below instead.")
            % {"email": email}
        )
    now = timezone.now()
    # A new invitation replaces any pending one, so only the newest link works.
    Invitation.objects.filter(
        organization=organization, email=email, accepted_at=None, revoked_at=None
    ).update(revoked_at=now)
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        unit=unit,
        full_name=full_name[:150],
        invited_by=invited_by,
        created_at=now,
    )
    invitation_mail.queue(invitation)
    return invitation


@transaction.atomic
def resend_invitation(invitation: Invitation) -> None:
    """Send a pending invitation's email again (the invitee says it never came)."""
    if invitation.state != "pending":
        raise MemberError(
            gettext("The invitation of %(email)s is %(lower)s: invite them again instead.")
            % {"email": invitation.email, "lower": invitation.get_state_display().lower()}
        )
    invitation_mail.send_again(invitation)


@transaction.atomic
def revoke_invitation(invitation: Invitation) -> None:
    if invitation.accepted_at:
        raise MemberError(gettext("That invitation was already accepted."))
    Invitation.objects.filter(pk=invitation.pk, revoked_at=None).update(revoked_at=timezone.now())


@transaction.atomic
def accept_invitation(
    invitation: Invitation,
    user: User | None = None,
    full_name: str = "",
    password: str | None = None,
) -> Membership:
    """Accept ``invitation`` as ``user`` (an existing account whose email matches), or
    create the account from ``full_name`` and ``password`` when there is none.

    The invitation row is locked first (``select_for_update``), so a link used twice at
    once is accepted by the first request and the second, which waits for it, finds it
    used (a ``MemberError``, never a 500 from two accounts or memberships at once).
    """
    locked = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if locked is None:
        raise MemberError(
            gettext("This invitation no longer exists. Ask the agency's admin for a new one.")
        )
    invitation = locked
    if user is not None and UserManager.normalize(user.email) != invitation.email:
        raise MemberError(
            gettext("This invitation was sent to %(email)s, but you are signed in as %(email2)s.")
            % {"email": invitation.email, "email2": user.email}
        )
    state = invitation.state
    if state != "pending":
        raise MemberError(INVITATION_PROBLEMS[state])
    if user is None:
        user_model = get_user_model()
        if user_model.objects.filter(email__iexact=invitation.email).exists():
            raise MemberError(gettext("An account with this email exists: sign in to accept."))
        user = user_model.objects.create_user(
            email=invitation.email, password=password, full_name=full_name
        )
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
    ).update(accepted_at=timezone.now(), accepted_by=user)
    if claimed != 1:
        raise MemberError(gettext("This invitation has already been used."))
    membership, created = Membership.objects.get_or_create(
        organization=invitation.organization,
        user=user,
        defaults={"role": invitation.role, "unit": invitation.unit},
    )
    if not created:
        membership.role = invitation.role
        membership.unit = invitation.unit
        membership.is_active = True
        membership.deactivated_at = None
        membership.deactivated_by = None
        membership.save()
    return membership


@transaction.atomic
def change_role(membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise MemberError(gettext("Choose one of the roles listed."))
    if role == Role.ADMIN and membership.user.is_service_account:
        raise MemberError(gettext("A service account is never an admin: it manages no one."))
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.is_active and not _other_active_admins(membership.organization, membership):
            raise MemberError(
                gettext("An agency needs at least one admin; make someone else admin first.")
            )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def deactivate_member(membership: Membership, by: User) -> Membership:
    """Take away access; keep the membership row and everything the person owns."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        return membership
    if membership.user_id == by.pk:
        raise MemberError(gettext("You cannot deactivate your own membership."))
    if membership.role == Role.ADMIN and not _other_active_admins(
        membership.organization, membership
    ):
        raise MemberError(gettext("An agency needs at least one active admin."))
    membership.is_active = False
    membership.deactivated_at = timezone.now()
    membership.deactivated_by = by
    membership.save(update_fields=["is_active", "deactivated_at", "deactivated_by"])
    member_deactivated.send(sender=Membership, membership=membership)
    return membership


@transaction.atomic
def reactivate_member(membership: Membership) -> Membership:
    membership.is_active = True
    membership.deactivated_at = None
    membership.deactivated_by = None
    membership.save(update_fields=["is_active", "deactivated_at", "deactivated_by"])
    return membership
