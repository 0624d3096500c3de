"""The account pages (outside any agency) in the URL-derived access matrix: what an
anonymous visitor gets (the login redirect, or the page itself) and the signed-in happy path.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_scopes import scopes_disabled

from ownership.emails import unsubscribe_token
from ownership.models import AlertKind
from tests.factories import InvitationFactory, OrganizationFactory

LOGIN = "login"  # anonymous: sent to the login page with ?next=


@dataclass
class AccountView:
    name: str
    minimum: str  # "signed in" or "anyone" (anonymous ok)
    anonymous: str | tuple[int, ...]  # LOGIN, or the statuses an anonymous visitor gets
    signed_in: tuple[int, ...]  # the statuses the signed-in viewer of agency A gets
    method: str = "get"
    kwargs: Callable | None = None  # personas → URL arguments (tokens)


def _reset_link(personas):
    user = personas.viewer
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def _invitation(personas):
    """An invitation of the signed-in person (agency A's viewer) to join another agency."""
    with scopes_disabled():
        other = OrganizationFactory()
        invitation = InvitationFactory(organization=other, email=personas.viewer.email)
    return {"token": invitation.token}


def _unsubscribe(personas):
    token = unsubscribe_token(personas.org.pk, personas.viewer.pk, AlertKind.UNOWNED)
    return {"token": token}


ACCOUNT_VIEWS = [
    AccountView("home", "signed in", LOGIN, (302,)),  # to the member's agency
    AccountView("agencies", "signed in", LOGIN, (200,)),
    AccountView("login", "anyone", (200,), (302,)),  # signed in: straight on
    AccountView("logout", "anyone", (302,), (302,), method="post"),  # to the login page
    AccountView("password_reset", "anyone", (200,), (200,)),
    AccountView("password_reset_done", "anyone", (200,), (200,)),
    # A valid link redirects to its set-password form (the token leaves the URL).
    AccountView("password_reset_confirm", "anyone", (302,), (302,), kwargs=_reset_link),
    AccountView("password_reset_complete", "anyone", (200,), (200,)),
    AccountView("password_change", "signed in", LOGIN, (200,)),
    AccountView("password_change_done", "signed in", LOGIN, (200,)),
    AccountView("profile", "signed in", LOGIN, (200,)),
    # Anonymous: asked to sign in to the existing account; signed in as the invitee: accept.
    AccountView("accept_invitation", "anyone", (200,), (200,), kwargs=_invitation),
    AccountView("unsubscribe", "anyone", (200,), (200,), kwargs=_unsubscribe),
    AccountView("healthz", "anyone", (200,), (200,)),
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
    response = getattr(client, view.method)(_url(view, org_a))
    if view.anonymous == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code in view.anonymous


@pytest.mark.parametrize("view", ACCOUNT_VIEWS, ids=_id)
def test_signed_in(client, org_a, view):
    client.force_login(org_a.viewer)
    response = getattr(client, view.method)(_url(view, org_a))
    assert response.status_code in view.signed_in
    if view.minimum == "signed in" and response.status_code == 302:
        assert not response["Location"].startswith(reverse("login"))
