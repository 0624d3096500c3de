"""Single sign-on through an agency's OpenID Connect provider, end to end against a real
provider (django-oauth-toolkit, tests/identity/idp/) in its own process: provisioning,
linking only within verified domains, one agency per provider sign-in, SSO required,
deprovisioning, and the secrets at rest."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled

from strategyhub.identity import encryption
from strategyhub.identity.models import SecurityEvent, SecurityEventKind, SignInPolicy
from strategyhub.identity.sessions import SIGNED_IN_VIA
from strategyhub.models import Membership, User
from strategyhub.roles import Role
from tests.identity.sso_helpers import CLIENT_SECRET, login_url, set_up_oidc

pytestmark = pytest.mark.django_db(transaction=False)


def _dashboard(slug):
    return reverse("agency:dashboard", args=[slug])


def _membership(org, user):
    with scopes_disabled():
        return Membership._base_manager.filter(organization=org, user=user).first()


def test_first_sign_in_makes_a_member_with_the_default_role(client, idp, org_a):
    provider = set_up_oidc(idp, org_a.org, domains=["alpha.test"])
    idp.add_person("newcomer", "newcomer@alpha.test")

    response = idp.sign_in(
        client, login_url(provider), "newcomer", {"process": "login", "next": _dashboard("alpha")}
    )

    assert response.status_code == 302
    assert response["Location"] == _dashboard("alpha")
    user = User.objects.get(email="newcomer@alpha.test")
    assert not user.has_usable_password()
    membership = _membership(org_a.org, user)
    assert membership.is_active and membership.role == Role.VIEWER
    assert client.session[SIGNED_IN_VIA] == org_a.org.pk
    assert client.get(_dashboard("alpha")).status_code == 200
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEventKind.SIGNED_IN_SSO).exists()


def test_a_mapped_group_gives_its_role(client, idp, org_a):
    provider = set_up_oidc(
        idp,
        org_a.org,
        default_role="none",
        mapping="Strategy Office = editor\nAll Staff = viewer",
        domains=["alpha.test"],
    )
    idp.add_person("planner", "planner@alpha.test", groups=["All Staff", "Strategy Office"])

    idp.sign_in(client, login_url(provider), "planner")

    assert _membership(org_a.org, User.objects.get(email="planner@alpha.test")).role == Role.EDITOR


def test_no_mapped_group_and_no_default_role_is_refused(client, idp, org_a):
    provider = set_up_oidc(
        idp,
        org_a.org,
        default_role="none",
        mapping="Strategy Office = editor",
        domains=["alpha.test"],
    )
    idp.add_person("outsider", "outsider@alpha.test", groups=["Parks"])

    response = idp.sign_in(client, login_url(provider), "outsider")

    assert response.status_code == 403
    assert b"none of your groups" in response.content
    assert not User.objects.filter(email="outsider@alpha.test").exists()
    assert "_auth_user_id" not in client.session


def test_an_account_in_a_verified_domain_is_linked(client, idp, org_a):
    provider = set_up_oidc(idp, org_a.org, domains=["alpha.test"])
    idp.add_person("viewer", org_a.viewer.email)

    idp.sign_in(client, login_url(provider), "viewer")

    assert int(client.session["_auth_user_id"]) == org_a.viewer.pk
    assert SocialAccount.objects.filter(user=org_a.viewer, provider=provider.app_id).exists()
    assert _membership(org_a.org, org_a.viewer).role == Role.VIEWER  # unchanged: no mapping


def test_private_key_jwt_with_pkce_signs_in(client, idp, org_a):
    provider = set_up_oidc(idp, org_a.org, client_auth="private_key_jwt", domains=["alpha.test"])
    idp.add_person("keyed", "keyed@alpha.test")

    response = idp.sign_in(client, login_url(provider), "keyed")

    assert response.status_code == 302, response.content[:300]
    assert User.objects.filter(email="keyed@alpha.test").exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT signing_key_encrypted FROM identity_identityprovider WHERE id = %s",
            [provider.pk],
        )
        raw = cursor.fetchone()[0]
    assert "PRIVATE KEY" not in raw
    assert "BEGIN PRIVATE KEY" in encryption.decrypt(raw)


def test_the_client_secret_is_stored_encrypted(idp, org_a):
    provider = set_up_oidc(idp, org_a.org)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT client_secret_encrypted FROM identity_identityprovider WHERE id = %s",
            [provider.pk],
        )
        raw = cursor.fetchone()[0]
    assert CLIENT_SECRET not in raw
    assert encryption.decrypt(raw) == CLIENT_SECRET
    history = provider.history.first()
    assert not hasattr(history, "client_secret_encrypted")


def test_another_agencys_provider_cannot_sign_in_its_members(client, idp, org_a, org_b):
    """Agency B's provider asserts a member of agency A (an address in A's verified
    domain): refused, nothing linked, nobody signed in."""
    from tests.identity.sso_helpers import verify_domain

    verify_domain(org_a.org, "alpha.test")
    provider_b = set_up_oidc(idp, org_b.org, domains=["beta.test"])
    idp.add_person("impostor", org_a.admin.email)

    response = idp.sign_in(client, login_url(provider_b), "impostor")

    assert response.status_code == 403
    assert b"not an email domain verified for Agency Beta" in response.content
    assert not SocialAccount.objects.filter(user=org_a.admin).exists()
    assert _membership(org_b.org, org_a.admin) is None
    assert "_auth_user_id" not in client.session


def test_the_same_address_on_an_unverified_domain_is_not_linked(client, idp, org_a):
    provider = set_up_oidc(idp, org_a.org, domains=["alpha.test"])
    outside = User.objects.create_user(email="someone@elsewhere.test", password="x-pass-12345")
    idp.add_person("someone", outside.email)

    response = idp.sign_in(client, login_url(provider), "someone")

    assert response.status_code == 403
    assert not SocialAccount.objects.filter(user=outside).exists()
    assert "_auth_user_id" not in client.session


def test_signed_in_people_link_their_own_identity(client, idp, org_a):
    """An address outside the verified domains: the person signs in with their password
    and links the provider's identity; from then on it signs them in."""
    provider = set_up_oidc(idp, org_a.org)  # no verified domain at all
    idp.add_person("linker", "linker@personal.test")
    client.force_login(org_a.editor)

    idp.sign_in(client, login_url(provider), "linker", {"process": "connect"})
    assert SocialAccount.objects.filter(user=org_a.editor, provider=provider.app_id).exists()

    client.logout()
    idp.sign_in(client, login_url(provider), "linker")
    assert int(client.session["_auth_user_id"]) == org_a.editor.pk
    assert client.session[SIGNED_IN_VIA] == org_a.org.pk


