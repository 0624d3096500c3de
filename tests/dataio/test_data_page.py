"""The Data page: admins download the export and the template (the access matrix in
tests/test_access.py covers every role and agency; these check what is sent)."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from dataio import schema, template_book

pytestmark = pytest.mark.usefixtures("clock")


def test_the_admin_page_offers_both_formats_and_the_template(client, org_a):
    client.force_login(org_a.admin)
    response = client.get(reverse("dataio:page", args=["alpha"]))
    assert response.status_code == 200
    text = response.content.decode()
    for url in (
        reverse("dataio:export", args=["alpha", "xlsx"]),
        reverse("dataio:export", args=["alpha", "zip"]),
        reverse("dataio:template", args=["alpha"]),
    ):
        assert f'href="{url}"' in text
    assert reverse("dataio:page", args=["alpha"]) in text  # in the navigation


def test_the_page_is_not_in_an_editors_navigation(client, org_a):
    client.force_login(org_a.editor)
    response = client.get(reverse("agency:dashboard", args=["alpha"]))
    assert reverse("dataio:page", args=["alpha"]) not in response.content.decode()
    assert client.get(reverse("dataio:page", args=["alpha"])).status_code == 403


def test_downloads_are_attachments_nobody_caches(client, org_a, org_b):
    client.force_login(org_a.admin)
    response = client.get(reverse("dataio:export", args=["alpha", "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == export_type("xlsx")
    assert 'attachment; filename="alpha-data-' in response["Content-Disposition"]
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    units = [row[1] for row in workbook["Units"].iter_rows(min_row=2, values_only=True)]
    assert sorted(units) == ["Agency Alpha Department", "Agency Alpha Team"]  # not Beta's
    zipped = client.get(reverse("dataio:export", args=["alpha", "zip"]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content)))
    assert "Units.csv" in archive.namelist()
    assert client.get(reverse("dataio:export", args=["alpha", "pdf"])).status_code == 404


def export_type(fmt: str) -> str:
    from dataio.export import FORMATS

    return FORMATS[fmt]


def test_the_template_has_headings_an_example_row_and_validation_lists(client, org_a):
    client.force_login(org_a.admin)
    response = client.get(reverse("dataio:template", args=["alpha"]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [schema.README, *(s.name for s in schema.importable_sheets())]
    assert "Audit history" not in workbook.sheetnames
    for sheet in schema.importable_sheets():
        worksheet = workbook[sheet.name]
        rows = list(worksheet.iter_rows(values_only=True))
        assert rows[0] == sheet.headers and len(rows) == 2, sheet.name
        example = dict(zip(rows[0], rows[1], strict=True))
        for column in sheet.required:
            assert example[column.header] not in (None, ""), (sheet.name, column.header)
        lists = {
            str(rule.sqref).split(":")[0][:-1]: rule.formula1
            for rule in worksheet.data_validations.dataValidation
        }
        for index, column in enumerate(sheet.columns, start=1):
            letter = openpyxl.utils.get_column_letter(index)
            if column.kind in (schema.Kind.CHOICE, schema.Kind.BOOL):
                assert lists[letter] == '"' + ",".join(column.choices) + '"', column.header
                value = example[column.header]
                if value is not None:
                    shown = {True: "TRUE", False: "FALSE"}.get(value, value)
                    assert shown in column.choices, (sheet.name, column.header)
            else:
                assert letter not in lists
    measures = workbook["Measures"]
    polarity = schema.sheet("Measures").headers.index("Polarity") + 1
    assert measures.cell(1, polarity).value == "Polarity"
    assert template_book.EXAMPLES["Measures"]["Polarity"] == "lower"


def test_the_read_me_describes_every_sheet_and_column():
    out = io.BytesIO()
    template_book.write_template(out)
    out.seek(0)
    rows = list(openpyxl.load_workbook(out)[schema.README].iter_rows(values_only=True))
    described = {(row[0], row[1]) for row in rows if row and len(row) >= 2}
    for sheet in schema.SHEETS:
        assert (sheet.name, None) in described or (sheet.name, "") in described
        for column in sheet.columns:
            assert (sheet.name, column.header) in described
    measures = next(row for row in rows if row[:2] == ("Measures", "Polarity"))
    assert measures[4] == "higher, lower, range" and measures[3] == "yes"


def test_the_page_takes_a_few_queries(client, org_a, django_assert_max_num_queries):
    client.force_login(org_a.admin)
    url = reverse("dataio:page", args=["alpha"])
    client.get(url)  # the session is read and cached once
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200


def test_a_service_account_is_not_exported_as_a_member(org_a):
    from django_scopes import scopes_disabled

    from api import service_accounts
    from dataio import export

    with scopes_disabled():
        robot = service_accounts.create(org_a.org, name="Nightly feed", role="editor")
    out = io.BytesIO()
    export.write_workbook(org_a.org, out)
    out.seek(0)
    members = openpyxl.load_workbook(out, read_only=True)["Members"]
    emails = {row[0] for row in members.iter_rows(min_row=2, values_only=True)}
    assert emails == {
        org_a.user(role).email for role in ("admin", "editor", "contributor", "viewer")
    }
    assert robot.user.email not in emails


def test_a_long_publication_document_is_split_into_parts_that_join_back(org_a):
    import json

    from django_scopes import scopes_disabled

    from dataio import export
    from publicdash.models import Publication

    document = {"schema": "strategyhub.publication/1", "text": "=é" * 40_000}
    with scopes_disabled():
        Publication.objects.create(organization=org_a.org, version=1, document=document)
    out = io.BytesIO()
    export.write_workbook(org_a.org, out)
    out.seek(0)
    sheet = openpyxl.load_workbook(out, read_only=True)["Publications"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[:2] for row in rows] == [(1, 1), (1, 2), (1, 3)]
    assert all(len(row[5]) <= schema.CELL_LIMIT for row in rows)
    assert json.loads("".join(row[5] for row in rows)) == document


@pytest.mark.parametrize(
    "name,args",
    [
        ("dataio:page", ()),
        ("dataio:export", ("xlsx",)),
        ("dataio:export", ("zip",)),
        ("dataio:template", ()),
    ],
)
def test_only_this_agencys_admins_get_in(client, org_a, org_b, name, args):
    """The access matrix's cases for these URLs (tests/test_access.py lists them too)."""
    url = reverse(name, args=["alpha", *args])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(org_b.admin)
    assert client.get(url).status_code == 404
    for role in ("viewer", "contributor", "editor"):
        client.force_login(org_a.user(role))
        assert client.get(url).status_code == 403, role
    client.force_login(org_a.admin)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405  # downloads and the page are read only
