"""The weekly check-in in a real browser, and accessibility of the OKR pages."""

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


def test_owner_checks_in_inline_and_the_measure_moves(page, riverton):
    _sign_in(page, "contributor@riverton.example")
    page.get_by_role("link", name="My check-ins").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My check-ins")
    _no_violations(page)
    page.evaluate("window.__marker = 'same page'")
    card = page.locator(
        "article",
        has=page.get_by_role("heading", name="Respond to serious incidents in under 8 min"),
    )
    card.get_by_text("Check in").click()
    # Keyboard only from here: type the value, tab on, submit with Enter.
    card.get_by_label(re.compile("Current value")).fill("slow")
    card.get_by_label(re.compile("Current value")).press("Enter")
    card = page.locator(
        "article",
        has=page.get_by_role("heading", name="Respond to serious incidents in under 8 min"),
    )
    expect(card.locator(".usa-error-message")).to_contain_text("Enter a number")
    # A sibling card of the same objective, and a card of another objective.
    sibling = page.locator(
        "article", has=page.get_by_role("heading", name="Increase foot patrols by 40%")
    ).locator('[id^="objective-score-"]')
    elsewhere = page.locator(
        "article", has=page.get_by_role("heading", name="Integrate CAD and mobile units by week 8")
    ).locator('[id^="objective-score-"]')
    sibling_before, elsewhere_before = sibling.inner_text(), elsewhere.inner_text()
    card.get_by_label(re.compile("Current value")).fill("7.9")
    card.get_by_label(re.compile("Confidence")).fill("8")
    card.get_by_role("button", name="Save check-in").click()
    card = page.locator(
        "article",
        has=page.get_by_role("heading", name="Respond to serious incidents in under 8 min"),
    )
    saved = card.get_by_role("status")
    expect(saved).to_contain_text("Score now 1.00")
    expect(saved).to_contain_text("objective score")
    expect(saved).to_contain_text("Average response time to serious incidents now 7.9 min")
    assert page.evaluate("window.__marker") == "same page"
    # The sibling card shows the objective's new score without a reload (out-of-band swap).
    new_score = card.locator('[id^="objective-score-"]').inner_text()
    assert new_score != sibling_before
    expect(sibling).to_have_text(new_score)
    expect(elsewhere).to_have_text(elsewhere_before)
    # The scorecard shows the new value.
    page.goto("/o/riverton/plan/")
    row = page.get_by_role("row", name=re.compile("Average response time"))
    expect(row).to_contain_text("7.9 min")


def test_cycle_overview_is_accessible(page, riverton):
    _sign_in(page, "viewer@riverton.example")
    page.get_by_role("link", name="OKRs").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("OKRs")
    # The alignment tree: each objective an item with its score bar and status in words.
    item = page.locator(
        ".sh-tree__item",
        has=page.get_by_role("link", name="Modernize dispatch and response systems"),
    )
    expect(item).to_be_visible()
    expect(item.locator(".sh-progress__text")).to_contain_text("of 1.0")
    _no_violations(page)
    page.get_by_role(
        "link", name="Reduce violent crime in priority districts (Wards 5, 7, 8)"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reduce violent crime")
    _no_violations(page)
    page.get_by_role("link", name="Increase foot patrols by 40%").click()
    expect(page.get_by_role("img", name=re.compile("check-ins"))).to_be_visible()
    _no_violations(page)
