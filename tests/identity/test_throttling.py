"""Failed sign-ins are throttled per email address and client together (django-axes): the
right password does not sign in during the pause, the person signs in from another network
and everybody else signs in as usual, and each failure is logged."""

import logging

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

LOGIN = reverse("account_login")


def _sign_in(client, email, password, ip="203.0.113.7"):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_forty_wrong_passwords_then_the_right_one_does_not_sign_in(client, org_a, password):
    statuses = {_sign_in(client, "admin@alpha.test", f"guess-{n}").status_code for n in range(40)}
    assert statuses <= {200, 429}
    locked = _sign_in(client, "admin@alpha.test", password)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("profile")).status_code == 302  # still signed out
    attempt = AccessAttempt.objects.get(username="admin@alpha.test", ip_address="203.0.113.7")
    assert attempt.failures_since_start >= 5


def test_the_lockout_page_says_why_and_what_to_do(client, org_a, password):
    for n in range(5):
        assert _sign_in(client, "admin@alpha.test", f"guess-{n}").status_code in (200, 429)
    locked = _sign_in(client, "admin@alpha.test", password)
    assert locked.status_code == 429
    assert b"too many failed sign-ins for admin@alpha.test from your network" in locked.content
    assert b"paused for 15 minutes" in locked.content
    assert b"usa-skipnav" in locked.content  # our layout
    assert "_auth_user_id" not in client.session


def test_a_flood_from_one_client_is_refused_with_a_styled_page(client, org_a):
    responses = [_sign_in(client, f"person{n}@alpha.test", "nope") for n in range(31)]
    assert responses[-1].status_code == 429
    assert b"Too many requests" in responses[-1].content
    assert b"usa-skipnav" in responses[-1].content


def test_the_lock_counts_the_address_in_any_case(client, org_a, password):
    for n in range(5):
        _sign_in(client, "ADMIN@alpha.test" if n % 2 else "admin@alpha.test", f"guess-{n}")
    assert _sign_in(client, "admin@alpha.test", password).status_code == 429


def test_fewer_failures_than_the_limit_still_sign_in(client, org_a, password):
    for n in range(4):
        assert _sign_in(client, "admin@alpha.test", f"guess-{n}").status_code == 200
    assert _sign_in(client, "admin@alpha.test", password).status_code == 302


def test_an_attacker_cannot_lock_out_the_person_or_the_agency(client, org_a, password):
    for n in range(40):
        _sign_in(client, "admin@alpha.test", f"guess-{n}", ip="198.51.100.66")
    # The person, from their own network, signs in; so do their colleagues.
    assert _sign_in(client, "admin@alpha.test", password, ip="203.0.113.7").status_code == 302
    client.logout()
    assert _sign_in(client, "editor@alpha.test", password, ip="203.0.113.8").status_code == 302
    assert AccessAttempt.objects.filter(username="admin@alpha.test").count() == 1


def test_a_colleague_on_the_attackers_network_still_signs_in(client, org_a, password):
    for n in range(10):
        _sign_in(client, "admin@alpha.test", f"guess-{n}", ip="198.51.100.66")
    assert _sign_in(client, "editor@alpha.test", password, ip="198.51.100.66").status_code == 302


def test_failures_are_logged(client, org_a, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        _sign_in(client, "admin@alpha.test", "nope")
    assert any(
        "login failure" in r.getMessage().lower() and "admin@alpha.test" in r.getMessage()
        for r in caplog.records
    ), [r.getMessage() for r in caplog.records]


@pytest.mark.parametrize("email", ["admin@alpha.test", "nobody@alpha.test"])
def test_a_wrong_password_says_the_same_for_known_and_unknown_addresses(client, org_a, email):
    response = _sign_in(client, email, "nope")
    assert response.status_code == 200
    assert b"do not match an active account" in response.content
