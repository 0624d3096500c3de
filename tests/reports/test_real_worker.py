"""Scheduled delivery through a real Celery worker with the Redis broker (not eager mode):
the job runs twice on the worker, one report is built; its approval's PDF task runs on the
worker and each recipient gets one email."""

import time
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from reports import editions
from reports.models import Delivery, Edition, Report
from strategyhub.config.celery import app as celery_app
from strategyhub.models import Organization
from tests.conftest import needs_service
from tests.reports.conftest import member

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clock")]


@pytest.fixture
def real_worker():
    needs_service(bool(settings.REDIS_URL), "Redis (REDIS_URL)")
    from celery.contrib.testing.worker import start_worker

    saved = {"task_always_eager": celery_app.conf.task_always_eager}
    celery_app.conf.update(task_always_eager=False)
    try:
        with start_worker(
            celery_app,
            pool="threads",
            concurrency=2,
            perform_ping_check=False,
            shutdown_timeout=30,
        ):
            yield
    finally:
        celery_app.conf.update(**saved)


def wait_for(check, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return False


def test_scheduled_delivery_on_a_real_worker_sends_once(real_worker):
    from reports import delivery
    from reports.tasks import scheduled_reports

    with scopes_disabled():
        call_command("seed_demo", "--allow-known-passwords", stdout=StringIO())
    riverton = Organization.objects.get(slug="riverton")
    admin = member(riverton, "admin")
    with scope(organization=riverton):
        delivery.create_schedule(
            riverton,
            admin,
            template="council_quarterly",
            cadence="quarterly",
            recipients="clerk@council.example",
        )
    scheduled_reports.delay(organization_id=riverton.pk)
    scheduled_reports.delay(organization_id=riverton.pk)

    def built():
        with scope(organization=riverton):
            return Report.objects.exists()

    assert wait_for(built)
    time.sleep(1)
    with scope(organization=riverton):
        assert Report.objects.count() == 1
        edition = Edition.objects.get()
        editions.submit(edition, admin)
        editions.approve(edition, admin)  # its PDF and delivery task goes to the worker

    def delivered():
        with scope(organization=riverton):
            return Delivery.objects.filter(sent_at__isnull=False).exists()

    assert wait_for(delivered, 120)
    time.sleep(1)
    sent = [m for m in mail.outbox if m.to == ["clerk@council.example"]]
    assert len(sent) == 1 and sent[0].attachments
