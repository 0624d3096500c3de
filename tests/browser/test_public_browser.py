"""Public pages with JavaScript off: content present, axe-core finds no violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from strategyhub.organizations import seed_demo_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_js_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_public_pages_without_javascript_are_complete_and_accessible(no_js_page, page):
    seed_demo_organization(password="browser-demo-pass")
    visits = [
        ("/p/riverton/", "City of Riverton Strategic Plan 2026–2030"),
        ("/p/riverton/okrs/", "This quarter's goals"),
        ("/p/riverton/archive/", "Earlier editions"),
    ]
    for url, heading in visits:
        no_js_page.goto(url)
        expect(no_js_page.get_by_role("heading", level=1)).to_contain_text(heading)
    no_js_page.goto("/p/riverton/")
    no_js_page.get_by_role("link", name="Average response time to serious incidents").click()
    expect(no_js_page.get_by_role("heading", level=1)).to_have_text(
        "Average response time to serious incidents"
    )
    expect(no_js_page.get_by_text("9.2 min (June 30, 2026)")).to_be_visible()  # the baseline
    expect(no_js_page.get_by_text("7.0 min by June 30, 2031")).to_be_visible()  # the target
    # axe needs script in the page: run it with JavaScript on, page by page.
    for url in ["/p/riverton/", "/p/riverton/okrs/", "/p/riverton/archive/"]:
        page.goto(url)
        results = Axe().run(page)
        assert results.response["violations"] == [], (url, results.generate_report())
    page.goto("/p/riverton/")
    page.get_by_role("link", name="Reduce violent crime", exact=True).click()
    results = Axe().run(page)
    assert results.response["violations"] == [], results.generate_report()
    page.get_by_role("link", name="Violent crime rate per 100,000").click()
    results = Axe().run(page)
    assert results.response["violations"] == [], results.generate_report()
