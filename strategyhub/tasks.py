"""Background work of the tenancy core."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.urls import reverse

from strategyhub.background import TenantTask
from strategyhub.emails import send_templated, site_url
from strategyhub.models import Invitation


@shared_task(
    name="strategyhub.tasks.send_invitation_email",
    base=TenantTask,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_invitation_email(*, organization_id: int, invitation_id: int) -> bool:
    """Email the invitation link. Skips (returns False) an invitation no longer pending."""
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.state != "pending":
        return False
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "accept_url": site_url(reverse("accept_invitation", args=[invitation.token])),
    }
    subject = f"You are invited to {invitation.organization.name} on StrategyHub"
    send_templated(invitation.email, subject, "invitation", context)
    return True


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
