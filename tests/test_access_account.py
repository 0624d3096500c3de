"""The account pages (outside any agency) in the URL-derived access matrix: what an
anonymous visitor gets (the login redirect, or the page itself) and the signed-in happy path.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse
from django_scopes import scopes_disabled

from ownership.emails import unsubscribe_token
from ownership.models import AlertKind
from tests.factories import InvitationFactory, OrganizationFactory

LOGIN = "account_login"  # anonymous: sent to the login page with ?next=


@dataclass
class AccountView:
    name: str
    minimum: str  # "signed in" or "anyone" (anonymous ok)
    anonymous: str | tuple[int, ...]  # LOGIN, or the statuses an anonymous visitor gets
    signed_in: tuple[int, ...]  # the statuses the signed-in viewer of agency A gets
    method: str = "get"
    kwargs: Callable | None = None  # personas → URL arguments (tokens)
    headers: dict | None = None  # request headers (python3-saml reads the Host header itself)


def _reset_link(personas):
    user = personas.viewer
    return {"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)}


def _invitation(personas):
    """An invitation of the signed-in person (agency A's viewer) to join another agency."""
    with scopes_disabled():
        other = OrganizationFactory()
        invitation = InvitationFactory(organization=other, email=personas.viewer.email)
    return {"token": invitation.token}


def _oidc_provider(personas):
    """Agency A's OpenID Connect provider (its settings only: nothing is fetched here)."""
    from strategyhub.identity.sso.models import IdentityProvider

    with scopes_disabled():
        provider, _ = IdentityProvider._base_manager.get_or_create(
            organization=personas.org,
            defaults={
                "issuer": "https://login.example.gov",
                "client_id": "c",
                "app_id": f"oidc-{personas.org.pk}-test",
            },
        )
    return {"provider_id": provider.app_id}


def _saml_provider(personas):
    """Agency A's SAML provider, from an IdP's metadata."""
    from strategyhub.identity.sso.models import IdentityProvider
    from tests.identity.saml_support import key_and_certificate, metadata_xml, set_up_saml

    with scopes_disabled():
        exists = IdentityProvider._base_manager.filter(organization=personas.org).exists()
    if not exists:
        certificate = key_and_certificate()[1]
        set_up_saml(
            personas.org,
            metadata_xml("https://idp.example.gov", "https://idp.example.gov/sso", certificate),
        )
    return {"organization_slug": personas.org.slug}


def _sso_start(personas):
    _oidc_provider(personas)
    return {"agency": personas.org.slug}


def _unsubscribe(personas):
    token = unsubscribe_token(personas.org.pk, personas.viewer.pk, AlertKind.UNOWNED)
    return {"token": token}


ACCOUNT_VIEWS = [
    AccountView("home", "signed in", LOGIN, (302,)),  # to the member's agency
    AccountView("agencies", "signed in", LOGIN, (200,)),
    # Sign-in and sign-out (django-allauth).
    AccountView("account_login", "anyone", (200,), (302,)),  # signed in: straight on
    AccountView("account_logout", "anyone", (302,), (302,), method="post"),  # to sign-in
    AccountView("account_inactive", "anyone", (200,), (200,)),
    # No public sign-up: the page says accounts come by invitation.
    AccountView("account_signup", "anyone", (200,), (302,)),
    # Re-entering the password before a sensitive change needs a session.
    AccountView("account_reauthenticate", "signed in", LOGIN, (200,)),
    # A sign-in code step with no sign-in under way sends back to sign-in.
    AccountView("account_confirm_login_code", "anyone", (302,), (302,)),
    AccountView("account_reset_password", "anyone", (200,), (200,)),
    AccountView("account_reset_password_done", "anyone", (200,), (200,)),
    # A valid link redirects to its set-password form (the key leaves the URL).
    AccountView("account_reset_password_from_key", "anyone", (302,), (302,), kwargs=_reset_link),
    AccountView("account_reset_password_from_key_done", "anyone", (200,), (200,)),
    AccountView("account_change_password", "signed in", LOGIN, (200,)),
    # Only for an account with no usable password; one with a password goes to the change.
    AccountView("account_set_password", "signed in", LOGIN, (302,)),
    AccountView("profile", "signed in", LOGIN, (200,)),
    # Two-factor sign-in (allauth.mfa). Adding, changing or removing a factor first asks for
    # the password again (a forced sign-in has none recent): 302 to reauthenticate.
    AccountView("mfa_index", "signed in", LOGIN, (200,)),
    # The second step of a sign-in under way; with none, back to sign-in (or home).
    AccountView("mfa_authenticate", "anyone", (302,), (302,)),
    AccountView("mfa_reauthenticate", "signed in", LOGIN, (302,)),
    AccountView("mfa_activate_totp", "signed in", LOGIN, (302,)),
    AccountView("mfa_deactivate_totp", "signed in", LOGIN, (404,)),  # no app to remove
    AccountView("mfa_view_recovery_codes", "signed in", LOGIN, (404,)),  # none yet
    AccountView("mfa_generate_recovery_codes", "signed in", LOGIN, (302,)),
    AccountView("mfa_download_recovery_codes", "signed in", LOGIN, (404,)),
    AccountView("mfa_list_webauthn", "signed in", LOGIN, (200,)),
    AccountView("mfa_add_webauthn", "signed in", LOGIN, (302,)),
    AccountView("mfa_reauthenticate_webauthn", "signed in", LOGIN, (302,)),
    AccountView("mfa_edit_webauthn", "signed in", LOGIN, (302,), kwargs=lambda p: {"pk": 1}),
    AccountView("mfa_remove_webauthn", "signed in", LOGIN, (302,), kwargs=lambda p: {"pk": 1}),
    # Anonymous: asked to sign in to the existing account; signed in as the invitee: accept.
    AccountView("accept_invitation", "anyone", (200,), (200,), kwargs=_invitation),
    AccountView("unsubscribe", "anyone", (200,), (200,), kwargs=_unsubscribe),
    AccountView("healthz", "anyone", (200,), (200,)),
    AccountView("healthz_live", "anyone", (200,), (200,)),
    AccountView("healthz_ready", "anyone", (200,), (200,)),
    # Single sign-on (strategyhub/identity/sso/): find the agency by address, its start page
    # (a button: a link alone never starts a sign-in), a domain's confirmation link.
    AccountView("sso_choose", "anyone", (200,), (200,)),
    AccountView("sso_start", "anyone", (200,), (200,), kwargs=_sso_start),
    AccountView("sso_domain_confirm", "anyone", (400,), (400,), kwargs=lambda p: {"token": "x"}),
    # allauth's socialaccount: linked identities; a cancelled or failed provider sign-in.
    AccountView("socialaccount_connections", "signed in", LOGIN, (200,)),
    AccountView("socialaccount_login_cancelled", "anyone", (200,), (200,)),
    AccountView("socialaccount_login_error", "anyone", (401,), (401,)),
    # An agency's OpenID Connect provider: GET asks to press the button; a callback with no
    # sign-in under way is an error.
    AccountView("agency_oidc_login", "anyone", (200,), (200,), kwargs=_oidc_provider),
    AccountView("agency_oidc_callback", "anyone", (401,), (401,), kwargs=_oidc_provider),
    # An agency's SAML provider (allauth's): GET on the ACS keeps nothing and moves on; its
    # finish with no response kept is an error; a logout message that is none is refused.
    AccountView("saml_login", "anyone", (200,), (200,), kwargs=_saml_provider),
    AccountView("saml_metadata", "anyone", (200,), (200,), kwargs=_saml_provider),
    AccountView("saml_acs", "anyone", (302,), (302,), kwargs=_saml_provider),
    AccountView("saml_finish_acs", "anyone", (401,), (401,), kwargs=_saml_provider),
    AccountView(
        "saml_sls",
        "anyone",
        (400,),
        (400,),
        kwargs=_saml_provider,
        headers={"HTTP_HOST": "testserver"},
    ),
]


def _url(view: AccountView, personas) -> str:
    return reverse(view.name, kwargs=view.kwargs(personas) if view.kwargs else None)


def _id(view):
    return view.name


def test_account_urls_are_outside_the_agencies(org_a):
    for view in ACCOUNT_VIEWS:
        assert not _url(view, org_a).startswith(("/o/", "/p/")), view.name


@pytest.mark.parametrize("view", ACCOUNT_VIEWS, ids=_id)
def test_anonymous(client, org_a, view):
    response = getattr(client, view.method)(_url(view, org_a), **(view.headers or {}))
    if view.anonymous == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login") + "?next=")
    else:
        assert response.status_code in view.anonymous


@pytest.mark.parametrize("view", ACCOUNT_VIEWS, ids=_id)
def test_signed_in(client, org_a, view):
    client.force_login(org_a.viewer)
    response = getattr(client, view.method)(_url(view, org_a), **(view.headers or {}))
    assert response.status_code in view.signed_in
    if view.minimum == "signed in" and response.status_code == 302:
        assert not response["Location"].startswith(reverse("account_login"))
