"""A person the agency's provider no longer lets in loses their sessions and API tokens at
their next request: refused at the periodic token refresh, refused at sign-in, or removed
by the agency's admin. And an admin's reset of a member's second factors ends the
member's sessions."""

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from api.tokens import authenticate, issue
from strategyhub.identity.models import SecurityEvent, SecurityEventKind, SignedInSession
from strategyhub.identity.resets import reset_member_mfa
from strategyhub.identity.sso.grants import check_due_grants
from strategyhub.members import deactivate_member
from strategyhub.models import Membership, User
from tests.identity.sso_helpers import login_url, set_up_oidc

DASHBOARD = reverse("agency:dashboard", args=["alpha"])


def _membership(org, email):
    with scopes_disabled():
        return Membership._base_manager.select_related("organization", "user").get(
            organization=org, user__email=email
        )


@pytest.fixture
def signed_in(idp, org_a, client):
    """newcomer@alpha.test, made a member by the provider, signed in, with an API token."""
    provider = set_up_oidc(idp, org_a.org, domains=["alpha.test"])
    idp.add_person("newcomer", "newcomer@alpha.test")
    idp.sign_in(client, login_url(provider), "newcomer")
    assert client.get(DASHBOARD).status_code == 200
    membership = _membership(org_a.org, "newcomer@alpha.test")
    token = issue(membership, name="script", expires_in_days=30).secret
    assert authenticate(token) is not None
    return provider, membership, token


def test_a_refused_token_refresh_deprovisions(
    idp, client, org_a, signed_in, django_capture_on_commit_callbacks
):
    _provider, membership, token = signed_in
    later = timezone.now() + dt.timedelta(minutes=16)

    assert check_due_grants(later) == 0  # the provider still renews the grant
    assert client.get(DASHBOARD).status_code == 200

    idp.revoke("newcomer")  # the IdP's admin disables the person
    with django_capture_on_commit_callbacks(execute=True):
        assert check_due_grants(later + dt.timedelta(minutes=16)) == 1

    membership.refresh_from_db()
    assert not membership.is_active and membership.deactivated_by is None
    response = client.get(DASHBOARD)
    assert response.status_code == 302  # the session is gone: sent to sign in
    assert response["Location"].startswith(reverse("account_login"))
    assert authenticate(token) is None
    assert SecurityEvent.objects.filter(
        user=membership.user, kind=SecurityEventKind.SSO_REFUSED
    ).exists()


def test_refused_at_sign_in_ends_the_other_sessions(idp, org_a, django_capture_on_commit_callbacks):
    provider = set_up_oidc(
        idp, org_a.org, default_role="none", mapping="Staff = viewer", domains=["alpha.test"]
    )
    idp.add_person("mover", "mover@alpha.test", groups=["Staff"])
    desk, laptop = Client(), Client()
    idp.sign_in(desk, login_url(provider), "mover")
    assert desk.get(DASHBOARD).status_code == 200

    idp.add_person("mover", "mover@alpha.test", groups=[])  # moved out of the group
    with django_capture_on_commit_callbacks(execute=True):
        response = idp.sign_in(laptop, login_url(provider), "mover")

    assert response.status_code == 403
    assert not _membership(org_a.org, "mover@alpha.test").is_active
    assert desk.get(DASHBOARD).status_code == 302


def test_a_member_removed_by_the_admin_loses_the_sso_sessions(
    idp, client, org_a, signed_in, django_capture_on_commit_callbacks
):
    provider, membership, token = signed_in
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        deactivate_member(membership, by=org_a.admin)

    assert client.get(DASHBOARD).status_code == 302
    assert authenticate(token) is None
    assert not SignedInSession.objects.filter(user=membership.user).exists()
    # The provider cannot undo the admin's removal.
    response = idp.sign_in(Client(), login_url(provider), "newcomer")
    assert response.status_code == 403
    assert b"removed by its admins" in response.content


def test_an_mfa_reset_ends_the_members_sessions(org_a, django_capture_on_commit_callbacks):
    member = Client()
    member.force_login(org_a.viewer)
    assert member.get(DASHBOARD).status_code == 200
    Authenticator.objects.create(user=org_a.viewer, type=Authenticator.Type.TOTP, data={})

    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        reset_member_mfa(_membership(org_a.org, org_a.viewer.email), by=org_a.admin)

    assert member.get(DASHBOARD).status_code == 302
    assert User.objects.get(pk=org_a.viewer.pk).is_active
