"""Memberships and invitations: who belongs to which agency, in which role and home unit,
and the emailed, signed offers that make new members. Import these from
``strategyhub.models``, which gathers every model of the app.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager, scopes_disabled

from strategyhub.models.core import TenantModel, Unit, UserManager
from strategyhub.roles import Role
from strategyhub.stamping import Stamped, StampedQuerySet
from strategyhub.validators import validate_plain_name


class MembershipQuerySet(StampedQuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)

    def for_members_page(self):
        return self.select_related("user", "unit").order_by("-is_active", "user__email")


def organizations_of(user) -> list[Membership]:
    """The user's active memberships in every agency, for the agency switcher.

    This is the one deliberate cross-agency read: it lists only the user's own memberships.
    """
    if not user.is_authenticated:
        return []
    with scopes_disabled():
        return list(
            Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
            .select_related("organization")
            .order_by("organization__name")
        )


class Membership(Stamped, TenantModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("home unit"),
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager(
        organization="organization",
        _manager_class=models.Manager.from_queryset(MembershipQuerySet),
    )

    class Meta:
        ordering = ["user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="membership_unique_per_agency"
            )
        ]
        indexes = [models.Index(fields=["user", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organization}"


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Withdrawn")


# Why an invitation that is not pending cannot be used, in the words shown to the invitee.
INVITATION_PROBLEMS = {
    InvitationState.ACCEPTED: _("This invitation has already been used."),
    InvitationState.REVOKED: _(
        "This invitation was withdrawn. Ask the agency's admin for a new one."
    ),
    InvitationState.EXPIRED: _(
        "This invitation has expired. Ask the agency's admin for a new one."
    ),
}


class Invitation(TenantModel):
    """An emailed, signed, expiring offer of membership. Used once."""

    TOKEN_SALT = "strategyhub.invitation"  # noqa: S105 (a signing salt, not a secret)

    email = models.EmailField()
    # The name the inviter knows (an imported "Members" row's Name): pre-fills the
    # invitee's "Full name" when they create their account; they may change it.
    full_name = models.CharField(max_length=150, blank=True, validators=[validate_plain_name])
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("home unit"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The email's delivery (``strategyhub.invitation_mail``): claimed by the one task sending
    # it, stamped when sent; an invitation whose email was lost is sent again by the sweep.
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "email"])]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.organization}"

    def save(self, *args, **kwargs):
        self.email = UserManager.normalize(self.email)
        if self.expires_at is None:
            self.expires_at = self.created_at + dt.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
        super().save(*args, **kwargs)

    @property
    def state(self) -> InvitationState:
        if self.accepted_at:
            return InvitationState.ACCEPTED
        if self.revoked_at:
            return InvitationState.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    def get_state_display(self) -> str:
        return InvitationState(self.state).label

    @property
    def token(self) -> str:
        return signing.dumps({"invitation": self.pk}, salt=self.TOKEN_SALT, compress=True)

    @classmethod
    def id_from_token(cls, token: str) -> int:
        """The invitation id in a token; raises ``signing.BadSignature`` (or its subclass
        ``SignatureExpired``) for a forged, damaged or expired link."""
        max_age = dt.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
        data = signing.loads(token, salt=cls.TOKEN_SALT, max_age=max_age)
        return int(data["invitation"])
