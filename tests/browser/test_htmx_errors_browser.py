"""In-page (htmx) submits in a real browser, with DEBUG on as in the demo (``make run``):
a 400 answer with the form and its errors is swapped in place (the page keeps its header,
styles and state), and focus goes to the first invalid field after an error and to the
status message after a success, never to <body>."""

import re

import pytest
from playwright.sync_api import expect

from strategyhub.organizations import seed_demo_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def riverton(settings):
    settings.DEBUG = True  # the demo's setting; django-htmx's debug handler keyed on it
    organization, _ = seed_demo_organization(password="browser-demo-pass")
    return organization


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("browser-demo-pass")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {
                tag: el ? el.tagName : null,
                id: el ? el.id : null,
                invalid: el ? el.getAttribute("aria-invalid") : null,
                role: el ? el.getAttribute("role") : null,
                text: el ? el.textContent.trim() : "",
            };
        }"""
    )


def _page_is_whole(page, heading):
    """The page around the swapped region is still there: header, heading, stylesheet."""
    expect(page.locator("header.sh-header")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert page.evaluate("window.__marker") == "same page"
    assert page.evaluate("[...document.styleSheets].some(s => (s.href || '').includes('uswds'))")


def test_value_error_swaps_in_place_with_debug_on_and_focus_follows(page, riverton):
    _sign_in(page, "editor@riverton.example")
    page.goto("/o/riverton/plan/")
    page.get_by_role("link", name="Officers trained in community policing").click()
    heading = "Officers trained in community policing"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.evaluate("window.__marker = 'same page'")

    # A share of 120 %: refused with 400 and the form's message.
    page.get_by_label("Value", exact=True).fill("120")
    with page.expect_response(re.compile(r"/measures/\d+/values/$")) as answer:
        page.get_by_role("button", name="Save value").click()
    assert answer.value.status == 400
    expect(page.locator("#id_value_error")).to_be_visible()
    _page_is_whole(page, heading)
    focused = _focused(page)
    assert focused["id"] == "id_value", focused
    assert focused["invalid"] == "true"

    # Corrected: saved, focus on the status message of the updated region.
    page.get_by_label("Value", exact=True).fill("92")
    page.get_by_role("button", name="Save value").click()
    status = page.locator("#measure-live").get_by_role("status")
    expect(status).to_contain_text("Status now: On track")
    _page_is_whole(page, heading)
    expect(status).to_be_focused()


def test_check_in_error_swaps_in_place_with_debug_on_and_focus_follows(page, riverton):
    _sign_in(page, "contributor@riverton.example")
    page.get_by_role("link", name="My check-ins").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My check-ins")
    page.evaluate("window.__marker = 'same page'")
    title = "Respond to serious incidents in under 8 min"

    def card():
        return page.locator("article", has=page.get_by_role("heading", name=title))

    card().get_by_text("Check in").click()
    # A duration below zero: refused with 400 and the message on the value.
    card().get_by_label(re.compile("Current value")).fill("-1")
    with page.expect_response(re.compile(r"/key-results/\d+/check-in/$")) as answer:
        card().get_by_role("button", name="Save check-in").click()
    assert answer.value.status == 400
    expect(card().locator(".usa-error-message")).to_be_visible()
    _page_is_whole(page, "My check-ins")
    focused = _focused(page)
    assert focused["invalid"] == "true", focused
    assert focused["id"].endswith("-value"), focused
    # The field names its own message (a prefixed form: id_kr<pk>-value_error).
    described = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    assert described.split()[0] == f"{focused['id']}_error"
    expect(page.locator(f"#{focused['id']}_error")).to_be_visible()

    card().get_by_label(re.compile("Current value")).fill("7.9")
    card().get_by_role("button", name="Save check-in").click()
    status = card().get_by_role("status")
    expect(status).to_contain_text("Score now")
    _page_is_whole(page, "My check-ins")
    expect(status).to_be_focused()
