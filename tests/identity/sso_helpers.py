"""Setting an agency up with the test provider, as its admin would on the settings page
(the services behind it), for the SSO tests."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from strategyhub.identity.sso import configure
from strategyhub.identity.sso.models import EmailDomain, IdentityProvider

CLIENT_SECRET = "s3cret-of-the-test-client-0123456789"


def callback_uri(app_id: str, base: str = "http://testserver") -> str:
    return base + reverse("agency_oidc_callback", kwargs={"provider_id": app_id})


def set_up_oidc(
    idp,
    organization,
    *,
    client_auth="client_secret_post",
    default_role="viewer",
    group_claim="groups",
    mapping="",
    domains=(),
    site="http://testserver",
) -> IdentityProvider:
    client_id = f"strategyhub-{organization.slug}"
    app_id = IdentityProvider.app_id_for(organization.pk, "oidc", idp.issuer)
    if client_auth != "private_key_jwt":
        idp.add_client(client_id, callback_uri(app_id, site), secret=CLIENT_SECRET)
    provider = configure.save_oidc(
        organization,
        configure.OidcSettings(
            issuer=idp.issuer,
            client_id=client_id,
            client_auth=client_auth,
            client_secret=CLIENT_SECRET if client_auth != "private_key_jwt" else "",
            display_name="Test provider",
            default_role=default_role,
            group_claim=group_claim,
            enabled=True,
        ),
    )
    if client_auth == "private_key_jwt":
        # As the admin does at Login.gov: register the certificate the settings page shows.
        certificate = x509.load_pem_x509_certificate(provider.signing_certificate.encode())
        public_key = certificate.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        idp.add_client(client_id, callback_uri(app_id, site), public_key=public_key.decode())
    if mapping:
        configure.save_mapping(provider, mapping)
    for domain in domains:
        verify_domain(organization, domain)
    return provider


def verify_domain(organization, domain: str) -> EmailDomain:
    with scopes_disabled():
        return EmailDomain._base_manager.create(
            organization=organization,
            domain=domain,
            token="t-" + domain,
            verified_at=timezone.now(),
        )


def login_url(provider: IdentityProvider) -> str:
    return reverse("agency_oidc_login", kwargs={"provider_id": provider.app_id})
