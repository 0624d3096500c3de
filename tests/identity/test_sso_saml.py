"""Single sign-on through an agency's SAML 2.0 provider, end to end: a real IdP built with
pysaml2 (signing with Debian's xmlsec1) reads our service provider's metadata, answers
our sign-in request with a signed assertion, and python3-saml (through allauth) checks it."""

import base64
import shutil
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse
from django_scopes import scopes_disabled

from strategyhub.identity.sessions import SIGNED_IN_VIA
from strategyhub.models import Membership, User
from strategyhub.roles import Role
from tests.identity.saml_support import key_and_certificate, metadata_xml, set_up_saml
from tests.identity.sso_helpers import verify_domain

pytestmark = pytest.mark.skipif(not shutil.which("xmlsec1"), reason="needs Debian's xmlsec1")

IDP_ENTITY = "https://idp.alpha.example.gov/saml"
IDP_SSO = "https://idp.alpha.example.gov/sso"
GROUPS = "urn:oid:1.3.6.1.4.1.5923.1.5.1.1"  # isMemberOf
HOST = {"HTTP_HOST": "testserver"}


class SamlIdP:
    """pysaml2's IdP, with its key and certificate, knowing our SP from its metadata."""

    def __init__(self, sp_metadata: str):
        from saml2 import BINDING_HTTP_REDIRECT
        from saml2.config import IdPConfig
        from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT
        from saml2.server import Server

        self.key, self.certificate = key_and_certificate("Alpha IdP")
        directory = Path(tempfile.mkdtemp(prefix="sh-saml-"))
        (directory / "idp.key").write_text(self.key)
        (directory / "idp.crt").write_text(self.certificate)
        config = IdPConfig()
        config.load(
            {
                "entityid": IDP_ENTITY,
                "service": {
                    "idp": {
                        "endpoints": {"single_sign_on_service": [(IDP_SSO, BINDING_HTTP_REDIRECT)]},
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        "policy": {"default": {"name_form": NAME_FORMAT_URI}},
                    }
                },
                "key_file": str(directory / "idp.key"),
                "cert_file": str(directory / "idp.crt"),
                "metadata": {"inline": [sp_metadata]},
                "xmlsec_binary": shutil.which("xmlsec1"),
            }
        )
        self.server = Server(config=config)

    @property
    def metadata(self) -> str:
        return metadata_xml(IDP_ENTITY, IDP_SSO, self.certificate)

    def answer(self, redirect_url: str, *, user_id: str, email: str, groups=()) -> tuple[str, str]:
        """The signed response (base64) to the sign-in request in ``redirect_url``, and
        the ACS address it goes to."""
        from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
        from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID

        query = parse_qs(urlsplit(redirect_url).query)
        request = self.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        message = request.message
        destination = self.server.config.metadata.assertion_consumer_service(
            message.issuer.text, binding=BINDING_HTTP_POST
        )[0]["location"]
        response = self.server.create_authn_response(
            {"mail": [email], "isMemberOf": list(groups), "givenName": ["Sam"]},
            in_response_to=message.id,
            destination=destination,
            sp_entity_id=message.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=user_id),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_response=True,
            sign_assertion=True,
            # SHA-1 signatures are refused on our side (python3-saml's strict default).
            sign_alg="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            digest_alg="http://www.w3.org/2001/04/xmlenc#sha256",
        )
        return base64.b64encode(str(response).encode()).decode(), destination


def _sign_in(client, idp, **person):
    start = reverse("saml_login", kwargs={"organization_slug": "alpha"})
    response = client.post(start, {"process": "login", "next": "/o/alpha/"}, **HOST)
    assert response.status_code == 302 and response["Location"].startswith(IDP_SSO)
    saml_response, acs = idp.answer(response["Location"], **person)
    assert acs == "http://testserver" + reverse("saml_acs", args=["alpha"])
    response = client.post(urlsplit(acs).path, {"SAMLResponse": saml_response}, **HOST)
    assert response.status_code == 302  # to acs/finish/, with the response kept in the session
    return client.get(response["Location"], **HOST)


@pytest.fixture
def saml_idp(client, org_a):
    """Agency Alpha's SAML provider: the admin pastes the IdP's metadata, the IdP reads ours."""
    sp_metadata = client.get(reverse("saml_metadata", args=["alpha"]), **HOST)
    assert sp_metadata.status_code == 404  # no provider yet
    _key, placeholder_cert = key_and_certificate()
    set_up_saml(org_a.org, metadata_xml(IDP_ENTITY, IDP_SSO, placeholder_cert))
    ours = client.get(reverse("saml_metadata", args=["alpha"]), **HOST).content.decode()
    idp = SamlIdP(ours)
    set_up_saml(org_a.org, idp.metadata, group_claim=GROUPS, default_role="viewer")
    verify_domain(org_a.org, "alpha.test")
    configure_mapping(org_a.org, "Planning = editor")
    return idp


def configure_mapping(organization, text):
    from strategyhub.identity.sso import configure

    configure.save_mapping(configure.provider_for_editing(organization), text)


def test_a_saml_sign_in_makes_a_member_with_the_mapped_role(client, org_a, saml_idp):
    response = _sign_in(
        client, saml_idp, user_id="u-1001", email="sam@alpha.test", groups=["Planning"]
    )

    assert response.status_code == 302, response.content[:400]
    assert response["Location"] == "/o/alpha/"
    user = User.objects.get(email="sam@alpha.test")
    with scopes_disabled():
        assert Membership._base_manager.get(organization=org_a.org, user=user).role == Role.EDITOR
    assert SocialAccount.objects.filter(user=user, uid="u-1001").exists()
    assert client.session[SIGNED_IN_VIA] == org_a.org.pk
    assert client.get("/o/alpha/").status_code == 200


def test_a_tampered_assertion_is_refused(client, org_a, saml_idp):
    start = reverse("saml_login", kwargs={"organization_slug": "alpha"})
    response = client.post(start, {"process": "login"}, **HOST)
    saml_response, acs = saml_idp.answer(
        response["Location"], user_id="u-1", email="sam@alpha.test"
    )
    forged = base64.b64encode(
        base64.b64decode(saml_response).replace(b"sam@alpha.test", b"admin@alpha.test")
    ).decode()
    response = client.post(urlsplit(acs).path, {"SAMLResponse": forged}, **HOST)
    response = client.get(response["Location"], **HOST)

    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()


def test_a_saml_address_outside_the_verified_domains_is_refused(client, org_a, saml_idp):
    response = _sign_in(
        client, saml_idp, user_id="u-2", email=org_a.admin.email.replace("alpha.test", "beta.test")
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_saml_metadata_from_a_private_address_is_refused(org_a):
    from strategyhub.identity.sso.configure import ConfigurationError

    with pytest.raises(ConfigurationError, match="private or local address"):
        set_up_saml(org_a.org, "", metadata_url="https://192.168.1.10/metadata")
