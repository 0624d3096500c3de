"""Scorecard in a real browser: inline value entry and accessibility."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from strategyhub.organizations import seed_demo_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def riverton():
    organization, _ = seed_demo_organization(password="browser-demo-pass")
    return organization


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("browser-demo-pass")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _no_violations(page):
    results = Axe().run(page)
    assert results.response["violations"] == [], results.generate_report()


def test_owner_enters_a_value_inline_and_sees_the_new_status(page, riverton):
    _sign_in(page, "editor@riverton.example")  # editors may enter any entered measure
    page.goto("/o/riverton/plan/")
    page.get_by_role("link", name="Officers trained in community policing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Officers trained in community policing"
    )
    page.evaluate("window.__marker = 'same page'")
    live = page.locator("#measure-live")
    expect(live.locator(".sh-measure-summary")).to_contain_text("Off track")

    # Bad input first: the message sits next to the field; nothing is lost.
    page.get_by_label("Value", exact=True).fill("fast")
    page.get_by_role("button", name="Save value").click()
    expect(page.locator("#id_value_error")).to_contain_text("Enter a number")
    sparkline_before = live.locator(".sh-measure-summary .sh-sparkline polyline").get_attribute(
        "points"
    )

    # The current month's value, far better than the target: on track.
    page.get_by_label("Value", exact=True).fill("92")
    page.get_by_role("button", name="Save value").click()
    expect(live.get_by_role("status")).to_contain_text("Status now: On track")
    expect(live.locator(".sh-measure-summary")).to_contain_text("On track")
    sparkline_after = live.locator(".sh-measure-summary .sh-sparkline polyline").get_attribute(
        "points"
    )
    assert sparkline_after != sparkline_before
    expect(page.get_by_role("row", name=re.compile(r"92%"))).to_be_visible()
    assert page.evaluate("window.__marker") == "same page"


def test_scorecard_pages_have_no_accessibility_violations(page, riverton):
    _sign_in(page, "viewer@riverton.example")
    page.goto("/o/riverton/plan/")
    _no_violations(page)
    page.get_by_role("link", name="Violent crime rate per 100,000").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Violent crime rate per 100,000")
    _no_violations(page)
    page.get_by_role("link", name="Reduce violent crime").first.click()
    _no_violations(page)
    page.goto("/o/riverton/plan/")
    page.get_by_role("link", name="Strategy map").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategy map")
    _no_violations(page)
    page.goto("/o/riverton/plan/")
    page.get_by_role("link", name="Focus map").click()
    _no_violations(page)
