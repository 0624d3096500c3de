"""Each agency's session lifetime and idle timeout, applied on entry to /o/<slug>/."""

import time

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from strategyhub.identity.models import SignInPolicy
from strategyhub.identity.sessions import SEEN_AT, SIGNED_IN_AT
from tests.factories import MembershipFactory

DASHBOARD_A = reverse("agency:dashboard", args=["alpha"])
DASHBOARD_B = reverse("agency:dashboard", args=["beta"])
POLICY_A = reverse("agency:sign_in_policy", args=["alpha"])


def _age(client, *, signed_in_minutes_ago=0, seen_minutes_ago=0):
    session = client.session
    now = time.time()
    session[SIGNED_IN_AT] = int(now - signed_in_minutes_ago * 60)
    session[SEEN_AT] = int(now - seen_minutes_ago * 60)
    session.save()


@pytest.fixture
def strict_a(org_a):
    return SignInPolicy._base_manager.create(
        organization=org_a.org, session_lifetime_minutes=8 * 60, idle_timeout_minutes=30
    )


def test_signing_in_stamps_the_session(client, org_a):
    client.force_login(org_a.viewer)
    session = client.session
    assert abs(session[SIGNED_IN_AT] - time.time()) < 5
    assert abs(session[SEEN_AT] - time.time()) < 5


def test_a_session_within_the_rules_enters(client, org_a, strict_a):
    client.force_login(org_a.viewer)
    _age(client, signed_in_minutes_ago=7 * 60, seen_minutes_ago=20)
    assert client.get(DASHBOARD_A).status_code == 200
    assert abs(client.session[SEEN_AT] - time.time()) < 5  # the request counts as activity


def test_a_session_older_than_the_lifetime_is_signed_out(client, org_a, strict_a):
    client.force_login(org_a.viewer)
    _age(client, signed_in_minutes_ago=8 * 60 + 1)
    response = client.get(DASHBOARD_A)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    login_page = client.get(response["Location"])
    assert b"Agency Alpha signs people out 8 hours after they sign in" in login_page.content
    assert client.get(reverse("profile")).status_code == 302  # signed out everywhere


def test_an_idle_session_is_signed_out(client, org_a, strict_a):
    client.force_login(org_a.viewer)
    _age(client, seen_minutes_ago=32)
    response = client.get(DASHBOARD_A)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert b"signs people out after 30 minutes without activity" in page.content


def test_activity_in_another_agency_keeps_the_session_alive(client, org_a, org_b, strict_a):
    with scopes_disabled():
        MembershipFactory(organization=org_b.org, user=org_a.viewer)
    client.force_login(org_a.viewer)
    _age(client, seen_minutes_ago=25)
    assert client.get(DASHBOARD_B).status_code == 200
    _age(client, seen_minutes_ago=0, signed_in_minutes_ago=60)
    assert client.get(DASHBOARD_A).status_code == 200


def test_an_agency_without_rules_keeps_the_platform_default(client, org_a, org_b, strict_a):
    with scopes_disabled():
        MembershipFactory(organization=org_b.org, user=org_a.viewer)
    client.force_login(org_a.viewer)
    _age(client, signed_in_minutes_ago=3 * 24 * 60, seen_minutes_ago=600)
    assert client.get(DASHBOARD_B).status_code == 200  # beta has no rules
    client.force_login(org_a.viewer)
    _age(client, signed_in_minutes_ago=3 * 24 * 60, seen_minutes_ago=600)
    assert client.get(DASHBOARD_A).status_code == 302  # alpha's apply in alpha


def test_the_admin_sets_the_rules_and_the_change_is_recorded(client, org_a):
    client.force_login(org_a.admin)
    assert client.get(POLICY_A).status_code == 200
    response = client.post(
        POLICY_A,
        {"mfa_required": "off", "session_lifetime_minutes": "480", "idle_timeout_minutes": "15"},
    )
    assert response.status_code == 302
    policy = SignInPolicy._base_manager.get(organization=org_a.org)
    assert (policy.session_lifetime_minutes, policy.idle_timeout_minutes) == (480, 15)
    assert policy.history.get().history_user == org_a.admin
    page = client.get(POLICY_A).content.decode()
    assert "Admin of Agency Alpha" in page or org_a.admin.display_name in page


def test_rules_out_of_range_are_refused(client, org_a):
    client.force_login(org_a.admin)
    response = client.post(
        POLICY_A,
        {"mfa_required": "off", "session_lifetime_minutes": "5", "idle_timeout_minutes": ""},
    )
    assert response.status_code == 400
    assert b"greater than or equal to 15" in response.content
    assert not SignInPolicy._base_manager.filter(organization=org_a.org).exists()


def test_empty_fields_mean_the_platform_default(client, org_a, strict_a):
    client.force_login(org_a.admin)
    data = {"mfa_required": "off", "session_lifetime_minutes": "", "idle_timeout_minutes": ""}
    assert client.post(POLICY_A, data).status_code == 302
    strict_a.refresh_from_db()
    assert strict_a.session_lifetime_minutes is None and strict_a.idle_timeout_minutes is None


def test_the_rules_come_with_the_membership_query(client, org_a, strict_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(org_a.viewer)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("ownership:preferences", args=["alpha"]))
    reads = [q["sql"] for q in queries.captured_queries if '"identity_signinpolicy"' in q["sql"]]
    assert len(reads) == 1 and '"strategyhub_membership"' in reads[0]  # one joined query
