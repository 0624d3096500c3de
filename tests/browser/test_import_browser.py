"""The import in a real browser: an admin uploads an agency's export on the Data page, reads
the preview (what each sheet would create, update and leave alone), confirms, and sees the
result; a file with a problem shows the problems table. Every page is axe-clean."""

import io
import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from dataio import export
from strategyhub.models import Membership, Organization, User
from strategyhub.organizations import seed_demo_organization

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "dataio_progress"]),
]

SHOTS = os.environ.get("STRATEGYHUB_SHOTS", "")  # a folder: screenshots at 1280 and 320 px


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
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    assert results.response["violations"] == [], results.generate_report()


def _shots(page, name):
    if not SHOTS:
        return
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_upload_preview_confirm_and_a_file_with_problems(page, riverton, tmp_path):
    from django_scopes import scope

    out = io.BytesIO()
    with scope(organization=riverton):
        export.write_workbook(riverton, out)
    workbook = tmp_path / "riverton.xlsx"
    workbook.write_bytes(out.getvalue())
    copy = Organization.objects.create(name="Copy of Riverton", slug="copy")
    Membership.objects.create(
        organization=copy, user=User.objects.get(email="admin@riverton.example"), role="admin"
    )
    _sign_in(page, "admin@riverton.example")
    page.goto("/o/copy/data/")
    expect(page.get_by_role("heading", name="Import a workbook")).to_be_visible()
    _no_violations(page)
    _shots(page, "data-page")
    page.get_by_label("Workbook (.xlsx) or zip of CSV files").set_input_files(str(workbook))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("Ready to import: no problems found.")).to_be_visible()
    table = page.get_by_role("table", name="What the import would do, per sheet")
    expect(table.get_by_role("row", name="Check-ins")).to_contain_text("285")
    _no_violations(page)
    _shots(page, "import-preview")
    page.get_by_role("button", name="Import these changes").click()
    expect(page.get_by_text("Imported.")).to_be_visible()
    expect(page.get_by_role("table", name="What the import did, per sheet")).to_be_visible()
    _no_violations(page)
    _shots(page, "import-done")

    bad = tmp_path / "units.csv.zip"
    import zipfile

    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("Units.csv", "Key,Name,Kind\nU-1,Patrol,squad\n")
    page.goto("/o/copy/data/")
    page.get_by_label("Workbook (.xlsx) or zip of CSV files").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("Not imported: nothing was changed.")).to_be_visible()
    problems = page.get_by_role("table", name="Every problem found")
    expect(problems).to_contain_text("Units")
    expect(problems).to_contain_text("squad")
    _no_violations(page)
    _shots(page, "import-problems")
