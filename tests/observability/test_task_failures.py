"""A task that fails after its last retry is logged at ERROR with its name and arguments,
counted, and mailed to ADMINS; when that mail cannot be sent, that is logged at CRITICAL.
The alert email task is the case that matters: an alert that never sends must be seen."""

import logging
import time

import pytest
from celery import shared_task
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django_scopes import scope

from ownership import alerts
from ownership.models import Alert, AlertKind
from strategyhub.config.celery import app as celery_app
from strategyhub.observability import metrics
from tests.conftest import needs_service

# Nothing listens here (a port reserved for this engineer's servers): SMTP is refused.
DEAD_SMTP = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 8159,
    "EMAIL_USE_TLS": False,
    "EMAIL_TIMEOUT": 2,
}


@shared_task(
    name="tests.observability.always_fails",
    autoretry_for=(ConnectionError,),
    max_retries=2,
    default_retry_delay=0,
)
def always_fails(*, organization_id: int, alert_id: int) -> None:
    raise ConnectionError("mail server refused")


@pytest.fixture
def real_worker():
    needs_service(bool(settings.REDIS_URL), "Redis (REDIS_URL)")
    from celery.contrib.testing.worker import start_worker

    saved = {"task_always_eager": celery_app.conf.task_always_eager}
    celery_app.conf.update(task_always_eager=False)
    try:
        with start_worker(
            celery_app, pool="threads", concurrency=1, perform_ping_check=False, shutdown_timeout=20
        ):
            yield
    finally:
        celery_app.conf.update(**saved)


@pytest.mark.django_db(transaction=True)
@override_settings(ADMINS=[("Ops", "ops@agency.test")])
def test_failure_after_the_last_retry_on_a_real_worker(real_worker, caplog):
    before = metrics.task_outcomes()
    caplog.set_level(logging.INFO, logger="strategyhub.tasks")
    always_fails.delay(organization_id=7, alert_id=99)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(
        r.levelno == logging.ERROR for r in caplog.records if r.name == "strategyhub.tasks"
    ):
        time.sleep(0.1)
    errors = [r for r in caplog.records if r.name == "strategyhub.tasks" and r.levelno >= 40]
    assert len(errors) == 1
    message = errors[0].getMessage()
    assert "tests.observability.always_fails failed after 2 retries" in message
    assert "alert_id=99" in message and "organization_id=7" in message
    assert errors[0].exc_info and errors[0].exc_info[0] is ConnectionError
    retries = [r for r in caplog.records if r.name == "strategyhub.tasks" and r.levelno == 30]
    assert len(retries) == 2
    after = metrics.task_outcomes()
    name = "tests.observability.always_fails"
    assert after[(name, "retry")] - before.get((name, "retry"), 0) == 2
    assert after[(name, "failure")] - before.get((name, "failure"), 0) == 1
    admin_mail = [m for m in mail.outbox if m.to == ["ops@agency.test"]]
    assert len(admin_mail) == 1
    assert "always_fails failed after 2 retries" in admin_mail[0].subject
    assert "alert_id=99" in admin_mail[0].body and "ConnectionError" in admin_mail[0].body


@pytest.mark.django_db
def test_an_alert_email_that_never_sends_is_logged_and_the_admin_mail_failure_too(org_a, caplog):
    """SMTP refuses everything: the alert email task gives up, which is logged at ERROR with
    the task and alert; the mail to ADMINS fails too, and that is logged at CRITICAL."""
    from ownership.alerts import send_alert_email

    with scope(organization=org_a.org):
        alert = alerts.raise_alerts(
            org_a.org,
            [
                alerts.Draft(
                    AlertKind.CHECKIN_DUE,
                    "key_result",
                    1,
                    "KR",
                    "",
                    "Due.",
                    "2026-W47",
                    org_a.contributor.pk,
                )
            ],
        )[0]
    caplog.set_level(logging.INFO, logger="strategyhub.tasks")
    with override_settings(ADMINS=[("Ops", "ops@agency.test")], **DEAD_SMTP):
        # Its last attempt (retries == max_retries): the claim is held from the first one.
        with scope(organization=org_a.org):
            assert alerts.claim_for_email(alert.pk)
        result = send_alert_email.apply(
            kwargs={"organization_id": org_a.org.pk, "alert_id": alert.pk},
            retries=send_alert_email.max_retries,
            throw=False,
        )
    assert result.failed()
    records = [r for r in caplog.records if r.name == "strategyhub.tasks"]
    error = next(r for r in records if r.levelno == logging.ERROR)
    assert "ownership.tasks.send_alert_email failed" in error.getMessage()
    assert f"alert_id={alert.pk}" in error.getMessage()
    critical = next(r for r in records if r.levelno == logging.CRITICAL)
    assert "Could not mail ADMINS" in critical.getMessage()
    with scope(organization=org_a.org):
        assert Alert.objects.get(pk=alert.pk).emailed_at is None  # not marked as sent


def test_no_admins_no_mail(caplog):
    from strategyhub.observability.tasks import mail_admins_about

    with override_settings(ADMINS=[]):
        assert mail_admins_about("x", "id", 0, "", None, None) is False