def test_a_provider_sign_in_opens_its_agency_only(client, idp, org_a, org_b):
    provider = set_up_oidc(idp, org_a.org, domains=["alpha.test"])
    with scopes_disabled():
        Membership.objects.create(organization=org_b.org, user=org_a.editor, role=Role.EDITOR)
    idp.add_person("editor", org_a.editor.email)
    idp.sign_in(client, login_url(provider), "editor")
    assert client.get(_dashboard("alpha")).status_code == 200

    # Agency B requires nothing: the session is asked to sign in again, for B.
    response = client.get(_dashboard("beta"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session

    # Agency B requires SSO: a session through A's provider is sent to B's.
    idp.sign_in(client, login_url(provider), "editor")
    set_up_oidc(idp, org_b.org)
    SignInPolicy._base_manager.create(organization=org_b.org, sso_required=True)
    response = client.get(_dashboard("beta"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sso_start", kwargs={"agency": "beta"}))


def test_sso_required_sends_a_password_session_to_the_provider(client, idp, org_a):
    provider = set_up_oidc(idp, org_a.org, domains=["alpha.test"])
    SignInPolicy._base_manager.create(organization=org_a.org, sso_required=True)
    client.force_login(org_a.contributor)

    response = client.get(_dashboard("alpha"))

    start = reverse("sso_start", kwargs={"agency": "alpha"})
    assert response.status_code == 302
    assert response["Location"] == f"{start}?next=%2Fo%2Falpha%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert login_url(provider).encode() in page.content
    # The button's answer redirects to the provider: the page's CSP lets the form go there.
    assert f"form-action 'self' {idp.base}" in page["Content-Security-Policy"]
    idp.add_person("contributor", org_a.contributor.email)
    idp.sign_in(
        client, login_url(provider), "contributor", {"process": "login", "next": "/o/alpha/"}
    )
    assert client.get(_dashboard("alpha")).status_code == 200
