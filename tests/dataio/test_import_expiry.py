"""Uploads never confirmed do not stay: a run previewed or failed and not confirmed within a
day is expired by the hourly beat task, its file deleted from the storage; the run page
says so and the run can no longer be confirmed. Recent and confirmed runs are left alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from dataio.importing import run as runs
from dataio.models import ImportRun, RunState
from dataio.tasks import expire_unconfirmed_imports
from strategyhub.config.celery import app as celery_app
from strategyhub.models import Membership, Organization
from tests.dataio.books import exported

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "dataio_progress"]),
    pytest.mark.usefixtures("clock"),
]


@pytest.fixture
def empty(org_a):
    target = Organization.objects.create(name="Empty agency", slug="empty")
    Membership.objects.create(organization=target, user=org_a.admin, role="admin")
    return target


def start(target, user, data: bytes, name: str = "plan.xlsx") -> ImportRun:
    with scope(organization=target):
        run = runs.start(target, user, SimpleUploadedFile(name, data))
    with scopes_disabled():
        return ImportRun.objects.get(pk=run.pk)  # previewed by the (eager) task


def age(run: ImportRun, hours: float) -> None:
    with scopes_disabled():
        ImportRun.objects.filter(pk=run.pk).update(
            created_at=timezone.now() - dt.timedelta(hours=hours)
        )


def test_a_day_old_unconfirmed_preview_expires_and_its_file_is_deleted(
    client, org_a, measure_a, empty
):
    old = start(empty, org_a.admin, exported(org_a.org))
    recent = start(empty, org_a.admin, exported(org_a.org), name="recent.xlsx")
    assert old.state == recent.state == RunState.PREVIEWED
    storage, name = old.file.storage, old.file.name
    assert storage.exists(name)
    age(old, 25)
    age(recent, 23)

    assert expire_unconfirmed_imports.apply().get() == 1  # the beat task itself
    with scopes_disabled():
        old, recent = ImportRun.objects.get(pk=old.pk), ImportRun.objects.get(pk=recent.pk)
    assert old.state == RunState.EXPIRED and not old.file
    assert not storage.exists(name)
    assert old.preview["Measures"]["created"] == 1  # the report stays
    assert recent.state == RunState.PREVIEWED and storage.exists(recent.file.name)

    client.force_login(org_a.admin)
    page = client.get(reverse("dataio:import_run", args=["empty", old.pk])).content.decode()
    assert "This upload expired; upload the file again." in page
    assert "Import these changes" not in page
    response = client.post(
        reverse("dataio:import_confirm", args=["empty", old.pk]),
        {"idempotency_key": "k-expired"},
        follow=True,
    )
    assert "it expired" in response.content.decode()
    with scopes_disabled():
        assert ImportRun.objects.get(pk=old.pk).state == RunState.EXPIRED
    assert runs.expire_unconfirmed() == 0  # nothing left to expire: idempotent


def test_failed_runs_expire_and_confirmed_ones_are_left_alone(org_a, measure_a, empty):
    failed = start(empty, org_a.admin, b"not a workbook", name="broken.xlsx")
    assert failed.state == RunState.FAILED and failed.problem_count
    done = start(empty, org_a.admin, exported(org_a.org), name="done.xlsx")
    with scope(organization=empty):
        assert runs.confirm(done, org_a.admin) is not None
    with scopes_disabled():
        done = ImportRun.objects.get(pk=done.pk)
    assert done.state == RunState.DONE
    age(failed, 48)
    age(done, 48)

    assert runs.expire_unconfirmed() == 1
    with scopes_disabled():
        failed, done = ImportRun.objects.get(pk=failed.pk), ImportRun.objects.get(pk=done.pk)
    assert failed.state == RunState.EXPIRED and not failed.file
    assert failed.problems  # what was wrong with the file is still shown
    assert done.state == RunState.DONE


def test_the_expiry_is_scheduled_hourly_by_its_task_name():
    entry = settings.CELERY_BEAT_SCHEDULE["expire-unconfirmed-imports"]
    assert entry["task"] == expire_unconfirmed_imports.name
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"] <= 60 * 60
