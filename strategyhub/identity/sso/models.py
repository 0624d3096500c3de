"""An agency's identity provider, its verified email domains, and the provider's grant of
each person it signed in (so that its later refusal reaches them)."""

from __future__ import annotations

import hashlib

from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from strategyhub.models import Organization, TenantModel, User
from strategyhub.roles import Role


class Protocol(models.TextChoices):
    OIDC = "oidc", "OpenID Connect"
    SAML = "saml", "SAML 2.0"


class ClientAuth(models.TextChoices):
    SECRET_POST = "client_secret_post", "Client secret (sent in the request body)"
    SECRET_BASIC = "client_secret_basic", "Client secret (HTTP Basic)"
    PRIVATE_KEY_JWT = "private_key_jwt", "Signed key assertion (private_key_jwt, as Login.gov)"


NO_ACCESS = "none"
DEFAULT_ROLE_CHOICES = [(NO_ACCESS, "No access (only the mapped groups get in)"), *Role.choices]


class IdentityProvider(TenantModel):
    """The agency's one identity provider. Secrets and the signing key are stored as Fernet
    tokens (``strategyhub.identity.encryption``), never in plain text.

    ``app_id`` names the provider to allauth and in every linked identity
    (``SocialAccount.provider``): it is derived from the agency and the issuer (or the IdP's
    entity id), so identities asserted by one provider can never be read as another's,
    even after the agency switches providers."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="identity_provider"
    )
    protocol = models.CharField(max_length=4, choices=Protocol.choices, default=Protocol.OIDC)
    enabled = models.BooleanField(default=True)
    app_id = models.CharField(max_length=64, unique=True, editable=False)
    display_name = models.CharField(
        "Button label",
        max_length=80,
        blank=True,
        help_text="Shown on the sign-in button, e.g. “Microsoft Entra ID”. Empty: the "
        "agency's name.",
    )
    # OpenID Connect
    issuer = models.URLField(
        "Issuer",
        max_length=300,
        blank=True,
        help_text="The provider's issuer URL (https); its discovery document is read from "
        "<issuer>/.well-known/openid-configuration.",
    )
    client_id = models.CharField("Client ID", max_length=300, blank=True)
    client_auth = models.CharField(
        "Client authentication",
        max_length=20,
        choices=ClientAuth.choices,
        default=ClientAuth.SECRET_POST,
    )
    client_secret_encrypted = models.TextField(blank=True, editable=False)
    signing_key_encrypted = models.TextField(blank=True, editable=False)
    signing_certificate = models.TextField(blank=True, editable=False)  # public, PEM
    # SAML 2.0
    saml_metadata_url = models.URLField("IdP metadata URL", max_length=500, blank=True)
    saml_metadata_xml = models.TextField(blank=True, editable=False)  # as fetched or pasted
    saml_entity_id = models.CharField(max_length=500, blank=True, editable=False)
    # Where a sign-in leaves for (the OpenID Connect authorization endpoint's origin, the
    # SAML IdP's sign-in address's): the start page's Content-Security-Policy allows its
    # form to go there (``form-action``), and nowhere else.
    form_origin = models.CharField(max_length=300, blank=True, editable=False)
    # The provider offers the ``offline_access`` scope (Entra ID, Okta): it is asked for,
    # so that a refresh token comes and the periodic check can ask the provider again.
    offline_access = models.BooleanField(default=False, editable=False)
    # Provisioning
    default_role = models.CharField(
        "Role of a new member",
        max_length=20,
        choices=DEFAULT_ROLE_CHOICES,
        default=Role.VIEWER,
        help_text="The role of a person signing in through the provider for the first time, "
        "unless one of their groups is mapped below.",
    )
    group_claim = models.CharField(
        "Group claim or attribute",
        max_length=100,
        blank=True,
        default="groups",
        help_text="The claim (OpenID Connect) or attribute (SAML) listing the person's groups.",
    )
    role_mapping = models.JSONField(default=list, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["client_secret_encrypted", "signing_key_encrypted"]
    )

    class Meta:
        verbose_name = "identity provider"

    def __str__(self) -> str:
        return f"{self.get_protocol_display()} provider of {self.organization}"

    @property
    def label(self) -> str:
        return self.display_name or self.organization.name

    @staticmethod
    def app_id_for(organization_id: int, protocol: str, issuer: str) -> str:
        digest = hashlib.sha256(issuer.strip().encode()).hexdigest()[:12]
        return f"{protocol}-{organization_id}-{digest}"


class DomainMethod(models.TextChoices):
    DNS = "dns", "DNS TXT record"
    MAILBOX = "mailbox", "Confirmed mailbox"


class EmailDomain(TenantModel):
    """An email domain an agency claims. Only once verified (a DNS TXT record with the
    token, or a link mailed to an address at the domain) may its provider link or create
    accounts with addresses there; a verified domain belongs to one agency only."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="email_domains"
    )
    domain = models.CharField(max_length=253)
    token = models.CharField(max_length=64, editable=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=10, choices=DomainMethod.choices, blank=True)
    verified_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(
                "organization", Lower("domain"), name="email_domain_once_per_agency"
            ),
            # A domain is verified for one agency at most, whatever others claim.
            models.UniqueConstraint(
                Lower("domain"),
                condition=models.Q(verified_at__isnull=False),
                name="email_domain_verified_once",
            ),
        ]

    def __str__(self) -> str:
        return self.domain

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def txt_record(self) -> str:
        return f"strategyhub-domain-verification={self.token}"


class ProviderGrant(TenantModel):
    """What the agency's provider last granted a person it signed in: the identity, and
    (OpenID Connect) its refresh token, encrypted. The periodic check refreshes it; a
    refusal deprovisions the person here (``provisioning.deprovision``)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="provider_grants"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="provider_grants")
    app_id = models.CharField(max_length=64)
    refresh_token_encrypted = models.TextField(blank=True)
    signed_in_at = models.DateTimeField()
    checked_at = models.DateTimeField(null=True, blank=True)
    refused_at = models.DateTimeField(null=True, blank=True)
    refused_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="provider_grant_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} via {self.app_id}"
