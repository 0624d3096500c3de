"""Celery tasks of ownership: thin (ids in, one service call, retries declared). Tasks take
ids, run inside the agency's scope (TenantTask), are enqueued after commit, and are
idempotent. Each keeps its explicit ``name`` (the beat schedule and queued messages use it).

``send_alert_email`` is defined in ``ownership.alerts`` beside the claim it relies on and is
imported here so that Celery's autodiscovery of ``ownership.tasks`` registers it.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import chain, shared_task

from ownership import alerts, catchup, digests, reminders, schedule
from ownership.alerts import send_alert_email
from ownership.models import Delivery
from strategyhub.background import TenantTask
from strategyhub.emails import MAIL_ERRORS
from strategyhub.models import Organization

logger = logging.getLogger(__name__)

__all__ = [
    "catch_up_alert_emails",
    "checkin_reminders_everywhere",
    "digests_everywhere",
    "finish_scheduled_run",
    "owner_inactive_alerts",
    "remind_checkins",
    "scan_agency",
    "scan_all_agencies",
    "scheduled_jobs_everywhere",
    "send_alert_email",
    "send_digests",
    "send_unowned_digest",
]


def _active_organization_ids() -> list[int]:
    return list(Organization.objects.filter(is_active=True).values_list("pk", flat=True))


# --- Fan-out --------------------------------------------------------------------------------


@shared_task(name="ownership.tasks.scan_all_agencies")
def scan_all_agencies() -> int:
    """One scan task per active agency, now (by hand; the schedule runs each agency's scan at
    its local hour through ``scheduled_jobs_everywhere``)."""
    ids = _active_organization_ids()
    for organization_id in ids:
        scan_agency.delay(organization_id=organization_id)
    return len(ids)


@shared_task(name="ownership.tasks.scan_agency", base=TenantTask)
def scan_agency(*, organization_id: int) -> dict[str, int]:
    return alerts.scan(Organization.objects.get(pk=organization_id))


# --- Check-in reminders on the agency's day, in its time zone --------------------------------


@shared_task(name="ownership.tasks.checkin_reminders_everywhere")
def checkin_reminders_everywhere() -> int:
    """Hourly: agencies whose local weekday and hour are their reminder time get reminders."""
    due = reminders.organizations_due_for_reminders()
    for organization_id in due:
        remind_checkins.delay(organization_id=organization_id)
    return len(due)


@shared_task(name="ownership.tasks.remind_checkins", base=TenantTask)
def remind_checkins(*, organization_id: int, today: str | None = None) -> int:
    organization = Organization.objects.get(pk=organization_id)
    day = dt.date.fromisoformat(today) if today else organization.today()
    return reminders.remind_checkins(organization, day)


# --- The agencies' daily and weekly jobs at their local hour ---------------------------------


@shared_task(name="ownership.tasks.scheduled_jobs_everywhere")
def scheduled_jobs_everywhere() -> int:
    """Hourly (beat): for each agency whose local hour has come, its due jobs, each claimed
    once per local day or week (``ownership.schedule``), queued in order (the scan first,
    so the daily digest carries what it found). Returns how many runs were queued."""
    by_agency: dict[int, list[schedule.Run]] = {}
    for run in schedule.due_runs():
        if schedule.claim(run):
            by_agency.setdefault(run.organization_id, []).append(run)
    queued = 0
    for organization_id, runs in by_agency.items():
        steps = []
        for run in runs:
            steps += _job_steps(organization_id, run.job)
            steps.append(
                finish_scheduled_run.si(
                    organization_id=organization_id, job=run.job, period=run.period
                )
            )
        try:
            chain(*steps).apply_async()
        except Exception:  # the broker is down: hand the claims back for the next hour
            logger.exception("Could not queue the scheduled jobs of agency %s", organization_id)
            schedule.release(runs)
            continue
        queued += len(runs)
    return queued


def _job_steps(organization_id: int, job: str) -> list:
    if job == schedule.SCAN:
        return [
            scan_agency.si(organization_id=organization_id),
            catch_up_alert_emails.si(organization_id=organization_id),
        ]
    if job == schedule.DAILY_DIGEST:
        return [send_digests.si(organization_id=organization_id, frequency="daily")]
    return [  # schedule.WEEKLY_DIGEST
        send_digests.si(organization_id=organization_id, frequency="weekly"),
        send_unowned_digest.si(organization_id=organization_id),
    ]


@shared_task(name="ownership.tasks.finish_scheduled_run")
def finish_scheduled_run(*, organization_id: int, job: str, period: str) -> int:
    """A scheduled job's last step: its run is done, not to be queued again."""
    return schedule.finish(organization_id, job, period)


@shared_task(name="ownership.tasks.catch_up_alert_emails", base=TenantTask)
def catch_up_alert_emails(*, organization_id: int) -> int:
    """Daily, after the scan: alert emails never sent (broker down, task gave up) again."""
    return catchup.requeue_unsent(Organization.objects.get(pk=organization_id))


# --- Digests --------------------------------------------------------------------------------


@shared_task(name="ownership.tasks.digests_everywhere")
def digests_everywhere(frequency: str) -> int:
    """Every agency's ``frequency`` digests, now (by hand; the schedule sends them at each
    agency's local hour through ``scheduled_jobs_everywhere``)."""
    ids = _active_organization_ids()
    for organization_id in ids:
        send_digests.delay(organization_id=organization_id, frequency=frequency)
        if frequency == Delivery.WEEKLY:
            send_unowned_digest.delay(organization_id=organization_id)
    return len(ids)


@shared_task(
    name="ownership.tasks.send_digests",
    base=TenantTask,
    autoretry_for=MAIL_ERRORS,
    retry_backoff=True,
    max_retries=8,
)
def send_digests(*, organization_id: int, frequency: str) -> int:
    return digests.send_digests(Organization.objects.get(pk=organization_id), frequency)


@shared_task(
    name="ownership.tasks.send_unowned_digest",
    base=TenantTask,
    autoretry_for=MAIL_ERRORS,
    retry_backoff=True,
    max_retries=8,
)
def send_unowned_digest(*, organization_id: int) -> int:
    return digests.send_unowned_digest(Organization.objects.get(pk=organization_id))


# --- Deactivation ---------------------------------------------------------------------------


@shared_task(name="ownership.tasks.owner_inactive_alerts", base=TenantTask)
def owner_inactive_alerts(*, organization_id: int) -> dict[str, int]:
    """Raised at once when a member is deactivated (the full scan raises the same alerts,
    de-duplicated)."""
    return alerts.scan(Organization.objects.get(pk=organization_id))
