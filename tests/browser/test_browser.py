"""The foundation's flows in a real browser, plus axe-core accessibility checks."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from strategyhub.models import Invitation
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _assert_no_axe_violations(page):
    results = Axe().run(page)
    violations = results.response["violations"]
    assert violations == [], results.generate_report()


def test_sign_in_switch_agency_and_invite_a_member(page, org_a, org_b, password):
    with scopes_disabled():
        MembershipFactory(organization=org_b.org, user=org_a.admin, role="viewer")

    _sign_in(page, "admin@alpha.test", password)
    # Two agencies and no last one yet: the chooser.
    expect(page.get_by_role("heading", name="Your agencies")).to_be_visible()
    page.get_by_role("link", name="Open Agency Alpha").click()
    expect(page.get_by_role("heading", level=1, name="Agency Alpha")).to_be_visible()

    # Switch agency from the navigation.
    page.locator("summary.sh-nav__link", has_text=re.compile(r"^Agency$")).click()
    page.get_by_role("link", name="Switch to Agency Beta").click()
    expect(page.get_by_role("heading", level=1, name="Agency Beta")).to_be_visible()
    expect(page.get_by_text("You are Viewer here.")).to_be_visible()
    expect(page.get_by_role("link", name="Members")).to_have_count(0)

    page.locator("summary.sh-nav__link", has_text=re.compile(r"^Agency$")).click()
    page.get_by_role("link", name="Switch to Agency Alpha").click()
    page.locator("summary.sh-nav__link", has_text=re.compile(r"^Agency$")).click()
    page.get_by_role("link", name="Members", exact=True).click()

    # A bad address first: the error sits next to the field and nothing is lost.
    page.get_by_label("Email address").fill("not an address")
    page.get_by_label("Role", exact=True).select_option("editor")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("#id_email_error")).to_contain_text("valid email")
    expect(page.get_by_label("Role", exact=True)).to_have_value("editor")

    page.get_by_label("Email address").fill("new.analyst@alpha.test")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text(
        "invitation was sent to new.analyst@alpha.test"
    )
    expect(page.get_by_role("row", name=re.compile("new.analyst@alpha.test"))).to_contain_text(
        "Editor"
    )

    with scopes_disabled():
        invitation = Invitation.objects.get(email="new.analyst@alpha.test")
    assert mail.outbox[-1].to == ["new.analyst@alpha.test"]
    link = re.search(r"/invitations/\S+/", mail.outbox[-1].body).group(0)
    assert invitation.role == "editor"

    # The invitee accepts in a fresh session.
    page.locator("summary.sh-nav__link", has_text="your account").click()
    page.get_by_role("button", name="Sign out").click()
    page.goto(link)
    page.get_by_label("Full name").fill("Nia Analyst")
    page.get_by_label("Choose a password").fill("a-long-pass-phrase")
    page.get_by_label("Repeat the password").fill("a-long-pass-phrase")
    page.get_by_role("button", name="Create account and join").click()
    expect(page.get_by_role("heading", level=1, name="Agency Alpha")).to_be_visible()
    expect(page.get_by_text("You are Editor here.")).to_be_visible()


def test_role_change_inline_without_reload(page, org_a, password):
    _sign_in(page, "admin@alpha.test", password)
    page.goto("/o/alpha/members/")
    page.evaluate("window.__marker = 'same page'")
    row = page.get_by_role("row", name=re.compile("viewer@alpha.test"))
    row.get_by_label(re.compile("Role of")).select_option("contributor")
    row.get_by_role("button", name=re.compile("Change")).click()
    expect(
        page.get_by_role("row", name=re.compile("viewer@alpha.test")).get_by_label(
            re.compile("Role of")
        )
    ).to_have_value("contributor")
    assert page.evaluate("window.__marker") == "same page"


def test_login_page_has_no_accessibility_violations(page, db):
    page.goto("/accounts/login/")
    _assert_no_axe_violations(page)


def test_dashboard_and_members_pages_have_no_accessibility_violations(page, org_a, password):
    _sign_in(page, "admin@alpha.test", password)
    expect(page.get_by_role("heading", level=1, name="Agency Alpha")).to_be_visible()
    _assert_no_axe_violations(page)
    page.goto("/o/alpha/members/")
    _assert_no_axe_violations(page)
    page.goto("/o/alpha/units/")
    _assert_no_axe_violations(page)


def test_settings_show_a_fixed_fiscal_year_with_its_reason(page, org_a, plan_a, password):
    _sign_in(page, "admin@alpha.test", password)
    page.goto("/o/alpha/settings/")
    month = page.get_by_label("Fiscal year starts in")
    expect(month).to_be_disabled()
    expect(month).to_have_accessible_description(re.compile("Fixed: the agency's strategic plan"))
    _assert_no_axe_violations(page)
    page.get_by_label("Name").fill("Alpha City")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("The agency's settings were saved.")).to_be_visible()
    org_a.org.refresh_from_db()
    assert (org_a.org.name, org_a.org.fiscal_year_start_month) == ("Alpha City", 7)
