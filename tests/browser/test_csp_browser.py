"""The pages under their Content-Security-Policy in a real browser: the htmx forms still
work (a check-in with an inline validation error, then saved), the chart legends keep their
colours without inline styles, and the browser reports no policy violation on any page."""

import re

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from okrs.models import CheckIn
from publicdash.publishing import publish
from strategyhub.models import User
from strategyhub.organizations import seed_demo_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
});
"""


@pytest.fixture
def riverton():
    organization, _ = seed_demo_organization(password="browser-demo-pass")
    return organization


@pytest.fixture
def watched(page):
    """The page, recording CSP violations (events and console errors) from its first byte."""
    console = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if message.type in ("error", "warning")
            and re.search(r"Content.Security.Policy|Permissions.Policy", message.text)
            else None
        ),
    )
    page.console_problems = console
    return page


def _no_violations(page):
    assert page.evaluate("window.__violations") == [], page.url
    assert page.console_problems == [], page.url


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("browser-demo-pass")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _no_violations(page)


def test_htmx_check_in_works_under_the_policy(watched, riverton):
    page = watched
    with scope(organization=riverton):
        before = CheckIn.objects.count()
    _sign_in(page, "contributor@riverton.example")
    response = page.goto("/o/riverton/okrs/check-ins/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    expect(page.get_by_role("heading", level=1)).to_have_text("My check-ins")
    page.evaluate("window.__marker = 'same page'")
    title = "Respond to serious incidents in under 8 min"

    def card():
        return page.locator("article", has=page.get_by_role("heading", name=title))

    card().get_by_text("Check in").click()
    card().get_by_label(re.compile("Current value")).fill("-1")
    with page.expect_response(re.compile(r"/key-results/\d+/check-in/$")) as answer:
        card().get_by_role("button", name="Save check-in").click()
    assert answer.value.status == 400
    expect(card().locator(".usa-error-message")).to_be_visible()  # swapped in by htmx
    assert page.evaluate("window.__marker") == "same page"
    card().get_by_label(re.compile("Current value")).fill("7.9")
    card().get_by_role("button", name="Save check-in").click()
    expect(card().get_by_role("status")).to_contain_text("Score now")
    assert page.evaluate("window.__marker") == "same page"
    _no_violations(page)
    with scope(organization=riverton):
        assert CheckIn.objects.count() == before + 1
    # htmx's own indicator <style> was not injected (it would be a violation).
    assert page.evaluate("document.querySelectorAll('style').length") == 0


def test_pages_show_no_policy_violation(watched, riverton, live_server):
    page = watched
    with scope(organization=riverton):
        publish(riverton, by=User.objects.get(email="admin@riverton.example"))
    _sign_in(page, "editor@riverton.example")
    page.goto("/o/riverton/plan/")
    _no_violations(page)
    page.get_by_role("link", name="Officers trained in community policing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Officers trained in community policing"
    )
    swatch = page.locator(".sh-legend__swatch").first
    expect(swatch).to_be_visible()
    colour = swatch.evaluate(
        "el => { const s = getComputedStyle(el.firstElementChild);"
        " return s.stroke + ' ' + s.fill; }"
    )
    assert "rgb(0, 94, 162)" in colour, colour  # the legend keeps its colour (no inline style)
    _no_violations(page)
    for path in ("/o/riverton/", "/o/riverton/okrs/", "/o/riverton/ownership/"):
        page.goto(path)
        _no_violations(page)
    # The header's Menu button (our script) still opens the links under the policy.
    page.set_viewport_size({"width": 480, "height": 900})
    page.goto("/o/riverton/")
    page.get_by_role("button", name="Menu").click()
    expect(page.locator("nav#sh-nav")).to_be_visible()
    _no_violations(page)
    # The public pages, anonymous.
    page.context.clear_cookies()
    for path in ("/p/riverton/", "/p/riverton/"):  # the second from the fast path
        response = page.goto(path)
        assert response.status == 200
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        _no_violations(page)
    # The listener itself works: an inline style injected now is blocked and reported.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_function("window.__violations.length > 0")
    assert "style-src" in page.evaluate("window.__violations[0]")
