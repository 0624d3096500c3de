"""Alert emails that were never sent are sent later: the daily scheduled run queues again
every alert of the last week that its recipient wants at once, that is still open and not
emailed, and whose claim is free or has expired (``alerts.CLAIM_TIMEOUT``). That covers a
broker that was down when the alert was raised (the enqueue failed, and was logged) and an
email task that gave up after its last retry (logged at ERROR and reported). Sending claims
each alert first, so an email still being retried is not sent twice."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from ownership import alerts
from ownership.models import Alert, Delivery
from strategyhub.background import enqueue_on_commit
from strategyhub.models import Organization

WINDOW = dt.timedelta(days=7)  # older unsent alerts are left to the in-app notifications
GRACE = dt.timedelta(minutes=15)  # a just-raised alert's own task is still on its way


def requeue_unsent(organization: Organization, now: dt.datetime | None = None) -> int:
    """Queue ``send_alert_email`` again for the agency's unsent immediate alerts; how many."""
    now = now or timezone.now()
    unsent = (
        Alert.objects.open()
        .filter(emailed_at=None, created_at__gte=now - WINDOW, created_at__lte=now - GRACE)
        .filter(Q(email_claimed_at=None) | Q(email_claimed_at__lt=now - alerts.CLAIM_TIMEOUT))
        .only("pk", "recipient_id", "kind")
        .order_by("pk")
    )
    queued = 0
    for alert in unsent:
        if alerts.delivery_for(alert.recipient_id, alert.kind) == Delivery.IMMEDIATE:
            enqueue_on_commit(
                alerts.send_alert_email, organization_id=organization.pk, alert_id=alert.pk
            )
            queued += 1
    return queued
