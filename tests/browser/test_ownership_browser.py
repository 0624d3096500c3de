"""Ownership page in a real browser: inline reassignment and accessibility."""

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


def test_admin_fixes_a_gap_inline(page, riverton):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("admin@riverton.example")
    page.get_by_label("Password").fill("browser-demo-pass")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Ownership", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ownership")
    results = Axe().run(page)
    assert results.response["violations"] == [], results.generate_report()
    row = page.get_by_role("row", name=re.compile("Officers trained in community policing"))
    row.get_by_label(re.compile("New owner of")).select_option(label="Emerson Editor")
    row.get_by_role("button", name=re.compile("Assign")).click()
    expect(row.get_by_role("status")).to_contain_text("Now owned by Emerson Editor")
    page.get_by_role("link", name=re.compile("unread notifications|Notifications")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    results = Axe().run(page)
    assert results.response["violations"] == [], results.generate_report()


def test_reassign_form_fetched_on_demand_keeps_keyboard_focus(page, riverton, monkeypatch):
    """Above the member limit the row holds a Reassign button; the form replaces it with
    the focus in its select, so a keyboard user carries straight on."""
    from ownership import views

    monkeypatch.setattr(views, "INLINE_MEMBER_LIMIT", 0)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("admin@riverton.example")
    page.get_by_label("Password").fill("browser-demo-pass")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Ownership", exact=True).click()
    row = page.get_by_role("row", name=re.compile("Officers trained in community policing"))
    expect(row.get_by_role("combobox")).to_have_count(0)
    row.get_by_role("link", name=re.compile("Reassign")).click()
    select = row.get_by_label(re.compile("New owner of"))
    expect(select).to_be_focused()
    select.select_option(label="Emerson Editor")
    row.get_by_role("button", name=re.compile("Assign")).click()
    expect(row.get_by_role("status")).to_contain_text("Now owned by Emerson Editor")
    results = Axe().run(page)
    assert results.response["violations"] == [], results.generate_report()
