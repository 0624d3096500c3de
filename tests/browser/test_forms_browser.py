"""The new-measure and new-key-result forms in a real browser (issue 23), as an editor of the
demo agency, at a laptop's and a phone's width: grouped under their legends, axe-core clean
before and after a bad submission, the message beside its field with the entries kept, no
sideways scrolling; and a range measure saved with JavaScript off (the fields that apply to
some measures only are plain fields, not revealed by a script)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from okrs.models import OkrObjective
from scorecards.models import Measure, StrategicPlan
from strategyhub.organizations import seed_demo_organization
from tests.browser.test_reflow_browser import sideways_overflow, widest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1280, 320]


@pytest.fixture
def riverton():
    organization, _ = seed_demo_organization(password="browser-demo-pass")
    return organization


def _sign_in(page, email="editor@riverton.example"):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("browser-demo-pass")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _looks_right(page, name):
    """axe-core finds nothing and the page does not scroll sideways; a full-page
    screenshot is kept for review."""
    results = Axe().run(page)
    assert results.response["violations"] == [], results.generate_report()
    assert sideways_overflow(page) == 0, widest(page)
    width = page.viewport_size["width"]
    page.screenshot(path=f"/tmp/forms-{name}-{width}.png", full_page=True)  # noqa: S108


def _choose(page, label_start):
    """Click the radio button's label, as a person does (USWDS draws its own circle over a
    visually hidden input)."""
    page.locator("label.usa-radio__label", has_text=label_start).click()


def _measure_new_url(organization):
    with scopes_disabled():
        plan = StrategicPlan.objects.get(organization=organization, status="active")
    return reverse("scorecards:measure_new", args=[organization.slug, plan.pk])


@pytest.mark.parametrize("width", WIDTHS)
def test_new_measure_form_is_grouped_and_shows_errors_beside_the_fields(page, riverton, width):
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page)
    page.goto(_measure_new_url(riverton))
    expect(page.get_by_role("heading", level=1)).to_have_text("New measure")
    for legend in (
        "What it measures",
        "Which direction is better?",
        "Baseline and five-year target",
        "Range to stay within (only for “Stay within a range”)",
        "Where the numbers come from",
        "How often and who",
    ):
        expect(page.get_by_role("group", name=legend, exact=True)).to_be_visible()
    _looks_right(page, "measure")

    page.get_by_label("Name", exact=True).fill("Budget variance")
    _choose(page, "Stay within a range")
    page.get_by_label("Baseline value").fill("about three")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#id_baseline_value_error")).to_contain_text("Enter a number")
    expect(page.locator("#id_range_low_error")).to_contain_text(
        "A range measure needs its lowest acceptable value."
    )
    summary = page.locator(".sh-error-summary")
    expect(summary.get_by_role("heading")).to_contain_text("Please fix")
    expect(summary.get_by_role("link", name="Lowest acceptable value")).to_be_visible()
    # The entries are kept, the bad number as typed.
    expect(page.get_by_label("Name", exact=True)).to_have_value("Budget variance")
    expect(page.get_by_label("Baseline value")).to_have_value("about three")
    expect(page.get_by_label(re.compile(r"^Stay within a range"))).to_be_checked()
    # The error's field is named by its message and its help.
    expect(page.get_by_label("Lowest acceptable value")).to_have_attribute(
        "aria-describedby", "id_range_low_error id_range_low_helptext"
    )
    _looks_right(page, "measure-errors")


@pytest.mark.parametrize("width", WIDTHS)
def test_new_key_result_form_is_grouped_and_shows_errors_beside_the_fields(page, riverton, width):
    with scopes_disabled():
        okr = (
            OkrObjective.objects.filter(organization=riverton, archived_at=None)
            .exclude(cycle__status="closed")
            .first()
        )
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page)
    page.goto(reverse("okrs:key_result_new", args=[riverton.slug, okr.pk]))
    for legend in ("What result", "Start and target (numbers only)", "How it adds up"):
        expect(page.get_by_role("group", name=legend, exact=True)).to_be_visible()
    expect(page.get_by_role("group", name="Only for some kinds of result")).to_be_visible()
    _looks_right(page, "key-result")

    page.get_by_label("Result", exact=True).fill("Keep overtime under 900 hours")
    _choose(page, "Hold the line (stay")
    page.get_by_label("Target (stretch) or threshold").fill("900")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#id_hold_direction_error")).to_contain_text(
        "Say whether to stay at least or at most the threshold."
    )
    expect(page.get_by_label("Result", exact=True)).to_have_value("Keep overtime under 900 hours")
    expect(page.get_by_label("Target (stretch) or threshold")).to_have_value("900")
    # The summary's link leads to the radio group's first choice.
    page.locator(".sh-error-summary").get_by_role("link").first.click()
    expect(page.get_by_label("Not a hold-the-line result")).to_be_focused()
    _looks_right(page, "key-result-errors")


def test_a_range_measure_is_saved_without_javascript(browser, live_server, riverton):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 320, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _sign_in(page)
        page.goto(_measure_new_url(riverton))
        objective = page.get_by_label("Strategic objective")
        objective.select_option(index=1)
        page.get_by_label("Name", exact=True).fill("Overtime budget variance")
        page.get_by_label("Unit of measure").select_option("percent_change")
        _choose(page, "Stay within a range")
        page.get_by_label("Baseline value").fill("3.2")
        page.get_by_label("Baseline date").fill("2026-06-30")
        page.get_by_label("Lowest acceptable value").fill("-2")
        page.get_by_label("Highest acceptable value").fill("2")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Overtime budget variance")
    finally:
        context.close()
    with scopes_disabled():
        saved = Measure.objects.get(organization=riverton, name="Overtime budget variance")
    assert (saved.polarity, saved.range_low, saved.range_high) == ("range", -2, 2)
