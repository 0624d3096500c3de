"""Invitation emails reach the invitee when the first attempt is lost (issue 19): the send
is claimed and stamped, so it goes out once; the hourly sweep sends the ones never
emailed (broker down when the admin invited, task gave up); the admin can send again.
The broker-down case uses a real unreachable Redis broker, as tests/test_health.py does."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from strategyhub import invitation_mail
from strategyhub.models import Invitation
from strategyhub.tasks import resend_unsent_invitations
from tests.factories import InvitationFactory

DEAD_SMTP = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 8159,
    "EMAIL_USE_TLS": False,
    "EMAIL_TIMEOUT": 2,
}


@pytest.fixture
def dead_broker():
    """Celery publishing to a Redis port nothing listens on (not eager), then restored."""
    from strategyhub.config.celery import app as celery_app

    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url")}
    # Only these two change: publishing retries as configured in production (a few tries in
    # well under a second, then the error), which is what the code under test must survive.
    celery_app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    _fresh_connections(celery_app)
    try:
        yield
    finally:
        celery_app.conf.update(**saved)
        _fresh_connections(celery_app)


def _fresh_connections(celery_app):
    """Forget the app's pooled broker connection and producers, so the next publish takes the
    pool of ``broker_url``. Nothing is closed: kombu keeps its pools per broker address in a
    process-wide registry, and the configured broker's pool serves the next tests again."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _invite(client, org, email):
    client.force_login(org.admin)
    return client.post(
        reverse("agency:invite", args=[org.org.slug]), {"email": email, "role": "viewer"}
    )


def _age(invitation, minutes):
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=minutes)
    )


def test_an_invitation_made_while_the_broker_was_down_is_sent_by_the_sweep(
    client, org_a, dead_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, org_a, "lost@example.org")
    assert response.status_code == 302  # the invitation is saved; the enqueue failure logged
    assert mail.outbox == []
    with scope(organization=org_a.org):
        invitation = Invitation.objects.get(email="lost@example.org")
    assert invitation.emailed_at is None
    page = client.get(reverse("agency:members", args=[org_a.org.slug])).content.decode()
    assert "Email not sent yet" in page


def test_the_sweep_sends_never_emailed_invitations_once(org_a, django_capture_on_commit_callbacks):
    with scope(organization=org_a.org):
        lost = InvitationFactory(organization=org_a.org, email="lost@example.org")
        fresh = InvitationFactory(organization=org_a.org, email="fresh@example.org")
        withdrawn = InvitationFactory(organization=org_a.org, email="gone@example.org")
        Invitation.objects.filter(pk=withdrawn.pk).update(revoked_at=timezone.now())
        for invitation in (lost, withdrawn):
            _age(invitation, 60)
        _age(fresh, 5)  # its own task may still be on its way
    with django_capture_on_commit_callbacks(execute=True):
        assert resend_unsent_invitations.apply().get() == 1
    assert [m.to for m in mail.outbox] == [["lost@example.org"]]
    with scope(organization=org_a.org):
        assert Invitation.objects.get(pk=lost.pk).emailed_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert resend_unsent_invitations.apply().get() == 0  # and only once
    assert len(mail.outbox) == 1


def test_a_failed_send_releases_its_claim_so_the_retry_sends(org_a):
    with scope(organization=org_a.org):
        invitation = InvitationFactory(organization=org_a.org, email="retry@example.org")
        with override_settings(**DEAD_SMTP), pytest.raises(ConnectionRefusedError):
            invitation_mail.send(invitation.pk)
        row = Invitation.objects.get(pk=invitation.pk)
        assert row.emailed_at is None and row.email_claimed_at is None
        assert invitation_mail.send(invitation.pk) is True  # the task's retry
        assert invitation_mail.send(invitation.pk) is False  # a duplicate message: nothing
    assert [m.to for m in mail.outbox] == [["retry@example.org"]]


def test_a_claim_held_by_a_live_task_is_not_taken_by_the_sweep(
    org_a, django_capture_on_commit_callbacks
):
    with scope(organization=org_a.org):
        invitation = InvitationFactory(organization=org_a.org, email="busy@example.org")
        _age(invitation, 60)
        Invitation.objects.filter(pk=invitation.pk).update(
            email_claimed_at=timezone.now() - dt.timedelta(minutes=5)
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert invitation_mail.requeue_unsent(org_a.org) == 0
        Invitation.objects.filter(pk=invitation.pk).update(
            email_claimed_at=timezone.now() - dt.timedelta(hours=2)  # its task died
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert invitation_mail.requeue_unsent(org_a.org) == 1
    assert [m.to for m in mail.outbox] == [["busy@example.org"]]


def test_the_admin_sends_an_invitation_again(client, org_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, org_a, "again@example.org")
    assert len(mail.outbox) == 1
    with scope(organization=org_a.org):
        invitation = Invitation.objects.get(email="again@example.org")
    page = client.get(reverse("agency:members", args=[org_a.org.slug])).content.decode()
    assert "Email sent" in page and "Send again" in page
    url = reverse("agency:invitation_resend", args=[org_a.org.slug, invitation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "on its way again" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["again@example.org"]] * 2
    # Both emails carry a link to the same invitation (each signed when it was sent).
    links = [re.search(r"/invitations/(\S+)/", m.body).group(1) for m in mail.outbox]
    assert {Invitation.id_from_token(token) for token in links} == {invitation.pk}


def test_a_withdrawn_invitation_is_not_sent_again(client, org_a):
    with scope(organization=org_a.org):
        invitation = InvitationFactory(organization=org_a.org, email="old@example.org")
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    client.force_login(org_a.admin)
    url = reverse("agency:invitation_resend", args=[org_a.org.slug, invitation.pk])
    response = client.post(url, follow=True)
    assert "invite them again instead" in response.content.decode()
    assert mail.outbox == []
