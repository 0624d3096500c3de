"""The council report in a real browser: an editor drafts the quarterly report from the
form, sends it for review, an admin approves it; the report page and the downloaded HTML
document are axe-clean (WCAG 2.1 AA rules)."""

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
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("browser-demo-pass")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _no_violations(page):
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    assert results.response["violations"] == [], results.generate_report()


def test_draft_review_approve_and_the_report_is_accessible(page, riverton, tmp_path):
    _sign_in(page, "editor@riverton.example")
    page.goto("/o/riverton/reports/")
    page.get_by_role("link", name="New report").click()
    page.get_by_label("Template").select_option("council_quarterly")
    page.get_by_label("Period").select_option(label="Q1 FY 2026–27")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Council quarterly report, Q1 FY 2026–27"
    )
    expect(page.get_by_role("heading", name="Summary", level=2)).to_be_visible()
    expect(
        page.get_by_role("table", name="Average response time to serious incidents: every value")
    ).to_be_visible()
    _no_violations(page)
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Sent for review.")).to_be_visible()

    _sign_in(page, "admin@riverton.example")
    page.goto("/o/riverton/reports/")
    page.get_by_role("link", name="Council quarterly report, Q1 FY 2026–27").click()
    page.get_by_role("button", name="Approve and freeze").click()
    expect(page.get_by_text("Approved: this edition is now frozen.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download HTML").click()
    document = tmp_path / "report.html"
    download.value.save_as(document)
    page.goto(document.as_uri())
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Council quarterly report, Q1 FY 2026–27"
    )
    _no_violations(page)


def test_an_owner_writes_commentary_and_the_forms_are_accessible(page, riverton):
    from django_scopes import scope

    from reports import commentary, editions
    from strategyhub.models import User

    with scope(organization=riverton):
        editor = User.objects.get(email="editor@riverton.example")
        report = editions.create_report(
            riverton, editor, template="council_quarterly", fiscal_year=2026, quarter=1
        )
        commentary.request_commentary(report.editions.get(), editor, riverton.today())
    _sign_in(page, "contributor@riverton.example")
    page.goto(f"/o/riverton/reports/{report.pk}/editions/1/")
    expect(page.get_by_role("heading", name="Owners' commentary")).to_be_visible()
    _no_violations(page)
    form = page.locator("form", has_text="Average response time to serious incidents")
    form.get_by_label("Your analysis").fill("Dispatch was two people short in August.")
    form.get_by_label("Recovery strategy").fill("Two more dispatchers from January.")
    form.get_by_role("button").click()
    expect(page.get_by_text("Your commentary is in the draft.")).to_be_visible()
    expect(page.locator(".sh-report__commentary").first).to_contain_text("Commentary by")
    expect(page.locator(".sh-report__commentary").first).to_contain_text(
        "Two more dispatchers from January."
    )

    _sign_in(page, "admin@riverton.example")
    page.goto("/o/riverton/reports/schedules/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Report schedules")
    _no_violations(page)
