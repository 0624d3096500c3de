"""The scan, de-duplication, email claims, faults, deactivation and reassignment."""

import datetime as dt
import smtplib
import threading
from decimal import Decimal as D

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.db import connection
from django_scopes import scope, scopes_disabled

from okrs import checkins
from okrs.checkins import CheckInEntry
from okrs.models import KeyResult
from ownership import alerts as alert_service
from ownership.alerts import send_alert_email
from ownership.models import Alert, NotificationPreference
from ownership.owners import OwnershipRefused, assign_owner, transfer_ownership
from ownership.tasks import remind_checkins
from scorecards.models import Measure
from strategyhub.members import deactivate_member
from strategyhub.models import Membership, Organization
from tests.conftest import needs_service

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")

TODAY = dt.date(2026, 11, 22)


def _kinds(org):
    with scope(organization=org):
        return sorted(Alert.objects.values_list("kind", "item_label"))


def test_scan_raises_each_alert_once_and_twice_is_still_once(
    org_a, measure_a, okr, kr_response, kr_patrols, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        Measure.objects.filter(pk=measure_a.pk).update(owner=None)  # unowned
        KeyResult.objects.filter(pk=kr_patrols.pk).update(owner=None)
    with scope(organization=org_a.org):
        with django_capture_on_commit_callbacks(execute=True):
            first = alert_service.scan(org_a.org, TODAY)
        with django_capture_on_commit_callbacks(execute=True):
            second = alert_service.scan(org_a.org, TODAY)
        kinds = set(Alert.objects.values_list("kind", flat=True))
    assert first["raised"] > 0 and second["raised"] == 0
    # unowned measure and key result → admins; kr_response: no check-in since 1 October → overdue
    assert {"unowned", "checkin_overdue"} <= kinds
    with scope(organization=org_a.org):
        unowned = Alert.objects.filter(kind="unowned", item_type="measure", item_id=measure_a.pk)
        assert unowned.count() == 1 and unowned.get().recipient == org_a.admin
        overdue = Alert.objects.get(kind="checkin_overdue")
        assert overdue.recipient == org_a.contributor
    # Immediate alerts were emailed exactly once; the weekly "unowned" kind waits for the digest.
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == len(set(subjects))
    assert any("Check-in overdue" in s for s in subjects)
    assert not any("has no owner" in s for s in subjects)


def test_fixed_items_are_resolved_and_not_raised_again_for_the_period(org_a, okr, kr_response):
    with scope(organization=org_a.org):
        alert_service.scan(org_a.org, TODAY)
        assert Alert.objects.filter(kind="checkin_overdue", resolved_at=None).exists()
        checkins.record(
            kr_response,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 20), value=D("8.5")),
        )
        alert_service.scan(org_a.org, TODAY)
        alert = Alert.objects.get(kind="checkin_overdue")
        assert alert.resolved_at is not None
        alert_service.scan(org_a.org, TODAY)
        assert Alert.objects.filter(kind="checkin_overdue").count() == 1


def test_email_is_claimed_once(org_a, okr, kr_response):
    with scope(organization=org_a.org):
        alert_service.scan(org_a.org, TODAY)
        alert = Alert.objects.get(kind="checkin_overdue")
        Alert.objects.filter(pk=alert.pk).update(email_claimed_at=None, emailed_at=None)
        assert alert_service.claim_for_email(alert.pk) is True
        assert alert_service.claim_for_email(alert.pk) is False
        # A claim left by a worker that died is released after the timeout.
        Alert.objects.filter(pk=alert.pk).update(
            email_claimed_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        )
        assert alert_service.claim_for_email(alert.pk) is True


