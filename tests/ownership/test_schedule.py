"""Scheduled jobs at each agency's local hour, once per local day/week; the failed-digest
retry; times shown in the agency's zone with the zone named. The clock is fixed with
time_machine (timezone.now() and the agencies' today() alike)."""

import datetime as dt

import pytest
import time_machine
from celery import shared_task
from django.core import mail
from django.test import override_settings
from django_scopes import scope, scopes_disabled

from ownership import alerts as alert_service
from ownership import digests, schedule
from ownership.models import Alert, NotificationPreference, OwnershipSettings, ScheduledRun
from ownership.tasks import scheduled_jobs_everywhere
from scorecards.models import Measure
from strategyhub.background import TenantTask
from strategyhub.models import Organization

UTC = dt.UTC
# Nothing listens here (a port reserved for this engineer's servers): SMTP is refused.
DEAD_SMTP = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 8159,
    "EMAIL_USE_TLS": False,
    "EMAIL_TIMEOUT": 2,
}


@pytest.fixture
def chicago(org_a, org_b):
    """Agency A in Chicago (digest hour 7 local), agency B in UTC (digest hour 7)."""
    with scopes_disabled():
        Organization.objects.filter(pk=org_a.org.pk).update(timezone="America/Chicago")
        Organization.objects.filter(pk=org_b.org.pk).update(timezone="UTC")
        org_a.org.refresh_from_db()
        org_b.org.refresh_from_db()
    return org_a


def _runs(org):
    with scope(organization=org):
        return sorted(ScheduledRun.objects.values_list("job", "period"))


# Monday 23 November 2026. Chicago is UTC−6 (CST).
MONDAY_0630_CHICAGO = dt.datetime(2026, 11, 23, 12, 30, tzinfo=UTC)
MONDAY_0705_CHICAGO = dt.datetime(2026, 11, 23, 13, 5, tzinfo=UTC)


def test_jobs_run_at_the_agencys_local_hour_once_per_day_and_week(chicago, org_b):
    with time_machine.travel(MONDAY_0630_CHICAGO, tick=False):
        due = {(r.organization_id, r.job) for r in schedule.due_runs()}
        # 12:30 UTC: past 7:00 in UTC (agency B), not yet 7:00 in Chicago (agency A).
        assert (org_b.org.pk, schedule.SCAN) in due
        assert not any(org == chicago.org.pk for org, _ in due)
        scheduled_jobs_everywhere.apply().get()
        assert _runs(chicago.org) == []
    with time_machine.travel(MONDAY_0705_CHICAGO, tick=False):
        queued = scheduled_jobs_everywhere.apply().get()
        assert queued == 3  # agency A: scan, daily digest, weekly digests (a Monday)
        assert _runs(chicago.org) == [
            ("daily_digest", "2026-11-23"),
            ("scan", "2026-11-23"),
            ("weekly_digest", "2026-W48"),
        ]
        # A beat restart or a second beat: the same hour again queues nothing.
        assert scheduled_jobs_everywhere.apply().get() == 0
    # Later the same local day (23:30 Chicago is already Tuesday in UTC): nothing new.
    with time_machine.travel(dt.datetime(2026, 11, 24, 5, 30, tzinfo=UTC), tick=False):
        assert not [r for r in schedule.due_runs() if r.organization_id == chicago.org.pk]
    # Tuesday 7:05 Chicago: the daily jobs again, not the weekly one.
    with time_machine.travel(dt.datetime(2026, 11, 24, 13, 5, tzinfo=UTC), tick=False):
        due = [r.job for r in schedule.due_runs() if r.organization_id == chicago.org.pk]
        assert sorted(due) == ["daily_digest", "scan"]


def test_a_missed_hour_is_caught_up_and_the_hour_is_the_agencys_setting(chicago):
    with scope(organization=chicago.org):
        row = OwnershipSettings.objects.get_or_create(organization=chicago.org)[0]
        row.digest_hour = 15
        row.save()
    at_1405 = dt.datetime(2026, 11, 25, 20, 5, tzinfo=UTC)  # Wednesday 14:05 Chicago
    with time_machine.travel(at_1405, tick=False):
        assert not [r for r in schedule.due_runs() if r.organization_id == chicago.org.pk]
    # Beat was down from 15:00 to 18:00: the 18:05 run catches up.
    with time_machine.travel(dt.datetime(2026, 11, 26, 0, 5, tzinfo=UTC), tick=False):
        due = {r.job for r in schedule.due_runs() if r.organization_id == chicago.org.pk}
        assert due == {"scan", "daily_digest", "weekly_digest"}  # the week's too, not yet sent


def test_the_scheduled_daily_digest_is_sent_once(chicago, okr, kr_response):
    with scope(organization=chicago.org):
        NotificationPreference.objects.create(
            organization=chicago.org,
            user=chicago.contributor,
            kind="checkin_overdue",
            delivery="daily",
        )
    with time_machine.travel(MONDAY_0705_CHICAGO, tick=False):
        scheduled_jobs_everywhere.apply().get()  # eager: scan, then the digests, in order
        scheduled_jobs_everywhere.apply().get()
    daily = [m for m in mail.outbox if "Your daily digest" in m.subject]
    assert [m.to for m in daily] == [[chicago.contributor.email]]


