"""The agency admin's actions on its identity provider: save the OpenID Connect or SAML
settings (the discovery document or the metadata is fetched and checked first, by the
rules of ``fetch``), make a new signing key for ``private_key_jwt``, map groups to roles.
Secrets and the private key are stored encrypted (``strategyhub.identity.encryption``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import requests
from django.db import transaction
from django.utils.translation import gettext
from django_scopes import scopes_disabled  # type: ignore[import-untyped]

from strategyhub.identity import encryption
from strategyhub.identity.sso import fetch
from strategyhub.identity.sso.models import ClientAuth, IdentityProvider, Protocol
from strategyhub.models import Organization
from strategyhub.roles import Role

MAX_MAPPINGS = 50


class ConfigurationError(Exception):
    """Settings the provider or the rules refuse; the message says why (shown by the field)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def provider_for_editing(organization: Organization) -> IdentityProvider:
    with scopes_disabled():
        row = IdentityProvider._base_manager.filter(organization=organization).first()
    return row or IdentityProvider(organization=organization)


def discover(issuer: str) -> dict[str, Any]:
    """The provider's discovery document, checked: fetched by ``fetch``'s rules, naming the
    same issuer, with the endpoints a sign-in needs."""
    issuer = issuer.strip().rstrip("/")
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        document = fetch.get_document(url).json()
    except fetch.UnsafeURL as exc:
        raise ConfigurationError(str(exc), "issuer") from exc
    except (requests.RequestException, ValueError) as exc:
        raise ConfigurationError(
            gettext("The discovery document %(url)s could not be read (%(error)s).")
            % {"url": url, "error": exc.__class__.__name__},
            "issuer",
        ) from exc
    if not isinstance(document, dict) or str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ConfigurationError(
            gettext("The discovery document at %(url)s names another issuer (“%(issuer)s”).")
            % {
                "url": url,
                "issuer": document.get("issuer") if isinstance(document, dict) else "?",
            },
            "issuer",
        )
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not document.get(key):
            raise ConfigurationError(
                gettext("The discovery document has no %(key)s.") % {"key": key}, "issuer"
            )
        try:
            fetch.check_url(str(document[key]))
        except fetch.UnsafeURL as exc:
            raise ConfigurationError(
                gettext("Its %(key)s: %(error)s") % {"key": key, "error": exc}, "issuer"
            ) from exc
    return document


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_auth: str
    client_secret: str  # "" keeps the stored one
    display_name: str
    default_role: str
    group_claim: str
    enabled: bool


@transaction.atomic
def save_oidc(organization: Organization, values: OidcSettings) -> IdentityProvider:
    provider = provider_for_editing(organization)
    issuer = values.issuer.strip().rstrip("/")
    document = discover(issuer)
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    if values.client_auth not in methods:
        raise ConfigurationError(
            gettext("The provider does not accept “%(method)s” (it accepts: %(accepted)s).")
            % {"method": values.client_auth, "accepted": ", ".join(map(str, methods))},
            "client_auth",
        )
    if values.client_auth == ClientAuth.PRIVATE_KEY_JWT:
        if not provider.signing_key_encrypted:
            _new_signing_key(provider, organization)
    elif values.client_secret:
        provider.client_secret_encrypted = encryption.encrypt(values.client_secret)
    elif not provider.client_secret_encrypted:
        raise ConfigurationError(
            gettext("Enter the client secret the provider gave you."), "client_secret"
        )
    provider.protocol = Protocol.OIDC
    provider.form_origin = origin_of(str(document["authorization_endpoint"]))
    provider.offline_access = "offline_access" in (document.get("scopes_supported") or [])
    provider.issuer = issuer
    provider.client_id = values.client_id.strip()
    provider.client_auth = values.client_auth
    _common(provider, organization, values)
    provider.app_id = IdentityProvider.app_id_for(organization.pk, Protocol.OIDC, issuer)
    with scopes_disabled():
        provider.save()
    return provider


def origin_of(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _common(provider: IdentityProvider, organization: Organization, values: Any) -> None:
    from strategyhub.identity.models import SignInPolicy

    with scopes_disabled():
        required = SignInPolicy._base_manager.filter(
            organization=organization, sso_required=True
        ).exists()
    if required and not values.enabled:
        # Staff could no longer open the agency at all.
        raise ConfigurationError(
            gettext(
                "The agency requires single sign-on: switch that off under “Sign-in rules” "
                "before turning the provider off."
            ),
            "enabled",
        )
    provider.organization = organization
    provider.display_name = values.display_name.strip()
    provider.default_role = values.default_role
    provider.group_claim = values.group_claim.strip()
    provider.enabled = values.enabled


def _new_signing_key(provider: IdentityProvider, organization: Organization) -> None:
    """A new RSA key pair: the private key stored encrypted, and a self-signed certificate
    of its public key for the admin to register with the provider (Login.gov asks for one)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"StrategyHub {organization.slug}")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=3 * 365))
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    provider.signing_key_encrypted = encryption.encrypt(pem)
    provider.signing_certificate = certificate.public_bytes(serialization.Encoding.PEM).decode()


@transaction.atomic
def rotate_signing_key(provider: IdentityProvider) -> IdentityProvider:
    _new_signing_key(provider, provider.organization)
    with scopes_disabled():
        provider.save(update_fields=["signing_key_encrypted", "signing_certificate", "updated_at"])
    return provider


def parse_mapping(text: str) -> list[dict[str, str]]:
    """Lines “group = role” (role: viewer, contributor, editor, admin); blank lines and lines
    starting with # are skipped."""
    rows: list[dict[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        group, sep, role = line.rpartition("=")
        group, role = group.strip(), role.strip().lower()
        if not sep or not group:
            raise ConfigurationError(
                gettext("Line %(line)d: write “group = role”, e.g. “StrategyHub Editors = editor”.")
                % {"line": number},
                "role_mapping",
            )
        if role not in Role.values:
            raise ConfigurationError(
                gettext(
                    "Line %(line)d: “%(role)s” is not a role "
                    "(viewer, contributor, editor or admin)."
                )
                % {"line": number, "role": role},
                "role_mapping",
            )
        rows.append({"group": group[:200], "role": role})
    if len(rows) > MAX_MAPPINGS:
        raise ConfigurationError(
            gettext("At most %(count)d groups can be mapped.") % {"count": MAX_MAPPINGS},
            "role_mapping",
        )
    return rows


def mapping_text(provider: IdentityProvider) -> str:
    return "\n".join(f"{row['group']} = {row['role']}" for row in provider.role_mapping)


@transaction.atomic
def save_mapping(provider: IdentityProvider, text: str) -> IdentityProvider:
    provider.role_mapping = parse_mapping(text)
    with scopes_disabled():
        provider.save(update_fields=["role_mapping", "updated_at"])
    return provider


@transaction.atomic
def remove_provider(provider: IdentityProvider) -> None:
    """Remove the provider; the agency's "SSO required" rule is switched off with it (else
    nobody could open the agency)."""
    from strategyhub.identity.models import SignInPolicy

    with scopes_disabled():
        SignInPolicy._base_manager.filter(organization_id=provider.organization_id).update(
            sso_required=False
        )
        IdentityProvider._base_manager.filter(pk=provider.pk).delete()
