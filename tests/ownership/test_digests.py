"""The daily/weekly digests and the admins' weekly unowned digest: each sent once."""

import datetime as dt

import pytest
from django.core import mail
from django_scopes import scope, scopes_disabled

from ownership import alerts as alert_service
from ownership.models import Alert, NotificationPreference
from ownership.tasks import send_digests, send_unowned_digest
from scorecards.models import Measure

# Every test here runs on 22 November 2026, the test clock's default day (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")

TODAY = dt.date(2026, 11, 22)


def test_a_daily_digest_gathers_the_alerts_chosen_daily_and_is_sent_once(
    org_a, okr, kr_response, django_capture_on_commit_callbacks
):
    with scope(organization=org_a.org):
        NotificationPreference.objects.create(
            organization=org_a.org,
            user=org_a.contributor,
            kind="checkin_overdue",
            delivery="daily",
        )
        with django_capture_on_commit_callbacks(execute=True):
            alert_service.scan(org_a.org, TODAY)
    assert not any("Check-in overdue" in m.subject for m in mail.outbox)  # not at once
    kwargs = {"organization_id": org_a.org.pk, "frequency": "daily"}
    assert send_digests.apply(kwargs=kwargs).get() == 1
    digest = next(m for m in mail.outbox if "Your daily digest" in m.subject)
    assert digest.to == [org_a.contributor.email]
    assert send_digests.apply(kwargs=kwargs).get() == 0  # claimed and emailed: not again
    send_digests.apply(kwargs={**kwargs, "frequency": "weekly"}).get()  # others' weekly alerts
    to_contributor = [m for m in mail.outbox if m.to == [org_a.contributor.email]]
    assert [m.subject for m in to_contributor if "digest" in m.subject] == [digest.subject]
    with scope(organization=org_a.org):
        assert not Alert.objects.filter(kind="checkin_overdue", emailed_at=None).exists()


def test_the_unowned_digest_goes_to_each_admin_once_a_week(org_a, measure_a):
    with scopes_disabled():
        Measure.objects.filter(pk=measure_a.pk).update(owner=None)
    kwargs = {"organization_id": org_a.org.pk}
    assert send_unowned_digest.apply(kwargs=kwargs).get() == 1  # one admin in agency_a
    message = next(m for m in mail.outbox if "without an active owner" in m.subject)
    assert message.to == [org_a.admin.email]
    assert send_unowned_digest.apply(kwargs=kwargs).get() == 0
    assert sum("without an active owner" in m.subject for m in mail.outbox) == 1
