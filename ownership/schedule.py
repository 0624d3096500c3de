"""The agencies' scheduled jobs at their own local hour: the daily ownership scan and daily
digest, and on Mondays the weekly digests (members' weekly digest and the admins' unowned
digest).

An hourly beat task (``ownership.tasks.scheduled_jobs_everywhere``) asks
:func:`due_runs` which agencies' local hour (``OwnershipSettings.digest_hour``, in the
agency's time zone) has come today and which of their jobs have not run for this local day
(or ISO week), and claims each with a :class:`~ownership.models.ScheduledRun` row (unique
per agency, job and period) before queueing it. "Has come", not "is now": an hour missed
while beat was down is caught up at the next hourly run; the claim makes a beat restart,
a duplicate fan-out or a second beat send nothing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scope  # type: ignore[import-untyped]  # ships no type hints

from ownership import alerts
from ownership.models import ScheduledRun
from ownership.owners import settings_for
from strategyhub.models import Organization

SCAN = "scan"
DAILY_DIGEST = "daily_digest"
WEEKLY_DIGEST = "weekly_digest"
JOBS = (SCAN, DAILY_DIGEST, WEEKLY_DIGEST)  # in the order they run for one agency
WEEKLY_JOBS = frozenset({WEEKLY_DIGEST})


@dataclass(frozen=True)
class Run:
    organization_id: int
    job: str
    period: str


def period_for(job: str, local_day: dt.date) -> str:
    return alerts.week_key(local_day) if job in WEEKLY_JOBS else local_day.isoformat()


def due_runs(now: dt.datetime | None = None) -> list[Run]:
    """The runs due now (not yet claimed): for each active agency whose local hour has come
    today, each job without a run for this local day (weekly jobs: this ISO week, from
    Monday)."""
    now = now or timezone.now()
    due = []
    for organization in Organization.objects.filter(is_active=True).order_by("pk"):
        local = now.astimezone(organization.tz)
        with scope(organization=organization):
            if local.hour < settings_for(organization).digest_hour:
                continue
            wanted = {job: period_for(job, local.date()) for job in JOBS}
            done = set(
                ScheduledRun.objects.filter(
                    job__in=wanted, period__in=set(wanted.values())
                ).values_list("job", "period")
            )
        due += [
            Run(organization.pk, job, period)
            for job, period in wanted.items()
            if (job, period) not in done
        ]
    return due


def claim(run: Run) -> bool:
    """True for exactly one caller per agency, job and period (the unique row)."""
    organization = Organization.objects.get(pk=run.organization_id)
    with scope(organization=organization):
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(
                    organization=organization, job=run.job, period=run.period
                )
        except IntegrityError:
            return False
    return True
