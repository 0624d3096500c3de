"""Two-factor sign-in (allauth.mfa) with our rules: an authenticator app's code as the
second step of signing in, seeds encrypted at rest, agencies that require it, the admin's
reset of a member's factors, and the security history shown to the person and the admins."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.core.cache import cache
from django.urls import reverse
from django_scopes import scopes_disabled

from strategyhub.identity import encryption
from strategyhub.identity.models import SecurityEvent, SecurityEventKind, SignInPolicy
from strategyhub.models import Membership
from tests.factories import MembershipFactory

LOGIN = reverse("account_login")
DASHBOARD_A = reverse("agency:dashboard", args=["alpha"])
SECURITY_A = reverse("agency:member_security", args=["alpha"])


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def with_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.fixture(autouse=True)
def _no_used_codes():
    """allauth remembers used codes in the cache (no replay); tests reuse the clock."""
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("allauth.mfa.totp.used*")
    yield


def test_signing_in_with_an_authenticator_app_takes_the_code(client, org_a, password):
    secret = with_totp(org_a.editor)
    first = client.post(LOGIN, {"login": "editor@alpha.test", "password": password})
    assert first.status_code == 302
    assert first["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not signed in before the code
    assert client.get(reverse("profile")).status_code == 302
    page = client.get(first["Location"])
    assert page.status_code == 200 and b"usa-skipnav" in page.content
    wrong = client.post(first["Location"], {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    done = client.post(first["Location"], {"code": current_code(secret)})
    assert done.status_code == 302
    assert client.get(reverse("profile")).status_code == 200
    event = SecurityEvent.objects.filter(user=org_a.editor).first()
    assert event.kind == SecurityEventKind.SIGNED_IN_MFA


def test_the_seed_is_encrypted_at_rest(org_a):
    secret = with_totp(org_a.editor)
    stored = Authenticator.objects.get(user=org_a.editor, type="totp").data["secret"]
    assert secret not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    assert encryption.decrypt(stored) == secret


def test_encryption_keys_from_the_environment_rotate(settings):
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.STRATEGYHUB_ENCRYPTION_KEYS = [old]
    token = encryption.encrypt("seed")
    settings.STRATEGYHUB_ENCRYPTION_KEYS = [new, old]
    assert encryption.decrypt(token) == "seed"  # older keys still decrypt
    assert Fernet(new.encode()).decrypt(encryption.encrypt("x").encode()) == b"x"


@pytest.mark.parametrize(
    ("rule", "role", "sent_to_setup"),
    [
        ("everyone", "viewer", True),
        ("everyone", "admin", True),
        ("admins", "viewer", False),
        ("admins", "admin", True),
        ("off", "admin", False),
    ],
)
def test_an_agency_that_requires_it_sends_people_without_it_to_set_it_up(
    client, org_a, rule, role, sent_to_setup
):
    SignInPolicy._base_manager.create(organization=org_a.org, mfa_required=rule)
    client.force_login(org_a.user(role))
    response = client.get(DASHBOARD_A)
    if sent_to_setup:
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_index")
        page = client.get(response["Location"])
        assert b"Agency Alpha requires two-factor sign-in" in page.content
    else:
        assert response.status_code == 200


def test_with_a_second_factor_the_required_agency_opens(client, org_a):
    SignInPolicy._base_manager.create(organization=org_a.org, mfa_required="everyone")
    with_totp(org_a.viewer)
    client.force_login(org_a.viewer)
    assert client.get(DASHBOARD_A).status_code == 200


def test_another_agencys_rule_does_not_apply_here(client, org_a, org_b):
    SignInPolicy._base_manager.create(organization=org_b.org, mfa_required="everyone")
    with scopes_disabled():
        MembershipFactory(organization=org_b.org, user=org_a.viewer)
    client.force_login(org_a.viewer)
    assert client.get(DASHBOARD_A).status_code == 200
    assert client.get(reverse("agency:dashboard", args=["beta"])).status_code == 302


def test_an_admin_without_it_cannot_require_it(client, org_a):
    client.force_login(org_a.admin)
    url = reverse("agency:sign_in_policy", args=["alpha"])
    data = {"mfa_required": "everyone", "session_lifetime_minutes": "", "idle_timeout_minutes": ""}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert b"Set up two-factor sign-in for yourself first" in refused.content
    with_totp(org_a.admin)
    assert client.post(url, data).status_code == 302
    assert SignInPolicy._base_manager.get(organization=org_a.org).mfa_required == "everyone"


def test_the_admin_resets_a_members_factors_and_it_is_recorded(client, org_a):
    with_totp(org_a.editor)
    with scopes_disabled():
        membership = Membership.objects.get(organization=org_a.org, user=org_a.editor)
    client.force_login(org_a.admin)
    page = client.get(SECURITY_A).content.decode()
    assert "Reset two-factor sign-in" in page
    url = reverse("agency:member_mfa_reset", args=["alpha", membership.pk])
    assert client.post(url).status_code == 302
    assert not Authenticator.objects.filter(user=org_a.editor).exists()
    event = SecurityEvent.objects.get(user=org_a.editor, kind=SecurityEventKind.MFA_RESET)
    assert (event.by, event.agency_name) == (org_a.admin, "Agency Alpha")
    # The person sees it on their profile.
    client.force_login(org_a.editor)
    profile = client.get(reverse("profile")).content.decode()
    assert "Two-factor sign-in reset by an agency admin" in profile
    assert "Admin of Agency Alpha" in profile


def test_a_member_of_another_agency_too_is_reset_only_by_platform_support(client, org_a, org_b):
    with_totp(org_a.editor)
    with scopes_disabled():
        MembershipFactory(organization=org_b.org, user=org_a.editor)
        membership = Membership.objects.get(organization=org_a.org, user=org_a.editor)
    client.force_login(org_a.admin)
    url = reverse("agency:member_mfa_reset", args=["alpha", membership.pk])
    page = client.post(url, follow=True)
    assert b"only platform support can reset" in page.content
    assert Authenticator.objects.filter(user=org_a.editor).exists()


def test_another_agencys_member_cannot_be_reset(client, org_a, org_b):
    with_totp(org_b.admin)
    with scopes_disabled():
        foreign = Membership.objects.get(organization=org_b.org, user=org_b.admin)
    client.force_login(org_a.admin)
    url = reverse("agency:member_mfa_reset", args=["alpha", foreign.pk])
    assert client.post(url).status_code == 404
    assert Authenticator.objects.filter(user=org_b.admin).exists()


def test_admins_see_the_history_of_their_own_agencys_members_only(
    client, org_a, org_b, django_assert_max_num_queries
):
    client.force_login(org_b.viewer)  # a sign-in in agency B
    client.force_login(org_a.editor)  # and one in agency A
    client.force_login(org_a.admin)
    with django_assert_max_num_queries(12):
        page = client.get(SECURITY_A).content.decode()
    assert "Editor of Agency Alpha" in page
    assert "Viewer of Agency Beta" not in page
    assert "Signed in" in page


def test_the_person_sees_their_own_sign_ins(client, org_a, org_b):
    client.force_login(org_b.viewer)
    client.force_login(org_a.viewer)
    profile = client.get(reverse("profile")).content.decode()
    assert "Your recent sign-ins and security changes" in profile
    assert profile.count("<td>Signed in</td>") == 1


def _reauthenticate(client, password):
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302


def test_setting_up_an_authenticator_app_through_the_pages(
    client, org_a, password, django_capture_on_commit_callbacks
):
    SignInPolicy._base_manager.create(organization=org_a.org, mfa_required="everyone")
    client.force_login(org_a.viewer)
    assert client.get(DASHBOARD_A).status_code == 302  # sent to set it up
    _reauthenticate(client, password)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert b"usa-skipnav" in page.content and b"<script>" not in page.content
    assert b"<svg" in page.content and b"data:image" not in page.content  # inline QR code
    secret = client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals on commit
        done = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=org_a.viewer, type="totp").exists()
    assert Authenticator.objects.filter(user=org_a.viewer, type="recovery_codes").exists()
    event = SecurityEvent.objects.filter(user=org_a.viewer).first()
    assert (event.kind, event.detail) == (SecurityEventKind.MFA_ADDED, "TOTP Authenticator")
    assert client.get(DASHBOARD_A).status_code == 200  # the agency opens now


def test_a_recovery_code_signs_in_once(client, org_a, password):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    with_totp(org_a.editor)
    code = RecoveryCodes.activate(org_a.editor).get_unused_codes()[0]
    for attempt in ("first", "again"):
        client.logout()
        first = client.post(LOGIN, {"login": "editor@alpha.test", "password": password})
        assert first["Location"] == reverse("mfa_authenticate")
        client.post(first["Location"], {"code": code})
        signed_in = client.get(reverse("profile")).status_code == 200
        assert signed_in is (attempt == "first")


def test_removing_the_app_is_recorded(client, org_a, password, django_capture_on_commit_callbacks):
    with_totp(org_a.viewer)
    client.force_login(org_a.viewer)
    _reauthenticate(client, password)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert not Authenticator.objects.filter(user=org_a.viewer, type="totp").exists()
    kinds = list(SecurityEvent.objects.filter(user=org_a.viewer).values_list("kind", flat=True))
    assert SecurityEventKind.MFA_REMOVED in kinds
