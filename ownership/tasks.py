"""Celery tasks of ownership: thin (ids in, one service call, retries declared). Tasks take
ids, run inside the agency's scope (TenantTask), are enqueued after commit, and are
idempotent. Each keeps its explicit ``name`` (the beat schedule and queued messages use it).

``send_alert_email`` is defined in ``ownership.alerts`` beside the claim it relies on and is
imported here so that Celery's autodiscovery of ``ownership.tasks`` registers it.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from ownership import alerts, digests, reminders
from ownership.alerts import send_alert_email
from ownership.models import Delivery
from strategyhub.background import TenantTask
from strategyhub.emails import MAIL_ERRORS
from strategyhub.models import Organization

__all__ = [
    "checkin_reminders_everywhere",
    "digests_everywhere",
    "owner_inactive_alerts",
    "remind_checkins",
    "scan_agency",
    "scan_all_agencies",
    "send_alert_email",
    "send_digests",
    "send_unowned_digest",
]


def _active_organization_ids() -> list[int]:
    return list(Organization.objects.filter(is_active=True).values_list("pk", flat=True))


# --- Fan-out --------------------------------------------------------------------------------


@shared_task(name="ownership.tasks.scan_all_agencies")
def scan_all_agencies() -> int:
    """Daily: one scan task per active agency."""
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


# --- Digests --------------------------------------------------------------------------------


@shared_task(name="ownership.tasks.digests_everywhere")
def digests_everywhere(frequency: str) -> int:
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
