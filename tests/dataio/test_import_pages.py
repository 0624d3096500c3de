"""The import from the Data page: upload → preview (a Celery task: in-process here, on a real
worker in test_import_worker.py) → confirm → result, the problems table, the progress
record written outside the import's transaction, and the run page's bounded queries.

These tests commit (``transaction=True``): the run's progress is written on the second
connection (``dataio_progress``), which sees only committed rows, as in production."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from dataio.importing import progress
from dataio.models import ImportRun, RunState
from scorecards.models import Measure
from strategyhub.models import Membership, Organization
from tests.dataio.books import edited, exported

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "dataio_progress"]),
    pytest.mark.usefixtures("clock"),
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, slug: str, data: bytes, name: str = "plan.xlsx"):
    return client.post(
        reverse("dataio:import_upload", kwargs={"org_slug": slug}),
        {"file": SimpleUploadedFile(name, data, content_type=XLSX)},
    )


def key_of(page: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)


@pytest.fixture
def empty(org_a):
    target = Organization.objects.create(name="Empty agency", slug="empty")
    Membership.objects.create(organization=target, user=org_a.admin, role="admin")
    return target


def test_upload_preview_confirm_import(client, org_a, measure_a, empty):
    client.force_login(org_a.admin)
    response = upload(client, "empty", exported(org_a.org))
    assert response.status_code == 302
    with scopes_disabled():
        run = ImportRun.objects.get(organization=empty)
    assert response.url == reverse("dataio:import_run", args=["empty", run.pk])
    assert run.state == RunState.PREVIEWED  # the preview task ran after the upload committed
    assert run.preview["Measures"] == {"created": 1, "updated": 0, "unchanged": 0}
    with scope(organization=empty):
        assert not Measure.objects.exists()  # a preview changes nothing
    page = client.get(response.url).content.decode()
    assert "Ready to import: no problems found." in page
    assert '<th scope="row">Measures</th><td class="text-right">1</td>' in page
    key = key_of(page)
    confirm = reverse("dataio:import_confirm", args=["empty", run.pk])
    assert client.post(confirm, {"idempotency_key": key}).status_code == 302
    assert client.post(confirm, {"idempotency_key": key}).status_code == 302  # a double click
    run.refresh_from_db()
    assert run.state == RunState.DONE and run.confirmed_by == org_a.admin
    with scope(organization=empty):
        assert Measure.objects.get().name == measure_a.name
    page = client.get(response.url).content.decode()
    assert "Imported." in page and "Created" in page
    assert "Latest imports" in client.get(reverse("dataio:page", args=["empty"])).content.decode()


def test_problems_are_listed_and_nothing_can_be_confirmed(client, org_a, measure_a):
    client.force_login(org_a.admin)
    data = edited(exported(org_a.org), "Measures", 2, "Baseline value", "lots")
    response = upload(client, "alpha", data)
    with scopes_disabled():
        run = ImportRun.objects.get()
    assert run.state == RunState.FAILED and run.problem_count == 1
    assert run.problems == [
        {
            "message": "Expected a number.",
            "sheet": "Measures",
            "row": 2,
            "column": "Baseline value",
            "value": "lots",
        }
    ]
    page = client.get(response.url).content.decode()
    assert "Not imported: nothing was changed." in page
    assert "<td>Measures</td><td>2</td><td>Baseline value</td><td>lots</td>" in page
    assert "Import these changes" not in page
    confirm = reverse("dataio:import_confirm", args=["alpha", run.pk])
    client.post(confirm, {"idempotency_key": "k" * 32})
    run.refresh_from_db()
    assert run.state == RunState.FAILED
    with scopes_disabled():
        assert not run.file.storage.exists(run.file.name)  # the upload is not kept


def test_a_refused_file_is_shown_on_the_data_page(client, org_a):
    client.force_login(org_a.admin)
    response = upload(client, "alpha", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "old.xls")
    with scopes_disabled():
        run = ImportRun.objects.get()
    assert run.state == RunState.FAILED
    assert "old binary Excel workbook (.xls)" in client.get(response.url).content.decode()
    empty_file = upload(client, "alpha", b"", "empty.xlsx")
    assert empty_file.status_code == 400
    assert "The submitted file is empty." in empty_file.content.decode()


def test_progress_is_written_outside_the_open_transaction(org_a):
    """What the run page reads while the import's transaction is open on ``default``."""
    from django.db import transaction

    with scopes_disabled():
        run = ImportRun.objects.create(organization=org_a.org, filename="x.xlsx", rows_total=10)
    with transaction.atomic():
        progress.save(run, phase="Checking “Measures”", rows_done=4)
        other = connections[progress.alias()]
        with other.cursor() as cursor:
            cursor.execute("SELECT phase, rows_done FROM dataio_importrun WHERE id = %s", [run.pk])
            assert cursor.fetchone() == ("Checking “Measures”", 4)
        transaction.set_rollback(True)
    with scopes_disabled():
        assert ImportRun.objects.get(pk=run.pk).rows_done == 4  # not rolled back with it


def test_a_busy_run_polls_and_refreshes_without_javascript(client, org_a):
    with scopes_disabled():
        run = ImportRun.objects.create(
            organization=org_a.org,
            filename="x.xlsx",
            state=RunState.VALIDATING,
            rows_total=10,
            rows_done=4,
            phase="Checking “Measures”",
        )
    client.force_login(org_a.admin)
    url = reverse("dataio:import_run", args=["alpha", run.pk])
    page = client.get(url).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert f'hx-get="{url}" hx-trigger="every 2s"' in page
    assert "4 of 10 rows" in page
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="import-status"') and "<html" not in partial


def test_the_run_page_reads_a_bounded_number_of_rows(client, org_a):
    with scopes_disabled():
        run = ImportRun.objects.create(
            organization=org_a.org,
            filename="x.xlsx",
            state=RunState.FAILED,
            preview={f"Sheet {i}": {"created": i, "updated": 0, "unchanged": 0} for i in range(19)},
            problems=[
                {
                    "message": "Expected a number.",
                    "sheet": "Measures",
                    "row": i,
                    "column": "Value",
                    "value": "x",
                }
                for i in range(1000)
            ],
            problem_count=5000,
        )
    client.force_login(org_a.admin)
    url = reverse("dataio:import_run", args=["alpha", run.pk])
    client.get(url)
    with CaptureQueriesContext(connections["default"]) as queries:
        page = client.get(url).content.decode()
    assert "the first 1000 of 5000" in page
    ours = [q for q in queries.captured_queries if "django_session" not in q["sql"]]
    assert len(ours) <= 12, [q["sql"] for q in ours]
