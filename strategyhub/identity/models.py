"""Each agency's sign-in rules, applied on entry to ``/o/<slug>/``."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from strategyhub.models import Organization, TenantModel, User

MINUTES_IN_A_DAY = 24 * 60


class MfaRequirement(models.TextChoices):
    OFF = "off", _("Not required")
    ADMINS = "admins", _("Required for admins")
    EVERYONE = "everyone", _("Required for everyone")


class SignInPolicy(TenantModel):
    """An agency's rules for the sessions that enter it. No row, or an empty field, means
    the platform's default (a session lives ``SESSION_COOKIE_AGE``, with no idle limit).
    Changes are kept in its history (who, when, what). Scoped like every tenant row; the
    tenant middleware reads it joined to the membership (``organization__sign_in_policy``)."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="sign_in_policy"
    )
    session_lifetime_minutes = models.PositiveIntegerField(
        _("Session lifetime (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(15), MaxValueValidator(30 * MINUTES_IN_A_DAY)],
        help_text=_(
            "People are signed out this long after signing in, however active they "
            "are (15 minutes to 30 days). Empty: the platform's default of two weeks."
        ),
    )
    idle_timeout_minutes = models.PositiveIntegerField(
        _("Idle timeout (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(MINUTES_IN_A_DAY)],
        help_text=_(
            "People are signed out after this long without any request (5 minutes to "
            "a day). Empty: no idle limit."
        ),
    )
    mfa_required = models.CharField(
        _("Two-factor sign-in"),
        max_length=10,
        choices=MfaRequirement.choices,
        default=MfaRequirement.OFF,
        help_text=_(
            "Who must have an authenticator app or a security key to open this "
            "agency's pages. People without one are asked to set one up first."
        ),
    )
    sso_required = models.BooleanField(
        _("Require single sign-on"),
        default=False,
        help_text=_(
            "Staff must sign in through the agency's identity provider to open its "
            "pages; a session signed in with a password is sent to the provider."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sign-in policy")
        verbose_name_plural = _("sign-in policies")

    def __str__(self) -> str:
        return f"Sign-in policy of {self.organization}"

    def requires_mfa(self, role: str) -> bool:
        from strategyhub.roles import Role

        if self.mfa_required == MfaRequirement.EVERYONE:
            return True
        return self.mfa_required == MfaRequirement.ADMINS and role == Role.ADMIN


class SecurityEventKind(models.TextChoices):
    SIGNED_IN = "signed_in", _("Signed in")
    SIGNED_IN_MFA = "signed_in_mfa", _("Signed in with two-factor sign-in")
    MFA_ADDED = "mfa_added", _("Added a second factor")
    MFA_REMOVED = "mfa_removed", _("Removed a second factor")
    RECOVERY_CODES = "recovery_codes", _("Made new recovery codes")
    MFA_RESET = "mfa_reset", _("Two-factor sign-in reset by an agency admin")
    SIGNED_IN_SSO = "signed_in_sso", _("Signed in through the agency's identity provider")
    SSO_LINKED = "sso_linked", _("Linked the agency's identity provider")
    SSO_REFUSED = "sso_refused", _("Access ended by the agency's identity provider")


class SecurityEventQuerySet(models.QuerySet):
    def of_person(self, user: User) -> SecurityEventQuerySet:
        return self.filter(user=user).select_related("by")

    def of_members(self, organization: Organization) -> SecurityEventQuerySet:
        """Events of the agency's members (active or not) only, with the person."""
        return (
            self.filter(user__memberships__organization=organization)
            .select_related("user", "by")
            .distinct()
        )


class SecurityEvent(models.Model):
    """A sign-in or a change to a person's second factors, shown to the person (profile)
    and to the admins of each agency they belong to. Never edited."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="security_events")
    kind = models.CharField(max_length=20, choices=SecurityEventKind.choices)
    detail = models.CharField(max_length=200, blank=True)  # e.g. the factor's name
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    # Who did it when it was not the person (an agency admin's reset), and the agency's name
    # then. A person's events are theirs across agencies, so they are no tenant's rows: each
    # agency's admins read them through that agency's memberships (``of_members``).
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agency_name = models.CharField(max_length=200, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


class SignedInSession(models.Model):
    """A session a person signed in, so that it can be ended from elsewhere (an admin's
    reset of their second factors, their provider's refusal). ``via`` is the agency whose
    provider signed it in (None: a password). Rows of sessions that ended on their own are
    removed when the person next signs in."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    via = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Session of {self.user} from {self.at:%Y-%m-%d %H:%M}"


from strategyhub.identity.sso.models import (  # noqa: E402 - models of this app, in its sso package
    EmailDomain,
    IdentityProvider,
    ProviderGrant,
)

__all__ = [
    "EmailDomain",
    "IdentityProvider",
    "MfaRequirement",
    "ProviderGrant",
    "SecurityEvent",
    "SecurityEventKind",
    "SignInPolicy",
    "SignedInSession",
]
