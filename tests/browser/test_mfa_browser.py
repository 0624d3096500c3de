"""Two-factor sign-in in a real browser: an authenticator app's code as the second step,
and a security key registered through Chromium's virtual authenticator (WebAuthn over the
DevTools protocol) on http://localhost, which WebAuthn accepts when insecure origins are
allowed for tests (it refuses IP addresses)."""

import pytest
from allauth.mfa.models import Authenticator
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from strategyhub.identity.models import SecurityEvent
from tests.identity.test_mfa import current_code, with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_signing_in_with_an_authenticator_app(page, org_a, password):
    secret = with_totp(org_a.editor)
    _sign_in(page, "editor@alpha.test", password)
    expect(page).to_have_url(f"{page.url.split('/accounts/')[0]}/accounts/2fa/authenticate/")
    results = Axe().run(page)
    assert results.response["violations"] == [], results.generate_report()
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1, name="Agency Alpha")).to_be_visible()


def test_registering_a_security_key(page, live_server, org_a, password, settings):
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    assert live_server.url.startswith("http://localhost")
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]
    _sign_in(page, "editor@alpha.test", password)
    expect(page.get_by_role("heading", level=1, name="Agency Alpha")).to_be_visible()
    page.goto("/accounts/2fa/webauthn/add/")
    # Adding a factor asks for the password again first.
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/2fa/webauthn/add/")
    page.get_by_label("Name").fill("Desk key")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    key = Authenticator.objects.get(user=org_a.editor, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Desk key"
    assert SecurityEvent.objects.filter(user=org_a.editor, kind="mfa_added").exists()
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(credentials["credentials"]) == 1  # the key the server now knows