def test_mail_server_down_retries_and_never_loses_the_alert(org_a, okr, kr_response, monkeypatch):
    with scope(organization=org_a.org):
        alert_service.raise_alerts(org_a.org, alert_service.drafts_for(org_a.org, TODAY))
        alert = Alert.objects.get(kind="checkin_overdue")

    def down(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", down)
    with pytest.raises((Retry, smtplib.SMTPException)):  # eager mode surfaces the retry
        send_alert_email.apply(kwargs={"organization_id": org_a.org.pk, "alert_id": alert.pk})
    with scope(organization=org_a.org):
        kept = Alert.objects.get(pk=alert.pk)
        assert kept.emailed_at is None and kept.email_claimed_at is not None  # held for the retry
        assert Alert.objects.unread_for(org_a.contributor).filter(pk=alert.pk).exists()
    monkeypatch.undo()
    # The retry (same task, retries=1) sends it; another task would not.
    assert (
        send_alert_email.apply(kwargs={"organization_id": org_a.org.pk, "alert_id": alert.pk}).get()
        is False
    )
    assert (
        send_alert_email.apply(
            kwargs={"organization_id": org_a.org.pk, "alert_id": alert.pk}, retries=1
        ).get()
        is True
    )
    assert len(mail.outbox) == 1
    assert (
        send_alert_email.apply(
            kwargs={"organization_id": org_a.org.pk, "alert_id": alert.pk}, retries=1
        ).get()
        is False
    )
    assert len(mail.outbox) == 1


def test_preferences_off_and_unsubscribe_link(
    client, org_a, okr, kr_response, django_capture_on_commit_callbacks
):
    with scope(organization=org_a.org), django_capture_on_commit_callbacks(execute=True):
        alert_service.scan(org_a.org, TODAY)
    message = next(m for m in mail.outbox if "Check-in overdue" in m.subject)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200 and b"Check-in overdue" in page.content
    client.post("/" + path)
    with scope(organization=org_a.org):
        pref = NotificationPreference.objects.get(user=org_a.contributor, kind="checkin_overdue")
    assert pref.delivery == "off"
    assert client.get("/unsubscribe/forged/").status_code == 400


def test_checkin_reminders_once_a_week(
    org_a, okr, kr_response, kr_patrols, django_capture_on_commit_callbacks
):
    with scope(organization=org_a.org):
        checkins.record(
            kr_patrols,
            org_a.contributor,
            CheckInEntry(as_of=dt.date(2026, 11, 17), value=D(120)),
        )
    with django_capture_on_commit_callbacks(execute=True):
        first = remind_checkins.apply(
            kwargs={"organization_id": org_a.org.pk, "today": "2026-11-18"}
        ).get()
        again = remind_checkins.apply(
            kwargs={"organization_id": org_a.org.pk, "today": "2026-11-19"}
        ).get()
    assert (first, again) == (1, 0)  # only the result without this week's check-in
    assert sum("Check-in due" in m.subject for m in mail.outbox) == 1


def test_deactivating_an_owner_raises_owner_inactive_at_once(
    org_a, okr, kr_response, django_capture_on_commit_callbacks
):
    with scope(organization=org_a.org):
        membership = Membership.objects.get(user=org_a.contributor)
        with django_capture_on_commit_callbacks(execute=True):
            deactivate_member(membership, by=org_a.admin)
        alerts = Alert.objects.filter(kind="owner_inactive")
        assert alerts.filter(item_id=kr_response.pk, recipient=org_a.admin).exists()
        assert KeyResult.objects.get(pk=kr_response.pk).owner == org_a.contributor  # kept


def test_reassign_refuses_other_agency_and_deactivated(org_a, org_b, okr, kr_response):
    with scope(organization=org_a.org):
        with pytest.raises(OwnershipRefused, match="member of this agency"):
            assign_owner("key_result", kr_response.pk, org_b.viewer.pk)
        Membership.objects.filter(user=org_a.viewer).update(is_active=False)
        with pytest.raises(OwnershipRefused, match="deactivated"):
            assign_owner("key_result", kr_response.pk, org_a.viewer.pk)
        assign_owner("key_result", kr_response.pk, org_a.editor.pk)
        assert KeyResult.objects.get(pk=kr_response.pk).owner == org_a.editor
        moved = transfer_ownership(org_a.editor.pk, org_a.admin.pk)
        assert moved["key_result"] == 1 and moved["okr_objective"] == 1


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_raise_each_alert_once(org_a, okr, kr_response):
    needs_service(connection.vendor == "postgresql", "PostgreSQL (concurrent writers)")
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            org = Organization.objects.get(pk=org_a.org.pk)
            with scope(organization=org):
                drafts = alert_service.drafts_for(org, TODAY)
                barrier.wait(timeout=10)
                alert_service.raise_alerts(org, drafts)
        except Exception as exc:  # re-raised below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    with scope(organization=org_a.org):
        keys = list(Alert.objects.values_list("dedupe_key", flat=True))
    assert keys and len(keys) == len(set(keys))
