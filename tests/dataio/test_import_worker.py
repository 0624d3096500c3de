"""The import through a real Celery worker with the Redis broker (not eager mode): the
upload's preview and the confirmed import each run as a task on the worker, the run's
progress and report are written where the page reads them, and the agency ends up as the
source was."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from dataio.importing import run as runs
from dataio.models import ImportRun, RunState
from okrs.models import OkrObjective
from strategyhub.config.celery import app as celery_app
from strategyhub.models import Membership, Organization, User
from tests.conftest import needs_service
from tests.dataio.books import exported
from tests.dataio.snapshots import snapshot

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "dataio_progress"]),
    pytest.mark.usefixtures("clock"),
]


@pytest.fixture
def real_worker():
    needs_service(bool(settings.REDIS_URL), "Redis (REDIS_URL)")
    from celery.contrib.testing.worker import start_worker

    saved = {"task_always_eager": celery_app.conf.task_always_eager}
    celery_app.conf.update(task_always_eager=False)
    try:
        with start_worker(
            celery_app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=30
        ):
            yield
    finally:
        celery_app.conf.update(**saved)


def wait_for_state(run: ImportRun, *states: str, seconds: int = 120) -> ImportRun:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with scopes_disabled():
            run = ImportRun.objects.get(pk=run.pk)
        if run.state in states:
            return run
        time.sleep(0.25)
    raise AssertionError(f"the run stayed {run.state} ({run.phase})")


def test_an_agency_is_imported_on_a_real_worker(real_worker):
    call_command("generate_agency", "--slug", "gen", "--scale", "small", stdout=StringIO())
    source = Organization.objects.get(slug="gen")  # exported as generated, no fix-ups
    data = exported(source)
    target = Organization.objects.create(name="Copy", slug="copy")
    admin = User.objects.get(email="admin@gen.example")
    Membership.objects.create(organization=target, user=admin, role="admin")
    upload = SimpleUploadedFile("gen.xlsx", data)
    with scope(organization=target):
        run = runs.start(target, admin, upload)  # the preview is queued on commit
    run = wait_for_state(run, RunState.PREVIEWED, RunState.FAILED)
    assert run.state == RunState.PREVIEWED, run.problems[:5]
    assert run.rows_total > 500 and run.rows_done == run.rows_total
    assert run.preview["Check-ins"]["created"] > 100
    with scope(organization=target):
        assert not OkrObjective.objects.exists()  # the preview changed nothing
        assert runs.confirm(run, admin) is not None
    run = wait_for_state(run, RunState.DONE, RunState.FAILED)
    assert run.state == RunState.DONE, run.problems[:5]
    with scope(organization=source):
        expected = snapshot(source)
    with scope(organization=target):
        found = snapshot(target)
    for kind, rows in expected.items():
        assert found[kind] == rows, kind
