"""The Data page in a real browser (docs/data.md): an admin downloads the whole agency as a
workbook and as CSV files, and the import template; the page passes axe at a laptop's and
a phone's width. (The import's upload → preview → confirm has its own browser test.)"""

import io
import zipfile

import openpyxl
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from dataio import schema

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("clock"),
]


def _sign_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _download(page, name: str) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name=name).click()
    with open(download.value.path(), "rb") as data:
        return data.read()


@pytest.mark.parametrize("width", [1280, 320])
def test_an_admin_downloads_the_agency_and_the_template(page, org_a, password, width):
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page, org_a.admin.email, password)
    page.goto("/o/alpha/")
    if width == 320:
        page.get_by_role("button", name="Menu").click()  # the links fold behind it
    page.get_by_text("Agency", exact=True).click()
    page.get_by_role("link", name="Data in and out").click()
    expect(page.get_by_role("heading", level=1, name="Data in and out")).to_be_visible()
    assert Axe().run(page).response["violations"] == []
    workbook = openpyxl.load_workbook(io.BytesIO(_download(page, "Download the workbook (.xlsx)")))
    assert workbook.sheetnames[1:] == [sheet.name for sheet in schema.SHEETS]
    units = {row[1] for row in workbook["Units"].iter_rows(min_row=2, values_only=True)}
    assert units == {org_a.unit.name, org_a.team.name}
    archive = zipfile.ZipFile(io.BytesIO(_download(page, "Download CSV files (.zip)")))
    assert "Members.csv" in archive.namelist()
    template = openpyxl.load_workbook(
        io.BytesIO(_download(page, "Download the import template (.xlsx)"))
    )
    assert template["Measures"].data_validations.dataValidation
