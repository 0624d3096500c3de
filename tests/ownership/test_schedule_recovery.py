"""A scheduled run whose queued job was lost is run again (issue 19): each job's last step
stamps its run finished; an unfinished claim older than ``schedule.STALE_AFTER`` is taken
over (once) and queued again, at most ``schedule.MAX_ATTEMPTS`` times; when queueing fails
because the broker is down, the claims are handed back for the next hourly run. The broker
is a real unreachable Redis, not a mock."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django_scopes import scope, scopes_disabled

from ownership import schedule
from ownership.models import NotificationPreference, ScheduledRun
from ownership.tasks import scheduled_jobs_everywhere
from strategyhub.models import Organization
from tests.test_invitation_delivery import dead_broker  # noqa: F401 (a fixture)

UTC = dt.UTC
MONDAY_0705_CHICAGO = dt.datetime(2026, 11, 23, 13, 5, tzinfo=UTC)
TODAY = "2026-11-23"


@pytest.fixture
def chicago(org_a, org_b):
    with scopes_disabled():
        Organization.objects.filter(pk=org_a.org.pk).update(timezone="America/Chicago")
        # Agency B's local hour comes much later, so only agency A is due in these tests.
        Organization.objects.filter(pk=org_b.org.pk).update(timezone="Pacific/Honolulu")
        org_a.org.refresh_from_db()
    return org_a


def _rows(org):
    with scope(organization=org):
        return {r.job: r for r in ScheduledRun.objects.filter(period__in=[TODAY, "2026-W48"])}


def _daily_digest_for_contributor(org):
    with scope(organization=org.org):
        NotificationPreference.objects.create(
            organization=org.org, user=org.contributor, kind="checkin_overdue", delivery="daily"
        )


def test_a_run_that_finished_is_stamped_and_not_queued_again(chicago):
    with time_machine.travel(MONDAY_0705_CHICAGO, tick=False):
        assert scheduled_jobs_everywhere.apply().get() == 3  # eager: the jobs run here
    rows = _rows(chicago.org)
    assert {job: r.finished_at is not None for job, r in rows.items()} == {
        "scan": True,
        "daily_digest": True,
        "weekly_digest": True,
    }
    with time_machine.travel(MONDAY_0705_CHICAGO + dt.timedelta(hours=5), tick=False):
        assert not [r for r in schedule.due_runs() if r.organization_id == chicago.org.pk]


def test_a_lost_run_is_queued_again_after_it_went_stale(chicago, okr, kr_response):
    """Claimed at 7:05, then Redis restarted and its queue was gone: nothing ran."""
    _daily_digest_for_contributor(chicago)
    with scope(organization=chicago.org):
        for job, period in (
            ("scan", TODAY),
            ("daily_digest", TODAY),
            ("weekly_digest", "2026-W48"),
        ):
            ScheduledRun.objects.create(
                organization=chicago.org, job=job, period=period, queued_at=MONDAY_0705_CHICAGO
            )
    with time_machine.travel(MONDAY_0705_CHICAGO + dt.timedelta(hours=1), tick=False):
        assert scheduled_jobs_everywhere.apply().get() == 0  # not stale yet: maybe running
    with time_machine.travel(MONDAY_0705_CHICAGO + schedule.STALE_AFTER, tick=False):
        due = [r for r in schedule.due_runs() if r.organization_id == chicago.org.pk]
        assert {r.job for r in due} == {"scan", "daily_digest", "weekly_digest"}
        assert all(r.stale_since == MONDAY_0705_CHICAGO for r in due)
        assert scheduled_jobs_everywhere.apply().get() == 3
        assert scheduled_jobs_everywhere.apply().get() == 0  # taken over once only
    rows = _rows(chicago.org)
    assert all(r.finished_at is not None and r.attempts == 2 for r in rows.values())
    daily = [m for m in mail.outbox if "Your daily digest" in m.subject]
    assert [m.to for m in daily] == [[chicago.contributor.email]]


def test_two_beats_taking_over_the_same_lost_run_queue_it_once(chicago):
    with scope(organization=chicago.org):
        ScheduledRun.objects.create(
            organization=chicago.org, job="scan", period=TODAY, queued_at=MONDAY_0705_CHICAGO
        )
    with time_machine.travel(MONDAY_0705_CHICAGO + schedule.STALE_AFTER, tick=False):
        seen = [r for r in schedule.due_runs() if r.job == "scan"]
        twice = seen + [r for r in schedule.due_runs() if r.job == "scan"]
        assert [schedule.claim(r) for r in twice] == [True, False]


def test_a_run_that_fails_every_time_stops_after_its_attempts(chicago):
    with scope(organization=chicago.org):
        ScheduledRun.objects.create(
            organization=chicago.org,
            job="scan",
            period=TODAY,
            queued_at=MONDAY_0705_CHICAGO,
            attempts=schedule.MAX_ATTEMPTS,
        )
    with time_machine.travel(MONDAY_0705_CHICAGO + dt.timedelta(hours=6), tick=False):
        due = {r.job for r in schedule.due_runs() if r.organization_id == chicago.org.pk}
        assert "scan" not in due


@pytest.mark.usefixtures("dead_broker")
def test_claims_are_handed_back_when_the_broker_is_down(chicago):
    with time_machine.travel(MONDAY_0705_CHICAGO, tick=False):
        assert scheduled_jobs_everywhere.apply().get() == 0  # nothing could be queued
        rows = _rows(chicago.org)
        assert set(rows) == {"scan", "daily_digest", "weekly_digest"}
        assert all(r.finished_at is None and r.attempts == 0 for r in rows.values())
    # The next hourly run finds them due again (the broker is back in the next test's world;
    # here it is still down, so they are handed back again, never lost nor counted).
    with time_machine.travel(MONDAY_0705_CHICAGO + dt.timedelta(hours=1), tick=False):
        due = {r.job for r in schedule.due_runs() if r.organization_id == chicago.org.pk}
        assert due == {"scan", "daily_digest", "weekly_digest"}
        assert scheduled_jobs_everywhere.apply().get() == 0
        assert all(r.attempts == 0 for r in _rows(chicago.org).values())