# --- The failed digest is retried, not skipped until the next period ------------------------


def test_a_digest_whose_sending_failed_is_sent_by_the_retry(org_a, okr, kr_response):
    """Before the fix, the failed attempt left its alerts claimed and the retry sent nothing."""
    today = dt.date(2026, 11, 22)
    with scope(organization=org_a.org):
        NotificationPreference.objects.create(
            organization=org_a.org, user=org_a.contributor, kind="checkin_overdue", delivery="daily"
        )
        alert_service.raise_alerts(
            org_a.org,
            [d for d in alert_service.drafts_for(org_a.org, today) if d.kind == "checkin_overdue"],
        )
        with override_settings(**DEAD_SMTP), pytest.raises(ConnectionRefusedError):
            digests.send_digests(org_a.org, "daily")
        assert Alert.objects.filter(kind="checkin_overdue", emailed_at=None).exists()
        assert digests.send_digests(org_a.org, "daily") == 1  # the retry
        assert digests.send_digests(org_a.org, "daily") == 0  # and only once
    assert sum("Your daily digest" in m.subject for m in mail.outbox) == 1


def test_an_unowned_digest_whose_sending_failed_is_sent_by_the_retry(org_a, measure_a):
    with scopes_disabled():
        Measure.objects.filter(pk=measure_a.pk).update(owner=None)
    with scope(organization=org_a.org):
        with override_settings(**DEAD_SMTP), pytest.raises(ConnectionRefusedError):
            digests.send_unowned_digest(org_a.org)
        assert digests.send_unowned_digest(org_a.org) == 1  # the retry, same week
        assert digests.send_unowned_digest(org_a.org) == 0
    assert sum("without an active owner" in m.subject for m in mail.outbox) == 1


# --- Times in the agency's zone, named -------------------------------------------------------


def test_staff_pages_show_times_in_the_agencys_zone_with_its_name(chicago, login):
    from publicdash.publishing import publish

    with (
        time_machine.travel(dt.datetime(2026, 1, 15, 20, 4, tzinfo=UTC), tick=False),
        scope(organization=chicago.org),
    ):
        publish(chicago.org, by=chicago.admin)
    page = login(chicago.admin).get(f"/o/{chicago.org.slug}/publish/")
    assert page.status_code == 200
    assert "Jan 15, 2026, 2:04 PM CST" in page.content.decode()
    assert "20:04" not in page.content.decode()


def test_summer_time_is_named_too(chicago, login):
    from publicdash.publishing import publish

    with (
        time_machine.travel(dt.datetime(2026, 7, 1, 19, 4, tzinfo=UTC), tick=False),
        scope(organization=chicago.org),
    ):
        publish(chicago.org, by=chicago.admin)
    page = login(chicago.admin).get(f"/o/{chicago.org.slug}/publish/")
    assert "Jul 1, 2026, 2:04 PM CDT" in page.content.decode()


SEEN_ZONES: list[str] = []


@shared_task(name="tests.ownership.zone_probe", base=TenantTask)
def zone_probe(*, organization_id: int) -> None:
    from django.utils import timezone

    SEEN_ZONES.append(str(timezone.get_current_timezone()))


def test_tasks_and_their_emails_run_in_the_agencys_zone(chicago):
    zone_probe.apply(kwargs={"organization_id": chicago.org.pk}).get()
    assert SEEN_ZONES[-1] == "America/Chicago"


# --- Alert emails that never went out are caught up by the daily run ------------------------


def test_unsent_alert_emails_are_sent_by_the_daily_catch_up(
    org_a, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from ownership import catchup

    now = timezone.now()
    with scope(organization=org_a.org):
        given_up, retrying = sorted(
            alert_service.raise_alerts(
                org_a.org,
                [
                    alert_service.Draft(
                        "checkin_due",
                        "key_result",
                        item,
                        f"KR {item}",
                        "",
                        "Due.",
                        "2026-W47",
                        org_a.contributor.pk,
                    )
                    for item in (1, 2)
                ],
            ),
            key=lambda alert: alert.item_id,
        )
        # One whose task gave up two hours ago (claim expired), one still being retried.
        Alert.objects.filter(pk=given_up.pk).update(
            created_at=now - dt.timedelta(hours=3), email_claimed_at=now - dt.timedelta(hours=2)
        )
        Alert.objects.filter(pk=retrying.pk).update(
            created_at=now - dt.timedelta(hours=1), email_claimed_at=now - dt.timedelta(minutes=5)
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert catchup.requeue_unsent(org_a.org) == 1  # queued after commit (eager here)
        assert Alert.objects.get(pk=given_up.pk).emailed_at is not None
        assert Alert.objects.get(pk=retrying.pk).emailed_at is None
        assert catchup.requeue_unsent(org_a.org) == 0
    assert sum("KR 1" in m.subject for m in mail.outbox) == 1
    assert not any("KR 2" in m.subject for m in mail.outbox)
