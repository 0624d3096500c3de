"""An agency's SAML 2.0 provider, on allauth's ``saml`` provider (python3-saml).

The IdP's metadata is taken from a URL (fetched by ``fetch``'s rules: https, public
addresses only; never by python3-saml itself) or pasted as XML, parsed and stored when the
admin saves; each sign-in reads the stored document, so the IdP's metadata address is not
fetched on sign-in. Assertions must be signed; sign-ins the IdP starts on its own are
refused (an SP-initiated sign-in carries our state)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from django.db import transaction
from django.utils.translation import gettext
from django_scopes import scopes_disabled  # type: ignore[import-untyped]

from strategyhub.identity.sso import fetch
from strategyhub.identity.sso.configure import (
    ConfigurationError,
    _common,
    origin_of,
    provider_for_editing,
)
from strategyhub.identity.sso.models import IdentityProvider, Protocol
from strategyhub.models import Organization

ATTRIBUTES = {
    "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id"],
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "email",
        "mail",
    ],
    "first_name": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "urn:oid:2.5.4.42",
        "givenName",
    ],
    "last_name": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "urn:oid:2.5.4.4",
        "sn",
    ],
}


def parse_metadata(xml: str) -> dict[str, Any]:
    """The IdP's entity id, sign-in address and signing certificate from its metadata."""
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml.encode())
    except Exception as exc:  # any parse failure is the admin's input
        raise ConfigurationError(
            gettext("The metadata could not be read as SAML metadata (%(error)s).")
            % {"error": exc.__class__.__name__},
            "metadata_xml",
        ) from exc
    idp = parsed.get("idp") or {}
    certificate = idp.get("x509cert") or next(
        iter((idp.get("x509certMulti") or {}).get("signing") or []), ""
    )
    sso_url = (idp.get("singleSignOnService") or {}).get("url")
    if not idp.get("entityId") or not sso_url or not certificate:
        raise ConfigurationError(
            gettext("The metadata has no entity id, sign-in address or signing certificate."),
            "metadata_xml",
        )
    return {
        "entity_id": idp["entityId"],
        "sso_url": sso_url,
        "x509cert": certificate,
        "slo_url": (idp.get("singleLogoutService") or {}).get("url"),
    }


def saml_settings(provider: IdentityProvider) -> dict[str, Any]:
    """allauth's SAML app settings, from the stored metadata."""
    idp = parse_metadata(provider.saml_metadata_xml)
    if not idp.get("slo_url"):
        idp.pop("slo_url")
    return {
        "idp": idp,
        "attribute_mapping": ATTRIBUTES,
        "advanced": {
            "want_assertion_signed": True,
            "reject_idp_initiated_sso": True,
            "strict": True,
            # Our own addresses may be single-label hosts (localhost, an intranet name).
            "allow_single_label_domains": True,
        },
    }


@dataclass(frozen=True)
class SamlSettings:
    metadata_url: str
    metadata_xml: str
    display_name: str
    default_role: str
    group_claim: str
    enabled: bool


@transaction.atomic
def save_saml(organization: Organization, values: SamlSettings) -> IdentityProvider:
    provider = provider_for_editing(organization)
    xml = values.metadata_xml.strip()
    if values.metadata_url and not xml:
        try:
            xml = fetch.get_document(values.metadata_url).text
        except fetch.UnsafeURL as exc:
            raise ConfigurationError(str(exc), "metadata_url") from exc
        except requests.RequestException as exc:
            raise ConfigurationError(
                gettext("The metadata at %(url)s could not be read (%(error)s).")
                % {"url": values.metadata_url, "error": exc.__class__.__name__},
                "metadata_url",
            ) from exc
    idp = parse_metadata(xml)
    provider.protocol = Protocol.SAML
    provider.saml_metadata_url = values.metadata_url if not values.metadata_xml.strip() else ""
    provider.saml_metadata_xml = xml
    provider.saml_entity_id = idp["entity_id"]
    provider.form_origin = origin_of(idp["sso_url"])
    _common(provider, organization, values)
    provider.app_id = IdentityProvider.app_id_for(organization.pk, Protocol.SAML, idp["entity_id"])
    with scopes_disabled():
        provider.save()
    return provider
