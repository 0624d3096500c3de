"""In-page (htmx) answers are announced (issue 23, docs/ui.md): the page's live region
(``#sh-announcer`` in base.html, present before any answer arrives) reads the field's error
after a refused check-in and the saved message after a good one, with DEBUG on as in the
demo."""

import re

import pytest
from playwright.sync_api import expect

from strategyhub.organizations import seed_demo_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def riverton(settings):
    settings.DEBUG = True
    organization, _ = seed_demo_organization(password="browser-demo-pass")
    return organization


def test_check_in_answers_are_announced(page, riverton):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("contributor@riverton.example")
    page.get_by_label("Password").fill("browser-demo-pass")
    page.locator("main form button[type=submit]").click()
    page.get_by_role("link", name="My check-ins").click()
    announcer = page.locator("#sh-announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer).to_have_text("")
    title = "Respond to serious incidents in under 8 min"

    def card():
        return page.locator("article", has=page.get_by_role("heading", name=title))

    card().get_by_text("Check in").click()
    card().get_by_label(re.compile("Current value")).fill("slow")
    card().get_by_role("button", name="Save check-in").click()
    expect(card().locator(".usa-error-message")).to_contain_text("Enter a number")
    expect(announcer).to_contain_text("Enter a number")
    assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"

    card().get_by_label(re.compile("Current value")).fill("7.9")
    card().get_by_role("button", name="Save check-in").click()
    expect(card().get_by_role("status")).to_contain_text("Score now")
    expect(announcer).to_contain_text("Saved. Score now")
