"""Single sign-on in a real browser, under the app's Content-Security-Policy: from "Sign in
through your agency" to the agency's OpenID Connect provider (django-oauth-toolkit in its
own process, tests/identity/idp/), its sign-in form, and back into the agency."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from strategyhub.models import User
from tests.identity.sso_helpers import set_up_oidc
from tests.identity.sso_support import idp_server  # noqa: F401 - the provider process

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(idp_server, settings):  # noqa: F811 - the imported fixture
    settings.STRATEGYHUB_SSO_ALLOW_LOOPBACK = True
    return idp_server


def test_signing_in_through_the_agencys_provider(page, live_server, org_a, provider):
    set_up_oidc(provider, org_a.org, domains=["alpha.test"], site=live_server.url)
    provider.add_person("nia", "nia@alpha.test", groups=["Staff"])

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in through your agency (single sign-on)").click()
    page.get_by_label("Your work email address").fill("nia@alpha.test")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1, name="Sign in to Agency Alpha")).to_be_visible()
    results = Axe().run(page)
    assert results.response["violations"] == [], results.generate_report()

    page.get_by_role("button", name="Continue with Test provider").click()
    page.wait_for_url(f"{provider.base}/login/**")  # the provider's own sign-in form
    page.get_by_label("Username").fill("nia")
    page.get_by_label("Password").fill("idp-pass-1")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1, name="Agency Alpha")).to_be_visible()
    assert User.objects.filter(email="nia@alpha.test").exists()
