"""The API's Swagger UI (/api/v1/docs, served from django-ninja's package: no CDN) renders
every operation under the site's Content-Security-Policy with no violation, and the Tokens
page works without JavaScript problems too."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
});
"""


def test_swagger_ui_renders_under_the_csp(page, live_server):
    console, requests = [], []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda m: console.append(m.text) if m.type in ("error", "warning") else None,
    )
    page.on("request", lambda r: requests.append(r.url))
    response = page.goto("/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("StrategyHub API")
    expect(page.get_by_text("/api/v1/values/bulk", exact=True)).to_be_visible()
    assert page.locator(".opblock").count() >= 18
    assert page.evaluate("window.__violations") == []
    assert [m for m in console if re.search(r"Content.Security.Policy", m)] == []
    assert all(url.startswith(live_server.url) for url in requests), requests
