"""Background work of the tenancy core."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.db import transaction
from django_scopes import scope  # type: ignore[import-untyped]  # ships no type hints

from strategyhub import invitation_mail
from strategyhub.background import TenantTask
from strategyhub.models import Organization


@shared_task(
    name="strategyhub.tasks.send_invitation_email",
    base=TenantTask,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_invitation_email(*, organization_id: int, invitation_id: int) -> bool:
    """Email the invitation link once (``strategyhub.invitation_mail``). Skips (returns
    False) an invitation no longer pending or already emailed."""
    return invitation_mail.send(invitation_id)


@shared_task(name="strategyhub.tasks.resend_unsent_invitations")
def resend_unsent_invitations() -> int:
    """Hourly (beat): every agency's invitations whose email never went out, queued again
    (``invitation_mail.requeue_unsent``); how many."""
    queued = 0
    for organization in Organization.objects.filter(is_active=True).order_by("pk"):
        with scope(organization=organization), transaction.atomic():  # queued after commit
            queued += invitation_mail.requeue_unsent(organization)
    return queued


@shared_task(name="strategyhub.tasks.replay_cache_invalidations")
def replay_cache_invalidations() -> int:
    """Every minute (beat): apply the cache invalidations a web process could not, as
    recorded in PostgreSQL (``caching.invalidation``); how many were applied."""
    from strategyhub.caching import invalidation

    return invalidation.replay_recorded()


@shared_task(name="strategyhub.tasks.prune_idempotency_keys")
def prune_idempotency_keys() -> int:
    """Daily (beat): forget the idempotency keys older than a day
    (``strategyhub.idempotency.prune``); how many were deleted."""
    from strategyhub import idempotency

    return idempotency.prune()
