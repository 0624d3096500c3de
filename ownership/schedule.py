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

A claim is not a run: the queued job can be lost (Redis restarted without persistence and
lost its queue, a worker killed mid-run). Each job's last step stamps its run finished
(:func:`finish`); a claim still unfinished :data:`STALE_AFTER` after it was queued is
claimed again (compare-and-set on ``queued_at``, so again only one caller wins) and queued
again, at most :data:`MAX_ATTEMPTS` times per period (a job that fails every time is
reported by the task-failure reporting, not retried all day). Re-running is safe: the scan
de-duplicates its alerts and the digests claim each alert before sending it. When queueing
itself fails (the broker is down), the claims are handed back at once
(:func:`release`), so the next hourly run tries again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_scopes import scope, scopes_disabled  # type: ignore[import-untyped]  # no type hints

from ownership import alerts
from ownership.models import ScheduledRun
from ownership.owners import settings_for
from strategyhub.models import Organization

SCAN = "scan"
DAILY_DIGEST = "daily_digest"
WEEKLY_DIGEST = "weekly_digest"
JOBS = (SCAN, DAILY_DIGEST, WEEKLY_DIGEST)  # in the order they run for one agency
WEEKLY_JOBS = frozenset({WEEKLY_DIGEST})
STALE_AFTER = dt.timedelta(hours=2)  # a run takes minutes; an unfinished claim this old was lost
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Run:
    organization_id: int
    job: str
    period: str
    # Set when this is a lost claim to take over: the ``queued_at`` it was seen with.
    stale_since: dt.datetime | None = None


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
            claims = {
                (job, period): (queued_at, finished_at, attempts)
                for job, period, queued_at, finished_at, attempts in ScheduledRun.objects.filter(
                    job__in=wanted, period__in=set(wanted.values())
                ).values_list("job", "period", "queued_at", "finished_at", "attempts")
            }
        for job, period in wanted.items():
            claim_seen = claims.get((job, period))
            if claim_seen is None:
                due.append(Run(organization.pk, job, period))
                continue
            queued_at, finished_at, attempts = claim_seen
            if finished_at is None and queued_at <= now - STALE_AFTER and attempts < MAX_ATTEMPTS:
                due.append(Run(organization.pk, job, period, stale_since=queued_at))
    return due


def claim(run: Run, now: dt.datetime | None = None) -> bool:
    """True for exactly one caller per agency, job and period (the unique row; for a lost
    claim, the ``queued_at`` it was seen with)."""
    now = now or timezone.now()
    organization = Organization.objects.get(pk=run.organization_id)
    with scope(organization=organization):
        if run.stale_since is not None:
            return (
                ScheduledRun.objects.filter(
                    job=run.job, period=run.period, finished_at=None, queued_at=run.stale_since
                ).update(queued_at=now, attempts=F("attempts") + 1)
                == 1
            )
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(
                    organization=organization, job=run.job, period=run.period, queued_at=now
                )
        except IntegrityError:
            return False
    return True


def release(runs: list[Run], now: dt.datetime | None = None) -> None:
    """Hand back claims whose queueing failed: due again at the next hourly run, the failed
    attempt not counted."""
    now = now or timezone.now()
    with scopes_disabled():  # each row is named by its agency id
        for run in runs:
            ScheduledRun.objects.filter(
                organization_id=run.organization_id,
                job=run.job,
                period=run.period,
                finished_at=None,
            ).update(queued_at=now - STALE_AFTER, attempts=F("attempts") - 1)


def finish(organization_id: int, job: str, period: str) -> int:
    """Stamp a run finished (its job's last step); 1 when it was open."""
    with scopes_disabled():  # the row is named by its agency id
        return ScheduledRun.objects.filter(
            organization_id=organization_id, job=job, period=period, finished_at=None
        ).update(finished_at=timezone.now())
