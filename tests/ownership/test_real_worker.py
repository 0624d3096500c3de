"""End to end on a real Celery worker with the Redis broker (not eager mode): a check-in
goes overdue, the scan runs on the worker, exactly one alert and one email result."""

import time

import pytest
from django.conf import settings
from django.core import mail
from django_scopes import scope

from ownership.models import Alert
from scorecards.models import Measure
from strategyhub.config.celery import app as celery_app
from tests.conftest import needs_service

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clock")]


@pytest.fixture
def real_worker():
    needs_service(bool(settings.REDIS_URL), "Redis (REDIS_URL)")
    from celery.contrib.testing.worker import start_worker

    # The broker is the configured Redis (REDIS_URL), as in production; only eager mode
    # (on for the rest of the suite) is switched off while the worker runs.
    saved = {"task_always_eager": celery_app.conf.task_always_eager}
    celery_app.conf.update(task_always_eager=False)
    try:
        with start_worker(
            celery_app,
            pool="threads",
            concurrency=2,
            perform_ping_check=False,
            shutdown_timeout=20,
        ):
            yield
    finally:
        celery_app.conf.update(**saved)


def test_overdue_check_in_gives_one_alert_and_one_email_on_a_real_worker(
    real_worker, org_a, okr, kr_response
):
    from ownership.tasks import scan_agency

    with scope(organization=org_a.org):
        Measure.objects.filter(key_results=kr_response).update(owner=org_a.editor)
    # kr_response has had no check-in since its quarter began on 1 October: overdue.
    scan_agency.delay(organization_id=org_a.org.pk)
    scan_agency.delay(organization_id=org_a.org.pk)  # twice: still one alert, one email
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with scope(organization=org_a.org):
            done = Alert.objects.filter(kind="checkin_overdue", emailed_at__isnull=False).exists()
        if done:
            break
        time.sleep(0.2)
    time.sleep(1)  # give a duplicate the chance to show up
    with scope(organization=org_a.org):
        overdue = list(Alert.objects.filter(kind="checkin_overdue"))
    assert len(overdue) == 1 and overdue[0].emailed_at is not None
    sent = [m for m in mail.outbox if "Check-in overdue" in m.subject]
    assert len(sent) == 1
    assert sent[0].to == [org_a.contributor.email]
