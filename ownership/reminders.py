"""Weekly check-in reminders: which agencies are at their reminder hour (in their own time
zone), and the "check-in due" alerts for the key results still without this week's
check-in. Raised once per result and week, however often it runs."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django_scopes import scope  # type: ignore[import-untyped]  # ships no type hints

from okrs.models import CheckIn, CycleKind, KeyResult
from ownership import alerts
from ownership.models import AlertKind
from ownership.owners import settings_for
from strategyhub.models import Organization


def organizations_due_for_reminders(now: dt.datetime | None = None) -> list[int]:
    """Active agencies whose local weekday and hour are their reminder time."""
    now = now or timezone.now()
    due = []
    for organization in Organization.objects.filter(is_active=True):
        local = now.astimezone(organization.tz)
        with scope(organization=organization):
            row = settings_for(organization)
            if local.weekday() == row.checkin_weekday and local.hour == row.reminder_hour:
                due.append(organization.pk)
    return due


def remind_checkins(organization: Organization, day: dt.date) -> int:
    """ "Check-in due" for every owned key result of a running quarter without a check-in
    in the week of ``day``; queues the emails. Returns how many alerts were raised."""
    week_start = day - dt.timedelta(days=day.weekday())
    done = set(
        CheckIn.objects.filter(as_of__gte=week_start, as_of__lte=day).values_list(
            "key_result_id", flat=True
        )
    )
    due = KeyResult.objects.filter(
        archived_at=None,
        owner__isnull=False,
        objective__archived_at=None,
        objective__cycle__kind=CycleKind.QUARTER,
        objective__cycle__start__lte=day,
        objective__cycle__end__gte=day,
    ).exclude(pk__in=done)
    slug = organization.slug
    drafts = [
        alerts.Draft(
            AlertKind.CHECKIN_DUE,
            "key_result",
            kr.pk,
            kr.title[:300],
            reverse("okrs:my_checkins", args=[slug]),
            gettext("Your weekly check-in on “%(item)s” is due.") % {"item": kr.title},
            alerts.week_key(day),
            kr.owner_id,
        )
        for kr in due
        if kr.owner_id is not None  # always: ``due`` has owned results only
    ]
    created = alerts.raise_alerts(organization, drafts)
    alerts.queue_emails(organization, created)
    return len(created)
